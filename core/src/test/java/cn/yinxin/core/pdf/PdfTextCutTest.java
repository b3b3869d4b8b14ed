package cn.yinxin.core.pdf;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static cn.yinxin.core.pdf.PdfTextPages.page;
import static cn.yinxin.core.pdf.PdfTextPages.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link PdfText#forText}: fonts cut to the glyphs of the text told in advance draw the same page as the whole fonts
 * (pixel for pixel), carry the same text for a reader (PDFBox and poppler), stay embedded subsets (poppler's
 * pdffonts), are far smaller in the making, and refuse a character that was not told.
 */
class PdfTextCutTest {

    private static final Path FONT = PdfTextPages.FONT;
    private static final List<String> LINES = List.of("机动车驾驶证 Driving permit", "持证人 张三 Zhang San",
            "北京市东城区某路 12 号 fi fl ff", "有效期至 2032-12-31 (C1) — 电子证照");

    @Test
    void cutFontsDrawTheSamePageAndCarryTheSameText() throws Exception {
        byte[] whole = page(false, LINES);
        byte[] cut = page(true, LINES);
        assertThat(text(cut)).isEqualTo(text(whole)).contains("持证人 张三 Zhang San", "有效期至 2032-12-31");
        BufferedImage a = render(whole);
        BufferedImage b = render(cut);
        int differing = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                differing += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
            }
        }
        assertThat(differing).as("pixels that differ between the page drawn with whole fonts and with cut fonts")
                .isZero();
    }

    @Test
    void popplerReadsTheTextAndSeesEmbeddedSubsets() throws Exception {
        assumeTrue(run(List.of("pdffonts", "-v")) != null, "poppler-utils not installed");
        Path file = Files.createTempFile("cut", ".pdf");
        try {
            Files.write(file, page(true, LINES));
            String fonts = run(List.of("pdffonts", file.toString()));
            List<String> rows = fonts.lines().filter(l -> l.contains("CID TrueType")).toList();
            assertThat(rows).as(fonts).hasSize(2);
            // columns: name type encoding emb sub uni object ID
            assertThat(rows).allSatisfy(row -> assertThat(row).matches("[A-Z]{6}\\+\\S+ +CID TrueType +Identity-H +yes +yes +yes .*"));
            String text = run(List.of("pdftotext", "-enc", "UTF-8", file.toString(), "-"));
            assertThat(text).contains("持证人 张三 Zhang San", "北京市东城区某路 12 号");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * A character beyond U+FFFF that the CJK font has (DroidSansFallbackFull maps U+10400 and a few others in its
     * format 12 cmap; 𠮷 with a font that covers Extension B): the subsetter writes a BMP cmap only and threw, a 500
     * for the document (found by the night's review); such a text gets the whole fonts and keeps the character.
     */
    @Test
    void aCharacterBeyondTheBmpTheFontHasIsKept() throws Exception {
        List<String> name = List.of("张\uD801\uDC00三");   // 张𐐀三
        assertThat(text(page(false, name))).as("the whole fonts").contains(name.get(0));
        assertThat(text(page(true, name))).as("the fonts cut to the text").contains(name.get(0));
    }

    @Test
    void aCharacterNotToldIsRefusedNotDrawnAsSomethingElse() throws Exception {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PdfText text = PdfText.forText(document, FONT, LINES);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                assertThatThrownBy(() -> text.show(content, "持证人 李四", 12, 50, 700))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+674E");
                assertThatThrownBy(() -> text.width("Q", 12)).isInstanceOf(IllegalArgumentException.class);
                text.show(content, "张三", 12, 50, 700);   // any part of a told text
            }
        }
    }

    private static BufferedImage render(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFRenderer(document).renderImageWithDPI(0, 100);
        }
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output;
        } catch (Exception e) {
            return null;
        }
    }
}
