package cn.yinxin.licence.holder;

import cn.yinxin.core.pdf.PdfText;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of 98f7fa4: the holder's purpose is free text (Sharing.grant checks only its length and that it states no
 * period), and a 加注件 is drawn with fonts cut to it. A supplementary character the CJK font has (U+10400 in
 * DroidSansFallbackFull; any CJK Extension B character with a font that covers it) made TTFSubsetter throw
 * UnsupportedOperationException("non-BMP Unicode character"), which no one turns into a refusal: every request for
 * that copy is a 500. Drawn with the whole fonts (d4b01fd) the copy was made and carried the character.
 */
class AnnotatedCopySupplementaryTest {

    @Test
    void aPurposeWithASupplementaryCharacterStillMakesTheCopy() throws Exception {
        String text = "仅供\uD801\uDC00审核使用，福州市某某银行，有效期至2027-01-01";
        byte[] copy = AnnotatedCopy.make(onePage(), text, "加注件", PdfText.defaultCjkFont());
        try (PDDocument document = Loader.loadPDF(copy)) {
            assertThat(new PDFTextStripper().getText(document).replaceAll("\\s", "")).contains("\uD801\uDC00审核");
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
