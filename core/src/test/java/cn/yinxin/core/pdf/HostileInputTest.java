package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.longterm.ValidationData;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.VerificationLimits;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pki.revocation.CrlMaker;
import cn.yinxin.core.pki.revocation.Revocation;
import cn.yinxin.core.pki.keys.SealKey;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents made to exhaust the verifier (issue 17, "bounded resources on hostile input"), each built from a
 * genuinely sealed PDF: every one is answered within seconds with the limit it breaks, never with an error, an
 * OutOfMemoryError or a verification that runs on.
 */
class HostileInputTest {

    private static TestMaterial material;
    private static byte[] sealed;
    private static byte[] crl;

    @BeforeAll
    static void seal() throws Exception {
        material = new TestMaterial();
        sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        assertThat(verifier().verify(sealed).verdict()).isEqualTo(Verdict.VALID);
        // a CA's CRL with 5,000 revoked certificates (about 150 KB): costly to parse, cheap to reference
        List<Revocation> revoked = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            revoked.add(new Revocation(BigInteger.valueOf(1_000_000L + i), Instant.now().minusSeconds(3600), 1));
        }
        crl = CrlMaker.make(new SealKey(material.caKey, List.of(material.ca, material.root)), BigInteger.ONE,
                Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(7)), revoked);
    }

    private static PdfVerifier verifier() {
        return new PdfVerifier(List.of(material.root));
    }

    @Test
    void thousandsOfStreamKeywordsAfterOneHeaderAreScannedInLinearTime() {
        // one object header, then 1.7 MB of "stream ... endstream": the raw scans once took 74 s on this (each
        // stream's dictionary was looked for from the header on, again and again)
        StringBuilder text = new StringBuilder("%PDF-1.7\n1 0 obj\n<< /Length 1 >>\n");
        while (text.length() < 1_700_000) {
            text.append("stream\nx\nendstream\n");
        }
        text.append("endobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n");
        byte[] pdf = text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        // the CPU time of this thread, not the wall clock: other builds on a shared machine must not fail it
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        try {
            assertThat(new PdfVerifier(List.of()).verify(pdf).verdict()).isNotEqualTo(Verdict.VALID);
        } catch (cn.yinxin.core.RejectedException refused) {
            assertThat(refused.getMessage()).contains("cannot be parsed"); // a clear refusal is as good
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(threads.getCurrentThreadCpuTime() - start)).isLessThan(5_000);
    }

    @Test
    void aFlateBombAfterTheSealIsAnsweredInSeconds() {
        byte[] bomb = HostileFiles.contentBomb(sealed, 2048); // about 2 MB, 2 GiB once inflated
        assertThat(bomb.length).isBetween(2_000_000, 3_000_000);

        VerificationReport report = timed(bomb, Duration.ofSeconds(5));

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("stream-bytes", "decodes to more than " + (32L << 20) + " bytes");
    }

    @Test
    void aCrossReferenceStreamBombIsStoppedBeforePdfBoxLoadsIt() {
        byte[] bomb = HostileFiles.crossReferenceBomb(sealed, 2048);

        VerificationReport report = timed(bomb, Duration.ofSeconds(5));

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("stream-bytes");
    }

    @Test
    void aContentBombPassedOffAsAnImageIsStillBounded() {
        // an image may decode to its declared raster (144 MB here), more than a content stream may: the page's
        // content is measured on its own before PDFBox would inflate it whole
        byte[] bomb = HostileFiles.contentBomb(sealed, 100, "/Subtype /Image /Width 6000 /Height 6000");

        VerificationReport report = timed(bomb, Duration.ofSeconds(5));

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("limit \"stream-bytes\"", "more than " + (32L << 20) + " bytes");
    }

    @Test
    void moreDistinctDssEntriesThanTheLimitAreIndeterminate() {
        VerificationReport report = timed(HostileFiles.distinctDssEntries(sealed, 1_001), Duration.ofSeconds(5));

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("limit \"dss-entries\"", "has 1001 distinct entries");
    }

    @Test
    void oneCrlReferencedTwoThousandTimesIsReadOnceAndFast() throws Exception {
        byte[] once = HostileFiles.dssAmplification(sealed, crl, 1);
        byte[] amplified = HostileFiles.dssAmplification(sealed, crl, 2_000);
        assertThat(amplified.length).isLessThan(200_000);

        Instant now = Instant.now();
        long start = System.nanoTime();
        VerificationReport report = verifier().verify(amplified, now);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        try (PDDocument document = PdfDocuments.open(amplified)) {
            assertThat(ValidationData.of(document).crls()).hasSize(1);
        }
        // the same answer as the document that lists the CRL once (at the same validation time)
        VerificationReport single = verifier().verify(once, now);
        assertThat(report.verdict()).isEqualTo(single.verdict());
        assertThat(report.signatures().getFirst().reasons()).isEqualTo(single.signatures().getFirst().reasons());
    }

    @Test
    void tenThousandFieldsAreBeyondTheLimit() {
        VerificationReport report = timed(HostileFiles.manyFields(sealed, 10_000), Duration.ofSeconds(5));

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("\"fields\"", "has 5001 form fields", "at most 5000");
    }

    @Test
    void tenThousandAnnotationsOnAPageAreBeyondTheLimit() {
        VerificationReport report = timed(HostileFiles.manyAnnotations(sealed, 10_000), Duration.ofSeconds(5));

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("\"annotations-per-page\"", "has 10001 annotations on page 1");
    }

    @Test
    void fiveHundredRevisionsAreBeyondTheLimit() {
        VerificationReport report = timed(HostileFiles.manyRevisions(sealed, 500), Duration.ofSeconds(5));

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("\"revisions\"", "has 502 revisions (incremental updates)");
    }

    /**
     * An object stream of 1.5 million empty arrays (a 7 MB upload): PDFBox would parse and keep them all when one is
     * asked for (an OutOfMemoryError within 256 MB before this limit); refused from the raw bytes, before parsing.
     * The same stream's /N hidden behind a reference counts by its size.
     */
    @Test
    void anObjectStreamDeclaringMillionsOfObjectsIsBeyondTheLimit() {
        VerificationReport report = timed(HostileFiles.objectStreamBomb(sealed, 1_500_000), Duration.ofSeconds(5));

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("\"objects\"", "objects in object and cross-reference streams and tables");
        byte[] hidden = new String(HostileFiles.objectStreamBomb(sealed, 400_000), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("/N 400000 ", "/N 9 0 R  ").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(timed(hidden, Duration.ofSeconds(5)).summary()).contains("\"objects\"");
    }

    /**
     * An update whose cross-reference table lists 950,000 objects in use (a 19 MB upload): an OutOfMemoryError
     * within 256 MB before the limit counted tables' lines; refused from the raw bytes.
     */
    @Test
    void aCrossReferenceTableOfAMillionEntriesIsBeyondTheLimit() {
        VerificationReport report = timed(HostileFiles.crossReferenceTableBomb(sealed, 950_000), Duration.ofSeconds(5));

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("\"objects\"", "950");
    }

    @Test
    void limitsAreConfigurable() {
        var tight = VerificationLimits.fromSettings(Map.of("YINXIN_VERIFY_MAX_REVISIONS", "1")::get);
        VerificationReport report = verifier().withLimits(tight).verify(sealed);

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("\"revisions\"");
        var small = VerificationLimits.DEFAULT.withStreamBytes(1L << 30, 1_000);
        assertThat(verifier().withLimits(small).verify(sealed).summary()).contains("limit \"decoded-bytes\"",
                "decode to more than 1000 bytes together");
        // the defaults leave a genuine sealed document alone
        assertThat(verifier().withLimits(VerificationLimits.fromSettings(name -> null)).verify(sealed).verdict())
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void aVerificationPastItsTimeAnswersIndeterminate() {
        // a clock that moves a second each time it is read: the time is up after a few steps of the verification
        Clock stepping = new Clock() {
            private Instant now = Instant.parse("2026-01-01T00:00:00Z");

            @Override
            public synchronized Instant instant() {
                now = now.plusSeconds(1);
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        VerificationReport report = verifier().withLimits(VerificationLimits.DEFAULT.withMaxTime(Duration.ofSeconds(5)),
                stepping).verify(sealed);

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("\"time\"", "took longer than this verifier allows (5 s)");
    }

    @Test
    void theTimeLimitStopsAnInflationMidway() {
        // with the byte limits lifted, only the time limit stands between the bomb (19 GB) and the worker
        byte[] bomb = HostileFiles.contentBomb(sealed, 19_000);
        var limits = VerificationLimits.DEFAULT.withStreamBytes(1L << 40, 1L << 41).withMaxTime(Duration.ofSeconds(1));

        long start = System.nanoTime();
        VerificationReport report = verifier().withLimits(limits).verify(bomb);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.summary()).contains("\"time\"");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    /**
     * Every crafted file, as large as the verifier's upload limit allows, verified in a JVM of its own with 256 MB
     * of heap: no OutOfMemoryError, each answered, each stopped by the limit it breaks but the one whose validation
     * data is merely repeated (verified as usual).
     */
    @Test
    void everyCraftedFileIsVerifiedWithin256MegabytesOfHeap(@TempDir Path folder) throws Exception {
        Map<String, byte[]> files = HostileFiles.all(sealed, crl, 20);
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
        files.clear();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(output).doesNotContain("OutOfMemoryError", "ERROR");
        assertThat(process.exitValue()).as(output).isZero();
        // each answered; every one but the repeated validation data stopped by a limit, named
        assertThat(output.lines().filter(line -> line.matches("^[a-z0-9-]+\\.pdf \\S+ .*"))).as(output).hasSize(10)
                .allSatisfy(line -> assertThat(line.contains(" INDETERMINATE ") && line.contains("(limit \""))
                        .as(line).isEqualTo(!line.startsWith("dss-2000-references")));
        System.out.println(output);
    }

    private static VerificationReport timed(byte[] pdf, Duration atMost) {
        long start = System.nanoTime();
        VerificationReport report = verifier().verify(pdf);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as(report.summary()).isLessThan(atMost);
        return report;
    }
}
