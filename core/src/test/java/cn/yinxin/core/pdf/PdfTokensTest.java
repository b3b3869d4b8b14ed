package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.pdfparser.BaseParser;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PdfTokens} reads names and numbers as PDFBox 3.0's own parser does ({@code BaseParser.parseCOSName} and
 * {@code BaseParser.parseCOSNumber}, called on the same bytes): the same object and the same position after it, or
 * an IOException where PDFBox throws one. Crafted tokens (escapes, bad escapes, escapes cut by the end, UTF-8 and
 * Windows-1252 bytes, every delimiter; signs, points, exponents, PDFBOX-5025's "74191endobj", overflowing integers,
 * 18 and 19 digits) and 20,000 random ones of each kind. Hex strings: {@link VerifyingParserTest}.
 */
class PdfTokensTest {

    private static final String[] NAMES = {"/", "/Type", "/Type/Page", "/A#20B", "/A#2", "/A#", "/A#g1", "/A#1g",
            "/#41#42", "/#4", "/#", "/A B", "/A\tB", "/A\rB", "/A\nB", "/A\fB", "/A\u0000B", "/A%B", "/A(B", "/A)B",
            "/A<B", "/A>B", "/A[B", "/A]B", "/A{B}", "/\u00e4\u00f6", "/\u00c3\u00a4", "/#C3#A4", "/#E4", "/A#00B",
            "/#2F", "/Caf\u00e9#20", "/ThisIsAVeryLongNameOfMoreThanThirtyTwoBytesToBeKept", "/ab#ZZ", "/#ff#fe"};

    private static final String[] NUMBERS = {"0", "7", "-", "+", ".", "-0", "12", "-12", "+12", "1.5", "-.5", ".5",
            "5.", "1e5", "1E5", "74191endobj", "12e", "12E", "1-2", "--5", "-+5", "1.2.3", "123456789012345678",
            "-123456789012345678", "1234567890123456789", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "99999999999999999999999", "00012", "-000", "3 0 R", "12>>", "12]", "12/Name",
            "1.0e-5", "0.000001", "-.", "e", "1ee", "4.e"};

    @Test
    void craftedNamesReadAsPdfBoxReadsThem() throws Exception {
        PdfTokens tokens = new PdfTokens();
        for (String name : NAMES) {
            byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
            // twice: the second time the name may be a kept one
            assertThat(ours(tokens, bytes, true)).as(name).isEqualTo(pdfBox(bytes, true));
            assertThat(ours(tokens, bytes, true)).as(name + " again").isEqualTo(pdfBox(bytes, true));
        }
    }

    @Test
    void randomNamesReadAsPdfBoxReadsThem() throws Exception {
        PdfTokens tokens = new PdfTokens();
        Random random = new Random(23);
        byte[] alphabet = "ABab01#fF/ \n\t()<>[]%\u0000\u00c3\u00a4\u00e4\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            bytes[0] = '/';
            for (int i = 1; i < bytes.length; i++) {
                bytes[i] = random.nextInt(3) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : alphabet[random.nextInt(7)];
            }
            String shown = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(ours(tokens, bytes, true)).as(shown).isEqualTo(pdfBox(bytes, true));
        }
    }

    @Test
    void craftedNumbersReadAsPdfBoxReadsThem() throws Exception {
        PdfTokens tokens = new PdfTokens();
        for (String number : NUMBERS) {
            byte[] bytes = number.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(ours(tokens, bytes, false)).as(number).isEqualTo(pdfBox(bytes, false));
        }
    }

    @Test
    void randomNumbersReadAsPdfBoxReadsThem() throws Exception {
        PdfTokens tokens = new PdfTokens();
        Random random = new Random(29);
        byte[] alphabet = "0123456789-+.eE /]>x".getBytes(StandardCharsets.ISO_8859_1);
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[1 + random.nextInt(24)];
            bytes[0] = (byte) (random.nextInt(4) == 0 ? '-' : '0' + random.nextInt(10));
            for (int i = 1; i < bytes.length; i++) {
                // mostly digits, so that long integers (past 18 digits, past a long) are common
                bytes[i] = random.nextInt(5) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : alphabet[random.nextInt(10)];
            }
            String shown = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(ours(tokens, bytes, false)).as(shown).isEqualTo(pdfBox(bytes, false));
        }
    }

    /** What PdfTokens reads from the bytes (a name after its "/"), and where it stops; or the exception. */
    private static String ours(PdfTokens tokens, byte[] bytes, boolean name) {
        try (PdfBytes source = new PdfBytes(bytes)) {
            COSBase read;
            if (name) {
                source.read();
                read = tokens.name(source);
            } else {
                read = tokens.number(source);
            }
            return shown(read) + " then at " + source.getPosition();
        } catch (IOException e) {
            return "IOException";
        }
    }

    /** What PDFBox's own BaseParser reads from the same bytes, and where it stops; or the exception. */
    private static String pdfBox(byte[] bytes, boolean name) throws Exception {
        PDFStreamParser parser = new PDFStreamParser(bytes);
        Method method = BaseParser.class.getDeclaredMethod(name ? "parseCOSName" : "parseCOSNumber");
        method.setAccessible(true);
        Field field = BaseParser.class.getDeclaredField("source");
        field.setAccessible(true);
        RandomAccessRead source = (RandomAccessRead) field.get(parser);
        try {
            COSBase read = (COSBase) method.invoke(parser);
            return shown(read) + " then at " + source.getPosition();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException) {
                return "IOException";
            }
            throw e;
        }
    }

    private static String shown(COSBase read) {
        return read.getClass().getSimpleName() + " " + read;
    }
}
