package cn.yinxin.core.pdf;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An eighth hostile read (2026-12-07): the verifier's own parsing (VerifyingParser, PdfTokens, FlateDecoding,
 * ContentTokens, DeclaredObjects) read against PDFBox's and other readers'. Each attack is built from a genuinely
 * sealed document.
 */
class RedTeamEighthTest {

    private static TestMaterial material;
    private static byte[] sealed;
    private static RedTeamFourth fixture;

    @BeforeAll
    static void seal() throws Exception {
        material = new TestMaterial();
        sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        assertThat(new PdfVerifier(List.of(material.root)).verify(sealed).verdict()).isEqualTo(Verdict.VALID);
        fixture = new RedTeamFourth();
    }

    // ---- values that cost PDFBox forty times their bytes ---------------------------------------------------------

    /**
     * One object added after the seal and named by the catalog (/Yx, housekeeping), holding 9 million empty arrays
     * (18 MB, within the 20 MiB upload limit); the same with 4.5 million floats ("1.5", PDFBox keeps each with its
     * text) and with 1.4 million names never seen before. No limit counted them: the declared-objects limit counts
     * objects, and this is one. PDFBox parses the object whole when the checks walk the catalog: an OutOfMemoryError
     * within 256 MB each (seen: "arrays-named.pdf ERROR java.lang.OutOfMemoryError: Java heap space"), the verifier's
     * worker dead. Now each parser reads at most {@code PdfTokens.MAX_VALUES} values: INDETERMINATE, limit "objects".
     */
    @Test
    void oneObjectOfMillionsOfSmallValuesIsAnswered(@TempDir Path folder) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("empty-arrays", RedTeamEighth.oneObject(sealed, RedTeamEighth.manyValues("[]", 9_000_000), true));
        files.put("floats", RedTeamEighth.oneObject(sealed, RedTeamEighth.manyValues("1.5 ", 4_500_000), true));
        files.put("new-names", RedTeamEighth.oneObject(sealed, RedTeamEighth.uniqueNames(1_400_000), true));
        String output = heapCheck(folder, files);

        System.out.println(output);
        assertThat(output).doesNotContain("OutOfMemoryError", "ERROR");
        assertThat(output.lines().filter(line -> line.matches("^[a-z-]+\\.pdf \\S+ .*"))).as(output).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains(" INDETERMINATE ", "(limit \"objects\")"));
    }

    /**
     * PDFBox keeps every name it reads in a static table for the life of the process (COSName's). An upload of
     * 150,000 names never seen before left them all there after the answer (some 20 MB of the verifier's heap, for
     * good; a few dozen such uploads, or one larger, and the verifier is out of memory for everyone). The verifier
     * empties that table after each verification.
     */
    @Test
    void namesReadInOneVerificationAreNotKeptForTheNext() throws Exception {
        byte[] forged = RedTeamEighth.oneObject(sealed, RedTeamEighth.uniqueNames(150_000), true);

        new PdfVerifier(List.of(material.root)).verify(forged);

        assertThat(RedTeamEighth.namesKeptByPdfBox()).doesNotContainKey("yx8n0").doesNotContainKey("yx8n149999");
    }

    // ---- a comment's appearance that PDFBox decodes to less than other readers ---------------------------------

    /**
     * Under DocMDP P=3 (comments allowed) a square comment over the approval line whose appearance paints a white box
     * and "REFUSED 1,000,000", its stream compressed twice and its /Filter [/FlateDecode /FlateDecode]. PDFBox's
     * drawing (Filter.decode, "Removed duplicated filter entries") inflates it once and draws nothing of the binary it
     * gets: the pictures saw no change, VALID, "a Square annotation was added" allowed. poppler applies both filters
     * (pdftoppm and pdftotext, seen: "REFUSED 1,000,000" where "Approval result" was). Now the raw checks refuse a
     * filter named twice; one named twice by reference (which they cannot follow) leaves the pictures unable to tell.
     */
    @Test
    void aCommentUnderCertificationP3WhoseAppearanceIsCompressedTwiceButNamesOneFilterTwice() throws Exception {
        byte[] certified = fixture.certified("p3-twice", TestMaterial.onePagePdf(0), 3);
        byte[] ink = HostileFiles.Appender.text(RedTeamEighth.FORGED_INK);
        byte[] twice = HostileFiles.deflate(HostileFiles.deflate(ink));

        byte[] direct = RedTeamEighth.comment(certified, "/Filter [/FlateDecode /FlateDecode]", twice);
        assertThatThrownBy(() -> fixture.verifier.verify(direct)).isInstanceOfSatisfying(RejectedException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.DAMAGED_PDF)).hasMessageContaining("twice");
        byte[] abbreviated = RedTeamEighth.comment(certified, "/Filter [/Fl /FlateDecode]", twice);
        assertThatThrownBy(() -> fixture.verifier.verify(abbreviated)).isInstanceOf(RejectedException.class);
        // a dictionary padded past the raw checks' 64 KB window (they found none and skipped the stream), or one
        // they cannot read (a reference split by a comment)
        byte[] padded = RedTeamEighth.comment(certified, "/Pad (" + " ".repeat(70_000) + ") "
                + "/Filter [/FlateDecode /FlateDecode]", twice);
        assertThatThrownBy(() -> fixture.verifier.verify(padded)).isInstanceOf(RejectedException.class)
                .hasMessageContaining("no dictionary");
        byte[] unreadable = RedTeamEighth.comment(certified, "/Filter [/FlateDecode /FlateDecode] /X 9 0 %\nR",
                twice);
        assertThatThrownBy(() -> fixture.verifier.verify(unreadable)).isInstanceOf(RejectedException.class);
        byte[] byReference = RedTeamEighth.comment(certified, "/Filter {F}", twice, "[/FlateDecode /FlateDecode]");
        assertThat(fixture.verifier.verify(byReference).verdict()).isEqualTo(Verdict.INDETERMINATE);
        // the same comment compressed once as it says is drawn and judged: it hides the approval line
        assertThat(fixture.verifier.verify(RedTeamEighth.comment(certified, "/Filter /FlateDecode",
                HostileFiles.deflate(ink))).verdict()).isEqualTo(Verdict.INVALID);
    }

    /**
     * The same comment with its ink in FlateDecode data damaged after a good stretch
     * ({@link RedTeamEighth#flateCutShortForPdfBox}): PDFBox's decoder keeps of the last good inflation only what
     * fits the rest of IOUtils.copy's current 4,096-byte read, 2,053 spaces, and loses the ink; poppler keeps all of
     * it ("Bad block header in flate stream", then "REFUSED 1,000,000" drawn over the approval line, seen). VALID
     * before; the verifier's own decoder (FlateDecoding, PDFBox's replayed) now says when it cut a stream short, and
     * the document is refused as damaged, also with the /Filter given by reference.
     */
    @Test
    void aCommentUnderCertificationP3WhoseInkPdfBoxCutsShortOfTheDamage() throws Exception {
        byte[] certified = fixture.certified("p3-cut", TestMaterial.onePagePdf(0), 3);
        byte[] data = RedTeamEighth.flateCutShortForPdfBox(HostileFiles.Appender.text(RedTeamEighth.FORGED_INK));

        byte[] forged = RedTeamEighth.comment(certified, "/Filter /FlateDecode", data);
        assertThatThrownBy(() -> fixture.verifier.verify(forged)).isInstanceOfSatisfying(RejectedException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.DAMAGED_PDF)).hasMessageContaining("FlateDecode");
        byte[] byReference = RedTeamEighth.comment(certified, "/Filter {F}", data, "/FlateDecode");
        assertThatThrownBy(() -> fixture.verifier.verify(byReference)).isInstanceOf(RejectedException.class);
    }

    // ---- a cross-reference stream of rows of no bytes --------------------------------------------------------------

    /**
     * A revision of 200 bytes after the seal whose cross-reference stream has /W [0 0 0] (rows of no bytes), one byte
     * of data and /Size 50,000,000 (or /Index [1 50000000]): DeclaredObjects counted its rows as decoded bytes / row
     * width, 1; PDFBox's parser reads rows of nothing until the data end, which it never reaches, one map entry per
     * object number: an OutOfMemoryError within 256 MB (seen: "xref-empty-rows.pdf ERROR java.lang.OutOfMemoryError").
     * Now such rows count by the numbers /Index or /Size names: INDETERMINATE, limit "objects".
     */
    @Test
    void aCrossReferenceStreamOfRowsOfNoBytesIsBeyondTheLimit(@TempDir Path folder) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("xref-empty-rows-size", RedTeamEighth.crossReferenceStreamOfEmptyRows(sealed, 50_000_000, ""));
        files.put("xref-empty-rows-index", RedTeamEighth.crossReferenceStreamOfEmptyRows(sealed, 5,
                "/Index [1 50000000] "));
        String output = heapCheck(folder, files);
        System.out.println(output);

        assertThat(output).doesNotContain("OutOfMemoryError", "ERROR");
        assertThat(output.lines().filter(line -> line.matches("^[a-z-]+\\.pdf \\S+ .*"))).as(output).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains(" INDETERMINATE ", "the document has 500000", "(limit \"objects\")"));
    }

    /**
     * A cross-reference table of 1,900,000 rows "15 0 0 n" (PDFBOX-474's corrupt rows, which PDFBox keeps as entries
     * in use) or "15\u000b0\u000bn" (a vertical tab is white space to PDFBox's split): DeclaredObjects counted only rows of
     * exactly "offset generation n" separated by spaces or tabs, 0 here. PDFBox kept an entry for each.
     */
    @Test
    void aCrossReferenceTableOfRowsTheCountDidNotRecogniseIsBeyondTheLimit(@TempDir Path folder) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("xref-rows-four-parts", RedTeamEighth.crossReferenceTable(sealed, 1_900_000, "15 0 0 n\n"));
        files.put("xref-rows-vertical-tab", RedTeamEighth.crossReferenceTable(sealed, 1_900_000, "15\u000b0\u000bn\n"));
        String output = heapCheck(folder, files);
        System.out.println(output);

        assertThat(output).doesNotContain("OutOfMemoryError", "ERROR");
        assertThat(output.lines().filter(line -> line.matches("^[a-z-]+\\.pdf \\S+ .*"))).as(output).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains(" INDETERMINATE ", "(limit \"objects\")"));
    }

    // ---- object headers --------------------------------------------------------------------------------------------

    /**
     * An update after the seal whose one note object is followed by 1.3 million lines "N 0 obj" (distinct numbers,
     * 18 MB): the change analysis wrote a finding of ~500 bytes for each header its cross-reference does not list (an
     * OutOfMemoryError within 256 MB, seen in CrossReferenceRule.unlisted), and RevisionLayout kept a String per
     * header; with the startxref broken PDFBox rebuilds the file keeping an entry per header. Now headers count
     * against the objects limit (INDETERMINATE, limit "objects"), and a revision reports 20 unlisted objects and
     * counts the rest.
     */
    @Test
    void aMillionObjectHeadersAfterTheSealAreBeyondTheLimit(@TempDir Path folder) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("headers", RedTeamEighth.manyObjectHeaders(sealed, 1_300_000, false));
        files.put("headers-rebuilt", RedTeamEighth.manyObjectHeaders(sealed, 1_300_000, true));
        String output = heapCheck(folder, files);
        System.out.println(output);

        assertThat(output).doesNotContain("OutOfMemoryError", "ERROR");
        assertThat(output.lines().filter(line -> line.matches("^[a-z-]+\\.pdf \\S+ .*"))).as(output).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains(" INDETERMINATE ", "object headers", "(limit \"objects\")"));
        // within the limit every unlisted header still makes the revision's cross-reference a finding, 20 of them named
        var report = new PdfVerifier(List.of(material.root)).verify(RedTeamEighth.manyObjectHeaders(sealed, 5_000, false));
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().changesAfterSigning()).hasSizeLessThan(40)
                .anySatisfy(change -> assertThat(change.description()).contains("4980 more objects are defined"));
    }

    /**
     * The same comment whose appearance stream says "q Q" up to its first "endstream", its /Length reaching past that
     * over the ink written after the object's "endobj". PDFBox (and pdf.js) end the stream at the first "endstream":
     * nothing drawn, VALID under P=3. poppler reads /Length bytes ("Missing 'endstream' or incorrect stream length",
     * then "REFUSED 1,000,000" drawn over the approval line, seen with pdftoppm). Now a /Length after which no
     * "endstream" follows refuses the document as damaged.
     */
    @Test
    void aCommentUnderCertificationP3WhoseStreamLengthReachesPastItsEndstream() throws Exception {
        byte[] certified = fixture.certified("p3-length", TestMaterial.onePagePdf(0), 3);
        byte[] forged = RedTeamEighth.commentWithLongLength(certified, RedTeamEighth.FORGED_INK);

        assertThatThrownBy(() -> fixture.verifier.verify(forged)).isInstanceOfSatisfying(RejectedException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.DAMAGED_PDF)).hasMessageContaining("/Length");
    }

    static String heapCheck(Path folder, Map<String, byte[]> files) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HostileHeapCheck.class.getName()));
        Path root = folder.resolve("root.der");
        Files.write(root, material.root.getEncoded());
        command.add(root.toString());
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            assertThat(file.getValue().length).as(file.getKey()).isLessThan(20 * 1024 * 1024);
            Path path = folder.resolve(file.getKey() + ".pdf");
            Files.write(path, file.getValue());
            command.add(path.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
