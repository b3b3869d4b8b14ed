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
import cn.yinxin.testing.ServiceProcess;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import javax.sql.DataSource;

import static cn.yinxin.bench.ServiceProbes.jcmd;
import static cn.yinxin.bench.ServiceProbes.pidCpuNanos;
import static cn.yinxin.bench.ServiceProbes.postgresCpuNanos;
import static cn.yinxin.bench.ServiceProbes.settled;
import static cn.yinxin.bench.ServiceProbes.threadCpuNanos;

/**
 * Stamping through the seal service against stamping in-process, in the same run (issue 19): the same one-page PDF
 * (the sample approval result), the same key (the sample agency seal, ECDSA P-256, PKCS#12), the same 42 mm seal
 * image and place, at B-B and at B-T (the same RFC 3161 TSA on loopback, served by this process for both).
 * <ul>
 * <li>the reference: {@link PdfSealer} in this JVM on N threads (each its own sealer), documents/s and the CPU time
 * of the sealing threads per document;</li>
 * <li>the service: the real seal-service jar in a process of its own on an embedded PostgreSQL, loaded by wrk with
 * N connections ({@code bench/wrk/stamp.lua}: multipart POST /api/v1/stamp as an approval system, development
 * login), stamps/s, p50/p99 from wrk, the CPU of the service process (/proc) and of wrk per stamp. After each round
 * the database must hold a stamp record and a "stamp" audit entry for every answered stamp.</li>
 * </ul>
 * Rounds alternate between the two so both see the same machine noise. The ratio is stamps/s over the in-process
 * docs/s at the same number of threads. {@code --jfr FILE} records the service's timed rounds with JFR (stack depth
 * 512) for {@code jfr print --json}.
 *
 * <pre>./yinxin bench stamp [--rounds N] [--seconds S] [--wrk-seconds S] [--threads 1,2] [--levels B-B,B-T]
 *     [--warm-up S] [--port 39080] [--db-port 39432] [--jfr FILE] [--wrk-script bench/wrk/stamp.lua]
 *     [--jar seal-service/target/seal-service.jar] [--compare OTHER.jar]</pre>
 * {@code --compare} starts a second build of the service beside the first (port + 1, a database of its own) and
 * times it in the same rounds, e.g. the build before a change.
 */
public final class StampBenchmark {

    private static final String BOUNDARY = "yinxin-bench-boundary-7f3a9c";
    /** Where the seal goes, the same in-process and through the service: mm from the top-left of page 1. */
    private static final double X_MM = 150;
    private static final double Y_MM = 230;

    interface Sealer {
        byte[] seal(byte[] pdf) throws Exception;
    }

    /** Operations per second over all threads, and the CPU time of the working threads per operation. */
    record Measured(double perSecond, double cpuMillis) {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.of(args);
        TestRevocationServer revocation = new TestRevocationServer();
        Path keystores = revocation.keystores();
        Path sealDir = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        byte[] pdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        SealKey key = SealKey.fromPkcs12(sealDir.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
        SealAppearance appearance = new SealAppearance(Files.readAllBytes(sealDir.resolve("seal.png")), 42, 42);
        var verifier = new PdfVerifier(Pem.readFolder(keystores.resolve("trust")),
                new OnlineRevocationSource(Duration.ofSeconds(5)));
        Path work = Files.createTempDirectory("stamp-bench");

        try (revocation;
             TestTsa tsa = new TestTsa(new Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray())
                     .get(CaHierarchy.TSA));
             EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(o.dbPort()).start()) {
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx512m", "-XX:FlightRecorderOptions:stackdepth=512", "-jar");
            List<Target> targets = new ArrayList<>();
            try {
                startTargets(o, targets, postgres, command, keystores, tsa, work);

                Map<SignatureLevel, Path> bodies = new HashMap<>();
                Map<SignatureLevel, Supplier<Sealer>> inProcess = new HashMap<>();
                for (SignatureLevel level : o.levels()) {
                    Path body = work.resolve("body-" + level.name() + ".bin");
                    Files.write(body, multipart(pdf, level));
                    bodies.put(level, body);
                    inProcess.put(level, () -> sealer(level == SignatureLevel.B_B ? new PdfSealer()
                            : new PdfSealer(new HttpTimeStamper(URI.create(tsa.url()), Duration.ofSeconds(5)), null),
                            key, appearance, level));
                    // both sides' outputs must verify before anything is timed
                    check(verifier, inProcess.get(level).get().seal(pdf), level, "in-process");
                    for (Target target : targets) {
                        check(verifier, stampOnce(target.url(), body), level, target.name());
                    }
                }

                warmUp(o, targets, inProcess, bodies, pdf);

                if (o.jfr() != null) {
                    jcmd(targets.get(0).pid(), "JFR.start", "name=stamp-bench", "settings=profile", "filename=" + o.jfr());
                }
                List<String> rows = timedRounds(o, targets, inProcess, bodies, pdf);
                if (o.jfr() != null) {
                    jcmd(targets.get(0).pid(), "JFR.stop", "name=stamp-bench");
                    System.out.println("JFR recording of the timed rounds of " + targets.get(0).name() + ": " + o.jfr());
                }
                printTable(o, rows);
            } finally {
                targets.forEach(Target::close);
            }
        }
        System.exit(0);
    }

    /** The command line's options. */
    record Options(int rounds, double seconds, int wrkSeconds, List<Integer> threadCounts, List<SignatureLevel> levels,
                   int port, int dbPort, String jfr, String script, String jar, String compare, int warmUp) {

        static Options of(String[] args) {
            int rounds = Integer.parseInt(Runs.option(args, "--rounds", "2"));
            double seconds = Double.parseDouble(Runs.option(args, "--seconds", "5"));
            int wrkSeconds = Integer.parseInt(Runs.option(args, "--wrk-seconds", "10"));
            List<Integer> threadCounts = Arrays.stream(Runs.option(args, "--threads", "1,2").split(","))
                    .map(String::strip).map(Integer::parseInt).toList();
            List<SignatureLevel> levels = Arrays.stream(Runs.option(args, "--levels", "B-B,B-T").split(","))
                    .map(String::strip).map(SignatureLevel::parse).toList();
            int port = Integer.parseInt(Runs.option(args, "--port", "39080"));
            int dbPort = Integer.parseInt(Runs.option(args, "--db-port", "39432"));
            String jfr = Runs.option(args, "--jfr", null);
            String script = Runs.option(args, "--wrk-script", "bench/wrk/stamp.lua");
            String jar = Runs.option(args, "--jar", "seal-service/target/seal-service.jar");
            String compare = Runs.option(args, "--compare", null);
            // the service's JIT needs far more requests than the sealing code alone: C2 still compiled Spring, Tomcat
            // and PDFBox after 5 s of load (its compiler threads took ~30 % of the service's CPU in the timed rounds)
            int warmUp = Integer.parseInt(Runs.option(args, "--warm-up", "30"));
            return new Options(rounds, seconds, wrkSeconds, threadCounts, levels, port, dbPort, jfr, script, jar,
                    compare, warmUp);
        }
    }

    /** The service under test and, with --compare, another build of it beside it. */
    private static void startTargets(Options o, List<Target> targets, EmbeddedPostgres postgres, List<String> command,
                                     Path keystores, TestTsa tsa, Path work) throws Exception {
        targets.add(Target.start("seal-service", o.jar(), o.port(), "bench_stamp", postgres, command, keystores, tsa, work));
        if (o.compare() != null) {
            // another build of the service beside it (e.g. the one before a change), on its own database,
            // timed in the same rounds: before and after see the same machine
            targets.add(Target.start("seal-service (" + Path.of(o.compare()).getFileName() + ")", o.compare(), o.port() + 1,
                    "bench_stamp_compared", postgres, command, keystores, tsa, work));
        }
        System.out.println("Stamp benchmark: " + targets.stream().map(t -> t.name() + " " + t.url() + " (pid "
                + t.pid() + ", " + t.jar() + ")").toList() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, load " + loadAverage());
    }

    /** The warm-up of both sides (the JIT of this JVM and the services'). */
    private static void warmUp(Options o, List<Target> targets, Map<SignatureLevel, Supplier<Sealer>> inProcess,
                               Map<SignatureLevel, Path> bodies, byte[] pdf) throws Exception {
        for (SignatureLevel level : o.levels()) {
            measure(inProcess.get(level), pdf, 2, o.seconds());
            for (Target target : targets) {
                wrk(o.script(), bodies.get(level), target.url(), o.warmUp(), 2);
            }
        }
    }

    /** The timed rounds: in-process, then each service, per level and thread count; a table row for each service. */
    private static List<String> timedRounds(Options o, List<Target> targets,
                                            Map<SignatureLevel, Supplier<Sealer>> inProcess,
                                            Map<SignatureLevel, Path> bodies, byte[] pdf) throws Exception {
        List<String> rows = new ArrayList<>();
        for (SignatureLevel level : o.levels()) {
            for (int threads : o.threadCounts()) {
                for (int round = 1; round <= o.rounds(); round++) {
                    String load = loadAverage();
                    Measured reference = measure(inProcess.get(level), pdf, threads, o.seconds());
                    for (Target target : targets) {
                        rows.add(round(target, level, threads, round, reference, o.script(), bodies.get(level),
                                o.wrkSeconds(), o.dbPort(), load));
                    }
                }
            }
        }
        return rows;
    }

    private static void printTable(Options o, List<String> rows) {
        System.out.println();
        System.out.println("The sample approval result (1 page), 42 mm visible seal, ECDSA P-256; in-process: "
                + "PdfSealer on N threads; service: wrk -tN -cN " + o.wrkSeconds() + " s, multipart POST "
                + "/api/v1/stamp, stamp record and audit entry committed; Java " + Runtime.version());
        System.out.println("| level | threads / connections | round | service | in-process docs/s | stamps/s "
                + "| ratio | p50 / p99 ms | in-process CPU ms/doc | service CPU ms/stamp (request threads) "
                + "| PostgreSQL CPU ms/stamp | CPU ratio | load (1 min) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** A seal service under test: its process, address and database. */
    record Target(String name, String jar, ServiceProcess process, String url, String pid, DataSource database)
            implements AutoCloseable {

        static Target start(String name, String jar, int port, String databaseName, EmbeddedPostgres postgres,
                            List<String> command, Path keystores, TestTsa tsa, Path work) throws Exception {
            try (var c = postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
                s.execute("CREATE DATABASE " + databaseName);
            }
            List<String> line = new ArrayList<>(command);
            line.add(jar);
            Map<String, String> env = Map.of(
                    "YINXIN_SECURITY_MODE", "development",
                    "YINXIN_SEAL_DB_URL", postgres.getJdbcUrl("postgres", databaseName),
                    "YINXIN_SEALS_DIR", keystores.resolve("seals").toString(),
                    "YINXIN_SEALS_PASSWORD", SamplePki.PASSWORD,
                    "YINXIN_SEAL_SERVICE_KEYSTORE", keystores.resolve("seal-service/keys.p12").toString(),
                    "YINXIN_TSA_URL", tsa.url(),
                    "YINXIN_STAMP_RESULTS_DIR", work.resolve("results-" + databaseName).toString(),
                    "YINXIN_AUDIT_KEY_STORE", keystores.resolve("audit/seal-service.p12").toString());
            ServiceProcess process = ServiceProcess.start("seal-service", line, port, env);
            return new Target(name, jar, process, "http://127.0.0.1:" + port, String.valueOf(process.pid()),
                    postgres.getDatabase("postgres", databaseName));
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /** One timed wrk round against a service, checked against its database, as a table row. */
    private static String round(Target target, SignatureLevel level, int threads, int round, Measured reference,
                                String script, Path body, int wrkSeconds, int dbPort, String load) throws Exception {
        DataSource database = target.database();
        String pid = target.pid();
        long[] before = settled(database);
        long cpuBefore = pidCpuNanos(pid);
        Map<String, Long> threadsBefore = threadCpuNanos(pid);
        long databaseBefore = postgresCpuNanos(dbPort);
        RouteTimes routesBefore = RouteTimes.read(target.url());
        Map<String, Double> result = wrk(script, body, target.url(), wrkSeconds, threads);
        // the last requests wrk sent may still be committing: wait until nothing changes
        long[] settled = settled(database);
        long cpu = pidCpuNanos(pid) - cpuBefore;
        Map<String, Long> byThread = threadCpuNanos(pid);
        long databaseCpu = postgresCpuNanos(dbPort) - databaseBefore;
        threadsBefore.forEach((kind, nanos) -> byThread.merge(kind, -nanos, Long::sum));
        long stamps = settled[0] - before[0];
        long audited = settled[1] - before[1];
        double requests = result.get("requests");
        // wrk stops at the end of its time: a request still on its way on a connection is not counted (or counted
        // as a read error when wrk closes the connection under it), yet the service finishes it; so up to one stamp
        // per connection more than wrk counted
        double cutOff = result.get("read_errors");
        if (result.get("non2xx") > 0 || result.get("errors") > cutOff || cutOff > threads
                || stamps < requests || stamps > requests + threads || audited != stamps) {
            throw new IllegalStateException(target.name() + ": not every stamp was answered, recorded and audited: "
                    + result + ", stamp records " + stamps + ", audit entries " + audited);
        }
        double serverCpu = cpu / 1e6 / stamps;
        double requestCpu = byThread.getOrDefault("requests", 0L) / 1e6 / stamps;
        double postgresCpu = databaseCpu / 1e6 / stamps;
        double ratio = result.get("rps") / reference.perSecond();
        System.out.printf("%s, %d thread(s)/connection(s), round %d: in-process %.1f docs/s (%.2f CPU ms each); %s "
                        + "%.1f stamps/s, p50 %.1f ms, p99 %.1f ms, service CPU %.2f ms + wrk %.2f ms per stamp; "
                        + "ratio %.3f; load %s%n", level.label(), threads, round, reference.perSecond(),
                reference.cpuMillis(), target.name(), result.get("rps"), result.get("p50_ms"), result.get("p99_ms"),
                serverCpu, result.get("wrk_cpu_us") / 1000, ratio, load);
        StringBuilder kinds = new StringBuilder("    service CPU per stamp by thread:");
        byThread.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> kinds.append(String.format(" %s %.2f ms,", e.getKey(), e.getValue() / 1e6 / stamps)));
        kinds.append(String.format(" PostgreSQL %.2f ms", postgresCpu));
        System.out.println(kinds);
        // the service's own meters: its route and every call it made (the TSA at B-T), mean time each
        System.out.print(RouteTimes.read(target.url()).since(routesBefore, target.name()));
        // CPU ratio: the in-process CPU per document over what the service and its database spend per stamp, without
        // the JIT compiler's share (still compiling on a loaded machine after the warm-up; it ends, the rest stays)
        double steady = serverCpu - byThread.getOrDefault("JIT", 0L) / 1e6 / stamps + postgresCpu;
        return String.format("| %s | %d | %d | %s | %.1f | %.1f | **%.2f** | %.1f / %.1f | %.2f | %.2f (%.2f) | %.2f "
                        + "| %.2f | %s |", level.label(), threads, round, target.name(), reference.perSecond(),
                result.get("rps"), ratio, result.get("p50_ms"), result.get("p99_ms"), reference.cpuMillis(), serverCpu,
                requestCpu, postgresCpu, reference.cpuMillis() / steady, load.split(" ")[0]);
    }

    /** The multipart body wrk sends: the PDF, the sample seal, its place on page 1, the level. */
    static byte[] multipart(byte[] pdf, SignatureLevel level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"approval.pdf\""
                + "\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(pdf);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("sealId", SamplePki.SEAL_ID);
        fields.put("page", "1");
        fields.put("x", String.valueOf(X_MM));
        fields.put("y", String.valueOf(Y_MM));
        fields.put("level", level.label());
        fields.forEach((name, value) -> out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] stampOnce(String url, Path body) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/stamp"))
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .header("X-Dev-Roles", "approval-system").header("X-Dev-Client", "approval-system-a")
                        .POST(HttpRequest.BodyPublishers.ofFile(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the seal service does not stamp: HTTP " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /** Offline, without revocation data, the best a sound B-B/B-T seal gets is TRY_LATER (the CA's OCSP). */
    private static void check(PdfVerifier verifier, byte[] sealed, SignatureLevel level, String who) throws Exception {
        var report = verifier.verify(sealed);
        boolean onlyRevocationUnknown = report.verdict() == Verdict.INDETERMINATE && report.signatures().stream()
                .allMatch(s -> s.subIndication() == SubIndication.TRY_LATER);
        if (report.verdict() != Verdict.VALID && !onlyRevocationUnknown) {
            throw new IllegalStateException(who + " at " + level.label() + ": the output does not verify: "
                    + report.verdict());
        }
    }

    private static Sealer sealer(PdfSealer sealer, SealKey key, SealAppearance appearance, SignatureLevel level) {
        return input -> sealer.seal(input, new SealRequest(key, appearance, new SealPlacement(1, X_MM, Y_MM),
                SamplePki.SEAL_NAME, null, Instant.now(), level));
    }

    /** Documents per second over {@code threads} threads (each its own sealer), and their CPU per document. */
    static Measured measure(Supplier<Sealer> sealers, byte[] pdf, int threads, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            List<Future<long[]>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Sealer sealer = sealers.get();
                counts.add(pool.submit(() -> {
                    long cpuStart = cpu.getCurrentThreadCpuTime();
                    long count = 0;
                    while (System.nanoTime() < end) {
                        if (sealer.seal(pdf).length == 0) {
                            throw new IllegalStateException("nothing was sealed");
                        }
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

    /** wrk with {@code connections} connections on as many threads; its result line and its own CPU per request. */
    private static Map<String, Double> wrk(String script, Path body, String url, int seconds, int connections)
            throws Exception {
        return Wrk.run(List.of("-t" + connections, "-c" + connections, "-d" + seconds + "s", "--timeout", "30s", "-s",
                script, url), Map.of("STAMP_BODY_FILE", body.toString(), "STAMP_BOUNDARY", BOUNDARY), seconds);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
