package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;

/**
 * How many objects a stream makes PDFBox hold, read from its dictionary before PDFBox parses anything: an object
 * stream's /N (PDFBox parses every one of them, and keeps them, when any one is asked for), a cross-reference
 * stream's entries and a cross-reference table's in-use lines (one map entry each). A 7 MB upload packs 1.5 million empty arrays into one object stream of
 * 27 MB, within the per-stream limit: 250 MB of PDFBox's objects. {@link InputBounds} adds them up against
 * {@link VerificationLimits#maxObjects()}. What the dictionary does not state directly is bounded by the stream's
 * decoded size (an object stream's header needs at least 4 bytes an object, a cross-reference row at least 1).
 */
final class DeclaredObjects {

    private DeclaredObjects() {
    }

    /**
     * {@code counted} plus {@code more}, within the budget's object limit.
     *
     * @throws LimitExceededException past {@link VerificationLimits#maxObjects()}
     */
    static long add(DecodeBudget budget, long counted, long more) {
        long objects = counted + more;
        budget.check(VerificationLimits.Limit.OBJECTS, objects, budget.limits().maxObjects(),
                "objects in object and cross-reference streams and tables");
        return objects;
    }

    /**
     * The lines of the file that read as an in-use entry of a cross-reference table ("offset generation n", however
     * spaced): PDFBox keeps one map entry (and its copies while it merges sections) for each such line of a table
     * it reads, and a 20 MB upload holds a million of them (an OutOfMemoryError within 256 MB after a seal). Lines of
     * that shape elsewhere (rare) are counted too: an upper bound.
     */
    static long inTables(byte[] pdf) {
        long count = 0;
        int fields = 0;
        boolean inNumber = false;
        boolean shape = true;
        boolean used = false;
        for (int i = 0; i <= pdf.length; i++) {
            int c = i < pdf.length ? pdf[i] : '\n';
            if (c == '\n' || c == '\r') {
                count += shape && used && fields == 3 ? 1 : 0;
                fields = 0;
                inNumber = false;
                shape = true;
                used = false;
            } else if (!shape) {
                continue;
            } else if (c == ' ' || c == '\t' || c == '\f' || c == 0) {
                inNumber = false;
            } else if (c >= '0' && c <= '9' && fields < 2 || inNumber && c >= '0' && c <= '9') {
                fields += inNumber ? 0 : 1;
                inNumber = true;
            } else if (c == 'n' && fields == 2 && !used) {
                used = true;
                fields = 3;
                inNumber = false;
            } else {
                shape = false;
            }
        }
        return count;
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
            return width > 0 || decoded == 0 ? decoded / Math.max(1, width) : numbered(dictionary);
        }
        return 0;
    }

    /**
     * The object numbers a cross-reference stream's /Index (or /Size) names. With /W [0 0 0] each row is no bytes:
     * PDFBox's parser reads row after row without reaching the end of the data and keeps an entry for every number
     * named (a 200-byte update of /Size 50000000 was an OutOfMemoryError within 256 MB). What cannot be read from the
     * raw dictionary (an indirect /Index or /Size) counts as unbounded: such rows tell nothing anyway.
     */
    private static long numbered(COSDictionary dictionary) {
        COSBase index = dictionary.getDictionaryObject(COSName.INDEX);
        COSBase size = dictionary.getDictionaryObject(COSName.SIZE);
        if (index == null) {
            return size instanceof COSInteger n ? Math.max(0, n.longValue()) : Integer.MAX_VALUE;
        }
        if (!(index instanceof COSArray ranges)) {
            return Integer.MAX_VALUE;
        }
        long numbers = 0;
        for (int i = 1; i < ranges.size(); i += 2) {
            numbers += ranges.getObject(i) instanceof COSInteger n ? Math.clamp(n.longValue(), 0, Integer.MAX_VALUE)
                    : Integer.MAX_VALUE;
        }
        return numbers;
    }
}
