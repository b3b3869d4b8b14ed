package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fourth hostile read (2026-12-07) of the OFD verifier: each test an attack, asserting the answer a clerk must get.
 */
class OfdRedTeamFourthTest {

    private static final String LIST = "Doc_0/Signs/Signatures.xml";

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

    /**
     * A letter sealed twice (the second seal covers the first seal's files), then the first seal's entry taken off
     * Signatures.xml, the one file no seal covers: a viewer draws the seals the list names, so the page shows one seal
     * fewer than the second was made over, and the second seal still verified (VALID, "1 seal(s) are valid"). Now the
     * second seal reports the first as removed, a change no rule allows. Taken off the list with its files too, the
     * second seal finds its covered files gone (INVALID before and after).
     */
    @Test
    void anEarlierSealTakenOffTheListWhileALaterSealStaysIsInvalid() throws Exception {
        OfdSealer sealer = new OfdSealer(material.timeStamper());
        byte[] once = sealer.seal(OfdMaterial.letterOfd(), material.request(new SealPlacement(1, 150, 200)));
        byte[] twice = sealer.seal(once, material.secondRequest(new SealPlacement(1, 60, 200)));
        OfdVerifier verifier = material.verifierKnowingTheSeals();
        assertThat(verifier.verify(twice).verdict()).as("both seals, as sealed").isEqualTo(Verdict.VALID);

        OfdPackage pack = OfdPackage.read(twice, OfdLimits.DEFAULT);
        String list = new String(pack.get(LIST), StandardCharsets.UTF_8);
        int start = list.indexOf("<ofd:Signature ");
        int end = list.indexOf("/>", start) + 2;
        assertThat(list.substring(start, end)).contains("Sign_0");
        byte[] attack = pack.with(LIST, (list.substring(0, start) + list.substring(end))
                .getBytes(StandardCharsets.UTF_8)).toZip();

        VerificationReport report = verifier.verify(attack);
        assertThat(report.signatures()).hasSize(1);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().changesAfterSigning())
                .anyMatch(c -> c.kind().equals("seal-removed") && !c.allowed()
                        && c.description().contains("Sign_0/Signature.xml"));
    }

    /**
     * The other side of the seal-making purpose: a genuine seal of another product or province, whose maker carries
     * no purpose of ours, is INDETERMINATE until the trust list names that maker's certificate (SEAL_MAKING), then
     * VALID; naming another maker, or the maker's CA, does not make it a seal maker.
     */
    @Test
    void anotherProductsSealMakerCountsOnlyWhenTheTrustListNamesIt() throws Exception {
        var foreign = material.secondSealMadeBy(material.otherProductsMaker);
        byte[] ofd = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                new OfdSealRequest(foreign, material.secondSealKey, new SealPlacement(1, 150, 200), Instant.now()));

        VerificationReport unknown = offline().verify(ofd);
        assertThat(unknown.verdict()).as(unknown.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(unknown.signatures().getFirst().nationalSeal().problem()).isEqualTo("MAKER_CERTIFICATE");
        for (var others : List.of(List.of(material.sealMaker.certificate(), material.sealKey.certificate()),
                List.of(material.ca))) {
            VerificationReport report = offline().withKnownSealMakers(others).verify(ofd);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
        }

        VerificationReport known = offline().withKnownSealMakers(List.of(material.otherProductsMaker.certificate()))
                .verify(ofd);
        assertThat(known.verdict()).as(known.toString()).isEqualTo(Verdict.VALID);
        assertThat(known.signatures().getFirst().reasons())
                .contains("The seal maker's certificate is recognised as a seal maker by the trust list.");
    }

    /** No seal service: our root and CA, OCSP in memory (the CLI's `yinxin verify --trust`). */
    private static OfdVerifier offline() {
        return new OfdVerifier(List.of(material.root), List.of(material.ca), material.revocation());
    }
}
