package cn.yinxin.core.pdf.verify;

import java.util.Arrays;

/**
 * The checks on a /ByteRange that stop universal signature forgery and signature wrapping: the first range starts
 * at byte 0, the ranges do not overlap and stay inside the file, and the gap between them is exactly one hex
 * string, the signature value, so no bytes are left unsigned besides it.
 */
public final class ByteRanges {

    private ByteRanges() {
    }

    /** Why the range cannot be trusted, or null when it is sound. */
    public static String problem(byte[] pdf, long[] r) {
        if (r[0] != 0) {
            return "The signed bytes do not start at the beginning of the file (ByteRange starts at " + r[0] + ").";
        }
        if (r[1] <= 0 || r[2] <= r[1] || r[3] < 0) {
            return "The two signed ranges overlap, are empty or are out of order.";
        }
        if (r[2] > pdf.length || r[3] > pdf.length - r[2]) {
            return "The signed ranges reach beyond the end of the file (" + r[2] + " + " + r[3] + " > "
                    + pdf.length + " bytes).";
        }
        if (pdf[(int) r[1]] != '<' || pdf[(int) r[2] - 1] != '>') {
            return "The bytes left unsigned are not the signature's hex string: some content is outside the "
                    + "signature (the ranges were moved: signature wrapping, or the value was removed).";
        }
        for (long i = r[1] + 1; i < r[2] - 1; i++) {
            if (HEX[pdf[(int) i] & 0xFF] < 0) {
                return "The bytes left unsigned hold more than the signature value: content was put in the gap "
                        + "between the signed ranges (signature wrapping).";
            }
        }
        return null;
    }

    /** Each byte's value as a hexadecimal digit (0-9, a-f, A-F), else -1. */
    private static final byte[] HEX = new byte[256];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int c = 0; c < 256; c++) {
            if (c < 128 && Character.digit(c, 16) >= 0) {
                HEX[c] = (byte) Character.digit(c, 16);
            }
        }
    }

    /**
     * The decoded hex string between the ranges; null if it does not decode (an odd number of digits), and
     * IllegalArgumentException for a byte that is no hexadecimal digit, as {@code HexFormat.parseHex} answers. Read
     * from the bytes with a table: the reserved value is tens of kilobytes of digits, and a String and HexFormat
     * over it were 2 % of a verification.
     */
    static byte[] signatureValueInGap(byte[] pdf, long[] r) {
        int from = (int) r[1] + 1;
        int to = (int) r[2] - 1;
        if ((to - from) % 2 != 0) {
            return null;
        }
        byte[] value = new byte[(to - from) / 2];
        for (int i = 0, at = from; i < value.length; i++, at += 2) {
            int high = HEX[pdf[at] & 0xFF];
            int low = HEX[pdf[at + 1] & 0xFF];
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("not a hexadecimal digit at byte " + (high < 0 ? at : at + 1));
            }
            value[i] = (byte) (high << 4 | low);
        }
        return value;
    }

    static byte[] signedBytes(byte[] pdf, long[] r) {
        byte[] signed = new byte[(int) (r[1] + r[3])];
        System.arraycopy(pdf, 0, signed, 0, (int) r[1]);
        System.arraycopy(pdf, (int) r[2], signed, (int) r[1], (int) r[3]);
        return signed;
    }
}
