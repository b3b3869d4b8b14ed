package cn.yinxin.core.pdf.verify;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The signature value read from the gap between the ranges: what HexFormat reads, without a String of the gap. */
class ByteRangesTest {

    @Test
    void theGapDecodesAsHexFormatDecodesIt() {
        Random random = new Random(17);
        for (int n = 0; n < 2_000; n++) {
            byte[] value = new byte[random.nextInt(300)];
            random.nextBytes(value);
            String hex = HexFormat.of().formatHex(value);
            hex = random.nextBoolean() ? hex : hex.toUpperCase();
            byte[] pdf = ("%PDF-1.7 /Contents <" + hex + "> rest").getBytes(StandardCharsets.US_ASCII);
            int open = "%PDF-1.7 /Contents ".length();
            long[] range = {0, open, open + hex.length() + 2, pdf.length - open - hex.length() - 2};
            assertThat(ByteRanges.signatureValueInGap(pdf, range)).isEqualTo(value);
        }
    }

    @Test
    void anOddGapIsNoValueAndAByteThatIsNoDigitIsRefused() {
        byte[] odd = "<abc>".getBytes(StandardCharsets.US_ASCII);
        assertThat(ByteRanges.signatureValueInGap(odd, new long[]{0, 0, 5, 0})).isNull();
        for (String gap : new String[]{"<0g>", "<g0>", "<0 >", "<\u00e90>"}) {
            byte[] pdf = gap.getBytes(StandardCharsets.ISO_8859_1);
            assertThatThrownBy(() -> ByteRanges.signatureValueInGap(pdf, new long[]{0, 0, pdf.length, 0}))
                    .as(gap).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HexFormat.of().parseHex(gap.substring(1, 3))).as(gap)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
