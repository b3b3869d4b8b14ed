package cn.yinxin.core.qr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Base45Test {

    /** The examples of RFC 9285 sections 4.3 and 4.4. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "AB|BB8",
        "Hello!!|%69 VD92EX0",
        "base-45|UJCLQE7W581",
        "ietf!|QED8WEX0",
    })
    void rfc9285Examples(String text, String base45) {
        assertThat(Base45.encode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(base45);
        assertThat(new String(Base45.decode(base45), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void everyLengthAndByteValueRoundTrips() {
        Random random = new Random(45);
        for (int length = 0; length < 200; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            String text = Base45.encode(data);
            assertThat(text).hasSize(length / 2 * 3 + length % 2 * 2);
            assertThat(Base45.decode(text)).isEqualTo(data);
        }
        assertThat(Base45.decode(Base45.encode(new byte[] {(byte) 0xff, (byte) 0xff}))).containsExactly(0xff, 0xff);
    }

    /** RFC 9285 section 6: values that do not fit, odd lengths and foreign characters are errors. */
    @ParameterizedTest
    @ValueSource(strings = {"GGW", "A", "ABCD", "bb8", "BB8=", "Z:Z"})
    void invalidInputIsRefused(String text) {
        assertThatThrownBy(() -> Base45.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
