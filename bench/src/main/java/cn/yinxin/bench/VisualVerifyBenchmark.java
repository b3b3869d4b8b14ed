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
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import com.sun.management.ThreadMXBean;
import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * PDF verification with the visual proof on (the default), against EU DSS 6.3 validating the same documents in the
 * same run with the same verdict (every signature TOTAL_PASSED on both sides), on one thread, for the sample
 * approval result (1 page) and a 100-page text document, each sealed at B-LT (the DSS dictionary after the
 * signature: our visual proof runs for it), once with one seal and once with a second seal on page 1 (the first
 * seal's page 1 then looks different and is drawn, as signed and now). Our verifier with the visual proof off is
 * measured too, for its cost. Offline (both use only the OCSP responses the documents carry).
 *
 * <p>Reported: documents per second, CPU and heap allocated per document on the validating thread, and the peak
 * heap in use while each validator ran its timed rounds (the sum of the heap pools' peaks after a full collection
 * and a reset: an upper bound, as the pools peak at different moments).
 *
 * <p>{@code ./yinxin bench verify --only visual [--rounds 3] [--seconds 3]}
 */
final class VisualVerifyBenchmark {

    private VisualVerifyBenchmark() {
    }

    interface Validator {
        /** Throws unless every signature passes. */
        void validate(byte[] pdf) throws Exception;
    }

    record Measured(double perSecond, double cpuMillis, double allocatedKb, double peakHeapMb) {
    }

    static List<String> run(int rounds, double seconds, String only, Path writeTo) throws Exception {
        try (TestRevocationServer revocation = new TestRevocationServer();
             TestTsa tsa = new TestTsa(revocation.hierarchy().tsa())) {
            Path keystores = revocation.keystores();
            Path sealDir = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
            SealKey key = SealKey.fromPkcs12(sealDir.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
            SealAppearance appearance = new SealAppearance(Files.readAllBytes(sealDir.resolve("seal.png")), 42, 42);
            List<X509Certificate> roots = Pem.readFolder(keystores.resolve("trust"));
            X509Certificate root = revocation.hierarchy().root().certificate();
            PdfSealer sealer = new PdfSealer(new HttpTimeStamper(URI.create(tsa.url()), Duration.ofSeconds(5)),
                    new OnlineRevocationSource(Duration.ofSeconds(5)));

            byte[] onePage = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
            byte[] hundred = hundredPages();
            List<Object[]> documents = new ArrayList<>();
            for (Object[] input : new Object[][]{{"1 page", onePage}, {"100 pages", hundred}}) {
                byte[] once = sealer.seal((byte[]) input[1], request(key, appearance, 150, 230));
                byte[] twice = sealer.seal(once, request(key, appearance, 40, 230));
                documents.add(new Object[]{input[0] + ", one seal", once});
                documents.add(new Object[]{input[0] + ", a second seal on page 1", twice});
            }

            if (writeTo != null) {
                write(writeTo, documents, roots);
            }
            List<String> rows = new ArrayList<>();
            for (Object[] d : documents) {
                String name = (String) d[0];
                byte[] pdf = (byte[]) d[1];
                if (!name.contains(only)) {
                    continue;
                }
                rows.add(row(name, pdf, roots, root, rounds, seconds));
            }
            List<String> table = new ArrayList<>();
            table.add("");
            table.add("PDF verification with the visual proof on, against EU DSS 6.3 (default policy, its visual "
                    + "comparison on), B-LT offline, 1 thread, every signature TOTAL_PASSED on both sides; median of "
                    + rounds + " rounds of " + seconds + " s");
            table.add("| document | size | Yinxin docs/s | Yinxin, visual off | EU DSS docs/s | ratio | Yinxin CPU ms "
                    + "| visual off CPU ms | EU DSS CPU ms | CPU ratio | allocated MB/doc, Yinxin / DSS "
                    + "| peak heap MB, Yinxin / DSS |");
            table.add("|---|---|---|---|---|---|---|---|---|---|---|---|");
            table.addAll(rows);
            return table;
        }
    }

    /** The documents (as "100 pages, one seal.pdf") and the trusted roots (roots.pem), for other tools or runs. */
    private static void write(Path folder, List<Object[]> documents, List<X509Certificate> roots) throws IOException {
        Files.createDirectories(folder);
        for (Object[] d : documents) {
            Files.write(folder.resolve(d[0] + ".pdf"), (byte[]) d[1]);
        }
        Files.writeString(folder.resolve("roots.pem"), String.join("", roots.stream().map(Pem::encode).toList()));
        System.out.println("Documents and roots.pem written to " + folder);
    }

    /** One document verified by Yinxin (visual proof on and off) and EU DSS in alternating rounds; its table row. */
    private static String row(String name, byte[] pdf, List<X509Certificate> roots, X509Certificate root, int rounds,
                              double seconds) throws Exception {
        Validator on = yinxin(new PdfVerifier(roots));
        Validator off = yinxin(new PdfVerifier(roots).withVisualProof(null));
        Validator dss = dss(root);
        // the same verdict first
        on.validate(pdf);
        off.validate(pdf);
        dss.validate(pdf);
        measure(on, pdf, seconds, 100);
        measure(off, pdf, seconds, 100);
        measure(dss, pdf, seconds, 10);
        List<Measured> y = new ArrayList<>();
        List<Measured> n = new ArrayList<>();
        List<Measured> e = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            y.add(measure(on, pdf, seconds, 0));
            n.add(measure(off, pdf, seconds, 0));
            e.add(measure(dss, pdf, seconds, 0));
        }
        Measured ours = median(y);
        Measured noVisual = median(n);
        Measured theirs = median(e);
        System.out.printf("%s: Yinxin %.1f docs/s %.2f CPU ms (visual off %.1f docs/s %.2f CPU ms), "
                        + "EU DSS %.1f docs/s %.2f CPU ms%n", name, ours.perSecond(), ours.cpuMillis(),
                noVisual.perSecond(), noVisual.cpuMillis(), theirs.perSecond(), theirs.cpuMillis());
        return String.format("| %s | %d KB | %.1f | %.1f | %.1f | **%.1f** | %.2f | %.2f | %.1f | **%.1f** "
                        + "| %.0f / %.0f | %.0f / %.0f |", name, pdf.length / 1024, ours.perSecond(),
                noVisual.perSecond(), theirs.perSecond(), ours.perSecond() / theirs.perSecond(),
                ours.cpuMillis(), noVisual.cpuMillis(), theirs.cpuMillis(),
                theirs.cpuMillis() / ours.cpuMillis(), ours.allocatedKb() / 1024, theirs.allocatedKb() / 1024,
                ours.peakHeapMb(), theirs.peakHeapMb());
    }

    private static SealRequest request(SealKey key, SealAppearance appearance, double xMm, double yMm) {
        return new SealRequest(key, appearance, new SealPlacement(1, xMm, yMm), SamplePki.SEAL_NAME, null,
                Instant.now(), SignatureLevel.B_LT);
    }

    private static Validator yinxin(PdfVerifier verifier) {
        return pdf -> {
            VerificationReport report = verifier.verify(pdf);
            if (report.verdict() != Verdict.VALID || report.signatures().stream()
                    .anyMatch(s -> !s.indication().name().equals("TOTAL_PASSED"))) {
                throw new IllegalStateException("Yinxin does not say VALID: " + report);
            }
        };
    }

    /** DSS as one runs it for a verdict: a new validator per document, the default policy, no ETSI XML report. */
    private static Validator dss(X509Certificate root) {
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setAIASource(null);
        verifier.setOcspSource(null);
        verifier.setCrlSource(null);
        CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
        trusted.addCertificate(new CertificateToken(root));
        verifier.setTrustedCertSources(trusted);
        return pdf -> {
            SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(pdf));
            validator.setCertificateVerifier(verifier);
            validator.setEnableEtsiValidationReport(false);
            SimpleReport report = validator.validateDocument().getSimpleReport();
            for (String id : report.getSignatureIdList()) {
                if (!"TOTAL_PASSED".equals(String.valueOf(report.getIndication(id)))) {
                    throw new IllegalStateException("EU DSS says " + report.getIndication(id) + " / "
                            + report.getSubIndication(id) + " for " + id);
                }
            }
            if (report.getSignatureIdList().isEmpty()) {
                throw new IllegalStateException("EU DSS finds no signature");
            }
        };
    }

    /**
     * Validates {@code pdf} on this thread for {@code seconds} and at least {@code minimum} times: the rate, the CPU
     * time and the heap allocated per document on this thread, and the peak heap in use meanwhile.
     */
    private static Measured measure(Validator validator, byte[] pdf, double seconds, long minimum) throws Exception {
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long cpuStart = threads.getCurrentThreadCpuTime();
        long allocatedStart = threads.getCurrentThreadAllocatedBytes();
        long count = 0;
        while (System.nanoTime() < end || count < minimum) {
            validator.validate(pdf);
            count++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / count;
        double allocated = (threads.getCurrentThreadAllocatedBytes() - allocatedStart) / 1024.0 / count;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Measured(count / elapsed, cpu, allocated, peak / 1024.0 / 1024.0);
    }

    private static Measured median(List<Measured> values) {
        return new Measured(Runs.median(values.stream().map(Measured::perSecond).toList()),
                Runs.median(values.stream().map(Measured::cpuMillis).toList()),
                Runs.median(values.stream().map(Measured::allocatedKb).toList()),
                values.stream().mapToDouble(Measured::peakHeapMb).max().orElse(0));
    }

    /** A 100-page text document (as SealBenchmark's): an approval file with its attachments. */
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
}
