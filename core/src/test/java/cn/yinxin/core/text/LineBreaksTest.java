package cn.yinxin.core.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Line breaking shared by the licence PDF and OFD: at spaces, else between characters. */
class LineBreaksTest {

    @Test
    void breaksAtTheLastSpaceThatFitsElseBetweenCharacters() {
        // one unit per character
        assertThat(LineBreaks.wrap("food and drink", 9, String::length)).containsExactly("food and", "drink");
        assertThat(LineBreaks.wrap("餐饮服务食品销售", 5, String::length)).containsExactly("餐饮服务食", "品销售");
        assertThat(LineBreaks.wrap("abcdefghij", 4, String::length)).containsExactly("abcd", "efgh", "ij");
        assertThat(LineBreaks.wrap("short", 9, String::length)).containsExactly("short");
        assertThat(LineBreaks.wrap("", 9, String::length)).isEmpty();
    }
}
