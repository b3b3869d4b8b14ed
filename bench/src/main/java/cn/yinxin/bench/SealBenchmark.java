package cn.yinxin.bench;

import cn.yinxin.core.pdf.PdfSealer;
import cn.yinxin.core.pdf.PdfVerifier;
import cn.yinxin.core.pdf.SealAppearance;
import cn.yinxin.core.pdf.SealPlacement;
import cn.yinxin.core.pdf.SealRequest;
import cn.yinxin.core.pdf.Verdict;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.SealKey;
import cn.yinxin.keystores.SamplePki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seals the same one-page PDF with the same key (the sample agency seal, ECDSA P-256, PKCS#12) at PAdES-BASELINE-B
 * with a visible seal image, once with Yinxin and once with EU DSS, in the same JVM and the same run, one thread
 * each, alternating timed rounds so that both see the same machine noise. Prints docs/s for both and their ratio.
 *
 * <pre>java -jar bench/target/bench.jar [--rounds N] [--seconds S]</pre>
 */
public final class SealBenchmark {

    interface Sealer {
        byte[] seal(byte[] pdf) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = intOption(args, "--rounds", 5);
        double seconds = Double.parseDouble(option(args, "--seconds", "3"));

        Path keystores = Files.createTempDirectory("yinxin-bench");
        SamplePki.create(keystores);
        Path sealDir = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        Path p12 = sealDir.resolve("seal.p12");
        byte[] pdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        byte[] image = Files.readAllBytes(sealDir.resolve("seal.png"));
        SealKey key = SealKey.fromPkcs12(p12, SamplePki.PASSWORD.toCharArray());

        PdfSealer yinxinSealer = new PdfSealer();
        SealAppearance appearance = new SealAppearance(image, 42, 42);
        Sealer yinxin = input -> yinxinSealer.seal(input, new SealRequest(key, appearance,
                new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null, Instant.now()));
        DssSealer dss = new DssSealer(p12, SamplePki.PASSWORD, image);
        DssSealer dssInvisible = new DssSealer(p12, SamplePki.PASSWORD, null);

        // Both must produce documents that verify before their speed means anything.
        var verifier = new PdfVerifier(Pem.readFolder(keystores.resolve("trust")));
        for (var entry : List.of(new Object[] {"Yinxin", yinxin}, new Object[] {"EU DSS", (Sealer) dss::seal},
                new Object[] {"EU DSS (invisible)", (Sealer) dssInvisible::seal})) {
            Verdict verdict = verifier.verify(((Sealer) entry[1]).seal(pdf)).verdict();
            if (verdict != Verdict.VALID) {
                throw new IllegalStateException(entry[0] + " produced a document that does not verify: " + verdict);
            }
        }

        System.out.printf("Warming up (%d s each)...%n", (int) Math.ceil(seconds * 2));
        rate(yinxin, pdf, seconds * 2);
        rate(dss::seal, pdf, seconds * 2);
        rate(dssInvisible::seal, pdf, seconds * 2);

        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        List<Double> theirsInvisible = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            ours.add(rate(yinxin, pdf, seconds));
            theirs.add(rate(dss::seal, pdf, seconds));
            theirsInvisible.add(rate(dssInvisible::seal, pdf, seconds));
            System.out.printf("round %d: Yinxin %.1f docs/s, EU DSS %.1f docs/s, EU DSS invisible %.1f docs/s%n",
                    round, ours.getLast(), theirs.getLast(), theirsInvisible.getLast());
        }
        double y = median(ours);
        double d = median(theirs);
        double di = median(theirsInvisible);
        System.out.println();
        System.out.println("PAdES-BASELINE-B, one-page PDF (" + pdf.length + " bytes), visible seal, ECDSA P-256, "
                + "1 thread, median of " + rounds + " rounds of " + seconds + " s, Java " + Runtime.version());
        System.out.println("| sealer | docs/s |");
        System.out.println("|---|---|");
        System.out.printf("| Yinxin (PdfSealer) | %.1f |%n", y);
        System.out.printf("| EU DSS 6.3 (PAdESService, PDFBox), same visible seal | %.1f |%n", d);
        System.out.printf("| EU DSS 6.3, invisible signature (less work than ours) | %.1f |%n", di);
        System.out.printf("ratio Yinxin / EU DSS (same visible seal): %.2f%n", y / d);
        System.out.printf("ratio Yinxin / EU DSS (invisible): %.2f%n", y / di);
    }

    private static double rate(Sealer sealer, byte[] pdf, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        int count = 0;
        long sink = 0;
        while (System.nanoTime() < end) {
            sink += sealer.seal(pdf).length;
            count++;
        }
        if (sink == 0) {
            throw new IllegalStateException("nothing was sealed");
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String option(String[] args, String name, String fallback) {
        int at = Arrays.asList(args).indexOf(name);
        return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
    }

    private static int intOption(String[] args, String name, int fallback) {
        return Integer.parseInt(option(args, name, String.valueOf(fallback)));
    }
}
