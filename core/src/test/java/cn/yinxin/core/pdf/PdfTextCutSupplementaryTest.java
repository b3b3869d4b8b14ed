package cn.yinxin.core.pdf;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of 98f7fa4: a character outside the BMP that the CJK font has (DroidSansFallbackFull maps U+10400 and a few
 * other supplementary characters in its format 12 cmap) is drawn by the whole font, but the cut font's cmap, written
 * by TTFSubsetter as one format 4 (BMP) subtable, loses it: the declared text is drawn as "?".
 */
class PdfTextCutSupplementaryTest {

    private static final Path FONT = PdfText.defaultCjkFont();
    private static final String NAME = "张\uD801\uDC00三";   // 张𐐀三

    @Test
    void aSupplementaryCharacterTheFontHasIsDrawnByTheCutFontToo() throws Exception {
        assertThat(text(document(false))).as("the whole fonts").contains(NAME);
        assertThat(text(document(true))).as("the cut fonts").contains(NAME);
    }

    private static byte[] document(boolean cut) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PdfText text = cut ? PdfText.forText(document, FONT, List.of(NAME)) : PdfText.load(document, FONT);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                text.show(content, NAME, 14, 50, 700);
            }
            document.save(out);
            text.close();
        }
        return out.toByteArray();
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
