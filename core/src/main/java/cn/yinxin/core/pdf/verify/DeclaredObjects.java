package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;

/**
 * How many objects a stream makes PDFBox hold, read from its dictionary before PDFBox parses anything: an object
 * stream's /N (PDFBox parses every one of them, and keeps them, when any one is asked for), a cross-reference
 * stream's entries (one map entry each). A 7 MB upload packs 1.5 million empty arrays into one object stream of
 * 27 MB, within the per-stream limit: 250 MB of PDFBox's objects. {@link InputBounds} adds them up against
 * {@link VerificationLimits#maxObjects()}. What the dictionary does not state directly is bounded by the stream's
 * decoded size (an object stream's header needs at least 4 bytes an object, a cross-reference row at least 1).
 */
final class DeclaredObjects {

    private DeclaredObjects() {
    }

    /**
     * @param dictionary the stream's dictionary as the raw checks read it (null when unreadable: nothing declared)
     * @param decoded    the bytes the stream decodes to
     */
    static long of(COSDictionary dictionary, long decoded) {
        if (dictionary == null) {
            return 0;
        }
        COSBase type = dictionary.getDictionaryObject(COSName.TYPE);
        if (COSName.OBJ_STM.equals(type)) {
            return dictionary.getDictionaryObject(COSName.N) instanceof COSInteger n ? Math.max(0, n.longValue())
                    : decoded / 4;
        }
        if (COSName.XREF.equals(type)) {
            long width = 0;
            if (dictionary.getDictionaryObject(COSName.W) instanceof COSArray widths) {
                for (int i = 0; i < widths.size(); i++) {
                    width += widths.getObject(i) instanceof COSInteger w ? Math.max(0, w.longValue()) : 0;
                }
            }
            return decoded / Math.max(1, width);
        }
        return 0;
    }
}
