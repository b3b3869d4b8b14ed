package cn.yinxin.core.ofd.verify;

import cn.yinxin.core.ofd.OfdAttachments;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.pdf.verify.AnnotatedCopyCheck;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;

import java.util.Map;

/**
 * A 加注件 in OFD, as the licence service makes it: the licence drawn again with the annotation box, the sealed
 * licence OFD attached as {@value #ORIGINAL}, the annotation stated in OFD.xml's CustomData {@value #ANNOTATION}
 * (a GB/T 38540 seal carries no reason), sealed by the issuer. Judged by the PDF copy's rule
 * ({@link AnnotatedCopyCheck}): no better than the licence it carries.
 */
public final class OfdCopies {

    /** The attachment that holds the sealed licence OFD. */
    public static final String ORIGINAL = "original-licence.ofd";
    /** The CustomData entry that states the copy's annotation ("仅供...使用，...，有效期至yyyy-MM-dd"). */
    public static final String ANNOTATION = "AnnotatedCopy";

    private OfdCopies() {
    }

    /**
     * The copy an OFD is, or null: not a copy (no annotation, no attached licence), or no seal passed (its verdict is
     * not VALID then anyway). A licence file that also claims to be a copy is judged as both, as a PDF is. The copy's seal is its earliest seal that passed, which covers
     * every file of the package but later seals' own (Coverage), the attachment and the annotation included.
     */
    public static AnnotatedCopyCheck of(OfdVerifier.Verified verified, OfdLimits limits) {
        OfdDocument document = verified.document();
        if (document == null) {
            return null;
        }
        String annotation = annotation(document);
        byte[] original = OfdAttachments.find(document, ORIGINAL, limits);
        if (annotation == null && original == null) {
            return null;
        }
        for (SignatureReport seal : verified.report().signatures()) {
            if (seal.indication() == Indication.TOTAL_PASSED) {
                return AnnotatedCopyCheck.sealedBy(seal, annotation, original, ORIGINAL);
            }
        }
        return null;
    }

    /**
     * The annotation OFD.xml states; null when it states none; "" when it states it more than once with different
     * words: the document's CustomData keeps the first of a name, another reader may show the last, and which period
     * of use the seal signed cannot be told then (a copy still, judged as one stating no period).
     */
    private static String annotation(OfdDocument document) {
        if (document.customDataStatedTwice().contains(ANNOTATION)) {
            return "";
        }
        return document.customData().entrySet().stream().filter(e -> e.getKey().strip().equals(ANNOTATION))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
