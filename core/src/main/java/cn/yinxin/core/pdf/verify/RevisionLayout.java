package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.verify.report.VerificationReport.Change;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
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
public final class RevisionLayout {

    /** How far before a "stream" keyword its dictionary is looked for. */
    private static final int DICTIONARY_WINDOW = 64 * 1024;
    private static final Pattern LENGTH = Pattern.compile("/Length\\s+(\\d{1,10})(?!\\s+\\d+\\s+R)");
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
    /** Object headers in the whole file. */
    private final long headers;

    private RevisionLayout(byte[] pdf, List<Revision> revisions, long lastEnd, long headers) {
        this.pdf = pdf;
        this.revisions = revisions;
        this.lastEnd = lastEnd;
        this.headers = headers;
    }

    /**
     * How many object headers ("N G obj" at the start of a line) the file has: a reader rebuilding the file (PDFBox
     * too, when a cross-reference cannot be read) keeps one entry per object it finds, and the change analysis reads
     * each header of a revision added after signing.
     */
    long headers() {
        return headers;
    }

    public static RevisionLayout of(byte[] pdf) {
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        List<Revision> revisions = new ArrayList<>();
        int start = 0;
        int lastHeader = 0;
        int lastStreamEnd = 0;
        // each header's number and generation in one long (at most 10 and 5 digits), sorted at the revision's end:
        // a String in a set per header was ~100 bytes of heap, 140 MB for the 1.4 million a 20 MB upload holds
        long[] seen = new long[64];
        int inRevision = 0;
        long headers = 0;
        Token m;
        int at = 0;
        while (at < text.length() && (m = Token.next(text, pdf, at)) != null) {
            at = m.end();
            if (m.kind() == Token.HEADER) {
                headers++;
                if (inRevision == seen.length) {
                    seen = Arrays.copyOf(seen, seen.length * 2);
                }
                seen[inRevision++] = m.number() << 17 | m.generation();
                lastHeader = m.start();
            } else if (m.kind() == Token.EOF) {
                int end = endOfLine(text, m.end());
                revisions.add(new Revision(revisions.size() + 1, start, end, definedTwice(seen, inRevision),
                        ownCrossReference(text, start, end)));
                inRevision = 0;
                start = end;
                at = end;
            } else {
                // the stream's dictionary lies after the last header and the last stream's end, within 64 KiB: one
                // header followed by thousands of "stream" keywords must not make this scan quadratic
                int dictionary = Math.max(Math.max(lastHeader, lastStreamEnd), m.start() - DICTIONARY_WINDOW);
                at = endOfStream(text, m.end(), dictionary, m.start());
                lastStreamEnd = at;
            }
        }
        return new RevisionLayout(pdf, List.copyOf(revisions), start, headers);
    }

    /** The "number generation" keys among the first {@code count} of {@code keys} that occur more than once. */
    private static Set<String> definedTwice(long[] keys, int count) {
        Arrays.sort(keys, 0, count);
        Set<String> twice = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (keys[i] == keys[i - 1]) {
                twice.add((keys[i] >>> 17) + " " + (keys[i] & 0x1FFFF));
            }
        }
        return Set.copyOf(twice);
    }

    /**
     * The next token of the raw structure from {@code from}: an object header at the start of a line ("12 0 obj"),
     * the end-of-file marker (%%EOF), or the keyword that starts a stream's data ("stream" and an end of line). Read
     * by hand, byte by byte: a regular expression with a look-behind tried at every position was a fifth of a
     * verification's time.
     */
    private record Token(int kind, int start, int end, long number, int generation) {

        static final int HEADER = 0;
        static final int EOF = 1;
        static final int STREAM = 2;

        static Token next(String text, byte[] pdf, int from) {
            // the bytes are the text's characters (ISO-8859-1): the loop reads the array, without String.charAt's
            // checks on each of the file's bytes
            int length = pdf.length;
            for (int i = from; i < length; i++) {
                byte c = pdf[i];
                if (c >= '0' && c <= '9' && i > 0 && (pdf[i - 1] == '\n' || pdf[i - 1] == '\r')) {
                    Token header = header(text, i);
                    if (header != null) {
                        return header;
                    }
                } else if (c == '%' && startsWith(pdf, i, EOF_MARKER)) {
                    return new Token(EOF, i, i + 5, 0, 0);
                } else if (c == 's' && startsWith(pdf, i, STREAM_KEYWORD)
                        && (i == 0 || !isWord((char) (pdf[i - 1] & 0xff)))) {
                    int after = i + 6;
                    if (after < length && (pdf[after] == '\n' || pdf[after] == '\r')) {
                        int end = after + 1;
                        if (pdf[after] == '\r' && end < length && pdf[end] == '\n') {
                            end++;
                        }
                        return new Token(STREAM, i, end, 0, 0);
                    }
                }
            }
            return null;
        }

        private static final byte[] EOF_MARKER = {'%', '%', 'E', 'O', 'F'};
        private static final byte[] STREAM_KEYWORD = {'s', 't', 'r', 'e', 'a', 'm'};

        private static boolean startsWith(byte[] pdf, int at, byte[] word) {
            if (at + word.length > pdf.length) {
                return false;
            }
            for (int k = 0; k < word.length; k++) {
                if (pdf[at + k] != word[k]) {
                    return false;
                }
            }
            return true;
        }

        /** "N G obj" at {@code at}: 1-10 digits, spaces or tabs, 1-5 digits, spaces or tabs, "obj" ending a word. */
        private static Token header(String text, int at) {
            int i = at;
            int digits = digits(text, i, 10);
            if (digits == 0 || !isBlank(text, i + digits)) {
                return null;
            }
            long number = Long.parseLong(text, i, i + digits, 10);
            i += digits;
            while (isBlank(text, i)) {
                i++;
            }
            int generationDigits = digits(text, i, 5);
            if (generationDigits == 0 || !isBlank(text, i + generationDigits)) {
                return null;
            }
            int generation = Integer.parseInt(text, i, i + generationDigits, 10);
            i += generationDigits;
            while (isBlank(text, i)) {
                i++;
            }
            if (!text.startsWith("obj", i) || i + 3 < text.length() && isWord(text.charAt(i + 3))) {
                return null;
            }
            return new Token(HEADER, at, i + 3, number, generation);
        }

        /** How many digits start at {@code at}, or 0 when there are more than {@code most}. */
        private static int digits(String text, int at, int most) {
            int n = 0;
            while (at + n < text.length() && text.charAt(at + n) >= '0' && text.charAt(at + n) <= '9') {
                n++;
                if (n > most) {
                    return 0;
                }
            }
            return n;
        }

        private static boolean isBlank(String text, int at) {
            return at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t');
        }

        private static boolean isWord(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
        }
    }

    /**
     * Where the data of a stream starting at {@code data} ends: by its /Length when the dictionary (from the
     * object header at {@code header} to the keyword at {@code keyword}) states it directly and "endstream"
     * follows, else at the next "endstream". Whatever a stream holds (an embedded PDF with its own objects and
     * %%EOF) is not read as part of the file's structure.
     */
    private static int endOfStream(String text, int data, int header, int keyword) {
        Matcher length = LENGTH.matcher(text.substring(header, keyword));
        Integer stated = null;
        while (length.find()) {
            stated = Integer.valueOf(length.group(1));
        }
        if (stated != null && (long) data + stated <= text.length()) {
            int after = data + stated;
            while (after < text.length() && isWhiteSpace((byte) text.charAt(after))) {
                after++;
            }
            if (text.startsWith("endstream", after)) {
                return after + "endstream".length();
            }
        }
        int end = text.indexOf("endstream", data);
        return end < 0 ? text.length() : end + "endstream".length();
    }

    List<Revision> revisions() {
        return revisions;
    }

    /** Where the first revision (the original document) ends; the file's length when no %%EOF ends one. */
    long firstEnd() {
        return revisions.isEmpty() ? pdf.length : revisions.getFirst().end();
    }

    /** Whether a signature's signed bytes may end here: right after a %%EOF, with or without its end-of-line. */
    /**
     * Where the revision that ends at {@code end} began (the end of the one before, or 0), or -1 when no revision
     * ends there.
     */
    public long startOfRevisionEndingAt(long end) {
        for (Revision revision : revisions) {
            if (revision.end() == end) {
                return revision.start();
            }
        }
        return -1;
    }

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

    /** The revision's last startxref points inside the revision at "xref" or at an object (a cross-reference stream). */
    private static boolean ownCrossReference(String text, int start, int end) {
        // the last startxref that reads as one, found from the revision's end
        long offset = -1;
        for (int at = text.lastIndexOf("startxref", end - 1); at >= start; at = text.lastIndexOf("startxref", at - 1)) {
            Matcher m = STARTXREF.matcher(text).region(at, end);
            if (m.lookingAt()) {
                offset = Long.parseLong(m.group(1));
                break;
            }
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
