package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.pdf.Dss;
import cn.yinxin.core.pdf.LongTermMaterial;
import cn.yinxin.core.pdf.MemoryMode;
import cn.yinxin.core.pdf.PdfLimits;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sealing from file to file: through temporary files (bounded heap) and in memory, with the same outcome. */
class PdfSealerFilesTest {

    private static TestMaterial material;
    private static LongTermMaterial pki;
    private final PdfSealer sealer = new PdfSealer();

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        material = new TestMaterial();
        pki = new LongTermMaterial();
    }

    @Test
    void aFileSealedThroughTemporaryFilesIsPadesBaselineBForEuDss() throws Exception {
        byte[] pdf = TestMaterial.onePagePdf(0);
        Path input = write("approval.pdf", pdf);
        Path output = dir.resolve("approval-sealed.pdf");

        PdfSealer.SealedFile sealed = sealer.stampAll(input, output, List.of(material.request(1, 150, 240)),
                MemoryMode.TEMP_FILES);

        assertThat(sealed.mode()).isEqualTo(MemoryMode.TEMP_FILES);
        assertThat(sealed.pdf()).isEqualTo(output);
        assertThat(sealed.placements()).singleElement().satisfies(p -> assertThat(p.page()).isEqualTo(1));
        byte[] out = Files.readAllBytes(output);
        assertThat(sealed.size()).isEqualTo(out.length);
        assertThat(Arrays.copyOf(out, pdf.length)).isEqualTo(pdf);
        assertThat(Files.readAllBytes(input)).isEqualTo(pdf);
        // offline and without revocation data DSS cannot pass the chain (INDETERMINATE), as in seal-service's tests
        assertThat(Dss.validate(out, material.root)).singleElement().satisfies(v -> {
            assertThat(v.level()).isEqualTo("PAdES_BASELINE_B");
            assertThat(v.soundWithoutRevocation()).as(v.toString()).isTrue();
        });
        assertThat(new PdfVerifier(List.of(material.root)).verify(out).verdict()).isEqualTo(Verdict.VALID);
        // the revisions and PDFBox's scratch file are gone
        assertThat(filesIn(dir)).containsExactlyInAnyOrder("approval.pdf", "approval-sealed.pdf");
    }

    @Test
    void filesAndMemoryGiveTheSameDocumentButForSignatureValuesAndIds() throws Exception {
        byte[] pdf = TestMaterial.onePagePdf(90);
        Path input = write("in.pdf", pdf);
        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<SealRequest> requests = List.of(
                new SealRequest(material.sealKey, material.request(1, 0, 0).appearance(), new SealPlacement(1, 50, 80),
                        "测试专用章", "approval", time),
                new SealRequest(material.sealKey, material.request(1, 0, 0).appearance(),
                        SealPlacement.atText(0, "Approval result"), "测试专用章", null, time));

        // the sealer learns the room its values need from its first one (ContentsRoom): learnt before the three
        sealer.stampAll(pdf, requests);
        sealer.stampAll(input, dir.resolve("files.pdf"), requests, MemoryMode.TEMP_FILES);
        sealer.stampAll(input, dir.resolve("memory.pdf"), requests, MemoryMode.IN_MEMORY);
        byte[] files = Files.readAllBytes(dir.resolve("files.pdf"));
        byte[] memory = Files.readAllBytes(dir.resolve("memory.pdf"));
        byte[] bytes = sealer.stampAll(pdf, requests).pdf();

        // same objects at the same offsets, same byte ranges: only the hex strings (signature values, the
        // trailer's /ID made from the clock) may differ
        assertThat(files).hasSameSizeAs(memory).hasSameSizeAs(bytes);
        assertThat(withoutHexStrings(files)).isEqualTo(withoutHexStrings(memory)).isEqualTo(withoutHexStrings(bytes));
        assertThat(byteRanges(files)).hasSize(2).isEqualTo(byteRanges(memory));
        assertThat(Dss.validate(files, material.root)).hasSize(2)
                .allSatisfy(v -> assertThat(v.soundWithoutRevocation()).as(v.toString()).isTrue());
    }

    @Test
    void levelLtaThroughTemporaryFilesIsJudgedSoByEuDss() throws Exception {
        PdfSealer longTerm = new PdfSealer(pki.timeStamper(), pki.revocation());
        Path input = write("in.pdf", TestMaterial.onePagePdf(0));
        Path output = dir.resolve("out.pdf");
        var appearance = material.request(1, 0, 0).appearance();
        List<SealRequest> requests = List.of(
                new SealRequest(pki.sealKey, appearance, new SealPlacement(1, 60, 240), "测试专用章", null, Instant.now(),
                        SignatureLevel.B_LTA),
                new SealRequest(pki.sealKey, appearance, new SealPlacement(1, 150, 240), "测试专用章", null, Instant.now(),
                        SignatureLevel.B_LTA));

        longTerm.stampAll(input, output, requests, MemoryMode.TEMP_FILES);

        byte[] out = Files.readAllBytes(output);
        assertThat(Dss.validate(out, pki.root)).as("offline: the document carries all it needs").hasSize(2)
                .allSatisfy(v -> {
                    assertThat(v.level()).isEqualTo("PAdES_BASELINE_LTA");
                    assertThat(v.indication()).as(v.toString()).isEqualTo("TOTAL_PASSED");
                });
        var ours = new PdfVerifier(List.of(pki.root)).verify(out);
        assertThat(ours.verdict()).as(ours.toString()).isEqualTo(Verdict.VALID);
        assertThat(ours.signatures()).hasSize(3);
        assertThat(ours.signatures().get(2).format()).contains("document time-stamp");
        assertThat(filesIn(dir)).containsExactlyInAnyOrder("in.pdf", "out.pdf");
    }

    @ParameterizedTest
    @EnumSource(MemoryMode.class)
    void anObjectDefinedTwiceIsRefusedFromFilesAsFromBytes(MemoryMode mode) throws Exception {
        String text = new String(TestMaterial.onePagePdf(0), StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\n1 0 obj") + 1;
        String object = text.substring(start, text.indexOf("endobj", start) + "endobj".length());
        int tail = text.lastIndexOf("\nstartxref");
        byte[] doubled = (text.substring(0, tail + 1) + object + "\n" + text.substring(tail + 1))
                .getBytes(StandardCharsets.ISO_8859_1);

        assertRefusedAlike(doubled, mode, Problem.DUPLICATE_OBJECTS);
    }

    @ParameterizedTest
    @EnumSource(MemoryMode.class)
    void aDamagedStartxrefIsRefusedFromFilesAsFromBytes(MemoryMode mode) throws Exception {
        String text = new String(TestMaterial.onePagePdf(0), StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("startxref") + "startxref".length();
        byte[] broken = (text.substring(0, at) + text.substring(at).replaceFirst("\\d+", "17"))
                .getBytes(StandardCharsets.ISO_8859_1);

        assertRefusedAlike(broken, mode, Problem.DAMAGED_PDF);
    }

    @ParameterizedTest
    @EnumSource(MemoryMode.class)
    void aRefusalAfterTheFirstRevisionLeavesNoFileBehind(MemoryMode mode) throws Exception {
        Path input = write("in.pdf", TestMaterial.onePagePdf(0));
        // the first seal is written to a revision file; the second is refused
        List<SealRequest> requests = List.of(material.request(1, 50, 50), material.request(2, 50, 50));

        assertThatThrownBy(() -> sealer.stampAll(input, dir.resolve("out.pdf"), requests, mode))
                .isInstanceOf(RejectedException.class)
                .extracting(e -> ((RejectedException) e).problem()).isEqualTo(Problem.PAGE_OUT_OF_RANGE);
        assertThat(filesIn(dir)).containsExactly("in.pdf");
    }

    @Test
    void aFailedTimeStampLeavesNoFileBehindAndAnEarlierOutputUntouched() throws Exception {
        PdfSealer down = new PdfSealer(data -> {
            throw new GeneralSecurityException("the TSA at http://localhost:1/tsa cannot be reached");
        }, null);
        Path input = write("in.pdf", TestMaterial.onePagePdf(0));
        Path output = write("out.pdf", "an earlier output".getBytes(StandardCharsets.US_ASCII));
        var request = new SealRequest(material.sealKey, material.request(1, 0, 0).appearance(),
                new SealPlacement(1, 50, 50), "x", null, Instant.now(), SignatureLevel.B_T);

        assertThatThrownBy(() -> down.stampAll(input, output, List.of(request), MemoryMode.TEMP_FILES))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("TSA");
        assertThat(filesIn(dir)).containsExactlyInAnyOrder("in.pdf", "out.pdf");
        assertThat(Files.readString(output)).isEqualTo("an earlier output");
    }

    @Test
    void theLimitsChooseTheModeByTheDocumentsSize() throws Exception {
        Path input = write("in.pdf", TestMaterial.onePagePdf(0));
        long size = Files.size(input);
        assertThat(PdfLimits.DEFAULT.memoryModeFor(size)).isEqualTo(MemoryMode.IN_MEMORY);
        assertThat(PdfLimits.DEFAULT.memoryModeFor(PdfLimits.DEFAULT_IN_MEMORY_MAX_BYTES + 1)).isEqualTo(MemoryMode.TEMP_FILES);

        var small = sealer.stampAll(input, dir.resolve("a.pdf"), List.of(material.request(1, 50, 50)));
        var streamed = new PdfSealer(null, null, PdfLimits.DEFAULT.withInMemoryMaxBytes(size - 1))
                .stampAll(input, dir.resolve("b.pdf"), List.of(material.request(1, 50, 50)));

        assertThat(small.mode()).isEqualTo(MemoryMode.IN_MEMORY);
        assertThat(streamed.mode()).isEqualTo(MemoryMode.TEMP_FILES);
        assertThat(filesIn(dir)).containsExactlyInAnyOrder("in.pdf", "a.pdf", "b.pdf");
    }

    @Test
    void aLargerDocumentOfManyPagesIsSealedOnItsLastPage() throws Exception {
        byte[] pdf;
        try (PDDocument document = new PDDocument()) {
            for (int i = 0; i < 40; i++) {
                document.addPage(new PDPage(PDRectangle.A4));
            }
            pdf = TestMaterial.save(document);
        }
        Path input = write("in.pdf", pdf);
        sealer.stampAll(input, dir.resolve("out.pdf"), List.of(material.request(40, 100, 100)), MemoryMode.TEMP_FILES);
        assertThat(Dss.validate(Files.readAllBytes(dir.resolve("out.pdf")), material.root)).singleElement()
                .satisfies(v -> assertThat(v.soundWithoutRevocation()).as(v.toString()).isTrue());
    }

    /** The file mode refuses as the byte API does (same problem, same message) and leaves only the input. */
    private void assertRefusedAlike(byte[] pdf, MemoryMode mode, Problem problem) throws IOException {
        RejectedException fromBytes = catchRejection(() -> sealer.seal(pdf, material.request(1, 50, 50)));
        Path input = write("in.pdf", pdf);
        RejectedException fromFiles = catchRejection(() -> sealer.stampAll(input, dir.resolve("out.pdf"),
                List.of(material.request(1, 50, 50)), mode));

        assertThat(fromBytes.problem()).isEqualTo(problem);
        assertThat(fromFiles.problem()).isEqualTo(problem);
        assertThat(fromFiles.getMessage()).isEqualTo(fromBytes.getMessage());
        assertThat(filesIn(dir)).containsExactly("in.pdf");
    }

    private interface Sealing {
        void run() throws Exception;
    }

    private static RejectedException catchRejection(Sealing sealing) {
        try {
            sealing.run();
        } catch (RejectedException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("refused with " + e, e);
        }
        throw new AssertionError("not refused");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Every hex string {@code <...>} blanked to as many '#': what differs between two sealings of one input. */
    private static String withoutHexStrings(byte[] pdf) {
        return java.util.regex.Pattern.compile("<([0-9A-Fa-f]+)>").matcher(new String(pdf, StandardCharsets.ISO_8859_1))
                .replaceAll(m -> "<" + "#".repeat(m.group(1).length()) + ">");
    }

    private static List<String> byteRanges(byte[] pdf) {
        return java.util.regex.Pattern.compile("/ByteRange ?\\[[^]]*]")
                .matcher(new String(pdf, StandardCharsets.ISO_8859_1)).results().map(r -> r.group()).toList();
    }
}
