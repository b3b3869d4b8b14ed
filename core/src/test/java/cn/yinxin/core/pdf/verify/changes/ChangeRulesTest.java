package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.LongTermMaterial;
import cn.yinxin.core.pdf.sign.LongTermValidation;
import cn.yinxin.core.pdf.PdfCrafting;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pdf.PdfCrafting.Update;
import cn.yinxin.core.pdf.verify.report.VerificationReport.Change;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import static cn.yinxin.core.pdf.PdfCrafting.lastBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the change analysis (core/pdf/verify/changes), each against the attack it stops or the real-world
 * change it lets through, on documents sealed for real and updated by hand as an attacker with a text editor would.
 */
public class ChangeRulesTest {

    private static final String REVOKED_ONE = TestMaterial.licence("REVOKED1");
    private static final String GOOD_ONE = TestMaterial.licence("GOOD1");

    /** What a forger paints over the signed text. */
    public static final String APPROVED = "1 1 1 rg 0 0 350 80 re f 0 0 0 rg BT /F1 24 Tf 10 45 Td (APPROVED) Tj 0 -30 Td "
            + "(1,000,000 CNY) Tj ET";

    private static TestMaterial material;
    private static PdfVerifier verifier;
    private static byte[] sealed;

    @BeforeAll
    static void seal() throws Exception {
        material = new TestMaterial();
        verifier = new PdfVerifier(List.of(material.root));
        sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        assertThat(verifier.verify(sealed).verdict()).isEqualTo(Verdict.VALID);
    }

    /** A widget whose appearance paints {@link #APPROVED} over the page, and the update that adds it to page 1. */
    public static byte[] withWidget(byte[] pdf, String widgetEntries, boolean inForm) throws Exception {
        Update update = new Update(pdf);
        long widget = update.nextNumber();
        long appearance = widget + 1;
        COSObjectKey page = pageKey(pdf);
        update.stream(appearance, "/Type /XObject /Subtype /Form /BBox [0 0 350 80] /Resources << /Font << /F1 << "
                + "/Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>", APPROVED);
        update.object(widget, "<< /Type /Annot /Subtype /Widget /Rect [60 680 410 760] /F 4 /P " + page.getNumber()
                + " 0 R /AP << /N " + appearance + " 0 R >> " + widgetEntries + " >>");
        update.object(page.getNumber(), lastBody(pdf, page.getNumber()).replaceFirst("/Annots \\[",
                "/Annots [" + widget + " 0 R "));
        if (inForm) {
            // the form dictionary is its own object, or sits in the catalog
            COSObjectKey form = formKey(pdf);
            COSObjectKey holder = form != null ? form : PdfCrafting.catalogKey(pdf);
            update.object(holder.getNumber(), lastBody(pdf, holder.getNumber()).replaceFirst("/Fields \\[",
                    "/Fields [" + widget + " 0 R "));
        }
        return update.write();
    }

    @Nested
    class PageRule {

        @Test
        void aGhostWidgetDressedAsADocumentTimeStampIsNotASignature() throws Exception {
            byte[] forged = withWidget(sealed, "/FT /Sig /T (Ghost) /V << /Type /DocTimeStamp /Filter /Adobe.PPKLite "
                    + "/SubFilter /ETSI.RFC3161 >>", false);

            VerificationReport report = verifier.verify(forged);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
            assertThat(report.signatures()).singleElement().satisfies(seal -> {
                assertThat(seal.indication()).isEqualTo(Indication.TOTAL_FAILED);
                assertThat(change(seal, "SIGNATURE_GHOST").allowed()).isFalse();
                assertThat(change(seal, "SIGNATURE_GHOST").page()).isEqualTo(1);
            });
        }

        @Test
        void aGhostWidgetDressedAsASignatureIsNotASignature() throws Exception {
            byte[] forged = withWidget(sealed, "/FT /Sig /T (Ghost) /V << /Type /Sig /Filter /Adobe.PPKLite "
                    + "/SubFilter /ETSI.CAdES.detached >>", false);

            VerificationReport report = verifier.verify(forged);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
            assertThat(change(report.signatures().getFirst(), "SIGNATURE_GHOST").allowed()).isFalse();
        }

        @Test
        void aWidgetOfNoFieldIsAGhostFieldNotAComment() throws Exception {
            byte[] ghost = withWidget(sealed, "", false);
            assertThat(change(verifier.verify(ghost).signatures().getFirst(), "ANNOTATION_ADDED").description())
                    .contains("belongs to no field");
            assertThat(verifier.verify(ghost).verdict()).isEqualTo(Verdict.INVALID);
        }
    }

    @Nested
    class SignatureAdditionRule {

        @Test
        void aNewFieldShowingTheGenuineSignatureDictionaryIsNotASecondSignature() throws Exception {
            COSObjectKey genuine;
            try (PDDocument document = Loader.loadPDF(sealed)) {
                genuine = ((COSObject) document.getSignatureFields().getFirst().getCOSObject().getItem(COSName.V)).getKey();
            }
            byte[] forged = withWidget(sealed, "/FT /Sig /T (Clone) /V " + genuine.getNumber() + " 0 R", true);

            VerificationReport report = verifier.verify(forged);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
            // both fields fail: one shows another's dictionary, and for the one checked, the field added after it
            // shows a signature dictionary that revision did not make
            assertThat(report.signatures()).hasSize(2).allSatisfy(s ->
                    assertThat(s.indication()).isEqualTo(Indication.TOTAL_FAILED));
            assertThat(report.signatures()).anySatisfy(s ->
                    assertThat(s.reasons()).last().asString().contains("same signature dictionary"));
            assertThat(report.signatures()).anySatisfy(s ->
                    assertThat(change(s, "SIGNATURE_ADDED").description()).contains("not made in this revision"));
        }

        @Test
        void aSignatureFieldWithACopiedByteRangeDoesNotSignItsRevision() throws Exception {
            long[] range = PdfCrafting.lastByteRange(sealed);
            byte[] forged = withWidget(sealed, "/FT /Sig /T (Copy) /V << /Type /Sig /Filter /Adobe.PPKLite /SubFilter "
                    + "/ETSI.CAdES.detached /ByteRange [" + range[0] + " " + range[1] + " " + range[2] + " " + range[3]
                    + "] /Contents <00> >>", true);

            VerificationReport report = verifier.verify(forged);
            assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
            SignatureReport original = report.signatures().stream().filter(s -> !s.field().equals("Copy")).findFirst()
                    .orElseThrow();
            assertThat(change(original, "SIGNATURE_ADDED").description()).contains("does not end where its revision ends");
        }
    }

    @Nested
    class TimeStamps {

        @Test
        void aDocumentWithOnlyADocumentTimeStampIsNotValid() throws Exception {
            LongTermMaterial lt = new LongTermMaterial();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LongTermValidation.addDocumentTimeStamp(new RandomAccessReadBuffer(TestMaterial.onePagePdf(0)), out,
                    lt.timeStamper(), IOUtils.createMemoryOnlyStreamCache());

            VerificationReport report = new PdfVerifier(List.of(lt.root)).verify(out.toByteArray());
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.NOT_SIGNED);
            assertThat(report.summary()).contains("time-stamps only");
            // the time-stamp itself is sound and shown
            assertThat(report.signatures()).singleElement()
                    .satisfies(s -> assertThat(s.indication()).isEqualTo(Indication.TOTAL_PASSED));
        }
    }

    @Nested
    class CatalogRule {

        @Test
        void anOpenActionThatOpensAPageIsHousekeepingAndAScriptIsNot() throws Exception {
            COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
            String body = lastBody(sealed, catalog.getNumber());
            COSObjectKey page = pageKey(sealed);
            String goTo = body.substring(0, body.lastIndexOf(">>")) + " /OpenAction [" + page.getNumber()
                    + " 0 R /Fit] >>";
            VerificationReport opened = verifier.verify(new Update(sealed).object(catalog.getNumber(), goTo).write());
            assertThat(opened.verdict()).as(opened.toString()).isEqualTo(Verdict.VALID);
            assertThat(change(opened.signatures().getFirst(), "CATALOG_CHANGED").allowed()).isTrue();

            String script = body.substring(0, body.lastIndexOf(">>"))
                    + " /OpenAction << /S /JavaScript /JS (app.alert('paid')) >> >>";
            VerificationReport scripted = verifier.verify(new Update(sealed).object(catalog.getNumber(), script).write());
            assertThat(scripted.verdict()).isEqualTo(Verdict.INVALID);
            assertThat(change(scripted.signatures().getFirst(), "CATALOG_CHANGED").allowed()).isFalse();
        }

        @Test
        void aStructureTreeAddedAfterSigningIsHousekeeping() throws Exception {
            COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
            String body = lastBody(sealed, catalog.getNumber());
            Update update = new Update(sealed);
            long root = update.nextNumber();
            long element = root + 1;
            COSObjectKey page = pageKey(sealed);
            update.object(root, "<< /Type /StructTreeRoot /K [" + element + " 0 R] >>")
                    .object(element, "<< /Type /StructElem /S /Document /P " + root + " 0 R /Pg " + page.getNumber()
                            + " 0 R >>")
                    .object(catalog.getNumber(), body.substring(0, body.lastIndexOf(">>")) + " /StructTreeRoot " + root
                            + " 0 R /MarkInfo << /Marked true >> >>");
            VerificationReport report = verifier.verify(update.write());
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
            assertThat(change(report.signatures().getFirst(), "STRUCTURE_CHANGED").allowed()).isTrue();
        }

        @Test
        void aFontHungIntoTheStructureTreeIsStillAFont() throws Exception {
            // the font the page draws with, redefined, and named in a structure tree added in the same update
            byte[] signed = new PdfSealer().seal(PdfCrafting.xobjectPdf(), material.request(1, 100, 100));
            COSObjectKey font = PdfCrafting.pageObjectKey(signed, "Resources", "XObject", "Shown");
            COSObjectKey catalog = PdfCrafting.catalogKey(signed);
            String body = lastBody(signed, catalog.getNumber());
            Update update = new Update(signed);
            long root = update.nextNumber();
            update.object(root, "<< /Type /StructTreeRoot /K [" + font.getNumber() + " 0 R] >>")
                    .stream(font.getNumber(), "/Type /XObject /Subtype /Form /BBox [0 0 600 800]", APPROVED)
                    .object(catalog.getNumber(), body.substring(0, body.lastIndexOf(">>")) + " /StructTreeRoot " + root
                            + " 0 R >>");
            VerificationReport report = verifier.verify(update.write());
            assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
            assertThat(change(report.signatures().getFirst(), "PAGE_CONTENT").allowed()).isFalse();
        }
    }

    @Nested
    class HousekeepingRule {

        @Test
        void whatAPageDrawsWithStaysPageContentEvenWhenTheStructureTreeNamedItBeforeSigning() throws Exception {
            // prepared before signing: a structure tree that names the page's resources dictionary
            byte[] plain = TestMaterial.onePagePdf(0);
            COSObjectKey resources = PdfCrafting.pageObjectKey(plain, "Resources");
            COSObjectKey catalog = PdfCrafting.catalogKey(plain);
            Update preparation = new Update(plain);
            long root = preparation.nextNumber();
            String catalogBody = lastBody(plain, catalog.getNumber());
            byte[] prepared = preparation.object(root, "<< /Type /StructTreeRoot /K [" + resources.getNumber() + " 0 R] >>")
                    .object(catalog.getNumber(), catalogBody.substring(0, catalogBody.lastIndexOf(">>"))
                            + " /StructTreeRoot " + root + " 0 R >>").write();
            byte[] signed = new PdfSealer().seal(prepared, material.request(1, 100, 100));
            assertThat(verifier.verify(signed).verdict()).isEqualTo(Verdict.VALID);

            // after: the resources redefined; as part of the structure tree it must still count as page content
            byte[] forged = new Update(signed).object(resources.getNumber(), "<< /ProcSet [/PDF /Text] >>").write();
            VerificationReport report = verifier.verify(forged);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
            assertThat(change(report.signatures().getFirst(), "PAGE_CONTENT").allowed()).isFalse();
        }
    }

    @Nested
    class IdentityFromSignedContent {

        @Test
        void theLicenceIdentifierIsReadFromTheSignedRevision() throws Exception {
            byte[] licencePdf;
            try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
                document.getDocumentInformation().setCustomMetadataValue(PdfVerifier.LICENCE_IDENTIFIER, REVOKED_ONE);
                licencePdf = TestMaterial.save(document);
            }
            SealRequest base = material.request(1, 100, 100);
            byte[] signed = new PdfSealer().seal(licencePdf, new SealRequest(base.key(), base.appearance(),
                    base.placement(), "测试专用章", PdfVerifier.LICENCE_ISSUANCE_REASON + " 测试证", java.time.Instant.now()));
            Map<String, String> statuses = Map.of(REVOKED_ONE, "REVOKED", GOOD_ONE, "VALID");
            PdfVerifier withStatus = new PdfVerifier(List.of(material.root)).withLicenceStatus(statuses::get);
            assertThat(withStatus.verify(signed).verdict()).isEqualTo(Verdict.INVALID);

            COSObjectKey info;
            try (PDDocument document = Loader.loadPDF(signed)) {
                info = ((COSObject) document.getDocument().getTrailer().getItem(COSName.INFO)).getKey();
            }
            byte[] swapped = new Update(signed).object(info.getNumber(), "<< /LicenceIdentifier (" + GOOD_ONE + ") >>").write();
            byte[] removed = new Update(signed).object(info.getNumber(), "<< /Producer (editor) >>").write();
            for (byte[] forged : List.of(swapped, removed)) {
                VerificationReport report = withStatus.verify(forged);
                assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
                assertThat(report.licence().identifier()).isEqualTo(REVOKED_ONE);
                // the rewrite of /Info itself is an allowed change
                assertThat(change(report.signatures().getFirst(), "METADATA_CHANGED").allowed()).isTrue();
            }
        }
    }

    /**
     * A licence's live status joins a verdict only when its issuer issued the document: anyone may sign a PDF whose
     * /Info names somebody's licence (an approval stamp, a personal signature), and "licence valid" must not be
     * read into that verdict (red team of issue 18).
     */
    @Nested
    class LicenceVouchedByItsIssuer {

        private byte[] naming(String identifier) throws Exception {
            try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
                document.getDocumentInformation().setCustomMetadataValue(PdfVerifier.LICENCE_IDENTIFIER, identifier);
                return TestMaterial.save(document);
            }
        }

        private byte[] sealed(byte[] pdf, String reason) throws Exception {
            SealRequest base = material.request(1, 100, 100);
            return new PdfSealer().seal(pdf, new SealRequest(base.key(), base.appearance(), base.placement(),
                    "测试专用章", reason, java.time.Instant.now()));
        }

        private final PdfVerifier verifier = new PdfVerifier(List.of(material.root)).withLicenceStatus(id -> "VALID");

        @Test
        void aLicenceIssuedByItsIssuersSealIsValid() throws Exception {
            VerificationReport report = verifier.verify(sealed(naming(GOOD_ONE),
                    PdfVerifier.LICENCE_ISSUANCE_REASON + " 测试证"));
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
            assertThat(report.licence().status()).isEqualTo("VALID");
        }

        @Test
        void aDocumentThatMerelyNamesAValidLicenceIsNotThatLicence() throws Exception {
            VerificationReport report = verifier.verify(sealed(naming(GOOD_ONE), "审批通过"));
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
            assertThat(report.licence().status()).isNull();
            assertThat(report.licence().explanation()).contains("no intact seal issued it");
        }

        @Test
        void aLicenceOfAnotherIssuerSealedAsIssuedIsNotThatLicence() throws Exception {
            String theirs = new cn.yinxin.core.licence.LicenceIdentifier("11410100MB00002542001", "11410100MB00002542",
                    "GOOD1", 1).toString();
            VerificationReport report = verifier.verify(sealed(naming(theirs),
                    PdfVerifier.LICENCE_ISSUANCE_REASON + " 测试证"));
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
            assertThat(report.licence().status()).isNull();
            assertThat(report.licence().explanation()).contains("was issued by 11410100MB00002542");
        }
    }

    @Nested
    class LicenceSeal {

        @Test
        void aDocumentSealedAsALicenceThatNamesNoLicenceCannotBeConfirmed() throws Exception {
            SealRequest base = material.request(1, 100, 100);
            byte[] signed = new PdfSealer().seal(TestMaterial.onePagePdf(0), new SealRequest(base.key(),
                    base.appearance(), base.placement(), "测试专用章", PdfVerifier.LICENCE_ISSUANCE_REASON + " 测试证",
                    java.time.Instant.now()));
            VerificationReport report = new PdfVerifier(List.of(material.root)).withLicenceStatus(id -> "VALID")
                    .verify(signed);
            assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
            assertThat(report.licence().explanation()).contains("names no licence identifier");
            // the same seal for an approval result is fine
            assertThat(verifier.verify(sealed).verdict()).isEqualTo(Verdict.VALID);
        }
    }

    static Change change(SignatureReport signature, String kind) {
        return signature.changesAfterSigning().stream().filter(c -> c.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + signature.changesAfterSigning()));
    }

    public static COSObjectKey pageKey(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return document.getPage(0).getCOSObject().getKey();
        }
    }

    static COSObjectKey formKey(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
            return catalog.getItem(COSName.ACRO_FORM) instanceof COSObject reference ? reference.getKey() : null;
        }
    }
}
