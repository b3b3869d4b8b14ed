package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fourth hostile read (2026-12-07) of the OFD verifier: each test an attack, asserting the answer a clerk must get.
 */
class OfdRedTeamFourthTest {

    private static OfdMaterial material;

    @BeforeAll
    static void setUp() throws Exception {
        material = new OfdMaterial();
    }

    /**
     * The second agency (any holder of an SM2 key the verifier trusts: another agency, a subscriber of a CA on the
     * trust list) makes itself a GB/T 38540 seal with its own key as the "seal maker": the first agency's esID,
     * name and picture, its own certificate in the certList, and seals an OFD with it. SesVerifier asked only that the
     * maker's certificate chain to a trusted root and may sign, and the seal service answers ACTIVE for the first
     * agency's esID: VALID, the report naming the first agency's seal. Now the maker must be a seal maker (the
     * seal-making key purpose), online as offline (no seal service: the CLI, a verifier without one).
     */
    @Test
    void aSealMadeUnderAnotherAgencysSealIdByWhoeverHoldsATrustedKey() throws Exception {
        var forged = material.sealMadeBy(material.secondSealKey, material.secondSealKey);
        byte[] ofd = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                new OfdSealRequest(forged, material.secondSealKey, new SealPlacement(1, 150, 200), Instant.now()));

        for (OfdVerifier verifier : List.of(material.verifierKnowingTheSeals(), offline())) {
            VerificationReport report = verifier.verify(ofd);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
            assertThat(report.signatures().getFirst().nationalSeal().problem()).isEqualTo("MAKER_CERTIFICATE");
            assertThat(report.signatures().getFirst().reasons())
                    .anyMatch(r -> r.contains("does not carry the seal-making key purpose"));
        }
    }

    /**
     * The seal maker itself made a seal under the first agency's esID, name and picture for the second agency's
     * certificate (the CA's seal maker signs any seal info whose certificates it issued: security.md, still open).
     * Offline nothing tells it from the real seal; online the seal service's list of the seal's certificates does.
     */
    @Test
    void aSealTheSealMakerMadeUnderAnotherAgencysSealIdIsInvalidOnline() throws Exception {
        var forged = material.sealMadeBy(material.sealMaker, material.secondSealKey);
        byte[] ofd = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                new OfdSealRequest(forged, material.secondSealKey, new SealPlacement(1, 150, 200), Instant.now()));

        VerificationReport report = material.verifierKnowingTheSeals().verify(ofd);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().reasons()).anyMatch(r -> r.contains("was not made for"));
    }

    /** The rule's other side: the seal the seal maker made, used by its own key, is still VALID online and offline. */
    @Test
    void theSealTheIssuerMadeForItsKeyIsStillValid() throws Exception {
        byte[] ofd = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                material.request(new SealPlacement(1, 150, 200)));

        for (OfdVerifier verifier : List.of(material.verifierKnowingTheSeals(), offline())) {
            VerificationReport report = verifier.verify(ofd);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        }
    }

    /** No seal service: our root and CA, OCSP in memory (the CLI's `yinxin verify --trust`). */
    private static OfdVerifier offline() {
        return new OfdVerifier(List.of(material.root), List.of(material.ca), material.revocation());
    }
}
