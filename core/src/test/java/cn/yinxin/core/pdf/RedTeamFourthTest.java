package cn.yinxin.core.pdf;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import cn.yinxin.core.pdf.verify.report.Verdict;

import static cn.yinxin.core.pdf.RedTeamTest.assertNotValid;
import static cn.yinxin.core.pdf.RedTeamFourth.incremental;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fourth hostile read (2026-12-07), after three red-team rounds. Each test is an attack on a genuinely sealed
 * document, as an attacker holding it and a text editor would make it; each asserts the verdict a clerk must get.
 */
class RedTeamFourthTest {

    private static RedTeamFourth fixture;

    @BeforeAll
    static void keys() throws Exception {
        fixture = new RedTeamFourth();
    }

    // ---- a value the signer saw, changed where viewers draw it themselves ---------------------------------------

    /** The form "amount" = 100 (appearance 100) under /NeedAppearances true, as many form generators write it. */
    static byte[] redrawnForm() throws Exception {
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            document.getDocumentCatalog().getAcroForm(null).setNeedAppearances(true);
            return TestMaterial.save(document);
        }
    }

    /**
     * After sealing only the field's /V is changed to 1,000,000; its stored appearance still reads 100. FormRule lets a
     * field that is not read-only take another value (FORM_FILLING; a value the signer saw is left to the pictures),
     * and the pictures draw the stored appearance (100 both times). Every viewer that honours /NeedAppearances
     * (Acrobat, pdf.js, poppler) draws the value itself: it showed 100 to the signer and shows 1,000,000 now.
     */
    @Test
    void aValueChangedWithoutItsAppearanceWhileViewersRedrawTheFields() throws Exception {
        byte[] sealed = fixture.sealed("redrawn", redrawnForm());
        byte[] forged = incremental(sealed, document -> {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            var field = form.getField("amount").getCOSObject();
            field.setItem(COSName.V, new COSString("1,000,000"));
            field.setNeedToBeUpdated(true);
        });

        assertNotValid(fixture.verify("redrawn-value-changed", forged));
    }

    /** The rule's other side: an empty field filled in under /NeedAppearances is form filling, as before. */
    @Test
    void anEmptyFieldMayStillBeFilledInWhileViewersRedrawTheFields() throws Exception {
        byte[] empty;
        try (PDDocument document = Loader.loadPDF(redrawnForm())) {
            document.getDocumentCatalog().getAcroForm(null).getField("amount").setValue("");
            empty = TestMaterial.save(document);
        }
        byte[] filled = PdfCrafting.fill(fixture.sealed("redrawn-empty", empty), "900");

        assertThat(fixture.verify("redrawn-empty-filled", filled).verdict()).isEqualTo(Verdict.VALID);
    }

    // ---- under DocMDP P=2, a fill that covers what the page printed under an empty field ----------------------

    /**
     * A certification with P=2 lets values be filled in and changed, and the pictures left each fillable field's whole
     * box out. An empty notes field lies over the printed "Amount: 100"; after certification it is "filled" with an
     * appearance that paints its box white and writes "Amount: 1,000,000" (FORM_FILLING, allowed by P=2): the printed
     * amount the certifier signed is covered, and every viewer shows 1,000,000.
     */
    @Test
    void aFillUnderCertificationCoveringWhatThePagePrintedUnderTheField() throws Exception {
        byte[] certified = fixture.certified("notes", RedTeamFourth.emptyFieldOverPrintedText(), 2);
        byte[] forged = incremental(certified, RedTeamFourth.fillOpaquely("remarks", "Amount: 1,000,000", 300, 40));

        assertNotValid(fixture.verify("notes-covering", forged));
    }

    // ---- a decode-time bomb: a CCITT fax image --------------------------------------------------------------

    /**
     * A page drawing a CCITT fax image declared 40,000 x 40,000 pixels, in a file of 20 KB: the raw scan stops decoding
     * before image filters and saw a few KB of coded rows, then PDFBox's fax decoder allocated the declared raster
     * whole (200 MB, 1.2 GB of heap at the peak) while the page was drawn for the pictures. Under the verifier's heap
     * that is an OutOfMemoryError on whichever thread allocates next. The declared raster counts as decoded bytes.
     */
    @Test
    void aFaxImageDeclaringAHugeRasterIsNotDecoded() throws Exception {
        byte[] bomb = RedTeamFourth.faxImagePage(fixture.sealed("fax", TestMaterial.onePagePdf(0)), 40_000);
        assertThat(bomb.length).isLessThan(30_000);

        var report = fixture.verify("fax-bomb", bomb);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("decodes to more than");
        // a fax page of a scanned A4 at 600 dpi (4,960 x 7,016) is drawn as any page: the change itself is judged
        assertThat(fixture.verify("fax-a4", RedTeamFourth.faxImagePage(fixture.sealed("fax-a4",
                TestMaterial.onePagePdf(0)), 4_960)).summary()).doesNotContain("decodes to more than");
    }

    // ---- an image PDFBox cannot draw: JPEG 2000, JBIG2 --------------------------------------------------------

    /**
     * Under DocMDP P=3 (comments allowed, judged by what they show) a stamp annotation is added over the certified
     * text whose appearance draws a JPEG 2000 image (an "APPROVED 1,000,000" picture, in Acrobat, pdf.js and poppler).
     * PDFBox has no JPEG 2000 (nor JBIG2) decoder here: it logs the missing reader and draws nothing, so the pictures
     * saw no change and the verdict was VALID. An image the pictures cannot draw now, that they could not draw when
     * signed either, is no proof: the pictures cannot tell.
     */
    @Test
    void aStampDrawingAnImageThePicturesCannotDecodeUnderCertificationP3() throws Exception {
        byte[] certified = fixture.certified("jpx", TestMaterial.onePagePdf(0), 3);
        byte[] forged = incremental(certified, RedTeamFourth.stampDrawing("/Filter /JPXDecode",
                PdfCrafting.bytes("\0\0\0\fjP  \r\n\u0087\n (a JPEG 2000 codestream)")));

        assertNotValid(fixture.verify("jpx-stamp", forged));
    }

    /**
     * Under P=3 a stamp on blank paper drawing an inline CCITT fax image (BI ... ID ... EI) declared 40,000 x 40,000
     * white pixels, a few KB in its appearance: the raw scan of streams sees no image dictionary there, and PDFBox
     * decoded the declared 200 MB raster whole while drawing the pictures, to find white on white (VALID). An image too
     * large to be decoded is not drawn, and the pictures cannot tell.
     */
    @Test
    void aStampDrawingAnInlineFaxImageOfAHugeRasterUnderCertificationP3() throws Exception {
        byte[] certified = fixture.certified("inline-fax", TestMaterial.onePagePdf(0), 3);
        byte[] rows = new byte[40_000 / 8 + 16];
        java.util.Arrays.fill(rows, (byte) 0xFF);
        byte[] appearance = PdfCrafting.concat(PdfCrafting.bytes("q 300 0 0 100 0 0 cm BI /W 40000 /H 40000 /BPC 1 "
                + "/CS /G /F /CCF /DP << /K -1 /Columns 40000 /Rows 40000 >> ID "), rows, PdfCrafting.bytes(" EI Q"));
        byte[] forged = incremental(certified, RedTeamFourth.stampShowing(appearance, null, 400));

        var report = fixture.verify("inline-fax", forged);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.signatures().getFirst().reasons()).anyMatch(r -> r.contains("cannot draw"));
    }
}
