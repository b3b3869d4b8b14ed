package cn.yinxin.core.ofd;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A character beyond U+FFFF (𐐀 here, which the CJK font has; 𠮷 in a name, with a font that covers it) in an OFD's
 * text: the font subsetter writes a BMP cmap only and threw, so the whole OFD (a licence, a 加注件) failed with a 500.
 * It is drawn as "?", like a character no font has, and the rest of the text is intact (found by the review of the
 * night's font work; the PDF keeps such characters, PdfTextCutTest.aCharacterBeyondTheBmpTheFontHasIsKept).
 */
class OfdSupplementaryTextTest {

    @Test
    void aCharacterBeyondTheBmpIsDrawnAsAQuestionMarkNotAFailedOfd() {
        OfdWriter writer = new OfdWriter().title("加注件").created(LocalDate.of(2026, 12, 7));
        writer.page(210, 297).text(20, 30, 5, "仅供𐐀使用 Zhang San");
        OfdPackage pack = writer.toPackage();
        String content = new String(pack.get("Doc_0/Pages/Page_0/Content.xml"), StandardCharsets.UTF_8);
        assertThat(content).contains("Zhang San").contains("仅供").doesNotContain("𐐀").contains("?");
    }
}
