package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenth hostile read (2026-12-07): what a reader shows besides the page drawing the pictures compare, as an
 * attacker holding a genuinely sealed PDF, a text editor and the public verifier would use it. Each attack is an
 * incremental edit of a document our sealer sealed.
 */
class RedTeamTenthTest {

    private static RedTeamFourth fixture;
    /** Certified with DocMDP P=3: comments allowed after the seal. */
    private static byte[] certifiedP3;
    /** An approval seal (no certification) on a form whose empty field lies over the printed "Amount: 100". */
    private static byte[] sealedForm;

    @BeforeAll
    static void seal() throws Exception {
        fixture = new RedTeamFourth();
        certifiedP3 = fixture.certified("tenth-p3", TestMaterial.onePagePdf(0), 3);
        sealedForm = fixture.sealed("tenth-form", RedTeamFourth.emptyFieldOverPrintedText());
    }

    // ---- appearances shown while the pointer is over an annotation or presses it ------------------------------

    /**
     * After an approval seal (no certification: form filling allowed), the empty field laid over the printed amount
     * is "filled in" with "seen": its normal appearance (/N, what PDFBox and so the pictures draw) draws nothing, its
     * rollover appearance (/R, which ISO 32000-1 12.5.5 has readers show while the pointer is over the field) paints a
     * white box and "Amount: 1,000,000" over the printed amount; the same with a down appearance (/D, shown while the
     * clerk clicks into the field). VALID before: "the form field was filled in", the pictures unchanged.
     */
    @Test
    void aFillWhoseAppearanceUnderThePointerForgesTheAmountAfterAnApprovalSeal() throws Exception {
        VerificationReport rollover = fixture.verify("tenth-fill-rollover", RedTeamFourth.incremental(sealedForm,
                RedTeamTenth.fillDrawingUnderThePointer(COSName.R)));
        VerificationReport down = fixture.verify("tenth-fill-down", RedTeamFourth.incremental(sealedForm,
                RedTeamTenth.fillDrawingUnderThePointer(COSName.D)));

        assertThat(rollover.verdict()).as(rollover.toString()).isEqualTo(Verdict.INVALID);
        assertThat(down.verdict()).as(down.toString()).isEqualTo(Verdict.INVALID);
        assertThat(rollover.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
            assertThat(change.allowed()).isFalse();
            assertThat(change.description()).contains("pointer");
        });
    }

    /** The same fill with a normal appearance only is form filling as before. */
    @Test
    void aFillWithANormalAppearanceOnlyIsStillFormFilling() throws Exception {
        VerificationReport plain = fixture.verify("tenth-fill-plain", RedTeamFourth.incremental(sealedForm,
                RedTeamTenth.fillDrawingUnderThePointer(null)));

        assertThat(plain.verdict()).as(plain.toString()).isEqualTo(Verdict.VALID);
    }

    /**
     * Prepared: the form's widget had, when sealed, a rollover appearance of its own that drew nothing (object of its
     * own). The fill defines that stream anew painting the forged amount: the fill's "own appearance", cleared as
     * form filling before.
     */
    @Test
    void aFillThatRedefinesTheSignedRolloverStream() throws Exception {
        byte[] sealed = fixture.sealed("tenth-form-rollover", RedTeamTenth.emptyFieldWithARolloverAppearance());

        VerificationReport forged = fixture.verify("tenth-fill-signed-rollover", RedTeamFourth.incremental(sealed,
                RedTeamTenth.fillRewritingTheSignedRollover()));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * Under DocMDP P=3 a square comment over the approval line whose normal appearance draws nothing and whose
     * rollover appearance paints the forged amount: VALID before ("a Square annotation was added").
     */
    @Test
    void aCommentUnderCertificationP3ThatDrawsOnlyUnderThePointer() throws Exception {
        VerificationReport forged = fixture.verify("tenth-p3-rollover", RedTeamFourth.incremental(certifiedP3,
                RedTeamTenth.both(RedTeamTenth.annotation("Square", 60, 690, RedTeamTenth.NOTHING, a -> { }),
                        document -> {
                            var annots = document.getPage(0).getCOSObject().getCOSArray(COSName.ANNOTS);
                            COSDictionary square = (COSDictionary) annots.getObject(annots.size() - 1);
                            square.getCOSDictionary(COSName.AP).setItem(COSName.R,
                                    RedTeamTenth.appearance(document, 300, 40, RedTeamTenth.FORGED));
                        })));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * Prepared: a square comment over the approval line that draws nothing, its appearance dictionary an object of
     * its own, certified with P=3. After the seal only that dictionary is defined anew, gaining a rollover appearance
     * that paints the forged amount; the comment itself is untouched. VALID before ("a Square annotation was changed
     * (what its appearance draws with)", an allowed annotation change).
     */
    @Test
    void aRolloverAddedThroughTheCommentsOwnAppearanceDictionaryUnderCertificationP3() throws Exception {
        long[] numbers = new long[2];
        byte[] certified = fixture.certified("tenth-p3-square", RedTeamTenth.squareWithItsOwnAppearanceDictionary(
                numbers), 3);

        VerificationReport forged = fixture.verify("tenth-p3-ap-dictionary",
                RedTeamTenth.rolloverAddedToTheAppearanceDictionary(certified, numbers));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * Under DocMDP P=3 an empty signature field added over the approval line (visible: allowed where annotations are),
     * its widget's normal appearance drawing nothing and its rollover appearance the forged amount. VALID before.
     */
    @Test
    void anEmptySignatureFieldUnderCertificationP3ThatDrawsOnlyUnderThePointer() throws Exception {
        VerificationReport forged = fixture.verify("tenth-p3-empty-field-rollover", RedTeamFourth.incremental(
                certifiedP3, RedTeamTenth.emptySignatureFieldDrawingUnderThePointer()));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * Under DocMDP P=3 the form's field laid over the printed amount given a white background (/MK /BG [1 1 1]) on
     * its widget: PDFBox draws the stored appearance (unchanged pictures), pdf.js (Firefox, forms on) draws the field
     * itself as an element whose background is /MK /BG, opaque white over "Amount: 100". VALID before ("a Widget
     * annotation was changed (/MK)", an allowed annotation change).
     */
    @Test
    void aFieldsBackgroundMadeOpaqueUnderCertificationP3() throws Exception {
        byte[] certifiedForm = fixture.certified("tenth-p3-form", RedTeamFourth.emptyFieldOverPrintedText(), 3);

        VerificationReport forged = fixture.verify("tenth-p3-mk", RedTeamFourth.incremental(certifiedForm,
                RedTeamTenth.widgetBackground("remarks", 1)));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * Under DocMDP P=3 the widget of the form's field laid over the printed amount given a rollover appearance that
     * paints the forged amount, its value untouched (no fill): "a Widget annotation was changed (/AP)", an allowed
     * annotation change, VALID before.
     */
    @Test
    void aWidgetGivenARolloverWithoutAFillUnderCertificationP3() throws Exception {
        byte[] certifiedForm = fixture.certified("tenth-p3-form", RedTeamFourth.emptyFieldOverPrintedText(), 3);

        VerificationReport forged = fixture.verify("tenth-p3-widget-rollover", RedTeamFourth.incremental(certifiedForm,
                document -> {
                    var widget = document.getDocumentCatalog().getAcroForm(null).getField("remarks").getWidgets()
                            .getFirst().getCOSObject();
                    COSDictionary ap = new COSDictionary();
                    ap.setItem(COSName.N, widget.getCOSDictionary(COSName.AP).getItem(COSName.N));
                    ap.setItem(COSName.R, RedTeamTenth.appearance(document, 300, 40, RedTeamTenth.FORGED));
                    widget.setItem(COSName.AP, ap);
                    widget.setNeedToBeUpdated(true);
                }));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    // ---- annotations a reader shows by other means than their appearance ---------------------------------------

    /**
     * Under DocMDP P=3 a 3D annotation over the approval line, its appearance empty, its 3D artwork (/3DD) activated
     * when the page opens (/3DA /A /PO): Acrobat and Foxit draw the artwork in the annotation's box, PDFBox (the
     * pictures) draws the empty appearance. VALID before.
     */
    @Test
    void a3dAnnotationActivatedWhenThePageOpensUnderCertificationP3() throws Exception {
        VerificationReport forged = fixture.verify("tenth-p3-3d", RedTeamFourth.incremental(certifiedP3,
                document -> RedTeamTenth.annotation("3D", 60, 690, "", a -> {
                    a.setItem(COSName.getPDFName("3DD"), RedTeamTenth.stream(document, "3D", "U3D", new byte[16]));
                    COSDictionary activation = new COSDictionary();
                    activation.setName(COSName.A, "PO");
                    a.setItem(COSName.getPDFName("3DA"), activation);
                }).apply(document)));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * Under DocMDP P=3 a projection annotation (ISO 32000-2), its appearance empty, carrying a 3D measurement (/ExData
     * /3DM): a reader shows it inside a 3D view of the page, not as its appearance, which is all PDFBox (the pictures)
     * draws. VALID before (noted open by the tenth read).
     */
    @Test
    void aProjectionWithAMeasurementAddedUnderCertificationP3() throws Exception {
        VerificationReport forged = fixture.verify("tenth-p3-projection", RedTeamFourth.incremental(certifiedP3,
                document -> RedTeamTenth.annotation("Projection", 60, 690, RedTeamTenth.NOTHING, a -> {
                    COSDictionary measurement = new COSDictionary();
                    measurement.setName(COSName.TYPE, "ExData");
                    measurement.setName(COSName.SUBTYPE, "3DM");
                    a.setItem(COSName.getPDFName("ExData"), measurement);
                    a.setString(COSName.CONTENTS, "Amount: 1,000,000");
                }).apply(document)));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
        assertThat(forged.signatures().getFirst().changesAfterSigning()).anySatisfy(change ->
                assertThat(change.description()).contains("Projection").contains("3D view"));
    }

    /**
     * Under DocMDP P=3 a redaction mark over the approval line, its appearance empty, its overlay (/RO) painting the
     * forged amount: Acrobat shows the overlay while the pointer is over the mark (and burns it in if someone applies
     * the redaction); PDFBox draws the empty appearance. VALID before.
     */
    @Test
    void aRedactionMarkWhoseOverlayForgesTheAmountUnderCertificationP3() throws Exception {
        VerificationReport forged = fixture.verify("tenth-p3-redact", RedTeamFourth.incremental(certifiedP3,
                document -> RedTeamTenth.annotation("Redact", 60, 690, RedTeamTenth.NOTHING, a -> {
                    try {
                        a.setItem(COSName.getPDFName("RO"), RedTeamTenth.appearance(document, 300, 40,
                                RedTeamTenth.FORGED));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).apply(document)));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * Under DocMDP P=3 a file attachment annotation whose icon draws nothing, carrying "licence.pdf" (an unsealed
     * PDF): readers list it among the document's attachments and open it, none of it sealed. VALID before.
     */
    @Test
    void anAttachmentAddedUnderCertificationP3() throws Exception {
        VerificationReport forged = fixture.verify("tenth-p3-attachment", RedTeamFourth.incremental(certifiedP3,
                document -> RedTeamTenth.annotation("FileAttachment", 400, 400, "", a -> {
                    COSDictionary embedded = new COSDictionary();
                    try {
                        embedded.setItem(COSName.F, RedTeamTenth.stream(document, "EmbeddedFile", null,
                                TestMaterial.onePagePdf(0)));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    COSDictionary file = new COSDictionary();
                    file.setName(COSName.TYPE, "Filespec");
                    file.setString(COSName.F, "licence.pdf");
                    file.setItem(COSName.EF, embedded);
                    a.setItem(COSName.FS, file);
                }).apply(document)));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * Under DocMDP P=3 an invisible link (no border, no appearance) over the whole page opening a look-alike
     * verifier: an allowed comment (ISO 32000-1 lets P=3 add links), VALID, and the report said only "a Link
     * annotation was added", not where a click on the page (or on its QR code) leads. It still is allowed; the
     * report now names the address.
     */
    @Test
    void aLinkAddedUnderCertificationP3IsReportedWithWhereItLeads() throws Exception {
        VerificationReport linked = fixture.verify("tenth-p3-link", RedTeamFourth.incremental(certifiedP3,
                RedTeamTenth.invisibleLink("https://yinxin-verify.example/d/0123")));

        assertThat(linked.verdict()).as(linked.toString()).isEqualTo(Verdict.VALID);
        assertThat(linked.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
            assertThat(change.kind()).isEqualTo("ANNOTATION_ADDED");
            assertThat(change.description()).contains("\"https://yinxin-verify.example/d/0123\"");
        });
    }

    /**
     * Under DocMDP P=3 a sticky note on blank paper whose pop-up (and every reader's comment list) reads as the
     * agency's: /T "北京市市场监督管理局", /Contents "经核准，有效期延长至2030年". An allowed comment, VALID, and the
     * report said only "a Text annotation was added". It still is allowed; the report now quotes what it claims.
     */
    @Test
    void aCommentAddedUnderCertificationP3IsReportedWithWhatItsPopUpReads() throws Exception {
        VerificationReport noted = fixture.verify("tenth-p3-note", RedTeamFourth.incremental(certifiedP3,
                document -> StickyNote.add(document, "北京市市场监督管理局", "经核准，有效期延长至2030年")));

        assertThat(noted.verdict()).as(noted.toString()).isEqualTo(Verdict.VALID);
        assertThat(noted.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
            assertThat(change.kind()).isEqualTo("ANNOTATION_ADDED");
            assertThat(change.description()).contains("北京市市场监督管理局: 经核准，有效期延长至2030年");
        });
    }

    /**
     * A comment that was on the page when it was certified P=3, its words changed afterwards (allowed: comments may
     * change): the answer quotes what its pop-up now reads, as it quotes an added comment's.
     */
    @Test
    void aCommentChangedUnderCertificationP3IsReportedWithWhatItsPopUpNowReads() throws Exception {
        byte[] withNote;
        try (var document = org.apache.pdfbox.Loader.loadPDF(TestMaterial.onePagePdf(0));
             var out = new java.io.ByteArrayOutputStream()) {
            StickyNote.add(document, "张三", "同意");
            document.save(out);
            withNote = out.toByteArray();
        }
        byte[] certified = fixture.certified("tenth-p3-with-note", withNote, 3);
        VerificationReport changed = fixture.verify("tenth-p3-note-changed", RedTeamFourth.incremental(certified,
                document -> {
                    var note = document.getPage(0).getAnnotations().stream()
                            .filter(a -> "Text".equals(a.getSubtype())).findFirst().orElseThrow();
                    note.setContents("经核准，有效期延长至2030年");
                    note.getCOSObject().setNeedToBeUpdated(true);
                }));

        assertThat(changed.verdict()).as(changed.toString()).isEqualTo(Verdict.VALID);
        assertThat(changed.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
            assertThat(change.kind()).isEqualTo("ANNOTATION_CHANGED");
            assertThat(change.description()).contains("its pop-up now reads \"张三: 经核准，有效期延长至2030年\"");
        });
    }

    /** A small sticky note (20 x 20 points, PDFBox's own appearance) on blank paper at the top right of page 1. */
    private static final class StickyNote {
        static void add(org.apache.pdfbox.pdmodel.PDDocument document, String author, String words)
                throws java.io.IOException {
            var page = document.getPage(0);
            var note = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText();
            note.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(400, 750, 20, 20));
            note.setTitlePopup(author);
            note.setContents(words);
            note.setPage(page);
            note.setPrinted(true);
            note.constructAppearances(document);
            page.getAnnotations().add(note);
            page.getCOSObject().setNeedToBeUpdated(true);
            if (page.getCOSObject().getCOSArray(COSName.ANNOTS) != null) {
                page.getCOSObject().getCOSArray(COSName.ANNOTS).setNeedToBeUpdated(true);
            }
        }
    }

    // ---- what a reader shows beside the pages -------------------------------------------------------------------

    /**
     * A sealed decision titled "Approved" (document information and XMP metadata; /DisplayDocTitle asks readers to
     * show it): after the seal its title is made "Refused" in /Info, or in the XMP metadata's dc:title (which pdf.js
     * shows first). Firefox shows the title in the tab, Acrobat in the window's title bar, in place of the file
     * name: VALID before ("the document information changed", allowed housekeeping).
     */
    @Test
    void theTitleReadersShowInPlaceOfTheFileNameChangedAfterSealing() throws Exception {
        byte[] inInfo = fixture.sealed("tenth-titled", RedTeamTenth.titledPdf(false));
        byte[] inBoth = fixture.sealed("tenth-titled-xmp", RedTeamTenth.titledPdf(true));

        for (VerificationReport forged : java.util.List.of(
                fixture.verify("tenth-info-title", RedTeamFourth.incremental(inInfo, RedTeamTenth.infoTitle("Refused"))),
                fixture.verify("tenth-info-title-removed", RedTeamFourth.incremental(inInfo, RedTeamTenth.infoTitle(null))),
                fixture.verify("tenth-xmp-title", RedTeamFourth.incremental(inBoth, RedTeamTenth.xmpTitle("Refused"))),
                // /Info alone, XMP keeping the old title (Acrobat may show /Info's when it is the newer)
                fixture.verify("tenth-info-title-xmp-kept", RedTeamFourth.incremental(inBoth,
                        RedTeamTenth.infoTitle("Refused"))))) {
            assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
            assertThat(forged.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
                assertThat(change.allowed()).isFalse();
                assertThat(change.description()).contains("title");
            });
        }
    }

    /**
     * What extending tools do to the same metadata is still housekeeping: another producer in /Info, the XMP metadata
     * written anew with another date and the same title, or given the /Info title it lacked.
     */
    @Test
    void metadataRewrittenWithTheSameTitleIsStillHousekeeping() throws Exception {
        byte[] inInfo = fixture.sealed("tenth-titled", RedTeamTenth.titledPdf(false));
        byte[] inBoth = fixture.sealed("tenth-titled-xmp", RedTeamTenth.titledPdf(true));

        for (VerificationReport kept : java.util.List.of(
                fixture.verify("tenth-info-producer", RedTeamFourth.incremental(inInfo, RedTeamTenth.infoTitle("Approved"))),
                fixture.verify("tenth-xmp-date", RedTeamFourth.incremental(inBoth, RedTeamTenth.xmpTitle("Approved"))),
                fixture.verify("tenth-xmp-synced", RedTeamFourth.incremental(inInfo, RedTeamTenth.xmpTitle("Approved"))))) {
            assertThat(kept.verdict()).as(kept.toString()).isEqualTo(Verdict.VALID);
        }
    }
}
