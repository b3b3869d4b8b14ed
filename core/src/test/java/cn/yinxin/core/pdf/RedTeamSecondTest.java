package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSObjectKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static cn.yinxin.core.pdf.PdfCrafting.lastBody;
import static cn.yinxin.core.pdf.RedTeamTest.APPEARANCE_ENTRIES;
import static cn.yinxin.core.pdf.RedTeamTest.APPROVED;
import cn.yinxin.core.pdf.RedTeamTest.Obj;
import static cn.yinxin.core.pdf.RedTeamTest.revision;
import static cn.yinxin.core.pdf.RedTeamTest.stream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second hostile review (issue 17), after the verifier gained raw cross-reference checks, the field-tree signature
 * listing, the visual proof and its SameDefinitions shortcut. Each test is an attack on a genuinely sealed document
 * that the verifier, as it stands, answers VALID although what a person sees is not what was sealed; each asserts
 * NOT VALID, so each fails until its hole is closed. With -Dredteam.out=DIR each crafted file is written there.
 */
class RedTeamSecondTest {

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

    static VerificationReport verify(String name, byte[] forged) throws Exception {
        String dir = System.getProperty("redteam.out");
        if (dir != null) {
            Files.write(Path.of(dir, name + ".pdf"), forged);
        }
        VerificationReport report = verifier.verify(forged);
        System.out.println(name + ": " + report.verdict() + " " + report.signatures().stream()
                .map(s -> s.field() + " " + s.indication() + " " + s.changesAfterSigning()).toList());
        return report;
    }

    static void assertNotValid(VerificationReport report) {
        assertThat(report.verdict()).as(report.toString()).isNotEqualTo(Verdict.VALID);
    }

    /** An empty signature field added with a widget painting APPROVED over the signed text, flagged {@code flags}, box {@code rect}. */
    static byte[] emptySignatureField(String flags, String rect) throws Exception {
        COSObjectKey page = ChangeRulesTest.pageKey(sealed);
        COSObjectKey catalog = PdfCrafting.catalogKey(sealed);
        long field = PdfCrafting.trailerSize(sealed);
        long look = field + 1;
        return revision(sealed, List.of(
                Obj.of(look, stream(APPEARANCE_ENTRIES, APPROVED)),
                Obj.of(field, "<< /FT /Sig /T (Reviewer) /Type /Annot /Subtype /Widget /F " + flags + " /P "
                        + page.getNumber() + " 0 R /Rect " + rect + " /AP << /N " + look + " 0 R >> >>"),
                Obj.of(page.getNumber(), lastBody(sealed, page.getNumber()).replaceFirst("/Annots \\[",
                        "/Annots [" + field + " 0 R ")),
                Obj.of(catalog.getNumber(), lastBody(sealed, catalog.getNumber()).replaceFirst("/Fields \\[",
                        "/Fields [" + field + " 0 R "))), List.of(), null, "");
    }

    /**
     * An empty signature field whose widget's flags are the real number 6.5 (not an integer): RevisionDiff.visible()
     * reads them with getInt (6 = Hidden|Print), calls the widget invisible, and FormRule clears it at FORM_FILLING;
     * PDFBox draws nothing (Hidden), so the visual proof sees nothing either. ISO 32000-1 12.5.3 makes /F an
     * integer; poppler (Evince, Okular, pdftoppm: seen) and pdf.js take a non-integer /F for "no flags" and draw
     * the widget: APPROVED 1,000,000 CNY over the sealed text.
     */
    @Test
    void anEmptySignatureFieldHiddenByARealNumberFlag() throws Exception {
        assertNotValid(verify("flags-real", emptySignatureField("6.5", "[60 680 410 760]")));
    }

    /**
     * The same widget flagged Print (4), its /Rect given a fifth number: RevisionDiff.visible() calls any /Rect that
     * is not exactly four numbers invisible; PDFBox ignores such a /Rect (nothing drawn, the visual proof is
     * satisfied). MuPDF (pdf_to_rect reads the first four numbers) draws it.
     */
    @Test
    void anEmptySignatureFieldWithAFiveNumberRect() throws Exception {
        assertNotValid(verify("rect-five", emptySignatureField("4", "[60 680 410 760 0]")));
    }
}
