package cn.yinxin.core.licence;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** GB 11643: the check character, and a birth date no later than today, today from the clock given. */
class ResidentIdTest {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

    /** An identifier born on {@code yyyymmdd} with its check character. */
    private static String bornOn(String yyyymmdd) {
        String first = "110105" + yyyymmdd + "123";
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first.charAt(i) - '0') * WEIGHTS[i];
        }
        return first + "10X98765432".charAt(sum % 11);
    }

    private static Clock on(String day) {
        return Clock.fixed(Instant.parse(day + "T12:00:00Z"), ZoneOffset.UTC);
    }

    @Test
    void someoneBornTomorrowHasNoValidIdentifierYet() {
        String id = bornOn("20301207");
        assertThat(ResidentId.isValid(id, on("2030-12-06"))).isFalse();
        assertThat(ResidentId.isValid(id, on("2030-12-07"))).isTrue();
    }

    @Test
    void aWrongCheckCharacterIsRefusedWhateverTheDay() {
        String id = bornOn("19800101");
        char wrong = id.charAt(17) == '1' ? '2' : '1';
        assertThat(ResidentId.isValid(id, on("2030-12-06"))).isTrue();
        assertThat(ResidentId.isValid(id.substring(0, 17) + wrong, on("2030-12-06"))).isFalse();
    }
}
