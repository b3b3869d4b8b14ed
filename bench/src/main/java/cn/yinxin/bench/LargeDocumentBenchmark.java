package cn.yinxin.bench;

import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestTsa;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A ~200 MB PDF sealed with a 512 MB heap: generates the document on disk (200 pages, each an incompressible
 * 1 MiB image), then seals it in child JVMs started with {@code -Xmx512m}, in {@code TEMP_FILES} mode at B-B and
 * at B-T (an RFC 3161 TSA on loopback, served by this process), and once in {@code IN_MEMORY} mode, which is
 * expected to fail with an OutOfMemoryError. Reports wall time, peak heap (sum of the heap pools' peaks, and the
 * largest heap occupancy before a collection in the GC log), peak RSS (VmHWM), against a reference measured in the
 * same run: copying the file ({@code Files.copy}) and hashing it (SHA-256). Each output is checked: poppler's
 * {@code pdfsig} says the signature is valid, the input is its unchanged prefix, and the increment is small.
 *
 * <pre>java -cp bench/target/bench.jar cn.yinxin.bench.LargeDocumentBenchmark [--pages 200] [--runs 3] [--heap 512m] [--dir DIR] [--keep]</pre>
 */
public final class LargeDocumentBenchmark {

    private static final int IMAGE_SIDE = 591; // 591 x 591 RGB = 1,047,843 bytes, about 1 MiB

    record Scenario(String mode, String level, String heap, int runs) {
    }

    record Run(String outcome, long millis, long wallMillis, long heapPeakSum, long gcLogPeak, long vmHwmKb,
               long outputBytes, String check) {
    }

    public static void main(String[] args) throws Exception {
        int pages = Integer.parseInt(Runs.option(args, "--pages", "200"));
        int runs = Integer.parseInt(Runs.option(args, "--runs", "3"));
        String heap = Runs.option(args, "--heap", "512m");
        boolean keep = Arrays.asList(args).contains("--keep");
        String dirOption = Runs.option(args, "--dir", null);
        Path dir = dirOption != null ? Files.createDirectories(Path.of(dirOption)) : Files.createTempDirectory("yinxin-large");
        try {
            run(dir, pages, runs, heap);
        } finally {
            if (!keep) {
                deleteTree(dir);
            } else {
                System.out.println("kept " + dir);
            }
        }
    }

    private static void run(Path dir, int pages, int runs, String heap) throws Exception {
        Path input = dir.resolve("large.pdf");
        long start = System.nanoTime();
        long size = LargePdf.write(input, pages, IMAGE_SIDE, 20261123L);
        System.out.printf("generated %s: %d pages, %d bytes (%.1f MiB) in %d ms%n", input, pages, size,
                size / 1048576.0, (System.nanoTime() - start) / 1_000_000);

        // the reference: what merely copying and hashing the file costs on this machine, now
        List<Long> copies = new ArrayList<>();
        List<Long> hashes = new ArrayList<>();
        byte[] inputHash = null;
        for (int i = 0; i < runs; i++) {
            Path copy = dir.resolve("copy.pdf");
            long t = System.nanoTime();
            Files.copy(input, copy);
            copies.add((System.nanoTime() - t) / 1_000_000);
            Files.delete(copy);
            t = System.nanoTime();
            inputHash = sha256(input, size);
            hashes.add((System.nanoTime() - t) / 1_000_000);
        }
        System.out.printf("reference: Files.copy %s ms, SHA-256 %s ms%n", copies, hashes);

        Path keystores = dir.resolve("keystores");
        SamplePki.create(keystores);
        List<Scenario> scenarios = List.of(
                new Scenario("TEMP_FILES", "B_B", heap, runs),
                new Scenario("TEMP_FILES", "B_T", heap, runs),
                new Scenario("TEMP_FILES", "B_B", "128m", 1),
                new Scenario("IN_MEMORY", "B_B", heap, 1));
        Map<Scenario, List<Run>> results = new LinkedHashMap<>();
        try (TestTsa tsa = new TestTsa(new Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray())
                .get(CaHierarchy.TSA))) {
            for (Scenario scenario : scenarios) {
                List<Run> list = new ArrayList<>();
                for (int i = 0; i < scenario.runs(); i++) {
                    Run r = seal(dir, input, size, inputHash, keystores, tsa.url(), scenario, i);
                    System.out.printf("%s %s -Xmx%s run %d: %s%n", scenario.mode(), scenario.level(), scenario.heap(),
                            i + 1, r);
                    list.add(r);
                }
                results.put(scenario, list);
            }
        }

        System.out.println();
        System.out.printf("%d pages, %d bytes (%.1f MiB), %d run(s) per row (median; heap and RSS: the largest), "
                + "Java %s, %d cores%n", pages, size, size / 1048576.0, runs, Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| what | heap | outcome | time (ms) | peak heap, pools' peaks summed (MiB) "
                + "| peak heap, GC log (MiB) | peak RSS (MiB) | output check |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        System.out.printf("| reference: `Files.copy` of the file | - | - | %d | - | - | - | - |%n", median(copies));
        System.out.printf("| reference: SHA-256 of the file | - | - | %d | - | - | - | - |%n", median(hashes));
        printRows(results);
    }

    /** One table row per scenario: the median time, the largest heap and RSS of its runs. */
    private static void printRows(Map<Scenario, List<Run>> results) {
        for (var entry : results.entrySet()) {
            Scenario s = entry.getKey();
            List<Run> list = entry.getValue();
            System.out.printf("| seal %s, %s | %s | %s | %d (child JVM: %d) | %.0f | %.0f | %.0f | %s |%n",
                    s.level().replace('_', '-'), s.mode(), s.heap(), list.get(0).outcome(),
                    median(list.stream().map(Run::millis).toList()), median(list.stream().map(Run::wallMillis).toList()),
                    list.stream().mapToLong(Run::heapPeakSum).max().orElse(0) / 1048576.0,
                    list.stream().mapToLong(Run::gcLogPeak).max().orElse(0) / 1048576.0,
                    list.stream().mapToLong(Run::vmHwmKb).max().orElse(0) / 1024.0,
                    list.stream().map(Run::check).distinct().reduce((a, b) -> a + "; " + b).orElse(""));
        }
    }

    /** One sealing in a child JVM with the scenario's heap; the output checked, then deleted. */
    private static Run seal(Path dir, Path input, long inputSize, byte[] inputHash, Path keystores, String tsaUrl,
                            Scenario scenario, int index) throws Exception {
        Path output = dir.resolve("sealed.pdf");
        Path gcLog = dir.resolve("gc-" + scenario.mode() + "-" + scenario.level() + "-" + scenario.heap() + "-" + index + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + scenario.heap(), "-Xlog:gc:file=" + gcLog,
                "-cp", System.getProperty("java.class.path"), LargeDocumentSealing.class.getName(),
                input.toString(), output.toString(), scenario.mode(), scenario.level(), keystores.toString(), tsaUrl));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else if (!line.startsWith("SLF4J(W)")) { // no logging provider: noise
                    System.out.println("  child: " + line);
                }
            }
        }
        int exit = process.waitFor();
        long wall = (System.nanoTime() - start) / 1_000_000;
        if (result == null) {
            throw new IllegalStateException("the child JVM ended (exit " + exit + ") without a result");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : result.substring("RESULT ".length()).split(" ")) {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], kv[1]);
        }
        String outcome = values.get("outcome");
        String check = outcome.equals("OK") ? checkOutput(input, inputSize, inputHash, output) : "no output";
        List<String> leftovers = leftovers(dir);
        if (!leftovers.isEmpty()) {
            check += "; LEFT BEHIND: " + leftovers;
        }
        Files.deleteIfExists(output);
        return new Run(outcome, Long.parseLong(values.get("millis")), wall, Long.parseLong(values.get("heapPeakSumBytes")),
                gcLogPeak(gcLog), Long.parseLong(values.get("vmHwmKb")), Long.parseLong(values.get("outputBytes")), check);
    }

    /** pdfsig says valid; the input is the output's unchanged prefix; the increment is small. */
    private static String checkOutput(Path input, long inputSize, byte[] inputHash, Path output) throws Exception {
        long increment = Files.size(output) - inputSize;
        boolean prefix = Arrays.equals(sha256(output, inputSize), inputHash);
        Process pdfsig = new ProcessBuilder("pdfsig", output.toString()).redirectErrorStream(true).start();
        String said = new String(pdfsig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        pdfsig.waitFor();
        boolean valid = said.contains("Signature Validation: Signature is Valid.") && !said.contains("Signature is Invalid");
        if (!valid || !prefix || increment <= 0 || increment > 256 * 1024) {
            System.out.println(said);
            throw new IllegalStateException("the output fails its check: pdfsig valid " + valid + ", input unchanged "
                    + prefix + ", increment " + increment + " bytes");
        }
        return "pdfsig: valid; input + " + increment + " bytes";
    }

    /** Temporary files a sealing left in the folder (revisions, PDFBox scratch files). */
    private static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".part") || name.endsWith(".tmp")).toList();
        }
    }

    /** The largest heap occupancy before a collection in a -Xlog:gc file ("...  123M->45M(512M) ..."). */
    private static long gcLogPeak(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(log));
        long peak = 0;
        while (m.find()) {
            peak = Math.max(peak, Math.max(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
        return peak * 1048576;
    }

    /** SHA-256 of the first {@code length} bytes of a file. */
    private static byte[] sha256(Path file, long length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        long left = length;
        try (InputStream in = Files.newInputStream(file)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
        return digest.digest();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
