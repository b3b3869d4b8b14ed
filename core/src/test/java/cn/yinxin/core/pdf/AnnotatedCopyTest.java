package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.keys.SealKey;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 加注件 (an annotated copy of a licence, sealed by the issuer with the licence attached) is no better than the
 * licence it carries: a copy made while the licence was valid is INVALID once the licence is revoked, and after its
 * period of use; a copy without its licence, with a document that is no licence, or sealed by another agency than the
 * licence's issuer is not VALID. Before, every such copy was VALID as an ordinary sealed document.
 */
class AnnotatedCopyTest {

    private static final String LICENCE = TestMaterial.licence("COPY1");
    private static final LocalDate UNTIL = LocalDate.now(ZoneOffset.UTC).plusDays(30);
    private static TestMaterial material;
    private static byte[] licencePdf;
    private final Map<String, String> statuses = new HashMap<>(Map.of(LICENCE, "VALID"));

    @BeforeAll
    static void issueTheLicence() throws Exception {
        material = new TestMaterial();
        byte[] unsealed;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            document.getDocumentInformation().setCustomMetadataValue(PdfVerifier.LICENCE_IDENTIFIER, LICENCE);
            unsealed = TestMaterial.save(document);
        }
        licencePdf = new PdfSealer().seal(unsealed, request(material.sealKey, PdfVerifier.LICENCE_ISSUANCE_REASON
                + " 测试证"));
    }

    @Test
    void aCopyOfAValidLicenceWithinItsPeriodIsValidAndNamesTheLicence() throws Exception {
        VerificationReport report = verify(copy(licencePdf, material.sealKey, reason(UNTIL)), Instant.now());
        assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.VALID);
        assertThat(report.licence().identifier()).isEqualTo(LICENCE);
        assertThat(report.licence().status()).isEqualTo("VALID");
        assertThat(report.licence().explanation()).contains("加注件", "until " + UNTIL);
    }

    @Test
    void aCopyMadeBeforeItsLicenceWasRevokedIsInvalid() throws Exception {
        byte[] copy = copy(licencePdf, material.sealKey, reason(UNTIL));
        statuses.put(LICENCE, "REVOKED");
        VerificationReport report = verify(copy, Instant.now());
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(report.licence().status()).isEqualTo("REVOKED");
        assertThat(report.summary()).contains(LICENCE, "REVOKED");
    }

    @Test
    void aCopyPastItsPeriodOfUseIsInvalid() throws Exception {
        byte[] copy = copy(licencePdf, material.sealKey, reason(UNTIL));
        // valid through the day printed on it (a date in China), not after
        Instant lastMinute = UNTIL.plusDays(1).atStartOfDay(java.time.ZoneId.of("Asia/Shanghai")).toInstant()
                .minusSeconds(60);
        assertThat(verify(copy, lastMinute).verdict()).isEqualTo(Verdict.VALID);
        VerificationReport after = verify(copy, lastMinute.plusSeconds(120));
        assertThat(after.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(after.summary()).contains("period of use has ended");
    }

    @Test
    void aCopyWithoutItsLicenceIsIndeterminate() throws Exception {
        VerificationReport report = verify(copy(null, material.sealKey, reason(UNTIL)), Instant.now());
        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("carries no licence");
    }

    @Test
    void aCopyCarryingADocumentThatIsNoLicenceIsIndeterminate() throws Exception {
        byte[] approval = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        VerificationReport report = verify(copy(approval, material.sealKey, reason(UNTIL)), Instant.now());
        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("not a licence");
    }

    @Test
    void aCopySealedByAnotherAgencyIsIndeterminate() throws Exception {
        VerificationReport report = verify(copy(licencePdf, material.otherSealKey, reason(UNTIL)), Instant.now());
        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("only the issuer makes a 加注件");
    }

    private VerificationReport verify(byte[] pdf, Instant at) {
        return new PdfVerifier(List.of(material.root)).withLicenceStatus(statuses::get).verify(pdf, at);
    }

    private static String reason(LocalDate until) {
        return "加注件：仅供开户使用，某银行，有效期至" + until;
    }

    /** A page with the licence attached as the licence service attaches it, sealed with the 加注件 reason. */
    private static byte[] copy(byte[] licence, SealKey key, String reason) throws Exception {
        byte[] unsealed;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            if (licence != null) {
                PDComplexFileSpecification spec = new PDComplexFileSpecification();
                spec.setFile("original-licence.pdf");
                // compressed, as the licence service writes it: no raw "n 0 obj" of the licence inside the copy
                PDEmbeddedFile file = new PDEmbeddedFile(document, new ByteArrayInputStream(licence),
                        org.apache.pdfbox.cos.COSName.FLATE_DECODE);
                file.setSubtype("application/pdf");
                spec.setEmbeddedFile(file);
                PDEmbeddedFilesNameTreeNode files = new PDEmbeddedFilesNameTreeNode();
                files.setNames(Map.of("original-licence.pdf", spec));
                PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
                names.setEmbeddedFiles(files);
                document.getDocumentCatalog().setNames(names);
            }
            unsealed = TestMaterial.save(document);
        }
        return new PdfSealer().seal(unsealed, request(key, reason));
    }

    private static SealRequest request(SealKey key, String reason) throws Exception {
        SealRequest base = material.request(1, 100, 100);
        return new SealRequest(key, base.appearance(), base.placement(), "测试专用章", reason, Instant.now());
    }
}
