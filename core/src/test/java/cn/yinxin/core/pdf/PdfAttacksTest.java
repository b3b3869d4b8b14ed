package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.ByteRanges;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;

import static cn.yinxin.core.pdf.PdfCrafting.Update;
import static cn.yinxin.core.pdf.PdfCrafting.blankOut;
import static cn.yinxin.core.pdf.PdfCrafting.bytes;
import static cn.yinxin.core.pdf.PdfCrafting.concat;
import static cn.yinxin.core.pdf.PdfCrafting.indexOf;
import static cn.yinxin.core.pdf.PdfCrafting.lastByteRange;
import static cn.yinxin.core.pdf.PdfCrafting.overwrite;
import static cn.yinxin.core.pdf.PdfCrafting.pageObjectKey;
import static cn.yinxin.core.pdf.PdfCrafting.text;
import static cn.yinxin.core.pdf.PdfCrafting.withByteRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attacks of the "PDF insecurity" studies (Mladenov et al. 2019, Mainka et al. 2021), each crafted from a
 * document sealed for real, and what the verifier says about them: universal signature forgery (USF),
 * incremental saving attacks (ISA), signature wrapping (SWA), shadow attacks (hide, replace, hide-and-replace)
 * and signature collisions (an object defined twice); and the later changes a signature allows.
 */
class PdfAttacksTest {

    private static TestMaterial material;
    private static PdfVerifier verifier;
    private static byte[] sealed;
    private final PdfSealer sealer = new PdfSealer();

    @BeforeAll
    static void seal() throws Exception {
        material = new TestMaterial();
        verifier = new PdfVerifier(List.of(material.root));
        sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        assertThat(verifier.verify(sealed).verdict()).isEqualTo(Verdict.VALID);
    }

    // ---- universal signature forgery -------------------------------------------------------------------------

    @Test
    void usfSignatureValueRemoved() {
        long[] r = lastByteRange(sealed);
        int contents = indexOf(sealed, "/Contents <", (int) r[1] - 20);
        byte[] forged = blankOut(sealed, contents, (int) r[2], "");

        SignatureReport signature = forged(forged, SubIndication.FORMAT_FAILURE);
        assertThat(signature.reasons()).last().asString().contains("/Contents", "missing");
    }

    @Test
    void usfSignatureValueEmpty() {
        long[] r = lastByteRange(sealed);
        byte[] forged = blankOut(sealed, (int) r[1], (int) r[2], "<>");

        assertThat(forged(forged, SubIndication.FORMAT_FAILURE).reasons()).last().asString().contains("missing or empty");
        // the ranges made to fit the empty value: the gap is "<>" and nothing is left to check
        byte[] fitted = withByteRange(forged, "0 " + r[1] + " " + (r[1] + 2) + " " + (forged.length - r[1] - 2));
        assertThat(forged(fitted, SubIndication.FORMAT_FAILURE).reasons()).last().asString().contains("missing or empty");
    }

    @Test
    void usfSignatureValueAllZeros() {
        long[] r = lastByteRange(sealed);
        byte[] forged = overwrite(sealed, (int) r[1] + 1, "0".repeat((int) (r[2] - r[1] - 2)));

        assertThat(forged(forged, SubIndication.FORMAT_FAILURE).reasons()).last().asString()
                .contains("missing or empty");
        // EU DSS does not even count it as a signature
        assertThat(DssOpinion.of(forged, material.root)).isEmpty();
    }

    @Test
    void usfByteRangeRemoved() {
        int[] at = PdfCrafting.lastByteRangeText(sealed);
        byte[] forged = blankOut(sealed, at[0], at[1], "");

        assertThat(forged(forged, SubIndication.FORMAT_FAILURE).reasons()).last().asString()
                .contains("no usable /ByteRange");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "ending early;          0 A B D-50;                 inside a revision",
            "not starting at zero;  10 A-10 B D;                not start at the beginning",
            "overlapping;           0 A A-100 D+100;            overlap",
            "negative length;       0 A B -5;                   overlap",
            "negative offset;       0 A -7 D;                   overlap",
            "beyond the file;       0 A B D+10;                 beyond the end",
            "far beyond the file;   0 A 9999999999 9999999999;  beyond the end",
            "three ranges;          0 A B D 0 1;                no usable /ByteRange"})
    void usfByteRangeNotCoveringTheFile(String name, String numbers, String reason) {
        long[] r = lastByteRange(sealed);
        String written = numbers.replace("A-100", String.valueOf(r[1] - 100)).replace("A-10", String.valueOf(r[1] - 10))
                .replace("D-50", String.valueOf(r[3] - 50)).replace("D+100", String.valueOf(r[3] + 100))
                .replace("D+10", String.valueOf(r[3] + 10)).replace("A", String.valueOf(r[1]))
                .replace("B", String.valueOf(r[2])).replace("D", String.valueOf(r[3]));
        byte[] forged = withByteRange(sealed, written);

        assertThat(forged(forged, SubIndication.FORMAT_FAILURE).reasons()).last().asString().contains(reason);
    }

    @Test
    void usfByteRangeNumbersThatOverflow() {
        long[] r = lastByteRange(sealed);
        // too wide to write into the file; the check itself must not wrap around to a negative end
        assertThat(ByteRanges.problem(sealed, new long[]{0, r[1], Long.MAX_VALUE, Long.MAX_VALUE}))
                .contains("beyond the end");
        assertThat(ByteRanges.problem(sealed, new long[]{0, r[1], r[2], Long.MAX_VALUE - r[2] + 2}))
                .contains("beyond the end");
    }

    // ---- incremental saving attacks --------------------------------------------------------------------------

    @Test
    void isaNewContentStreamForPageOne() throws Exception {
        COSObjectKey page = pageKey(sealed);
        Update update = new Update(sealed);
        long stream = update.nextNumber();
        byte[] attacked = update
                .stream(stream, "", "BT /F1 12 Tf 72 700 Td (Amount: 900) Tj ET")
                .object(page.getNumber(), pageWith(sealed, "/Contents " + stream + " 0 R"))
                .write();

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertThat(signature.coverage().coversWholeDocument()).isFalse();
        assertChange(signature, "PAGE_CONTENT", 1, false);
        // EU DSS: the signed bytes are intact, and it sees the later revision change what the page shows
        assertThat(DssOpinion.of(attacked, material.root)).singleElement().satisfies(dss -> {
            assertThat(dss.passed()).isFalse();
            assertThat(dss.intact()).isTrue();
            assertThat(dss.differencesSeen()).isTrue();
            assertThat(dss.undefinedChanges()).isNotEmpty();
        });
    }

    @Test
    void isaAnnotationAddedWithoutCertification() throws Exception {
        SignatureReport signature = forged(addFreeText(sealed), SubIndication.FORMAT_FAILURE);
        assertChange(signature, "ANNOTATION_ADDED", 1, false);
        assertThat(signature.changesAfterSigning()).filteredOn(c -> !c.kind().equals("VISIBLE_CHANGE"))
                .singleElement().satisfies(c ->
                assertThat(c.description()).contains("FreeText", "form filling and signing only"));
    }

    @Test
    void isaAnnotationAddedUnderCertificationP2() throws Exception {
        byte[] certified = sealer.seal(TestMaterial.onePagePdf(0), certifying(2));

        SignatureReport signature = forged(addFreeText(certified), SubIndication.FORMAT_FAILURE);
        assertChange(signature, "ANNOTATION_ADDED", 1, false);
        assertThat(signature.changesAfterSigning().get(0).description()).contains("DocMDP P=2");
    }

    @Test
    void annotationAddedUnderCertificationP3IsAllowedButWhatItShowsIsNot() throws Exception {
        byte[] certified = sealer.seal(TestMaterial.onePagePdf(0), certifying(3));

        // P=3 allows commenting; this comment writes "Amount: 900" over the page, which the visual proof sees
        VerificationReport report = verifier.verify(addFreeText(certified));
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertChange(report.signatures().get(0), "ANNOTATION_ADDED", 1, true);
        assertChange(report.signatures().get(0), "VISIBLE_CHANGE", 1, false);
    }

    @Test
    void isaGarbageAfterTheEndOfFile() {
        byte[] attacked = concat(sealed, bytes("%% nothing to see\n4 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n"));

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertThat(signature.coverage().coversWholeDocument()).isFalse();
        assertThat(signature.changesAfterSigning()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo("TRAILING_BYTES");
            assertThat(c.allowed()).isFalse();
            assertThat(c.description()).contains("define objects");
        });
    }

    @Test
    void isaUpdateWithoutCrossReferenceOfItsOwn() {
        // objects and a trailer, but startxref still names the signed revision's cross-reference
        String appended = "7 0 obj\n<< /Length 11 >>\nstream\n0 0 m 9 9 l\nendstream\nendobj\nstartxref\n"
                + PdfCrafting.lastStartXref(sealed) + "\n%%EOF\n";
        byte[] attacked = concat(sealed, bytes(appended));

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "BROKEN_UPDATE", null, false);
    }

    @Test
    void isaTooMuchAfterTheEndOfFileIsRefused() {
        byte[] attacked = concat(sealed, bytes(" ".repeat(10) + "x".repeat(2000)));

        assertThatThrownBy(() -> verifier.verify(attacked)).isInstanceOf(RejectedException.class);
    }

    // ---- signature wrapping ----------------------------------------------------------------------------------

    @Test
    void swaGapMovedOntoAnotherHexString() {
        // the gap now leaves out the signature's /Name (a hex string before /Contents): the real value is "signed"
        long[] r = lastByteRange(sealed);
        int name = indexOf(sealed, "/Name <", (int) r[1] - 400) + "/Name ".length();
        int nameEnd = indexOf(sealed, ">", name) + 1;
        byte[] attacked = withByteRange(sealed, "0 " + name + " " + nameEnd + " " + (sealed.length - nameEnd));

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertThat(signature.reasons()).last().asString().contains("signature wrapping");
        assertThat(DssOpinion.of(attacked, material.root)).singleElement().satisfies(dss -> {
            assertThat(dss.indication()).isEqualTo("TOTAL_FAILED");
            assertThat(dss.subIndication()).isEqualTo("FORMAT_FAILURE");
        });
    }

    @Test
    void swaSecondSignedPartRelocated() {
        // the second signed part moves back and what the attacker wants read fills the widened gap after the value
        long[] r = lastByteRange(sealed);
        String inserted = " /Wrapped << /Note (Amount: 900) /Len 40 >>";
        byte[] moved = concat(java.util.Arrays.copyOf(sealed, (int) r[2]), bytes(inserted),
                java.util.Arrays.copyOfRange(sealed, (int) r[2], sealed.length));
        long gapEnd = r[2] + inserted.length();
        byte[] attacked = withByteRange(moved, "0 " + r[1] + " " + gapEnd + " " + (moved.length - gapEnd));

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertThat(signature.reasons()).last().asString().contains("in the gap", "signature wrapping");
    }

    // ---- shadow attacks: hide -------------------------------------------------------------------------------

    @Test
    void shadowHideLayerSwitchedOn() throws Exception {
        byte[] signedLayers = sealer.seal(PdfCrafting.layeredPdf(), material.request(1, 100, 100));
        byte[] attacked;
        try (PDDocument document = Loader.loadPDF(signedLayers)) {
            var layers = document.getDocumentCatalog().getOCProperties();
            layers.setGroupEnabled("shadow", true);
            markForUpdate(document.getDocumentCatalog().getCOSObject(), layers.getCOSObject(),
                    layers.getCOSObject().getCOSDictionary(COSName.D));
            attacked = saveIncremental(document);
        }

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "CATALOG_CHANGED", null, false);
        assertThat(signature.changesAfterSigning()).anySatisfy(c -> assertThat(c.description()).contains("optional content"));
        assertThat(signature.changesAfterSigning()).noneSatisfy(c -> assertThat(c.kind()).isEqualTo("PAGE_CONTENT"));
        assertThat(DssOpinion.of(attacked, material.root)).singleElement().satisfies(dss -> {
            assertThat(dss.passed()).isFalse();
            assertThat(dss.undefinedChanges()).anySatisfy(change -> assertThat(change).startsWith("OCG"));
        });
    }

    @Test
    void shadowHideXObjectReferenceSwitched() throws Exception {
        byte[] signedForms = sealer.seal(PdfCrafting.xobjectPdf(), material.request(1, 100, 100));
        byte[] attacked;
        try (PDDocument document = Loader.loadPDF(signedForms)) {
            var resources = document.getPage(0).getCOSObject().getCOSDictionary(COSName.RESOURCES);
            var xobjects = resources.getCOSDictionary(COSName.XOBJECT);
            var shown = xobjects.getItem(COSName.getPDFName("Shown"));
            xobjects.setItem(COSName.getPDFName("Shown"), xobjects.getItem(COSName.getPDFName("Prepared")));
            xobjects.setItem(COSName.getPDFName("Prepared"), shown);
            markForUpdate(resources, xobjects);
            attacked = saveIncremental(document);
        }

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "PAGE_CONTENT", 1, false);
        assertChange(signature, "OBJECT_REDEFINED", null, false);
        assertThat(signature.changesAfterSigning()).anySatisfy(c -> assertThat(c.description()).contains("resources"));
    }

    @Test
    void shadowHideEarlierDefinitionRestoredByCrossReference() throws Exception {
        // before signing: the page content is defined twice, in two revisions; the signer sees the second
        byte[] plain = TestMaterial.onePagePdf(0);
        COSObjectKey content = pageObjectKey(plain, "Contents");
        byte[] shadowFirst = new Update(plain).stream(content.getNumber(), "", SHADOW_TEXT).write();
        long shadowAt = PdfCrafting.lastDefinition(shadowFirst, content.getNumber());
        byte[] prepared = new Update(shadowFirst).stream(content.getNumber(), "", SHOWN_TEXT).write();
        byte[] signedPrepared = sealer.seal(prepared, material.request(1, 100, 100));
        assertThat(verifier.verify(signedPrepared).verdict()).isEqualTo(Verdict.VALID);

        // after: an update of one cross-reference entry and nothing else
        byte[] attacked = new Update(signedPrepared).pointAt(content.getNumber(), shadowAt).write();

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "PAGE_CONTENT", 1, false);
        assertChange(signature, "OBJECT_REDEFINED", null, false);
    }

    @Test
    void shadowHideAnnotationMadeVisible() throws Exception {
        byte[] signedHidden = sealer.seal(PdfCrafting.hiddenAnnotationPdf(), material.request(1, 100, 200));
        byte[] attacked;
        try (PDDocument document = Loader.loadPDF(signedHidden)) {
            var square = document.getPage(0).getAnnotations().get(0);
            square.setHidden(false);
            square.setPrinted(true);
            markForUpdate(square.getCOSObject());
            attacked = saveIncremental(document);
        }

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "ANNOTATION_CHANGED", 1, false);
        assertThat(signature.changesAfterSigning()).anySatisfy(c ->
                assertThat(c.description()).contains("Square", "/F", "was hidden when signed and now shows"));
    }

    // ---- shadow attacks: replace ----------------------------------------------------------------------------

    @Test
    void shadowReplaceFont() throws Exception {
        COSObjectKey font = pageObjectKey(sealed, "Resources", "Font", "F1");
        byte[] attacked = new Update(sealed).object(font.getNumber(), "<< /Type /Font /Subtype /Type1 /BaseFont "
                + "/Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [97 /e] >> >>")
                .write();

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "PAGE_CONTENT", 1, false);
        assertChange(signature, "OBJECT_REDEFINED", null, false);
        assertThat(signature.changesAfterSigning()).anySatisfy(c ->
                assertThat(c.description()).contains("object " + font.getNumber() + " 0", "/Font"));
    }

    @Test
    void shadowReplaceFormXObject() throws Exception {
        byte[] signedForms = sealer.seal(PdfCrafting.xobjectPdf(), material.request(1, 100, 100));
        COSObjectKey shown = pageObjectKey(signedForms, "Resources", "XObject", "Shown");
        byte[] attacked = new Update(signedForms).stream(shown.getNumber(),
                "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << >>", "0 0 1 rg 60 690 200 30 re f").write();

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "PAGE_CONTENT", 1, false);
        assertChange(signature, "OBJECT_REDEFINED", null, false);
    }

    @Test
    void shadowReplaceReadOnlyFieldValue() throws Exception {
        byte[] certified = sealer.seal(PdfCrafting.formPdf(true), certifying(2));

        SignatureReport signature = forged(PdfCrafting.fill(certified, "900"), SubIndication.FORMAT_FAILURE);
        assertChange(signature, "FORM_FIELD_FILLED", 1, false);
        assertThat(signature.changesAfterSigning()).anySatisfy(c ->
                assertThat(c.description()).contains("read-only", "\"100\" -> \"900\""));
    }

    @Test
    void shadowReplaceFieldAppearanceKeepingItsValue() throws Exception {
        // form filling is allowed (P=2), but this is not filling: the value stays, what the field shows changes
        byte[] certified = sealer.seal(PdfCrafting.formPdf(false), certifying(2));
        byte[] attacked;
        try (PDDocument document = Loader.loadPDF(certified)) {
            var widget = document.getDocumentCatalog().getAcroForm(null).getField("amount").getWidgets().get(0);
            var appearance = widget.getNormalAppearanceStream();
            try (var out = appearance.getCOSObject().createOutputStream()) {
                out.write(bytes("/Tx BMC BT /Helv 12 Tf 2 5 Td (900) Tj ET EMC"));
            }
            markForUpdate(appearance.getCOSObject(), widget.getCOSObject());
            attacked = saveIncremental(document);
        }

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "ANNOTATION_CHANGED", 1, false);
        assertThat(signature.changesAfterSigning()).noneSatisfy(c -> assertThat(c.kind()).isEqualTo("FORM_FIELD_FILLED"));
    }

    @Test
    void shadowReplaceSealImage() throws Exception {
        // the seal's own appearance (the image of the seal) redefined under its object number
        COSObjectKey appearance;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            var widget = document.getSignatureFields().get(0).getWidgets().get(0);
            appearance = PdfCrafting.keyOf(widget.getAppearance().getCOSObject(), COSName.N);
        }
        byte[] attacked = new Update(sealed).stream(appearance.getNumber(),
                "/Type /XObject /Subtype /Form /BBox [0 0 113.4 113.4] /Resources << >>", "0 0 1 rg 0 0 113 113 re f")
                .write();

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "ANNOTATION_CHANGED", 1, false);
        assertThat(signature.changesAfterSigning()).anySatisfy(c ->
                assertThat(c.description()).contains("appearance or place of a signature"));
    }

    @Test
    void shadowEmptySignatureFieldDrawnOverThePage() throws Exception {
        // "sneaky signature": an unsigned signature field whose appearance covers content, under P=2
        byte[] certified = sealer.seal(TestMaterial.onePagePdf(0), certifying(2));
        byte[] attacked;
        try (PDDocument document = Loader.loadPDF(certified)) {
            var form = document.getDocumentCatalog().getAcroForm(null);
            var field = new org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField(form);
            var widget = field.getWidgets().get(0);
            var page = document.getPage(0);
            widget.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(60, 690, 200, 30));
            widget.setPage(page);
            widget.setPrinted(true);
            var look = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(document);
            look.setBBox(new org.apache.pdfbox.pdmodel.common.PDRectangle(200, 30));
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, look)) {
                content.setNonStrokingColor(1f, 1f, 1f);
                content.addRect(0, 0, 200, 30);
                content.fill();
            }
            var appearance = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
            appearance.setNormalAppearance(look);
            widget.setAppearance(appearance);
            page.getAnnotations().add(widget);
            form.getFields().add(field);
            markForUpdate(page.getCOSObject(), document.getDocumentCatalog().getCOSObject(), form.getCOSObject());
            attacked = saveIncremental(document);
        }

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "SIGNATURE_FIELD_ADDED", 1, false);
        assertThat(signature.changesAfterSigning()).anySatisfy(c -> assertThat(c.description()).contains("cover the page"));
    }

    // ---- shadow attacks: hide-and-replace -------------------------------------------------------------------

    @Test
    void shadowHideAndReplacePageTree() throws Exception {
        // before signing: a second page tree, complete and unused, waits in the file
        byte[] plain = TestMaterial.onePagePdf(0);
        COSObjectKey resources = pageObjectKey(plain, "Resources");
        Update preparation = new Update(plain);
        long content = preparation.nextNumber();
        long page = content + 1;
        long pages = content + 2;
        byte[] prepared = preparation.stream(content, "", SHADOW_TEXT)
                .object(page, "<< /Type /Page /Parent " + pages + " 0 R /MediaBox [0 0 595.27563 841.8898] /Resources "
                        + resources.getNumber() + " 0 R /Contents " + content + " 0 R >>")
                .object(pages, "<< /Type /Pages /Kids [" + page + " 0 R] /Count 1 >>")
                .write();
        byte[] signedPrepared = sealer.seal(prepared, material.request(1, 100, 100));
        assertThat(verifier.verify(signedPrepared).verdict()).isEqualTo(Verdict.VALID);

        // after: the catalog, defined anew, points at the prepared tree; the signature field is still in the form
        COSObjectKey catalog = PdfCrafting.catalogKey(signedPrepared);
        String body = PdfCrafting.lastBody(signedPrepared, catalog.getNumber()).replaceFirst("/Pages \\d+ 0 R",
                "/Pages " + pages + " 0 R");
        byte[] attacked = new Update(signedPrepared).object(catalog.getNumber(), body).write();

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "CATALOG_CHANGED", null, false);
        assertChange(signature, "PAGE_CONTENT", 1, false);
        assertThat(signature.changesAfterSigning()).anySatisfy(c -> assertThat(c.description()).contains("page tree"));

        // the same with a new catalog object that the trailer names instead of redefining the old one
        Update swap = new Update(signedPrepared);
        long newCatalog = swap.nextNumber();
        byte[] swapped = swap.object(newCatalog, body).root(new COSObjectKey(newCatalog, 0)).write();
        SignatureReport again = forged(swapped, SubIndication.FORMAT_FAILURE);
        assertThat(again.changesAfterSigning()).anySatisfy(c ->
                assertThat(c.description()).contains("the trailer names another catalog"));
        assertChange(again, "PAGE_CONTENT", 1, false);
    }

    // ---- object defined twice (signature collision) --------------------------------------------------------------

    @Test
    void collisionObjectDefinedTwiceInTheSignedRevision() throws Exception {
        byte[] plain = TestMaterial.onePagePdf(0);
        COSObjectKey content = pageObjectKey(plain, "Contents");
        byte[] prepared = new Update(plain).stream(content.getNumber(), "", SHOWN_TEXT)
                .secondDefinition(content.getNumber(), streamBody(SHADOW_TEXT)).write();
        // our sealer refuses such a document; a lenient signing tool signs it
        assertThatThrownBy(() -> sealer.seal(prepared, material.request(1, 100, 100)))
                .isInstanceOf(RejectedException.class);
        byte[] signedCollision = PdfCrafting.signLeniently(prepared, material.sealKey);

        // never VALID; not TOTAL_FAILED either: the revision's own cross-reference names one definition, which
        // conforming readers take (real producers write such files: pkcs7_sha1.pdf of the foreign corpus)
        VerificationReport report = verifier.verify(signedCollision);
        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        SignatureReport signature = report.signatures().getFirst();
        assertThat(signature.subIndication()).isEqualTo(SubIndication.SIG_CONSTRAINTS_FAILURE);
        assertThat(signature.signer()).isNotNull();
        assertThat(signature.reasons()).last().asString()
                .contains("object " + content.getNumber() + " 0 in revision 2", "signature collision");
    }

    @Test
    void collisionObjectDefinedTwiceInAnUpdateAfterSigning() throws Exception {
        COSObjectKey content = pageObjectKey(sealed, "Contents");
        byte[] attacked = new Update(sealed).stream(content.getNumber(), "", "% same as signed, for one reader\n")
                .secondDefinition(content.getNumber(), streamBody(SHADOW_TEXT)).write();

        SignatureReport signature = forged(attacked, SubIndication.FORMAT_FAILURE);
        assertChange(signature, "DUPLICATE_OBJECT", null, false);
        assertChange(signature, "PAGE_CONTENT", 1, false);
    }

    // ---- changes a signature allows ------------------------------------------------------------------------

    @Test
    void aSecondSignatureIsAllowed() throws Exception {
        byte[] twice = sealer.seal(sealed, material.request(1, 150, 240));

        VerificationReport report = verifier.verify(twice);
        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).changesAfterSigning()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo("SIGNATURE_ADDED");
            assertThat(c.page()).isEqualTo(1);
            assertThat(c.allowed()).isTrue();
        });
    }

    @Test
    void validationDataAndDocumentTimeStampAreAllowed() throws Exception {
        CrlLongTermMaterial lt = new CrlLongTermMaterial();
        SealRequest base = material.request(1, 100, 100);
        byte[] archived = lt.sealer().seal(TestMaterial.onePagePdf(0), new SealRequest(lt.sealKey, base.appearance(),
                base.placement(), "LTA", null, Instant.now(), SignatureLevel.B_LTA));

        VerificationReport report = new PdfVerifier(List.of(lt.root)).verify(archived);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        SignatureReport seal = report.signatures().get(0);
        assertThat(seal.format()).isEqualTo("PAdES-BASELINE-LTA");
        assertThat(seal.changesAfterSigning()).allSatisfy(c -> assertThat(c.allowed()).isTrue());
        assertChange(seal, "DSS_ADDED", null, true);
        assertChange(seal, "DOCUMENT_TIMESTAMP_ADDED", 1, true);
    }

    @Test
    void formFillingUnderCertificationP2IsAllowed() throws Exception {
        byte[] certified = sealer.seal(PdfCrafting.formPdf(false), certifying(2));

        VerificationReport report = verifier.verify(PdfCrafting.fill(certified, "900"));
        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).changesAfterSigning()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo("FORM_FIELD_FILLED");
            assertThat(c.page()).isEqualTo(1);
            assertThat(c.allowed()).isTrue();
            assertThat(c.description()).contains("\"amount\"", "\"100\" -> \"900\"");
        });
    }

    @Test
    void formFillingUnderCertificationP1IsNotAllowed() throws Exception {
        byte[] certified = sealer.seal(PdfCrafting.formPdf(false), certifying(1));

        SignatureReport signature = forged(PdfCrafting.fill(certified, "900"), SubIndication.FORMAT_FAILURE);
        assertChange(signature, "FORM_FIELD_FILLED", 1, false);
        assertThat(signature.changesAfterSigning().get(0).description()).contains("DocMDP P=1");
    }

    @Test
    void aSignatureAddedUnderCertificationP1IsNotAllowed() throws Exception {
        byte[] certified = sealer.seal(TestMaterial.onePagePdf(0), certifying(1));
        byte[] cosigned = PdfCrafting.signLeniently(certified, material.sealKey);

        VerificationReport report = verifier.verify(cosigned);
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().get(0).subIndication()).isEqualTo(SubIndication.FORMAT_FAILURE);
        assertChange(report.signatures().get(0), "SIGNATURE_ADDED", 1, false);
        assertThat(report.signatures().get(1).indication()).isEqualTo(Indication.TOTAL_PASSED);
    }

    @Test
    void signingAnEmptySignatureFieldPreparedBeforeIsAllowed() throws Exception {
        byte[] prepared;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            var form = new org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            var field = new org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField(form);
            field.setPartialName("approver");
            var widget = field.getWidgets().get(0);
            widget.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(300, 100, 150, 50));
            widget.setPage(document.getPage(0));
            document.getPage(0).getAnnotations().add(widget);
            form.getFields().add(field);
            prepared = TestMaterial.save(document);
        }
        byte[] sealedFirst = sealer.seal(prepared, material.request(1, 60, 60));
        byte[] signedInField = PdfCrafting.signLeniently(sealedFirst, material.sealKey, "approver");

        VerificationReport report = verifier.verify(signedInField);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).hasSize(2);
        assertThat(report.signatures()).filteredOn(s -> s.field().equals("Signature1")).singleElement()
                .satisfies(s -> assertThat(s.changesAfterSigning()).singleElement().satisfies(c -> {
                    assertThat(c.kind()).isEqualTo("SIGNATURE_ADDED");
                    assertThat(c.description()).contains("\"approver\" was signed");
                    assertThat(c.allowed()).isTrue();
                }));
    }

    @Test
    void aPdfEmbeddedInTheDocumentIsNotTakenForItsStructure() throws Exception {
        // an attachment that is itself a PDF, stored uncompressed: its "1 0 obj" and %%EOF are data, not revisions
        byte[] withAttachment;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            var file = new org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile(document,
                    new java.io.ByteArrayInputStream(TestMaterial.onePagePdf(0)));
            file.setSubtype("application/pdf");
            var specification = new org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification();
            specification.setFile("copy.pdf");
            specification.setEmbeddedFile(file);
            var tree = new org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode();
            tree.setNames(java.util.Map.of("copy.pdf", specification));
            var names = new org.apache.pdfbox.pdmodel.PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            document.getDocumentCatalog().setNames(names);
            withAttachment = TestMaterial.save(document);
        }
        assertThat(text(withAttachment)).containsPattern("stream\\r?\\n%PDF-");
        assertThat(text(withAttachment).split("%%EOF", -1)).hasSize(3);
        // (our sealer's own input check, PdfStructure, still takes the attachment's objects for duplicates)
        byte[] twice = PdfCrafting.signLeniently(PdfCrafting.signLeniently(withAttachment, material.sealKey),
                material.sealKey);

        VerificationReport report = verifier.verify(twice);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).changesAfterSigning()).singleElement()
                .satisfies(c -> assertThat(c.kind()).isEqualTo("SIGNATURE_ADDED"));
    }

    @Test
    void aSignatureByAnotherToolOnTopOfOurSealIsAllowed() throws Exception {
        byte[] cosigned = DssOpinion.sign(sealed, material.sealKey);

        VerificationReport report = verifier.verify(cosigned);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).hasSize(2);
        assertThat(report.signatures().get(0).changesAfterSigning()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo("SIGNATURE_ADDED");
            assertThat(c.allowed()).isTrue();
        });
    }

    @Test
    void ourSealOnTopOfAnotherToolsSignatureKeepsItValid() throws Exception {
        byte[] signedByDss = DssOpinion.sign(TestMaterial.onePagePdf(0), material.sealKey);
        byte[] sealedOnTop = sealer.seal(signedByDss, material.request(1, 100, 100));

        VerificationReport report = verifier.verify(sealedOnTop);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).changesAfterSigning()).singleElement()
                .satisfies(c -> assertThat(c.kind()).isEqualTo("SIGNATURE_ADDED"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static final String SHOWN_TEXT = "BT /F1 12 Tf 72 700 Td (Amount: 100) Tj ET";
    private static final String SHADOW_TEXT = "BT /F1 12 Tf 72 700 Td (Amount: 900) Tj ET";

    private static String streamBody(String data) {
        return "<< /Length " + data.length() + " >>\nstream\n" + data + "\nendstream";
    }

    private static void markForUpdate(org.apache.pdfbox.cos.COSDictionary... dictionaries) {
        for (var dictionary : dictionaries) {
            if (dictionary != null) {
                dictionary.setNeedToBeUpdated(true);
            }
        }
    }

    private static byte[] saveIncremental(PDDocument document) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.saveIncremental(out);
        return out.toByteArray();
    }

    private SealRequest certifying(int permissions) throws Exception {
        SealRequest request = material.request(1, 100, 100);
        return new SealRequest(request.key(), request.appearance(), request.placement(), "certifying", "certified",
                Instant.now(), SignatureLevel.B_B, permissions);
    }

    /** Adds a FreeText annotation on page 1 in an incremental update written with PDFBox. */
    private static byte[] addFreeText(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            var page = document.getPage(0);
            var note = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationFreeText();
            note.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(60, 690, 200, 30));
            note.setContents("Amount: 900");
            note.setDefaultAppearance("/Helv 12 Tf 0 g");
            page.getAnnotations().add(note);
            page.getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    private static COSObjectKey pageKey(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return document.getPage(0).getCOSObject().getKey();
        }
    }

    /** Page 1's dictionary as written in its last definition, with one entry replaced (e.g. "/Contents 20 0 R"). */
    private static String pageWith(byte[] pdf, String entry) throws Exception {
        COSObjectKey page = pageKey(pdf);
        String text = text(pdf);
        int at = text.lastIndexOf("\n" + page.getNumber() + " 0 obj");
        String body = text.substring(text.indexOf("<<", at), text.indexOf("endobj", at)).trim();
        String key = entry.substring(0, entry.indexOf(' '));
        return body.replaceFirst(java.util.regex.Pattern.quote(key) + "\\s+(\\d+ \\d+ R|\\[[^]]*])", entry);
    }

    private static SignatureReport forged(byte[] pdf, SubIndication expected) {
        VerificationReport report = verifier.verify(pdf);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        SignatureReport signature = report.signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.subIndication()).as(signature.reasons().toString()).isEqualTo(expected);
        return signature;
    }

    private static void assertChange(SignatureReport signature, String kind, Integer page, boolean allowed) {
        assertThat(signature.changesAfterSigning()).as(signature.changesAfterSigning().toString())
                .anySatisfy(c -> {
                    assertThat(c.kind()).isEqualTo(kind);
                    assertThat(c.page()).isEqualTo(page);
                    assertThat(c.allowed()).isEqualTo(allowed);
                });
    }
}
