package cn.yinxin.core.pdf.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PDFBox 3.0's FlateDecode without a predictor ({@code FlateFilter.decode}: {@code FlateFilterDecoderStream} copied
 * out by {@code IOUtils.copy}), with one Inflater for all the streams of a verification instead of a new one per
 * stream: a new {@code Inflater} sets up zlib and registers a cleaner, ~3 % of a 100-page verification, whose ~135
 * streams the raw checks decode. The same bytes out on damaged data too: the two header bytes skipped, input in
 * chunks of 2,048 bytes, output in chunks of 4,096 zeroed before each inflation, and on a DataFormatException the
 * chunk up to its last non-zero byte kept as far as the copy's current read of 4,096 bytes takes it, then the end
 * ({@code FlateDecodingTest} holds it to PDFBox's filter on intact, cut and damaged streams).
 */
final class FlateDecoding {

    /** The buffer of PDFBox's {@code IOUtils.copy}, whose reads decide what is kept of a damaged stream's end. */
    private static final int COPY_CHUNK = 4096;

    private final Inflater inflater = new Inflater(true);
    private final byte[] input = new byte[2048];
    private final byte[] output = new byte[4096];
    /** How many streams PDFBox reads shorter than what they inflate to (see {@link #cutShort()}). */
    private long cutShort;

    /** Writes what {@code encoded} inflates to into {@code decoded}, as PDFBox's FlateFilter would. */
    void decode(InputStream encoded, OutputStream decoded) throws IOException {
        inflater.reset();
        Arrays.fill(output, (byte) 0);
        encoded.read();
        encoded.read();
        int produced = 0;
        long written = 0;
        while (!inflater.finished()) {
            if (inflater.needsInput()) {
                int read = encoded.read(input);
                if (read < 0) {
                    return;
                }
                inflater.setInput(input, 0, read);
            }
            if (produced > 0) {
                Arrays.fill(output, 0, produced, (byte) 0);
            }
            try {
                produced = inflater.inflate(output);
            } catch (DataFormatException e) {
                // PDFBox: "premature end of stream"; what the chunk holds up to its last non-zero byte counts, but
                // only as much of it as fits in the 4,096-byte read that IOUtils.copy is in the middle of (the
                // decoder stream says end of file at the next read)
                int kept = output.length;
                while (kept > 0 && output[kept - 1] == 0) {
                    kept--;
                }
                int room = COPY_CHUNK - (int) (written % COPY_CHUNK);
                if (kept > room) {
                    cutShort++;
                }
                decoded.write(output, 0, Math.min(kept, room));
                return;
            }
            decoded.write(output, 0, produced);
            written += produced;
        }
    }

    /**
     * How many of the streams decoded so far PDFBox cuts short: damaged data whose last good inflation wrote more
     * than the rest of IOUtils.copy's current read takes. poppler and pdf.js show everything inflated before the
     * damage; PDFBox (and so the verifier's pictures) drops up to 4,095 bytes of it, which a forger fills with what
     * the pictures must not see.
     */
    long cutShort() {
        return cutShort;
    }

    /** Frees the Inflater's native memory; this decoder is not used again. */
    void end() {
        inflater.end();
    }
}
