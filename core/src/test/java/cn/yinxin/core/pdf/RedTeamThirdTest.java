package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static cn.yinxin.core.pdf.PdfCrafting.bytes;
import static cn.yinxin.core.pdf.PdfCrafting.lastBody;
import static cn.yinxin.core.pdf.RedTeamTest.APPEARANCE_ENTRIES;
import static cn.yinxin.core.pdf.RedTeamTest.APPROVED;
import static cn.yinxin.core.pdf.RedTeamTest.assertNotValid;
import static cn.yinxin.core.pdf.RedTeamTest.revision;
import static cn.yinxin.core.pdf.RedTeamTest.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third hostile read (2026-12-07), after the change rules, the visual proof and two red-team rounds. Each test is an
 * attack on a genuinely sealed document, as an attacker with a text editor would make it; each asserts the verdict a
 * clerk must get. With -Dredteam.out=DIR each crafted file is written there (to look at it with poppler, pdf.js...).
 */
class RedTeamThirdTest {

    private static TestMaterial material;
    private static PdfVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        material = new TestMaterial();
        verifier = new PdfVerifier(List.of(material.root));
    }

    static VerificationReport verify(String name, byte[] pdf) throws Exception {
        return RedTeamTest.verified(verifier, name, pdf);
    }

    // ---- /NeedAppearances cleared ---------------------------------------------------------------------------------

    /**
     * A form whose read-only field "amount" holds 100 (/V) under /NeedAppearances true, as many form generators write
     * it: every viewer that honours the flag (Acrobat, pdf.js, poppler: seen with pdftoppm) draws the value itself
     * and shows 100. The widget's stored appearance stream, which those viewers do not show, reads 900 (a stale
     * appearance, or one prepared so).
     */
    static byte[] staleAppearanceForm() throws Exception {
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(true))) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            form.setNeedAppearances(true);
            PDTextField amount = (PDTextField) form.getField("amount");
            PDAppearanceStream stream = new PDAppearanceStream(document);
            stream.setBBox(new PDRectangle(200, 20));
            PDResources resources = new PDResources();
            resources.getCOSObject().setItem(COSName.FONT, form.getDefaultResources().getCOSObject()
                    .getCOSDictionary(COSName.FONT));
            stream.setResources(resources);
            try (var out = stream.getContentStream().createOutputStream()) {
                out.write(bytes("/Tx BMC BT /Helv 12 Tf 0 g 2 5 Td (900) Tj ET EMC"));
            }
            PDAppearanceDictionary appearance = new PDAppearanceDictionary();
            appearance.setNormalAppearance(stream);
            amount.getWidgets().getFirst().setAppearance(appearance);
            assertThat(amount.getValue()).isEqualTo("100");
            return TestMaterial.save(document);
        }
    }

    /**
     * After sealing, /NeedAppearances is set to false: FormRule allows it ("the interactive form's /NeedAppearances
     * was cleared", LTA_UPDATES), and the visual proof sees nothing, because PDFBox draws the stored appearance streams
     * whatever the flag says (900 in both pictures). Every viewer that honoured the flag showed 100 when the seal was
     * applied and now shows the stored 900.
     */
    @Test
    void needAppearancesClearedAfterSealingShowsTheStoredAppearances() throws Exception {
        byte[] sealed = new PdfSealer().seal(staleAppearanceForm(), material.request(1, 100, 100));
        assertThat(verify("needappearances-sealed", sealed).verdict()).isEqualTo(Verdict.VALID);
        byte[] forged;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            COSDictionary form = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM);
            assertThat(form.getBoolean(COSName.NEED_APPEARANCES, false)).as("the sealer keeps the flag").isTrue();
            form.setBoolean(COSName.NEED_APPEARANCES, false);
            form.setNeedToBeUpdated(true);
            document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
            forged = RedTeamTest.saveIncremental(document);
        }

        assertNotValid(verify("needappearances-cleared", forged));
    }

    // ---- a value the signer saw, in a field whose /V is empty ----------------------------------------------------

    /**
     * A fillable field "amount" whose appearance shows 100 while its /V is empty (a form whose values were kept only
     * as appearances, as some tools leave them, or one prepared so): the signer sees 100.
     */
    static byte[] valueShownButNotStated() throws Exception {
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            PDTextField amount = (PDTextField) document.getDocumentCatalog().getAcroForm(null).getField("amount");
            assertThat(new String(amount.getWidgets().getFirst().getNormalAppearanceStream().getContentStream()
                    .toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("(100) Tj");
            amount.getCOSObject().removeItem(COSName.V);
            return TestMaterial.save(document);
        }
    }

    /**
     * After sealing the field is "filled in" with 900 (/V and appearance), as a form filler does. FormRule allows filling
     * a field that is not read-only (FORM_FILLING, which a seal allows), and the visual proof left out the box of every
     * fillable field "empty when signed", judged by its /V alone: 100 became 900 and the verdict was VALID ("the form
     * field was filled in: '' -> '900'"). A field whose appearance showed a value was not empty to the signer.
     */
    @Test
    void aFieldThatShowedAValueWithoutStatingItIsNotEmpty() throws Exception {
        byte[] sealed = new PdfSealer().seal(valueShownButNotStated(), material.request(1, 100, 100));
        assertThat(verify("shown-not-stated-sealed", sealed).verdict()).isEqualTo(Verdict.VALID);

        assertNotValid(verify("shown-not-stated-filled", PdfCrafting.fill(sealed, "900")));
    }

    /** The same form with the field truly empty (no value, an appearance that shows none) may be filled after sealing. */
    @Test
    void aTrulyEmptyFieldMayStillBeFilledIn() throws Exception {
        byte[] empty;
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            ((PDTextField) document.getDocumentCatalog().getAcroForm(null).getField("amount")).setValue("");
            empty = TestMaterial.save(document);
        }
        byte[] sealed = new PdfSealer().seal(empty, material.request(1, 100, 100));
        assertThat(verify("empty-field-filled", PdfCrafting.fill(sealed, "900")).verdict()).isEqualTo(Verdict.VALID);
    }

    /**
     * An empty fillable field laid over text the page itself prints ("Amount: 100"): its empty appearance draws
     * nothing, so the signer sees the page's 100 through it.
     */
    static byte[] emptyFieldOverPrintedText() throws Exception {
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            ((PDTextField) form.getField("amount")).setValue("");
            var page = document.getPage(0);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, page,
                    org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode.APPEND, false)) {
                PdfCrafting.text(content, new org.apache.pdfbox.pdmodel.font.PDType1Font(
                        org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 76, 705, "Amount: 100");
            }
            return TestMaterial.save(document);
        }
    }

    /**
     * After sealing the empty field is "filled in" with an appearance that first paints its box white, then writes
     * Amount: 900: the page's printed 100 is covered. A fill is allowed (FORM_FILLING) and the visual proof left the
     * whole box of a field empty when signed out of the comparison, so what the page printed there could be covered:
     * VALID. A fill may add to a blank box; what was drawn in the box when signed must stay as it was.
     */
    @Test
    void aFillThatCoversWhatThePagePrintedUnderAnEmptyField() throws Exception {
        byte[] sealed = new PdfSealer().seal(emptyFieldOverPrintedText(), material.request(1, 100, 100));
        assertThat(verify("fill-covers-sealed", sealed).verdict()).isEqualTo(Verdict.VALID);
        byte[] filled;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
            PDTextField amount = (PDTextField) form.getField("amount");
            amount.getCOSObject().setString(COSName.V, "900");
            PDAppearanceStream stream = new PDAppearanceStream(document);
            stream.setBBox(new PDRectangle(200, 20));
            PDResources resources = new PDResources();
            resources.getCOSObject().setItem(COSName.FONT, form.getDefaultResources().getCOSObject()
                    .getCOSDictionary(COSName.FONT));
            stream.setResources(resources);
            try (var out = stream.getContentStream().createOutputStream()) {
                out.write(bytes("/Tx BMC 1 1 1 rg 0 0 200 20 re f BT /Helv 12 Tf 0 g 4 5 Td (Amount: 900) Tj ET EMC"));
            }
            PDAppearanceDictionary appearance = new PDAppearanceDictionary();
            appearance.setNormalAppearance(stream);
            amount.getWidgets().getFirst().setAppearance(appearance);
            amount.getCOSObject().setNeedToBeUpdated(true);
            filled = RedTeamTest.saveIncremental(document);
        }

        assertNotValid(verify("fill-covers", filled));
    }

    // ---- a JPEG that takes hours to draw -------------------------------------------------------------------------

    /**
     * After the seal, page 1 is given a second content stream that draws a JPEG image (DCTDecode) of 2,000 x 2,000
     * pixels whose last scan is repeated 1,000 times (150 KB): the change is reported, but the visual proof draws the
     * page, and the JDK's JPEG decoder walks the whole image once per scan (seconds here; at 10 MB, hours), inside one
     * page's drawing where no time limit reaches. Any signature will do: the worker is kept, whatever the verdict.
     * Counted from the raw bytes before anything is drawn: INDETERMINATE, limit image-scans.
     */
    @Test
    void aJpegOfThousandsOfScansIsNotDrawn() throws Exception {
        byte[] sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        byte[] jpeg = cn.yinxin.core.qr.QrImageRedTeamTest.repeatLastScan(
                cn.yinxin.core.qr.QrImageRedTeamTest.progressiveWhiteJpeg(2000), 1000);
        COSObjectKey page = cn.yinxin.core.pdf.verify.changes.ChangeRulesTest.pageKey(sealed);
        COSObjectKey contents = PdfCrafting.pageObjectKey(sealed, "Contents");
        long image = PdfCrafting.trailerSize(sealed);
        long draw = image + 1;
        COSObjectKey resources = PdfCrafting.pageObjectKey(sealed, "Resources");
        // the page's own resources (in an object stream) are left aside: the image is all it needs to draw
        String body = lastBody(sealed, page.getNumber())
                .replaceFirst("/Contents " + contents.getNumber() + " 0 R",
                        "/Contents [" + contents.getNumber() + " 0 R " + draw + " 0 R]")
                .replaceFirst("/Resources " + resources.getNumber() + " 0 R",
                        "/Resources << /XObject << /Im9 " + image + " 0 R >> >>");
        assertThat(body).contains(draw + " 0 R]").contains("/Im9");
        byte[] forged = revision(sealed, List.of(
                RedTeamTest.Obj.of(image, stream("/Type /XObject /Subtype /Image /Width 2000 /Height 2000 "
                        + "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", PdfCrafting.text(jpeg))),
                RedTeamTest.Obj.of(draw, stream("", "q 100 0 0 100 300 300 cm /Im9 Do Q")),
                RedTeamTest.Obj.of(page.getNumber(), body)), List.of(), null, "");

        VerificationReport report = verify("jpeg-scans", forged);
        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("image-scans");
    }

    /**
     * The other way round: an empty field whose box is tinted (/MK /BG light yellow, as forms mark what to fill in)
     * is filled after sealing. The tint was drawn when signed, but it is the box's own background, not what the page
     * printed: the fill writes on it, and the document stays valid.
     */
    @Test
    void anEmptyTintedFieldMayStillBeFilledIn() throws Exception {
        byte[] tinted;
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            PDTextField amount = (PDTextField) document.getDocumentCatalog().getAcroForm(null).getField("amount");
            var characteristics = new org.apache.pdfbox.pdmodel.interactive.annotation
                    .PDAppearanceCharacteristicsDictionary(new org.apache.pdfbox.cos.COSDictionary());
            characteristics.setBackground(new org.apache.pdfbox.pdmodel.graphics.color.PDColor(new float[]{1f, 1f, 0.7f},
                    org.apache.pdfbox.pdmodel.graphics.color.PDDeviceRGB.INSTANCE));
            amount.getWidgets().getFirst().setAppearanceCharacteristics(characteristics);
            amount.setValue("");
            tinted = TestMaterial.save(document);
        }
        byte[] sealed = new PdfSealer().seal(tinted, material.request(1, 100, 100));
        assertThat(verify("tinted-field-filled", PdfCrafting.fill(sealed, "900")).verdict()).isEqualTo(Verdict.VALID);
    }

    // ---- an annotation PDFBox cannot draw, under DocMDP P=3 ---------------------------------------------------

    /**
     * A document certified with DocMDP P=3 (commenting allowed) gets, after certification, a rubber stamp annotation
     * /Name /Approved with no appearance stream over the signed text. P=3 allows annotations "judged by what they
     * show", and the judge is the visual proof; PDFBox has no drawing for a stamp without an appearance (it has one for
     * notes, shapes, free text, markup), so both pictures are the same. Readers draw the standard stamp: poppler (seen
     * with pdftoppm 22.12) paints a large "APPROVED" over the text, as Acrobat does.
     */
    @Test
    void aStampWithoutAppearanceThatPdfBoxCannotDrawUnderCertificationP3() throws Exception {
        byte[] certified = certifiedForComments(TestMaterial.onePagePdf(0));
        assertThat(verify("stamp-certified", certified).verdict()).isEqualTo(Verdict.VALID);
        byte[] stamped;
        try (PDDocument document = Loader.loadPDF(certified)) {
            var page = document.getPage(0);
            var stamp = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp();
            stamp.setRectangle(new PDRectangle(60, 640, 400, 140));
            stamp.setName("Approved");
            stamp.setPrinted(true);
            page.getAnnotations().add(stamp);
            page.getCOSObject().setNeedToBeUpdated(true);
            stamped = RedTeamTest.saveIncremental(document);
        }

        assertNotValid(verify("stamp-without-appearance", stamped));
    }

    /**
     * The same under P=3 with a stamp the signed document already had, without appearance, named Draft (poppler draws
     * DRAFT), renamed Approved after certification: PDFBox draws neither, so only the rules can see it.
     */
    @Test
    void aStampWithoutAppearanceRenamedUnderCertificationP3() throws Exception {
        byte[] draft;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            var stamp = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp();
            stamp.setRectangle(new PDRectangle(60, 640, 400, 140));
            stamp.setName("Draft");
            stamp.setPrinted(true);
            document.getPage(0).getAnnotations().add(stamp);
            draft = TestMaterial.save(document);
        }
        byte[] certified = certifiedForComments(draft);
        assertThat(verify("stamp-draft-certified", certified).verdict()).isEqualTo(Verdict.VALID);
        byte[] renamed;
        try (PDDocument document = Loader.loadPDF(certified)) {
            var stamp = document.getPage(0).getAnnotations().stream()
                    .filter(a -> a instanceof org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp)
                    .findFirst().orElseThrow();
            ((org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp) stamp).setName("Approved");
            stamp.getCOSObject().setNeedToBeUpdated(true);
            renamed = RedTeamTest.saveIncremental(document);
        }

        assertNotValid(verify("stamp-renamed", renamed));
    }

    /** {@code pdf} sealed as a certification with DocMDP P=3: form filling, signing and comments allowed after. */
    static byte[] certifiedForComments(byte[] pdf) throws Exception {
        var request = material.request(1, 100, 100);
        return new PdfSealer().seal(pdf, new cn.yinxin.core.pdf.sign.SealRequest(request.key(), request.appearance(),
                request.placement(), "certifying", "certified", java.time.Instant.now(),
                cn.yinxin.core.pdf.sign.SignatureLevel.B_B, 3));
    }

    /**
     * Under P=3 anybody may add a document time-stamp from a trusted TSA (ours is public at /tsa) with a visible widget:
     * the rules judge it as visible content (ANNOTATIONS, allowed by P=3, "judged by what it shows"), but the visual
     * proof left out the box of every later signature that verified, time-stamps included, so its appearance
     * (APPROVED 1,000,000 CNY over the certified text, an eighth of the page) was never compared: VALID. A time-stamp
     * is nobody's mark: what its widget paints is judged like any annotation.
     */
    @Test
    void aVisibleDocumentTimeStampUnderCertificationP3IsJudgedByWhatItShows() throws Exception {
        LongTermMaterial pki = new LongTermMaterial();
        PdfVerifier online = new PdfVerifier(List.of(pki.root), pki.revocation());
        byte[] certified = new PdfSealer(pki.timeStamper(), pki.revocation()).seal(TestMaterial.onePagePdf(0),
                new cn.yinxin.core.pdf.sign.SealRequest(pki.sealKey, material.request(1, 0, 0).appearance(),
                        new cn.yinxin.core.pdf.sign.SealPlacement(1, 150, 240), "测试专用章", null,
                        java.time.Instant.now(), cn.yinxin.core.pdf.sign.SignatureLevel.B_B, 3));
        assertThat(online.verify(certified).verdict()).isEqualTo(Verdict.VALID);
        byte[] stamped = visibleTimeStamp(certified, pki.timeStamper(), new PDRectangle(55, 670, 370, 100));

        VerificationReport report = online.verify(stamped);
        if (System.getProperty("redteam.out") != null) {
            Files.write(Path.of(System.getProperty("redteam.out"), "visible-timestamp-p3.pdf"), stamped);
            System.out.println("visible-timestamp-p3: " + report.verdict() + " " + report.signatures().stream()
                    .map(x -> x.field() + " " + x.indication() + " " + x.changesAfterSigning()).toList());
        }
        assertNotValid(report);
    }

    /** A document time-stamp whose widget, at {@code box} on page 1, paints APPROVED 1,000,000 CNY. */
    static byte[] visibleTimeStamp(byte[] pdf, cn.yinxin.core.pki.cms.TimeStamper stamper, PDRectangle box)
            throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (PDDocument document = Loader.loadPDF(pdf);
             var options = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions()) {
            var timeStamp = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature();
            timeStamp.setType(COSName.DOC_TIME_STAMP);
            timeStamp.setFilter(org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature.FILTER_ADOBE_PPKLITE);
            timeStamp.setSubFilter(COSName.getPDFName("ETSI.RFC3161"));
            options.setPreferredSignatureSize(20_000);
            document.addSignature(timeStamp, options);
            for (var field : document.getSignatureFields()) {
                if (field.getCOSObject().getDictionaryObject(COSName.V) == timeStamp.getCOSObject()) {
                    var widget = field.getWidgets().getFirst();
                    widget.setRectangle(box);
                    widget.setPrinted(true);
                    PDAppearanceStream look = new PDAppearanceStream(document);
                    look.setBBox(new PDRectangle(350, 80));
                    PDResources resources = new PDResources();
                    resources.put(COSName.getPDFName("F1"), new org.apache.pdfbox.pdmodel.font.PDType1Font(
                            org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA));
                    look.setResources(resources);
                    try (var content = look.getContentStream().createOutputStream()) {
                        content.write(bytes(APPROVED));
                    }
                    PDAppearanceDictionary appearance = new PDAppearanceDictionary();
                    appearance.setNormalAppearance(look);
                    widget.setAppearance(appearance);
                    widget.getCOSObject().setNeedToBeUpdated(true);
                    var page = document.getPage(0);
                    if (!page.getAnnotations().contains(widget)) {
                        page.getAnnotations().add(widget);
                    }
                    page.getCOSObject().setNeedToBeUpdated(true);
                    page.getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
                }
            }
            var external = document.saveIncrementalForExternalSigning(out);
            try (var content = external.getContent()) {
                external.setSignature(stamper.timeStamp(content));
            }
        }
        return out.toByteArray();
    }

    // ---- a later signature with many widgets ----------------------------------------------------------------------

    /**
     * A later signer with a trusted certificate (any citizen's personal certificate) may draw a mark over the sealed
     * page: at most an eighth of the page per widget for the rules, a quarter for the pictures, which leave the box of
     * a verified later signature out. Per widget: one signature field with three widget kids, each an eighth of the
     * page, tiles the left half of the page with a forged text on white. Both signatures verify: VALID, "All 2
     * signature(s) are valid", over a page half of which the seal never saw.
     */
    @Test
    void aLaterSignatureWhoseManyWidgetsTileThePage() throws Exception {
        byte[] sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 150, 240));
        assertThat(verify("tiles-sealed", sealed).verdict()).isEqualTo(Verdict.VALID);
        byte[] signed;
        try (PDDocument document = Loader.loadPDF(sealed);
             var options = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions()) {
            var signature = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature();
            signature.setFilter(org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PdfSealer.ETSI_CADES_DETACHED);
            signature.setSignDate(java.util.Calendar.getInstance());
            options.setPreferredSignatureSize(12_000);
            document.addSignature(signature, options);
            var page = document.getPage(0);
            for (var field : document.getSignatureFields()) {
                if (field.getCOSObject().getDictionaryObject(COSName.V) != signature.getCOSObject()) {
                    continue;
                }
                List<org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget> tiles = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    var tile = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget();
                    tile.setRectangle(new PDRectangle(0, 842 - 210 * (i + 1), 297, 210));
                    tile.setPrinted(true);
                    tile.setPage(page);
                    tile.setAppearance(look(document, i == 0 ? "BT /F1 24 Tf 60 120 Td (APPROVED) Tj 0 -30 Td "
                            + "(1,000,000 CNY) Tj ET" : ""));
                    tiles.add(tile);
                    page.getAnnotations().add(tile);
                }
                field.setWidgets(tiles);
                field.getCOSObject().setNeedToBeUpdated(true);
            }
            page.getCOSObject().setNeedToBeUpdated(true);
            page.getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
            var out = new java.io.ByteArrayOutputStream();
            var external = document.saveIncrementalForExternalSigning(out);
            external.setSignature(new cn.yinxin.core.pki.cms.CadesSigner(material.personalKey)
                    .sign(external.getContent().readAllBytes()));
            signed = out.toByteArray();
        }

        assertNotValid(verify("tiles", signed));
    }

    /**
     * The same forged half page as three later signatures of one person, one widget each (an eighth of the page): each
     * signature on its own passes both limits, and the pictures of the seal left every one of their boxes out.
     */
    @Test
    void threeLaterSignaturesWhoseWidgetsTileThePage() throws Exception {
        byte[] pdf = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 150, 240));
        for (int i = 0; i < 3; i++) {
            pdf = signWithTile(pdf, new PDRectangle(0, 842 - 210 * (i + 1), 297, 210), i == 0
                    ? "BT /F1 24 Tf 60 120 Td (APPROVED) Tj 0 -30 Td (1,000,000 CNY) Tj ET" : "");
        }

        assertNotValid(verify("three-tiles", pdf));
    }

    /** {@code pdf} signed with the personal key in a new field whose one widget, at {@code box}, paints {@code text}. */
    private static byte[] signWithTile(byte[] pdf, PDRectangle box, String text) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf);
             var options = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions()) {
            var signature = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature();
            signature.setFilter(org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PdfSealer.ETSI_CADES_DETACHED);
            signature.setSignDate(java.util.Calendar.getInstance());
            options.setPreferredSignatureSize(12_000);
            document.addSignature(signature, options);
            var page = document.getPage(0);
            for (var field : document.getSignatureFields()) {
                if (field.getCOSObject().getDictionaryObject(COSName.V) == signature.getCOSObject()) {
                    var widget = field.getWidgets().getFirst();
                    widget.setRectangle(box);
                    widget.setPrinted(true);
                    widget.setPage(page);
                    widget.setAppearance(look(document, text));
                    widget.getCOSObject().setNeedToBeUpdated(true);
                    if (!page.getAnnotations().contains(widget)) {
                        page.getAnnotations().add(widget);
                    }
                }
            }
            page.getCOSObject().setNeedToBeUpdated(true);
            page.getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
            var out = new java.io.ByteArrayOutputStream();
            var external = document.saveIncrementalForExternalSigning(out);
            external.setSignature(new cn.yinxin.core.pki.cms.CadesSigner(material.personalKey)
                    .sign(external.getContent().readAllBytes()));
            return out.toByteArray();
        }
    }

    /** A widget appearance 297 x 210 that paints its box white, then {@code text} (content stream operators). */
    private static PDAppearanceDictionary look(PDDocument document, String text) throws Exception {
        PDAppearanceStream stream = new PDAppearanceStream(document);
        stream.setBBox(new PDRectangle(297, 210));
        PDResources resources = new PDResources();
        resources.put(COSName.getPDFName("F1"), new org.apache.pdfbox.pdmodel.font.PDType1Font(
                org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA));
        stream.setResources(resources);
        try (var content = stream.getContentStream().createOutputStream()) {
            content.write(bytes("1 1 1 rg 0 0 297 210 re f 0 0 0 rg " + text));
        }
        PDAppearanceDictionary appearance = new PDAppearanceDictionary();
        appearance.setNormalAppearance(stream);
        return appearance;
    }

    // ---- what a page inherits, as the change rules see it ----------------------------------------------------------

    /**
     * Prepared before sealing: the page inherits its /MediaBox from the page tree's root, where it is an indirect
     * array (object 900), which the document information also names. After sealing, object 900 is given the lower
     * half of the page. The rules took object 900 for document information only (the walk of what a page draws with
     * followed a parent's /Resources, not its /MediaBox, /CropBox or /Rotate) and cleared it as housekeeping: only the
     * pictures saw the page cut in half. With the pictures off the rules alone must see it.
     */
    @Test
    void anInheritedMediaBoxNamedByTheDocumentInformationIsStillWhatThePageIs() throws Exception {
        byte[] plain;
        try (PDDocument document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            var out = new java.io.ByteArrayOutputStream();
            document.save(out, org.apache.pdfbox.pdfwriter.compress.CompressParameters.NO_COMPRESSION);
            plain = out.toByteArray();
        }
        COSObjectKey page = cn.yinxin.core.pdf.verify.changes.ChangeRulesTest.pageKey(plain);
        COSObjectKey tree = PdfCrafting.pageObjectKey(plain, "Parent");
        String box = "[0.0 0.0 595.27563 841.8898]";
        String pageBody = lastBody(plain, page.getNumber());
        assertThat(pageBody).contains("/MediaBox " + box);
        byte[] prepared = revision(plain, List.of(
                RedTeamTest.Obj.of(900, box),
                RedTeamTest.Obj.of(901, "<< /Producer (a form tool) /Box 900 0 R >>"),
                RedTeamTest.Obj.of(tree.getNumber(), lastBody(plain, tree.getNumber()).replaceFirst("<<",
                        "<< /MediaBox 900 0 R")),
                RedTeamTest.Obj.of(page.getNumber(), pageBody.replace("/MediaBox " + box, ""))),
                List.of(), null, " /Info 901 0 R");
        byte[] sealed = new PdfSealer().seal(prepared, material.request(1, 100, 100));
        PdfVerifier rulesOnly = new PdfVerifier(List.of(material.root)).withVisualProof(null);
        assertThat(rulesOnly.verify(sealed).verdict()).isEqualTo(Verdict.VALID);
        byte[] cut = revision(sealed, List.of(RedTeamTest.Obj.of(900, "[0.0 0.0 595.27563 420]")), List.of(), null,
                " /Info 901 0 R");

        assertNotValid(rulesOnly.verify(cut));
        assertNotValid(verify("inherited-mediabox", cut));
    }

    /**
     * Prepared before sealing: APPROVED drawn inside an optional content membership (/Type /OCMD) over two layers
     * that are off, its visibility policy /P an indirect name (object 900, /AnyOn: the text is hidden when sealed),
     * which the document information also names. After sealing, object 900 becomes /AllOff: the text shows. The
     * rules' walk of what a page draws with skipped /P in every dictionary (meant for an annotation's page), so 900
     * was document information only, cleared as housekeeping; only the pictures saw APPROVED appear.
     */
    @Test
    void aLayerPolicyNamedByTheDocumentInformationIsStillWhatThePageShows() throws Exception {
        byte[] prepared;
        try (var document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            var layers = new org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentProperties();
            var draft = new org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentGroup("draft");
            var notes = new org.apache.pdfbox.pdmodel.graphics.optionalcontent.PDOptionalContentGroup("notes");
            layers.addGroup(draft);
            layers.addGroup(notes);
            layers.setGroupEnabled(draft, false);
            layers.setGroupEnabled(notes, false);
            document.getDocumentCatalog().setOCProperties(layers);
            var membership = new org.apache.pdfbox.cos.COSDictionary();
            membership.setName(COSName.TYPE, "OCMD");
            var groups = new org.apache.pdfbox.cos.COSArray();
            groups.add(draft.getCOSObject());
            groups.add(notes.getCOSObject());
            membership.setItem(COSName.OCGS, groups);
            membership.setName(COSName.P, "PLACEHOLDERX");
            var page = document.getPage(0);
            try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, page,
                    org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode.APPEND, false)) {
                content.beginMarkedContent(COSName.OC,
                        org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDPropertyList.create(membership));
                PdfCrafting.text(content, new org.apache.pdfbox.pdmodel.font.PDType1Font(
                        org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 72, 725, "APPROVED");
                content.endMarkedContent();
            }
            var out = new java.io.ByteArrayOutputStream();
            document.save(out, org.apache.pdfbox.pdfwriter.compress.CompressParameters.NO_COMPRESSION);
            String text = PdfCrafting.text(out.toByteArray());
            assertThat(text).contains("/PLACEHOLDERX");
            // the same length, so that the cross-reference table stays right; object 900 comes in the next revision
            byte[] referring = PdfCrafting.bytes(text.replace("/PLACEHOLDERX", "900 0 R      "));
            prepared = revision(referring, List.of(RedTeamTest.Obj.of(900, "/AnyOn"),
                    RedTeamTest.Obj.of(901, "<< /Producer (a form tool) /Policy 900 0 R >>")), List.of(), null,
                    " /Info 901 0 R");
        }
        byte[] sealed = new PdfSealer().seal(prepared, material.request(1, 100, 100));
        PdfVerifier rulesOnly = new PdfVerifier(List.of(material.root)).withVisualProof(null);
        assertThat(rulesOnly.verify(sealed).verdict()).isEqualTo(Verdict.VALID);
        byte[] shown = revision(sealed, List.of(RedTeamTest.Obj.of(900, "/AllOff")), List.of(), null,
                " /Info 901 0 R");

        assertNotValid(rulesOnly.verify(shown));
        assertNotValid(verify("layer-policy-info", shown));
    }

    /**
     * Under P=3, a square annotation painting APPROVED over the certified text, flagged NoView and ToggleNoView (not
     * Print): hidden until the pointer passes over it, when Acrobat shows it (ISO 32000-1 12.5.3). The rules count it
     * as visible (ANNOTATIONS, allowed by P=3, judged by what it shows), but PDFBox draws no NoView annotation on
     * screen, so the pictures showed nothing: VALID.
     */
    @Test
    void anAnnotationShownWhenThePointerPassesOverItUnderCertificationP3() throws Exception {
        byte[] certified = certifiedForComments(TestMaterial.onePagePdf(0));
        byte[] commented;
        try (PDDocument document = Loader.loadPDF(certified)) {
            var page = document.getPage(0);
            var square = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationSquare();
            square.setRectangle(new PDRectangle(55, 670, 297, 100));
            square.setAnnotationFlags(32 | 256); // NoView, ToggleNoView
            square.setAppearance(look(document, "BT /F1 24 Tf 20 60 Td (APPROVED) Tj ET"));
            page.getAnnotations().add(square);
            page.getCOSObject().setNeedToBeUpdated(true);
            commented = RedTeamTest.saveIncremental(document);
        }

        assertNotValid(verify("toggle-noview", commented));
    }

    // ---- annotation flags that overflow ------------------------------------------------------------------------

    /**
     * An empty signature field added after sealing whose widget paints APPROVED 1,000,000 CNY over the sealed text,
     * its flags 4294967298 (2^32 + 2): PDFBox reads them as an int (the low 32 bits: 2, Hidden), so the rules take the
     * widget for an invisible one (FORM_FILLING, allowed by a seal) and PDFBox draws nothing (the visual proof sees
     * nothing). poppler keeps a number beyond 32 bits as a 64-bit integer, which is no valid /F: no flags at all, and
     * draws the widget (seen with pdftoppm and pdftotext).
     */
    @Test
    void anEmptySignatureFieldWhoseFlagsOverflowThirtyTwoBits() throws Exception {
        byte[] sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        assertThat(verify("flags-overflow-sealed", sealed).verdict()).isEqualTo(Verdict.VALID);
        assertNotValid(verify("flags-overflow", emptySignatureField(sealed, "4294967298")));
    }

    /** As RedTeamSecondTest's: an empty signature field over the sealed text, flagged {@code flags}. */
    static byte[] emptySignatureField(byte[] sealed, String flags) throws Exception {
        COSObjectKey page = cn.yinxin.core.pdf.verify.changes.ChangeRulesTest.pageKey(sealed);
        COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
        long field = PdfCrafting.trailerSize(sealed);
        long look = field + 1;
        return revision(sealed, List.of(
                RedTeamTest.Obj.of(look, stream(APPEARANCE_ENTRIES, APPROVED)),
                RedTeamTest.Obj.of(field, "<< /FT /Sig /T (Reviewer) /Type /Annot /Subtype /Widget /F " + flags
                        + " /P " + page.getNumber() + " 0 R /Rect [60 680 410 760] /AP << /N " + look + " 0 R >> >>"),
                RedTeamTest.Obj.of(page.getNumber(), lastBody(sealed, page.getNumber()).replaceFirst("/Annots \\[",
                        "/Annots [" + field + " 0 R ")),
                RedTeamTest.Obj.of(catalog.getNumber(), lastBody(sealed, catalog.getNumber())
                        .replaceFirst("/Fields \\[", "/Fields [" + field + " 0 R "))), List.of(), null, "");
    }

    // ---- structures deeper than a worker's stack ------------------------------------------------------------------

    /**
     * After the seal, the catalog's /Pages is made a chain of {@code depth} page-tree nodes, each with one kid, down
     * to the sealed page: one page, a few MB. PDFBox walks a page tree (its page iterator, getPage) and a field tree
     * by recursion, one call per level, so a deep enough chain overflows the stack of the thread that verifies.
     */
    static byte[] deepPageTree(byte[] sealed, int depth) throws Exception {
        COSObjectKey page = cn.yinxin.core.pdf.verify.changes.ChangeRulesTest.pageKey(sealed);
        COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
        long first = PdfCrafting.trailerSize(sealed);
        StringBuilder body = new StringBuilder("\n");
        long[] offsets = new long[depth];
        for (int i = 0; i < depth; i++) {
            offsets[i] = sealed.length + body.length();
            long kid = i + 1 < depth ? first + i + 1 : page.getNumber();
            body.append(first + i).append(" 0 obj\n<< /Type /Pages /Kids [").append(kid).append(" 0 R] /Count 1 >>\nendobj\n");
        }
        long catalogAt = sealed.length + body.length();
        body.append(catalog.getNumber()).append(" 0 obj\n").append(lastBody(sealed, catalog.getNumber())
                .replaceFirst("/Pages \\d+ 0 R", "/Pages " + first + " 0 R")).append("\nendobj\n");
        long xref = sealed.length + body.length();
        body.append("xref\n").append(catalog.getNumber()).append(" 1\n")
                .append(String.format("%010d 00000 n\r\n", catalogAt)).append(first).append(' ').append(depth).append('\n');
        for (long offset : offsets) {
            body.append(String.format("%010d 00000 n\r\n", offset));
        }
        body.append("trailer\n<< /Size ").append(first + depth).append(" /Root ").append(catalog.getNumber())
                .append(" 0 R /Prev ").append(PdfCrafting.lastStartXref(sealed)).append(" >>\nstartxref\n").append(xref)
                .append("\n%%EOF\n");
        return PdfCrafting.concat(sealed, bytes(body.toString()));
    }

    /** The verification on a thread with a verifier worker's stack (the JVM's default, 1 MB on 64-bit Linux). */
    static Object verifyOnAWorker(byte[] pdf) throws Exception {
        Object[] outcome = new Object[1];
        Thread worker = new Thread(null, () -> {
            try {
                outcome[0] = verifier.verify(pdf);
            } catch (Throwable e) {
                outcome[0] = e;
            }
        }, "pdf-worker", 1024 * 1024);
        worker.start();
        worker.join();
        return outcome[0];
    }

    /**
     * A 3 MB sealed PDF whose one page hangs under 40,000 page-tree nodes: PDFBox's page iterator recursed once per
     * node (in InputBounds) and overflowed the worker's stack; the StackOverflowError left the verifier as a 500 (and
     * the seal service, which opens documents the same way). It is refused as a damaged PDF before PDFBox walks it.
     */
    @Test
    void aPageTreeDeeperThanTheStackIsRefusedAsDamaged() throws Exception {
        byte[] sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        Object outcome = verifyOnAWorker(deepPageTree(sealed, 40_000));
        assertThat(outcome).as(() -> describe(outcome)).isInstanceOf(cn.yinxin.core.RejectedException.class);
        assertThat(((cn.yinxin.core.RejectedException) outcome).problem()).isEqualTo(cn.yinxin.core.Problem.DAMAGED_PDF);
    }

    /**
     * The same chain in a revision of its own, the next revision putting the sealed page tree back: the document as it
     * is now is sound, but the change analysis reads every revision, and PDFBox overflowed the stack on the middle one.
     * An answer (not VALID), never an Error.
     */
    @Test
    void aPageTreeDeeperThanTheStackInAnEarlierRevisionIsAnAnswerNotACrash() throws Exception {
        byte[] sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
        byte[] restored = revision(deepPageTree(sealed, 40_000),
                List.of(RedTeamTest.Obj.of(catalog.getNumber(), lastBody(sealed, catalog.getNumber()))), List.of(),
                null, "");
        Object outcome = verifyOnAWorker(restored);
        assertThat(outcome).as(() -> describe(outcome)).isInstanceOf(VerificationReport.class);
        assertNotValid((VerificationReport) outcome);
    }

    /** What came out, with where a throwable was thrown from (its first and last frames) to tell which walk overflowed. */
    private static String describe(Object outcome) {
        if (!(outcome instanceof Throwable thrown)) {
            return String.valueOf(outcome);
        }
        StackTraceElement[] frames = thrown.getStackTrace();
        List<StackTraceElement> shown = new java.util.ArrayList<>(List.of(frames).subList(0, Math.min(4, frames.length)));
        shown.addAll(List.of(frames).subList(Math.max(4, frames.length - 12), frames.length));
        return thrown + " " + shown;
    }
}
