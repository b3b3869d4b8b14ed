package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.verify.VerificationLimits.Limit;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.Filter;
import org.apache.pdfbox.filter.FilterFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The work one verification may still do: decoded bytes per stream and for the whole document, and a deadline.
 * One budget per verification, used by one thread.
 *
 * <p>Every stream a verification decodes goes through {@link #decode(COSStream, DecodeBudget)}, never through
 * PDFBox's {@code COSStream.createInputStream()}: PDFBox decodes the whole stream into memory before the first byte
 * can be read, so a 2 MB Flate bomb becomes gigabytes before any {@code readNBytes} limit applies. Here the
 * filters write into a counting sink that stops them, mid-inflation, past the limit.
 *
 * <p>Loops over what a document holds (fields, annotations, objects, pages) call {@link #checkTime()} now and then:
 * {@code Thread.interrupt()} does not stop PDFBox, so a verification ends its own work once its time is up.
 */
public final class DecodeBudget implements AutoCloseable {

    /** Filters that decode to pixels: no verification step needs them decoded, and they are left as they are. */
    private static final Set<COSName> IMAGE_FILTERS = Set.of(COSName.DCT_DECODE, COSName.DCT_DECODE_ABBREVIATION,
            COSName.JPX_DECODE, COSName.JBIG2_DECODE, COSName.CCITTFAX_DECODE, COSName.CCITTFAX_DECODE_ABBREVIATION);
    /** How often (in decoded bytes) a long decoding looks at the clock. */
    private static final int TIME_CHECK_BYTES = 256 * 1024;

    private final VerificationLimits limits;
    private final Clock clock;
    private final Instant deadline;
    private long decoded;
    /** Made on first use; ended by {@link #close()}. */
    private FlateDecoding flate;

    public DecodeBudget(VerificationLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.deadline = clock.instant().plus(limits.maxTime());
    }

    /** A fresh budget with the default limits, its time counted from now. */
    public static DecodeBudget defaults() {
        return new DecodeBudget(VerificationLimits.DEFAULT, Clock.systemUTC());
    }

    public VerificationLimits limits() {
        return limits;
    }

    /** Bytes decoded so far, all streams together. */
    public long decodedBytes() {
        return decoded;
    }

    /** @throws LimitExceededException when the verification's time is up */
    public void checkTime() {
        if (clock.instant().isAfter(deadline)) {
            throw new LimitExceededException(Limit.TIME, "the verification took longer than this verifier allows ("
                    + seconds() + " s)");
        }
    }

    /**
     * @throws LimitExceededException when {@code count} of something is more than {@code max}
     */
    public void check(Limit limit, long count, long max, String what) {
        if (count > max) {
            throw new LimitExceededException(limit, "the document has " + count + " " + what + "; this verifier "
                    + "reads at most " + max);
        }
    }

    /**
     * The decoded bytes of {@code stream}, counted against {@code budget} while its filters run. Image filters
     * (DCT, JPX, JBIG2, CCITT) are not applied: decoding stops before the first of them and the bytes up to there
     * are returned.
     *
     * @throws LimitExceededException past the per-stream or per-document limit, or when the time is up
     * @throws IOException            when the stream cannot be read or decoded (a damaged stream)
     */
    public static byte[] decode(COSStream stream, DecodeBudget budget) throws IOException {
        try (InputStream raw = stream.createRawInputStream()) {
            return budget.decode(raw, filters(stream.getFilters()), stream, true, budget.limits.maxStreamBytes());
        }
    }

    /** As {@link #decode(COSStream, DecodeBudget)} with this budget. */
    public byte[] decode(COSStream stream) throws IOException {
        return decode(stream, this);
    }

    /**
     * Decodes {@code stream} within the budget without keeping what it decodes to: whether it stays within the
     * limits (before PDFBox is asked to decode it whole in memory, say), at the cost of the time only.
     *
     * @return how many bytes it decodes to
     * @throws LimitExceededException past the per-stream or per-document limit, or when the time is up
     * @throws IOException            when the stream cannot be read or decoded
     */
    public long measure(COSStream stream) throws IOException {
        long before = decoded;
        try (InputStream raw = stream.createRawInputStream()) {
            decode(raw, filters(stream.getFilters()), stream, false, limits.maxStreamBytes());
        }
        return decoded - before;
    }

    /**
     * Decodes {@code raw} through {@code filters} (parameters from {@code dictionary}) and counts the result; keeps
     * it only when asked (a scan of the whole file only needs to know that every stream stays within bounds).
     */
    byte[] decode(InputStream raw, List<COSName> filters, COSDictionary dictionary, boolean keep, long streamLimit)
            throws IOException {
        checkTime();
        if (filters.isEmpty()) {
            Sink sink = new Sink(keep, streamLimit);
            raw.transferTo(sink);
            return sink.bytes();
        }
        InputStream input = raw;
        byte[] result = null;
        for (int i = 0; i < filters.size(); i++) {
            COSName name = filters.get(i);
            if (IMAGE_FILTERS.contains(name)) {
                return result != null ? result : keep ? input.readAllBytes() : null;
            }
            Filter filter = FilterFactory.INSTANCE.getFilter(name);
            boolean last = i == filters.size() - 1 || IMAGE_FILTERS.contains(filters.get(i + 1));
            Sink sink = new Sink(keep || !last, streamLimit);
            boolean flate = COSName.FLATE_DECODE.equals(name) || COSName.FLATE_DECODE_ABBREVIATION.equals(name);
            if (flate && dictionary != null
                    && dictionary.getDictionaryObject(COSName.DP, COSName.DECODE_PARMS) == null) {
                // no parameters, so no predictor: PDFBox's FlateFilter is exactly FlateDecoding, without a new
                // Inflater per stream
                flate().decode(input, sink);
            } else {
                filter.decode(input, sink, dictionary, i);
            }
            result = sink.bytes();
            input = new ByteArrayInputStream(result == null ? new byte[0] : result);
        }
        return result;
    }

    private FlateDecoding flate() {
        if (flate == null) {
            flate = new FlateDecoding();
        }
        return flate;
    }

    /** How many streams decoded so far PDFBox reads shorter than other readers ({@link FlateDecoding#cutShort()}). */
    long flateCutShort() {
        return flate == null ? 0 : flate.cutShort();
    }

    /** Frees what decoding held (an Inflater's native memory); the budget decodes nothing more. */
    @Override
    public void close() {
        if (flate != null) {
            flate.end();
            flate = null;
        }
    }

    /** The filter names of a stream's /Filter entry (a name or an array of names). */
    static List<COSName> filters(COSBase filter) {
        List<COSName> names = new ArrayList<>();
        if (filter instanceof COSName name) {
            names.add(name);
        } else if (filter instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.getObject(i) instanceof COSName name) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private long seconds() {
        return Math.max(1, limits.maxTime().toSeconds());
    }

    /**
     * Counts {@code bytes} that a decoding whose outcome is known already would have written (the same bytes
     * through the same filters, see {@link MeasuredStreams}), against the document's limit, as that decoding
     * would have counted them.
     *
     * @throws LimitExceededException past the per-document limit, or when the time is up
     */
    void charge(long bytes) {
        checkTime();
        decoded += bytes;
        if (decoded > limits.maxDecodedBytes()) {
            throw documentLimit();
        }
    }

    private LimitExceededException documentLimit() {
        return new LimitExceededException(Limit.DECODED_BYTES, "the streams of the document decode to more "
                + "than " + limits.maxDecodedBytes() + " bytes together (the most this verifier decodes "
                + "for one document)");
    }

    /** Counts what a filter writes, against the stream's and the document's limits; keeps it if asked. */
    private final class Sink extends OutputStream {
        private final ByteArrayOutputStream kept;
        private final long limit;
        private long count;
        private long sinceTimeCheck;

        Sink(boolean keep, long limit) {
            this.kept = keep ? new ByteArrayOutputStream() : null;
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            add(1);
            if (kept != null) {
                kept.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            add(len);
            if (kept != null) {
                kept.write(b, off, len);
            }
        }

        private void add(int n) {
            count += n;
            decoded += n;
            if (count > limit) {
                throw new LimitExceededException(Limit.STREAM_BYTES, "a stream of the document decodes to more "
                        + "than " + limit + " bytes (the most this verifier decodes for one "
                        + "stream): a compression bomb, or a document too large to verify here");
            }
            if (decoded > limits.maxDecodedBytes()) {
                throw documentLimit();
            }
            sinceTimeCheck += n;
            if (sinceTimeCheck >= TIME_CHECK_BYTES) {
                sinceTimeCheck = 0;
                checkTime();
            }
        }

        byte[] bytes() {
            return kept == null ? null : kept.toByteArray();
        }
    }
}
