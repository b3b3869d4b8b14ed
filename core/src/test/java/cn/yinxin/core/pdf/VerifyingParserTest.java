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
 * {@link VerifyingParser} reads documents to the objects PDFBox's own loader reads (or fails where it fails): every
 * hex string to the same bytes (crafted strings: odd counts, white space of every kind PDFBox skips, a stray byte,
 * NUL, no closing bracket; and 20,000 random ones); a sealed document's signature values; sealed documents damaged
 * where their hex strings are; documents whose objects live in object streams, damaged there. Names and numbers on
 * their own: {@link PdfTokensTest}.
 */
class VerifyingParserTest {

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
             PDDocument ours = VerifyingParser.load(new PdfBytes(pdf))) {
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
     * {@link VerifyingParser} as with PDFBox's buffer and loader, or fails alike; so does a revision cut from it.
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
            String ours = objects(() -> VerifyingParser.load(new PdfBytes(damaged)));
            assertThat(ours).as("case " + n + " at " + at).isEqualTo(theirs);
            changed += theirs.equals(intact) ? 0 : 1;
            int cut = random.nextInt(damaged.length + 1);
            assertThat(objects(() -> VerifyingParser.load(new PdfBytes(damaged, cut)))).as("revision cut at " + cut)
                    .isEqualTo(objects(() -> Loader.loadPDF(new RandomAccessReadBuffer(
                            ByteBuffer.wrap(damaged, 0, cut).slice()))));
        }
        assertThat(changed).isGreaterThan(100); // the damage was seen by the parsers
    }

    /**
     * Object streams: a 30-page document PDFBox saved with its pages in (compressed) object streams; and a document
     * whose object stream has no filter, damaged at random in the object stream (a byte replaced by one of a number's,
     * a name's or a delimiter's, a byte dropped or doubled), and with containers nested around numbers from 40 to 251
     * deep (PDFBox counts two levels per container and refuses a 501st: 250 arrays around a number pass, the number
     * fails; numbers that deep are read by PDFBox): every object the same both ways, or the same failure; so is a
     * revision cut from it.
     */
    @Test
    void objectStreamsReadAsPdfBoxReadsThem() throws Exception {
        byte[] compressed;
        try (PDDocument document = new PDDocument()) {
            for (int i = 0; i < 30; i++) {
                document.addPage(new org.apache.pdfbox.pdmodel.PDPage());
            }
            var out = new java.io.ByteArrayOutputStream();
            document.save(out);
            compressed = out.toByteArray();
        }
        assertThat(new String(compressed, StandardCharsets.ISO_8859_1)).contains("/ObjStm");
        assertSameBothWays(compressed, "compressed");
        for (int depth : new int[]{40, 99, 100, 101, 120, 249, 250, 251}) {
            assertSameBothWays(objectStreamPdf(List.of("[".repeat(depth) + "1 -2 3.5" + "]".repeat(depth),
                    "<< /A ".repeat(depth) + "-7" + " >>".repeat(depth))), "nested " + depth);
        }
        byte[] pdf = objectStreamPdf(List.of("[ 7 0 R /Name#2F 12e 74191 -0 ]"));
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        int from = text.indexOf("/ObjStm");
        int to = text.indexOf("endstream", from);
        byte[] kinds = "0123456789-+.eE/#aF \n()<>[]%R".getBytes(StandardCharsets.ISO_8859_1);
        Random random = new Random(41);
        int changed = 0;
        String intact = objects(() -> Loader.loadPDF(pdf));
        assertThat(intact).contains("pages 1", "Helvetica", "COSInt{74191}", "ab#ZZ");
        for (int n = 0; n < 1500; n++) {
            int at = from + random.nextInt(to - from);
            byte[] damaged = switch (random.nextInt(3)) {
                case 0 -> {
                    byte[] copy = pdf.clone();
                    copy[at] = kinds[random.nextInt(kinds.length)];
                    yield copy;
                }
                case 1 -> {
                    byte[] copy = new byte[pdf.length - 1];
                    System.arraycopy(pdf, 0, copy, 0, at);
                    System.arraycopy(pdf, at + 1, copy, at, pdf.length - at - 1);
                    yield copy;
                }
                default -> {
                    byte[] copy = new byte[pdf.length + 1];
                    System.arraycopy(pdf, 0, copy, 0, at + 1);
                    System.arraycopy(pdf, at, copy, at + 1, pdf.length - at);
                    yield copy;
                }
            };
            String theirs = assertSameBothWays(damaged, "case " + n + " at " + at);
            changed += theirs.equals(intact) ? 0 : 1;
        }
        assertThat(changed).isGreaterThan(500); // the damage was seen by the parsers
    }

    /** Both readings of the document and of a revision cut at random agree; PDFBox's reading. */
    private static String assertSameBothWays(byte[] pdf, String what) {
        String theirs = objects(() -> Loader.loadPDF(new RandomAccessReadBuffer(pdf)));
        assertThat(objects(() -> VerifyingParser.load(new PdfBytes(pdf)))).as(what).isEqualTo(theirs);
        int cut = new Random(pdf.length).nextInt(pdf.length + 1);
        assertThat(objects(() -> VerifyingParser.load(new PdfBytes(pdf, cut)))).as(what + ", cut at " + cut)
                .isEqualTo(objects(() -> Loader.loadPDF(new RandomAccessReadBuffer(
                        ByteBuffer.wrap(pdf, 0, cut).slice()))));
        return theirs;
    }

    /**
     * A one-page PDF whose objects, but its content stream, are in one object stream without a filter (so damage to
     * the file's bytes there is damage to what the object stream parser reads), with {@code extra} objects from 7
     * on; its cross-reference is a stream without a filter too.
     */
    private static byte[] objectStreamPdf(List<String> extra) {
        List<String> packed = new ArrayList<>(List.of(
                "<< /Type /Catalog /Pages 2 0 R /Extra 6 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612.5 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R"
                        + " >> >> /Rotate -0 /UserUnit 1.5 /Annots [] >>",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Widths [ 1 -2 +3 .5 4. 00012 -.5 ] >>",
                "<< /A#20B /#C3#A4 /Num 12345678901234567890 /Neg -9223372036854775809 /Ref 5 0 R /Arr [1 2 R 3 0 R]"
                        + " /Str <414243> /Lit (x\\)y) /Bool true /Null null /Esc /ab#ZZ >>"));
        packed.addAll(extra);
        List<Integer> numbers = new ArrayList<>(List.of(1, 2, 3, 5, 6));
        for (int i = 0; i < extra.size(); i++) {
            numbers.add(7 + i);
        }
        int objectStream = 7 + extra.size();
        StringBuilder header = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < packed.size(); i++) {
            header.append(numbers.get(i)).append(' ').append(body.length()).append(' ');
            body.append(packed.get(i)).append('\n');
        }
        String data = header + body.toString();
        StringBuilder file = new StringBuilder("%PDF-1.5\n");
        long[] offsets = new long[objectStream + 2];
        offsets[4] = file.length();
        String content = "BT /F1 12 Tf 72 720 Td (Hello) Tj ET";
        file.append("4 0 obj\n<< /Length ").append(content.length()).append(" >>\nstream\n").append(content)
                .append("\nendstream\nendobj\n");
        offsets[objectStream] = file.length();
        file.append(objectStream).append(" 0 obj\n<< /Type /ObjStm /N ").append(packed.size()).append(" /First ")
                .append(header.length()).append(" /Length ").append(data.length()).append(" >>\nstream\n")
                .append(data).append("\nendstream\nendobj\n");
        int xref = objectStream + 1;
        offsets[xref] = file.length();
        StringBuilder entries = new StringBuilder();
        for (int n = 0; n <= xref; n++) {
            int index = numbers.indexOf(n);
            if (n == 0) {
                entries.append(entry(0, 0, 0xFFFF));
            } else if (index >= 0) {
                entries.append(entry(2, objectStream, index));
            } else {
                entries.append(entry(1, offsets[n], 0));
            }
        }
        file.append(xref).append(" 0 obj\n<< /Type /XRef /Size ").append(xref + 1).append(" /W [1 4 2] /Root 1 0 R")
                .append(" /Length ").append(entries.length()).append(" >>\nstream\n").append(entries)
                .append("\nendstream\nendobj\nstartxref\n").append(offsets[xref]).append("\n%%EOF\n");
        return file.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One cross-reference stream entry, /W [1 4 2], as ISO-8859-1 characters. */
    private static String entry(int type, long field2, int field3) {
        char[] bytes = {(char) type, (char) (field2 >>> 24 & 0xff), (char) (field2 >>> 16 & 0xff),
                (char) (field2 >>> 8 & 0xff), (char) (field2 & 0xff), (char) (field3 >>> 8 & 0xff),
                (char) (field3 & 0xff)};
        return new String(bytes);
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
            return hex(PdfTokens.hexString(source));
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
