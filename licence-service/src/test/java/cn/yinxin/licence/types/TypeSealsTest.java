package cn.yinxin.licence.types;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.licence.sealing.InMemorySealService;
import cn.yinxin.licence.sealing.SealService;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seals a licence type may name, against the seal service in memory (no seal-service process, no database, no
 * Spring: a fast test). The rule that matters: both files of a licence are sealed by the agency whose name and code
 * the licence prints, so an OFD seal of another agency, or one without a GB/T 38540 seal, is refused.
 */
class TypeSealsTest {

    private static final String AGENCY = "11410000MB00001749";
    private static final String OTHER_AGENCY = "91350100M000100Y43";

    private final InMemorySealService seals = new InMemorySealService(
            Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC))
            .add("pdf-seal", AGENCY, false)
            .add("sm2-seal", AGENCY, true)
            .add("p256-seal", AGENCY, false)
            .add("other-agency-sm2-seal", OTHER_AGENCY, true);

    @Test
    void bothFilesSealedByTheSameAgencysSealsAreAccepted() {
        assertThatCode(() -> TypeSeals.check(type(Set.of(LicenceType.Format.PDF, LicenceType.Format.OFD), "sm2-seal"),
                seals)).doesNotThrowAnyException();
        assertThat(seals.calls()).extracting(InMemorySealService.Call::sealId)
                .containsExactly("pdf-seal", "sm2-seal", "sm2-seal");
    }

    @Test
    void anOfdSealOfAnotherAgencyIsRefused() {
        assertThatThrownBy(() -> TypeSeals.check(type(Set.of(LicenceType.Format.OFD), "other-agency-sm2-seal"), seals))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_REQUEST))
                .hasMessageContaining("both files of a licence are sealed by the issuing agency");
    }

    @Test
    void anOfdSealWithoutAGbt38540SealIsRefused() {
        assertThatThrownBy(() -> TypeSeals.check(type(Set.of(LicenceType.Format.OFD), "p256-seal"), seals))
                .isInstanceOf(RejectedException.class).hasMessageContaining("has no GB/T 38540 seal");
    }

    @Test
    void anOfdWithoutAnOfdSealAndAnOfdSealWithoutAnOfdAreRefused() {
        assertThatThrownBy(() -> TypeSeals.check(type(Set.of(LicenceType.Format.OFD), null), seals))
                .isInstanceOf(RejectedException.class).hasMessageContaining("name it (ofdSealId)");
        assertThatThrownBy(() -> TypeSeals.check(type(Set.of(LicenceType.Format.PDF), "sm2-seal"), seals))
                .isInstanceOf(RejectedException.class).hasMessageContaining("the type issues no OFD");
    }

    @Test
    void anUnknownSealIsTheSealServicesRefusal() {
        LicenceType type = new LicenceType(AGENCY + "001", "test", "{}", null, "no-such-seal", "B-T", 5, "t", null);
        assertThatThrownBy(() -> TypeSeals.check(type, seals)).isInstanceOf(SealService.Refused.class);
    }

    @Test
    void sampleTypesInstalledBeforeTheSealServiceRunsAreNotAsked() {
        assertThatCode(() -> TypeSeals.check(type(Set.of(LicenceType.Format.PDF, LicenceType.Format.OFD),
                "other-agency-sm2-seal"), null)).doesNotThrowAnyException();
        assertThat(seals.calls()).isEmpty();
    }

    private static LicenceType type(Set<LicenceType.Format> formats, String ofdSealId) {
        return new LicenceType(AGENCY + "001", "test", "{}", null, "pdf-seal", "B-T", 5, "t", null, formats, ofdSealId);
    }
}
