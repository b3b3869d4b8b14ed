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
     * The lines of the file that read as an in-use entry of a cross-reference table: PDFBox keeps one map entry (and
     * its copies while it merges sections) for each such line of a table it reads, and a 20 MB upload holds a million
     * of them (an OutOfMemoryError within 256 MB after a seal). PDFBox's rule ({@code COSParser.parseXrefTable}): the
     * line split at each single white-space character ({@code \s}: space, TAB, VT, FF), at least three parts, the
     * last "n" (PDFBOX-474 takes "offset generation anything n" too), the first a number above 0, the second a
     * number. Lines of that shape elsewhere (rare) are counted too: an upper bound.
     */
    static long inTables(byte[] pdf) {
        long count = 0;
        int line = 0;
        for (int i = 0; i <= pdf.length; i++) {
            if (i == pdf.length || pdf[i] == '\n' || pdf[i] == '\r') {
                count += inUse(pdf, line, i) ? 1 : 0;
                line = i + 1;
            }
        }
        return count;
    }

    /** Whether {@code pdf[from, to)} (one line) is an entry in use as PDFBox's table reader reads one. */
    private static boolean inUse(byte[] pdf, int from, int to) {
        int end = to;
        while (end > from && separates(pdf[end - 1])) {
            end--; // trailing parts are empty, and Pattern.split drops them
        }
        if (end - from < 5 || pdf[end - 1] != 'n' || !separates(pdf[end - 2])) {
            return false;
        }
        int start = from;
        while (start < end && (pdf[start] == ' ' || pdf[start] == '\t' || pdf[start] == '\f' || pdf[start] == 0)) {
            start++; // skipSpaces before the line
        }
        int first = number(pdf, start, end);
        if (first <= start || first >= end || !separates(pdf[first]) || allZeros(pdf, start, first)) {
            return false;
        }
        int second = number(pdf, first + 1, end);
        return second > first + 1 && second < end - 1 && separates(pdf[second]);
    }

    /** Where the number (a sign, then digits) starting at {@code at} ends, or {@code at} when there is none. */
    private static int number(byte[] pdf, int at, int end) {
        int i = at < end && (pdf[at] == '+' || pdf[at] == '-') ? at + 1 : at;
        int digits = i;
        while (i < end && pdf[i] >= '0' && pdf[i] <= '9') {
            i++;
        }
        return i > digits ? i : at;
    }

    /** Whether the number is 0 or negative (PDFBox keeps only offsets above 0). */
    private static boolean allZeros(byte[] pdf, int from, int to) {
        if (pdf[from] == '-') {
            return true;
        }
        for (int i = from; i < to; i++) {
            if (pdf[i] >= '1' && pdf[i] <= '9') {
                return false;
            }
        }
        return true;
    }

    /** A white-space character within a line, as Java's {@code \s} (PDFBox's StringUtil.splitOnSpace). */
    private static boolean separates(byte b) {
        return b == ' ' || b == '\t' || b == 0x0B || b == '\f';
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
