package cn.yinxin.core.pdf.verify;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

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
            if (Character.digit(pdf[(int) i], 16) < 0) {
                return "The bytes left unsigned hold more than the signature value: content was put in the gap "
                        + "between the signed ranges (signature wrapping).";
            }
        }
        return null;
    }

    /** The decoded hex string between the ranges; null if it does not decode. */
    static byte[] signatureValueInGap(byte[] pdf, long[] r) {
        int from = (int) r[1] + 1;
        int to = (int) r[2] - 1;
        if ((to - from) % 2 != 0) {
            return null;
        }
        return HexFormat.of().parseHex(new String(pdf, from, to - from, StandardCharsets.US_ASCII));
    }

    static byte[] signedBytes(byte[] pdf, long[] r) {
        byte[] signed = new byte[(int) (r[1] + r[3])];
        System.arraycopy(pdf, 0, signed, 0, (int) r[1]);
        System.arraycopy(pdf, (int) r[2], signed, (int) r[1], (int) r[3]);
        return signed;
    }
}
