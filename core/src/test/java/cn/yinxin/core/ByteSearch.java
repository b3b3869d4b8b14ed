package cn.yinxin.core;

import java.nio.charset.StandardCharsets;

/** Where a test finds the bytes it changes in an encoded structure (a name in a DER seal, a number in a PDF). */
public final class ByteSearch {

    private ByteSearch() {
    }

    /** The first position of {@code needle} in {@code data}; an AssertionError when it is not there. */
    public static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** The first position of the ASCII {@code text} in {@code data}. */
    public static int indexOf(byte[] data, String text) {
        try {
            return indexOf(data, text.getBytes(StandardCharsets.US_ASCII));
        } catch (AssertionError e) {
            throw new AssertionError(text + " not found");
        }
    }
}
