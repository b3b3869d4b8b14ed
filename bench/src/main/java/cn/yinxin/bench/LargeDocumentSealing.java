package cn.yinxin.bench;

import cn.yinxin.core.pdf.MemoryMode;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.cms.HttpTimeStamper;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One sealing of one file, in a JVM of its own (started by {@link LargeDocumentBenchmark} with a small heap), that
 * reports on one line what it took: wall time of the sealing, the peak heap (sum of the heap pools' peaks) and the
 * process's peak resident set (VmHWM). An OutOfMemoryError is reported, not thrown.
 *
 * <pre>java -Xmx512m -cp bench.jar cn.yinxin.bench.LargeDocumentSealing INPUT OUTPUT IN_MEMORY|TEMP_FILES B_B|B_T KEYSTORES [TSA-URL]</pre>
 */
public final class LargeDocumentSealing {

    public static void main(String[] args) throws Exception {
        Path input = Path.of(args[0]);
        Path output = Path.of(args[1]);
        MemoryMode mode = MemoryMode.valueOf(args[2]);
        SignatureLevel level = SignatureLevel.valueOf(args[3]);
        Path keystores = Path.of(args[4]);
        Path sealDir = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        SealKey key = SealKey.fromPkcs12(sealDir.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
        SealAppearance appearance = new SealAppearance(Files.readAllBytes(sealDir.resolve("seal.png")), 42, 42);
        PdfSealer sealer = level == SignatureLevel.B_B ? new PdfSealer()
                : new PdfSealer(new HttpTimeStamper(URI.create(args[5]), Duration.ofSeconds(10)), null);
        SealRequest request = new SealRequest(key, appearance, new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME,
                null, Instant.now(), level);

        String outcome = "OK";
        long size = -1;
        long start = System.nanoTime();
        try {
            size = sealer.stampAll(input, output, List.of(request), mode).size();
        } catch (OutOfMemoryError e) {
            outcome = "OutOfMemoryError";
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("RESULT outcome=%s millis=%d heapPeakSumBytes=%d vmHwmKb=%d outputBytes=%d maxHeapBytes=%d%n",
                outcome, millis, heapPeak, vmHwmKb(), size, Runtime.getRuntime().maxMemory());
    }

    /** The process's peak resident set in kB, from /proc/self/status (Linux); -1 elsewhere. */
    private static long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }
}
