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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents one after another reuse the parsed fonts (the CJK font is parsed once, not per licence), and each
 * document still carries its own text in its own font subsets, also after the document before it was closed.
 */
class PdfTextReuseTest {

    private static final Path FONT = PdfText.defaultCjkFont();

    @Test
    void aClosedPdfTextHandsItsParsedFontsToTheNextDocumentWhoseTextIsItsOwn() throws Exception {
        byte[] first = document("持证人甲 Alice 北京市东城区");
        int idle = PdfText.idle(FONT);
        assertThat(idle).as("the fonts are given back after the save").isGreaterThanOrEqualTo(1);

        byte[] second = document("驾驶证乙 Bob 上海市浦东新区");
        assertThat(PdfText.idle(FONT)).as("the second document took the fonts and gave them back").isEqualTo(idle);

        assertThat(text(first)).contains("持证人甲 Alice 北京市东城区").doesNotContain("Bob");
        assertThat(text(second)).contains("驾驶证乙 Bob 上海市浦东新区").doesNotContain("Alice");
    }

    /** A one-page document with {@code line}, saved, then its PdfText closed and the document closed (LicencePdf's order). */
    private static byte[] document(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PdfText text = PdfText.load(document, FONT);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                text.show(content, line, 12, 50, 700);
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
