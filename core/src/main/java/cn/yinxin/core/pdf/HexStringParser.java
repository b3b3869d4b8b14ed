package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdfparser.PDFParser;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.util.Arrays;

/**
 * PDFBox's parser, reading hexadecimal strings ({@code <4F6B>}) to the same bytes with less work. A signature's
 * /Contents is one: 40,000 hex digits for a PAdES-LT signature, parsed whenever its dictionary is read (in the whole
 * file and in each signed revision). PDFBox collects the digits in a StringBuilder, makes a String, then a String of
 * two characters and an Integer parse per byte ({@code COSString.parseHex}): ~5 % of a 100-page verification.
 *
 * <p>The same rules as PDFBox 3.0 ({@code BaseParser.parseCOSHexString}, then {@code COSString.parseHex}): hex digits
 * are kept in order; space, LF, TAB, CR, BS and FF are skipped; "&gt;" ends the string; any other byte ends the
 * digits (an odd last digit is dropped) and everything up to the next "&gt;" is skipped; the end of the file before
 * "&gt;" is an IOException; an odd number of digits is completed by a 0. {@code HexStringParserTest} holds it to
 * PDFBox's own answers. Literal strings ({@code (text)}) are PDFBox's own reading.
 */
public final class HexStringParser extends PDFParser {

    private HexStringParser(RandomAccessRead source, StreamCacheCreateFunction streamCache) throws IOException {
        super(source, "", null, null, streamCache);
    }

    /** As {@code Loader.loadPDF(source, "", null, null, streamCache)}. */
    public static PDDocument load(RandomAccessRead source, StreamCacheCreateFunction streamCache) throws IOException {
        return new HexStringParser(source, streamCache).parse();
    }

    /** As {@code Loader.loadPDF(source)}. */
    public static PDDocument load(RandomAccessRead source) throws IOException {
        return load(source, IOUtils.createMemoryOnlyStreamCache());
    }

    @Override
    protected COSString parseCOSString() throws IOException {
        if (source.peek() != '<') {
            return super.parseCOSString();
        }
        source.read();
        return new COSString(hexString(source));
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
}
