package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.VerificationReport.Change;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The revisions of a PDF as its raw bytes show them, before any parser papers over a fault: where each revision
 * ends (%%EOF), whether its startxref points at a cross-reference section of its own, which object numbers it
 * defines twice (the signature collision trick: two readers take different definitions), and what follows the
 * last %%EOF. A lenient reader rebuilds a document from whatever objects it finds, so bytes that no
 * cross-reference covers can still be shown to someone.
 */
final class RevisionLayout {

    private static final Pattern EOF = Pattern.compile("%%EOF");
    private static final Pattern OBJECT = Pattern.compile("(?<=[\\r\\n])(\\d{1,10})[ \\t]+(\\d{1,5})[ \\t]+obj\\b");
    private static final Pattern STARTXREF = Pattern.compile("startxref\\s+(\\d{1,12})");
    private static final Pattern TRAILING_OBJECT = Pattern.compile("\\d{1,10}\\s+\\d{1,5}\\s+obj\\b");
    private static final Pattern XREF_TARGET = Pattern.compile("\\A(xref|\\d{1,10}\\s+\\d{1,5}\\s+obj)");

    /** One revision: bytes [start, end), the object numbers it defines more than once, whether its xref is its own. */
    record Revision(int number, long start, long end, Set<String> definedTwice, boolean ownCrossReference) {
    }

    private final byte[] pdf;
    private final List<Revision> revisions;
    /** Where the last revision ends (after %%EOF and its end-of-line); bytes after it belong to no revision. */
    private final long lastEnd;

    private RevisionLayout(byte[] pdf, List<Revision> revisions, long lastEnd) {
        this.pdf = pdf;
        this.revisions = revisions;
        this.lastEnd = lastEnd;
    }

    static RevisionLayout of(byte[] pdf) {
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        List<Revision> revisions = new ArrayList<>();
        Matcher eof = EOF.matcher(text);
        long start = 0;
        while (eof.find()) {
            int end = endOfLine(text, eof.end());
            revisions.add(new Revision(revisions.size() + 1, start, end, definedTwice(text, (int) start, end),
                    ownCrossReference(text, (int) start, end)));
            start = end;
        }
        return new RevisionLayout(pdf, List.copyOf(revisions), start);
    }

    List<Revision> revisions() {
        return revisions;
    }

    /** Whether a signature's signed bytes may end here: right after a %%EOF, with or without its end-of-line. */
    boolean endsRevision(long offset) {
        if (offset < 5 || offset > pdf.length) {
            return false;
        }
        String before = ascii((int) Math.max(0, offset - 7), (int) Math.min(7, offset));
        return before.endsWith("%%EOF") || before.endsWith("%%EOF\r") || before.endsWith("%%EOF\n")
                || before.endsWith("%%EOF\r\n");
    }

    /** The object numbers defined twice within the revisions that end at or before {@code offset}. */
    List<String> definedTwiceUpTo(long offset) {
        List<String> found = new ArrayList<>();
        for (Revision revision : revisions) {
            if (revision.end() <= offset + 2) {
                revision.definedTwice().forEach(key -> found.add("object " + key + " in revision " + revision.number()));
            }
        }
        return found;
    }

    /** What is wrong with the raw bytes after {@code offset} (the end of a signed revision). */
    List<Change> problemsAfter(long offset) {
        List<Change> changes = new ArrayList<>();
        for (Revision revision : revisions) {
            if (revision.start() + 2 < offset) {
                continue;
            }
            for (String key : revision.definedTwice()) {
                changes.add(new Change("DUPLICATE_OBJECT", null, false, "object " + key + " is defined twice in "
                        + "revision " + revision.number() + ", added after signing: different readers would show "
                        + "different objects"));
            }
            if (!revision.ownCrossReference()) {
                changes.add(new Change("BROKEN_UPDATE", null, false, "revision " + revision.number() + ", added "
                        + "after signing, has no cross-reference section of its own: readers that rebuild the file "
                        + "would show objects no valid update added"));
            }
        }
        long from = Math.max(offset, lastEnd);
        if (hasContent(from)) {
            String tail = ascii((int) from, pdf.length - (int) from);
            changes.add(new Change("TRAILING_BYTES", null, false, (pdf.length - from) + " byte(s) follow the last "
                    + "%%EOF outside any revision (no cross-reference covers them)"
                    + (TRAILING_OBJECT.matcher(tail).find() ? "; they define objects that lenient readers may show"
                    : "")));
        }
        return changes;
    }

    /** Whether anything but white space follows {@code from}. */
    private boolean hasContent(long from) {
        for (long i = from; i < pdf.length; i++) {
            if (!isWhiteSpace(pdf[(int) i])) {
                return true;
            }
        }
        return false;
    }

    private String ascii(int from, int length) {
        return new String(pdf, from, length, StandardCharsets.ISO_8859_1);
    }

    private static int endOfLine(String text, int at) {
        if (at < text.length() && text.charAt(at) == '\r') {
            at++;
        }
        if (at < text.length() && text.charAt(at) == '\n') {
            at++;
        }
        return at;
    }

    private static Set<String> definedTwice(String text, int start, int end) {
        Set<String> seen = new java.util.HashSet<>();
        Set<String> twice = new LinkedHashSet<>();
        Matcher m = OBJECT.matcher(text).region(start, end);
        m.useTransparentBounds(true);
        while (m.find()) {
            String key = Long.parseLong(m.group(1)) + " " + Integer.parseInt(m.group(2));
            if (!seen.add(key)) {
                twice.add(key);
            }
        }
        return twice;
    }

    /** The revision's last startxref points inside the revision at "xref" or at an object (a cross-reference stream). */
    private static boolean ownCrossReference(String text, int start, int end) {
        Matcher m = STARTXREF.matcher(text).region(start, end);
        long offset = -1;
        while (m.find()) {
            offset = Long.parseLong(m.group(1));
        }
        if (offset < start || offset >= end) {
            return false;
        }
        int from = (int) offset;
        while (from < end && isWhiteSpace((byte) text.charAt(from))) {
            from++;
        }
        return XREF_TARGET.matcher(text.substring(from, Math.min(end, from + 64))).find();
    }

    private static boolean isWhiteSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == 0;
    }
}
