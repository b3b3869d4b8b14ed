package cn.yinxin.core.pdf;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;

/** The sixth red team's crafting, beside the fourth's ({@link RedTeamFourth}), whose edits and verification it uses. */
final class RedTeamSixth {

    private RedTeamSixth() {
    }

    /**
     * The form of {@link PdfCrafting#formPdf(boolean)} ("amount" = 100, its appearance 100) with the value held by a
     * parent field "group" instead: "group.amount" has no /V of its own and shows the 100 it inherits.
     */
    static byte[] inheritedValueForm() throws Exception {
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            COSDictionary form = document.getDocumentCatalog().getAcroForm(null).getCOSObject();
            COSDictionary amount = (COSDictionary) form.getCOSArray(COSName.FIELDS).getObject(0);
            COSDictionary group = new COSDictionary();
            group.setString(COSName.T, "group");
            group.setItem(COSName.FT, COSName.TX);
            group.setItem(COSName.V, amount.getItem(COSName.V));
            COSArray kids = new COSArray();
            kids.add(amount);
            group.setItem(COSName.KIDS, kids);
            amount.removeItem(COSName.V);
            amount.removeItem(COSName.FT);
            amount.setItem(COSName.PARENT, group);
            COSArray fields = new COSArray();
            fields.add(group);
            form.setItem(COSName.FIELDS, fields);
            return TestMaterial.save(document);
        }
    }

    /** Sets the /V of the field {@code name} (fully qualified) to {@code value}, nothing else: its appearance stays. */
    static RedTeamFourth.Edit valueOnly(String name, String value) {
        return document -> {
            var field = document.getDocumentCatalog().getAcroForm(null).getField(name).getCOSObject();
            field.setItem(COSName.V, new COSString(value));
            field.setNeedToBeUpdated(true);
        };
    }
}
