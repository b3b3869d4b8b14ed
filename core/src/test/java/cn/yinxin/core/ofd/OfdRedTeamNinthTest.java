package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ninth hostile read of OFD verification (docs/security.md): the "seal-removed" check of an earlier seal taken
 * off Signatures.xml, read for false alarms and for ways round it.
 */
class OfdRedTeamNinthTest {

    private static OfdMaterial material;

    @BeforeAll
    static void setUp() throws Exception {
        material = new OfdMaterial();
    }

    /**
     * GB/T 33190 lets one package hold several documents (DocBody elements), each with its own Signatures.xml; this
     * verifier reads the first. A seal on the first document covers every entry but its own list, so the second
     * document's sealed Signature.xml, which the first document's list never named, was reported as a seal "no longer
     * listed": a genuine package sealed in that order was INVALID (seal-removed). A Signature.xml another DocBody's
     * Signatures.xml lists is no seal taken off this document's list.
     */
    @Test
    void aSecondDocumentsSealIsNoSealRemovedFromTheFirst() throws Exception {
        OfdSealer sealer = new OfdSealer(material.timeStamper());
        byte[] letter = OfdMaterial.letterOfd();
        OfdPackage sealed = OfdPackage.read(sealer.seal(letter, material.request(new SealPlacement(1, 150, 200))),
                OfdLimits.DEFAULT);
        OfdPackage two = OfdPackage.read(letter, OfdLimits.DEFAULT);
        for (String name : sealed.names()) {
            if (name.startsWith("Doc_0/")) {
                // the second document names its own files (its seal's FileRefs too: that seal is not read here)
                byte[] bytes = !name.endsWith(".xml") ? sealed.get(name) : new String(sealed.get(name),
                        StandardCharsets.UTF_8).replace("Doc_0/", "Doc_1/").getBytes(StandardCharsets.UTF_8);
                two = two.with("Doc_1/" + name.substring("Doc_0/".length()), bytes);
            }
        }
        String sealedOfd = new String(sealed.get("OFD.xml"), StandardCharsets.UTF_8);
        int bodyStart = sealedOfd.indexOf("<ofd:DocBody");
        int bodyEnd = sealedOfd.indexOf("</ofd:DocBody>") + "</ofd:DocBody>".length();
        assertThat(sealedOfd.substring(bodyStart, bodyEnd)).contains("Signatures");
        String secondBody = sealedOfd.substring(bodyStart, bodyEnd).replace("Doc_0", "Doc_1");
        String ofd = new String(two.get("OFD.xml"), StandardCharsets.UTF_8);
        int end = ofd.indexOf("</ofd:DocBody>") + "</ofd:DocBody>".length();
        two = two.with("OFD.xml", (ofd.substring(0, end) + secondBody + ofd.substring(end))
                .getBytes(StandardCharsets.UTF_8));

        byte[] both = sealer.seal(two.toZip(), material.secondRequest(new SealPlacement(1, 60, 200)));
        OfdVerifier verifier = material.verifierKnowingTheSeals();
        VerificationReport report = verifier.verify(both);
        assertThat(report.signatures()).hasSize(1);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
    }

    /**
     * The exemption is not a way round: the first seal taken off the list and named instead by a second DocBody's
     * list, which the attacker adds to OFD.xml, changes OFD.xml, which the later seal covers (INVALID).
     */
    @Test
    void anEarlierSealMovedToAnotherDocumentsListIsStillCaught() throws Exception {
        OfdSealer sealer = new OfdSealer(material.timeStamper());
        byte[] once = sealer.seal(OfdMaterial.letterOfd(), material.request(new SealPlacement(1, 150, 200)));
        OfdPackage pack = OfdPackage.read(sealer.seal(once, material.secondRequest(new SealPlacement(1, 60, 200))),
                OfdLimits.DEFAULT);
        String listName = "Doc_0/Signs/Signatures.xml";
        String list = new String(pack.get(listName), StandardCharsets.UTF_8);
        int start = list.indexOf("<ofd:Signature ");
        int end = list.indexOf("/>", start) + 2;
        assertThat(list.substring(start, end)).contains("Sign_0");
        String ofd = new String(pack.get("OFD.xml"), StandardCharsets.UTF_8);
        int bodyEnd = ofd.indexOf("</ofd:DocBody>") + "</ofd:DocBody>".length();
        String otherBody = "<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                + "<ofd:Signatures>Doc_0/Signs/Moved.xml</ofd:Signatures></ofd:DocBody>";
        byte[] attack = pack.with(listName, (list.substring(0, start) + list.substring(end))
                        .getBytes(StandardCharsets.UTF_8))
                .with("Doc_0/Signs/Moved.xml", list.getBytes(StandardCharsets.UTF_8))
                .with("OFD.xml", (ofd.substring(0, bodyEnd) + otherBody + ofd.substring(bodyEnd))
                        .getBytes(StandardCharsets.UTF_8)).toZip();

        VerificationReport report = material.verifierKnowingTheSeals().verify(attack);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * Other ways round "seal-removed", each caught: the first seal's entry kept but listed as Type="Sign" (a seal
     * listed as another kind fails), or listed twice (the list is refused as damaged).
     */
    @Test
    void anEarlierSealListedAsASignatureOrTwiceIsNoWayRound() throws Exception {
        OfdSealer sealer = new OfdSealer(material.timeStamper());
        byte[] once = sealer.seal(OfdMaterial.letterOfd(), material.request(new SealPlacement(1, 150, 200)));
        OfdPackage pack = OfdPackage.read(sealer.seal(once, material.secondRequest(new SealPlacement(1, 60, 200))),
                OfdLimits.DEFAULT);
        String listName = "Doc_0/Signs/Signatures.xml";
        String list = new String(pack.get(listName), StandardCharsets.UTF_8);
        int start = list.indexOf("<ofd:Signature ");
        int end = list.indexOf("/>", start) + 2;
        String first = list.substring(start, end);
        assertThat(first).contains("Type=\"Seal\"").contains("Sign_0");

        String asSign = list.substring(0, start) + first.replace("Type=\"Seal\"", "Type=\"Sign\"") + list.substring(end);
        VerificationReport report = material.verifierKnowingTheSeals().verify(pack.with(listName,
                asSign.getBytes(StandardCharsets.UTF_8)).toZip());
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);

        String twice = list.substring(0, end) + first.replace("ID=\"", "ID=\"9") + list.substring(end);
        byte[] listedTwice = pack.with(listName, twice.getBytes(StandardCharsets.UTF_8)).toZip();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> material.verifierKnowingTheSeals().verify(listedTwice))
                .isInstanceOf(cn.yinxin.core.RejectedException.class).hasMessageContaining("twice");
    }
}
