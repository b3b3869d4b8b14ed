package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import eu.europa.esig.dss.enumerations.CertificationPermission;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static cn.yinxin.core.pdf.ForeignProducers.acrobatDss;
import static cn.yinxin.core.pdf.ForeignProducers.comment;
import static cn.yinxin.core.pdf.ForeignProducers.defaultFont;
import static cn.yinxin.core.pdf.ForeignProducers.dss;
import static cn.yinxin.core.pdf.ForeignProducers.dssDocumentTimeStamp;
import static cn.yinxin.core.pdf.ForeignProducers.dssExtend;
import static cn.yinxin.core.pdf.ForeignProducers.formNaming;
import static cn.yinxin.core.pdf.ForeignProducers.formWithEmptySignatureField;
import static cn.yinxin.core.pdf.ForeignProducers.note;
import static cn.yinxin.core.pdf.ForeignProducers.openPdf;
import static cn.yinxin.core.pdf.ForeignProducers.openPdfComment;
import static cn.yinxin.core.pdf.ForeignProducers.openPdfFill;
import static cn.yinxin.core.pdf.ForeignProducers.outputIntent;
import static cn.yinxin.core.pdf.ForeignProducers.pdfBox;
import static cn.yinxin.core.pdf.ForeignProducers.visible;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Genuine documents signed, extended, filled and commented by other products (EU DSS, OpenPDF, PDFBox used as other
 * products use it), made here with real signers, a TSA and an OCSP responder that both verifiers trust: where EU DSS
 * finds every signature TOTAL_PASSED, Yinxin must not call the document broken. Each rule loosened for them has its
 * malicious variant here too, which must stay not VALID. docs/security.md ("Genuine documents from other products")
 * lists what was tried and what Yinxin answered before and after.
 */
class ForeignProducersTest {

    private static final SignatureLevel B = SignatureLevel.PAdES_BASELINE_B;
    private static final SignatureLevel T = SignatureLevel.PAdES_BASELINE_T;
    private static final Consumer<eu.europa.esig.dss.pades.PAdESSignatureParameters> INVISIBLE = p -> { };
    /** "Approval result" is written at (72, 700) in 12 pt Helvetica on page 1 of TestMaterial.onePagePdf. */
    private static final PDRectangle ON_BLANK_PAPER = new PDRectangle(400, 750, 20, 20);
    private static final String ICON = "1 1 0 rg 0 0 20 20 re f 0 g 4 4 12 12 re S";

    private static ForeignPki pki;
    private static PdfVerifier verifier;

    @FunctionalInterface
    interface Maker {
        byte[] make() throws Exception;
    }

    @BeforeAll
    static void setUp() throws Exception {
        pki = new ForeignPki();
        verifier = new PdfVerifier(List.of(pki.root), pki.revocation());
    }

    static Stream<Arguments> genuine() throws Exception {
        byte[] plain = TestMaterial.onePagePdf(0);
        byte[] form = formWithEmptySignatureField();
        return Stream.of(
                Arguments.of("DSS B-B", (Maker) () -> dss(pki, plain, pki.sealKey, B, INVISIBLE)),
                Arguments.of("DSS B-T", (Maker) () -> dss(pki, plain, pki.sealKey, T, INVISIBLE)),
                Arguments.of("DSS B-T extended to B-LT by DSS", (Maker) () ->
                        dssExtend(pki, dss(pki, plain, pki.sealKey, T, INVISIBLE), SignatureLevel.PAdES_BASELINE_LT)),
                Arguments.of("DSS B-T extended to B-LTA by DSS", (Maker) () ->
                        dssExtend(pki, dss(pki, plain, pki.sealKey, T, INVISIBLE), SignatureLevel.PAdES_BASELINE_LTA)),
                Arguments.of("DSS document time-stamp after B-B", (Maker) () ->
                        dssDocumentTimeStamp(pki, dss(pki, plain, pki.sealKey, B, INVISIBLE))),
                Arguments.of("DSS visible (image and text)", (Maker) () ->
                        dss(pki, plain, pki.sealKey, B, visible(null, 300, 100))),
                Arguments.of("DSS into an existing empty field", (Maker) () ->
                        dss(pki, form, pki.sealKey, B, visible("Approval", 0, 0))),
                Arguments.of("DSS, then a second DSS signer, visible", (Maker) () -> secondVisibleSigner(plain)),
                Arguments.of("DSS two signers, then B-LTA", (Maker) () ->
                        dssExtend(pki, secondVisibleSigner(plain), SignatureLevel.PAdES_BASELINE_LTA)),
                Arguments.of("DSS two visible signers on a rotated page", (Maker) () -> dss(pki,
                        dss(pki, TestMaterial.onePagePdf(90), pki.sealKey, B, visible(null, 100, 100)),
                        pki.personKey, B, visible(null, 300, 300))),
                Arguments.of("DSS certified P=2, PDFBox fills, DSS signs the empty field", (Maker) () -> dss(pki,
                        PdfCrafting.fill(dss(pki, form, pki.sealKey, B, certified(2)), "250"), pki.personKey, B,
                        visible("Approval", 0, 0))),
                Arguments.of("DSS signs, a second DSS signer into the empty field", (Maker) () -> dss(pki,
                        dss(pki, form, pki.sealKey, B, INVISIBLE), pki.personKey, B, visible("Approval", 0, 0))),
                Arguments.of("DSS certified P=1, extended to B-LTA", (Maker) () -> dssExtend(pki,
                        dss(pki, plain, pki.sealKey, T, certified(1)), SignatureLevel.PAdES_BASELINE_LTA)),
                Arguments.of("DSS certified P=3, PDFBox sticky note", (Maker) () ->
                        comment(dss(pki, form, pki.sealKey, B, certified(3)), "looks fine")),
                Arguments.of("OpenPDF invisible", (Maker) () -> openPdf(plain, pki.sealKey, false, null)),
                Arguments.of("OpenPDF visible, then OpenPDF again", (Maker) () ->
                        openPdf(openPdf(plain, pki.sealKey, true, null), pki.personKey, false, null)),
                Arguments.of("OpenPDF into an existing empty field", (Maker) () ->
                        openPdf(form, pki.sealKey, false, "Approval")),
                Arguments.of("OpenPDF over DSS B-T", (Maker) () ->
                        openPdf(dss(pki, plain, pki.sealKey, T, INVISIBLE), pki.personKey, true, null)),
                Arguments.of("OpenPDF, then a visible DSS signer", (Maker) () -> dss(pki,
                        openPdf(plain, pki.sealKey, true, null), pki.personKey, T, visible(null, 300, 300))),
                Arguments.of("OpenPDF, then DSS B-LTA", (Maker) () ->
                        dssExtend(pki, openPdf(plain, pki.sealKey, true, null), SignatureLevel.PAdES_BASELINE_LTA)),
                Arguments.of("OpenPDF certified P=2, OpenPDF fills, OpenPDF signs the empty field", (Maker) () ->
                        openPdf(openPdfFill(openPdf(form, pki.sealKey, false, null, 2), "amount", "250"),
                                pki.personKey, false, "Approval")),
                Arguments.of("OpenPDF certified P=3, OpenPDF sticky note", (Maker) () ->
                        openPdfComment(openPdf(form, pki.sealKey, false, null, 3), "ok")),
                Arguments.of("DSS signs, OpenPDF fills an empty field", (Maker) () ->
                        openPdfFill(dss(pki, emptyAmount(), pki.sealKey, B, INVISIBLE), "amount", "250")),
                Arguments.of("PDFBox into an existing empty field", (Maker) () ->
                        pdfBox(form, pki.sealKey, "Approval", 0)),
                Arguments.of("PDFBox certified P=2, PDFBox fills, PDFBox signs", (Maker) () -> pdfBox(
                        PdfCrafting.fill(pdfBox(form, pki.sealKey, null, 2), "250"), pki.personKey, "Approval", 0)),
                Arguments.of("PDFBox certified P=3, PDFBox sticky note", (Maker) () ->
                        comment(pdfBox(form, pki.sealKey, null, 3), "looks fine")),
                Arguments.of("PDFBox, Acrobat-like DSS and VRI, PDFBox signs", (Maker) () -> pdfBox(
                        acrobatDss(pki, pdfBox(form, pki.sealKey, null, 0), pki.sealKey), pki.personKey, "Approval", 0)),
                Arguments.of("PDFBox signs, fills an empty field, DSS B-LTA", (Maker) () -> dssExtend(pki,
                        PdfCrafting.fill(pdfBox(emptyAmount(), pki.sealKey, null, 0), "250"),
                        SignatureLevel.PAdES_BASELINE_LTA)),
                Arguments.of("DSS certified P=2 on a two-page form, PDFBox ticks and picks, DSS signs page 2",
                        (Maker) () -> dss(pki, ForeignProducers.fillRich(dss(pki, ForeignProducers.richForm(),
                                pki.sealKey, B, certified(2)), "Xiamen"), pki.personKey, B, visible("Second", 0, 0))),
                Arguments.of("DSS two-page form, then DSS signs page 2, then OpenPDF signs page 1", (Maker) () ->
                        openPdf(dss(pki, dss(pki, ForeignProducers.richForm(), pki.sealKey, T, INVISIBLE),
                                pki.personKey, T, visible("Second", 0, 0)), pki.sealKey, false, "Approval")),
                Arguments.of("DSS B-T, then PDFBox's own visible signature", (Maker) () -> ForeignProducers.pdfBoxVisible(
                        dss(pki, plain, pki.sealKey, T, INVISIBLE), pki.personKey, 300, 300)),
                Arguments.of("PDFBox visible, then PDFBox visible again, then DSS B-LTA", (Maker) () -> dssExtend(pki,
                        ForeignProducers.pdfBoxVisible(ForeignProducers.pdfBoxVisible(form, pki.sealKey, 300, 100),
                                pki.personKey, 300, 400), SignatureLevel.PAdES_BASELINE_LTA)),
                Arguments.of("DSS certified P=2, PDFBox selects two entries of a list box", (Maker) () ->
                        ForeignProducers.selectServices(dss(pki, ForeignProducers.withListBox(form), pki.sealKey, B,
                                certified(2)), List.of("A", "C"))),
                Arguments.of("DSS certified P=2, PDFBox fills, DSS extends to B-LTA", (Maker) () -> dssExtend(pki,
                        PdfCrafting.fill(dss(pki, form, pki.sealKey, T, certified(2)), "250"),
                        SignatureLevel.PAdES_BASELINE_LTA)),
                Arguments.of("OpenPDF signs a form, PDFBox ticks its check box, DSS B-LT", (Maker) () -> dssExtend(pki,
                        ForeignProducers.fillRich(openPdf(ForeignProducers.richForm(), pki.sealKey, false, "Approval"),
                                null), SignatureLevel.PAdES_BASELINE_LT)),
                Arguments.of("DSS signs, PDFBox chooses a radio button (none chosen when signed)", (Maker) () ->
                        ForeignProducers.choose(dss(pki, ForeignProducers.withRadios(form), pki.sealKey, B,
                                INVISIBLE), "M")),
                Arguments.of("OpenPDF certified P=2, OpenPDF chooses a radio button, DSS signs", (Maker) () -> dss(pki,
                        openPdfFill(openPdf(ForeignProducers.withRadios(form), pki.sealKey, false, null, 2), "size",
                                "L"), pki.personKey, B, visible("Approval", 0, 0))),
                Arguments.of("OpenPDF compressed: signs, fills, a second signer", (Maker) () -> {
                    ForeignProducers.compressNext = true;
                    try {
                        byte[] signed = openPdf(emptyAmount(), pki.sealKey, true, null);
                        byte[] pdf = openPdf(openPdfFill(signed, "amount", "250"), pki.personKey, false, "Approval");
                        String text = new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1);
                        assertThat(text.lastIndexOf("/ObjStm")).as("OpenPDF's updates in object streams")
                                .isGreaterThan(text.indexOf("%%EOF"));
                        return pdf;
                    } finally {
                        ForeignProducers.compressNext = false;
                    }
                }),
                Arguments.of("OpenPDF certified P=2 on a two-page form, OpenPDF ticks and picks", (Maker) () -> {
                    byte[] certified = openPdf(ForeignProducers.richForm(), pki.sealKey, false, null, 2);
                    return openPdfFill(openPdfFill(certified, "agree", "Yes"), "city", "Xiamen");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("genuine")
    void aGenuineDocumentDssPassesIsNotCalledBroken(String producer, Maker maker) throws Exception {
        byte[] pdf = maker.make();
        List<String> dss = dssIndications(pdf);
        assertThat(dss).as("EU DSS on %s", producer).isNotEmpty().allMatch("TOTAL_PASSED"::equals);

        VerificationReport report = verifier.verify(pdf);
        assertThat(report.signatures()).as(report.toString()).allSatisfy(s -> {
            assertThat(s.indication()).as(s.toString()).isEqualTo(Indication.TOTAL_PASSED);
            assertThat(s.changesAfterSigning()).as(s.toString()).allSatisfy(c -> assertThat(c.allowed()).isTrue());
        });
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
    }

    // ---- where Yinxin answers otherwise than DSS, on purpose ---------------------------------------------------

    /**
     * A comment on an approval seal (no certification): DSS passes it, Yinxin applies P=2 to an approval signature
     * (docs/architecture.md: annotations are what the "evil annotation" attack uses), so the note is not allowed.
     */
    @Test
    void aStickyNoteOnAnApprovalSignatureIsNotAllowed() throws Exception {
        byte[] pdf = comment(pdfBox(formWithEmptySignatureField(), pki.sealKey, null, 0), "looks fine");
        assertThat(dssIndications(pdf)).containsExactly("TOTAL_PASSED");

        SignatureReport signature = verifier.verify(pdf).signatures().get(0);
        assertThat(signature.changesAfterSigning()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo("ANNOTATION_ADDED");
            assertThat(c.allowed()).isFalse();
        });
    }

    /** A value the approval signer saw, changed later (DSS: TOTAL_PASSED with modifications): signed content. */
    @Test
    void aValueTheApprovalSignerSawChangedIsNotAllowed() throws Exception {
        byte[] pdf = PdfCrafting.fill(dss(pki, formWithEmptySignatureField(), pki.sealKey, B, INVISIBLE), "250");
        assertThat(dssIndications(pdf)).containsExactly("TOTAL_PASSED");

        assertThat(verifier.verify(pdf).signatures().get(0).changesAfterSigning()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo("FORM_FIELD_FILLED");
            assertThat(c.allowed()).isFalse();
        });
    }

    // ---- outside tools: qpdf rewrites, poppler judges the signature bytes ---------------------------------------

    /**
     * qpdf rewrites a signed document whole (not incrementally), as a "repair" or "optimise" step would: every
     * signature is broken, here as in DSS (which finds the signed bytes changed).
     */
    @ParameterizedTest(name = "qpdf {0}")
    @MethodSource("qpdfModes")
    void aDocumentRewrittenWholeByQpdfIsBroken(String mode) throws Exception {
        byte[] signed = dss(pki, TestMaterial.onePagePdf(0), pki.sealKey, T, INVISIBLE);
        byte[] rewritten = tool(signed, "qpdf", mode);

        assertThat(dssIndications(rewritten)).isNotEmpty().doesNotContain("TOTAL_PASSED");
        VerificationReport report = verifier.verify(rewritten);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.indication()).isEqualTo(Indication.TOTAL_FAILED));
    }

    static Stream<String> qpdfModes() {
        return Stream.of("--object-streams=preserve", "--object-streams=generate", "--linearize");
    }

    /** poppler's pdfsig finds OpenPDF's and DSS's signature bytes valid (an outside judge of what we call intact). */
    @Test
    void popplerFindsTheSignatureBytesOfOpenPdfAndDssValid() throws Exception {
        byte[] pdf = dss(pki, openPdf(openPdf(formWithEmptySignatureField(), pki.sealKey, true, null),
                pki.personKey, false, "Approval"), pki.sealKey, T, visible(null, 300, 600));
        Path file = Files.createTempFile("foreign", ".pdf");
        Files.write(file, pdf);
        Process pdfsig = new ProcessBuilder("pdfsig", "-nocert", file.toString()).redirectErrorStream(true).start();
        String said = new String(pdfsig.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        pdfsig.waitFor();
        Files.delete(file);
        assertThat(said.split("Signature is Valid", -1)).as(said).hasSize(4);
        assertThat(verifier.verify(pdf).verdict()).isEqualTo(Verdict.VALID);
    }

    // ---- the loosened rules' malicious variants ----------------------------------------------------------------

    /** An output intent whose profile is not sRGB (linear RGB): Acrobat draws device RGB through it. */
    @Test
    void anOutputIntentThatIsNotSrgbStillFails() throws Exception {
        byte[] signed = dss(pki, TestMaterial.onePagePdf(0), pki.sealKey, B, INVISIBLE);
        byte[] linear = outputIntent(signed, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());
        assertRefused(linear, "CATALOG_CHANGED");

        byte[] srgb = outputIntent(signed, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
        assertThat(verifier.verify(srgb).verdict()).isEqualTo(Verdict.VALID);
    }

    /** Under DocMDP P=1 nothing but validation data may follow: not even an sRGB output intent. */
    @Test
    void anSrgbOutputIntentUnderCertificationP1StillFails() throws Exception {
        byte[] signed = dss(pki, TestMaterial.onePagePdf(0), pki.sealKey, B, certified(1));
        assertRefused(outputIntent(signed, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()), "CATALOG_CHANGED");
    }

    /** The default fonts' /Helv, which the signed field's /DA names, replaced by Courier. */
    @Test
    void aDefaultFontReplacedStillFails() throws Exception {
        byte[] signed = dss(pki, formWithEmptySignatureField(), pki.sealKey, B, INVISIBLE);
        assertRefused(defaultFont(signed, "Helv", Standard14Fonts.FontName.COURIER), "OBJECT_REDEFINED");
    }

    /** A font added under a name the signed field's /DA named while the defaults lacked it (viewers substituted). */
    @Test
    void aDefaultFontAddedUnderANameASignedDaUsesStillFails() throws Exception {
        byte[] signed = dss(pki, formNaming("Fx"), pki.sealKey, B, INVISIBLE);
        assertRefused(defaultFont(signed, "Fx", Standard14Fonts.FontName.COURIER), "OBJECT_REDEFINED");

        byte[] unused = defaultFont(signed, "ZaDb", Standard14Fonts.FontName.ZAPF_DINGBATS);
        assertThat(verifier.verify(unused).verdict()).isEqualTo(Verdict.VALID);
    }

    /**
     * Under P=2, a choice field filled with /V and its top index (as OpenPDF does), or with the indices of what /V
     * selects (as PDFBox does), is allowed; selected indices (/I) pointing at other options than /V (a viewer that
     * shows the selection by index shows another city, or D for C), or a /TI given to a text field, are not.
     */
    @Test
    void aChoiceFieldsSelectedIndicesChangedStillFail() throws Exception {
        byte[] certified = openPdf(ForeignProducers.richForm(), pki.sealKey, false, null, 2);
        byte[] filled = openPdfFill(certified, "city", "Xiamen");
        assertThat(verifier.verify(filled).verdict()).isEqualTo(Verdict.VALID);

        COSArray quanzhou = new COSArray();
        quanzhou.add(COSInteger.get(2));
        assertRefused(ForeignProducers.setOnField(filled, "city", "I", quanzhou), "FORM_FIELD_CHANGED");
        assertRefused(ForeignProducers.setOnField(PdfCrafting.fill(certified, "250"), "amount", "TI",
                COSInteger.get(1)), "FORM_FIELD_CHANGED");

        byte[] list = dss(pki, ForeignProducers.withListBox(formWithEmptySignatureField()), pki.sealKey, B,
                certified(2));
        byte[] selected = ForeignProducers.selectServices(list, List.of("A", "C"));
        assertThat(verifier.verify(selected).verdict()).isEqualTo(Verdict.VALID);
        COSArray aAndD = new COSArray();
        aAndD.add(COSInteger.get(0));
        aAndD.add(COSInteger.get(3));
        assertRefused(ForeignProducers.setOnField(selected, "services", "I", aAndD), "FORM_FIELD_CHANGED");
    }

    /**
     * A radio group none of whose buttons was chosen when sealed: choosing one fills its box (each widget of the group
     * is known by name and box), but a chosen button whose appearance paints out the frame the signer saw is a
     * visible change.
     */
    @Test
    void aRadioButtonWhoseAppearanceErasesItsFrameStillFails() throws Exception {
        byte[] signed = dss(pki, ForeignProducers.withRadios(formWithEmptySignatureField()), pki.sealKey, B, INVISIBLE);
        assertThat(verifier.verify(ForeignProducers.choose(signed, "M")).verdict()).isEqualTo(Verdict.VALID);

        assertRefused(ForeignProducers.chooseDrawing(signed, "M", "1 g 0 0 14 14 re f 0 g 4 4 6 6 re f"),
                "VISIBLE_CHANGE");
    }

    /** Under P=3, a note whose white icon covers the certified text. */
    @Test
    void aStickyNoteOverTheCertifiedTextStillFails() throws Exception {
        byte[] certified = pdfBox(TestMaterial.onePagePdf(0), pki.sealKey, null, 3);
        assertRefused(note(certified, new PDRectangle(72, 696, 20, 20), 4, "1 g 0 0 20 20 re f"), "VISIBLE_CHANGE");

        assertThat(verifier.verify(note(certified, ON_BLANK_PAPER, 4, ICON)).verdict()).isEqualTo(Verdict.VALID);
    }

    /** Under P=3, a "note" as large as a stamp, writing an amount on blank paper. */
    @Test
    void aLargeTextAnnotationOnBlankPaperStillFails() throws Exception {
        byte[] certified = pdfBox(TestMaterial.onePagePdf(0), pki.sealKey, null, 3);
        assertRefused(note(certified, new PDRectangle(300, 600, 200, 40), 4,
                "BT /F1 18 Tf 2 12 Td (Amount: 900) Tj ET"), "VISIBLE_CHANGE");
    }

    /**
     * Under P=3, a note on blank paper just above the certified text, drawn at a fixed size whatever the zoom
     * (/NoZoom): zoomed out, its icon covers the text. The same note at the page's scale is left out.
     */
    @Test
    void aFixedSizeNoteThatCoversTheTextWhenZoomedOutStillFails() throws Exception {
        byte[] certified = pdfBox(TestMaterial.onePagePdf(0), pki.sealKey, null, 3);
        PDRectangle aboveTheText = new PDRectangle(80, 716, 20, 20);
        assertRefused(note(certified, aboveTheText, 4 | 8, ICON), "VISIBLE_CHANGE");

        assertThat(verifier.verify(note(certified, aboveTheText, 4, ICON)).verdict()).isEqualTo(Verdict.VALID);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static void assertRefused(byte[] pdf, String kind) {
        VerificationReport report = verifier.verify(pdf);
        assertThat(report.verdict()).as(report.toString()).isNotEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).changesAfterSigning()).as(report.toString()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo(kind);
            assertThat(c.allowed()).isFalse();
        });
    }

    private static byte[] secondVisibleSigner(byte[] pdf) throws Exception {
        return dss(pki, dss(pki, pdf, pki.sealKey, T, INVISIBLE), pki.personKey, T, visible(null, 300, 300));
    }

    private static Consumer<eu.europa.esig.dss.pades.PAdESSignatureParameters> certified(int p) {
        CertificationPermission permission = switch (p) {
            case 1 -> CertificationPermission.NO_CHANGE_PERMITTED;
            case 2 -> CertificationPermission.MINIMAL_CHANGES_PERMITTED;
            default -> CertificationPermission.CHANGES_PERMITTED;
        };
        return parameters -> parameters.setPermission(permission);
    }

    /** PdfCrafting.formPdf with the field "amount" empty: a form the signer signs before anyone fills it. */
    static byte[] emptyAmount() throws Exception {
        try (var document = org.apache.pdfbox.Loader.loadPDF(formWithEmptySignatureField())) {
            document.getDocumentCatalog().getAcroForm(null).getField("amount").setValue("");
            return TestMaterial.save(document);
        }
    }

    /** {@code pdf} through a command-line tool that writes its output to a file: {@code tool [options] in out}. */
    private static byte[] tool(byte[] pdf, String command, String option) throws Exception {
        Path in = Files.createTempFile("foreign", ".pdf");
        Path out = Files.createTempFile("foreign", ".pdf");
        try {
            Files.write(in, pdf);
            Process process = new ProcessBuilder(command, option, in.toString(), out.toString())
                    .redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            assertThat(process.waitFor()).as("%s exit (3: warnings)", command).isIn(0, 3);
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** EU DSS's indication for every signature, trusting the same root, with the same OCSP responder. */
    private static List<String> dssIndications(byte[] pdf) {
        var validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(pdf));
        validator.setCertificateVerifier(pki.dssVerifier());
        var simple = validator.validateDocument().getSimpleReport();
        return simple.getSignatureIdList().stream().map(id -> String.valueOf(simple.getIndication(id))).toList();
    }
}
