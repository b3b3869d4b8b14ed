package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;

import java.io.IOException;
import java.util.function.Consumer;

/** Documents of the tenth hostile read, each an edit of a genuinely sealed PDF (see {@link RedTeamFourth}). */
final class RedTeamTenth {

    /** What the forger wants read where the sealed page prints its amount: a white box, then another amount. */
    static final String FORGED = "1 1 1 rg 0 0 300 40 re f 0 0 0 rg BT /F1 14 Tf 12 12 Td (Amount: 1,000,000) Tj ET";
    /** An appearance that draws nothing (a text field's empty marked content). */
    static final String NOTHING = "/Tx BMC EMC";

    private RedTeamTenth() {
    }

    /** Both edits, one after the other, in one revision. */
    static RedTeamFourth.Edit both(RedTeamFourth.Edit first, RedTeamFourth.Edit second) {
        return document -> {
            first.apply(document);
            second.apply(document);
        };
    }

    /** A form XObject of {@code width} x {@code height} drawing {@code ink} with Helvetica as /F1. */
    static COSStream appearance(PDDocument document, float width, float height, String ink) throws IOException {
        PDAppearanceStream stream = new PDAppearanceStream(document);
        stream.setBBox(new PDRectangle(width, height));
        PDResources resources = new PDResources();
        resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
        stream.setResources(resources);
        try (var out = stream.getContentStream().createOutputStream()) {
            out.write(PdfCrafting.bytes(ink));
        }
        return stream.getCOSObject();
    }

    /**
     * The sealed form's field "remarks" (laid over the printed "Amount: 100", {@link RedTeamFourth#emptyFieldOverPrintedText})
     * filled in with "seen": its normal appearance draws nothing, and its appearance {@code which} (/R: the pointer
     * is over the field; /D: the pointer presses it) paints {@link #FORGED} over the box.
     */
    static RedTeamFourth.Edit fillDrawingUnderThePointer(COSName which) {
        return document -> {
            var field = document.getDocumentCatalog().getAcroForm(null).getField("remarks");
            field.getCOSObject().setString(COSName.V, "seen");
            field.getCOSObject().setNeedToBeUpdated(true);
            var widget = field.getWidgets().getFirst().getCOSObject();
            COSDictionary ap = new COSDictionary();
            ap.setItem(COSName.N, appearance(document, 300, 40, NOTHING));
            if (which != null) {
                ap.setItem(which, appearance(document, 300, 40, FORGED));
            }
            widget.setItem(COSName.AP, ap);
            widget.setNeedToBeUpdated(true);
        };
    }

    /**
     * {@link RedTeamFourth#emptyFieldOverPrintedText} whose widget already has, before sealing, a normal and a
     * rollover appearance that draw nothing (each a stream of its own), as form designers' tools write them.
     */
    static byte[] emptyFieldWithARolloverAppearance() throws Exception {
        try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(RedTeamFourth.emptyFieldOverPrintedText())) {
            var widget = document.getDocumentCatalog().getAcroForm(null).getField("remarks").getWidgets().getFirst();
            COSDictionary ap = new COSDictionary();
            ap.setItem(COSName.N, appearance(document, 300, 40, NOTHING));
            ap.setItem(COSName.R, appearance(document, 300, 40, NOTHING));
            widget.getCOSObject().setItem(COSName.AP, ap);
            return TestMaterial.save(document);
        }
    }

    /** The form's field filled in with "seen", and its signed rollover stream defined anew painting {@link #FORGED}. */
    static RedTeamFourth.Edit fillRewritingTheSignedRollover() {
        return document -> {
            var field = document.getDocumentCatalog().getAcroForm(null).getField("remarks");
            field.getCOSObject().setString(COSName.V, "seen");
            field.getCOSObject().setNeedToBeUpdated(true);
            var ap = field.getWidgets().getFirst().getCOSObject().getCOSDictionary(COSName.AP);
            COSStream rollover = (COSStream) ap.getDictionaryObject(COSName.R);
            try (var out = rollover.createOutputStream()) {
                out.write(PdfCrafting.bytes(FORGED));
            }
            rollover.setNeedToBeUpdated(true);
        };
    }

    /**
     * An annotation of {@code subtype} added to page 1 at ({@code x}, {@code y}), 300 x 40, printed, its normal
     * appearance {@code ink}; {@code more} adds what else it carries.
     */
    static RedTeamFourth.Edit annotation(String subtype, float x, float y, String ink, Consumer<COSDictionary> more) {
        return document -> {
            var page = document.getPage(0);
            COSDictionary annotation = new COSDictionary();
            annotation.setName(COSName.TYPE, "Annot");
            annotation.setName(COSName.SUBTYPE, subtype);
            COSArray rect = new COSArray();
            for (float value : new float[] {x, y, x + 300, y + 40}) {
                rect.add(new COSFloat(value));
            }
            annotation.setItem(COSName.RECT, rect);
            annotation.setInt(COSName.F, 4);
            COSDictionary ap = new COSDictionary();
            ap.setItem(COSName.N, appearance(document, 300, 40, ink));
            annotation.setItem(COSName.AP, ap);
            annotation.setItem(COSName.P, page.getCOSObject());
            more.accept(annotation);
            COSArray annots = page.getCOSObject().getCOSArray(COSName.ANNOTS);
            if (annots == null) {
                annots = new COSArray();
                page.getCOSObject().setItem(COSName.ANNOTS, annots);
            }
            annots.add(annotation);
            annots.setNeedToBeUpdated(true);
            page.getCOSObject().setNeedToBeUpdated(true);
        };
    }

    /**
     * An empty signature field "approval" added to page 1 over the approval line (60, 690, 300 x 40), its widget's
     * normal appearance drawing nothing and its rollover appearance {@link #FORGED}.
     */
    static RedTeamFourth.Edit emptySignatureFieldDrawingUnderThePointer() {
        return document -> {
            var form = document.getDocumentCatalog().getAcroForm(null);
            var page = document.getPage(0);
            var field = new org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField(form);
            field.setPartialName("approval");
            var widget = field.getWidgets().getFirst();
            widget.setRectangle(new PDRectangle(60, 690, 300, 40));
            widget.setPage(page);
            widget.setPrinted(true);
            COSDictionary ap = new COSDictionary();
            ap.setItem(COSName.N, appearance(document, 300, 40, NOTHING));
            ap.setItem(COSName.R, appearance(document, 300, 40, FORGED));
            widget.getCOSObject().setItem(COSName.AP, ap);
            form.getFields().add(field);
            page.getAnnotations().add(widget);
            page.getCOSObject().setNeedToBeUpdated(true);
            form.getCOSObject().setNeedToBeUpdated(true);
            document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
        };
    }

    /** XMP metadata whose dc:title is {@code title} and whose modification date is {@code modified}. */
    static byte[] xmp(String title, String modified) {
        return PdfCrafting.bytes("<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                + "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"><xmp:ModifyDate>" + modified + "</xmp:ModifyDate>"
                + (title == null ? "" : "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + title
                + "</rdf:li></rdf:Alt></dc:title>") + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>");
    }

    /**
     * One page printing "Approval result", titled "Approved" in its document information and, when {@code inXmp}, in
     * its XMP metadata too, and asking readers to show that title (/ViewerPreferences /DisplayDocTitle).
     */
    static byte[] titledPdf(boolean inXmp) throws Exception {
        try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            document.getDocumentInformation().setTitle("Approved");
            COSDictionary preferences = new COSDictionary();
            preferences.setBoolean(COSName.getPDFName("DisplayDocTitle"), true);
            document.getDocumentCatalog().getCOSObject().setItem(COSName.VIEWER_PREFERENCES, preferences);
            if (inXmp) {
                document.getDocumentCatalog().getCOSObject().setItem(COSName.METADATA,
                        stream(document, "Metadata", "XML", xmp("Approved", "2026-12-07T10:00:00Z")));
            }
            return TestMaterial.save(document);
        }
    }

    /** The document information's /Title (null: none) and /Producer set, as a later revision. */
    static RedTeamFourth.Edit infoTitle(String title) {
        return document -> {
            var info = document.getDocumentInformation();
            info.setTitle(title);
            info.setProducer("an editor");
            info.getCOSObject().setNeedToBeUpdated(true);
            document.getDocument().getTrailer().setNeedToBeUpdated(true);
        };
    }

    /** The XMP metadata written anew with {@code title} as its dc:title (null: none), as a later revision. */
    static RedTeamFourth.Edit xmpTitle(String title) {
        return document -> {
            var catalog = document.getDocumentCatalog().getCOSObject();
            catalog.setItem(COSName.METADATA, stream(document, "Metadata", "XML", xmp(title, "2026-12-07T11:00:00Z")));
            catalog.setNeedToBeUpdated(true);
        };
    }

    /** The widget of field {@code name} given the background colour /MK /BG [{@code grey} x 3]. */
    static RedTeamFourth.Edit widgetBackground(String name, int grey) {
        return document -> {
            var widget = document.getDocumentCatalog().getAcroForm(null).getField(name).getWidgets().getFirst();
            COSArray background = new COSArray();
            for (int i = 0; i < 3; i++) {
                background.add(org.apache.pdfbox.cos.COSInteger.get(grey));
            }
            COSDictionary characteristics = new COSDictionary();
            characteristics.setItem(COSName.getPDFName("BG"), background);
            widget.getCOSObject().setItem(COSName.MK, characteristics);
            widget.getCOSObject().setNeedToBeUpdated(true);
        };
    }

    /** A link over the whole of page 1, without border or appearance, opening {@code address}. */
    static RedTeamFourth.Edit invisibleLink(String address) {
        return annotation("Link", 0, 0, "", link -> {
            link.removeItem(COSName.AP);
            COSArray rect = new COSArray();
            for (float value : new float[] {0, 0, 595, 842}) {
                rect.add(new COSFloat(value));
            }
            link.setItem(COSName.RECT, rect);
            COSArray border = new COSArray();
            for (int i = 0; i < 3; i++) {
                border.add(org.apache.pdfbox.cos.COSInteger.ZERO);
            }
            link.setItem(COSName.BORDER, border);
            COSDictionary action = new COSDictionary();
            action.setName(COSName.S, "URI");
            action.setString(COSName.getPDFName("URI"), address);
            link.setItem(COSName.A, action);
        });
    }

    /**
     * One page printing "Approval result" with, before any seal, a square annotation over that line (60, 690, 300 x
     * 40) that draws nothing, whose appearance dictionary is an object of its own ({@code appearance}, numbered as
     * returned in {@code numbers[0]}), as some producers write it.
     */
    static byte[] squareWithItsOwnAppearanceDictionary(long[] numbers) throws Exception {
        byte[] plain = TestMaterial.onePagePdf(0);
        HostileFiles.Appender update = new HostileFiles.Appender(plain);
        long stream = update.allocate();
        long appearance = update.allocate();
        long square = update.allocate();
        update.object(stream, HostileFiles.Appender.stream("/Type /XObject /Subtype /Form /BBox [0 0 300 40]",
                PdfCrafting.bytes("q Q")));
        update.object(appearance, HostileFiles.Appender.text("<< /N " + stream + " 0 R >>"));
        update.object(square, HostileFiles.Appender.text("<< /Type /Annot /Subtype /Square /Rect [60 690 360 730] /F 4 "
                + "/Border [0 0 0] /AP " + appearance + " 0 R >>"));
        try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(plain)) {
            COSDictionary page = document.getPage(0).getCOSObject();
            update.object(page.getKey().getNumber(), HostileFiles.Appender.text(HostileFiles.Cos.write(page,
                    java.util.Map.of(COSName.ANNOTS, "[" + square + " 0 R]"))));
        }
        numbers[0] = appearance;
        numbers[1] = stream;
        return update.commit().bytes();
    }

    /** The square's appearance dictionary (object {@code numbers[0]}) defined anew with a rollover painting {@link #FORGED}. */
    static byte[] rolloverAddedToTheAppearanceDictionary(byte[] sealed, long[] numbers) {
        HostileFiles.Appender update = new HostileFiles.Appender(sealed);
        long font = update.allocate();
        long rollover = update.allocate();
        update.object(font, HostileFiles.Appender.text("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
        update.object(rollover, HostileFiles.Appender.stream("/Type /XObject /Subtype /Form /BBox [0 0 300 40] "
                + "/Resources << /Font << /F1 " + font + " 0 R >> >>", PdfCrafting.bytes(FORGED)));
        update.object(numbers[0], HostileFiles.Appender.text("<< /N " + numbers[1] + " 0 R /R " + rollover + " 0 R >>"));
        return update.commit().bytes();
    }

    /** A stream of {@code bytes} typed {@code type} (and {@code subtype}, if any), new in the document. */
    static COSStream stream(PDDocument document, String type, String subtype, byte[] bytes) {
        COSStream stream = document.getDocument().createCOSStream();
        stream.setName(COSName.TYPE, type);
        if (subtype != null) {
            stream.setName(COSName.SUBTYPE, subtype);
        }
        try (var out = stream.createOutputStream()) {
            out.write(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return stream;
    }
}
