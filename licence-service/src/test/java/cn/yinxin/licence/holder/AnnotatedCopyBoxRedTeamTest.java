package cn.yinxin.licence.holder;

import cn.yinxin.core.pdf.PdfText;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripperByArea;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red team (issue 20, 加注件): the box text "仅供<purpose>使用，<office>，有效期至<date>" is what limits a copy; the purpose is
 * the holder's consent text (up to 200 characters) and is drawn first. The box holds four lines at 11 pt and the
 * lines are drawn on downwards whatever their number, so a long purpose pushes the office and the date out of the
 * box, under it and off the page: the sealed copy then shows no office and no end date. The OFD copy
 * (AnnotatedOfdCopy) draws the same lines the same way.
 */
class AnnotatedCopyBoxRedTeamTest {

    @Disabled("HOLE: a long purpose (consent text, up to 200 characters) pushes the 加注件's office and 有效期至 date "
            + "out of the box and off the page, in AnnotatedCopy and AnnotatedOfdCopy (lines drawn on at 11 pt whatever "
            + "their number); fix: fit the text to the box (smaller size) or refuse a purpose that does not fit")
    @Test
    void theOfficeAndTheEndDateStayInTheBoxWhateverThePurposesLength() throws Exception {
        String purpose = "办理".repeat(100); // 200 characters, the most a consent's purpose may have
        String text = "仅供" + purpose + "使用，福州市某某银行，有效期至2027-01-01";
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
