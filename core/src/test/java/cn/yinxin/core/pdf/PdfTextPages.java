package cn.yinxin.core.pdf;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * One-page documents written with {@link PdfText} as the licence service writes them (drawn, saved, then the
 * PdfText closed), with the whole fonts ({@link PdfText#load}) or the fonts cut to the lines ({@link
 * PdfText#forText}); and the text a reader extracts from them. Shared by the PdfText tests.
 */
final class PdfTextPages {

    static final java.nio.file.Path FONT = PdfText.defaultCjkFont();

    private PdfTextPages() {
    }

    /** {@code lines} one under the other at 14 pt. */
    static byte[] page(boolean cut, List<String> lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PdfText text = cut ? PdfText.forText(document, FONT, lines) : PdfText.load(document, FONT);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                float y = 700;
                for (String line : lines) {
                    text.show(content, line, 14, 50, y);
                    y -= 24;
                }
            }
            document.save(out);
            text.close();
        }
        return out.toByteArray();
    }

    static String text(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
