package cn.yinxin.core.pdf;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chunked scan of {@link PdfStructure} against the whole-string regular expressions it replaced (kept here as
 * the reference): the same refusals with the same messages, on crafted and random documents.
 */
class PdfStructureTest {

    private static final String[] TOKENS = {"\n", "\r", "\r\n", " ", "\t", "0", "1", "2", "7", "12", "00012",
            "99999", "123456", "1234567890", "12345678901", "obj", "obj", "obj", "objx", "obj_", "obj<<", "obj\u00e9",
            "endobj", "%%EOF", "%", "%%", "%%%EOF", "%%E", "EOF", "x", "<<", ">>", "stream", "\u00ff",
            "\n1 0 obj", "\n1 0 obj", "\r2 0 obj", "\n01\t0 obj\n", "\n1  00 obj<<", "\n3 1 obj", "\n1 0 ", "\n3 "};

    @Test
    void randomDocumentsAreJudgedAsTheRegularExpressionsJudgedThem() {
        Random random = new Random(20261101);
        int refusedForDuplicates = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder body = new StringBuilder("%PDF-1.7\n");
            int tokens = random.nextInt(200);
            for (int i = 0; i < tokens; i++) {
                body.append(TOKENS[random.nextInt(TOKENS.length)]);
            }
            String text = random.nextInt(10) == 0 ? body.toString() : withXref(body, random);
            String expected = reference(text);
            assertThat(outcome(text)).as("round %d: %s", round, text).isEqualTo(expected);
            // the object scan alone, fed in pieces of 1 to 16 bytes: headers and markers across chunk borders
            assertThat(scannedInPieces(text, random)).as("round %d in pieces: %s", round, text)
                    .isEqualTo(referenceDuplicates(text));
            if (expected != null && expected.startsWith("DUPLICATE")) {
                refusedForDuplicates++;
            }
        }
        assertThat(refusedForDuplicates).as("the random documents exercise the duplicate check").isGreaterThan(2000);
    }

    @Test
    void aHeaderAcrossTwoChunksIsFound() {
        StringBuilder text = new StringBuilder("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");
        text.append("%".repeat(64 * 1024 - text.length() - 4)).append("\n1 0"); // "1 0 obj" spans the chunk border
        text.append(" obj\n<<>>\nendobj\n");
        String pdf = withXref(text, new Random(1));
        assertThat(reference(pdf)).startsWith("DUPLICATE_OBJECTS");
        assertThat(outcome(pdf)).isEqualTo(reference(pdf));
    }

    @Test
    void anObjectRepeatedInALaterRevisionIsAllowed() {
        String pdf = withXref(new StringBuilder("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n1 0 obj\n<<>>\nendobj\n"),
                new Random(2));
        assertThat(outcome(pdf)).isNull();
        assertThatThrownBy(() -> PdfStructure.check(bytes(pdf.replace("%%EOF\n1 0", "%%EOX\n1 0"))))
                .isInstanceOf(RejectedException.class)
                .hasMessage("Object 1 0 is defined twice in revision 1: different readers would see different documents.");
    }

    /** A cross-reference keyword and a startxref pointing at it (mostly right, sometimes wrong). */
    private static String withXref(StringBuilder body, Random random) {
        int offset = body.length() + 1;
        body.append("\nxref\n0 1\ntrailer\n<<>>\nstartxref\n");
        body.append(random.nextInt(8) == 0 ? random.nextInt(offset + 40) : offset);
        body.append("\n%%EOF\n");
        return body.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** null when accepted, else the problem and message. */
    private static String outcome(String text) {
        try {
            PdfStructure.check(bytes(text));
            return null;
        } catch (RejectedException e) {
            return e.problem() + ": " + e.getMessage();
        }
    }

    private static String scannedInPieces(String text, Random random) {
        byte[] bytes = bytes(text);
        PdfStructure.ObjectScan scan = new PdfStructure.ObjectScan();
        try {
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(16));
                scan.accept(Arrays.copyOfRange(bytes, at, at + n), n);
                at += n;
            }
            scan.end();
            return null;
        } catch (RejectedException e) {
            return e.problem() + ": " + e.getMessage();
        }
    }

    // --- the reference: the checks as they were, on the whole file as one string --------------------------------

    private static final Pattern OBJECT = Pattern.compile("(?<=[\\r\\n])(\\d{1,10})[ \\t]+(\\d{1,5})[ \\t]+obj\\b");
    private static final Pattern STARTXREF = Pattern.compile("startxref\\s+(\\d{1,12})");
    private static final Pattern XREF_TARGET = Pattern.compile("\\A\\s*(xref|\\d{1,10}\\s+\\d{1,5}\\s+obj)");

    private static String reference(String text) {
        int tail = Math.max(0, text.length() - 1024);
        Matcher m = STARTXREF.matcher(text);
        long offset = -1;
        if (m.find(tail)) {
            do {
                offset = Long.parseLong(m.group(1));
            } while (m.find());
        }
        if (offset < 0 || offset >= text.length()
                || !XREF_TARGET.matcher(text.substring((int) offset, (int) Math.min(text.length(), offset + 64))).find()) {
            return Problem.DAMAGED_PDF + ": The PDF's cross-reference (startxref) does not point at a cross-reference "
                    + "section: the file is damaged. Repair it (for example with qpdf) and send it again.";
        }
        return referenceDuplicates(text);
    }

    private static String referenceDuplicates(String text) {
        int start = 0;
        int revision = 1;
        while (start < text.length()) {
            int eof = text.indexOf("%%EOF", start);
            int end = eof < 0 ? text.length() : eof + 5;
            Set<String> seen = new HashSet<>();
            Matcher objects = OBJECT.matcher(text).region(start, end);
            while (objects.find()) {
                String key = Long.parseLong(objects.group(1)) + " " + Integer.parseInt(objects.group(2));
                if (!seen.add(key)) {
                    return Problem.DUPLICATE_OBJECTS + ": Object " + key + " is defined twice in revision " + revision
                            + ": different readers would see different documents.";
                }
            }
            start = end;
            revision++;
        }
        return null;
    }
}
