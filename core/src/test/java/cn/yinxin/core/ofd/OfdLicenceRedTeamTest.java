package cn.yinxin.core.ofd;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.LicenceIdentifier;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red team on licence OFDs (issue 20): an attacker holds a genuinely issued licence OFD or 加注件 OFD, a zip tool, a
 * text editor and the public APIs; a clerk decides from the verifier's answer alone. Each test states the safe answer:
 * never VALID for something not sealed as shown, and never "licence valid now" for a licence the issuer did not
 * seal. The first tests are the hole found here (the live status of any licence joined to any seal's verdict), fixed
 * in core/ofd/verify/IssuedLicence; the rest are attacks that held.
 */
class OfdLicenceRedTeamTest {

    private static final String LIST = "Doc_0/Signs/Signatures.xml";
    /** The issuing agency of the material's first seal (测试局) and of its licences. */
    private static final String ISSUER = "91350100M000100Y43";

    private static OfdMaterial material;
    private static OfdSealer sealer;
    private static String identifier;
    private static byte[] issued;

    @BeforeAll
    static void setUp() throws Exception {
        material = new OfdMaterial();
        sealer = new OfdSealer(material.timeStamper());
        identifier = new LicenceIdentifier("11100000000013127D001", ISSUER, "20260001", 1).toString();
        issued = sealer.seal(licenceOfd(metadata(identifier, "福州某某餐饮有限公司")), material.request(new SealPlacement(1, 150, 200)));
        OfdVerifier.Verified verified = verifyRead(issued);
        assertThat(verified.report().verdict()).isEqualTo(Verdict.VALID);
        assertThat(verified.licence().identifier()).isEqualTo(identifier);
    }

    // ------------------------------------------------------------------ HOLE (fixed): whose seal vouches for a licence

    /**
     * Anyone with a trusted seal of another agency (an approval stamp, an OFD sealed outside Yinxin) seals an OFD
     * whose CustomData names a real licence of 测试局 and whose page shows another holder. Before the fix the verifier
     * answered VALID and handed the identifier out, so the verifier service joined "licence valid now" to it.
     */
    @Test
    void aLicenceOfdSealedByAnotherAgencysSealIsNotThatLicence() throws Exception {
        byte[] forged = sealer.seal(licenceOfd(metadata(identifier, "冒名顶替有限公司")),
                material.secondRequest(new SealPlacement(1, 150, 200)));
        OfdVerifier.Verified verified = verifyRead(forged);
        assertThat(verified.licence()).as("a licence its issuer did not seal is not handed out for its live status")
                .isNull();
        assertThat(verified.report().verdict()).isNotEqualTo(Verdict.VALID);
        assertThat(verified.report().licence().explanation()).contains("was issued by " + ISSUER);
        // the seal itself is genuine: it is the claim to be that licence that fails
        assertThat(verified.report().signatures().getFirst().indication().name()).isEqualTo("TOTAL_PASSED");
    }

    /**
     * The issuer's seal removed from the unprotected Signatures.xml, a later seal of another agency left (it covers
     * the first seal's files, so it still passes): the issuer no longer vouches for what is shown.
     */
    @Test
    void theIssuersSealTakenOffTheListLeavingAnotherAgencysLaterSealIsNotThatLicence() throws Exception {
        byte[] twice = sealer.seal(issued, material.secondRequest(new SealPlacement(2, 100, 100)));
        assertThat(verifyRead(twice).licence()).as("the issuer's seal is still there").isNotNull();
        String list = text(twice, LIST);
        int start = list.indexOf("<ofd:Signature ");
        int end = list.indexOf("/>", start) + 2;
        assertThat(list.substring(start, end)).contains("Sign_0");
        byte[] attack = replace(twice, LIST, list.substring(start, end), "");
        OfdVerifier.Verified verified = verifyRead(attack);
        assertThat(verified.report().signatures()).hasSize(1);
        assertThat(verified.licence()).isNull();
        assertThat(verified.report().verdict()).isNotEqualTo(Verdict.VALID);
    }

    /** The issuer's own seal, not confirmable now (offline: revocation unknown): no status joined, and no forgery said. */
    @Test
    void anUnconfirmedIssuersSealVouchesForNoLicenceAndIsNotCalledAForgery() {
        OfdVerifier.Verified verified = new OfdVerifier(java.util.List.of(material.root), java.util.List.of(material.ca),
                null).withSealStatus(id -> "ACTIVE").verifyRead(issued, Instant.now());
        assertThat(verified.report().verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(verified.licence()).isNull();
        assertThat(verified.report().licence().explanation()).contains("not confirmed")
                .doesNotContain("it is not that licence");
    }

    @Test
    void aLicenceOfdNamingNoWellFormedIdentifierIsNotVouchedFor() throws Exception {
        String mistyped = identifier.substring(0, identifier.length() - 1)
                + (identifier.endsWith("1") ? "2" : "1");
        byte[] sealed = sealer.seal(licenceOfd(metadata(mistyped, "福州某某餐饮有限公司")),
                material.request(new SealPlacement(1, 150, 200)));
        OfdVerifier.Verified verified = verifyRead(sealed);
        assertThat(verified.licence()).isNull();
        assertThat(verified.report().verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(verified.report().licence().explanation()).contains("not a licence identifier");
    }

    /** Licence data without an identifier: it shows a licence whose live status nobody can check. */
    @Test
    void licenceDataWithoutAnIdentifierIsNotValidAsALicence() throws Exception {
        byte[] sealed = sealer.seal(licenceOfd(metadata(null, "福州某某餐饮有限公司")),
                material.request(new SealPlacement(1, 150, 200)));
        OfdVerifier.Verified verified = verifyRead(sealed);
        assertThat(verified.licence()).isNull();
        assertThat(verified.report().verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(verified.report().licence().explanation()).contains("names no licence identifier");
    }

    /** An unsealed licence OFD is NOT_SIGNED and names no licence to ask about. */
    @Test
    void anUnsealedLicenceOfdHandsOutNoLicence() throws Exception {
        OfdVerifier.Verified verified = verifyRead(licenceOfd(metadata(identifier, "福州某某餐饮有限公司")));
        assertThat(verified.report().verdict()).isEqualTo(Verdict.NOT_SIGNED);
        assertThat(verified.licence()).isNull();
    }

    // ------------------------------------------------- HOLE (fixed): licence data given twice, read one way or another

    /**
     * An empty CertificateIdentifier first, the real one after it (a producer's or an insider's file, before any seal):
     * our reader kept the first (empty) one, so the document named no licence for the seal service's "licence
     * documents are stamped for the licence service only" check and none for the verifier, while a reader that keeps
     * the last shows the identifier. The reader notes the conflict, the sealer refuses such a document, and the verifier
     * vouches for no licence in it (IssuedLicence); an edit after sealing stays INVALID (the CheckValues).
     */
    @Test
    void aLicenceDataElementGivenTwiceIsNotSealed() throws Exception {
        LicenceMetadata noName = new LicenceMetadata(null, null, null, identifier, null, null, null, "冒名顶替有限公司",
                null, null, null, null);
        OfdWriter writer = new OfdWriter().title("审批结果").created(LocalDate.of(2026, 12, 6)).licence(noName);
        writer.page(210, 297).text(20, 40, 5, "审批结果");
        byte[] unsealed = writer.write();
        byte[] emptyFirst = replace(unsealed, "OFD.xml", "<ofd:CustomDatas>",
                "<ofd:CustomDatas><ofd:CustomData Name=\"CertificateIdentifier\"></ofd:CustomData>");
        byte[] otherAlias = replace(unsealed, "OFD.xml", "</ofd:CustomDatas>",
                "<ofd:CustomData Name=\"ZZBS\">" + new LicenceIdentifier("11100000000013127D001", ISSUER, "20260002", 1)
                        + "</ofd:CustomData></ofd:CustomDatas>");
        for (byte[] attack : new byte[][] {emptyFirst, otherAlias}) {
            assertThat(new OfdReader().read(attack).licenceConflict()).contains("CertificateIdentifier");
            assertThat(refusal(() -> sealer.seal(attack, material.request(new SealPlacement(1, 100, 100)))))
                    .isEqualTo("DAMAGED_OFD");
        }
        // the same value under two of its names is no ambiguity
        byte[] sameTwice = replace(unsealed, "OFD.xml", "</ofd:CustomDatas>",
                "<ofd:CustomData Name=\"ZZBS\">" + identifier + "</ofd:CustomData></ofd:CustomDatas>");
        assertThat(new OfdReader().read(sameTwice).licenceConflict()).isNull();
        assertThat(new OfdReader().read(sameTwice).licence().identifier()).isEqualTo(identifier);
    }

    // ---------------------------------------------------------------------------- held: edits after the issuer sealed

    @Test
    void anotherLicencesIdentifierSwappedIntoCustomDataIsInvalid() {
        String other = new LicenceIdentifier("11100000000013127D001", ISSUER, "20260002", 1).toString();
        assertThat(outcome(replace(issued, "OFD.xml", identifier, other))).isEqualTo("INVALID");
    }

    @Test
    void aSecondCustomDataOfTheSameNameAddedAfterSealingIsInvalid() {
        for (String name : new String[] {"CertificateHolderName", "CZZT", "CertificateIdentifier"}) {
            byte[] first = replace(issued, "OFD.xml", "<ofd:CustomDatas>",
                    "<ofd:CustomDatas><ofd:CustomData Name=\"" + name + "\">冒名顶替有限公司</ofd:CustomData>");
            byte[] last = replace(issued, "OFD.xml", "</ofd:CustomDatas>",
                    "<ofd:CustomData Name=\"" + name + "\">冒名顶替有限公司</ofd:CustomData></ofd:CustomDatas>");
            assertThat(outcome(first)).as(name + " first").isEqualTo("INVALID");
            assertThat(outcome(last)).as(name + " last").isEqualTo("INVALID");
        }
    }

    @Test
    void anAttachmentsListOrAFileAddedAfterSealingIsInvalid() {
        OfdPackage pack = OfdPackage.read(issued, OfdLimits.DEFAULT);
        byte[] file = pack.with("Doc_0/Attachs/other-licence.ofd", issued).toZip();
        assertThat(outcome(file)).isEqualTo("INVALID");
        byte[] listed = pack.with("Doc_0/Attachs/Attachments.xml", ("<ofd:Attachments xmlns:ofd=\"" + OfdXml.NS
                + "\"><ofd:Attachment ID=\"a\" Name=\"x.ofd\"><ofd:FileLoc>other-licence.ofd</ofd:FileLoc>"
                + "</ofd:Attachment></ofd:Attachments>").getBytes(StandardCharsets.UTF_8))
                .with("Doc_0/Attachs/other-licence.ofd", issued).toZip();
        String document = text(listed, "Doc_0/Document.xml");
        listed = replace(listed, "Doc_0/Document.xml", "</ofd:Document>",
                "<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments></ofd:Document>");
        assertThat(document).doesNotContain("Attachments");
        assertThat(outcome(listed)).isEqualTo("INVALID");
    }

    /** A template page (drawn under or over every page naming it) that writes another holder over the licence. */
    @Test
    void aTemplatePageDrawingOverTheLicenceAddedAfterSealingIsInvalid() {
        OfdPackage pack = OfdPackage.read(issued, OfdLimits.DEFAULT);
        byte[] template = pack.get("Doc_0/Pages/Page_0/Content.xml");
        byte[] attack = pack.with("Doc_0/Tpls/Tpl_0/Content.xml", template).toZip();
        attack = replace(attack, "Doc_0/Document.xml", "</ofd:CommonData>",
                "<ofd:TemplatePage ID=\"999\" BaseLoc=\"Tpls/Tpl_0/Content.xml\" ZOrder=\"Foreground\"/>"
                        + "</ofd:CommonData>");
        assertThat(outcome(attack)).isEqualTo("INVALID");
    }

    /** Text drawn over the seal: the page's content is one of the files the seal covers. */
    @Test
    void textDrawnOverTheSealAfterSealingIsInvalid() {
        String page = text(issued, "Doc_0/Pages/Page_0/Content.xml");
        int at = page.lastIndexOf("</ofd:Layer>");
        assertThat(at).isPositive();
        byte[] attack = replace(issued, "Doc_0/Pages/Page_0/Content.xml", "</ofd:Layer>",
                "<ofd:PathObject ID=\"9999\" Boundary=\"120 170 60 60\" Fill=\"true\"><ofd:AbbreviatedData>"
                        + "M 0 0 L 60 0 L 60 60 L 0 60 C</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer>");
        assertThat(outcome(attack)).isEqualTo("INVALID");
    }

    // ------------------------------------------------------------------------------------------- held: the 加注件

    /**
     * A 加注件 (copy for a purpose) attaching the issued licence OFD, sealed over its box; the attacker replaces the
     * attached original with another licence (same name, same place in the package).
     */
    @Test
    void anAnnotatedCopysAttachedOriginalReplacedAfterSealingIsInvalid() throws Exception {
        byte[] other = sealer.seal(licenceOfd(metadata(
                new LicenceIdentifier("11100000000013127D001", ISSUER, "20260002", 1).toString(), "冒名顶替有限公司")),
                material.request(new SealPlacement(1, 150, 200)));
        OfdWriter writer = new OfdWriter().title("加注件").created(LocalDate.of(2026, 12, 6)).attachment("original-licence.ofd", issued);
        writer.page(210, 297).text(20, 40, 5, "仅供办理开户使用，某银行，有效期至2027-01-01");
        byte[] copy = sealer.seal(writer.write(), material.request(new SealPlacement(1, 150, 200)));
        OfdVerifier.Verified verified = verifyRead(copy);
        assertThat(verified.report().verdict()).isEqualTo(Verdict.VALID);
        assertThat(verified.licence()).as("a copy is not the licence file").isNull();
        OfdPackage pack = OfdPackage.read(copy, OfdLimits.DEFAULT);
        String attached = pack.names().stream().filter(n -> n.endsWith("original-licence.ofd")).findFirst()
                .orElseThrow();
        assertThat(outcome(pack.with(attached, other).toZip())).isEqualTo("INVALID");
    }

    // -------------------------------------------------------------------------------------------------- helpers

    private static LicenceMetadata metadata(String identifier, String holder) {
        return new LicenceMetadata("食品经营许可证", "11100000000013127D001", "JY13501000000001", identifier,
                "测试局", ISSUER, LocalDate.of(2026, 12, 1), holder, "91350100MA0000000X", "001",
                LocalDate.of(2026, 12, 1), null);
    }

    private static byte[] licenceOfd(LicenceMetadata metadata) throws Exception {
        OfdWriter writer = new OfdWriter().title(metadata.name()).licence(metadata).created(LocalDate.of(2026, 12, 6));
        writer.page(210, 297)
                .text(60, 40, 10, metadata.name())
                .text(20, 70, 4.5, "经营者名称：" + metadata.holderName())
                .text(20, 80, 4.5, "证照标识：" + metadata.identifier())
                .text(120, 200, 5, "发证机关（盖章）");
        writer.page(210, 297).text(20, 40, 5, "第二页 附件");
        return writer.write();
    }

    private static OfdVerifier.Verified verifyRead(byte[] ofd) {
        return material.verifier().verifyRead(ofd, Instant.now());
    }

    private static String outcome(byte[] ofd) {
        try {
            return material.verifier().verify(ofd).verdict().name();
        } catch (RejectedException e) {
            return "REFUSED " + e.problem().name();
        } catch (Throwable t) {
            throw new AssertionError("CRASH: " + t, t);
        }
    }

    /** The problem of the RejectedException thrown, or "none". */
    private static String refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
            return "none";
        } catch (RejectedException e) {
            return e.problem().name();
        } catch (Throwable t) {
            throw new AssertionError("CRASH: " + t, t);
        }
    }

    private static String text(byte[] ofd, String entry) {
        return new String(OfdPackage.read(ofd, OfdLimits.DEFAULT).get(entry), StandardCharsets.UTF_8);
    }

    private static byte[] replace(byte[] ofd, String entry, String from, String to) {
        OfdPackage pack = OfdPackage.read(ofd, OfdLimits.DEFAULT);
        String text = new String(pack.get(entry), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return pack.with(entry, text.replace(from, to).getBytes(StandardCharsets.UTF_8)).toZip();
    }
}
