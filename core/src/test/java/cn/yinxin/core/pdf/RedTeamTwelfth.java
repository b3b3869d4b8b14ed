package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationPopup;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentGroup;
import org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentProperties;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/** Documents of the twelfth hostile read, each sealed genuinely before it is attacked or verified. */
final class RedTeamTwelfth {

    private static final PDType1Font HELVETICA = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

    private RedTeamTwelfth() {
    }

    /**
     * A one-page cover ("Cover sheet") made a portfolio (/Collection, opening on the attached file) holding
     * "contract.pdf", a PDF of its own stating "Amount: 1,000,000": readers open the portfolio on the attached file,
     * not on the cover that carries the seal.
     */
    static byte[] portfolio() throws IOException {
        try (PDDocument document = page("Cover sheet")) {
            PDEmbeddedFile file = new PDEmbeddedFile(document, new ByteArrayInputStream(bytesOf(page(
                    "Amount: 1,000,000"))), COSName.FLATE_DECODE);
            file.setSubtype("application/pdf");
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile("contract.pdf");
            spec.setFileUnicode("contract.pdf");
            spec.setEmbeddedFile(file);
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of("contract.pdf", spec));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            document.getDocumentCatalog().setNames(names);
            COSDictionary collection = new COSDictionary();
            collection.setName(COSName.TYPE, "Collection");
            collection.setName(COSName.getPDFName("View"), "D");
            collection.setString(COSName.D, "contract.pdf");
            document.getDocumentCatalog().getCOSObject().setItem(COSName.getPDFName("Collection"), collection);
            return TestMaterial.save(document);
        }
    }

    /**
     * One page printing "Amount: 100" on screen only (layer "screen", /Usage /Print /PrintState /OFF) and "Amount:
     * 1,000,000" on paper only (layer "paper", off in the configuration, /Usage /Print /PrintState /ON), the default
     * configuration applying both usages (/AS for the View and Print events), as Acrobat honours it: the screen and a
     * printed copy state different amounts. With {@code alike} both layers are the same on screen and paper (a
     * watermark layer shown and printed): nothing to say.
     */
    static byte[] layersPrintedOtherwise(boolean alike) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDOptionalContentProperties layers = new PDOptionalContentProperties();
            PDOptionalContentGroup screen = new PDOptionalContentGroup("screen");
            PDOptionalContentGroup paper = new PDOptionalContentGroup("paper");
            layers.addGroup(screen);
            layers.addGroup(paper);
            if (!alike) {
                usage(screen, "OFF");
                usage(paper, "ON");
                layers.setGroupEnabled(paper, false);
            }
            applyUsages(layers, screen, paper);
            document.getDocumentCatalog().setOCProperties(layers);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                PdfCrafting.text(content, font, 72, 760, "Approval result");
                content.beginMarkedContent(COSName.OC, screen);
                PdfCrafting.text(content, font, 72, 700, "Amount: 100");
                content.endMarkedContent();
                content.beginMarkedContent(COSName.OC, paper);
                PdfCrafting.text(content, font, 72, 680, "Amount: 1,000,000");
                content.endMarkedContent();
            }
            return TestMaterial.save(document);
        }
    }

    /**
     * A form whose field shows "Amount: 100" (PDFBox's fixture) carrying, beside it, an XFA form (/AcroForm /XFA, a
     * dynamic one: /NeedsRendering) whose data state 1,000,000: Acrobat and Foxit show the XFA form, not the pages.
     */
    static byte[] withXfa() throws IOException {
        try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(PdfCrafting.formPdf(false))) {
            var xfa = document.getDocument().createCOSStream();
            try (var out = xfa.createOutputStream()) {
                out.write(PdfCrafting.bytes("<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\"><xfa:datasets "
                        + "xmlns:xfa=\"http://www.xfa.org/schema/xfa-data/1.0/\"><xfa:data><amount>1,000,000</amount>"
                        + "</xfa:data></xfa:datasets></xdp:xdp>"));
            }
            document.getDocumentCatalog().getAcroForm(null).getCOSObject().setItem(COSName.getPDFName("XFA"), xfa);
            document.getDocumentCatalog().getCOSObject().setBoolean(COSName.getPDFName("NeedsRendering"), true);
            return TestMaterial.save(document);
        }
    }

    /** One page printing "Amount: 100" (Helvetica 12 at 72, 705), to be certified with DocMDP P=3. */
    static byte[] amount() throws IOException {
        try (PDDocument document = page("Approval result")) {
            try (PDPageContentStream content = new PDPageContentStream(document, document.getPage(0),
                    PDPageContentStream.AppendMode.APPEND, false)) {
                PdfCrafting.text(content, HELVETICA, 72, 705, "Amount: 100");
            }
            return TestMaterial.save(document);
        }
    }

    /** Where "Amount: 100" ends, in points from the page's left edge. */
    static float amountEnd() throws IOException {
        return 72 + HELVETICA.getStringWidth("Amount: 100") / 1000 * 12;
    }

    /**
     * A sticky note (Text annotation, 32 x 16 points: within the size a note may have) {@code gap} points after the
     * printed "Amount: 100", on what was blank paper, whose appearance writes ",000" in the page's font and size:
     * poppler shows "Amount: 100 ,000" (seen with pdftoppm at 2 points).
     */
    static RedTeamFourth.Edit noteContinuingTheAmount(float gap) {
        return document -> {
            var page = document.getPage(0);
            PDAppearanceStream stream = new PDAppearanceStream(document);
            stream.setBBox(new PDRectangle(32, 16));
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("F1"), HELVETICA);
            stream.setResources(resources);
            try (var out = stream.getContentStream().createOutputStream()) {
                out.write(PdfCrafting.bytes("BT /F1 12 Tf 0 4 Td (,000) Tj ET"));
            }
            PDAnnotationText note = new PDAnnotationText();
            note.setRectangle(new PDRectangle(amountEnd() + gap, 701, 32, 16));
            note.setPrinted(true);
            PDAppearanceDictionary appearance = new PDAppearanceDictionary();
            appearance.setNormalAppearance(stream);
            note.setAppearance(appearance);
            note.setPage(page);
            page.getAnnotations().add(note);
            page.getCOSObject().setNeedToBeUpdated(true);
        };
    }

    /**
     * A sticky note in the left margin of page 1 (8, 700, 20 x 20, a small square icon, on blank paper well apart from
     * the text) in the agency's name saying the amount is 1,000,000, with a pop-up ({@code popup}: null to add one,
     * shown open when the document opens) whose box lies over the approval lines and whose appearance draws nothing.
     * pdf.js opens such a pop-up beside its note when the page is shown: its window covers "Amount: 100".
     */
    static RedTeamFourth.Edit noteWithAnOpenPopUp() {
        return document -> {
            var page = document.getPage(0);
            PDAnnotationText note = new PDAnnotationText();
            note.setRectangle(new PDRectangle(8, 700, 20, 20));
            note.setPrinted(true);
            note.setTitlePopup("北京市市场监督管理局");
            note.setContents("Amount: 1,000,000");
            PDAppearanceDictionary icon = new PDAppearanceDictionary();
            icon.setNormalAppearance(appearance(document, 20, 20, "1 1 0 rg 0 0 20 20 re f"));
            note.setAppearance(icon);
            note.setPage(page);
            page.getAnnotations().add(note);
            page.getAnnotations().add(popUp(document, note, true));
            page.getCOSObject().setNeedToBeUpdated(true);
        };
    }

    /** A pop-up of {@code note} over the approval lines, {@code open} or not, whose appearance draws nothing. */
    static PDAnnotationPopup popUp(PDDocument document, PDAnnotationText note, boolean open) throws IOException {
        PDAnnotationPopup popup = new PDAnnotationPopup();
        popup.setRectangle(new PDRectangle(30, 660, 300, 120));
        popup.setOpen(open);
        popup.setParent(note);
        PDAppearanceDictionary nothing = new PDAppearanceDictionary();
        nothing.setNormalAppearance(appearance(document, 300, 120, ""));
        popup.setAppearance(nothing);
        popup.setPage(note.getPage());
        note.setPopup(popup);
        return popup;
    }

    /** {@link #amount()} with the note of {@link #noteWithAnOpenPopUp()} already there, its pop-up closed. */
    static byte[] amountWithAClosedPopUp() throws IOException {
        try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(amount())) {
            var page = document.getPage(0);
            PDAnnotationText note = new PDAnnotationText();
            note.setRectangle(new PDRectangle(8, 700, 20, 20));
            note.setPrinted(true);
            note.setContents("checked");
            PDAppearanceDictionary icon = new PDAppearanceDictionary();
            icon.setNormalAppearance(appearance(document, 20, 20, "1 1 0 rg 0 0 20 20 re f"));
            note.setAppearance(icon);
            note.setPage(page);
            page.getAnnotations().add(note);
            page.getAnnotations().add(popUp(document, note, false));
            return TestMaterial.save(document);
        }
    }

    /** The closed pop-up of {@link #amountWithAClosedPopUp()} shown open, its note's words changed. */
    static RedTeamFourth.Edit popUpOpened() {
        return document -> {
            for (var annotation : document.getPage(0).getAnnotations()) {
                if (annotation instanceof PDAnnotationPopup popup) {
                    popup.setOpen(true);
                    popup.getCOSObject().setNeedToBeUpdated(true);
                    popup.getParent().setContents("Amount: 1,000,000");
                    popup.getParent().getCOSObject().setNeedToBeUpdated(true);
                }
            }
        };
    }

    /**
     * A link (no action needed) over the certified "100" of "Amount: 100" (110, 700, 32 x 16), its appearance drawing
     * nothing, with a white border 8 points wide (/Border [0 0 8], /C [1 1 1]): pdf.js draws the border as an element
     * of its own, an opaque white box over "100" (its data: borderStyle width 8, borderColor white, read with
     * getAnnotations); PDFBox draws the empty appearance.
     */
    static RedTeamFourth.Edit linkWithAWhiteBorderOverTheAmount() {
        return document -> {
            var page = document.getPage(0);
            var link = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink();
            link.setRectangle(new PDRectangle(110, 700, 32, 16));
            link.getCOSObject().setItem(COSName.BORDER, numbers(0, 0, 8));
            link.getCOSObject().setItem(COSName.C, numbers(1, 1, 1));
            PDAppearanceDictionary nothing = new PDAppearanceDictionary();
            nothing.setNormalAppearance(appearance(document, 32, 16, ""));
            link.setAppearance(nothing);
            link.setPage(page);
            page.getAnnotations().add(link);
            page.getCOSObject().setNeedToBeUpdated(true);
        };
    }

    /**
     * The sealed title "Approved" (XMP and /Info, {@link RedTeamTenth#titledPdf}) kept where the verifier's pattern
     * finds it first, and "Refused" where pdf.js takes it: {@code commented} false, a second rdf:Description with its
     * own dc:title (pdf.js keeps the last one it reads); true, the old title inside an XML comment (pdf.js skips it)
     * and the new one as DC:TITLE (pdf.js reads names in lower case).
     */
    static RedTeamFourth.Edit xmpTitleHiddenFromThePattern(boolean commented) {
        return xmpTitleHiddenFromThePattern(commented, 0);
    }

    /** As above, with {@code padding} spaces in an XML comment before the second description. */
    static RedTeamFourth.Edit xmpTitleHiddenFromThePattern(boolean commented, int padding) {
        String approved = "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Approved</rdf:li></rdf:Alt></dc:title>";
        String refused = "<rdf:Alt><rdf:li xml:lang=\"x-default\">Refused</rdf:li></rdf:Alt>";
        String description = "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">";
        String body = commented
                ? description + "<!-- " + approved + " --><DC:TITLE>" + refused + "</DC:TITLE></rdf:Description>"
                : description + approved + "</rdf:Description>" + (padding == 0 ? "" : "<!--" + " ".repeat(padding)
                + "-->") + description + "<dc:title>" + refused
                + "</dc:title></rdf:Description>";
        byte[] xmp = PdfCrafting.bytes("<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta "
                + "xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" + body
                + "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>");
        return document -> {
            var catalog = document.getDocumentCatalog().getCOSObject();
            catalog.setItem(COSName.METADATA, RedTeamTenth.stream(document, "Metadata", "XML", xmp));
            catalog.setNeedToBeUpdated(true);
        };
    }

    /**
     * A stamp (300 x 100 at 72, 640) over the certified "Amount: 100" painting a white box and "Amount: 1,000,000",
     * flagged {@code flags}: -2 is Hidden to PDFBox and poppler (its low bits) and no flags at all to pdf.js, which
     * draws it (seen in its viewer: "Amount: 1,000,000" where the certified page said 100).
     */
    static RedTeamFourth.Edit stampFlagged(int flags) {
        return document -> {
            RedTeamFourth.stampShowing(PdfCrafting.bytes("1 1 1 rg 0 0 300 100 re f 0 g BT /Helvetica 14 Tf 4 60 Td "
                    + "(Amount: 1,000,000) Tj ET"), null, 640).apply(document);
            var annotations = document.getPage(0).getCOSObject().getCOSArray(COSName.ANNOTS);
            ((COSDictionary) annotations.getObject(annotations.size() - 1)).setInt(COSName.F, flags);
        };
    }

    private static org.apache.pdfbox.cos.COSArray numbers(float... values) {
        org.apache.pdfbox.cos.COSArray array = new org.apache.pdfbox.cos.COSArray();
        for (float value : values) {
            array.add(new org.apache.pdfbox.cos.COSFloat(value));
        }
        return array;
    }

    private static PDAppearanceStream appearance(PDDocument document, float width, float height, String ink)
            throws IOException {
        PDAppearanceStream stream = new PDAppearanceStream(document);
        stream.setBBox(new PDRectangle(width, height));
        try (var out = stream.getContentStream().createOutputStream()) {
            out.write(PdfCrafting.bytes(ink));
        }
        return stream;
    }

    /**
     * One page printing "Amount: 100", and "Amount: 1,000,000" in a layer "close-up" that Acrobat shows only from 400 %
     * zoom on (/Usage /Zoom /min 4; Acrobat applies it where the configuration's /AS names the Zoom category, left out
     * here: the answer names such a layer either way).
     */
    static byte[] layerShownOnlyZoomedIn() throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDOptionalContentProperties layers = new PDOptionalContentProperties();
            PDOptionalContentGroup closeUp = new PDOptionalContentGroup("close-up");
            layers.addGroup(closeUp);
            COSDictionary zoom = new COSDictionary();
            zoom.setFloat(COSName.getPDFName("min"), 4);
            COSDictionary usage = new COSDictionary();
            usage.setItem(COSName.getPDFName("Zoom"), zoom);
            closeUp.getCOSObject().setItem(COSName.getPDFName("Usage"), usage);
            document.getDocumentCatalog().setOCProperties(layers);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                PdfCrafting.text(content, HELVETICA, 72, 700, "Amount: 100");
                content.beginMarkedContent(COSName.OC, closeUp);
                PdfCrafting.text(content, HELVETICA, 72, 680, "Amount: 1,000,000");
                content.endMarkedContent();
            }
            return TestMaterial.save(document);
        }
    }

    private static void usage(PDOptionalContentGroup group, String printState) {
        COSDictionary print = new COSDictionary();
        print.setName(COSName.getPDFName("PrintState"), printState);
        COSDictionary usage = new COSDictionary();
        usage.setItem(COSName.getPDFName("Print"), print);
        group.getCOSObject().setItem(COSName.getPDFName("Usage"), usage);
    }

    /** /D /AS: the View and Print events apply the layers' usage of that name. */
    private static void applyUsages(PDOptionalContentProperties layers, PDOptionalContentGroup... groups) {
        org.apache.pdfbox.cos.COSArray applications = new org.apache.pdfbox.cos.COSArray();
        for (String event : new String[]{"View", "Print"}) {
            COSDictionary application = new COSDictionary();
            application.setName(COSName.getPDFName("Event"), event);
            org.apache.pdfbox.cos.COSArray category = new org.apache.pdfbox.cos.COSArray();
            category.add(COSName.getPDFName(event));
            application.setItem(COSName.getPDFName("Category"), category);
            org.apache.pdfbox.cos.COSArray members = new org.apache.pdfbox.cos.COSArray();
            for (PDOptionalContentGroup group : groups) {
                members.add(group);
            }
            application.setItem(COSName.getPDFName("OCGs"), members);
            applications.add(application);
        }
        layers.getCOSObject().getCOSDictionary(COSName.D).setItem(COSName.getPDFName("AS"), applications);
    }

    private static PDDocument page(String text) throws IOException {
        PDDocument document = new PDDocument();
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
            PdfCrafting.text(content, new PDType1Font(Standard14Fonts.FontName.HELVETICA), 72, 760, text);
        }
        return document;
    }

    private static byte[] bytesOf(PDDocument document) throws IOException {
        try (document) {
            return TestMaterial.save(document);
        }
    }
}
