package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second read of 2026-12-08's loosened rules: a document sealed by our sealer, one incremental edit, the verdict.
 */
class SecondReadTest {

    private static RedTeamFourth fixture;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = new RedTeamFourth();
    }

    /**
     * A font with a program (a Type 3 font whose one glyph writes "Amount: 1,000,000") added to the form's default
     * fonts under /T3, a name that a signed form XObject does use, though its own /Resources have no /Font: PDFBox
     * (the pictures) and pdf.js then draw a substitute font, in which the code 1 shows nothing, and poppler looks the
     * name up in the resources of what draws the XObject (here the page, whose fonts are the form's default fonts,
     * the same object), which lacked it when sealed (nothing drawn) and have it now: poppler shows
     * "Amount: 1,000,000" where nothing was (pdftoppm, seen). VALID before: {@code SignedDrawing} read only streams
     * whose fonts are the defaults or that have no /Resources at all.
     */
    @Test
    void aDefaultFontNamedByAnXObjectWithoutFontsOfItsOwnIsNotValid() throws Exception {
        byte[] sealed = fixture.sealed("read13-t3-sealed", pageDrawingThroughFontlessXObject());
        byte[] attack = RedTeamFourth.incremental(sealed, document -> {
            COSDictionary fonts = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM)
                    .getCOSDictionary(COSName.DR).getCOSDictionary(COSName.FONT);
            fonts.setItem(COSName.getPDFName("T3"), type3WritingTheAmount());
            fonts.setNeedToBeUpdated(true);
        });
        VerificationReport report = fixture.verify("read13-t3", attack);

        assertThat(report.verdict()).as(report.toString()).isNotEqualTo(Verdict.VALID);
    }

    /**
     * The same added font, named by the glyph of a signed Type 3 font the page writes with (its /Resources have no
     * /Font): PDFBox draws that glyph's text with a substitute font, poppler with the font the page's fonts (the
     * defaults) have under that name.
     */
    @Test
    void aDefaultFontNamedByASignedType3GlyphIsNotValid() throws Exception {
        byte[] sealed = fixture.sealed("read13-t3glyph-sealed", pageWritingWithType3Naming());
        byte[] attack = RedTeamFourth.incremental(sealed, document -> {
            COSDictionary fonts = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM)
                    .getCOSDictionary(COSName.DR).getCOSDictionary(COSName.FONT);
            fonts.setItem(COSName.getPDFName("T3"), type3WritingTheAmount());
            fonts.setNeedToBeUpdated(true);
        });
        VerificationReport report = fixture.verify("read13-t3glyph", attack);

        assertThat(report.verdict()).as(report.toString()).isNotEqualTo(Verdict.VALID);
    }

    /**
     * Under DocMDP P=3 a stamp writing ",000,000" just after the certified "Amount: 100", and over it a second stamp,
     * a white box, flagged /F 2.0: a number with a fraction part written, whose value is whole. pdf.js reads it as 2,
     * Hidden, and shows "Amount: 100,000,000"; the pictures drew it as no whole number (as pdf.js draws -2 or 6.5), so
     * the white box covered the first stamp and nothing changed on them.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"2.0", "4294967298", "-2"})
    void aWhiteBoxFlaggedTwoPointZeroOverAStampIsNotValid(String flags) throws Exception {
        byte[] certified = fixture.certified("read13-p3-amount", RedTeamTwelfth.amount(), 3);
        float end = RedTeamTwelfth.amountEnd();
        byte[] attack = RedTeamFourth.incremental(certified, document -> {
            stamp(document, end, "0 g BT /Helvetica 12 Tf 0 5 Td (,000,000) Tj ET", null);
            stamp(document, end, "1 1 1 rg 0 0 80 20 re f", flags.contains(".") ? new COSFloat(flags)
                    : COSInteger.get(Long.parseLong(flags)));
        });
        VerificationReport report = fixture.verify("read13-p3-flags" + flags, attack);

        assertThat(report.verdict()).as(report.toString()).isNotEqualTo(Verdict.VALID);
        assertThat(report.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
            assertThat(change.allowed()).isFalse();
            assertThat(change.description()).contains("no whole number of 32 bits");
            assertThat(cn.yinxin.core.text.Messages.localise(change.description(), cn.yinxin.core.text.Language.ZH))
                    .contains("32 位以内的整数");
        });
    }

    /**
     * After an approval seal two empty signature fields (anyone may add one): one writing ",000,000" just after the
     * sealed "Amount: 100", the other a white box over it flagged {@code flags} (pdf.js or poppler would hide the box).
     * Held on main already: an empty signature field whose appearance can cover the page is refused after a seal,
     * whatever its flags.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"2.0", "4294967298", "-2"})
    void aWhiteSignatureFieldFlaggedOtherwiseOverAnotherWasAlreadyRefused(String flags) throws Exception {
        byte[] sealed = fixture.sealed("read13-sig-amount", RedTeamTwelfth.amount());
        float end = RedTeamTwelfth.amountEnd();
        byte[] attack = RedTeamFourth.incremental(sealed, document -> {
            stamp(document, end, "0 g BT /Helvetica 12 Tf 0 5 Td (,000,000) Tj ET", null);
            stamp(document, end, "1 1 1 rg 0 0 80 20 re f", flags.contains(".") ? new COSFloat(flags)
                    : COSInteger.get(Long.parseLong(flags)));
            COSArray annots = document.getPage(0).getCOSObject().getCOSArray(COSName.ANNOTS);
            COSDictionary form = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM);
            for (int i = annots.size() - 2; i < annots.size(); i++) {
                COSDictionary widget = (COSDictionary) annots.getObject(i);
                widget.setItem(COSName.SUBTYPE, COSName.WIDGET);
                widget.setItem(COSName.FT, COSName.SIG);
                widget.setString(COSName.T, "Reviewer" + i);
                form.getCOSArray(COSName.FIELDS).add(widget);
            }
            form.setNeedToBeUpdated(true);
            form.getCOSArray(COSName.FIELDS).setNeedToBeUpdated(true);
        });
        VerificationReport report = fixture.verify("read13-sig-flags" + flags, attack);

        assertThat(report.verdict()).as(report.toString()).isNotEqualTo(Verdict.VALID);
    }

    private static void stamp(PDDocument document, float x, String ink, org.apache.pdfbox.cos.COSNumber flags) throws IOException {
        var page = document.getPage(0);
        var stream = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(document);
        stream.setBBox(new PDRectangle(80, 20));
        var resources = new org.apache.pdfbox.pdmodel.PDResources();
        resources.put(COSName.getPDFName("Helvetica"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
        stream.setResources(resources);
        try (OutputStream out = stream.getContentStream().createOutputStream()) {
            out.write(ink.getBytes(StandardCharsets.US_ASCII));
        }
        var stamp = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp();
        stamp.setRectangle(new PDRectangle(x, 700, 80, 20));
        stamp.setPrinted(true);
        var appearance = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
        appearance.setNormalAppearance(stream);
        stamp.setAppearance(appearance);
        stamp.setPage(page);
        if (flags != null) {
            stamp.getCOSObject().setItem(COSName.F, flags);
        }
        page.getAnnotations().add(stamp);
        page.getCOSObject().setNeedToBeUpdated(true);
        if (page.getCOSObject().getCOSArray(COSName.ANNOTS) != null) {
            page.getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
        }
        document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
    }

    /** One page whose fonts are the defaults, writing the code 1 in a Type 3 font /Q whose glyph writes it in /T3. */
    static byte[] pageWritingWithType3Naming() throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            COSDictionary fonts = new COSDictionary();
            fonts.setItem(COSName.getPDFName("Helv"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            COSDictionary q = type3Writing("600 0 d0 BT /T3 1000 Tf 0 0 Td <01> Tj ET");
            COSDictionary procSet = new COSDictionary();
            procSet.setItem(COSName.PROC_SET, array(COSName.getPDFName("PDF"), COSName.getPDFName("Text")));
            q.setItem(COSName.RESOURCES, procSet);
            fonts.setItem(COSName.getPDFName("Q"), q);
            COSObject shared = new COSObject(fonts);
            COSDictionary resources = new COSDictionary();
            resources.setItem(COSName.FONT, shared);
            page.getCOSObject().setItem(COSName.RESOURCES, resources);
            COSStream content = document.getDocument().createCOSStream();
            write(content, "BT /Helv 12 Tf 72 705 Td (Amount: 100) Tj ET BT /Q 12 Tf 72 680 Td <01> Tj ET");
            page.getCOSObject().setItem(COSName.CONTENTS, content);
            PDAcroForm form = new PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            COSDictionary defaults = new COSDictionary();
            defaults.setItem(COSName.FONT, shared);
            form.getCOSObject().setItem(COSName.DR, defaults);
            form.getCOSObject().setString(COSName.DA, "/Helv 0 Tf 0 g");
            return TestMaterial.save(document);
        }
    }

    /**
     * One page whose fonts are the form's default fonts (one object, holding Helvetica as /Helv), drawing a form
     * XObject whose /Resources have no /Font and which shows the code 1 in the font /T3, which nothing defines.
     */
    static byte[] pageDrawingThroughFontlessXObject() throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            COSDictionary fonts = new COSDictionary();
            fonts.setItem(COSName.getPDFName("Helv"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            COSObject shared = new COSObject(fonts);
            COSStream xobject = document.getDocument().createCOSStream();
            xobject.setItem(COSName.TYPE, COSName.XOBJECT);
            xobject.setItem(COSName.SUBTYPE, COSName.FORM);
            xobject.setItem(COSName.BBOX, new PDRectangle(0, 0, 595, 842).getCOSArray());
            COSDictionary ownResources = new COSDictionary();
            ownResources.setItem(COSName.PROC_SET, array(COSName.getPDFName("PDF"), COSName.getPDFName("Text")));
            xobject.setItem(COSName.RESOURCES, ownResources);
            write(xobject, "BT /T3 12 Tf 72 680 Td <01> Tj ET");
            COSDictionary xobjects = new COSDictionary();
            xobjects.setItem(COSName.getPDFName("Fm0"), xobject);
            COSDictionary resources = new COSDictionary();
            resources.setItem(COSName.FONT, shared);
            resources.setItem(COSName.XOBJECT, xobjects);
            page.getCOSObject().setItem(COSName.RESOURCES, resources);
            COSStream content = document.getDocument().createCOSStream();
            write(content, "BT /Helv 12 Tf 72 705 Td (Amount: 100) Tj ET q /Fm0 Do Q");
            page.getCOSObject().setItem(COSName.CONTENTS, content);
            PDAcroForm form = new PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            COSDictionary defaults = new COSDictionary();
            defaults.setItem(COSName.FONT, shared);
            form.getCOSObject().setItem(COSName.DR, defaults);
            form.getCOSObject().setString(COSName.DA, "/Helv 0 Tf 0 g");
            return TestMaterial.save(document);
        }
    }

    /** A Type 3 font whose glyph for the code 1 writes "Amount: 1,000,000" in Helvetica, 12 points a glyph em. */
    static COSDictionary type3WritingTheAmount() throws IOException {
        COSDictionary font = type3Writing("600 0 d0 BT /H 1000 Tf 0 0 Td (Amount: 1,000,000) Tj ET");
        COSDictionary helvetica = new COSDictionary();
        helvetica.setItem(COSName.H, new PDType1Font(Standard14Fonts.FontName.HELVETICA).getCOSObject());
        COSDictionary resources = new COSDictionary();
        resources.setItem(COSName.FONT, helvetica);
        font.setItem(COSName.RESOURCES, resources);
        return font;
    }

    /** A Type 3 font whose one glyph, for the code 1, is drawn by {@code glyph}. */
    static COSDictionary type3Writing(String glyph) throws IOException {
        COSDictionary font = new COSDictionary();
        font.setItem(COSName.TYPE, COSName.FONT);
        font.setItem(COSName.SUBTYPE, COSName.getPDFName("Type3"));
        font.setItem(COSName.FONT_BBOX, array(COSInteger.ZERO, COSInteger.ZERO, COSInteger.get(10000),
                COSInteger.get(1000)));
        font.setItem(COSName.FONT_MATRIX, array(new COSFloat(0.001f), COSInteger.ZERO, COSInteger.ZERO,
                new COSFloat(0.001f), COSInteger.ZERO, COSInteger.ZERO));
        COSStream proc = new COSStream();
        write(proc, glyph);
        COSDictionary procs = new COSDictionary();
        procs.setItem(COSName.getPDFName("g1"), proc);
        font.setItem(COSName.CHAR_PROCS, procs);
        COSDictionary encoding = new COSDictionary();
        encoding.setItem(COSName.TYPE, COSName.ENCODING);
        encoding.setItem(COSName.DIFFERENCES, array(COSInteger.ONE, COSName.getPDFName("g1")));
        font.setItem(COSName.ENCODING, encoding);
        font.setInt(COSName.FIRST_CHAR, 1);
        font.setInt(COSName.LAST_CHAR, 1);
        font.setItem(COSName.WIDTHS, array(COSInteger.get(600)));
        return font;
    }

    private static COSArray array(org.apache.pdfbox.cos.COSBase... items) {
        COSArray array = new COSArray();
        for (org.apache.pdfbox.cos.COSBase item : items) {
            array.add(item);
        }
        return array;
    }

    private static void write(COSStream stream, String content) throws IOException {
        try (OutputStream out = stream.createOutputStream()) {
            out.write(content.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
