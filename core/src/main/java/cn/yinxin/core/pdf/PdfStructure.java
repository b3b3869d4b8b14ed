package cn.yinxin.core.pdf;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks on the raw bytes that a lenient parser would paper over: a cross-reference that does not point where it
 * says (the file was damaged: it must be repaired, not silently rebuilt under a signature), and one object number
 * defined twice in one revision (the trick behind signature collision attacks, where a viewer and a validator
 * read different objects).
 *
 * <p>The document is read in chunks, never whole, so a file of any size is checked in bounded memory: the
 * {@code startxref} value from the last 1024 bytes, 64 bytes where it points, then one pass over every byte.
 */
final class PdfStructure {

    private static final int TAIL = 1024;
    private static final int XREF_TARGET_WINDOW = 64;
    private static final int CHUNK = 64 * 1024;
    private static final Pattern STARTXREF = Pattern.compile("startxref\\s+(\\d{1,12})");
    private static final Pattern XREF_TARGET = Pattern.compile("\\A\\s*(xref|\\d{1,10}\\s+\\d{1,5}\\s+obj)");

    private PdfStructure() {
    }

    static void check(byte[] pdf) {
        try (RandomAccessRead source = new RandomAccessReadBuffer(pdf)) {
            check(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks the document read from {@code source}; leaves its position anywhere. */
    static void check(RandomAccessRead source) throws IOException {
        checkStartXref(source);
        checkDuplicateObjects(source);
    }

    private static void checkStartXref(RandomAccessRead source) throws IOException {
        long length = source.length();
        long tailStart = Math.max(0, length - TAIL);
        // the last "startxref <offset>" that starts within the last 1024 bytes
        Matcher m = STARTXREF.matcher(text(source, tailStart, (int) (length - tailStart)));
        long offset = -1;
        while (m.find()) {
            offset = Long.parseLong(m.group(1));
        }
        if (offset < 0 || offset >= length || !XREF_TARGET.matcher(
                text(source, offset, (int) Math.min(XREF_TARGET_WINDOW, length - offset))).find()) {
            throw new RejectedException(Problem.DAMAGED_PDF, "The PDF's cross-reference (startxref) does not point at "
                    + "a cross-reference section: the file is damaged. Repair it (for example with qpdf) and send it again.");
        }
    }

    private static void checkDuplicateObjects(RandomAccessRead source) throws IOException {
        ObjectScan scan = new ObjectScan();
        byte[] buffer = new byte[CHUNK];
        source.seek(0);
        int n;
        while ((n = source.read(buffer, 0, buffer.length)) > 0) {
            scan.accept(buffer, n);
        }
        scan.end();
    }

    /** {@code length} bytes from {@code position}, one char per byte. */
    private static String text(RandomAccessRead source, long position, int length) throws IOException {
        return new String(PdfDocuments.read(source, position, length), StandardCharsets.ISO_8859_1);
    }

    /**
     * Finds object headers, {@code <number> <generation> obj} at the start of a line (1-10 digits, blanks or tabs,
     * 1-5 digits, blanks or tabs, {@code obj} not followed by a letter, digit or underscore), revision by revision
     * (a revision ends with {@code %%EOF}), and refuses the first one seen twice in a revision. One byte at a time,
     * so that a header may span two chunks.
     */
    static final class ObjectScan {
        private static final int IDLE = 0;
        private static final int NUMBER = 1;
        private static final int BLANK_1 = 2;
        private static final int GENERATION = 3;
        private static final int BLANK_2 = 4;
        private static final int O = 5;
        private static final int OB = 6;
        private static final int OBJ = 7;
        private static final byte[] EOF_MARKER = "%%EOF".getBytes(StandardCharsets.US_ASCII);

        private int state = IDLE;
        private boolean previousWasNewline;
        private long number;
        private int numberDigits;
        private long generation;
        private int generationDigits;
        private int eofMatched;
        private int revision = 1;
        private final LongSet seen = new LongSet();

        void accept(byte[] data, int length) {
            for (int i = 0; i < length; i++) {
                int c = data[i] & 0xff;
                if (state == IDLE && eofMatched == 0 && !previousWasNewline) {
                    // between headers and markers nothing can begin but at a line end or a per cent sign: skip fast
                    i = nextLineEndOrPercent(data, i, length);
                    if (i == length) {
                        return;
                    }
                    c = data[i] & 0xff;
                }
                boolean afterNewline = previousWasNewline;
                previousWasNewline = c == '\r' || c == '\n';
                if (state == IDLE || !advance(c)) {
                    state = IDLE;
                    if (afterNewline && isDigit(c)) {
                        state = NUMBER;
                        number = c - '0';
                        numberDigits = 1;
                    }
                }
                endOfRevision(c);
            }
        }

        private static int nextLineEndOrPercent(byte[] data, int from, int length) {
            for (int i = from; i < length; i++) {
                byte b = data[i];
                if (b == '\n' || b == '\r' || b == '%') {
                    return i;
                }
            }
            return length;
        }

        /** The end of the document: a header that ends the file counts. */
        void end() {
            if (state == OBJ) {
                found();
            }
            state = IDLE;
        }

        /** Takes {@code c} into the header being read; false when it does not fit (or completes it). */
        private boolean advance(int c) {
            return switch (state) {
                case NUMBER -> number(c);
                case BLANK_1 -> afterNumber(c);
                case GENERATION -> generation(c);
                case BLANK_2 -> isBlank(c) || step(c == 'o', O);
                case O -> step(c == 'b', OB);
                case OB -> step(c == 'j', OBJ);
                case OBJ -> {
                    if (!isWordCharacter(c)) {
                        found();
                    }
                    yield false;
                }
                default -> false;
            };
        }

        /** The object number: up to 10 digits, then a blank. */
        private boolean number(int c) {
            if (isDigit(c) && numberDigits < 10) {
                number = number * 10 + (c - '0');
                numberDigits++;
                return true;
            }
            if (isBlank(c)) {
                state = BLANK_1;
                return true;
            }
            return false;
        }

        /** Blanks after the object number, then the generation's first digit. */
        private boolean afterNumber(int c) {
            if (isBlank(c)) {
                return true;
            }
            if (isDigit(c)) {
                state = GENERATION;
                generation = c - '0';
                generationDigits = 1;
                return true;
            }
            return false;
        }

        /** The generation number: up to 5 digits, then a blank. */
        private boolean generation(int c) {
            if (isDigit(c) && generationDigits < 5) {
                generation = generation * 10 + (c - '0');
                generationDigits++;
                return true;
            }
            if (isBlank(c)) {
                state = BLANK_2;
                return true;
            }
            return false;
        }

        private boolean step(boolean fits, int next) {
            if (fits) {
                state = next;
            }
            return fits;
        }

        private void found() {
            if (!seen.add(number * 100_000 + generation)) {
                throw new RejectedException(Problem.DUPLICATE_OBJECTS, "Object " + number + " " + generation
                        + " is defined twice in revision " + revision + ": different readers would see different documents.");
            }
        }

        private void endOfRevision(int c) {
            if (c == EOF_MARKER[eofMatched]) {
                eofMatched++;
                if (eofMatched == EOF_MARKER.length) {
                    eofMatched = 0;
                    revision++;
                    seen.clear();
                }
            } else if (c == '%') {
                // "%%%EOF": the last two per cent signs may still start the marker
                eofMatched = eofMatched == 2 ? 2 : 1;
            } else {
                eofMatched = 0;
            }
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isBlank(int c) {
            return c == ' ' || c == '\t';
        }

        private static boolean isWordCharacter(int c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_';
        }
    }

    /** A set of non-negative longs without boxing: a revision may hold millions of objects. */
    static final class LongSet {
        private static final long FREE = -1;
        private long[] slots = newSlots(1024);
        private int size;

        boolean add(long value) {
            if ((size + 1) * 2L > slots.length) {
                grow();
            }
            if (!insert(slots, value)) {
                return false;
            }
            size++;
            return true;
        }

        void clear() {
            if (size > 0) {
                slots = newSlots(1024);
                size = 0;
            }
        }

        private static boolean insert(long[] table, long value) {
            int mask = table.length - 1;
            int i = (int) (mix(value) & mask);
            while (table[i] != FREE) {
                if (table[i] == value) {
                    return false;
                }
                i = (i + 1) & mask;
            }
            table[i] = value;
            return true;
        }

        private void grow() {
            long[] bigger = newSlots(slots.length * 2);
            for (long value : slots) {
                if (value != FREE) {
                    insert(bigger, value);
                }
            }
            slots = bigger;
        }

        private static long mix(long value) {
            long h = value * 0x9E3779B97F4A7C15L;
            return h ^ (h >>> 32);
        }

        private static long[] newSlots(int capacity) {
            long[] table = new long[capacity];
            Arrays.fill(table, FREE);
            return table;
        }
    }
}
