package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.LimitExceededException;
import cn.yinxin.core.pdf.verify.VerificationLimits;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.io.RandomAccessRead;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Two kinds of PDF token read exactly as PDFBox 3.0's {@code BaseParser} reads them, with less work: hexadecimal
 * strings and names. {@link VerifyingParser} reads the whole file and each signed revision with them, and the
 * object streams inside both. {@code VerifyingParserTest} holds each to PDFBox's own answers (crafted and random
 * tokens, and damaged documents read both ways).
 *
 * <p>Hex strings ({@code <4F6B>}): a signature's /Contents is one of 40,000 digits. PDFBox collects the digits in a
 * StringBuilder, makes a String, then a String of two characters and an Integer parse per byte
 * ({@code COSString.parseHex}). The same rules as PDFBox ({@code BaseParser.parseCOSHexString}, then
 * {@code COSString.parseHex}): hex digits are kept in order; space, LF, TAB, CR, BS and FF are skipped; "&gt;" ends
 * the string; any other byte ends the digits (an odd last digit is dropped) and everything up to the next "&gt;" is
 * skipped; the end of the file before "&gt;" is an IOException; an odd number of digits is completed by a 0.
 *
 * <p>Names ({@code /Type}): PDFBox collects a name's bytes in a new ByteArrayOutputStream, copies them and decodes
 * them with a UTF-8 CharsetDecoder for every name it reads (~5 % of a 100-page verification with the map lookup).
 * The same rules as {@code BaseParser.parseCOSName}: bytes up to a delimiter, white space or the end; "#" followed by
 * two hex digits is the byte they spell, otherwise "#" is itself (and at the end of the file the name ends); the
 * bytes are decoded as UTF-8, or as Windows-1252 when they are not UTF-8. A name of ASCII bytes only (nearly every
 * name) is the same String either way, made here without a decoder.
 */
final class PdfTokens {

    /** PDFBox's fallback for names that are not UTF-8 (its {@code COSParser.ALTERNATIVE_CHARSET}). */
    private static final Charset NOT_UTF_8 = alternative();
    /** Names of up to this many bytes are kept, by their bytes, for the next time they are read. */
    private static final int KEPT_NAME_BYTES = 32;
    private static final int KEPT_NAMES = 512;
    /**
     * Numbers are read here only inside fewer dictionaries and arrays than this: PDFBox counts every object, array
     * and dictionary it is inside (at most about two per container) and refuses a 501st; deeper, PDFBox reads them.
     */
    static final int SHALLOW = 100;
    /**
     * Most values (numbers, names, strings, booleans, nulls, references, arrays, dictionaries; a dictionary's keys
     * too) one parser reads, its object streams' included. A value costs PDFBox up to ~150 bytes of heap (an empty
     * array 80, a float with its text 70, a name never seen before 130 and a place in PDFBox's table of names) for
     * as few as two bytes of file: 9 million empty arrays in one 18 MB object were an OutOfMemoryError within 256 MB.
     * The verifier reads objects lazily, what its checks walk; a 100-page document reads a few ten thousand.
     */
    static final long MAX_VALUES = 400_000;

    /** One parser's: the bytes of the name being read (grown as needed). */
    private byte[] name = new byte[64];
    /** One parser's: the names read so far, by the hash of their bytes (a later one replaces an earlier). */
    private final byte[][] keptBytes = new byte[KEPT_NAMES][];
    private final COSName[] kept = new COSName[KEPT_NAMES];
    /** One parser's: the characters of the number being read. */
    private char[] number = new char[32];
    /** One parser's: the values read so far (see {@link #MAX_VALUES}). */
    private long values;

    /**
     * Counts one more value read.
     *
     * @throws LimitExceededException past {@link #MAX_VALUES}: unchecked, so that no lenient catch of PDFBox's (an
     *                                object stream that cannot be parsed gives no object) takes it for damage
     */
    void counted() {
        if (++values > MAX_VALUES) {
            throw new LimitExceededException(VerificationLimits.Limit.OBJECTS, "the document has " + values
                    + " values in the objects read; this verifier reads at most " + MAX_VALUES);
        }
    }

    /** The bytes of a hex string whose "&lt;" was read, read up to and with its "&gt;". */
    static byte[] hexString(RandomAccessRead source) throws IOException {
        byte[] out = new byte[64];
        int digits = 0;
        int c;
        while (true) {
            c = source.read();
            int value = hexValue(c);
            if (value >= 0) {
                if (digits / 2 == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                if ((digits & 1) == 0) {
                    out[digits / 2] = (byte) (value << 4);
                } else {
                    out[digits / 2] |= (byte) value;
                }
                digits++;
            } else if (c == '>') {
                break;
            } else if (c < 0) {
                throw new IOException("Missing closing bracket for hex string. Reached EOS.");
            } else if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\b' && c != '\f') {
                // a wrong byte: PDFBox drops an odd last digit and skips to the closing bracket
                if ((digits & 1) == 1) {
                    digits--;
                }
                do {
                    c = source.read();
                } while (c != '>' && c >= 0);
                if (c < 0) {
                    throw new IOException("Missing closing bracket for hex string. Reached EOS.");
                }
                break;
            }
        }
        // an odd count: the last digit's byte already holds it in its high half, its low half 0
        return Arrays.copyOf(out, (digits + 1) / 2);
    }

    /** A name whose "/" was read, read up to the byte that ends it (left unread). */
    COSName name(RandomAccessRead source) throws IOException {
        byte[] out = name;
        int length = 0;
        int hash = 1;
        boolean ascii = true;
        int c = source.read();
        while (!endsName(c)) {
            int b = c;
            if (c == '#') {
                int c1 = source.read();
                int c2 = source.read();
                if (hexValue(c1) >= 0 && hexValue(c2) >= 0) {
                    b = hexValue(c1) << 4 | hexValue(c2);
                    c = source.read();
                } else if (c1 == -1 || c2 == -1) {
                    // PDFBox: premature end of the file inside the escape; the name ends without the "#"
                    c = -1;
                    break;
                } else {
                    source.rewind(1);
                    c = c1;
                }
            } else {
                c = source.read();
            }
            if (length == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
                name = out;
            }
            out[length++] = (byte) b;
            ascii &= b < 0x80;
            hash = 31 * hash + b;
        }
        if (c != -1) {
            source.rewind(1);
        }
        return named(out, length, ascii, hash);
    }

    /** The name of these bytes: a kept one, or PDFBox's (then kept). */
    private COSName named(byte[] bytes, int length, boolean ascii, int hash) {
        if (length > KEPT_NAME_BYTES) {
            return COSName.getPDFName(text(bytes, length, ascii));
        }
        int slot = (hash ^ hash >>> 16) & (KEPT_NAMES - 1);
        byte[] key = keptBytes[slot];
        if (key != null && Arrays.equals(key, 0, key.length, bytes, 0, length)) {
            return kept[slot];
        }
        COSName made = COSName.getPDFName(text(bytes, length, ascii));
        keptBytes[slot] = Arrays.copyOf(bytes, length);
        kept[slot] = made;
        return made;
    }

    /**
     * A number whose first character (a digit or "-") is next, as PDFBox's {@code BaseParser.parseCOSNumber} reads
     * it: every following digit, "-", "+", ".", "E" or "e"; a last "E" or "e" given back (PDFBOX-5025: "74191endobj");
     * then {@code COSNumber.get} of the text, except that a plain integer (an optional "-" and at most 18 digits) is
     * made here without a StringBuilder, a String and {@code Long.parseLong}.
     */
    COSNumber number(RandomAccessRead source) throws IOException {
        char[] text = number;
        int length = 0;
        int c = source.read();
        while (c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'E' || c == 'e') {
            if (length == text.length) {
                text = Arrays.copyOf(text, text.length * 2);
                number = text;
            }
            text[length++] = (char) c;
            c = source.read();
        }
        if (c != -1) {
            source.rewind(1);
        }
        if (length > 0 && (text[length - 1] == 'e' || text[length - 1] == 'E')) {
            length--;
            source.rewind(1);
        }
        long value = plainInteger(text, length);
        return value != Long.MIN_VALUE ? COSInteger.get(value) : COSNumber.get(new String(text, 0, length));
    }

    /** The value of an optional "-" and 1 to 18 digits (not "-" alone), or Long.MIN_VALUE for any other text. */
    private static long plainInteger(char[] text, int length) {
        int from = length > 1 && text[0] == '-' ? 1 : 0;
        if (length == 0 || length - from > 18) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (int i = from; i < length; i++) {
            char d = text[i];
            if (d < '0' || d > '9') {
                return Long.MIN_VALUE;
            }
            value = value * 10 + (d - '0');
        }
        return from == 1 ? -value : value;
    }

    private static String text(byte[] bytes, int length, boolean ascii) {
        if (ascii) {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, 0, length, NOT_UTF_8);
        }
    }

    /** PDFBox's {@code BaseParser.isEndOfName}. */
    private static boolean endsName(int c) {
        return switch (c) {
            case ' ', '\r', '\n', '\t', '>', '<', '[', '/', ']', ')', '(', 0, '\f', '%', -1 -> true;
            default -> false;
        };
    }

    private static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static Charset alternative() {
        try {
            return Charset.forName("Windows-1252");
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
