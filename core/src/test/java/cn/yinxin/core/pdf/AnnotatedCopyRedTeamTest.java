package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.VerificationLimits;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.keys.SealKey;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static cn.yinxin.core.pdf.PdfCrafting.lastBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile review of the 加注件 rule (AnnotatedCopyCheck): an attacker holds a genuine licence PDF, a genuine copy
 * made while it was valid, a text editor and a trusted seal of some other agency, and wants the copy answered VALID
 * after its licence was revoked or its period of use ended. The top-level tests were holes (each failed before its
 * fix); the {@link Refused} ones were tried and already refused, and keep the refusals.
 */
class AnnotatedCopyRedTeamTest {

    private static final String REVOKED = TestMaterial.licence("CREV1");
    private static final String GOOD = TestMaterial.licence("CGOOD1");
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final LocalDate UNTIL = LocalDate.now(ZoneOffset.UTC).plusDays(30);
    private static final LocalDate ENDED = LocalDate.now(CHINA).minusDays(2);

    private static TestMaterial material;
    private static byte[] revokedLicence;
    private static byte[] goodLicence;
    private final Map<String, String> statuses = new HashMap<>(Map.of(REVOKED, "REVOKED", GOOD, "VALID"));

    @BeforeAll
    static void issueTheLicences() throws Exception {
        material = new TestMaterial();
        revokedLicence = licence(REVOKED, PdfVerifier.LICENCE_ISSUANCE_REASON + " 测试证");
        goodLicence = licence(GOOD, PdfVerifier.LICENCE_ISSUANCE_REASON + " 测试证");
    }

    // ---- holes ------------------------------------------------------------------------------------------------

    /**
     * The holder writes the purpose of a consent (up to 200 characters), and the licence service puts it in front of
     * its own end date: "加注件：仅供开户，有效期至2099-12-31使用，某银行，有效期至(date)". The verifier took the
     * first 有效期至 it found, so the holder's own date extended the copy past the date the service gave it.
     */
    @Test
    void aPurposeThatStatesAFarEndDateDoesNotExtendTheCopy() throws Exception {
        byte[] copy = copy(goodLicence, material.sealKey, "加注件：仅供开户，有效期至2099-12-31使用，某银行，有效期至" + ENDED);
        VerificationReport report = verify(copy);
        assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INVALID);
        assertThat(report.summary()).contains("period of use has ended", ENDED.toString());
    }

    /** An end date that is no date ("2099-13-40") was read as no end date at all: a copy for ever. */
    @Test
    void aCopyWhoseEndDateIsNoDateIsNotValid() throws Exception {
        VerificationReport report = verify(copy(goodLicence, material.sealKey, "加注件：仅供开户使用，某银行，有效期至2099-13-40"));
        assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("period of use");
    }

    /** The licence service always states the period; a copy sealed without one was answered VALID for ever. */
    @Test
    void aCopyThatStatesNoEndDateIsNotValid() throws Exception {
        VerificationReport report = verify(copy(goodLicence, material.sealKey, "加注件：仅供开户使用，某银行"));
        assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("period of use");
    }

    /**
     * A copy whose attachment PDFBox cannot open as a PDF: the nested verification threw out of the verifier (a 500
     * or "this upload is not a PDF" for a document that is one) instead of answering for the copy.
     */
    @Test
    void aCopyCarryingSomethingThatIsNoPdfIsIndeterminate() throws Exception {
        byte[] copy = copy("这不是PDF".getBytes(java.nio.charset.StandardCharsets.UTF_8), material.sealKey, reason(UNTIL));
        VerificationReport report = verify(copy);
        assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("not a licence");
    }

    /**
     * The names tree lists original-licence.pdf twice, the revoked licence first and a valid one after it: PDFBox
     * keeps the last, a reader shows both (and opens the first). Which licence the copy copies cannot be told.
     */
    @Test
    void theLicenceNamedTwiceInTheNamesTree() throws Exception {
        byte[] unsealed;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            attach(document, Map.of("original-licence.pdf", goodLicence));
            PDEmbeddedFilesNameTreeNode tree = document.getDocumentCatalog().getNames().getEmbeddedFiles();
            org.apache.pdfbox.cos.COSArray names = tree.getCOSObject().getCOSArray(COSName.NAMES);
            PDComplexFileSpecification revoked = new PDComplexFileSpecification();
            revoked.setFile("original-licence.pdf");
            revoked.setEmbeddedFile(new PDEmbeddedFile(document, new ByteArrayInputStream(revokedLicence),
                    COSName.FLATE_DECODE));
            names.add(0, new org.apache.pdfbox.cos.COSString("original-licence.pdf"));
            names.add(1, revoked.getCOSObject());
            unsealed = TestMaterial.save(document);
        }
        VerificationReport report = verify(new PdfSealer().seal(unsealed, request(material.sealKey, reason(UNTIL))));
        assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("more than one file original-licence.pdf");
    }

    // ---- tried and refused --------------------------------------------------------------------------------------

    @Nested
    class Refused {

        @Test
        void aGenuineCopyOfAValidLicenceStaysValid() throws Exception {
            VerificationReport report = verify(copy(goodLicence, material.sealKey, reason(UNTIL)));
            assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.VALID);
            assertThat(report.licence().identifier()).isEqualTo(GOOD);
        }

        /**
         * A genuine copy shown to a clerk of another office, or for another case: the answer says which use and office
         * the copy is limited to (what its seal signed), so "VALID" is not read as "valid for anything".
         */
        @Test
        void theAnswerNamesTheUseAndOfficeTheCopyIsFor() throws Exception {
            VerificationReport report = verify(copy(goodLicence, material.sealKey, reason(UNTIL)));
            assertThat(report.verdict()).isEqualTo(Verdict.VALID);
            assertThat(report.licence().explanation()).contains("\"仅供开户使用，某银行，有效期至" + UNTIL + "\"");
            assertThat(cn.yinxin.core.text.Messages.localise(report.licence().explanation(),
                    cn.yinxin.core.text.Language.ZH)).contains("仅限其印章所签的用途", "仅供开户使用，某银行");
        }

        /** The copy seal's signature dictionary given again in an update, with another /Reason: no copy rule then. */
        @Test
        void theCopySealsReasonRewrittenInALaterRevision() throws Exception {
            byte[] copy = copy(revokedLicence, material.sealKey, reason(UNTIL));
            assertThat(verify(copy).verdict()).isEqualTo(Verdict.INVALID);
            long number = signatureDictionary(copy);
            String body = lastBody(copy, number).replaceFirst("/Reason\\s*(<[0-9A-Fa-f\\s]*>|\\((?:[^()\\\\]|\\\\.)*\\))",
                    "/Reason (approval)");
            assertThat(body).contains("/Reason (approval)");
            byte[] forged = new PdfCrafting.Update(copy).object(number, body).write();
            assertThat(verify(forged).verdict()).isNotEqualTo(Verdict.VALID);
        }

        /** The same, by pointing the seal field's /V at a new dictionary with the same signed bytes. */
        @Test
        void theCopySealsFieldPointedAtANewDictionaryWithAnotherReason() throws Exception {
            byte[] copy = copy(revokedLicence, material.sealKey, reason(UNTIL));
            long number = signatureDictionary(copy);
            long field = sealField(copy);
            PdfCrafting.Update update = new PdfCrafting.Update(copy);
            long fresh = update.nextNumber();
            String body = lastBody(copy, number).replaceFirst("/Reason\\s*(<[0-9A-Fa-f\\s]*>|\\((?:[^()\\\\]|\\\\.)*\\))",
                    "/Reason (approval)");
            byte[] forged = update.object(fresh, body)
                    .object(field, lastBody(copy, field).replaceFirst("/V\\s+" + number + " 0 R", "/V " + fresh + " 0 R"))
                    .write();
            assertThat(verify(forged).verdict()).isNotEqualTo(Verdict.VALID);
        }

        /** A later revision names another (valid) licence original-licence.pdf: the signed revision's one counts. */
        @Test
        void aLaterRevisionAttachingAnotherLicence() throws Exception {
            byte[] copy = copy(revokedLicence, material.sealKey, reason(UNTIL));
            byte[] forged;
            try (PDDocument document = Loader.loadPDF(copy)) {
                attach(document, Map.of("original-licence.pdf", goodLicence, "original-licence.pdf ", goodLicence));
                document.getDocumentCatalog().getNames().getCOSObject().setNeedToBeUpdated(true);
                document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
                forged = RedTeamTest.saveIncremental(document);
            }
            VerificationReport report = verify(forged);
            assertThat(report.verdict()).as(report.summary()).isNotEqualTo(Verdict.VALID);
        }

        /** A copy the agency made without its licence, the licence added later by the holder. */
        @Test
        void theLicenceAddedToACopyThatHadNone() throws Exception {
            byte[] copy = copy(null, material.sealKey, reason(UNTIL));
            byte[] forged;
            try (PDDocument document = Loader.loadPDF(copy)) {
                attach(document, Map.of("original-licence.pdf", goodLicence));
                document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
                forged = RedTeamTest.saveIncremental(document);
            }
            assertThat(verify(forged).verdict()).isNotEqualTo(Verdict.VALID);
        }

        /** A second seal (another agency's, which the attacker holds) stating a later end date: the earliest counts. */
        @Test
        void aSecondSealWithALaterEndDate() throws Exception {
            byte[] copy = copy(goodLicence, material.sealKey, reason(ENDED));
            SealRequest base = material.request(1, 100, 100);
            byte[] forged = new PdfSealer().seal(copy, new SealRequest(anotherAgency(), base.appearance(),
                    new SealPlacement(1, 160, 250), "另一专用章", reason(LocalDate.of(2099, 12, 31)), Instant.now()));
            VerificationReport report = verify(forged);
            assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INVALID);
        }

        /** A copy attaching a copy (of a valid licence): the attached document is not a licence. */
        @Test
        void aCopyOfACopy() throws Exception {
            byte[] inner = copy(goodLicence, material.sealKey, reason(UNTIL));
            VerificationReport report = verify(copy(inner, material.sealKey, reason(UNTIL)));
            assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INDETERMINATE);
            assertThat(report.summary()).contains("not a licence");
        }

        /** The attached "licence" names a licence but was sealed as a 加注件, not issued (颁发电子证照). */
        @Test
        void anAttachedLicenceSealedWithACopyReason() throws Exception {
            byte[] notIssued = licence(GOOD, reason(UNTIL));
            VerificationReport report = verify(copy(notIssued, material.sealKey, reason(UNTIL)));
            assertThat(report.verdict()).as(report.summary()).isNotEqualTo(Verdict.VALID);
        }

        /** The licence under a Kids node of the names tree (the service writes a flat one): not found, not VALID. */
        @Test
        void theLicenceUnderAKidsNode() throws Exception {
            byte[] unsealed;
            try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
                attach(document, Map.of("original-licence.pdf", goodLicence));
                PDEmbeddedFilesNameTreeNode leaf = document.getDocumentCatalog().getNames().getEmbeddedFiles();
                leaf.getCOSObject().setItem(COSName.LIMITS, new org.apache.pdfbox.cos.COSArray(List.of(
                        new org.apache.pdfbox.cos.COSString("original-licence.pdf"),
                        new org.apache.pdfbox.cos.COSString("original-licence.pdf"))));
                PDEmbeddedFilesNameTreeNode root = new PDEmbeddedFilesNameTreeNode();
                root.getCOSObject().setItem(COSName.KIDS, new org.apache.pdfbox.cos.COSArray(List.of(leaf.getCOSObject())));
                document.getDocumentCatalog().getNames().setEmbeddedFiles(root);
                unsealed = TestMaterial.save(document);
            }
            VerificationReport report = verify(new PdfSealer().seal(unsealed, request(material.sealKey, reason(UNTIL))));
            assertThat(report.verdict()).as(report.summary()).isNotEqualTo(Verdict.VALID);
        }

        /** A copy carrying a 20 MB stream of zeros (a few KB compressed): the decode budget stops it. */
        @Test
        void aCopyCarryingABomb() throws Exception {
            byte[] copy = copyWithRawAttachment(deflate(new byte[20 * 1024 * 1024]), material.sealKey, reason(UNTIL));
            VerificationReport report = new PdfVerifier(List.of(material.root)).withLicenceStatus(statuses::get)
                    .withLimits(VerificationLimits.DEFAULT.withStreamBytes(4L * 1024 * 1024, 64L * 1024 * 1024))
                    .verify(copy);
            assertThat(report.verdict()).as(report.summary()).isEqualTo(Verdict.INDETERMINATE);
            assertThat(report.summary()).contains("limit \"");
        }

        /** The last day of use ends at midnight in China, whatever the verifier's zone or a UTC reading of the date. */
        @Test
        void theEndDateIsADayInChina() throws Exception {
            byte[] copy = copy(goodLicence, material.sealKey, reason(UNTIL));
            Instant end = UNTIL.plusDays(1).atStartOfDay(CHINA).toInstant();
            assertThat(verifier().verify(copy, end.minusSeconds(1)).verdict()).isEqualTo(Verdict.VALID);
            // 16:00 UTC on the last day is already the next day in China
            assertThat(verifier().verify(copy, end).verdict()).isEqualTo(Verdict.INVALID);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private PdfVerifier verifier() {
        return new PdfVerifier(List.of(material.root)).withLicenceStatus(statuses::get);
    }

    private VerificationReport verify(byte[] pdf) {
        return verifier().verify(pdf, Instant.now());
    }

    private static String reason(LocalDate until) {
        return "加注件：仅供开户使用，某银行，有效期至" + until;
    }

    private static byte[] licence(String identifier, String reason) throws Exception {
        byte[] unsealed;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            document.getDocumentInformation().setCustomMetadataValue(PdfVerifier.LICENCE_IDENTIFIER, identifier);
            unsealed = TestMaterial.save(document);
        }
        return new PdfSealer().seal(unsealed, request(material.sealKey, reason));
    }

    /** A page with {@code licence} attached as the licence service attaches it, sealed with {@code reason}. */
    static byte[] copy(byte[] licence, SealKey key, String reason) throws Exception {
        byte[] unsealed;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            if (licence != null) {
                attach(document, Map.of("original-licence.pdf", licence));
            }
            unsealed = TestMaterial.save(document);
        }
        return new PdfSealer().seal(unsealed, request(key, reason));
    }

    private static void attach(PDDocument document, Map<String, byte[]> files) throws Exception {
        Map<String, PDComplexFileSpecification> specs = new HashMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile(file.getKey());
            PDEmbeddedFile embedded = new PDEmbeddedFile(document, new ByteArrayInputStream(file.getValue()),
                    COSName.FLATE_DECODE);
            embedded.setSubtype("application/pdf");
            spec.setEmbeddedFile(embedded);
            specs.put(file.getKey(), spec);
        }
        PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
        tree.setNames(specs);
        PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
        names.setEmbeddedFiles(tree);
        document.getDocumentCatalog().setNames(names);
    }

    /** A copy whose attachment stream holds {@code deflated} as it is (FlateDecode), however large it inflates to. */
    private static byte[] copyWithRawAttachment(byte[] deflated, SealKey key, String reason) throws Exception {
        byte[] unsealed;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile("original-licence.pdf");
            PDEmbeddedFile embedded = new PDEmbeddedFile(document, new ByteArrayInputStream(deflated));
            embedded.getCOSObject().setItem(COSName.FILTER, COSName.FLATE_DECODE);
            spec.setEmbeddedFile(embedded);
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of("original-licence.pdf", spec));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            document.getDocumentCatalog().setNames(names);
            unsealed = TestMaterial.save(document);
        }
        return new PdfSealer().seal(unsealed, request(key, reason));
    }

    private static byte[] deflate(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(out, new Deflater(9))) {
            deflater.write(data);
        }
        return out.toByteArray();
    }

    private static long sealField(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return document.getSignatureFields().getFirst().getCOSObject().getKey().getNumber();
        }
    }

    private static long signatureDictionary(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            var field = document.getSignatureFields().getFirst().getCOSObject();
            return ((COSObject) field.getItem(COSName.V)).getKey().getNumber();
        }
    }

    private static SealRequest request(SealKey key, String reason) throws Exception {
        SealRequest base = material.request(1, 100, 100);
        return new SealRequest(key, base.appearance(), base.placement(), "测试专用章", reason, Instant.now());
    }

    /** A seal of another agency under the same trusted root (the attacker's own). */
    private static SealKey anotherAgency() throws Exception {
        KeyPair keys = CertificateMaker.newEcKeyPair();
        X509Certificate certificate = CertificateMaker.issue(
                CertificateMaker.sealSubject("另一专用章", "另一局", "91350100M000200Y43"), keys.getPublic(),
                CertificateMaker.Profile.AGENCY_SEAL, material.ca, material.caKey,
                Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(365));
        return new SealKey(keys.getPrivate(), List.of(certificate, material.ca, material.root));
    }
}
