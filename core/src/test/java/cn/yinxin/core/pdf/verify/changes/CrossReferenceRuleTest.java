package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.DecodeBudget;
import cn.yinxin.core.pdf.verify.LimitExceededException;
import cn.yinxin.core.pdf.verify.VerificationLimits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link CrossReferenceRule} on small files written byte by byte: a signed first revision (a classic table, or a
 * cross-reference stream with an object stream) and one update after it, honest or not.
 */
class CrossReferenceRuleTest {

    /** A file being written: its text (ISO-8859-1, so binary data fits) and where each object starts. */
    static final class Pdf {
        final StringBuilder text = new StringBuilder();
        final java.util.Map<String, Long> at = new java.util.HashMap<>();

        Pdf(String start) {
            text.append(start);
        }

        Pdf obj(long number, int generation, String body) {
            at.put(number + " " + generation, (long) text.length());
            text.append(number).append(' ').append(generation).append(" obj\n").append(body).append("\nendobj\n");
            return this;
        }

        long offset(long number, int generation) {
            return at.get(number + " " + generation);
        }

        long length() {
            return text.length();
        }

        /** A classic table of the given subsection lines, its trailer and %%EOF. */
        Pdf table(String subsections, String trailer) {
            long xref = length();
            text.append("xref\n").append(subsections).append("trailer\n<< ").append(trailer).append(" >>\nstartxref\n")
                    .append(xref).append("\n%%EOF\n");
            return this;
        }

        byte[] bytes() {
            return text.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        String latin1() {
            return text.toString();
        }
    }

    static String entry(long offset, int generation, char type) {
        return String.format("%010d %05d %c\r\n", offset, generation, type);
    }

    /** The signed revision, with a classic table: catalog 1, pages 2, page 3, its content 4. */
    static Pdf classic() {
        Pdf pdf = new Pdf("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n")
                .obj(1, 0, "<< /Type /Catalog /Pages 2 0 R >>")
                .obj(2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
                .obj(3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>")
                .obj(4, 0, "<< /Length 12 >>\nstream\nBT (a) Tj ET\nendstream");
        StringBuilder rows = new StringBuilder("0 5\n").append(entry(0, 65535, 'f'));
        for (int n = 1; n <= 4; n++) {
            rows.append(entry(pdf.offset(n, 0), 0, 'n'));
        }
        return pdf.table(rows.toString(), "/Size 5 /Root 1 0 R");
    }

    static long startxref(Pdf pdf) {
        String text = pdf.latin1();
        int at = text.lastIndexOf("startxref\n") + "startxref\n".length();
        return Long.parseLong(text.substring(at, text.indexOf('\n', at)));
    }

    /** Each revision's [start, end), as the %%EOF markers divide the file. */
    static List<long[]> revisions(byte[] pdf) {
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        List<long[]> revisions = new ArrayList<>();
        long start = 0;
        int at = 0;
        while ((at = text.indexOf("%%EOF\n", at)) >= 0) {
            at += "%%EOF\n".length();
            revisions.add(new long[]{start, at});
            start = at;
        }
        return revisions;
    }

    static List<Finding> check(Pdf pdf) {
        byte[] bytes = pdf.bytes();
        return new CrossReferenceRule(bytes, revisions(bytes), DecodeBudget.defaults()).check(1, Map.of());
    }

    static List<String> descriptions(List<Finding> findings) {
        assertThat(findings).allSatisfy(finding -> {
            assertThat(finding.kind()).isEqualTo(CrossReferenceRule.KIND);
            assertThat(finding.level()).isEqualTo(ModificationLevel.OTHER);
            assertThat(finding.revision()).isEqualTo(2);
        });
        return findings.stream().map(Finding::description).toList();
    }

    // ---- classic tables ------------------------------------------------------------------------------------------

    @Test
    void anHonestUpdateRedefiningAndAddingObjectsIsNoFinding() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        pdf.obj(4, 0, "<< /Length 12 >>\nstream\nBT (b) Tj ET\nendstream").obj(5, 0, "<< /Producer (x) >>");
        pdf.table("0 1\n" + entry(0, 65535, 'f') + "4 2\n" + entry(pdf.offset(4, 0), 0, 'n')
                + entry(pdf.offset(5, 0), 0, 'n'), "/Size 6 /Root 1 0 R /Info 5 0 R /Prev " + prev);

        assertThat(check(pdf)).isEmpty();
    }

    @Test
    void anObjectRedefinedUnderAnotherGeneration() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        pdf.obj(4, 1, "<< /Length 12 >>\nstream\nBT (b) Tj ET\nendstream");
        pdf.table("4 1\n" + entry(pdf.offset(4, 1), 1, 'n'), "/Size 5 /Root 1 0 R /Prev " + prev);

        assertThat(descriptions(check(pdf))).singleElement().asString()
                .contains("object 4 is listed under generation 1").contains("revision 2").contains("generation 0");
    }

    @Test
    void anObjectInUseMarkedFree() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        pdf.table("4 1\n" + entry(0, 1, 'f'), "/Size 5 /Root 1 0 R /Prev " + prev);

        assertThat(descriptions(check(pdf))).singleElement().asString().contains("object 4, in use when signed")
                .contains("marked free");
    }

    @Test
    void freeingANumberTheSignedRevisionDoesNotUseIsNoFinding() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        pdf.table("0 1\n" + entry(0, 65535, 'f') + "9 1\n" + entry(0, 1, 'f'), "/Size 10 /Root 1 0 R /Prev " + prev);

        assertThat(check(pdf)).isEmpty();
    }

    @Test
    void aPrevThatIsNotTheSignedRevisionsCrossReference() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        pdf.obj(5, 0, "<< /Producer (x) >>");
        pdf.table("5 1\n" + entry(pdf.offset(5, 0), 0, 'n'), "/Size 6 /Root 1 0 R /Prev " + (prev + 2));

        assertThat(descriptions(check(pdf))).singleElement().asString().contains("/Prev at byte " + (prev + 2))
                .contains("(byte " + prev + ")");
    }

    @Test
    void noPrevAtAll() {
        Pdf pdf = classic();
        pdf.obj(5, 0, "<< /Producer (x) >>");
        pdf.table("5 1\n" + entry(pdf.offset(5, 0), 0, 'n'), "/Size 6 /Root 1 0 R");

        assertThat(descriptions(check(pdf))).singleElement().asString().contains("/Prev at nothing");
    }

    @Test
    void anObjectInTheBodyTheCrossReferenceDoesNotList() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        // on one line after another object's end, where a scanning reader still finds it
        pdf.obj(5, 0, "<< /Producer (x) >>");
        pdf.text.setLength(pdf.text.length() - 1);
        pdf.text.append(" 4 0 obj\n<< /Length 12 >>\nstream\nBT (b) Tj ET\nendstream\nendobj\n");
        pdf.table("5 1\n" + entry(pdf.offset(5, 0), 0, 'n'), "/Size 6 /Root 1 0 R /Prev " + prev);

        assertThat(descriptions(check(pdf))).singleElement().asString().contains("object 4 0 is defined at byte")
                .contains("does not list it");
    }

    @Test
    void objectHeadersInsideStreamDataAreNotObjects() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        String data = "\n4 0 obj\n(x)\n";
        pdf.obj(5, 0, "<< /Length " + data.length() + " >>\nstream\n" + data + "\nendstream");
        pdf.table("5 1\n" + entry(pdf.offset(5, 0), 0, 'n'), "/Size 6 /Root 1 0 R /Prev " + prev);

        assertThat(check(pdf)).isEmpty();
    }

    @Test
    void anEntryPointingWhereItsObjectIsNotDefined() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        pdf.obj(5, 0, "<< /Producer (x) >>");
        // object 4 pointed at object 5's definition
        pdf.table("4 2\n" + entry(pdf.offset(5, 0), 0, 'n') + entry(pdf.offset(5, 0), 0, 'n'),
                "/Size 6 /Root 1 0 R /Prev " + prev);

        assertThat(descriptions(check(pdf))).singleElement().asString().contains("points object 4 0 at byte");
    }

    @Test
    void aTableThatCannotBeReadAsWritten() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        pdf.obj(5, 0, "<< /Producer (x) >>");
        // the subsection claims two entries and gives one
        pdf.table("5 2\n" + entry(pdf.offset(5, 0), 0, 'n'), "/Size 7 /Root 1 0 R /Prev " + prev);

        assertThat(descriptions(check(pdf))).singleElement().asString().contains("cannot be read as written");
    }

    @Test
    void aStartxrefOutsideTheRevision() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        pdf.obj(4, 0, "<< /Length 12 >>\nstream\nBT (b) Tj ET\nendstream");
        pdf.text.append("startxref\n").append(prev).append("\n%%EOF\n");

        assertThat(descriptions(check(pdf))).singleElement().asString().contains("outside its own bytes");
    }

    // ---- cross-reference streams ---------------------------------------------------------------------------------

    /** One row of a cross-reference stream: object number, type, field 2, field 3. */
    record Row(long number, int type, long field2, long field3) {
    }

    /** A cross-reference stream object (/W [1 4 2], Flate with the PNG Up predictor), startxref and %%EOF. */
    static Pdf xrefStream(Pdf pdf, long number, List<Row> rows, String extra) {
        long at = pdf.length();
        StringBuilder index = new StringBuilder();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] previous = new byte[7];
        for (Row row : rows) {
            index.append(row.number()).append(" 1 ");
            byte[] fields = java.nio.ByteBuffer.allocate(7).put((byte) row.type()).putInt((int) row.field2())
                    .putShort((short) row.field3()).array();
            data.write(2);
            for (int i = 0; i < 7; i++) {
                data.write(fields[i] - previous[i]);
            }
            previous = fields;
        }
        Deflater deflater = new Deflater();
        deflater.setInput(data.toByteArray());
        deflater.finish();
        byte[] buffer = new byte[4096];
        int length = deflater.deflate(buffer);
        deflater.end();
        String compressed = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        pdf.obj(number, 0, "<< /Type /XRef /Size " + (number + 1) + " /Index [" + index + "] /W [1 4 2] /Filter "
                + "/FlateDecode /DecodeParms << /Columns 7 /Predictor 12 >> /Length " + length + " " + extra
                + " >>\nstream\n" + compressed + "\nendstream");
        pdf.text.append("startxref\n").append(at).append("\n%%EOF\n");
        return pdf;
    }

    /**
     * The signed revision with a cross-reference stream (object 8): catalog 1, pages 2, page 3, content 4, and the
     * page's resources 5 and font 6 compressed in object stream 7 (5 at index 0, 6 at index 1).
     */
    static Pdf compressed() {
        String five = "<< /Font << /F1 6 0 R >> >>";
        String six = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
        String header = "5 0 6 " + (five.length() + 1) + " ";
        Pdf pdf = new Pdf("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n")
                .obj(1, 0, "<< /Type /Catalog /Pages 2 0 R >>")
                .obj(2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
                .obj(3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 5 0 R /Contents 4 0 R >>")
                .obj(4, 0, "<< /Length 18 >>\nstream\nBT /F1 9 Tf (a) Tj ET\nendstream");
        String objects = header + five + " " + six;
        pdf.obj(7, 0, "<< /Type /ObjStm /N 2 /First " + header.length() + " /Length " + objects.length()
                + " >>\nstream\n" + objects + "\nendstream");
        List<Row> rows = new ArrayList<>(List.of(new Row(0, 0, 0, 65535)));
        for (int n = 1; n <= 4; n++) {
            rows.add(new Row(n, 1, pdf.offset(n, 0), 0));
        }
        rows.add(new Row(5, 2, 7, 0));
        rows.add(new Row(6, 2, 7, 1));
        rows.add(new Row(7, 1, pdf.offset(7, 0), 0));
        return xrefStream(pdf, 8, rows, "/Root 1 0 R");
    }

    @Test
    void anHonestUpdateByCrossReferenceStreamIsNoFinding() {
        Pdf pdf = compressed();
        long prev = startxref(pdf);
        pdf.obj(4, 0, "<< /Length 18 >>\nstream\nBT /F1 9 Tf (b) Tj ET\nendstream");
        // re-listing an entry exactly as signed is no change
        xrefStream(pdf, 9, List.of(new Row(4, 1, pdf.offset(4, 0), 0), new Row(6, 2, 7, 1)),
                "/Root 1 0 R /Prev " + prev);

        assertThat(check(pdf)).isEmpty();
    }

    @Test
    void anObjectStreamIndexChanged() {
        Pdf pdf = compressed();
        long prev = startxref(pdf);
        xrefStream(pdf, 9, List.of(new Row(5, 2, 7, 1), new Row(6, 2, 7, 0)), "/Root 1 0 R /Prev " + prev);

        assertThat(descriptions(check(pdf))).hasSize(2).first().asString()
                .contains("reads object 5 from index 1 of object stream 7")
                .contains("the signed revision: index 0 of object stream 7");
    }

    @Test
    void aNewObjectReadFromAnObjectStreamSignedBefore() {
        Pdf pdf = compressed();
        long prev = startxref(pdf);
        xrefStream(pdf, 9, List.of(new Row(10, 2, 7, 1)), "/Root 1 0 R /Prev " + prev);

        assertThat(descriptions(check(pdf))).singleElement().asString()
                .contains("reads object 10 from index 1 of object stream 7");
    }

    @Test
    void aNewObjectStreamOfTheUpdateIsItsOwn() {
        Pdf pdf = compressed();
        long prev = startxref(pdf);
        String objects = "10 0 << /Producer (x) >>";
        pdf.obj(11, 0, "<< /Type /ObjStm /N 1 /First 5 /Length " + objects.length() + " >>\nstream\n" + objects
                + "\nendstream");
        xrefStream(pdf, 12, List.of(new Row(10, 2, 11, 0), new Row(11, 1, pdf.offset(11, 0), 0)),
                "/Root 1 0 R /Info 10 0 R /Prev " + prev);

        assertThat(check(pdf)).isEmpty();
    }

    @Test
    void aGenerationChangedAndAnObjectFreedInACrossReferenceStream() {
        Pdf pdf = compressed();
        long prev = startxref(pdf);
        pdf.obj(4, 1, "<< /Length 18 >>\nstream\nBT /F1 9 Tf (b) Tj ET\nendstream");
        xrefStream(pdf, 9, List.of(new Row(3, 0, 0, 1), new Row(4, 1, pdf.offset(4, 1), 1)),
                "/Root 1 0 R /Prev " + prev);

        assertThat(descriptions(check(pdf))).hasSize(2).anySatisfy(d -> assertThat(d).contains("object 3, in use"))
                .anySatisfy(d -> assertThat(d).contains("object 4 is listed under generation 1"));
    }

    @Test
    void aCrossReferenceStreamThatCannotBeReadAsWritten() {
        Pdf pdf = compressed();
        long prev = startxref(pdf);
        long at = pdf.length();
        pdf.obj(9, 0, "<< /Type /XRef /Size 10 /W [1 4 2] /Filter /LZWDecode /Length 1 /Prev " + prev
                + " >>\nstream\nx\nendstream");
        pdf.text.append("startxref\n").append(at).append("\n%%EOF\n");

        assertThat(descriptions(check(pdf))).singleElement().asString().contains("cannot be read as written")
                .contains("/LZWDecode");
    }

    @Test
    void aCompressionBombStopsAtTheStreamLimit() {
        Pdf pdf = compressed();
        long prev = startxref(pdf);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(new byte[4 * 1024 * 1024]);
        deflater.finish();
        byte[] buffer = new byte[64 * 1024];
        int length = deflater.deflate(buffer);
        deflater.end();
        long at = pdf.length();
        pdf.obj(9, 0, "<< /Type /XRef /Size 10 /Index [4 1] /W [1 4 2] /Filter /FlateDecode /Length " + length
                + " /Prev " + prev + " >>\nstream\n" + new String(buffer, 0, length, StandardCharsets.ISO_8859_1)
                + "\nendstream");
        pdf.text.append("startxref\n").append(at).append("\n%%EOF\n");
        byte[] bytes = pdf.bytes();

        DecodeBudget budget = new DecodeBudget(VerificationLimits.DEFAULT.withStreamBytes(1024 * 1024, 8 * 1024 * 1024),
                java.time.Clock.systemUTC());
        assertThatThrownBy(() -> new CrossReferenceRule(bytes, revisions(bytes), budget).check(1, Map.of()))
                .isInstanceOf(LimitExceededException.class);
    }

    // ---- hybrid files --------------------------------------------------------------------------------------------

    @Test
    void aHybridUpdateIsJudgedByItsXRefStmToo() {
        Pdf pdf = classic();
        long prev = startxref(pdf);
        pdf.obj(4, 1, "<< /Length 12 >>\nstream\nBT (b) Tj ET\nendstream");
        long stream = pdf.length();
        // the stream's own startxref and %%EOF are not written: only the table's
        Pdf hybrid = xrefStream(pdf, 5, List.of(new Row(4, 1, pdf.offset(4, 1), 1)), "");
        String text = hybrid.latin1();
        hybrid.text.setLength(text.lastIndexOf("startxref\n"));
        hybrid.table("0 1\n" + entry(0, 65535, 'f'), "/Size 6 /Root 1 0 R /Prev " + prev + " /XRefStm " + stream);

        assertThat(descriptions(check(hybrid))).singleElement().asString()
                .contains("object 4 is listed under generation 1");
    }

    /**
     * A signed hybrid revision: its table marks the compressed objects 5 and 6 free (for readers without
     * cross-reference streams), its /XRefStm lists them in object stream 7.
     */
    static Pdf hybridSigned() {
        Pdf pdf = compressed();
        String text = pdf.latin1();
        pdf.text.setLength(text.lastIndexOf("8 0 obj"));
        long stream = pdf.length();
        xrefStream(pdf, 8, List.of(new Row(5, 2, 7, 0), new Row(6, 2, 7, 1)), "");
        pdf.text.setLength(pdf.latin1().lastIndexOf("startxref\n"));
        StringBuilder rows = new StringBuilder("0 9\n").append(entry(0, 65535, 'f'));
        for (int n = 1; n <= 8; n++) {
            rows.append(n == 5 || n == 6 ? entry(0, 1, 'f') : n == 8 ? entry(stream, 0, 'n')
                    : entry(pdf.offset(n, 0), 0, 'n'));
        }
        return pdf.table(rows.toString(), "/Size 9 /Root 1 0 R /XRefStm " + stream);
    }

    @Test
    void theSignedRevisionsXRefStmCountsOverItsTablesFreeEntries() {
        Pdf pdf = hybridSigned();
        long prev = startxref(pdf);
        xrefStream(pdf, 9, List.of(new Row(5, 2, 7, 1), new Row(6, 2, 7, 1)), "/Root 1 0 R /Prev " + prev);

        // 6 re-listed as the /XRefStm said; 5 moved to 6's place
        assertThat(descriptions(check(pdf))).singleElement().asString()
                .contains("reads object 5 from index 1 of object stream 7")
                .contains("the signed revision: index 0 of object stream 7");
    }
}
