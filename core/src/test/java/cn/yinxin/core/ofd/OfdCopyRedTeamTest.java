package cn.yinxin.core.ofd;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.LicenceIdentifier;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdCopies;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.AnnotatedCopyCheck;
import cn.yinxin.core.pdf.verify.LicenceStatusCheck;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red team on the 加注件 OFD (OfdCopies, judged by AnnotatedCopyCheck as the verifier's OfdCheck does): an attacker
 * holds a genuine licence OFD, a genuine copy made while it was valid, a zip tool and a seal of another agency, and
 * wants the copy VALID after the licence was revoked or the copy's period ended. Top-level tests were holes (seen
 * failing before the fix in AnnotatedCopyCheck); the {@link Refused} ones held.
 */
class OfdCopyRedTeamTest {

    private static final String ISSUER = "91350100M000100Y43";
    private static final String LIST = "Doc_0/Signs/Signatures.xml";
    private static final LocalDate UNTIL = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(30);
    private static final LocalDate ENDED = LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(2);

    private static OfdMaterial material;
    private static OfdSealer sealer;
    private static String identifier;
    private static byte[] licence;
    private final Map<String, String> statuses = new HashMap<>();

    @BeforeAll
    static void issue() throws Exception {
        material = new OfdMaterial();
        sealer = new OfdSealer(material.timeStamper());
        identifier = new LicenceIdentifier("11100000000013127D001", ISSUER, "20260101", 1).toString();
        OfdWriter writer = new OfdWriter().title("食品经营许可证").created(LocalDate.of(2026, 12, 6))
                .licence(new LicenceMetadata("食品经营许可证", "11100000000013127D001", "JY13501000000001", identifier,
                        "测试局", ISSUER, LocalDate.of(2026, 12, 1), "福州某某餐饮有限公司", "91350100MA0000000X", "001",
                        LocalDate.of(2026, 12, 1), null));
        writer.page(210, 297).text(20, 40, 5, "食品经营许可证 " + identifier);
        licence = sealer.seal(writer.write(), material.request(new SealPlacement(1, 150, 200)));
    }

    // ---- holes ------------------------------------------------------------------------------------------------

    /** The holder's purpose says "有效期至2099-12-31" before the service's own end date: the service's date counts. */
    @Test
    void aPurposeStatingAFarEndDateDoesNotExtendTheCopy() throws Exception {
        statuses.put(identifier, "VALID");
        VerificationReport report = verify(copy(licence, "仅供开户，有效期至2099-12-31使用，某银行，有效期至" + ENDED));
        assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INVALID);
        assertThat(report.summary()).contains("period of use has ended");
    }

    /** An OFD attaching the licence as a copy does, sealed by the issuer, with no annotation: not a copy for ever. */
    @Test
    void aCopyWithoutItsAnnotationIsNotValidForEver() throws Exception {
        statuses.put(identifier, "VALID");
        VerificationReport report = verify(copy(licence, null));
        assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("no period of use");
    }

    /**
     * OFD.xml states the annotation twice, a far end date first (our reader keeps the first CustomData of a name,
     * another reader may keep the last): which period the seal signed cannot be told. Made before sealing, so only
     * by whoever seals for the issuer; the copy must not be VALID until 2099 all the same.
     */
    @Test
    void anAnnotationStatedTwiceIsNotValid() throws Exception {
        statuses.put(identifier, "VALID");
        OfdPackage unsealed = OfdPackage.read(unsealedCopy(licence, annotation(ENDED)), OfdLimits.DEFAULT);
        String ofdXml = new String(unsealed.get(OfdPackage.ENTRY), StandardCharsets.UTF_8);
        int at = ofdXml.indexOf("<ofd:CustomData Name=\"" + OfdCopies.ANNOTATION + "\"");
        assertThat(at).isPositive();
        String twice = ofdXml.substring(0, at) + "<ofd:CustomData Name=\"" + OfdCopies.ANNOTATION + "\">"
                + annotation(LocalDate.of(2099, 12, 31)) + "</ofd:CustomData>" + ofdXml.substring(at);
        byte[] sealed = sealer.seal(unsealed.with(OfdPackage.ENTRY, twice.getBytes(StandardCharsets.UTF_8)).toZip(),
                material.request(new SealPlacement(1, 150, 200)));
        VerificationReport report = verify(sealed);
        assertThat(report.verdict()).as(report.summary()).isNotEqualTo(Verdict.VALID);
    }

    // ---- held -------------------------------------------------------------------------------------------------

    @Nested
    class Refused {

        @Test
        void aGenuineCopyIsValidUntilItsLicenceIsRevoked() throws Exception {
            byte[] copy = copy(licence, annotation(UNTIL));
            statuses.put(identifier, "VALID");
            VerificationReport valid = verify(copy);
            assertThat(valid.verdict()).as(valid.summary()).isEqualTo(Verdict.VALID);
            assertThat(valid.licence().identifier()).isEqualTo(identifier);
            statuses.put(identifier, "REVOKED");
            assertThat(verify(copy).verdict()).isEqualTo(Verdict.INVALID);
        }

        /**
         * The copy sealed again with another agency's seal (which covers the copy seal's files), then the issuer's
         * copy seal taken off the unprotected Signatures.xml: the copy's seal is now the other agency's.
         */
        @Test
        void theIssuersCopySealTakenOffTheListLeavingAnotherAgencysSeal() throws Exception {
            statuses.put(identifier, "REVOKED");
            byte[] twice = sealer.seal(copy(licence, annotation(UNTIL)), material.secondRequest(new SealPlacement(1, 60, 60)));
            String list = text(twice, LIST);
            int start = list.indexOf("<ofd:Signature ");
            int end = list.indexOf("/>", start) + 2;
            assertThat(list.substring(start, end)).contains("Sign_0");
            VerificationReport report = verify(replace(twice, LIST, list.substring(start, end), ""));
            assertThat(report.verdict()).as(report.summary()).isNotEqualTo(Verdict.VALID);
        }

        /** A second Attachment of the same name put first in the attachment list after sealing. */
        @Test
        void anotherAttachmentOfTheSameNamePutFirstAfterSealing() throws Exception {
            statuses.put(identifier, "REVOKED");
            byte[] copy = copy(licence, annotation(UNTIL));
            String attachments = entry(copy, "Attachments.xml");
            String xml = text(copy, attachments);
            int at = xml.indexOf("<ofd:Attachment ");
            assertThat(at).isPositive();
            String forged = xml.substring(0, at) + xml.substring(at, xml.indexOf("</ofd:Attachment>", at) + 17)
                    .replace("ID=\"", "ID=\"9") + xml.substring(at);
            VerificationReport report = verify(replace(copy, attachments, xml, forged));
            assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INVALID);
        }

        @Test
        void aCopyAttachingACopy() throws Exception {
            statuses.put(identifier, "VALID");
            byte[] inner = copy(licence, annotation(UNTIL));
            VerificationReport report = verify(copy(inner, annotation(UNTIL)));
            assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INDETERMINATE);
            assertThat(report.summary()).contains("not a licence");
        }

        /**
         * The issuer sealed a copy whose attachment's FileLoc points out of the package: refused as a hostile package
         * (OFD_UNSAFE_PATH, problem+json), as any part named outside the package is; never read, never VALID.
         */
        @Test
        void anAttachmentWhoseFileLocLeavesThePackage() throws Exception {
            statuses.put(identifier, "VALID");
            OfdPackage unsealed = OfdPackage.read(unsealedCopy(licence, annotation(UNTIL)), OfdLimits.DEFAULT);
            String attachments = unsealed.names().stream().filter(n -> n.endsWith("Attachments.xml")).findFirst()
                    .orElseThrow();
            String xml = new String(unsealed.get(attachments), StandardCharsets.UTF_8)
                    .replaceAll("<ofd:FileLoc>[^<]*</ofd:FileLoc>", "<ofd:FileLoc>../../../../etc/passwd</ofd:FileLoc>");
            byte[] sealed = sealer.seal(unsealed.with(attachments, xml.getBytes(StandardCharsets.UTF_8)).toZip(),
                    material.request(new SealPlacement(1, 150, 200)));
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(RejectedException.class,
                    () -> verify(sealed)).problem()).isEqualTo(cn.yinxin.core.Problem.OFD_UNSAFE_PATH);
        }

        /** The attachment replaced by something that is no OFD at all, sealed by the issuer: answered, not refused. */
        @Test
        void anAttachmentThatIsNoOfd() throws Exception {
            statuses.put(identifier, "VALID");
            VerificationReport report = verify(copy("not a zip".getBytes(StandardCharsets.UTF_8), annotation(UNTIL)));
            assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INDETERMINATE);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String annotation(LocalDate until) {
        return "仅供开户使用，某银行，有效期至" + until;
    }

    private static byte[] unsealedCopy(byte[] attached, String annotation) {
        OfdWriter writer = new OfdWriter().title("加注件").created(LocalDate.of(2026, 12, 6));
        if (annotation != null) {
            writer.customData(OfdCopies.ANNOTATION, annotation);
        }
        writer.attachment(OfdCopies.ORIGINAL, attached);
        writer.page(210, 297).text(20, 40, 5, annotation == null ? "加注件" : annotation);
        return writer.write();
    }

    /** A copy as the licence service makes it, sealed by the issuer's seal. */
    private static byte[] copy(byte[] attached, String annotation) throws Exception {
        return sealer.seal(unsealedCopy(attached, annotation), material.request(new SealPlacement(1, 150, 200)));
    }

    /** As the verifier's OfdCheck: the copy's verdict joined with the attached licence's, its live status included. */
    private VerificationReport verify(byte[] ofd) {
        Instant now = Instant.now();
        OfdVerifier verifier = material.verifier();
        OfdVerifier.Verified verified = verifier.verifyRead(ofd, now);
        AnnotatedCopyCheck copy = OfdCopies.of(verified, OfdLimits.DEFAULT);
        return copy == null ? verified.report() : copy.join(verified.report(), original -> {
            OfdVerifier.Verified inner;
            try {
                inner = verifier.verifyRead(original, now);
            } catch (RejectedException e) {
                return new VerificationReport(Verdict.INDETERMINATE, e.getMessage(), original.length, now, List.of());
            }
            return inner.licence() == null ? inner.report()
                    : LicenceStatusCheck.join(inner.report(), inner.licence().identifier(), statuses::get);
        }, now);
    }

    private static String entry(byte[] ofd, String suffix) {
        return OfdPackage.read(ofd, OfdLimits.DEFAULT).names().stream().filter(n -> n.endsWith(suffix)).findFirst()
                .orElseThrow();
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
