package cn.yinxin.core.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** Line breaking shared by the licence PDF and OFD: at spaces, else between characters. */
class LineBreaksTest {

    @Test
    void breaksAtTheLastSpaceThatFitsElseBetweenCharacters() {
        // one unit per character
        assertThat(LineBreaks.wrap("food and drink", 9, c -> 1)).containsExactly("food and", "drink");
        assertThat(LineBreaks.wrap("餐饮服务食品销售", 5, c -> 1)).containsExactly("餐饮服务食", "品销售");
        assertThat(LineBreaks.wrap("abcdefghij", 4, c -> 1)).containsExactly("abcd", "efgh", "ij");
        assertThat(LineBreaks.wrap("short", 9, c -> 1)).containsExactly("short");
        assertThat(LineBreaks.wrap("", 9, c -> 1)).isEmpty();
    }

    @Test
    void theWidthCarriedIntoTheNextLineIsWhatIsLeftOnIt() {
        // W is three units wide, everything else one: after each break the line holds what was carried over
        assertThat(LineBreaks.wrap("WW a WWW", 7, c -> c == 'W' ? 3 : 1)).containsExactly("WW", "a", "WW", "W");
    }

    @Test
    void breaksWhereMeasuringTheWholeLineAfterEveryCharacterBroke() {
        // the running sum against the way it was done before (the line measured again after every character)
        Random random = new Random(19);
        IntToDoubleFunction advance = c -> c == 'W' ? 3 : c == '中' ? 2 : 1;
        ToDoubleFunction<String> whole = line -> line.codePoints().mapToDouble(advance).sum();
        for (int n = 0; n < 2_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(60); i > 0; i--) {
                text.append("a W中 ".charAt(random.nextInt(5)));
            }
            double max = 2 + random.nextInt(12);
            assertThat(LineBreaks.wrap(text.toString(), max, advance)).as(text + " in " + max)
                    .isEqualTo(measuredWhole(text.toString(), max, whole));
        }
    }

    /** The algorithm as it was: the whole line measured after every character. */
    private static List<String> measuredWhole(String text, double maxWidth, ToDoubleFunction<String> width) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int lastSpace = -1;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            current.appendCodePoint(codePoint);
            if (codePoint == ' ') {
                lastSpace = current.length() - 1;
            }
            if (width.applyAsDouble(current.toString()) > maxWidth) {
                int cut = lastSpace > 0 ? lastSpace : current.length() - Character.charCount(codePoint);
                lines.add(current.substring(0, cut));
                current.delete(0, lastSpace > 0 ? lastSpace + 1 : cut);
                lastSpace = current.indexOf(" ");
            }
            i += Character.charCount(codePoint);
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }
}
