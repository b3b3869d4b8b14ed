package cn.yinxin.core.pdf.national;

import cn.yinxin.core.pdf.Sm2Material;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.core.ses.SealStatusSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * National mode without a seal service (the CLI's `yinxin verify --trust`, a verifier with no seal service): who made
 * a GB/T 38540 seal is all that vouches for its esID, name and picture there, so only a seal maker's certificate (the
 * seal-making key purpose) counts as a maker. Before, any key under a trusted root could make itself a seal in another
 * agency's name and seal a PDF with it: VALID, the report naming that agency's seal.
 */
class NationalSealMakerTest {

    private static Sm2Material material;

    @BeforeAll
    static void keys() throws Exception {
        material = new Sm2Material();
    }

    /** The agency seal's holder, trusted as a signer, makes itself a seal as its own "maker" under another name. */
    @Test
    void aSealMadeByATrustedKeyThatIsNoSealMakerIsNotValidOffline() throws Exception {
        byte[] pdf = stamp(sealMadeBy(material.sealKey));

        VerificationReport report = new PdfVerifier(List.of(material.root), material.revocation()).verify(pdf);
        var signature = report.signatures().getFirst();
        assertThat(report.verdict()).as(signature.nationalSeal().reasons().toString())
                .isEqualTo(Verdict.INDETERMINATE);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.nationalSeal().valid()).isFalse();
        assertThat(signature.nationalSeal().problem()).isEqualTo("MAKER_CERTIFICATE");
        assertThat(signature.nationalSeal().reasons()).anyMatch(r -> r.contains("does not carry the seal-making key "
                + "purpose (" + CertificateMaker.SEAL_MAKING_PURPOSE + ")"));
    }

    /** The rule's other side: a seal of the seal maker is VALID offline and online (the seal service lists it). */
    @Test
    void aSealOfTheSealMakerIsValidOfflineAndOnline() throws Exception {
        SESeal seal = NationalPdfTest.sealFor(material, List.of(material.sealKey.certificate()));
        byte[] pdf = stamp(seal);

        VerificationReport offline = new PdfVerifier(List.of(material.root), material.revocation()).verify(pdf);
        assertThat(offline.verdict()).as(offline.signatures().getFirst().nationalSeal().reasons().toString())
                .isEqualTo(Verdict.VALID);
        assertThat(offline.signatures().getFirst().nationalSeal().reasons())
                .contains("The seal maker's certificate carries the seal-making key purpose.");

        VerificationReport online = new PdfVerifier(List.of(material.root), material.revocation())
                .withSealStatus(sealService(seal.sealInfo().esId(), material.sealKey.certificate())).verify(pdf);
        assertThat(online.verdict()).as(online.signatures().getFirst().nationalSeal().reasons().toString())
                .isEqualTo(Verdict.VALID);
        assertThat(online.signatures().getFirst().nationalSeal().reasons())
                .anyMatch(r -> r.contains("made seal \"test-seal-1\" for the signer's certificate"));
    }

    private static byte[] stamp(SESeal seal) throws Exception {
        return new PdfSealer(material.timeStamper(), material.revocation()).seal(TestMaterial.onePagePdf(0),
                material.request(SignatureLevel.B_T).withNationalSeal(seal));
    }

    private static SESeal sealMadeBy(SealKey maker) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SealMaker(maker, "TEST").make(new SealMaker.SealSpec("another-agencys-seal",
                SealMaker.TYPE_ORGANISATION, "另一局公章", TestMaterial.redSquarePng(), 40, 40,
                List.of(material.sealKey.certificate()), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))),
                now);
    }

    /** A seal service that made seal {@code esId} for {@code certificate}: ACTIVE, and that certificate listed. */
    private static SealStatusSource sealService(String esId, X509Certificate certificate) {
        return new SealStatusSource() {
            @Override
            public String status(String id) {
                return esId.equals(id) ? "ACTIVE" : null;
            }

            @Override
            public List<X509Certificate> certificates(String id) {
                return esId.equals(id) ? List.of(certificate) : null;
            }
        };
    }
}
