package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core's verifier on each named identity of the test PKI, whose certificates, CRLs and OCSP answers core did not
 * make: a seal of the GOOD identity is VALID when its revocation services answer; no other identity's seal is. The
 * sub-indications are what core says today (ETSI EN 319 102-1); a change to them is a change of behaviour.
 */
class NamedIdentitiesVerdictTest {

    private static TestPki pki;
    private static PdfVerifier online;

    @BeforeAll
    static void pki() {
        pki = TestPki.builder().served().identity("good", Status.GOOD).identity("revoked", Status.REVOKED)
                .identity("on hold", Status.ON_HOLD).identity("expired", Status.EXPIRED)
                .identity("stranger", Status.UNKNOWN_ISSUER).identity("down", Status.OCSP_DOWN).build();
        // fetches what the certificates point at, over HTTP: the served PKI, or a closed port for "down"
        online = new PdfVerifier(List.of(pki.root().certificate()), new OnlineRevocationSource(Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        pki.close();
    }

    @Test
    void aGoodSealIsValidOnline() throws Exception {
        var signature = verify("good", online);
        assertThat(signature.indication()).as(signature.toString()).isEqualTo(Indication.TOTAL_PASSED);
        assertThat(signature.reasons()).anyMatch(r -> r.startsWith("\"CN=good,") && r.contains("\" was not revoked (OCSP response"));
    }

    @Test
    void aRevokedSealIsNotValid() throws Exception {
        var signature = verify("revoked", online);
        assertThat(signature.subIndication()).as(signature.toString()).isEqualTo(SubIndication.REVOKED_NO_POE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("(keyCompromise)"));
    }

    @Test
    void aSuspendedSealIsNotValid() throws Exception {
        var signature = verify("on hold", online);
        assertThat(signature.subIndication()).as(signature.toString()).isEqualTo(SubIndication.REVOKED_NO_POE);
        assertThat(signature.reasons()).anyMatch(r -> r.contains("(certificateHold)"));
    }

    @Test
    void anExpiredSealIsNotValidWithoutProofOfTime() throws Exception {
        var signature = verify("expired", online);
        assertThat(signature.subIndication()).as(signature.toString()).isEqualTo(SubIndication.OUT_OF_BOUNDS_NO_POE);
    }

    @Test
    void aSealOfAnUnknownIssuerFindsNoChain() throws Exception {
        var signature = verify("stranger", online);
        assertThat(signature.subIndication()).as(signature.toString())
                .isEqualTo(SubIndication.NO_CERTIFICATE_CHAIN_FOUND);
    }

    @Test
    void aSealWhoseResponderIsDownIsToBeTriedLater() throws Exception {
        var signature = verify("down", online);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).as(signature.toString()).isEqualTo(SubIndication.TRY_LATER);
        assertThat(signature.reasons()).anyMatch(r -> r.contains(TestPki.DOWN_URL));
    }

    @Test
    void theCrlAloneTellsTheSameAsOcsp() throws Exception {
        // a relying party that reads CRLs only, answered in memory from the test PKI
        RevocationSource crlOnly = new RevocationSource() {
            @Override
            public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) {
                return null;
            }

            @Override
            public byte[] crl(X509Certificate certificate) throws GeneralSecurityException {
                try {
                    return certificate.equals(pki.issuingCa().certificate()) ? pki.rootCrl() : pki.crl(certificate);
                } catch (IOException e) {
                    throw new GeneralSecurityException(e);
                }
            }
        };
        PdfVerifier byCrl = new PdfVerifier(List.of(pki.root().certificate()), crlOnly);
        assertThat(report("good", byCrl).verdict()).isEqualTo(Verdict.VALID);
        assertThat(verify("revoked", byCrl).subIndication()).isEqualTo(SubIndication.REVOKED_NO_POE);
        assertThat(verify("on hold", byCrl).subIndication()).isEqualTo(SubIndication.REVOKED_NO_POE);
        assertThat(verify("down", byCrl).subIndication()).isEqualTo(SubIndication.TRY_LATER);
    }

    private static VerificationReport.SignatureReport verify(String name, PdfVerifier verifier)
            throws Exception {
        var report = report(name, verifier);
        assertThat(report.verdict()).as("no seal but the GOOD one is VALID").isEqualTo(
                name.equals("good") ? Verdict.VALID : Verdict.INDETERMINATE);
        return report.signatures().get(0);
    }

    private static VerificationReport report(String name, PdfVerifier verifier)
            throws Exception {
        Identity identity = pki.identity(name);
        byte[] sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), new SealRequest(
                new SealKey(identity.privateKey(), identity.chain()), new SealAppearance(TestMaterial.redSquarePng(),
                40, 40), new SealPlacement(1, 150, 240), identity.name(), null, Instant.now()));
        return verifier.verify(sealed);
    }
}
