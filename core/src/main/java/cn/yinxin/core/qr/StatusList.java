package cn.yinxin.core.qr;

import cn.yinxin.core.Zlib;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The bitstring of an IETF Token Status List (draft-ietf-oauth-status-list): {@code bits} bits per entry, the first
 * entry in the least significant bits of the first byte, carried zlib-compressed ({@code lst}). Written by the
 * licence service, read by the verifier and the benchmarks, so both ends pack and bound it the same way.
 *
 * <p>Sizes: 10 million licences at 2 bits are 2.5 MB packed; with revocations spread thinly (a few percent) the
 * zlib form is a few hundred kilobytes. Reading is bounded: the inflated size may not pass the caller's limit, so a
 * small "bomb" (megabytes of zeros in a few kilobytes) is refused once the limit is passed, never inflated in full.
 */
public final class StatusList {

    /** Entry values (draft-ietf-oauth-status-list section 7.1). */
    public static final int VALID = 0;
    public static final int INVALID = 1;
    public static final int SUSPENDED = 2;

    private final byte[] bytes;
    private final int bits;

    private StatusList(byte[] bytes, int bits) {
        this.bytes = bytes;
        this.bits = bits;
    }

    /** An empty list (every entry VALID) of {@code size} entries. */
    public static StatusList of(long size, int bits) {
        checkBits(bits);
        long length = (size * bits + 7) / 8;
        if (size < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a status list of " + size + " entries does not fit in memory");
        }
        return new StatusList(new byte[(int) length], bits);
    }

    /** The packed bitstring as it was read (not copied: the caller keeps it as is). */
    public static StatusList wrap(byte[] packed, int bits) {
        checkBits(bits);
        return new StatusList(packed, bits);
    }

    private static void checkBits(int bits) {
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("a status list has 1, 2, 4 or 8 bits per entry, not " + bits);
        }
    }

    public int bits() {
        return bits;
    }

    /** How many entries the bitstring holds. */
    public long size() {
        return (long) bytes.length * 8 / bits;
    }

    /** Whether {@code index} (which comes from a code, so any long) has an entry. */
    public boolean covers(long index) {
        return index >= 0 && index < size();
    }

    /** Sets entry {@code index}; out of range is the caller's mistake. */
    public void set(long index, int value) {
        if (!covers(index)) {
            throw new IndexOutOfBoundsException("index " + index + " is outside a list of " + size() + " entries");
        }
        long bit = index * bits;
        int mask = (1 << bits) - 1;
        int i = (int) (bit / 8);
        int shift = (int) (bit % 8);
        bytes[i] = (byte) ((bytes[i] & ~(mask << shift)) | ((value & mask) << shift));
    }

    public int get(long index) {
        if (!covers(index)) {
            throw new IndexOutOfBoundsException("index " + index + " is outside a list of " + size() + " entries");
        }
        long bit = index * bits;
        return (bytes[(int) (bit / 8)] >> (int) (bit % 8)) & ((1 << bits) - 1);
    }

    /** The packed bitstring (not copied). */
    public byte[] packed() {
        return bytes;
    }

    /**
     * The {@code lst} value: zlib at the default level. Measured on a 10 M list with 1.1 % not valid at random
     * (docs/benchmarks.md): 43 ms and 195 KB, where BEST_COMPRESSION takes 13 times as long for 163 KB.
     */
    public byte[] compressed() {
        return Zlib.compress(bytes, Deflater.DEFAULT_COMPRESSION);
    }


    /**
     * Reads a list's {@code lst}: refused ({@link Problem#QR_INVALID}) when it is not complete zlib data or would
     * inflate past {@code maxBytes} (found out after at most {@code maxBytes} + 64 KiB inflated).
     */
    public static StatusList decompress(byte[] lst, int bits, int maxBytes) {
        checkBits(bits);
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(lst);
            byte[] out = new byte[Math.min(maxBytes, Math.max(1024, lst.length * 8))];
            int size = 0;
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw invalid("the status list's zlib data is truncated");
                }
                if (size + n > maxBytes) {
                    throw invalid("the status list inflates to more than " + maxBytes + " bytes, this verifier's "
                            + "limit (YINXIN_VERIFIER_STATUS_LIST_MAX_INFLATED_BYTES); it was not read further");
                }
                if (size + n > out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(maxBytes, Math.max((long) out.length * 2, size + n)));
                }
                System.arraycopy(buffer, 0, out, size, n);
                size += n;
            }
            return new StatusList(size == out.length ? out : Arrays.copyOf(out, size), bits);
        } catch (DataFormatException e) {
            throw invalid("the status list is not zlib data: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static RejectedException invalid(String detail) {
        return new RejectedException(Problem.QR_INVALID, detail);
    }
}
