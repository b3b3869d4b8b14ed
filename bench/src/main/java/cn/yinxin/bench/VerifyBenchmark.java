package cn.yinxin.bench;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.cms.HttpTimeStamper;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import com.sun.management.OperatingSystemMXBean;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.policy.ValidationPolicy;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.pades.validation.PDFDocumentValidator;
import eu.europa.esig.dss.pdf.modifications.DefaultPdfDifferencesFinder;
import eu.europa.esig.dss.pdf.pdfbox.PdfBoxDefaultObjectFactory;
import eu.europa.esig.dss.service.crl.OnlineCRLSource;
import eu.europa.esig.dss.service.ocsp.OnlineOCSPSource;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.policy.ValidationPolicyLoader;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Verification throughput, against references measured in the same run.
 *
 * <p>PDF: the same sealed PDF (the sample approval result, sealed with the sample agency seal, ECDSA P-256) is
 * validated by Yinxin's {@link PdfVerifier} and by EU DSS's {@link SignedDocumentValidator} (default policy,
 * trusting the same root), in alternating timed rounds, on one thread and on two (each thread its own
 * validator). Two fair settings, each doing the same revocation work on both sides:
 * <ul>
 *   <li>PAdES-BASELINE-LT, offline: both use only the OCSP responses the document carries (its DSS dictionary);
 *   no network at all.</li>
 *   <li>PAdES-BASELINE-B, online: both ask the OCSP responder named in the certificates, a real one on loopback
 *   ({@link TestRevocationServer}, which signs every answer), for the seal and its CA.</li>
 * </ul>
 * Before timing, both must say TOTAL_PASSED (and ours VALID) for the document, and every timed validation must
 * pass. DSS runs as a user runs it for a verdict (a new validator per document, its default policy, the simple
 * report; the ETSI XML validation report switched off), and once more tuned (the policy loaded once, no visual
 * comparison of revisions). Reported: documents per second (wall clock) and the CPU time each validation took on
 * its thread, which stays comparable when other processes load the machine.
 *
 * <p>QR: the raw ES256 verification rate ({@code java.security.Signature}, SHA256withPLAIN-ECDSA with Bouncy Castle,
 * the check {@link QrVerifier} makes and the fastest in this JVM; the JDK's SunEC is measured beside it, the sample
 * seal's key) and {@link QrVerifier#verify} of a document code signed
 * by the same key, in-process, on one thread and two; then, when wrk is on the PATH, HTTP on loopback loaded by wrk
 * with {@code bench/wrk/verify-qr.lua}: always a bare stand-in (Vert.x listeners on epoll, one per core,
 * {@code POST /api/v1/verify/qr}, {@code QrVerifier} on the event loop, a small JSON verdict: the least an HTTP
 * endpoint here pays), and with {@code --qr-url} the real verifier in the same rounds (see docs/benchmarks.md).
 *
 * <pre>java -cp bench/target/bench.jar cn.yinxin.bench.VerifyBenchmark [--rounds N] [--seconds S] [--only pdf|qr|visual]
 *     [--document "100 pages, one seal" (visual: only the rows whose name contains it)]
 *     [--write-documents DIR (visual: the sealed documents and roots.pem)] [--warm-up-factor F]
 *     [--wrk-script bench/wrk/verify-qr.lua] [--wrk-seconds S] [--wrk-threads T] [--wrk-connections C] [--wrk-warm-up S]
 * java -cp bench/target/bench.jar cn.yinxin.bench.VerifyBenchmark --only qr --qr-url http://127.0.0.1:8080
 *     --keystores var/keystores [--server-pid PID]   (wrk against a running verifier that trusts those key
 *                                                     stores' seal; PID: its process, for its CPU time)
 * java -cp bench/target/bench.jar cn.yinxin.bench.VerifyBenchmark --write-qr-code FILE [--keystores var/keystores]</pre>
 */
public final class VerifyBenchmark {

    /** One validator: what it says about the document's (first) signature. */
    interface Validator {
        String indication(byte[] pdf) throws Exception;
    }

    record Scenario(String name, int threads, Supplier<Validator> yinxin, Supplier<Validator> dss, byte[] document) {
    }

    /** Scales the least number of operations of each warm-up round (0: time only, for a quick check). */
    private static double warmUpFactor = 1;

    static long warmUp(long operations) {
        return (long) (operations * warmUpFactor);
    }

    public static void main(String[] args) throws Exception {
        String qrOut = Runs.option(args, "--write-qr-code", null);
        if (qrOut != null) {
            QrVerifyBenchmark.writeQrCode(Path.of(Runs.option(args, "--keystores", "var/keystores")), Path.of(qrOut));
            return;
        }
        int rounds = Integer.parseInt(Runs.option(args, "--rounds", "3"));
        double seconds = Double.parseDouble(Runs.option(args, "--seconds", "3"));
        String only = Runs.option(args, "--only", "all");
        warmUpFactor = Double.parseDouble(Runs.option(args, "--warm-up-factor", "1"));
        List<String> summary = new ArrayList<>();
        System.out.println("Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " processors; load average at start: " + loadAverage());
        if (only.equals("visual")) {
            // PDF verification with the visual proof, 1 and 100 pages, against EU DSS (VisualVerifyBenchmark)
            summary.addAll(VisualVerifyBenchmark.run(rounds, seconds, Runs.option(args, "--document", ""),
                    Runs.option(args, "--write-documents", null) == null ? null
                            : Path.of(Runs.option(args, "--write-documents", null))));
        }
        if (!only.equals("qr") && !only.equals("visual")) {
            summary.addAll(pdf(rounds, seconds));
        }
        if (!only.equals("pdf") && !only.equals("visual")) {
            summary.addAll(QrVerifyBenchmark.qr(rounds, seconds, Runs.option(args, "--wrk-script", "bench/wrk/verify-qr.lua"),
                    Integer.parseInt(Runs.option(args, "--wrk-seconds", "10")),
                    Integer.parseInt(Runs.option(args, "--wrk-threads", "2")),
                    Integer.parseInt(Runs.option(args, "--wrk-connections", "16")),
                    Integer.parseInt(Runs.option(args, "--wrk-warm-up", "5")), Runs.option(args, "--qr-url", null),
                    Runs.option(args, "--keystores", null), Runs.option(args, "--server-pid", null)));
        }
        System.out.println();
        System.out.println("Load average at the end: " + loadAverage());
        summary.forEach(System.out::println);
    }

    // --- PDF ---------------------------------------------------------------------------------------------------

    private static List<String> pdf(int rounds, double seconds) throws Exception {
        try (TestRevocationServer revocation = new TestRevocationServer();
             TestTsa tsa = new TestTsa(revocation.hierarchy().tsa())) {
            Path keystores = revocation.keystores();
            Path sealDir = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
            SealKey key = SealKey.fromPkcs12(sealDir.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
            byte[] pdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
            SealAppearance appearance = new SealAppearance(Files.readAllBytes(sealDir.resolve("seal.png")), 42, 42);
            List<X509Certificate> roots = Pem.readFolder(keystores.resolve("trust"));
            X509Certificate root = revocation.hierarchy().root().certificate();

            byte[] longTerm = new PdfSealer(new HttpTimeStamper(URI.create(tsa.url()), Duration.ofSeconds(5)),
                    new OnlineRevocationSource(Duration.ofSeconds(5))).seal(pdf, request(key, appearance, SignatureLevel.B_LT));
            byte[] basic = new PdfSealer().seal(pdf, request(key, appearance, SignatureLevel.B_B));

            Supplier<Validator> oursOffline = () -> yinxin(new PdfVerifier(roots));
            Supplier<Validator> oursOnline = () -> yinxin(new PdfVerifier(roots,
                    new OnlineRevocationSource(Duration.ofSeconds(5))));
            Supplier<Validator> dssOffline = () -> dss(root, false);
            Supplier<Validator> dssOnline = () -> dss(root, true);
            Supplier<Validator> dssTunedOffline = () -> dssTuned(root, false);
            Supplier<Validator> dssTunedOnline = () -> dssTuned(root, true);

            // the same verdict first: our report, then DSS's format and indication
            check("B-LT offline", new PdfVerifier(roots).verify(longTerm), "PAdES-BASELINE-LT", longTerm, root, false,
                    "PAdES_BASELINE_LT");
            check("B-B online", new PdfVerifier(roots, new OnlineRevocationSource(Duration.ofSeconds(5))).verify(basic),
                    "PAdES-BASELINE-B", basic, root, true, "PAdES_BASELINE_B");

            List<Scenario> scenarios = List.of(
                    new Scenario("B-LT, offline (embedded OCSP)", 1, oursOffline, dssOffline, longTerm),
                    new Scenario("B-LT, offline (embedded OCSP)", 2, oursOffline, dssOffline, longTerm),
                    new Scenario("B-B, online OCSP on loopback", 1, oursOnline, dssOnline, basic),
                    new Scenario("B-B, online OCSP on loopback", 2, oursOnline, dssOnline, basic),
                    // DSS at its fastest: its default policy loaded once, and without its visual comparison of
                    // revisions (it renders the pages of the revision before the signature and of the last one)
                    new Scenario("B-LT, offline; DSS tuned", 1, oursOffline, dssTunedOffline, longTerm),
                    new Scenario("B-B, online OCSP on loopback; DSS tuned", 1, oursOnline, dssTunedOnline, basic));
            List<String> rows = measureScenarios(scenarios, rounds, seconds);
            List<String> table = new ArrayList<>();
            table.add("");
            table.add("PDF verification: the sample approval result sealed with the sample agency seal (ECDSA P-256), "
                    + "both validators say TOTAL_PASSED; median of " + rounds + " rounds of " + seconds
                    + " s after a warm-up round");
            table.add("| document, revocation | size | threads | Yinxin docs/s | EU DSS 6.3 docs/s | ratio "
                    + "| Yinxin CPU ms/doc | EU DSS CPU ms/doc | CPU ratio |");
            table.add("|---|---|---|---|---|---|---|---|---|");
            table.addAll(rows);
            return table;
        }
    }

    /** Yinxin and EU DSS on each scenario in alternating rounds after a warm-up; the table rows. */
    private static List<String> measureScenarios(List<Scenario> scenarios, int rounds, double seconds) throws Exception {
        List<String> rows = new ArrayList<>();
        for (Scenario s : scenarios) {
            Supplier<Operation> ours = validating(s.yinxin(), s.document());
            Supplier<Operation> theirs = validating(s.dss(), s.document());
            measure(ours, s.threads(), seconds, warmUp(300)); // warm-up: at least so many documents
            measure(theirs, s.threads(), seconds, warmUp(30));
            List<Measured> y = new ArrayList<>();
            List<Measured> d = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                y.add(measure(ours, s.threads(), seconds, 0));
                d.add(measure(theirs, s.threads(), seconds, 0));
            }
            double yRate = Runs.median(y.stream().map(Measured::perSecond).toList());
            double dRate = Runs.median(d.stream().map(Measured::perSecond).toList());
            double yCpu = Runs.median(y.stream().map(Measured::cpuMillis).toList());
            double dCpu = Runs.median(d.stream().map(Measured::cpuMillis).toList());
            System.out.printf("%s, %d thread(s): Yinxin %.1f docs/s %s, %.2f CPU ms/doc; EU DSS %.1f docs/s %s, "
                    + "%.2f CPU ms/doc%n", s.name(), s.threads(), yRate, rates(y), yCpu, dRate, rates(d), dCpu);
            rows.add(String.format("| %s | %d bytes | %d | %.1f | %.1f | **%.1f** | %.2f | %.1f | %.1f |", s.name(),
                    s.document().length, s.threads(), yRate, dRate, yRate / dRate, yCpu, dCpu, dCpu / yCpu));
        }
        return rows;
    }

    private static SealRequest request(SealKey key, SealAppearance appearance, SignatureLevel level) {
        return new SealRequest(key, appearance, new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null,
                Instant.now(), level);
    }

    private static void check(String name, VerificationReport ours, String format, byte[] document,
                              X509Certificate root, boolean online, String dssFormat) throws Exception {
        var signature = ours.signatures().get(0);
        if (ours.verdict() != Verdict.VALID || !signature.indication().name().equals("TOTAL_PASSED")
                || !signature.format().equals(format)) {
            throw new IllegalStateException(name + ": Yinxin does not say VALID / " + format + ": " + ours);
        }
        SimpleReport dss = dssReport(document, verifier(root, online));
        String id = dss.getFirstSignatureId();
        if (!"TOTAL_PASSED".equals(String.valueOf(dss.getIndication(id)))
                || dss.getSignatureFormat(id) == null || !dssFormat.equals(dss.getSignatureFormat(id).name())) {
            throw new IllegalStateException(name + ": EU DSS says " + dss.getSignatureFormat(id) + " "
                    + dss.getIndication(id) + " / " + dss.getSubIndication(id));
        }
        System.out.println(name + ": Yinxin " + ours.verdict() + " (" + format + "), EU DSS "
                + dss.getIndication(id) + " (" + dss.getSignatureFormat(id) + ")");
    }

    private static Validator yinxin(PdfVerifier verifier) {
        return document -> {
            VerificationReport report = verifier.verify(document);
            return report.verdict() == Verdict.VALID ? "TOTAL_PASSED" : report.verdict().name();
        };
    }

    /** DSS as a user would run it for a verdict: a new validator per document, the default policy. */
    private static Validator dss(X509Certificate root, boolean online) {
        CommonCertificateVerifier verifier = verifier(root, online);
        return document -> {
            SimpleReport report = dssReport(document, verifier);
            return String.valueOf(report.getIndication(report.getFirstSignatureId()));
        };
    }

    /**
     * DSS tuned for throughput: the default policy loaded once (not parsed again for every document) and without
     * its visual comparison of revisions (page rendering: {@code
     * DefaultPdfDifferencesFinder.setMaximalPagesAmountForVisualComparison(0)}; it still compares the objects).
     */
    private static Validator dssTuned(X509Certificate root, boolean online) {
        CommonCertificateVerifier verifier = verifier(root, online);
        ValidationPolicy policy = ValidationPolicyLoader.fromDefaultValidationPolicy().create();
        DefaultPdfDifferencesFinder finder = new DefaultPdfDifferencesFinder();
        finder.setMaximalPagesAmountForVisualComparison(0);
        PdfBoxDefaultObjectFactory factory = new PdfBoxDefaultObjectFactory();
        factory.setPdfDifferencesFinder(finder);
        return document -> {
            PDFDocumentValidator validator = new PDFDocumentValidator(new InMemoryDocument(document));
            validator.setPdfObjFactory(factory);
            validator.setCertificateVerifier(verifier);
            validator.setEnableEtsiValidationReport(false);
            SimpleReport report = validator.validateDocument(policy).getSimpleReport();
            return String.valueOf(report.getIndication(report.getFirstSignatureId()));
        };
    }

    private static SimpleReport dssReport(byte[] document, CommonCertificateVerifier verifier) {
        SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(document));
        validator.setCertificateVerifier(verifier);
        // only the verdict is needed: skip the ETSI TS 119 102-2 XML report, DSS's fastest setting
        validator.setEnableEtsiValidationReport(false);
        return validator.validateDocument().getSimpleReport();
    }

    private static CommonCertificateVerifier verifier(X509Certificate root, boolean online) {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setAIASource(null);
        verifier.setOcspSource(online ? new OnlineOCSPSource() : null);
        verifier.setCrlSource(online ? new OnlineCRLSource() : null);
        CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
        trusted.addCertificate(new CertificateToken(root));
        verifier.setTrustedCertSources(trusted);
        return verifier;
    }

    /** Validating the document, each thread with its own validator; every answer must pass. */
    private static Supplier<Operation> validating(Supplier<Validator> validators, byte[] pdf) {
        return () -> {
            Validator validator = validators.get();
            return () -> {
                String indication = validator.indication(pdf);
                if (!indication.equals("TOTAL_PASSED")) {
                    throw new IllegalStateException("a validation did not pass: " + indication);
                }
            };
        };
    }

    // --- shared with QrVerifyBenchmark -------------------------------------------------------------------------

    /** One timed operation (a validation, a signature check, a code's verification). */
    interface Operation {
        void run() throws Exception;
    }

    /** Operations per second over all threads, and the CPU time each took (the threads' own CPU time). */
    record Measured(double perSecond, double cpuMillis) {
    }

    /**
     * Runs the operation on {@code threads} threads (each its own) for {@code seconds}, and at least
     * {@code minimum} times in all (a warm-up for the JIT on a busy machine).
     */
    static Measured measure(Supplier<Operation> operations, int threads, double seconds, long minimum)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long each = (minimum + threads - 1) / threads;
            List<Future<long[]>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Operation operation = operations.get();
                counts.add(pool.submit(() -> {
                    long cpuStart = cpu.getCurrentThreadCpuTime();
                    long count = 0;
                    while (System.nanoTime() < end || count < each) {
                        operation.run();
                        count++;
                    }
                    return new long[] {count, cpu.getCurrentThreadCpuTime() - cpuStart};
                }));
            }
            long total = 0;
            long cpuNanos = 0;
            for (Future<long[]> count : counts) {
                total += count.get()[0];
                cpuNanos += count.get()[1];
            }
            return new Measured(total / ((System.nanoTime() - start) / 1e9), cpuNanos / 1e6 / total);
        } finally {
            pool.shutdownNow();
        }
    }

    static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static String rates(List<Measured> values) {
        return values.stream().map(v -> String.format("%.0f", v.perSecond())).toList().toString();
    }


}
