package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.text.Language;
import cn.yinxin.core.text.Messages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A twelfth hostile read (2026-12-08 night): what a clerk sees besides the pages the verification compares, and what
 * the report shows that a later revision can change, as an attacker holding a genuinely sealed PDF, a text editor and
 * the public verifier would use it, and as a clerk who decides from the answer alone. Each document is sealed by our
 * sealer and verified through {@link cn.yinxin.core.pdf.verify.PdfVerifier}, the entry point of the API.
 */
class RedTeamTwelfthTest {

    private static RedTeamFourth fixture;

    @BeforeAll
    static void seal() throws Exception {
        fixture = new RedTeamFourth();
    }

    // ---- sealed as it is, shown otherwise: the answer must say so ---------------------------------------------

    /**
     * A sealed portfolio: a cover page carrying the seal, made a portfolio (/Collection) opening on its attached
     * "contract.pdf" ("Amount: 1,000,000"). Acrobat opens it on the attached file, never showing the sealed cover;
     * the clerk reads "Valid: the document is unchanged since" beside a contract no seal of its own was checked for.
     * Before: VALID, the summary saying nothing of it (written down as not defended by the tenth read). Now: VALID
     * (the seal does cover the attachment's bytes), and the summary, in both languages, says readers show the
     * attached file in place of the verified pages and that it must be verified on its own.
     */
    @Test
    void aSealedPortfolioSaysReadersShowItsAttachedFilesInPlaceOfTheVerifiedPages() throws Exception {
        byte[] sealed = fixture.sealed("twelfth-portfolio", RedTeamTwelfth.portfolio());

        VerificationReport report = fixture.verify("twelfth-portfolio-verified", sealed);

        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        assertThat(report.summary()).contains("portfolio").contains("\"contract.pdf\"")
                .contains("verify each attached file on its own");
        assertThat(Messages.localise(report.summary(), Language.ZH)).contains("全部 1 个签章有效")
                .contains("请注意").contains("文件包").contains("\"contract.pdf\"");
    }

    /**
     * A sealed page whose layers differ on screen and on paper: "Amount: 100" on screen only, "Amount: 1,000,000"
     * printed only (/Usage /Print /PrintState, applied by /AS for the Print event, as Acrobat prints it). The clerk
     * sees 100 and is told "Valid"; the printed copy handed on states 1,000,000. Before: VALID, nothing said (the
     * tenth read's open item). Now: VALID with the layers named and the warning, in both languages.
     */
    @Test
    void layersPrintedOtherwiseThanShownAreNamedInTheAnswer() throws Exception {
        byte[] sealed = fixture.sealed("twelfth-layers", RedTeamTwelfth.layersPrintedOtherwise(false));

        VerificationReport report = fixture.verify("twelfth-layers-verified", sealed);

        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        assertThat(report.summary()).contains("layers").contains("\"screen\"").contains("\"paper\"")
                .contains("a printed copy, another zoom or another reader may show other content than the screen");
        assertThat(Messages.localise(report.summary(), Language.ZH)).contains("请注意").contains("图层")
                .contains("打印件");
    }

    /**
     * A sealed form carrying an XFA form (/AcroForm /XFA, /NeedsRendering) whose data state another amount: Acrobat
     * and Foxit show the XFA form, with its own layout and data, not the pages the verification compared. Before:
     * VALID, nothing said. Now: VALID, the summary saying so in both languages.
     */
    @Test
    void aSealedXfaFormSaysSomeReadersShowItInPlaceOfThePages() throws Exception {
        byte[] sealed = fixture.sealed("twelfth-xfa", RedTeamTwelfth.withXfa());

        VerificationReport report = fixture.verify("twelfth-xfa-verified", sealed);

        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        assertThat(report.summary()).contains("XFA form").contains("in place of its pages");
        assertThat(Messages.localise(report.summary(), Language.ZH)).contains("请注意").contains("XFA 表单");
    }

    /**
     * A sealed page whose layer "close-up" Acrobat shows only from 400 % zoom on (/Usage /Zoom /min 4): the clerk at the usual zoom sees another page than one who zooms in. Before: VALID, nothing said. Now:
     * VALID with the layer named.
     */
    @Test
    void aLayerShownOnlyAtSomeZoomLevelsIsNamedInTheAnswer() throws Exception {
        byte[] sealed = fixture.sealed("twelfth-zoom", RedTeamTwelfth.layerShownOnlyZoomedIn());

        VerificationReport report = fixture.verify("twelfth-zoom-verified", sealed);

        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        assertThat(report.summary()).contains("at some zoom levels").contains("\"close-up\"");
        assertThat(Messages.localise(report.summary(), Language.ZH)).contains("缩放比例");
    }

    /** Layers shown and printed alike (a watermark layer) and a plain document: the answer is as before. */
    @Test
    void layersShownAndPrintedAlikeAreNotNoted() throws Exception {
        byte[] sealed = fixture.sealed("twelfth-layers-alike", RedTeamTwelfth.layersPrintedOtherwise(true));

        VerificationReport report = fixture.verify("twelfth-layers-alike-verified", sealed);

        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        assertThat(report.summary()).isEqualTo("All 1 signature(s) are valid and the document is unchanged since.");
    }

    // ---- what an allowed comment draws beside what was signed ---------------------------------------------------

    /**
     * Under DocMDP P=3 (comments allowed) a sticky note 32 x 16 points, on what was blank paper 2 points after the
     * certified "Amount: 100", whose appearance writes ",000" in the page's font: poppler shows "Amount: 100 ,000".
     * The pictures leave a small note on blank paper out whatever it draws (it is taken for a commenting tool's
     * icon), so before: VALID, "a Text annotation was added". Now the note must stand apart from signed ink (a note's
     * width to either side): INVALID, VISIBLE_CHANGE. Likewise 3 points after.
     */
    @Test
    void aStickyNoteBesideTheCertifiedAmountThatContinuesItUnderCertificationP3() throws Exception {
        byte[] certified = fixture.certified("twelfth-p3-amount", RedTeamTwelfth.amount(), 3);

        for (float gap : new float[]{2, 3}) {
            VerificationReport forged = fixture.verify("twelfth-p3-note-" + gap, RedTeamFourth.incremental(certified,
                    RedTeamTwelfth.noteContinuingTheAmount(gap)));

            assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
            assertThat(forged.signatures().getFirst().changesAfterSigning())
                    .anySatisfy(change -> assertThat(change.kind()).isEqualTo("VISIBLE_CHANGE"));
        }
    }

    /**
     * Under DocMDP P=3 a sticky note in the margin (a small icon on blank paper, well apart from the text) in the
     * agency's name saying "Amount: 1,000,000", with a pop-up shown open (/Open true) whose appearance draws nothing:
     * pdf.js (Firefox) opens the pop-up's window beside the note when the page is shown, over "Amount: 100"; PDFBox
     * (the pictures) draws the empty appearance. Before: VALID ("a Popup annotation was added"). Now: INVALID.
     */
    @Test
    void aPopUpShownOpenOverTheCertifiedAmountUnderCertificationP3() throws Exception {
        byte[] certified = fixture.certified("twelfth-p3-amount", RedTeamTwelfth.amount(), 3);

        VerificationReport forged = fixture.verify("twelfth-p3-open-popup", RedTeamFourth.incremental(certified,
                RedTeamTwelfth.noteWithAnOpenPopUp()));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
        assertThat(forged.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
            assertThat(change.allowed()).isFalse();
            assertThat(change.description()).contains("pop-up shown open");
        });
    }

    /**
     * The same with a comment certified with it, its pop-up closed: after the certification (P=3) the pop-up is set
     * open and the comment's words changed. Before: VALID ("a Popup annotation was changed (/Open)"). Now: INVALID.
     * The closed pop-up itself stays allowed (a comment's words changed are quoted, as before).
     */
    @Test
    void aCertifiedCommentsPopUpOpenedAfterwardsUnderCertificationP3() throws Exception {
        byte[] certified = fixture.certified("twelfth-p3-closed-popup", RedTeamTwelfth.amountWithAClosedPopUp(), 3);

        VerificationReport forged = fixture.verify("twelfth-p3-popup-opened", RedTeamFourth.incremental(certified,
                RedTeamTwelfth.popUpOpened()));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
    }

    // ---- borders pdf.js draws itself --------------------------------------------------------------------------

    /**
     * Under DocMDP P=3 a link over the certified "100" whose appearance draws nothing but whose border is white and 8
     * points wide (/Border [0 0 8], /C [1 1 1]) in a 32 x 16 box: pdf.js (Firefox) draws the border as an element of
     * its own over "100" (seen in pdf.js 4.10's viewer in Chromium: at 100 % it erases nearly all of "100", at 150 %
     * half of it; its data: width 8, colour white); PDFBox draws nothing. Before: VALID ("a Link annotation was
     * added"). Now: INVALID.
     */
    @Test
    void aLinkWhoseBorderPdfJsDrawsHidesTheCertifiedAmountUnderCertificationP3() throws Exception {
        byte[] certified = fixture.certified("twelfth-p3-amount", RedTeamTwelfth.amount(), 3);

        VerificationReport forged = fixture.verify("twelfth-p3-link-border", RedTeamFourth.incremental(certified,
                RedTeamTwelfth.linkWithAWhiteBorderOverTheAmount()));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
        assertThat(forged.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
            assertThat(change.allowed()).isFalse();
            assertThat(change.description()).contains("border");
        });
    }

    // ---- flags PDFBox and pdf.js read otherwise ----------------------------------------------------------------

    /**
     * Under DocMDP P=3 a stamp over the certified "Amount: 100" painting a white box and "Amount: 1,000,000", its flags
     * /F -2: PDFBox (the pictures) and poppler take the low bits, Hidden, and draw nothing; pdf.js takes a negative
     * number as no flags and draws the stamp (seen in its viewer). Before: VALID ("a Stamp annotation was added").
     * Now the pictures draw such flags as pdf.js does: INVALID, VISIBLE_CHANGE.
     */
    @Test
    void aStampWhoseNegativeFlagsHideItFromPdfBoxOnlyUnderCertificationP3() throws Exception {
        byte[] certified = fixture.certified("twelfth-p3-amount", RedTeamTwelfth.amount(), 3);

        VerificationReport forged = fixture.verify("twelfth-p3-flags", RedTeamFourth.incremental(certified,
                RedTeamTwelfth.stampFlagged(-2)));

        assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
        assertThat(forged.signatures().getFirst().changesAfterSigning())
                .anySatisfy(change -> assertThat(change.kind()).isEqualTo("VISIBLE_CHANGE"));
    }

    /**
     * After an approval seal an empty signature field (anyone may add one) over the sealed text painting APPROVED,
     * flagged /F -2: hidden to PDFBox, drawn by pdf.js (the third read's 2^32 + 2, negative). Before: VALID. Now: not
     * VALID.
     */
    @Test
    void anEmptySignatureFieldWhoseNegativeFlagsHideItFromPdfBoxOnly() throws Exception {
        byte[] sealed = fixture.sealed("twelfth-sealed", TestMaterial.onePagePdf(0));

        VerificationReport forged = fixture.verify("twelfth-field-flags", RedTeamThirdTest.emptySignatureField(sealed,
                "-2"));

        assertThat(forged.verdict()).as(forged.toString()).isNotEqualTo(Verdict.VALID);
    }

    // ---- what the report and the reader's window show ------------------------------------------------------------

    /**
     * A sealed decision titled "Approved" (XMP and /Info; the tenth read made the title part of what is sealed). After
     * the seal its XMP metadata is written anew keeping "Approved" where the verifier's pattern looks first and
     * putting "Refused" where pdf.js reads: a second rdf:Description with its own dc:title (pdf.js 4.10's metadata
     * parser keeps the last), or the old title inside an XML comment and the new one as DC:TITLE (pdf.js skips comments
     * and reads names in lower case). Firefox shows "Refused" in the tab (metadata.get("dc:title"), read with pdf.js
     * 4.10 in node). Before: VALID, "the document's XMP metadata changed" (housekeeping). Now: INVALID.
     */
    @Test
    void aTitleHiddenFromTheVerifiersReadingOfTheXmpMetadata() throws Exception {
        byte[] sealed = fixture.sealed("twelfth-titled", RedTeamTenth.titledPdf(true));

        for (boolean commented : new boolean[]{false, true}) {
            VerificationReport forged = fixture.verify("twelfth-xmp-title-" + commented, RedTeamFourth.incremental(
                    sealed, RedTeamTwelfth.xmpTitleHiddenFromThePattern(commented)));

            assertThat(forged.verdict()).as(forged.toString()).isEqualTo(Verdict.INVALID);
            assertThat(forged.signatures().getFirst().changesAfterSigning()).anySatisfy(change -> {
                assertThat(change.allowed()).isFalse();
                assertThat(change.description()).contains("title");
            });
        }
    }

    /**
     * The same second description put beyond the first megabyte the verifier read of the XMP metadata (1.1 million
     * spaces in a comment before it; pdf.js reads the whole packet and keeps the last title). Before: VALID. Now a
     * packet longer than that is compared whole: INVALID.
     */
    @Test
    void aTitleBeyondTheMegabyteTheVerifierReadOfTheXmpMetadata() throws Exception {
        byte[] sealed = fixture.sealed("twelfth-titled", RedTeamTenth.titledPdf(true));

        VerificationReport forged = fixture.verify("twelfth-xmp-title-far", RedTeamFourth.incremental(sealed,
                RedTeamTwelfth.xmpTitleHiddenFromThePattern(false, 1_100_000)));

        assertThat(forged.verdict()).as(forged.summary()).isEqualTo(Verdict.INVALID);
    }
}
