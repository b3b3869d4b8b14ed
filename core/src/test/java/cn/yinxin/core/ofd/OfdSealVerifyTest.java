package cn.yinxin.core.ofd;

import java.time.LocalDate;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.testing.pki.KeyType;
import cn.yinxin.testing.pki.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Seal an OFD, verify it, and see every kind of tampering reported with its reason. */
class OfdSealVerifyTest {

    private static OfdMaterial material;
    private static OfdSealer sealer;
    private static byte[] unsealed;
    private static byte[] sealed;

    @BeforeAll
    static void setUp() throws Exception {
        material = new OfdMaterial();
        sealer = new OfdSealer(material.timeStamper());
        unsealed = OfdMaterial.licenceOfd();
        sealed = sealer.seal(unsealed, material.request(new SealPlacement(1, 150, 200)));
    }

    @Test
    void aSealedOfdVerifiesValid() {
        VerificationReport report = material.verifier().verify(sealed);

        VerificationReport.SignatureReport seal = report.signatures().get(0);
        assertThat(report.verdict()).as(seal.reasons().toString()).isEqualTo(Verdict.VALID);
        assertThat(seal.indication()).isEqualTo(Indication.TOTAL_PASSED);
        assertThat(seal.format()).isEqualTo("OFD GB/T 38540 seal with time-stamp");
        assertThat(seal.timeStampedAt()).isNotNull();
        assertThat(seal.nationalSeal().valid()).isTrue();
        assertThat(seal.nationalSeal().esId()).isEqualTo("ofd-seal-1");
        assertThat(seal.nationalSeal().sealStatus()).isEqualTo("ACTIVE");
        assertThat(seal.seal().name()).isEqualTo("测试专用章");
        assertThat(seal.changesAfterSigning()).isEmpty();
        assertThat(String.join("\n", seal.reasons())).contains("CheckValues match")
                .contains("dataHash is the SM3 hash").contains("chain: ");
    }

    @Test
    void theReportGoesThroughThePdfReportsJsonAndPdfRenderings() {
        // the services show OFD reports with the PDF ones' code: an OFD seal has no byte ranges (coverage null)
        VerificationReport report = material.verifier().verify(sealedTwiceWithAChange());
        var map = cn.yinxin.core.pdf.verify.report.ReportMaps.toMap(report);
        assertThat(map).containsEntry("verdict", "INVALID");
        assertThat(map.toString()).contains("coverage=null").contains("kind=changed");
        byte[] pdf = cn.yinxin.core.pdf.verify.report.ReportDocument.render(report, "licence.ofd", "00",
                cn.yinxin.core.pdf.verify.report.ReportDocument.defaultFont());
        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    }

    private static byte[] sealedTwiceWithAChange() {
        try {
            byte[] changed = replace(sealed, "Doc_0/Pages/Page_1/Content.xml", "附件", "附表");
            return sealer.seal(changed, material.secondRequest(new SealPlacement(2, 100, 100)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSealFollowsGbT33190Layout() {
        OfdDocument read = new OfdReader().read(sealed);
        assertThat(read.signaturesXml()).isEqualTo("Doc_0/Signs/Signatures.xml");
        assertThat(read.signatures()).containsExactly(new OfdDocument.SignatureEntry("1", "Seal",
                "Doc_0/Signs/Sign_0/Signature.xml"));
        assertThat(read.pack().names()).contains("Doc_0/Signs/Sign_0/Seal.esl", "Doc_0/Signs/Sign_0/SignedValue.dat");
        String signature = text(read, "Doc_0/Signs/Sign_0/Signature.xml");
        assertThat(signature).contains("<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod>")
                .contains("CheckMethod=\"1.2.156.10197.1.401\"")
                .contains("FileRef=\"/OFD.xml\"").contains("FileRef=\"/Doc_0/Pages/Page_0/Content.xml\"")
                .contains("FileRef=\"/Doc_0/Signs/Sign_0/Seal.esl\"")
                .doesNotContain("FileRef=\"/Doc_0/Signs/Signatures.xml\"")
                .contains("<ofd:StampAnnot Boundary=\"130 180 40 40\" ID=\"1\" PageRef=\""
                        + read.pages().get(0).id() + "\"/>")
                .contains("<ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue>");
        assertThat(text(read, "OFD.xml")).contains("<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>");
    }

    @Test
    void aChangedPageFailsWithTheChangeNamed() {
        VerificationReport report = verify(replace(sealed, "Doc_0/Pages/Page_0/Content.xml", "许可证编号", "许可证號码"));
        assertFailed(report, SubIndication.HASH_FAILURE);
        assertThat(report.signatures().get(0).changesAfterSigning()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo("changed");
            assertThat(c.page()).isEqualTo(1);
            assertThat(c.allowed()).isFalse();
        });
    }

    @Test
    void aChangedResourceFails() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        String image = pack.names().stream().filter(n -> n.endsWith(".png")).findFirst().orElseThrow();
        byte[] bytes = pack.get(image);
        bytes[bytes.length / 2] ^= 1;
        VerificationReport report = verify(pack.with(image, bytes).toZip());
        assertFailed(report, SubIndication.HASH_FAILURE);
        assertThat(report.signatures().get(0).changesAfterSigning()).anyMatch(c -> c.description().contains(image));
    }

    @Test
    void aChangedSignatureXmlBreaksTheSealSignature() {
        VerificationReport report = verify(replace(sealed, "Doc_0/Signs/Sign_0/Signature.xml", "130 180 40 40",
                "10 10 40 40"));
        assertFailed(report, SubIndication.HASH_FAILURE);
        assertThat(report.signatures().get(0).nationalSeal().problem()).isEqualTo("DATA_HASH");
    }

    @Test
    void aNewPageFileAddedAfterSealingIsReportedAndFails() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        VerificationReport report = verify(pack.with("Doc_0/Pages/Page_2/Content.xml",
                pack.get("Doc_0/Pages/Page_1/Content.xml")).toZip());
        assertFailed(report, SubIndication.FORMAT_FAILURE);
        assertThat(report.signatures().get(0).changesAfterSigning()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo("added");
            assertThat(c.description()).contains("/Doc_0/Pages/Page_2/Content.xml");
            assertThat(c.allowed()).isFalse();
        });
    }

    @Test
    void aRemovedSealLeavesTheDocumentNotSigned() {
        String list = text(new OfdReader().read(sealed), "Doc_0/Signs/Signatures.xml");
        String without = list.replaceAll("<ofd:Signature [^>]*/>", "");
        assertThat(without).isNotEqualTo(list);
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        VerificationReport report = verify(pack.with("Doc_0/Signs/Signatures.xml",
                without.getBytes(StandardCharsets.UTF_8)).toZip());
        assertThat(report.verdict()).isEqualTo(Verdict.NOT_SIGNED);
        assertThat(verify(unsealed).verdict()).isEqualTo(Verdict.NOT_SIGNED);
    }

    @Test
    void aRemovedCoveredFileFails() {
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        VerificationReport report = verify(pack.without("Doc_0/Signs/Sign_0/Seal.esl").toZip());
        assertFailed(report, SubIndication.HASH_FAILURE);
        assertThat(report.signatures().get(0).changesAfterSigning()).anyMatch(c -> c.kind().equals("removed"));
    }

    @Test
    void aSecondSealOverTheFirstKeepsBothValid() throws Exception {
        byte[] twice = sealer.seal(sealed, material.secondRequest(SealPlacement.atText(0, "（盖章）")));

        VerificationReport report = verify(twice);

        assertThat(report.signatures()).hasSize(2);
        assertThat(report.verdict()).as(report.signatures().get(0).reasons() + "\n"
                + report.signatures().get(1).reasons()).isEqualTo(Verdict.VALID);
        // the first seal sees the second's files and Signatures.xml's new entry, all allowed
        assertThat(report.signatures().get(0).changesAfterSigning()).isNotEmpty().allMatch(
                VerificationReport.Change::allowed);
        assertThat(report.signatures().get(0).changesAfterSigning()).anyMatch(c -> c.kind().equals("later-seal"));
        assertThat(report.signatures().get(1).changesAfterSigning()).isEmpty();
        assertThat(report.signatures().get(1).seal().name()).isEqualTo("第二专用章");
        String second = text(new OfdReader().read(twice), "Doc_0/Signs/Sign_1/Signature.xml");
        assertThat(second).contains("FileRef=\"/Doc_0/Signs/Sign_0/SignedValue.dat\"");
    }

    @Test
    void aSecondSealThatChangedACoveredFileLeavesTheFirstReportingTheChange() throws Exception {
        // a later "seal" made by hand: the page is changed first, then sealed over properly
        byte[] changed = replace(sealed, "Doc_0/Pages/Page_1/Content.xml", "附件", "附表");
        byte[] twice = sealer.seal(changed, material.secondRequest(new SealPlacement(2, 100, 100)));

        VerificationReport report = verify(twice);

        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        VerificationReport.SignatureReport first = report.signatures().get(0);
        assertThat(first.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(first.subIndication()).isEqualTo(SubIndication.HASH_FAILURE);
        assertThat(first.changesAfterSigning()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo("changed");
            assertThat(c.page()).isEqualTo(2);
        });
        assertThat(report.signatures().get(1).indication()).as(report.signatures().get(1).reasons().toString())
                .isEqualTo(Indication.TOTAL_PASSED);
    }

    @Test
    void aSealAtAnAnchorIsCentredOnTheText() throws Exception {
        byte[] atText = sealer.seal(unsealed, material.request(SealPlacement.atText(0, "（盖章）")));
        String signature = text(new OfdReader().read(atText), "Doc_0/Signs/Sign_0/Signature.xml");
        // the anchor spans x 140..160 on page 1, baseline 200 with 5 mm glyphs
        assertThat(signature).containsPattern("Boundary=\"13\\d(\\.\\d+)? 17\\d(\\.\\d+)? 40 40\"");
        assertThat(verify(atText).verdict()).isEqualTo(Verdict.VALID);
        assertThatThrownBy(() -> sealer.seal(unsealed, material.request(SealPlacement.atText(0, "不存在的文字"))))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.ANCHOR_NOT_FOUND));
    }

    @Test
    void aCrossPageSealShowsOneStripOnEachPage() throws Exception {
        byte[] across = sealer.seal(unsealed, material.request(SealPlacement.acrossPages(List.of(1, 2), 150)));
        OfdDocument read = new OfdReader().read(across);
        String signature = text(read, "Doc_0/Signs/Sign_0/Signature.xml");
        assertThat(signature).contains("Boundary=\"190 130 40 40\" Clip=\"0 0 20 40\" ID=\"1\" PageRef=\""
                + read.pages().get(0).id() + "\"");
        assertThat(signature).contains("Boundary=\"170 130 40 40\" Clip=\"20 0 20 40\" ID=\"2\" PageRef=\""
                + read.pages().get(1).id() + "\"");
        assertThat(verify(across).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void placementsOffThePageAreRefused() {
        assertThatThrownBy(() -> sealer.seal(unsealed, material.request(new SealPlacement(1, 5, 5))))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.PLACEMENT_OUTSIDE_PAGE));
        assertThatThrownBy(() -> sealer.seal(unsealed, material.request(new SealPlacement(3, 100, 100))))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.PAGE_OUT_OF_RANGE));
    }

    @Test
    void trustComesFromTheVerifierNotTheDocument() throws Exception {
        var otherRoot = TestPki.builder().keyType(KeyType.SM2).root("Some Other Root").build().root().certificate();
        OfdVerifier elsewhere = new OfdVerifier(List.of(otherRoot), List.of(material.ca), material.revocation());
        // the time-stamp is checked first (it fixes the time the rest is judged at): its TSA is not trusted here
        VerificationReport untrusted = elsewhere.verify(sealed);
        assertThat(untrusted.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(untrusted.signatures().get(0).nationalSeal().problem()).isEqualTo("TIME_STAMP");
        // without a time-stamp: the seal maker's chain is what cannot be trusted
        byte[] noTimeStamp = new OfdSealer(null).seal(unsealed, material.request(new SealPlacement(1, 150, 200)));
        VerificationReport noChain = elsewhere.verify(noTimeStamp);
        assertThat(noChain.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(noChain.signatures().get(0).subIndication()).isEqualTo(SubIndication.NO_CERTIFICATE_CHAIN_FOUND);
        assertThat(material.verifier().verify(noTimeStamp).verdict()).as("control").isEqualTo(Verdict.VALID);
        VerificationReport offline = new OfdVerifier(List.of(material.root), List.of(material.ca), null)
                .verify(sealed);
        assertThat(offline.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(offline.signatures().get(0).subIndication()).isEqualTo(SubIndication.TRY_LATER);
    }

    @Test
    void aRevokedSealAtItsIssuerIsNotValid() {
        VerificationReport report = new OfdVerifier(List.of(material.root), List.of(material.ca),
                material.revocation()).withSealStatus(id -> "REVOKED").verify(sealed);
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().get(0).nationalSeal().problem()).isEqualTo("SEAL_STATUS");
    }

    @Test
    void aRevokedSignerCertificateFailsTheSeal() {
        material.revokeSealKey();
        try {
            VerificationReport report = verify(sealed);
            assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
            assertThat(report.signatures().get(0).subIndication()).isEqualTo(SubIndication.REVOKED);
            assertThat(report.signatures().get(0).nationalSeal().problem()).isEqualTo("SIGNER_REVOKED");
        } finally {
            material.liftSealKey();
        }
    }

    @Test
    void aStampOnAPageTheDocumentDoesNotHaveFailsEvenWhenSignedSo() throws Exception {
        // the signer itself wrote a PageRef to no page, and signed that Signature.xml
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        String path = "Doc_0/Signs/Sign_0/Signature.xml";
        String pageId = new OfdReader().read(sealed).pages().get(0).id();
        byte[] xml = new String(pack.get(path), StandardCharsets.UTF_8).replace("PageRef=\"" + pageId + "\"",
                "PageRef=\"999\"").getBytes(StandardCharsets.UTF_8);
        byte[] value = cn.yinxin.core.ses.SesSigner.sign(material.seal, material.sealKey, xml, "/" + path,
                java.time.Instant.now(), null).der();
        VerificationReport report = verify(pack.with(path, xml).with("Doc_0/Signs/Sign_0/SignedValue.dat", value)
                .toZip());
        assertFailed(report, SubIndication.FORMAT_FAILURE);
        assertThat(report.signatures().get(0).reasons()).anyMatch(r -> r.contains("page \"999\""));
    }

    @Test
    void aDocumentWhoseSealProtectsTheSignatureListTakesNoFurtherSeal() throws Exception {
        // closed signing: the first seal's References include Signatures.xml (re-signed by its signer)
        OfdPackage pack = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        String path = "Doc_0/Signs/Sign_0/Signature.xml";
        String list = "Doc_0/Signs/Signatures.xml";
        byte[] xml = new String(pack.get(path), StandardCharsets.UTF_8).replace("</ofd:References>",
                "<ofd:Reference FileRef=\"/" + list + "\"><ofd:CheckValue>" + OfdSigning.checkValue(pack.get(list))
                        + "</ofd:CheckValue></ofd:Reference></ofd:References>").getBytes(StandardCharsets.UTF_8);
        byte[] value = cn.yinxin.core.ses.SesSigner.sign(material.seal, material.sealKey, xml, "/" + path,
                java.time.Instant.now(), null).der();
        byte[] closed = pack.with(path, xml).with("Doc_0/Signs/Sign_0/SignedValue.dat", value).toZip();
        assertThat(verify(closed).verdict()).as("closed, and valid").isEqualTo(Verdict.VALID);

        assertThatThrownBy(() -> sealer.seal(closed, material.secondRequest(new SealPlacement(2, 100, 100))))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.OFD_SIGNING_CLOSED));
    }

    @Test
    void aSealCopiedFromAnotherDocumentFails() throws Exception {
        // another licence, sealed by the same seal; its seal files moved into ours in place of our own
        OfdWriter writer = new OfdWriter().title("另一份").created(LocalDate.of(2026, 12, 6));
        writer.page(210, 297).text(20, 40, 5, "另一份文件");
        byte[] other = sealer.seal(writer.write(), material.request(new SealPlacement(1, 100, 100)));
        OfdPackage theirs = OfdPackage.read(other, OfdLimits.DEFAULT);
        OfdPackage ours = OfdPackage.read(sealed, OfdLimits.DEFAULT);
        for (String file : List.of("Signature.xml", "SignedValue.dat", "Seal.esl")) {
            String path = "Doc_0/Signs/Sign_0/" + file;
            ours = ours.with(path, theirs.get(path));
        }
        VerificationReport report = verify(ours.toZip());
        assertFailed(report, SubIndication.HASH_FAILURE);
        assertThat(report.signatures().get(0).nationalSeal().valid()).as("the seal signature itself is good")
                .isTrue();
    }

    private static VerificationReport verify(byte[] ofd) {
        return material.verifier().verify(ofd);
    }

    private static void assertFailed(VerificationReport report, SubIndication sub) {
        VerificationReport.SignatureReport seal = report.signatures().get(0);
        assertThat(report.verdict()).as(seal.reasons().toString()).isEqualTo(Verdict.INVALID);
        assertThat(seal.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(seal.subIndication()).as(seal.reasons().toString()).isEqualTo(sub);
    }

    private static byte[] replace(byte[] ofd, String entry, String from, String to) {
        OfdPackage pack = OfdPackage.read(ofd, OfdLimits.DEFAULT);
        String text = new String(pack.get(entry), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return pack.with(entry, text.replace(from, to).getBytes(StandardCharsets.UTF_8)).toZip();
    }

    private static String text(OfdDocument document, String entry) {
        return new String(document.pack().get(entry), StandardCharsets.UTF_8);
    }
}
