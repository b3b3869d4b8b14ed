package cn.yinxin.core.pdf.verify;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the raw scan ({@link InputBounds#checkRaw}) decoded, by the exact bytes of each stream's data, so that a page's
 * content, which {@link InputBounds#checkParsed} must know to fit the per-stream limit before PDFBox decodes it
 * whole, is not decoded a second time when it is the very same bytes through the same filters: decoding them again
 * gives the same bytes. The raw scan decoded a 100-page document's contents once, and the parsed check again (3 %
 * of its verification).
 *
 * <p>Kept only for a stream the raw scan decoded through the filters its own dictionary names, under the per-stream
 * limit itself (not an image's larger raster), to its end; taken only for a stream with no decoding parameters
 * (the raw scan decodes without them: a predictor changes the count) and the same filters. What the second
 * decoding would have counted is charged to the budget as before ({@link DecodeBudget#charge}): the document's total
 * stays what it was. Anything else is decoded again. One verification only.
 */
final class MeasuredStreams {

    /** A stream's data at {@code [from, to)} of the file, decoded by {@code filters} to {@code counted} bytes. */
    private record Measured(int from, int to, List<COSName> filters, long counted) {
    }

    /** Larger streams are decoded again rather than read whole into memory to be compared. */
    private static final int MOST_COMPARED = 1 << 20;

    private final byte[] pdf;
    private final Map<Integer, List<Measured>> byLength = new HashMap<>();
    /** The longest data kept. */
    private int longest;
    /**
     * Where a stream's raw data is read to be compared, one more byte than the longest kept (a longer stream has
     * no match); reused for every stream of the verification: {@code readNBytes(n)} made a new 16 KB buffer and a
     * copy for each page's content, a fifth of a 100-page verification's allocation.
     */
    private byte[] buffer;

    MeasuredStreams(byte[] pdf) {
        this.pdf = pdf;
    }

    /** Nothing known: every stream is decoded again. */
    static MeasuredStreams none() {
        return new MeasuredStreams(new byte[0]);
    }

    void add(int from, int to, List<COSName> filters, long counted) {
        if (to - from <= MOST_COMPARED) {
            byLength.computeIfAbsent(to - from, n -> new ArrayList<>())
                    .add(new Measured(from, to, List.copyOf(filters), counted));
            longest = Math.max(longest, to - from);
            if (buffer != null && buffer.length <= longest) {
                buffer = null; // never compare a longer stream cut to the old size
            }
        }
    }

    /**
     * What decoding {@code stream} would count, when the raw scan decoded the same bytes through the same filters
     * without parameters; -1 when it must be decoded.
     */
    long counted(COSStream stream) throws IOException {
        if (byLength.isEmpty() || stream.containsKey(COSName.DECODE_PARMS) || stream.containsKey(COSName.DP)) {
            return -1;
        }
        List<COSName> filters = DecodeBudget.filters(stream.getFilters());
        if (buffer == null) {
            buffer = new byte[longest + 1];
        }
        int length;
        try (InputStream in = stream.createRawInputStream()) {
            length = in.readNBytes(buffer, 0, buffer.length);
        }
        for (Measured measured : byLength.getOrDefault(length, List.of())) {
            if (measured.filters().equals(filters)
                    && Arrays.equals(pdf, measured.from(), measured.to(), buffer, 0, length)) {
                return measured.counted();
            }
        }
        return -1;
    }
}
