package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * A sealed document damaged at random where its hex strings are (a byte changed to a hex digit, white space,
     * NUL, a bracket, a non-ASCII byte; a byte dropped or doubled; the file cut inside a string) reads to the same
     * objects (every one in the cross-reference, streams by their raw bytes) with {@link PdfBytes} and
     * {@link HexStringParser} as with PDFBox's buffer and loader, or fails alike; so does a revision cut from it.
     */
    @Test
    void damagedDocumentsReadAsPdfBoxReadsThem() throws Exception {
        TestMaterial material = new TestMaterial();
        byte[] once = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        byte[] pdf = new PdfSealer().seal(once, material.request(1, 150, 240));
        List<Integer> brackets = new ArrayList<>();
        for (int i = 1; i + 1 < pdf.length; i++) {
            if (pdf[i] == '<' && pdf[i + 1] != '<' && pdf[i - 1] != '<') {
                brackets.add(i);
            }
        }
        assertThat(brackets).hasSizeGreaterThan(4);
        byte[] kinds = "0aF \n\r\t\f\b\u0000<>()/%[]g".getBytes(StandardCharsets.ISO_8859_1);
        Random random = new Random(5);
        String intact = objects(() -> Loader.loadPDF(pdf));
        int changed = 0;
        for (int n = 0; n < 600; n++) {
            int at = Math.min(pdf.length - 1, brackets.get(random.nextInt(brackets.size())) + random.nextInt(12));
            byte[] damaged;
            switch (random.nextInt(5)) {
                case 0 -> {
                    damaged = pdf.clone();
                    damaged[at] = random.nextBoolean() ? kinds[random.nextInt(kinds.length)]
                            : (byte) (0x80 + random.nextInt(128));
                }
                case 1 -> {
                    damaged = new byte[pdf.length - 1];
                    System.arraycopy(pdf, 0, damaged, 0, at);
                    System.arraycopy(pdf, at + 1, damaged, at, pdf.length - at - 1);
                }
                case 2 -> {
                    damaged = new byte[pdf.length + 1];
                    System.arraycopy(pdf, 0, damaged, 0, at + 1);
                    System.arraycopy(pdf, at, damaged, at + 1, pdf.length - at);
                }
                case 3 -> damaged = Arrays.copyOf(pdf, at);
                default -> {
                    // the cut file still ends with an end marker, so PDFBox goes looking for its objects
                    byte[] end = "\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
                    damaged = Arrays.copyOf(pdf, at + end.length);
                    System.arraycopy(end, 0, damaged, at, end.length);
                }
            }
            String theirs = objects(() -> Loader.loadPDF(new RandomAccessReadBuffer(damaged)));
            String ours = objects(() -> HexStringParser.load(new PdfBytes(damaged)));
            assertThat(ours).as("case " + n + " at " + at).isEqualTo(theirs);
            changed += theirs.equals(intact) ? 0 : 1;
            int cut = random.nextInt(damaged.length + 1);
            assertThat(objects(() -> HexStringParser.load(new PdfBytes(damaged, cut)))).as("revision cut at " + cut)
                    .isEqualTo(objects(() -> Loader.loadPDF(new RandomAccessReadBuffer(
                            ByteBuffer.wrap(damaged, 0, cut).slice()))));
        }
        assertThat(changed).isGreaterThan(100); // the damage was seen by the parsers
    }

    private interface Opening {
        PDDocument open() throws IOException;
    }

    /** Every object of the document's cross-reference (and the trailer), or why it could not be read. */
    private static String objects(Opening opening) {
        StringBuilder out = new StringBuilder();
        try (PDDocument document = opening.open()) {
            COSDocument cos = document.getDocument();
            out.append("trailer ");
            dump(cos.getTrailer(), out, 0);
            List<COSObjectKey> keys = new ArrayList<>(cos.getXrefTable().keySet());
            keys.sort(null);
            for (COSObjectKey key : keys) {
                out.append('\n').append(key).append(' ');
                try {
                    COSObject object = cos.getObjectFromPool(key);
                    dump(object == null ? null : object.getObject(), out, 0);
                } catch (RuntimeException e) {
                    out.append(e.getClass().getSimpleName());
                }
            }
            out.append("\npages ").append(document.getNumberOfPages());
        } catch (IOException | RuntimeException e) {
            out.append(" failed: ").append(e.getClass().getSimpleName()).append(' ').append(e.getMessage());
        }
        return out.toString();
    }

    private static void dump(COSBase base, StringBuilder out, int depth) {
        if (depth > 40) {
            out.append("deep");
        } else if (base instanceof COSObject reference) {
            out.append("ref ").append(reference.getKey());
        } else if (base instanceof COSString string) {
            out.append('<').append(hex(string.getBytes())).append('>');
        } else if (base instanceof COSArray array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                dump(array.get(i), out, depth + 1);
                out.append(' ');
            }
            out.append(']');
        } else if (base instanceof COSDictionary dictionary) {
            out.append("<<");
            for (var entry : dictionary.entrySet()) {
                out.append(entry.getKey().getName()).append(' ');
                dump(entry.getValue(), out, depth + 1);
                out.append(' ');
            }
            out.append(">>");
            if (dictionary instanceof COSStream stream) {
                try (var in = stream.createRawInputStream()) {
                    out.append(" stream ").append(Arrays.hashCode(in.readAllBytes()));
                } catch (IOException | RuntimeException e) {
                    out.append(" stream ").append(e.getClass().getSimpleName());
                }
            }
        } else {
            out.append(base);
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
