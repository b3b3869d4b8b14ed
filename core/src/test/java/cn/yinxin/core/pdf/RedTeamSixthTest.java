package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.report.ReportDocument;
import cn.yinxin.core.pdf.verify.report.Verdict;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static cn.yinxin.core.pdf.RedTeamFourth.incremental;
import static cn.yinxin.core.pdf.RedTeamTest.assertNotValid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sixth hostile read (2026-12-07), after five red-team rounds. Each test is an attack on a genuinely sealed
 * document, as an attacker holding it and a text editor would make it; each asserts the verdict a clerk must get.
 */
class RedTeamSixthTest {

    private static RedTeamFourth fixture;

    @BeforeAll
    static void keys() throws Exception {
        fixture = new RedTeamFourth();
    }

    // ---- a value the signer saw, changed beneath an appearance that still shows it --------------------------------

    /**
     * A sealed form "amount" = 100 (its appearance draws 100, no /NeedAppearances). After sealing only /V becomes
     * 1,000,000. FormRule took it for form filling (a value that is not read-only may change; a value the signer saw was
     * left to the pictures), and the pictures draw the unchanged appearance: VALID, "the form field was filled in:
     * 100 -> 1,000,000" listed as allowed. pdf.js (Firefox's viewer, forms on by default) draws no appearance for a text
     * field and shows its value in an input: 1,000,000 (seen: pdf.js 4.10 draws no text for the widget with forms on,
     * and its fieldValue is "1,000,000"); whoever reads the form's data gets 1,000,000; poppler still prints 100.
     */
    @Test
    void aValueTheSignerSawChangedBeneathItsUnchangedAppearance() throws Exception {
        byte[] sealed = fixture.sealed("value-seen", PdfCrafting.formPdf(false));
        byte[] forged = incremental(sealed, RedTeamSixth.valueOnly("amount", "1,000,000"));

        var report = fixture.verify("value-seen-changed", forged);
        assertNotValid(report);
        assertThat(report.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
            assertThat(change.allowed()).isFalse();
            assertThat(change.description()).contains("\"amount\"", "\"100\" -> \"1,000,000\"", "after the signer saw");
        });
    }

    /**
     * The same with the value held by a parent field: "group.amount" inherits 100 (it has no /V of its own), and the
     * forger gives it its own /V 1,000,000. The value stated in the signed revision was "empty" to a rule that read
     * only the field's own /V.
     */
    @Test
    void anInheritedValueTheSignerSawOverriddenBeneathItsUnchangedAppearance() throws Exception {
        byte[] sealed = fixture.sealed("inherited", RedTeamSixth.inheritedValueForm());
        byte[] forged = incremental(sealed, RedTeamSixth.valueOnly("group.amount", "1,000,000"));

        assertNotValid(fixture.verify("inherited-overridden", forged));
    }

    /**
     * Prepared before sealing: "amount" states no value (/V empty) while its appearance draws 100, which Acrobat, poppler
     * and the pictures show. After sealing /V becomes 1,000,000, the appearance untouched: "filled in: "" -> 1,000,000",
     * an empty field filled, VALID, while pdf.js and the form's data now say 1,000,000 under the printed 100 the signer
     * saw. A value the appearance drew was seen as much as a stated one (as the pictures already hold).
     */
    @Test
    void aValueOnlyTheAppearanceDrewChangedBeneathIt() throws Exception {
        byte[] prepared = incremental(PdfCrafting.formPdf(false), RedTeamSixth.valueOnly("amount", ""));
        byte[] sealed = fixture.sealed("drawn-only", prepared);
        byte[] forged = incremental(sealed, RedTeamSixth.valueOnly("amount", "1,000,000"));

        assertNotValid(fixture.verify("drawn-only-changed", forged));
    }

    /**
     * A sealed form whose field "amount" (100, its appearance 100) has no /DA of its own: it takes the form's. After
     * sealing only the form's /DA changes, to white ("/Helv 12 Tf 1 g"). FormRule cleared a /DA change as housekeeping
     * unless viewers redraw the fields (/NeedAppearances, a widget without appearance), and the pictures draw the
     * stored appearance: VALID. pdf.js (Firefox) draws a text field's value itself with the /DA it inherits: the amount
     * is now white on white (seen: pdf.js 4.10 gives the field fontColor 255,255,255).
     */
    @Test
    void theFormsDefaultAppearanceTurnedWhiteHidesAFieldInPdfJs() throws Exception {
        byte[] form;
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            document.getDocumentCatalog().getAcroForm(null).getField("amount").getCOSObject().removeItem(COSName.DA);
            form = TestMaterial.save(document);
        }
        byte[] sealed = fixture.sealed("form-da", form);
        byte[] forged = incremental(sealed, document -> {
            var acroForm = document.getDocumentCatalog().getAcroForm(null);
            acroForm.setDefaultAppearance("/Helv 12 Tf 1 g");
            acroForm.getCOSObject().setNeedToBeUpdated(true);
        });

        assertNotValid(fixture.verify("form-da-white", forged));
    }

    /**
     * After sealing, a second text field named "amount" holding 1,000,000, without a widget, is appended to the form's
     * fields. The rules kept the first field of a name only, so the appended one was never judged: VALID, "the
     * document is unchanged since". PDFBox's getField and pdf.js take the first (100); a reader of the form's data
     * that keeps the last field of a name takes 1,000,000.
     */
    @Test
    void aSecondFieldOfTheSameNameAppendedToTheForm() throws Exception {
        byte[] sealed = fixture.sealed("twin", PdfCrafting.formPdf(false));
        byte[] forged = incremental(sealed, document -> {
            var form = document.getDocumentCatalog().getAcroForm(null).getCOSObject();
            var twin = new org.apache.pdfbox.cos.COSDictionary();
            twin.setString(COSName.T, "amount");
            twin.setItem(COSName.FT, COSName.TX);
            twin.setString(COSName.V, "1,000,000");
            form.getCOSArray(COSName.FIELDS).add(twin);
            form.setNeedToBeUpdated(true);
            form.getCOSArray(COSName.FIELDS).setNeedToBeUpdated(true);
        });

        assertNotValid(fixture.verify("twin", forged));
    }

    /** The rule's other side: an empty field is still filled in, a certification with P=2 still lets values change. */
    @Test
    void emptyFieldsAndCertifiedFormsStillFillIn() throws Exception {
        byte[] empty;
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            document.getDocumentCatalog().getAcroForm(null).getField("amount").setValue("");
            empty = TestMaterial.save(document);
        }
        byte[] sealed = fixture.sealed("empty-value", empty);
        assertThat(fixture.verify("empty-value-filled", incremental(sealed, RedTeamSixth.valueOnly("amount",
                "900"))).verdict()).isEqualTo(Verdict.VALID);
        // filled in one session after sealing and corrected in the next: the signer saw the field empty
        byte[] corrected = PdfCrafting.fill(PdfCrafting.fill(sealed, "900"), "950");
        assertThat(fixture.verify("empty-value-corrected", corrected).verdict()).isEqualTo(Verdict.VALID);

        byte[] certified = fixture.certified("value-p2", PdfCrafting.formPdf(false), 2);
        assertThat(fixture.verify("value-p2-changed", incremental(certified, RedTeamSixth.valueOnly("amount",
                "900"))).verdict()).isEqualTo(Verdict.VALID);
    }

    /**
     * A sealed page prints "Amount: 100"; an empty notes field lies over it (the fourth team's fixture). Filling an
     * empty field is allowed, and the pictures leave out only the pixels of its box that were blank when sealed: what
     * the page printed under it is compared. The fill's appearance paints the lower part of its box black under blend
     * mode /Lighten and a transfer function turning black into white, then writes "Amount: 1,000,000" above, on blank
     * paper. PDFBox, which draws the pictures, does not apply the transfer function: black lightening anything is
     * nothing, no printed pixel changed, VALID. poppler applies it: white lightens the printed amount away, and the
     * page reads "Amount: 1,000,000" alone (pdftoppm, seen).
     */
    @Test
    void aFillThatErasesWhatThePagePrintedUnderTheFieldWithATransferFunction() throws Exception {
        byte[] sealed = fixture.sealed("fill-erasing", RedTeamFourth.emptyFieldOverPrintedText());

        assertNotValid(fixture.verify("fill-erasing", incremental(sealed, RedTeamSixth.fillErasingWhatThePagePrinted(
                false))));
        assertNotValid(fixture.verify("fill-erasing-in-place", incremental(sealed,
                RedTeamSixth.fillErasingWhatThePagePrinted(true))));
    }

    // ---- scripts brought in by a new signature field -----------------------------------------------------------

    /**
     * Anyone may add an empty, invisible signature field to a sealed document (form filling). FormRule cleared such a
     * field without reading its entries, so one carrying /AA JavaScript (on opening the page, on formatting and on
     * calculating: this.getField('amount').value = '1,000,000') verified VALID. Acrobat runs a widget's page-open action,
     * pdf.js lists its Format and Calculate scripts (seen: 4.10's getAnnotations) and Firefox runs them with scripting
     * on: the sealed 100 shows as 1,000,000 there, from a script added after sealing.
     */
    @Test
    void anEmptySignatureFieldAddedWithAScriptThatRewritesTheAmount() throws Exception {
        byte[] sealed = fixture.sealed("added-script", PdfCrafting.formPdf(false));
        byte[] forged = incremental(sealed, document -> {
            RedTeamSixth.emptySignatureFieldNamed("helper").apply(document);
            document.getDocumentCatalog().getAcroForm(null).getField("helper").getWidgets().getFirst().getCOSObject()
                    .setItem(COSName.AA, RedTeamSixth.onOpenAndFormat(RedTeamSixth.amountScript()));
        });

        assertNotValid(fixture.verify("added-script", forged));
    }

    /** The same script on the widget of a later signature whose value verifies (SignatureAdditionRule read no entry). */
    @Test
    void aLaterSignatureWhoseWidgetCarriesAScript() throws Exception {
        byte[] sealed = fixture.sealed("signed-script", PdfCrafting.formPdf(false));
        byte[] forged = RedTeamSixth.signWithActions(sealed, fixture.material.sealKey,
                RedTeamSixth.onOpenAndFormat(RedTeamSixth.amountScript()));

        assertNotValid(fixture.verify("signed-script", forged));
        // the rule's other side: the same later signature without the script is a signing like any other
        assertThat(fixture.verify("signed-plain", PdfCrafting.signLeniently(sealed, fixture.material.sealKey))
                .verdict()).isEqualTo(Verdict.VALID);
    }

    /**
     * Under DocMDP P=3 (comments allowed, judged by what they show) a hidden sticky note whose page-open action switches
     * every layer of the page on: the certified page's hidden layer "Amount: 900" shows over "Amount: 100" in a reader
     * that runs it (Acrobat runs annotation page-open actions). The note draws nothing, so the pictures saw no change:
     * VALID, "a Text annotation was added".
     */
    @Test
    void aCommentUnderCertificationP3WhoseScriptSwitchesAHiddenLayerOn() throws Exception {
        byte[] certified = fixture.certified("note-script", PdfCrafting.layeredPdf(), 3);
        byte[] forged = incremental(certified, RedTeamSixth.noteRunning(
                "var o = this.getOCGs(this.pageNum); for (var i in o) o[i].state = true;"));

        assertNotValid(fixture.verify("note-script", forged));
        // the rule's other side: the same note without the script is a comment like any other
        byte[] note = incremental(certified, RedTeamSixth.noteRunning(null));
        assertThat(fixture.verify("note-plain", note).verdict()).isEqualTo(Verdict.VALID);
    }

    /** The same script given after certification to a note the certified document already had (a changed comment). */
    @Test
    void aCertifiedCommentGivenAScriptUnderCertificationP3() throws Exception {
        byte[] withNote = incremental(PdfCrafting.layeredPdf(), RedTeamSixth.noteRunning(null));
        byte[] certified = fixture.certified("note-given-script", withNote, 3);
        byte[] forged = incremental(certified, document -> {
            var note = document.getPage(0).getAnnotations().getFirst().getCOSObject();
            note.setItem(COSName.AA, RedTeamSixth.onOpenAndFormat(RedTeamSixth.amountScript()));
            note.setNeedToBeUpdated(true);
        });

        assertNotValid(fixture.verify("note-given-script", forged));
    }

    /**
     * Under DocMDP P=3 a stamp painting a black box over the certified text, under a new layer whose own usage says
     * "off on screen". PDFBox, which draws the pictures, honours /Usage /View /ViewState and left the stamp out: no
     * change, VALID. poppler (pdftoppm, seen), pdf.js and Acrobat go by the document's layer configuration, which does
     * not list the layer, and draw the box over the text.
     */
    @Test
    void aStampUnderCertificationP3InALayerOnlyPdfBoxHides() throws Exception {
        byte[] certified = fixture.certified("stamp-layer", TestMaterial.onePagePdf(0), 3);
        byte[] forged = incremental(certified, RedTeamSixth.stampInALayerOffOnScreen());

        assertNotValid(fixture.verify("stamp-layer", forged));
    }

    /**
     * Under DocMDP P=3 a stamp on blank paper writing "APPROVED 1,000,000" in white under a transfer function that
     * turns white into black. PDFBox, which draws the pictures, does not apply transfer functions to what is painted:
     * white on white, no change, VALID. poppler applies it and draws the words in black (pdftoppm, seen), as pdf.js
     * does.
     */
    @Test
    void aStampUnderCertificationP3WhoseInkOnlyATransferFunctionShows() throws Exception {
        byte[] certified = fixture.certified("stamp-transfer", TestMaterial.onePagePdf(0), 3);
        byte[] forged = incremental(certified, RedTeamSixth.stampWhiteUnderAnInvertingTransfer());

        assertNotValid(fixture.verify("stamp-transfer", forged));
    }

    /**
     * Under DocMDP P=3 a free text comment without an appearance of its own, its /Contents empty, no border, and its
     * rich text (/RC) "APPROVED 1,000,000". PDFBox draws a free text without appearance from /Contents: nothing, VALID.
     * ISO 32000-1 12.5.6.6 says the rich text "shall be used to generate the appearance" (pdf.js reads it as the
     * comment's text, seen).
     */
    @Test
    void aFreeTextCommentWhoseOnlyTextIsItsRichTextUnderCertificationP3() throws Exception {
        byte[] certified = fixture.certified("free-text-rich", TestMaterial.onePagePdf(0), 3);
        byte[] forged = incremental(certified, document -> {
            var comment = new org.apache.pdfbox.cos.COSDictionary();
            comment.setItem(COSName.TYPE, COSName.ANNOT);
            comment.setItem(COSName.SUBTYPE, COSName.getPDFName("FreeText"));
            comment.setItem(COSName.RECT, new org.apache.pdfbox.pdmodel.common.PDRectangle(72, 300, 300, 60)
                    .getCOSArray());
            comment.setInt(COSName.F, 4);
            comment.setString(COSName.CONTENTS, "");
            comment.setString(COSName.DA, "/Helv 24 Tf 0 g");
            comment.setString(COSName.getPDFName("RC"), "<?xml version=\"1.0\"?><body xmlns=\"http://www.w3.org/1999/"
                    + "xhtml\"><p>APPROVED 1,000,000</p></body>");
            var border = new org.apache.pdfbox.cos.COSDictionary();
            border.setInt(COSName.W, 0);
            comment.setItem(COSName.BS, border);
            document.getPage(0).getAnnotations().add(
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationFreeText(comment));
            document.getPage(0).getCOSObject().setNeedToBeUpdated(true);
        });

        assertNotValid(fixture.verify("free-text-rich", forged));
    }

    // ---- a page content stream passed off as a container -----------------------------------------------------

    /**
     * Prepared before sealing: the page's /Contents also names a stream marked /Type /ObjStm (one unused object,
     * drawing nothing), and its resources hold, unused, a graphics state whose transfer function turns white into
     * black. After sealing that stream is defined anew, still an "object stream", whose bytes after its one object
     * draw "APPROVED 1,000,000" in white under that graphics state. ContainerRule cleared any object stream defined
     * anew as a container (level NONE: not even listed), and PDFBox, which draws the pictures, does not apply the
     * transfer function: white on white. The verdict: VALID, "the document is unchanged since"; poppler prints
     * APPROVED 1,000,000 in black under the sealed amount (pdftoppm, seen).
     */
    @Test
    void aPageContentStreamPassedOffAsAnObjectStream() throws Exception {
        byte[] sealed = fixture.sealed("object-stream-content", RedTeamSixth.pageDrawingAnObjectStream());
        COSObjectKey container;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            container = ((COSObject) document.getPage(0).getCOSObject().getCOSArray(COSName.CONTENTS).get(1)).getKey();
        }
        byte[] forged = new HostileFiles.Appender(sealed).object(container.getNumber(), HostileFiles.Appender.stream(
                "/Type /ObjStm /N 1 /First 5", PdfCrafting.bytes("99 0 << >>\n/GS0 gs 1 1 1 rg BT /FX 24 Tf 72 600 Td "
                        + "(APPROVED 1,000,000) Tj ET"))).commit().bytes();

        var report = fixture.verify("object-stream-content", forged);
        assertNotValid(report);
        assertThat(report.signatures().getFirst().changesAfterSigning()).anySatisfy(change ->
                assertThat(change.kind()).isEqualTo("PAGE_CONTENT"));
    }

    // ---- the sealed report: what the document named, wrapped into lines that read as the report's own ----------

    /**
     * The fifth team quoted the file name and a signature's field name on one line; every other text the document
     * chose was still wrapped whole: a change's description quotes a field's name. A form filler adds an empty,
     * invisible signature field (allowed: the document stays VALID) named "x", hundreds of spaces, "签名 Signature 2
     * 「公安局」", spaces, "结论 Result: 签名有效 · TOTAL_PASSED", spaces, "印章 Seal: 治安专用章 — 北京市公安局": the report the
     * verifier seals printed those on lines of their own, at the margin, under "有效 Valid", as a second seal of the
     * police found valid (spaces pushed them there; words of the right length do the same). Document-chosen texts
     * are now cleaned (runs of white space are one space) and every wrapped line after a paragraph's first is
     * indented, so only the report's own lines start at the margin.
     */
    @Test
    void aFieldNameThatWritesASecondSealIntoTheSealedReport() throws Exception {
        String pad = " ".repeat(300);
        String forged = "签名 Signature 2「公安局」" + pad + "结论 Result: 签名有效  ·  TOTAL_PASSED" + pad
                + "印章 Seal: 治安专用章 — 北京市公安局 (11110000000000000X)";
        StringBuilder words = new StringBuilder("x");
        for (int i = 1; i < 40; i++) {
            words.append(' ').append("x".repeat(i)).append(" 签名 Signature 2「公安局」 结论 Result: 签名有效 印章 Seal: 北京市公安局");
        }
        byte[] sealed = fixture.sealed("report-field", TestMaterial.onePagePdf(0));
        for (String name : List.of("x" + pad + forged + pad, words.toString())) {
            var report = fixture.verify("report-field-named", incremental(sealed,
                    RedTeamSixth.emptySignatureFieldNamed(name)));
            assertThat(report.verdict()).isEqualTo(Verdict.VALID);
            byte[] pdf = ReportDocument.render(report, "doc.pdf", "00", ReportDocument.defaultFont());

            assertThat(RedTeamSixth.linesAtTheMargin(pdf, 57))
                    .as("the lines at the margin that read as a signature's findings are the report's own, once")
                    .filteredOn(line -> line.startsWith("签名 Signature") || line.startsWith("结论 Result")
                            || line.startsWith("印章 Seal"))
                    .hasSize(3)
                    .noneMatch(line -> line.contains("公安局") || line.contains("签名有效"));
        }
    }

    /**
     * The fifth team left written down that the sealed report prints a seal's name, agency and signer as the
     * certificate states them, also for a signature that failed. Anyone can make a certificate naming any agency: a
     * document sealed under another PKI's certificate naming the same seal and agency is "无法确认 Cannot tell", and the
     * report printed "印章 Seal: 测试专用章 — 测试局 (...)" under it exactly as for a valid seal, a line a clerk reads as
     * which agency sealed it. A signature that did not hold now shows them as claimed, not confirmed.
     */
    @Test
    void aSealNameFromAnUntrustedCertificateIsNotPrintedAsTheSealFound() throws Exception {
        TestMaterial stranger = new TestMaterial();
        byte[] sealed = new cn.yinxin.core.pdf.sign.PdfSealer().seal(TestMaterial.onePagePdf(0), stranger.request(1, 100,
                100));
        var report = fixture.verify("stranger-seal", sealed);
        assertThat(report.verdict()).isNotEqualTo(Verdict.VALID);
        assertThat(report.signatures().getFirst().seal()).isNotNull();

        byte[] pdf = ReportDocument.render(report, "doc.pdf", "00", ReportDocument.defaultFont());
        assertThat(RedTeamSixth.linesAtTheMargin(pdf, 57)).as("the lines at the margin")
                .noneMatch(line -> line.startsWith("印章 Seal") || line.startsWith("签署人 Signer"))
                .anyMatch(line -> line.startsWith("印章（所称，未确认）"));
    }
}
