package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;

/** DocMDP certification (ISO 32000-1 12.8.2.2): the author of a document says which later changes are allowed. */
final class DocMdp {

    private DocMdp() {
    }

    /** Makes {@code signature} a certification signature with permissions {@code permissions} (1, 2 or 3). */
    static void certify(PDDocument document, PDSignature signature, int permissions) {
        COSDictionary parameters = new COSDictionary();
        parameters.setItem(COSName.TYPE, COSName.getPDFName("TransformParams"));
        parameters.setInt(COSName.P, permissions);
        parameters.setName(COSName.V, "1.2");
        COSDictionary reference = new COSDictionary();
        reference.setItem(COSName.TYPE, COSName.getPDFName("SigRef"));
        reference.setItem(COSName.getPDFName("TransformMethod"), COSName.DOCMDP);
        reference.setItem(COSName.getPDFName("DigestMethod"), COSName.getPDFName("SHA256"));
        reference.setItem(COSName.getPDFName("TransformParams"), parameters);
        COSArray references = new COSArray();
        references.add(reference);
        signature.getCOSObject().setItem(COSName.getPDFName("Reference"), references);
        COSDictionary perms = new COSDictionary();
        perms.setItem(COSName.DOCMDP, signature);
        document.getDocumentCatalog().getCOSObject().setItem(COSName.PERMS, perms);
    }

    /** A document certified with DocMDP P=1 allows no change at all, not even another signature. */
    static void refuseIfCertifiedWithoutChanges(PDDocument document) {
        COSDictionary perms = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.PERMS);
        if (perms == null) {
            return;
        }
        COSDictionary docMdp = perms.getCOSDictionary(COSName.DOCMDP);
        COSArray references = docMdp == null ? null : docMdp.getCOSArray(COSName.getPDFName("Reference"));
        if (references == null) {
            return;
        }
        for (int i = 0; i < references.size(); i++) {
            // getObject dereferences: writers often make each reference an indirect object
            if (references.getObject(i) instanceof COSDictionary ref
                    && ref.getCOSDictionary(COSName.getPDFName("TransformParams")) != null
                    && ref.getCOSDictionary(COSName.getPDFName("TransformParams")).getInt(COSName.P, 2) == 1) {
                throw new RejectedException(Problem.CERTIFIED_NO_CHANGES,
                        "The document was certified by its author with no changes allowed (DocMDP P=1); "
                                + "another seal would invalidate that certification.");
            }
        }
    }

    /** A certification must be the document's first signature. */
    static void refuseIfAlreadySigned(PDDocument document) {
        if (!document.getSignatureDictionaries().isEmpty()) {
            throw new RejectedException(Problem.ALREADY_SIGNED, "The document carries signatures already; a "
                    + "certification (DocMDP) must be the first signature of a document.");
        }
    }
}
