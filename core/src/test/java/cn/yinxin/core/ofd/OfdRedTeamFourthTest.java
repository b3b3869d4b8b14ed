package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;

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
     * name and picture, its own certificate in the certList, and seals an OFD with it. SesVerifier asks only that the
     * maker's certificate chain to a trusted root and may sign, and the seal service answers ACTIVE for the first
     * agency's esID: VALID, the report naming the first agency's seal. The seal service made that seal for the first
     * agency's certificate only.
     */
    @Test
    void aSealMadeUnderAnotherAgencysSealIdByWhoeverHoldsATrustedKey() throws Exception {
        var forged = material.sealMadeBy(material.secondSealKey, material.secondSealKey);
        byte[] ofd = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                new OfdSealRequest(forged, material.secondSealKey, new SealPlacement(1, 150, 200), Instant.now()));

        VerificationReport report = material.verifierKnowingTheSeals().verify(ofd);
        assertThat(report.verdict()).as(report.toString()).isNotEqualTo(Verdict.VALID);
        assertThat(report.signatures().getFirst().reasons()).anyMatch(r -> r.contains("was not made for"));
    }

    /** The rule's other side: the seal the seal service made, used by its own key, is still VALID. */
    @Test
    void theSealTheIssuerMadeForItsKeyIsStillValid() throws Exception {
        byte[] ofd = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                material.request(new SealPlacement(1, 150, 200)));

        VerificationReport report = material.verifierKnowingTheSeals().verify(ofd);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
    }
}
