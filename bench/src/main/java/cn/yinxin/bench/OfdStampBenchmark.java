package cn.yinxin.bench;

import cn.yinxin.core.ofd.OfdWriter;
import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.cms.HttpTimeStamper;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * OFD stamping next to PDF stamping, in one run: the same one-page content (the sample approval result, as a PDF and
 * as an OFD written by OfdWriter with the same lines), the same SM2 seal key and GB/T 38540 SESeal (42 mm, the sample
 * seal's PNG), sealed in process by core's {@link OfdSealer} and by {@link PdfSealer} in national mode (PAdES
 * SM3withSM2 + the SES_Signature), at B-B and at B-T (an RFC 3161 TSA over HTTP on loopback: one call per OFD seal,
 * two per national PDF seal). Rounds alternate between the two; each output verifies VALID first. Besides
 * documents/s, the worker threads' CPU time per document (ThreadMXBean), which the shared machine's load disturbs
 * less than wall time.
 *
 * <pre>./yinxin bench ofd [--rounds N] [--seconds S]</pre>
 */
public final class OfdStampBenchmark {

    private OfdStampBenchmark() {
    }

    private record Measured(double perSecond, double cpuMsPerDocument) {
    }

    private record Case(SignatureLevel level, int threads) {
    }

    private record Contender(String name, byte[] input, Function<SignatureLevel, SealBenchmark.Sealer> sealer) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(Runs.option(args, "--rounds", "3"));
        double seconds = Double.parseDouble(Runs.option(args, "--seconds", "3"));

        TestRevocationServer revocation = new TestRevocationServer();
        Path keystores = revocation.keystores();
        byte[] pdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        byte[] ofd = approvalResultOfd();
        byte[] image = Files.readAllBytes(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.png"));
        var vault = new Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray());
        CaHierarchy hierarchy = revocation.hierarchy();
        var pointers = KeyCeremony.pointers(revocation.url(), revocation.url() + "/ocsp", CaHierarchy.SEAL_CA);
        SealKey sm2 = sm2Key(hierarchy, pointers);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SESeal seseal = new SealMaker(vault.get(CaHierarchy.SEAL_MAKER), "YINXIN").make(new SealMaker.SealSpec(
                "bench-seal", SealMaker.TYPE_ORGANISATION, SamplePki.SEAL_NAME, image, 42, 42,
                List.of(sm2.certificate()), now.minusSeconds(300), now.plus(Duration.ofDays(29))), now);
        SealAppearance appearance = new SealAppearance(image, 42, 42);
        var pdfVerifier = new PdfVerifier(Pem.readFolder(keystores.resolve("trust")),
                new OnlineRevocationSource(Duration.ofSeconds(5)));
        var ofdVerifier = new OfdVerifier(Pem.readFolder(keystores.resolve("trust")),
                Pem.readFolder(keystores.resolve("ca")), new OnlineRevocationSource(Duration.ofSeconds(5)));

        try (revocation; TestTsa tsa = new TestTsa(vault.get(CaHierarchy.TSA))) {
            URI tsaUrl = URI.create(tsa.url());
            List<Contender> contenders = List.of(
                    new Contender("PDF national (PdfSealer: PAdES SM3withSM2 + GB/T 38540)", pdf, level -> {
                        PdfSealer sealer = level == SignatureLevel.B_B ? new PdfSealer()
                                : new PdfSealer(new HttpTimeStamper(tsaUrl, Duration.ofSeconds(5)), null);
                        return input -> sealer.seal(input, new SealRequest(sm2, appearance, new SealPlacement(1, 150, 230),
                                SamplePki.SEAL_NAME, null, Instant.now(), level).withNationalSeal(seseal));
                    }),
                    new Contender("OFD (OfdSealer: GB/T 38540)", ofd, level -> {
                        OfdSealer sealer = new OfdSealer(level == SignatureLevel.B_B ? null
                                : new HttpTimeStamper(tsaUrl, Duration.ofSeconds(5)));
                        return input -> sealer.seal(input, new OfdSealRequest(seseal, sm2, new SealPlacement(1, 150, 230),
                                Instant.now()));
                    }));

            outputsVerify(contenders, pdfVerifier, ofdVerifier, pdf, ofd);

            List<String> rows = measureAll(contenders, rounds, seconds);
            System.out.println();
            System.out.println("The sample approval result, 1 page (PDF " + pdf.length + " bytes; OFD " + ofd.length
                    + " bytes, the same lines written by OfdWriter with a subset font), the same SM2 key and SESeal (42 mm, "
                    + image.length + " bytes PNG), in memory; median of " + rounds + " rounds of " + seconds
                    + " s after a warm-up; Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                    + " CPUs; B-T with an RFC 3161 TSA over HTTP on loopback");
            System.out.println("| level | threads | sealer | docs/s | vs PDF | CPU ms/doc | vs PDF |");
            System.out.println("|---|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
        }
    }

    /** A fresh SM2 seal key with a certificate of the sample seal CA. */
    private static SealKey sm2Key(CaHierarchy hierarchy, CertificateMaker.RevocationPointers pointers) throws Exception {
        KeyPair pair = KeyAlgorithm.SM2.generate(Providers.bouncyCastle());
        X509Certificate certificate = CertificateMaker.issue(CertificateMaker.sealSubject(SamplePki.SEAL_NAME,
                        "示例市行政审批服务局", SamplePki.AGENCY_CODE), pair.getPublic(), CertificateMaker.Profile.AGENCY_SEAL,
                hierarchy.sealCa(), Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300), Duration.ofDays(30),
                pointers);
        List<X509Certificate> chain = new ArrayList<>(List.of(certificate));
        chain.addAll(hierarchy.sealCa().chain());
        return new SealKey(pair.getPrivate(), chain);
    }

    /** Both sealers' outputs verify at each level before they are timed. */
    private static void outputsVerify(List<Contender> contenders, PdfVerifier pdfVerifier, OfdVerifier ofdVerifier,
                                      byte[] pdf, byte[] ofd) throws Exception {
        for (SignatureLevel level : List.of(SignatureLevel.B_B, SignatureLevel.B_T)) {
            var pdfReport = pdfVerifier.verify(contenders.get(0).sealer().apply(level).seal(pdf));
            var ofdReport = ofdVerifier.withSealStatus(id -> "ACTIVE")
                    .verify(contenders.get(1).sealer().apply(level).seal(ofd));
            if (pdfReport.verdict() != Verdict.VALID || ofdReport.verdict() != Verdict.VALID) {
                throw new IllegalStateException(level.label() + " does not verify: PDF " + pdfReport.verdict() + " "
                        + pdfReport.signatures().get(0).reasons() + ", OFD " + ofdReport.verdict() + " "
                        + ofdReport.signatures());
            }
        }
    }

    /** The median rate and CPU time of each contender per level and thread count, PDF the yardstick; the table rows. */
    private static List<String> measureAll(List<Contender> contenders, int rounds, double seconds) throws Exception {
        List<String> rows = new ArrayList<>();
        for (Case c : List.of(new Case(SignatureLevel.B_B, 1), new Case(SignatureLevel.B_B, 2),
                new Case(SignatureLevel.B_T, 1))) {
            Map<String, List<Measured>> measured = new LinkedHashMap<>();
            for (Contender contender : contenders) {
                measure(contender, c.level(), c.threads(), Math.min(seconds, 2)); // warm-up
                measured.put(contender.name(), new ArrayList<>());
            }
            for (int round = 1; round <= rounds; round++) {
                for (Contender contender : contenders) {
                    measured.get(contender.name()).add(measure(contender, c.level(), c.threads(), seconds));
                }
            }
            double pdfRate = Runs.median(measured.get(contenders.get(0).name()).stream().map(Measured::perSecond).toList());
            double pdfCpu = Runs.median(measured.get(contenders.get(0).name()).stream().map(Measured::cpuMsPerDocument).toList());
            for (var entry : measured.entrySet()) {
                double rate = Runs.median(entry.getValue().stream().map(Measured::perSecond).toList());
                double cpu = Runs.median(entry.getValue().stream().map(Measured::cpuMsPerDocument).toList());
                System.out.printf("%s, %d thread(s), %s: %.1f docs/s, %.1f ms CPU/doc%n", c.level().label(),
                        c.threads(), entry.getKey(), rate, cpu);
                rows.add(String.format("| %s | %d | %s | %.1f | %.2f | %.1f | %.2f |",
                        c.level().label().replace("PAdES-BASELINE-", "B-"), c.threads(), entry.getKey(), rate,
                        rate / pdfRate, cpu, cpu / pdfCpu));
            }
        }
        return rows;
    }

    /** Documents per second over {@code seconds}, and the worker threads' CPU time per document. */
    private static Measured measure(Contender contender, SignatureLevel level, int threads, double seconds)
            throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SealBenchmark.Sealer sealer = contender.sealer().apply(level);
                results.add(pool.submit(() -> {
                    long cpuStart = cpu.getCurrentThreadCpuTime();
                    long count = 0;
                    while (System.nanoTime() < end) {
                        if (sealer.seal(contender.input()).length == 0) {
                            throw new IllegalStateException("nothing was sealed");
                        }
                        count++;
                    }
                    return new long[] {count, cpu.getCurrentThreadCpuTime() - cpuStart};
                }));
            }
            long documents = 0;
            long cpuNanos = 0;
            for (Future<long[]> result : results) {
                documents += result.get()[0];
                cpuNanos += result.get()[1];
            }
            return new Measured(documents / ((System.nanoTime() - start) / 1e9),
                    documents == 0 ? Double.NaN : cpuNanos / 1e6 / documents);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The sample approval result (keystores-sample SampleDocument) as an OFD: A4, the same lines at the same places
     * (the PDF's 18 pt title and 12 pt lines 22 pt apart, 1 inch from the left, converted to mm from the top).
     */
    static byte[] approvalResultOfd() throws IOException {
        double pt = 25.4 / 72;
        OfdWriter writer = new OfdWriter().title("Administrative Approval Decision (sample)")
                .created(LocalDate.of(2026, 11, 23));
        var page = writer.page(210, 297);
        double x = 72 * pt;
        double y = (842 - 760) * pt;
        page.text(x, y, 18 * pt, "Administrative Approval Decision (sample)");
        String[] lines = {
            "Decision no.: SAMPLE-2026-000123",
            "Applicant: Sample Trading Co., Ltd.",
            "Matter: Food business licence, new issue",
            "Decision: approved.",
            "",
            "Issuing authority: Sample City Administrative Approval Bureau",
            "Date: 2026-11-23",
        };
        for (String line : lines) {
            y += 22 * pt;
            if (!line.isEmpty()) {
                page.text(x, y, 12 * pt, line);
            }
        }
        return writer.write();
    }
}
