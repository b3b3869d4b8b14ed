package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Run in a JVM of its own with a small heap (HostileInputTest starts it with -Xmx256m): verifies each file named
 * and prints "name VERDICT summary" per file; an OutOfMemoryError (or any other error) is printed and ends it with
 * status 3.
 */
public final class HostileHeapCheck {

    private HostileHeapCheck() {
    }

    /** The most heap in use so far (the pools' peaks added up: an upper bound), in MB. */
    private static long peakHeapMegabytes() {
        long peak = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }

    public static void main(String[] args) throws Exception {
        X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[0]))));
        PdfVerifier verifier = new PdfVerifier(List.of(root));
        for (int i = 1; i < args.length; i++) {
            Path file = Path.of(args[i]);
            try {
                long start = System.nanoTime();
                VerificationReport report = verifier.verify(Files.readAllBytes(file));
                System.out.println(file.getFileName() + " " + report.verdict() + " "
                        + (System.nanoTime() - start) / 1_000_000 + "ms "
                        + peakHeapMegabytes() + "MB-peak-heap " + report.summary());
            } catch (Throwable e) {
                System.out.println(file.getFileName() + " ERROR " + e);
                System.exit(3);
            }
        }
    }
}
