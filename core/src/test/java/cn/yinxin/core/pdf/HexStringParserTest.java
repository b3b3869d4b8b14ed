package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HexStringParser} reads every hex string to the bytes PDFBox's own parser reads (or fails where it fails):
 * crafted strings (odd counts, white space of every kind PDFBox skips, a stray byte, NUL, no closing bracket) and
 * 20,000 random ones; and a sealed document opened both ways has the same signature value.
 */
class HexStringParserTest {

    private static final String[] CRAFTED = {"<>", "<41>", "<4>", "<414>", "<4 1 4>", "<4\n1\r4\t2\f3\b>",
            "<4g1>", "<41g>", "<414g2222>", "<41\u00002>", "<41", "<4", "<", "<41 g", "<aBcDeF0987654321>",
            "<41>>", "<4\u000b1>", "<41%comment>", "<A)>", "<(41)>"};

    @Test
    void craftedStringsReadAsPdfBoxReadsThem() {
        for (String text : CRAFTED) {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(ours(bytes)).as(text).isEqualTo(pdfBox(bytes));
        }
    }

    @Test
    void randomStringsReadAsPdfBoxReadsThem() {
        Random random = new Random(17);
        byte[] alphabet = "0123456789abcdefABCDEFgxz \n\r\t\f\b\u000b\u0000>(%".getBytes(StandardCharsets.ISO_8859_1);
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            bytes[0] = '<';
            for (int i = 1; i < bytes.length; i++) {
                // mostly digits, so that long runs and odd counts are common
                bytes[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : alphabet[random.nextInt(22)];
            }
            assertThat(ours(bytes)).as(new String(bytes, StandardCharsets.ISO_8859_1)).isEqualTo(pdfBox(bytes));
        }
    }

    @Test
    void aSealedDocumentHasTheSameSignatureValueBothWays() throws Exception {
        TestMaterial material = new TestMaterial();
        byte[] once = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        byte[] pdf = new PdfSealer().seal(once, material.request(1, 150, 240));
        try (PDDocument theirs = Loader.loadPDF(pdf);
             PDDocument ours = HexStringParser.load(new PdfBytes(pdf))) {
            List<PDSignature> a = theirs.getSignatureDictionaries();
            List<PDSignature> b = ours.getSignatureDictionaries();
            assertThat(b).hasSameSizeAs(a).isNotEmpty();
            for (int i = 0; i < a.size(); i++) {
                COSString value = (COSString) b.get(i).getCOSObject().getDictionaryObject(COSName.CONTENTS);
                assertThat(value.getBytes()).isEqualTo(a.get(i).getContents()).hasSizeGreaterThan(1000);
                assertThat(b.get(i).getByteRange()).isEqualTo(a.get(i).getByteRange());
            }
        }
    }

    /** The string's bytes as PDFBox reads it (its content parser shares the object parser's hex reading), or why not. */
    private static String pdfBox(byte[] bytes) {
        try {
            Object token = new PDFStreamParser(bytes).parseNextToken();
            return token instanceof COSString string ? hex(string.getBytes()) : "not a string: " + token;
        } catch (IOException e) {
            return "IOException";
        }
    }

    private static String ours(byte[] bytes) {
        try (PdfBytes source = new PdfBytes(bytes)) {
            source.read(); // the "<"
            return hex(HexStringParser.hexString(source));
        } catch (IOException e) {
            return "IOException";
        }
    }

    private static String hex(byte[] bytes) {
        List<String> out = new ArrayList<>();
        for (byte b : bytes) {
            out.add(String.format("%02x", b));
        }
        return String.join("", out);
    }
}
