package cn.yinxin.bench;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.cms.HttpTimeStamper;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Seals the same one-page PDF with the same key (the sample agency seal, ECDSA P-256, PKCS#12) and the same
 * visible seal image, with Yinxin and with EU DSS, in the same JVM and the same run: at B-B, and at B-T with an
 * RFC 3161 TSA on loopback; on one thread and on two. Timed rounds alternate between the two so both see the same
 * machine noise; each output is verified before timing. Prints docs/s and ratios.
 *
 * <pre>java -jar bench/target/bench.jar [--rounds N] [--seconds S]</pre>
 */
public final class SealBenchmark {

    interface Sealer {
        byte[] seal(byte[] pdf) throws Exception;
    }

    record Scenario(String level, int threads, Supplier<Sealer> yinxin, Supplier<Sealer> dss, byte[] document,
                    String documentName) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(Runs.option(args, "--rounds", "3"));
        double seconds = Double.parseDouble(Runs.option(args, "--seconds", "3"));

        // the sample PKI's certificates point at a real OCSP responder on loopback, so the outputs verify online
        TestRevocationServer revocation = new TestRevocationServer();
        Path keystores = revocation.keystores();
        Path sealDir = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        Path p12 = sealDir.resolve("seal.p12");
        byte[] pdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        byte[] image = Files.readAllBytes(sealDir.resolve("seal.png"));
        SealKey key = SealKey.fromPkcs12(p12, SamplePki.PASSWORD.toCharArray());
        SealAppearance appearance = new SealAppearance(image, 42, 42);
        var verifier = new PdfVerifier(Pem.readFolder(keystores.resolve("trust")),
                new OnlineRevocationSource(Duration.ofSeconds(5)));

        try (revocation; TestTsa tsa = new TestTsa(new Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray())
                .get(CaHierarchy.TSA))) {
            Supplier<Sealer> oursB = () -> yinxin(new PdfSealer(), key, appearance, SignatureLevel.B_B);
            Supplier<Sealer> oursT = () -> yinxin(new PdfSealer(new HttpTimeStamper(URI.create(tsa.url()),
                    Duration.ofSeconds(5)), null), key, appearance, SignatureLevel.B_T);
            Supplier<Sealer> dssB = () -> dss(p12, image, null);
            Supplier<Sealer> dssT = () -> dss(p12, image, tsa.url());
            byte[] hundredPages = hundredPages();
            List<Scenario> scenarios = List.of(new Scenario("B-B", 1, oursB, dssB, pdf, "1 page"),
                    new Scenario("B-B", 2, oursB, dssB, pdf, "1 page"),
                    new Scenario("B-T", 1, oursT, dssT, pdf, "1 page"),
                    new Scenario("B-T", 2, oursT, dssT, pdf, "1 page"),
                    new Scenario("B-B", 1, oursB, dssB, hundredPages, "100 pages"));

            outputsVerify(scenarios, verifier, pdf);
            List<String> rows = measure(scenarios, rounds, seconds);
            System.out.println();
            System.out.println("The sample approval result (1 page) and a 100-page text file, 42 mm visible seal "
                    + "(600 px PNG), ECDSA P-256, "
                    + "median of " + rounds + " rounds of " + seconds + " s after a warm-up, Java " + Runtime.version()
                    + "; B-T with an RFC 3161 TSA over HTTP on loopback");
            System.out.println("| level | document | threads | Yinxin docs/s | EU DSS 6.3 docs/s | ratio |");
            System.out.println("|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
        }
    }

    /** Each sealer's output on one thread verifies before it is timed. */
    private static void outputsVerify(List<Scenario> scenarios, PdfVerifier verifier, byte[] pdf) throws Exception {
        for (Scenario s : scenarios.subList(0, 3).stream().filter(x -> x.threads() == 1).toList()) {
            for (Supplier<Sealer> sealer : List.of(s.yinxin(), s.dss())) {
                // offline, without revocation data, the best a sound B-B/B-T seal gets is TRY_LATER: the
                // benchmark checks the signature itself (intact, matching key, chain), not the CA's OCSP
                var report = verifier.verify(sealer.get().seal(pdf));
                Verdict verdict = report.verdict();
                boolean onlyRevocationUnknown = verdict == Verdict.INDETERMINATE && report.signatures().stream()
                        .allMatch(x -> x.subIndication() == SubIndication.TRY_LATER);
                if (verdict != Verdict.VALID && !onlyRevocationUnknown) {
                    throw new IllegalStateException(s.level() + ": a sealer's output does not verify: " + verdict);
                }
            }
        }
    }

    /** The median rate of each scenario after a warm-up, Yinxin and EU DSS alternating; the report's table rows. */
    private static List<String> measure(List<Scenario> scenarios, int rounds, double seconds) throws Exception {
        List<String> rows = new ArrayList<>();
        for (Scenario s : scenarios) {
            byte[] document = s.document();
            rate(s.yinxin(), s.threads(), document, seconds);
            rate(s.dss(), s.threads(), document, seconds);
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                ours.add(rate(s.yinxin(), s.threads(), document, seconds));
                theirs.add(rate(s.dss(), s.threads(), document, seconds));
            }
            double y = Runs.median(ours);
            double d = Runs.median(theirs);
            System.out.printf("%s, %s, %d thread(s): Yinxin %.1f docs/s, EU DSS %.1f docs/s%n", s.level(),
                    s.documentName(), s.threads(), y, d);
            rows.add(String.format("| %s | %s (%d bytes) | %d | %.1f | %.1f | %.1f |", s.level(), s.documentName(),
                    document.length, s.threads(), y, d, y / d));
        }
        return rows;
    }

    /** A 100-page text document: an approval file with its attachments. */
    private static byte[] hundredPages() throws IOException {
        try (var document = new PDDocument()) {
            var font = new PDType1Font(
                    Standard14Fonts.FontName.HELVETICA);
            for (int p = 1; p <= 100; p++) {
                var page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (var text = new PDPageContentStream(document, page)) {
                    text.beginText();
                    text.setFont(font, 10);
                    text.newLineAtOffset(60, 780);
                    for (int line = 1; line <= 60; line++) {
                        text.showText("Page " + p + ", line " + line + ": the attachment of an approval file, for sealing.");
                        text.newLineAtOffset(0, -12);
                    }
                    text.endText();
                }
            }
            var out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    private static Sealer yinxin(PdfSealer sealer, SealKey key, SealAppearance appearance, SignatureLevel level) {
        return input -> sealer.seal(input, new SealRequest(key, appearance, new SealPlacement(1, 150, 230),
                SamplePki.SEAL_NAME, null, Instant.now(), level));
    }

    private static Sealer dss(Path p12, byte[] image, String tsaUrl) {
        try {
            DssSealer sealer = new DssSealer(p12, SamplePki.PASSWORD, image, tsaUrl);
            return sealer::seal;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Documents per second over all threads; each thread has its own sealer. */
    static double rate(Supplier<Sealer> sealers, int threads, byte[] pdf, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Sealer sealer = sealers.get();
                counts.add(pool.submit(() -> {
                    int count = 0;
                    while (System.nanoTime() < end) {
                        if (sealer.seal(pdf).length == 0) {
                            throw new IllegalStateException("nothing was sealed");
                        }
                        count++;
                    }
                    return count;
                }));
            }
            int total = 0;
            for (Future<Integer> count : counts) {
                total += count.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }


}
