package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ChangeFuzzTest}'s random edits found (2026-12-08), each made on purpose: an edit of a sealed document
 * that was answered VALID with no change listed.
 */
class FuzzFindingsTest {

    private static RedTeamFourth fixture;
    private static byte[] sealed;
    /** An approval seal on a form whose empty field "remarks" lies over the printed "Amount: 100". */
    private static byte[] sealedForm;

    @BeforeAll
    static void seal() throws Exception {
        fixture = new RedTeamFourth();
        sealed = fixture.sealed("fuzz-found", TestMaterial.onePagePdf(0));
        sealedForm = fixture.sealed("fuzz-found-form", RedTeamFourth.emptyFieldOverPrintedText());
    }

    /**
     * The seal's widget given another /Subtype (a /Popup, which viewers draw only when its parent is opened): the
     * seal no longer shows. VALID and "unchanged since signing" before: PDFBox's getWidgets(), called while the
     * signatures were read, wrote /Subtype /Widget back into the document the change analysis then compared.
     */
    @Test
    void theSealsWidgetGivenAnotherSubtypeIsNotValid() throws Exception {
        VerificationReport report = fixture.verify("fuzz-found-popup", RedTeamFourth.incremental(sealed, document -> {
            COSDictionary field = firstField(document);
            field.setItem(COSName.SUBTYPE, COSName.getPDFName("Popup"));
            field.setNeedToBeUpdated(true);
        }));

        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().changesAfterSigning()).anySatisfy(change ->
                assertThat(change.allowed()).isFalse());
    }

    /**
     * The empty field put under a new parent field that has a value: readers that take a field's value through its
     * parents (pdf.js, which Firefox shows forms with) show "Amount: 1,000,000" in it, and the field's own entries
     * are unchanged. VALID with no change listed before.
     */
    @Test
    void anEmptyFieldPutUnderAParentWithAValueIsNotValid() throws Exception {
        VerificationReport report = fixture.verify("fuzz-found-parent", RedTeamFourth.incremental(sealedForm,
                document -> {
                    COSDictionary field = firstField(document);
                    COSDictionary parent = new COSDictionary();
                    parent.setItem(COSName.V, new COSString("Amount: 1,000,000"));
                    parent.setItem(COSName.FT, COSName.TX);
                    COSArray kids = new COSArray();
                    kids.add(field);
                    parent.setItem(COSName.KIDS, kids);
                    field.setItem(COSName.PARENT, parent);
                    field.setNeedToBeUpdated(true);
                }));

        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
    }

    /** The seal's widget listed twice on its page: drawn twice (a seal with soft edges darkens). */
    @Test
    void anAnnotationListedTwiceIsNotValid() throws Exception {
        VerificationReport report = fixture.verify("fuzz-found-twice", RedTeamFourth.incremental(sealed, document -> {
            COSArray annots = document.getPage(0).getCOSObject().getCOSArray(COSName.ANNOTS);
            annots.add(annots.get(0));
            document.getPage(0).getCOSObject().setNeedToBeUpdated(true);
            annots.setNeedToBeUpdated(true);
        }));

        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
    }

    /** A page's tab order changed: allowed (it draws nothing), but listed, not "unchanged since signing". */
    @Test
    void aPagesTabOrderChangedIsAllowedAndListed() throws Exception {
        VerificationReport report = fixture.verify("fuzz-found-tabs", RedTeamFourth.incremental(sealed, document -> {
            document.getPage(0).getCOSObject().setName(COSName.getPDFName("Tabs"), "S");
            document.getPage(0).getCOSObject().setNeedToBeUpdated(true);
        }));

        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().getFirst().changesAfterSigning()).singleElement().satisfies(change -> {
            assertThat(change.allowed()).isTrue();
            assertThat(change.description()).contains("/Tabs");
        });
    }

    private static COSDictionary firstField(PDDocument document) {
        COSDictionary form = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM);
        return (COSDictionary) form.getCOSArray(COSName.FIELDS).getObject(0);
    }
}
