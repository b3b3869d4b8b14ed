package cn.yinxin.core.pdf.verify.longterm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The freshness window is a setting of the verifier and the command line, with a safe default. */
class RevocationFreshnessSettingsTest {

    @Test
    void theWindowIsReadFromItsSettingWithOneMinuteByDefault() {
        assertThat(RevocationFreshness.fromSettings(Map.<String, String>of()::get)).isEqualTo(RevocationFreshness.DEFAULT);
        assertThat(RevocationFreshness.fromSettings(Map.of("YINXIN_VERIFY_REVOCATION_FRESHNESS_SECONDS", "600")::get)
                .window()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> RevocationFreshness.fromSettings(
                Map.of("YINXIN_VERIFY_REVOCATION_FRESHNESS_SECONDS", "ten")::get))
                .hasMessageContaining("YINXIN_VERIFY_REVOCATION_FRESHNESS_SECONDS");
        assertThatThrownBy(() -> RevocationFreshness.fromSettings(
                Map.of("YINXIN_VERIFY_REVOCATION_FRESHNESS_SECONDS", "-1")::get))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
