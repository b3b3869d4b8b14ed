package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.LimitExceededException;
import cn.yinxin.core.pdf.verify.VerificationLimits;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One cross-reference section read from the raw bytes, strictly, the way the file states it and not the way a
 * lenient parser repairs it: a classic {@code xref} table with its trailer (and, for a hybrid file, the
 * cross-reference stream its /XRefStm names) or a cross-reference stream. PDFBox corrects a wrong /Prev, keys objects
 * by number and generation, ignores free entries and drops the index of a compressed object; other readers do none
 * of this, so what a revision after signing says must be judged here, as written.
 *
 * @param entries  what the section says of each object number it lists, in the order it lists them (a classic
 *                 table's entry before its /XRefStm's for the same number)
 * @param prev     the trailer's /Prev, or null
 * @param streams  where the cross-reference streams of the section start (the section itself, or its /XRefStm)
 */
record CrossReferenceSection(List<Entry> entries, Long prev, List<Long> streams) {

    /** What a cross-reference says of one object number: type 0 (free), 1 (at an offset) or 2 (compressed). */
    record Entry(long number, int type, long field2, long field3) {

        /** The generation of an object in use (a compressed object's is 0). */
        long generation() {
            return type == 2 ? 0 : field3;
        }

        String describe() {
            return switch (type) {
                case 0 -> "free (next generation " + field3 + ")";
                case 1 -> "generation " + field3 + " at byte " + field2;
                default -> "index " + field3 + " of object stream " + field2;
            };
        }
    }

    /** The cross-reference cannot be read as written. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /**
     * The section that starts at {@code offset}; its /XRefStm (for a hybrid file) must lie in [{@code from},
     * {@code to}).
     *
     * @throws Malformed when it is not a cross-reference section as ISO 32000-1 7.5.4 and 7.5.8 write them
     */
    static CrossReferenceSection at(byte[] pdf, long offset, long from, long to, VerificationLimits limits)
            throws Malformed {
        if (offset < 0 || offset >= pdf.length) {
            throw new Malformed("its startxref/Prev (" + offset + ") points outside the file");
        }
        CrossReferenceLexer lexer = new CrossReferenceLexer(pdf, (int) offset);
        if (lexer.keyword("xref")) {
            return table(pdf, lexer, from, to, limits);
        }
        Stream stream = Stream.read(pdf, (int) offset, limits);
        return new CrossReferenceSection(stream.entries, stream.prev, List.of(offset));
    }

    private static CrossReferenceSection table(byte[] pdf, CrossReferenceLexer lexer, long from, long to, VerificationLimits limits)
            throws Malformed {
        List<Entry> entries = new ArrayList<>();
        while (!lexer.keyword("trailer")) {
            long first = lexer.integer(10, "the first object number of a subsection");
            long count = lexer.integer(10, "the entry count of a subsection");
            if (count > pdf.length / 18) {
                throw new Malformed("a subsection claims " + count + " entries, more than the file can hold");
            }
            for (long i = 0; i < count; i++) {
                long offset = lexer.integer(10, "an entry's offset");
                long generation = lexer.integer(5, "an entry's generation");
                String type = lexer.word();
                if (!type.equals("n") && !type.equals("f")) {
                    throw new Malformed("entry " + (first + i) + " of a table is neither 'n' nor 'f' (" + type + ")");
                }
                entries.add(new Entry(first + i, type.equals("n") ? 1 : 0, offset, generation));
            }
        }
        Map<String, Object> trailer = lexer.dictionary();
        Long prev = integer(trailer, "Prev");
        List<Long> streams = new ArrayList<>();
        Long hybrid = integer(trailer, "XRefStm");
        if (trailer.containsKey("XRefStm")) {
            if (hybrid == null || hybrid < from || hybrid >= to) {
                throw new Malformed("its /XRefStm (" + trailer.get("XRefStm") + ") is not a cross-reference stream "
                        + "of the same revision");
            }
            Stream stream = Stream.read(pdf, hybrid.intValue(), limits);
            entries.addAll(stream.entries);
            streams.add(hybrid);
        }
        return new CrossReferenceSection(entries, prev, streams);
    }

    private static Long integer(Map<String, Object> dictionary, String key) {
        return dictionary.get(key) instanceof Long value ? value : null;
    }

    /** A cross-reference stream: its object header, dictionary, data; decoded and read row by row. */
    private record Stream(List<Entry> entries, Long prev) {

        static Stream read(byte[] pdf, int offset, VerificationLimits limits) throws Malformed {
            CrossReferenceLexer lexer = new CrossReferenceLexer(pdf, offset);
            lexer.integer(10, "the cross-reference stream's object number");
            lexer.integer(5, "the cross-reference stream's generation");
            if (!lexer.keyword("obj")) {
                throw new Malformed("no cross-reference table nor stream at byte " + offset);
            }
            Map<String, Object> dictionary = lexer.dictionary();
            if (!new Name("XRef").equals(dictionary.get("Type"))) {
                throw new Malformed("the object at byte " + offset + " is not a cross-reference stream (/Type /XRef)");
            }
            byte[] raw = lexer.streamData(dictionary);
            int[] w = widths(dictionary.get("W"));
            int row = w[0] + w[1] + w[2];
            Long size = integer(dictionary, "Size");
            if (size == null || size < 0) {
                throw new Malformed("the cross-reference stream has no /Size");
            }
            List<long[]> ranges = index(dictionary.get("Index"), size);
            long rows = 0;
            for (long[] range : ranges) {
                rows += range[1];
            }
            long needed = rows * row;
            if (needed > limits.maxStreamBytes()) {
                throw new LimitExceededException(VerificationLimits.Limit.STREAM_BYTES, "a cross-reference stream "
                        + "lists " + rows + " entries, more than this verifier decodes");
            }
            byte[] data = decode(raw, dictionary, limits.maxStreamBytes());
            if (data.length < needed) {
                throw new Malformed("the cross-reference stream holds " + data.length + " bytes, its /W and /Index "
                        + "need " + needed);
            }
            List<Entry> entries = new ArrayList<>();
            int at = 0;
            for (long[] range : ranges) {
                for (long i = 0; i < range[1]; i++) {
                    long type = w[0] == 0 ? 1 : field(data, at, w[0]);
                    long field2 = field(data, at + w[0], w[1]);
                    long field3 = field(data, at + w[0] + w[1], w[2]);
                    at += row;
                    if (type <= 2) {
                        // other types are references to the null object (ISO 32000-1 7.5.8.3): no reader uses them
                        entries.add(new Entry(range[0] + i, (int) type, field2, field3));
                    }
                }
            }
            return new Stream(entries, integer(dictionary, "Prev"));
        }

        private static int[] widths(Object value) throws Malformed {
            if (!(value instanceof List<?> list) || list.size() != 3) {
                throw new Malformed("the cross-reference stream's /W is not three numbers");
            }
            int[] w = new int[3];
            for (int i = 0; i < 3; i++) {
                if (!(list.get(i) instanceof Long width) || width < 0 || width > 8) {
                    throw new Malformed("the cross-reference stream's /W holds " + list.get(i));
                }
                w[i] = width.intValue();
            }
            if (w[1] == 0) {
                throw new Malformed("the cross-reference stream's /W gives no offsets");
            }
            return w;
        }

        private static List<long[]> index(Object value, long size) throws Malformed {
            List<long[]> ranges = new ArrayList<>();
            if (value == null) {
                ranges.add(new long[]{0, size});
                return ranges;
            }
            if (!(value instanceof List<?> list) || list.size() % 2 != 0) {
                throw new Malformed("the cross-reference stream's /Index is not pairs of numbers");
            }
            for (int i = 0; i < list.size(); i += 2) {
                if (!(list.get(i) instanceof Long first) || !(list.get(i + 1) instanceof Long count) || first < 0
                        || count < 0) {
                    throw new Malformed("the cross-reference stream's /Index holds " + list.get(i) + " "
                            + list.get(i + 1));
                }
                ranges.add(new long[]{first, count});
            }
            return ranges;
        }

        private static long field(byte[] data, int at, int width) {
            long value = 0;
            for (int i = 0; i < width; i++) {
                value = value << 8 | data[at + i] & 0xff;
            }
            return value;
        }

        /** No filter, or /FlateDecode with no predictor or a PNG one; nothing else is read from a stream's data. */
        private static byte[] decode(byte[] raw, Map<String, Object> dictionary, long max) throws Malformed {
            Object filter = dictionary.get("Filter");
            if (filter instanceof List<?> list && list.size() == 1) {
                filter = list.get(0);
            }
            if (filter == null) {
                return raw;
            }
            if (!new Name("FlateDecode").equals(filter)) {
                throw new Malformed("the cross-reference stream's /Filter is " + filter + ", not /FlateDecode");
            }
            byte[] inflated = inflate(raw, max);
            Object parameters = dictionary.get("DecodeParms");
            if (parameters instanceof List<?> list && list.size() == 1) {
                parameters = list.get(0);
            }
            if (parameters == null) {
                return inflated;
            }
            if (!(parameters instanceof Map<?, ?> map)) {
                throw new Malformed("the cross-reference stream's /DecodeParms is not a dictionary");
            }
            long predictor = map.get("Predictor") instanceof Long p ? p : 1;
            long columns = map.get("Columns") instanceof Long c ? c : 1;
            long colors = map.get("Colors") instanceof Long c ? c : 1;
            long bits = map.get("BitsPerComponent") instanceof Long b ? b : 8;
            if (predictor == 1) {
                return inflated;
            }
            if (predictor < 10 || predictor > 15 || colors != 1 || bits != 8 || columns < 1 || columns > 64) {
                throw new Malformed("the cross-reference stream's predictor (" + predictor + ", " + columns
                        + " columns) is not a PNG predictor of bytes");
            }
            return unpredict(inflated, (int) columns);
        }

        /** Inflates at most {@code max} bytes: a compression bomb stops here. */
        private static byte[] inflate(byte[] raw, long max) throws Malformed {
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(raw);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[16 * 1024];
                while (!inflater.finished()) {
                    int n = inflater.inflate(buffer);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    if (out.size() > max) {
                        throw new LimitExceededException(VerificationLimits.Limit.STREAM_BYTES, "a cross-reference "
                                + "stream decodes to more than " + max + " bytes");
                    }
                }
                return out.toByteArray();
            } catch (DataFormatException e) {
                throw new Malformed("the cross-reference stream's data is not Flate data: " + e.getMessage());
            } finally {
                inflater.end();
            }
        }

        /** PNG predictors (RFC 2083 6): each row a filter type byte then {@code columns} bytes. */
        private static byte[] unpredict(byte[] data, int columns) throws Malformed {
            int rows = data.length / (columns + 1);
            if (data.length % (columns + 1) != 0) {
                throw new Malformed("the cross-reference stream's rows are not " + (columns + 1) + " bytes each");
            }
            byte[] out = new byte[rows * columns];
            for (int r = 0; r < rows; r++) {
                int type = data[r * (columns + 1)] & 0xff;
                for (int c = 0; c < columns; c++) {
                    int x = data[r * (columns + 1) + 1 + c] & 0xff;
                    int left = c > 0 ? out[r * columns + c - 1] & 0xff : 0;
                    int up = r > 0 ? out[(r - 1) * columns + c] & 0xff : 0;
                    int upLeft = r > 0 && c > 0 ? out[(r - 1) * columns + c - 1] & 0xff : 0;
                    int value = switch (type) {
                        case 0 -> x;
                        case 1 -> x + left;
                        case 2 -> x + up;
                        case 3 -> x + (left + up) / 2;
                        case 4 -> x + paeth(left, up, upLeft);
                        default -> throw new Malformed("the cross-reference stream has PNG row type " + type);
                    };
                    out[r * columns + c] = (byte) value;
                }
            }
            return out;
        }

        private static int paeth(int a, int b, int c) {
            int p = a + b - c;
            int pa = Math.abs(p - a);
            int pb = Math.abs(p - b);
            int pc = Math.abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }

    /** A PDF name in a parsed dictionary. */
    record Name(String value) {
        @Override
        public String toString() {
            return "/" + value;
        }
    }

    /** An indirect reference in a parsed dictionary. */
    record Reference(long number, long generation) {
    }
}
