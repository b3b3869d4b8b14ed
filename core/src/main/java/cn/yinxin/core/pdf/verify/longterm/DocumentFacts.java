package cn.yinxin.core.pdf.verify.longterm;

import cn.yinxin.core.pdf.sign.LongTermValidation;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;

import java.io.IOException;

/**
 * What the document as a whole holds for its signatures' level: validation data in a DSS dictionary (LT), and how
 * far document time-stamps reach (LTA: a signature whose revision a document time-stamp covers).
 */
public record DocumentFacts(boolean longTermData, long archivedUpTo) {

    public static DocumentFacts of(PDDocument document) throws IOException {
        COSDictionary dss = document.getDocumentCatalog().getCOSObject().getCOSDictionary(LongTermValidation.DSS);
        boolean longTerm = dss != null && (nonEmpty(dss, "OCSPs") || nonEmpty(dss, "CRLs"));
        long archived = -1;
        for (PDSignature signature : document.getSignatureDictionaries()) {
            if (LongTermValidation.ETSI_RFC3161.getName().equals(signature.getSubFilter())) {
                COSBase range = signature.getCOSObject().getDictionaryObject(COSName.BYTERANGE);
                if (range instanceof COSArray array && array.size() == 4 && array.getObject(1) instanceof COSNumber gap) {
                    archived = Math.max(archived, gap.longValue());
                }
            }
        }
        return new DocumentFacts(longTerm, archived);
    }

    private static boolean nonEmpty(COSDictionary dss, String key) {
        COSArray array = dss.getCOSArray(COSName.getPDFName(key));
        return array != null && array.size() > 0;
    }
}
