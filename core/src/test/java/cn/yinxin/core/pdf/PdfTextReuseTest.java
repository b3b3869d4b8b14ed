package cn.yinxin.core.pdf;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static cn.yinxin.core.pdf.PdfTextPages.page;
import static cn.yinxin.core.pdf.PdfTextPages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents one after another reuse the parsed fonts (the CJK font is parsed once, not per licence), and each
 * document still carries its own text in its own font subsets, also after the document before it was closed.
 */
class PdfTextReuseTest {

    private static final Path FONT = PdfTextPages.FONT;

    @Test
    void aClosedPdfTextHandsItsParsedFontsToTheNextDocumentWhoseTextIsItsOwn() throws Exception {
        byte[] first = page(false, List.of("持证人甲 Alice 北京市东城区"));
        int idle = PdfText.idle(FONT);
        assertThat(idle).as("the fonts are given back after the save").isGreaterThanOrEqualTo(1);

        byte[] second = page(false, List.of("驾驶证乙 Bob 上海市浦东新区"));
        assertThat(PdfText.idle(FONT)).as("the second document took the fonts and gave them back").isEqualTo(idle);

        assertThat(text(first)).contains("持证人甲 Alice 北京市东城区").doesNotContain("Bob");
        assertThat(text(second)).contains("驾驶证乙 Bob 上海市浦东新区").doesNotContain("Alice");
    }
}
