package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fourth red team's shared crafting: one genuine seal, one incremental edit as a text editor or PDFBox would make
 * it, one verification through {@link PdfVerifier}. With -Dredteam.out=DIR every crafted file is written there, to
 * look at it with poppler or pdf.js.
 */
final class RedTeamFourth {

    /** An edit made to the sealed document; the fixture marks nothing, the edit marks what it changes. */
    @FunctionalInterface
    interface Edit {
        void apply(PDDocument document) throws Exception;
    }

    final TestMaterial material;
    final PdfVerifier verifier;

    RedTeamFourth() throws Exception {
        material = new TestMaterial();
        verifier = new PdfVerifier(List.of(material.root));
    }

    /** {@code pdf} sealed by the test seal (page 1, lower left), and seen VALID as it is. */
    byte[] sealed(String name, byte[] pdf) throws Exception {
        byte[] sealed = new PdfSealer().seal(pdf, material.request(1, 100, 100));
        assertThat(verify(name + "-sealed", sealed).verdict()).as("the genuine document").isEqualTo(Verdict.VALID);
        return sealed;
    }

    /** {@code pdf} sealed as a certification with DocMDP {@code p} (2: form filling and signing allowed after). */
    byte[] certified(String name, byte[] pdf, int p) throws Exception {
        var request = material.request(1, 100, 100);
        byte[] certified = new PdfSealer().seal(pdf, new SealRequest(request.key(), request.appearance(),
                request.placement(), "certifying", "certified", Instant.now(), SignatureLevel.B_B, p));
        assertThat(verify(name + "-certified", certified).verdict()).as("the genuine document").isEqualTo(Verdict.VALID);
        return certified;
    }

    /**
     * One page printing "Amount: 100" (Helvetica 12 at 72, 705) with an empty, transparent text field "remarks" whose
     * box (60, 690, 300 x 40) lies over that line, as a form whose notes field was drawn across the printed amount.
     */
    static byte[] emptyFieldOverPrintedText() throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                PdfCrafting.text(content, helvetica, 72, 705, "Amount: 100");
            }
            PDAcroForm form = new PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("Helv"), helvetica);
            form.setDefaultResources(resources);
            form.setDefaultAppearance("/Helv 12 Tf 0 g");
            PDTextField field = new PDTextField(form);
            field.setPartialName("remarks");
            PDAnnotationWidget widget = field.getWidgets().getFirst();
            widget.setRectangle(new PDRectangle(60, 690, 300, 40));
            widget.setPage(page);
            widget.setPrinted(true);
            page.getAnnotations().add(widget);
            form.getFields().add(field);
            field.setValue("");
            return TestMaterial.save(document);
        }
    }

    /**
     * Fills the field {@code name} with {@code value} as a form filler could: /V and a new appearance, here one that
     * paints the box white first (an opaque background, as /MK /BG asks) and then the value.
     */
    static Edit fillOpaquely(String name, String value, float width, float height) {
        return document -> {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            PDTextField field = (PDTextField) form.getField(name);
            field.getCOSObject().setItem(COSName.V, new COSString(value));
            field.getCOSObject().setNeedToBeUpdated(true);
            PDAppearanceStream stream = new PDAppearanceStream(document);
            stream.setBBox(new PDRectangle(width, height));
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("Helv"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            stream.setResources(resources);
            try (var out = stream.getContentStream().createOutputStream()) {
                out.write(PdfCrafting.bytes("1 g 0 0 " + width + " " + height + " re f /Tx BMC BT /Helv 12 Tf 0 g 12 15 Td ("
                        + value + ") Tj ET EMC"));
            }
            PDAppearanceDictionary appearance = new PDAppearanceDictionary();
            appearance.setNormalAppearance(stream);
            PDAnnotationWidget widget = field.getWidgets().getFirst();
            widget.setAppearance(appearance);
            widget.getCOSObject().setNeedToBeUpdated(true);
        };
    }

    /**
     * Page 1 of {@code sealed} drawing, in an update after the seal, a CCITT fax image declared {@code side} x
     * {@code side} pixels whose coded data is one bit a row (every row white, "V0"): a few KB whatever the side.
     */
    static byte[] faxImagePage(byte[] sealed, int side) throws Exception {
        HostileFiles.Appender update = new HostileFiles.Appender(sealed);
        long image = update.allocate();
        byte[] rows = new byte[side / 8 + 16];
        java.util.Arrays.fill(rows, (byte) 0xFF);
        update.object(image, HostileFiles.Appender.stream("/Type /XObject /Subtype /Image /Width " + side
                + " /Height " + side + " /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode "
                + "/DecodeParms << /K -1 /Columns " + side + " /Rows " + side + " >>", rows));
        long content = update.allocate();
        update.object(content, HostileFiles.Appender.stream("", PdfCrafting.bytes("q 400 0 0 400 100 300 cm /Im1 Do Q")));
        try (PDDocument document = Loader.loadPDF(sealed)) {
            var page = document.getPage(0).getCOSObject();
            update.object(page.getKey().getNumber(), HostileFiles.Appender.text(HostileFiles.Cos.write(page, java.util.Map.of(
                    COSName.CONTENTS, content + " 0 R", COSName.RESOURCES, "<< /XObject << /Im1 " + image + " 0 R >> >>"))));
        }
        return update.commit().bytes();
    }

    /**
     * Adds to page 1 a stamp annotation (300 x 100 at 72, 650, over the page's text) whose appearance draws one
     * image XObject of 600 x 200 pixels with the given filter entries and data.
     */
    static Edit stampDrawing(String filterEntries, byte[] data) {
        return document -> {
            org.apache.pdfbox.cos.COSStream image = document.getDocument().createCOSStream();
            image.setName(COSName.TYPE, "XObject");
            image.setName(COSName.SUBTYPE, "Image");
            image.setInt(COSName.WIDTH, 600);
            image.setInt(COSName.HEIGHT, 200);
            image.setInt(COSName.BITS_PER_COMPONENT, 8);
            image.setItem(COSName.COLORSPACE, COSName.DEVICERGB);
            String[] entry = filterEntries.replace("/", "").split(" ");
            image.setName(COSName.getPDFName(entry[0]), entry[1]);
            try (var out = image.createRawOutputStream()) {
                out.write(data);
            }
            stampShowing(PdfCrafting.bytes("q 300 0 0 100 0 0 cm /Im1 Do Q"), image, 650).apply(document);
        };
    }

    /**
     * Adds to page 1 a stamp annotation (300 x 100 at 72, {@code y}; 650 lies over the page's text, 400 on blank
     * paper) whose appearance is {@code content}, with {@code image} (if any) as its XObject /Im1.
     */
    static Edit stampShowing(byte[] content, org.apache.pdfbox.cos.COSStream image, float y) {
        return document -> {
            var page = document.getPage(0);
            PDAppearanceStream stream = new PDAppearanceStream(document);
            stream.setBBox(new PDRectangle(300, 100));
            PDResources resources = new PDResources();
            if (image != null) {
                resources.getCOSObject().setItem(COSName.XOBJECT, new org.apache.pdfbox.cos.COSDictionary());
                resources.getCOSObject().getCOSDictionary(COSName.XOBJECT).setItem(COSName.getPDFName("Im1"), image);
            }
            stream.setResources(resources);
            try (var out = stream.getContentStream().createOutputStream()) {
                out.write(content);
            }
            var stamp = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp();
            stamp.setRectangle(new PDRectangle(72, y, 300, 100));
            stamp.setPrinted(true);
            PDAppearanceDictionary appearance = new PDAppearanceDictionary();
            appearance.setNormalAppearance(stream);
            stamp.setAppearance(appearance);
            stamp.setPage(page);
            page.getAnnotations().add(stamp);
            page.getCOSObject().setNeedToBeUpdated(true);
            if (page.getCOSObject().getCOSArray(COSName.ANNOTS) != null) {
                page.getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
            }
            document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
        };
    }

    /** {@code document} with {@code edit} appended as one incremental update. */
    static byte[] incremental(byte[] document, Edit edit) throws Exception {
        try (PDDocument loaded = Loader.loadPDF(document)) {
            edit.apply(loaded);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            loaded.saveIncremental(out);
            return out.toByteArray();
        }
    }

    VerificationReport verify(String name, byte[] pdf) throws Exception {
        return RedTeamTest.verified(verifier, name, pdf);
    }

}
