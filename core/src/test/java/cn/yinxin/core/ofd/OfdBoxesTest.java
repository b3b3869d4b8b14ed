package cn.yinxin.core.ofd;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers in OFD XML: at most three decimals, no trailing zeros, never "-0". */
class OfdBoxesTest {

    @Test
    void numbersHaveAtMostThreeDecimalsAndNoTrailingZeros() {
        assertThat(OfdBoxes.number(12.5)).isEqualTo("12.5");
        assertThat(OfdBoxes.number(3)).isEqualTo("3");
        assertThat(OfdBoxes.number(0.001)).isEqualTo("0.001");
        assertThat(OfdBoxes.number(0.05)).isEqualTo("0.05");
        assertThat(OfdBoxes.number(210.00001)).isEqualTo("210");
        assertThat(OfdBoxes.number(-1.25)).isEqualTo("-1.25");
        assertThat(OfdBoxes.number(-0.0004)).isEqualTo("0");
        assertThat(OfdBoxes.number(0)).isEqualTo("0");
        assertThat(OfdBoxes.format(0, 1.5, 210, 297)).isEqualTo("0 1.5 210 297");
    }

    /** The same text as String.format("%.3f") with the zeros stripped, for any value not exactly between two. */
    @Test
    void agreesWithFormattingByTheBook() {
        Random random = new Random(20261206);
        for (int i = 0; i < 20_000; i++) {
            double v = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(7) - 2);
            double scaled = Math.abs(v) * 1000;
            if (Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6) {
                continue; // a tie: either rounding is right
            }
            String s = String.format(Locale.ROOT, "%.3f", v);
            s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
            s = s.equals("-0") ? "0" : s;
            assertThat(OfdBoxes.number(v)).as("%s", v).isEqualTo(s);
        }
    }
}
