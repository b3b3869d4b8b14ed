package cn.yinxin.core.pdf.verify.longterm;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.LongTermMaterial;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validation at the time a time-stamp proves (ETSI EN 319 102-1 "proof of existence"), and revocation judged
 * against it: a long-term document outlives its certificate; a signature made before its certificate was revoked
 * stays valid when a time-stamp proves it; one proven to be made after is invalid; without proof it cannot be told.
 */
class LongTermValidationTest {

    private static final SealAppearance LOOK = appearance();

    @Test
    void aLongTermDocumentStaysValidAfterItsCertificateHasExpired() throws Exception {
        // the seal certificate ends in about a day; validation three days from now
        LongTermMaterial pki = new LongTermMaterial(Duration.ofDays(31));
        PdfSealer sealer = new PdfSealer(pki.timeStamper(), pki.revocation());
        byte[] pdf = TestMaterial.onePagePdf(0);
        Instant later = Instant.now().plus(Duration.ofDays(3));
        assertThat(pki.sealKey.certificate().getNotAfter().toInstant()).isBefore(later);

        byte[] lta = sealer.seal(pdf, request(pki, SignatureLevel.B_LTA));
        var offline = new PdfVerifier(List.of(pki.root));
        var report = offline.verify(lta, later);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).reasons()).anyMatch(r -> r.contains("embedded OCSP response"));

        // the same seal without a time-stamp: nothing proves it was made while the certificate was valid
        byte[] plain = sealer.seal(pdf, request(pki, SignatureLevel.B_B));
        var unproven = offline.verify(plain, later).signatures().get(0);
        assertThat(unproven.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(unproven.subIndication()).isEqualTo(SubIndication.OUT_OF_BOUNDS_NO_POE);
        // while the certificate is valid, online revocation confirms the plain one too
        assertThat(new PdfVerifier(List.of(pki.root), pki.revocation()).verify(plain).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aRevokedSealIsJudgedByWhatTheTimeStampProves() throws Exception {
        LongTermMaterial pki = new LongTermMaterial();
        PdfSealer sealer = new PdfSealer(pki.timeStamper(), pki.revocation());
        byte[] pdf = TestMaterial.onePagePdf(0);
        // time-stamps and OCSP carry whole seconds: the three moments two seconds apart, all in the past, by moving
        // the TSA's and the OCSP responder's clock rather than waiting
        pki.clock.shift(Duration.ofSeconds(-5));
        byte[] stampedBefore = sealer.seal(pdf, request(pki, SignatureLevel.B_T));
        byte[] plainBefore = sealer.seal(pdf, request(pki, SignatureLevel.B_B));
        Instant revokedAt = pki.clock.instant().plusSeconds(2);
        pki.revokeSeal(revokedAt);
        pki.clock.shift(Duration.ofSeconds(4));
        byte[] stampedAfter = sealer.seal(pdf, request(pki, SignatureLevel.B_T));
        var online = new PdfVerifier(List.of(pki.root), pki.revocation());

        var before = online.verify(stampedBefore);
        assertThat(before.verdict()).as(before.toString()).isEqualTo(Verdict.VALID);
        assertThat(before.signatures().get(0).reasons()).anyMatch(r -> r.contains("was revoked on"))
                .anyMatch(r -> r.contains("made before that revocation"));

        var after = online.verify(stampedAfter).signatures().get(0);
        assertThat(after.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(after.subIndication()).isEqualTo(SubIndication.REVOKED);
        assertThat(online.verify(stampedAfter).verdict()).isEqualTo(Verdict.INVALID);

        var unproven = online.verify(plainBefore).signatures().get(0);
        assertThat(unproven.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(unproven.subIndication()).isEqualTo(SubIndication.REVOKED_NO_POE);
    }

    @Test
    void withoutRevocationDataOfflineTheAnswerIsTryLater() throws Exception {
        LongTermMaterial pki = new LongTermMaterial();
        byte[] sealed = new PdfSealer(pki.timeStamper(), pki.revocation()).seal(TestMaterial.onePagePdf(0),
                request(pki, SignatureLevel.B_T));
        var signature = new PdfVerifier(List.of(pki.root)).verify(sealed).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.TRY_LATER);
        // an OCSP answer from another CA (other issuer, other responder) is not taken for this certificate
        var forged = new PdfVerifier(List.of(pki.root), new cn.yinxin.core.pki.revocation.RevocationSource() {
            @Override
            public byte[] ocsp(java.security.cert.X509Certificate certificate, java.security.cert.X509Certificate issuer)
                    throws java.security.GeneralSecurityException {
                return new LongTermMaterial().revocation().ocsp(certificate, issuer);
            }

            @Override
            public byte[] crl(java.security.cert.X509Certificate certificate) {
                return null;
            }
        }).verify(sealed).signatures().get(0);
        assertThat(forged.subIndication()).isEqualTo(SubIndication.TRY_LATER);
    }

    private static SealRequest request(LongTermMaterial pki, SignatureLevel level) {
        return new SealRequest(pki.sealKey, LOOK, new SealPlacement(1, 150, 240), "测试专用章", null, pki.clock.instant(),
                level);
    }

    private static SealAppearance appearance() {
        try {
            return new SealAppearance(TestMaterial.redSquarePng(), 40, 40);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
