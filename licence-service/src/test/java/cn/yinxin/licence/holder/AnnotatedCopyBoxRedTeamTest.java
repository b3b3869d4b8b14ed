package cn.yinxin.licence.holder;

import cn.yinxin.core.pdf.PdfText;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.PDFTextStripperByArea;
import org.junit.jupiter.api.Test;

import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red team (issue 20, 加注件): the box text "仅供<purpose>使用，<office>，有效期至<date>" is what limits a copy; the purpose is
 * the holder's consent text (up to 200 characters) and is drawn first. The box holds four lines at 11 pt and the
 * lines are drawn on downwards whatever their number, so a long purpose pushes the office and the date out of the
 * box, under it and off the page: the sealed copy then showed no office and no end date (found by the red team,
 * fixed: {@link AnnotationFit} makes the text smaller until it fits, for the PDF and the OFD copy alike).
 */
class AnnotatedCopyBoxRedTeamTest {

    @Test
    void theOfficeAndTheEndDateStayInTheBoxWhateverThePurposesLength() throws Exception {
        // 200 characters, the most a consent's purpose may have; and a short one, drawn at 11 pt as before
        for (String purpose : new String[] {"办理".repeat(100), "办理开户"}) {
            inTheBox("仅供" + purpose + "使用，福州市某某银行，有效期至2027-01-01");
        }
        assertThat(AnnotationFit.fit("仅供办理开户使用，福州市某某银行，有效期至2027-01-01", AnnotatedCopy.BOX_W,
                AnnotatedCopy.BOX_H, (size, width) -> java.util.List.of("one line")).size()).isEqualTo(11);
    }

    /**
     * The purpose and the office are the holder's words, printed and sealed before the service's own end date: a
     * purpose "开户，有效期至2099-12-31" printed a second, later end date on the copy (and the verifier read the first
     * one until the red team fixed it there too). A consent whose purpose or office states a period is refused, before
     * anything is stored.
     */
    @Test
    void aConsentWhoseWordsStateAPeriodOfUseIsRefused() {
        Sharing sharing = new Sharing(null, null, null, null, null, null, new cn.yinxin.licence.LicenceProperties(null,
                null, "http://localhost", null, java.nio.file.Path.of("no-font.ttf"), false, null, null),
                java.time.Clock.systemUTC());
        assertThat(cn.yinxin.core.licence.Uscc.isValid("91350100M000100Y43")).isTrue();
        for (String[] words : new String[][] {{"某银行", "开户，有效期至2099-12-31", "PURPOSE_INVALID"},
                {"某银行，有效期至2099-12-31", "开户", "INVALID_REQUEST"}}) {
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                    () -> sharing.grant(null, words[0], "91350100M000100Y43", words[1], java.util.List.of(), 30));
            assertThat(refused).as(String.join(" / ", words)).isInstanceOf(cn.yinxin.core.RejectedException.class);
            assertThat(((cn.yinxin.core.RejectedException) refused).problem().name()).isEqualTo(words[2]);
        }
    }

    /**
     * The holder's purpose is free text: a character beyond U+FFFF in it (U+10400, which the CJK font has) made the
     * copy a 500 when its fonts were cut to the annotation (found by the night's review); the copy is made and
     * carries it.
     */
    @Test
    void aPurposeWithACharacterBeyondTheBmpStillMakesTheCopy() throws Exception {
        String text = "仅供\uD801\uDC00审核使用，福州市某某银行，有效期至2027-01-01";
        byte[] copy = AnnotatedCopy.make(onePage(), text, "加注件", PdfText.defaultCjkFont());
        try (PDDocument document = Loader.loadPDF(copy)) {
            assertThat(new PDFTextStripper().getText(document).replaceAll("\\s", ""))
                    .contains("\uD801\uDC00审核");
        }
    }

    private static void inTheBox(String text) throws Exception {
        byte[] copy = AnnotatedCopy.make(onePage(), text, "加注件", PdfText.defaultCjkFont());
        try (PDDocument document = Loader.loadPDF(copy)) {
            PDFTextStripperByArea stripper = new PDFTextStripperByArea();
            float height = document.getPage(0).getMediaBox().getHeight();
            // the box, in the stripper's coordinates (from the top left), with a point of slack
            stripper.addRegion("box", new Rectangle2D.Float(AnnotatedCopy.BOX_X - 1,
                    height - AnnotatedCopy.BOX_Y - AnnotatedCopy.BOX_H - 1, AnnotatedCopy.BOX_W + 2,
                    AnnotatedCopy.BOX_H + 2));
            stripper.extractRegions(document.getPage(0));
            String inBox = stripper.getTextForRegion("box").replaceAll("\\s", "");
            assertThat(inBox).contains("福州市某某银行").contains("有效期至2027-01-01");
        }
    }

    private static byte[] onePage() throws Exception {
        try (PDDocument licence = new PDDocument()) {
            licence.addPage(new PDPage(PDRectangle.A4));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            licence.save(out);
            return out.toByteArray();
        }
    }
}
