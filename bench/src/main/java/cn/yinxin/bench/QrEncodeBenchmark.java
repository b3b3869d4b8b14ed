package cn.yinxin.bench;

import cn.yinxin.core.qr.QrOptions;
import cn.yinxin.core.qr.QrSymbol;
import com.google.zxing.EncodeHintType;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Encoding a licence's signed QR code (an alphanumeric text of ~470 characters, error correction Q: version 16,
 * 81 x 81 modules): ZXing's {@code Encoder.encode} as the reference (it builds and scores the matrix for each of the
 * eight masks) against {@link QrSymbol#encode} (ZXing with mask 0, the mask ZXing would choose found from it by
 * {@code MaskChoice}, then checked to read back with ZXing's plain reader, the next mask taken when not), in alternating
 * rounds of the same run. Before timing, every code must come out module for module as ZXing's with the same mask
 * (ZXing's own choice for most, another for a few percent). CPU time and allocation of the encoding thread per
 * code (issue 19, licence issuance).
 *
 * <pre>java -cp bench/target/bench.jar cn.yinxin.bench.QrEncodeBenchmark [--rounds N] [--codes N]</pre>
 */
public final class QrEncodeBenchmark {

    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    private record Cost(double cpuMs, double allocatedKb) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(Runs.option(args, "--rounds", "5"));
        int codes = Integer.parseInt(Runs.option(args, "--codes", "1000"));
        Random random = new Random(17);
        String[] texts = new String[codes];
        for (int i = 0; i < codes; i++) {
            StringBuilder text = new StringBuilder("HC1:");
            for (int j = 0; j < 466; j++) {
                text.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
            }
            texts[i] = text.toString();
        }
        for (String text : texts) {
            same(text);
        }
        System.out.println("| round | ZXing Encoder.encode: CPU ms, KB allocated per code | QrSymbol.encode | ZXing / QrSymbol, "
                + "CPU | version | load (1 min) |");
        System.out.println("|---|---|---|---|---|---|");
        for (int round = 1; round <= rounds; round++) {
            String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            Cost zxing = encode(texts, true);
            Cost ours = encode(texts, false);
            System.out.printf("| %d | %.3f, %.0f | %.3f, %.0f | %.2f | %d | %s |%n", round, zxing.cpuMs, zxing.allocatedKb,
                    ours.cpuMs, ours.allocatedKb, zxing.cpuMs / ours.cpuMs, QrSymbol.encode(texts[0]).version(), load);
        }
    }

    /** Refuses to time a symbol that is not ZXing's own with the same mask. */
    private static void same(String text) throws Exception {
        QrSymbol ours = QrSymbol.encode(text);
        ByteMatrix zxing = Encoder.encode(text, QrOptions.DEFAULT.errorCorrection(),
                Map.of(EncodeHintType.QR_MASK_PATTERN, ours.mask())).getMatrix();
        for (int y = 0; y < zxing.getHeight(); y++) {
            for (int x = 0; x < zxing.getWidth(); x++) {
                if (ours.dark(x, y) != (zxing.get(x, y) == 1)) {
                    throw new IllegalStateException("module (" + x + ", " + y + ") differs from ZXing's for " + text);
                }
            }
        }
    }

    private static Cost encode(String[] texts, boolean zxing) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        int versions = 0;
        for (String text : texts) {
            versions += zxing ? Encoder.encode(text, QrOptions.DEFAULT.errorCorrection()).getVersion().getVersionNumber()
                    : QrSymbol.encode(text).version();
        }
        if (versions == 0) {
            throw new IllegalStateException("no code encoded");
        }
        return new Cost((threads.getCurrentThreadCpuTime() - start) / 1e6 / texts.length,
                (threads.getCurrentThreadAllocatedBytes() - allocated) / 1024.0 / texts.length);
    }
}
