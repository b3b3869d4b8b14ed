package cn.yinxin.verifier.qr;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.verifier.TestClock;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.trust.SignerRevocation;
import cn.yinxin.verifier.trust.TrustAnchors;
import cn.yinxin.verifier.trust.TrustStatus;
import cn.yinxin.verifier.trust.seals.InMemorySealDirectory;
import cn.yinxin.verifier.trust.seals.Seal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The QR check alone, without HTTP, a seal service or OCSP: the seals the seal service "published" are held in
 * memory ({@link InMemorySealDirectory}) and the clock is the test's. What the seal service says of a seal, and
 * how long ago it said it, decides the verdict of a genuine code.
 */
class QrCheckTest {

    private static Path keystores;
    private static SealKey sealKey;

    private final TestClock clock =
            new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @BeforeAll
    static void samplePki() throws Exception {
        keystores = Files.createTempDirectory("qr-check");
        SamplePki.create(keystores);
        sealKey = SealKey.fromPkcs12(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
    }

    private static Seal sample(String status, Instant changedAt) {
        return new Seal(SamplePki.SEAL_ID, SamplePki.SEAL_NAME, SamplePki.AGENCY, SamplePki.AGENCY_CODE, status,
                status.equals("ACTIVE") ? null : "key compromise", changedAt, sealKey.chain(), List.of());
    }

    /** A check over the sample trust folder, offline (no OCSP: the seal service's status is what counts). */
    private QrCheck check(InMemorySealDirectory seals, long maxStalenessSeconds) throws Exception {
        VerifierConfig config = new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                .withMaxStaleness(maxStalenessSeconds);
        TrustAnchors anchors = new TrustAnchors(config, clock);
        TrustStatus trust = new TrustStatus(config, anchors, seals, clock);
        return new QrCheck(anchors::current, seals, new SignerRevocation(null, clock), trust, anchors::list, clock);
    }

    private String code(Instant issuedAt) throws Exception {
        UUID id = UUID.randomUUID();
        return new QrSigner(sealKey).sign(new DocumentQr(id, DocumentQr.verificationUrl("https://verify.example/d/", id),
                SamplePki.SEAL_ID, SamplePki.AGENCY_CODE, issuedAt).toClaims());
    }

    @Test
    void aGenuineCodeOfAnActiveSealIsValidAndTheSameSealRevokedBeforeTheCodeIsInvalid() throws Exception {
        InMemorySealDirectory seals = new InMemorySealDirectory(List.of(sample("ACTIVE", null)), clock.instant(), clock);
        QrCheck check = check(seals, 3600);
        String code = code(clock.instant().minusSeconds(60));

        QrResult valid = check.checkWithoutWaiting(code);
        assertThat(valid).as("in memory and offline: nothing to wait for").isNotNull();
        assertThat(valid.verdict()).as(valid.findings().toString()).isEqualTo(Finding.Verdict.VALID);
        assertThat(valid.kind()).isEqualTo("document");
        assertThat(valid.signer().seal().id()).isEqualTo(SamplePki.SEAL_ID);
        // red team 6: a genuine document code copied onto a forged paper is as genuine; the answer says what it vouches for
        assertThat(valid.summary()).startsWith("The code is genuine").contains("not for the paper it is printed on");

        seals.publish(List.of(sample("REVOKED", clock.instant().minusSeconds(3600))), clock.instant());
        QrResult revoked = check.check(code);
        assertThat(revoked.verdict()).isEqualTo(Finding.Verdict.INVALID);
        assertThat(revoked.problemSlug()).isEqualTo("qr-signer-revoked");
        assertThat(revoked.summary()).contains("says the seal service").contains("The code was made after that");
    }

    @Test
    void sealsFetchedLongerAgoThanTheStalenessLimitMakeAGenuineCodeIndeterminate() throws Exception {
        InMemorySealDirectory seals = new InMemorySealDirectory(List.of(sample("ACTIVE", null)), clock.instant(), clock);
        QrCheck check = check(seals, 3600);
        String code = code(clock.instant().minusSeconds(60));
        assertThat(check.check(code).verdict()).isEqualTo(Finding.Verdict.VALID);

        clock.advance(Duration.ofSeconds(3601)); // no fetch since: a revocation meanwhile would go unnoticed
        QrResult stale = check.check(code);
        assertThat(stale.verdict()).isEqualTo(Finding.Verdict.INDETERMINATE);
        assertThat(stale.problemSlug()).isEqualTo("trust-data-too-old");
        assertThat(stale.trust().stale()).isTrue();
    }

    @Test
    void aCodeOfASealTheDirectoryDoesNotKnowIsIndeterminateNotInvalid() throws Exception {
        QrCheck check = check(new InMemorySealDirectory(List.of(), clock.instant(), clock), 3600);
        QrResult unknown = check.check(code(clock.instant().minusSeconds(60)));
        assertThat(unknown.verdict()).isEqualTo(Finding.Verdict.INDETERMINATE);
        assertThat(unknown.problemSlug()).isEqualTo("unknown-qr-signer");
        assertThat(unknown.signer()).as("refused before its claims were read").isNull();
    }

    /**
     * Red team 4: a genuine licence code of a licence issued today to start next month (the licence service takes
     * any validFrom: a permit granted ahead of its start). The code says so (field 5, signed), but only validUntil was
     * read: a clerk got VALID for a licence not yet in force.
     */
    @Test
    void aLicenceNotYetInForceIsNotValid() throws Exception {
        InMemorySealDirectory seals = new InMemorySealDirectory(List.of(sample("ACTIVE", null)), clock.instant(), clock);
        QrCheck check = check(seals, 3600);
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneId.of("Asia/Shanghai"));
        QrResult ahead = check.check(licenceCode(today.plusMonths(1)));
        assertThat(ahead.verdict()).as(ahead.findings().toString()).isNotEqualTo(Finding.Verdict.VALID);
        assertThat(ahead.problemSlug()).isEqualTo("qr-not-yet-valid");

        QrResult inForce = check.check(licenceCode(today));
        assertThat(inForce.verdict()).as(inForce.findings().toString()).isEqualTo(Finding.Verdict.VALID);
    }

    /**
     * Red team 5: a licence's dates are China's calendar days (the licence service expires it when China's day is past
     * validUntil), but validUntil was compared with the UTC day: from 00:00 to 08:00 in China on the day after its
     * last day, a licence code without a status list was still VALID (and one with a list until the next expiry run).
     */
    @Test
    void aLicenceWhoseLastDayHasEndedInChinaIsExpiredThoughTheUtcDayHasNot() throws Exception {
        Instant evening = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(17));
        if (!evening.isAfter(clock.instant())) {
            evening = evening.plus(Duration.ofDays(1));
        }
        clock.advance(Duration.between(clock.instant(), evening)); // 17:00 UTC: 01:00 the next day in China
        InMemorySealDirectory seals = new InMemorySealDirectory(List.of(sample("ACTIVE", null)), clock.instant(), clock);
        QrCheck check = check(seals, 3600);
        java.time.LocalDate utcDay = java.time.LocalDate.ofInstant(evening, java.time.ZoneOffset.UTC);

        QrResult ended = check.check(licenceCode(utcDay.minusYears(1), utcDay));
        assertThat(ended.verdict()).as(ended.findings().toString()).isEqualTo(Finding.Verdict.INVALID);
        assertThat(ended.problemSlug()).isEqualTo("qr-expired");
        QrResult lastDay = check.check(licenceCode(utcDay.minusYears(1), utcDay.plusDays(1)));
        assertThat(lastDay.verdict()).as("China's today is its last day").isEqualTo(Finding.Verdict.VALID);
    }

    /** A licence code without a status-list entry (nothing asked of the licence service), in force from {@code from}. */
    private String licenceCode(java.time.LocalDate from) throws Exception {
        return licenceCode(from, from.plusYears(5));
    }

    private String licenceCode(java.time.LocalDate from, java.time.LocalDate until) throws Exception {
        return new QrSigner(sealKey).sign(new cn.yinxin.core.qr.LicenceQr("1.2.156.3005.2.x.7", "11410000MB00001749002",
                "李四", "110105********002X", from, until, SamplePki.AGENCY_CODE,
                clock.instant().minusSeconds(60), null, null).toClaims());
    }
}
