package cn.yinxin.bench;

import cn.yinxin.testing.LicenceServiceProcess;
import cn.yinxin.testing.SealServiceProcess;
import cn.yinxin.testing.ServiceProcess;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Licences through the real services, each in a process of its own on loopback (the built jars): the seal-service
 * (B-T with a TSA), licence-service processes on one embedded PostgreSQL.
 * <ul>
 * <li>issuance: POST /api/v1/licences by 1, 2 and 4 concurrent clients for S seconds each, after a warm-up by 2
 * clients (default 20 s): identifier, CWT QR code signed by the seal service, PDF with CJK text rendered, sealed at
 * B-T, and the OFD drawn and sealed with a GB/T 38540 seal at OFD-SES-T, both stored; licences/s and p50/p99;</li>
 * <li>by file: one client for S seconds on three types that differ only in their files, in the same run: the PDF
 * alone, the OFD alone, both (the sample type's default); then the PDF alone by 4 clients;</li>
 * <li>bulk conversion: a CSV of R rows imported by fresh worker processes (1 x 2 threads, 2 x 2, 1 x 4 for the
 * sample type, 1 x 4 for the PDF alone): rows/s from the upload until the job is finished. Before each timed import
 * the workers work untimed ones for {@code --bulk-warm-up} seconds (default 15; their JIT).</li>
 * </ul>
 * Each issuance phase also prints where its time went: the mean time of every route each service served and every
 * call it made (their Prometheus meters), and the CPU per licence of each process by thread kind (/proc).
 * <pre>./yinxin bench licence [--seconds S] [--warm-up S] [--rows R] [--bulk-warm-up S] [--bulk-only PDF|"both files"]</pre>
 * {@code --bulk-only}: no issuance phases, only the bulk conversion of those files by one worker process of 4 threads
 * (for a long run: {@code --rows 100000}).
 */
public final class LicenceBenchmark {

    private static final String DRIVING_PERMIT = "11410000MB00001749002";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(Runs.option(args, "--seconds", "20"));
        double warmUp = Double.parseDouble(Runs.option(args, "--warm-up", "20"));
        int rows = Integer.parseInt(Runs.option(args, "--rows", "120"));
        double bulkWarmUp = Double.parseDouble(Runs.option(args, "--bulk-warm-up", "15"));
        String run = UUID.randomUUID().toString().substring(0, 6);
        String database = "bench_licence_" + run;
        // the services with the heap the launcher gives them (512m), not the tests' smaller one: at 320m the licence
        // service's ~100 MB of live data (parsed fonts kept for the next document) set off an old-generation cycle
        // every two or three young collections
        System.setProperty(ServiceProcess.HEAP_PROPERTY, System.getProperty(ServiceProcess.HEAP_PROPERTY, "512m"));
        try (TestRevocationServer revocation = new TestRevocationServer();
             TestTsa tsa = new TestTsa(revocation.hierarchy().tsa());
             SealServiceProcess seals = SealServiceProcess.start("bench_seal_" + run, revocation.keystores(), tsa.url());
             LicenceServiceProcess api = LicenceServiceProcess.start(database, seals.url(),
                     Map.of("yinxin.licence.import.workers", "0"))) {
            System.out.println("Licence benchmark: seal-service " + seals.url() + ", licence-service " + api.url()
                    + " (" + Runtime.getRuntime().availableProcessors() + " cores)");
            String bulkOnly = Runs.option(args, "--bulk-only", null);
            Map<String, String> types = bulkOnly != null ? defineTypesByFile(api.url(), run)
                    : issuance(api, seals, run, seconds, warmUp);
            if (bulkOnly == null) {
                System.out.println(StoredSizes.of(TestDatabase.jdbcUrl(database)));
            }
            List<BulkRun> conversions = List.of(new BulkRun("both files", DRIVING_PERMIT, 1, 2),
                    new BulkRun("both files", DRIVING_PERMIT, 2, 2), new BulkRun("both files", DRIVING_PERMIT, 1, 4),
                    new BulkRun("PDF", types.get("PDF"), 1, 4));
            for (BulkRun conversion : conversions) {
                if (bulkOnly != null && !(conversion.files().equals(bulkOnly) && conversion.threads() == 4)) {
                    continue;
                }
                double rate = bulk(api.url(), database, seals.url(), "b" + conversion.processes() + conversion.threads()
                        + conversion.files().charAt(0) + "-" + run, conversion.type(), rows, conversion, bulkWarmUp);
                System.out.printf("bulk conversion, %s, %d worker process(es) x %d thread(s): %.2f rows/s (%d rows; "
                        + "100,000 rows in %.0f min)%n", conversion.files(), conversion.processes(), conversion.threads(), rate, rows,
                        100_000 / rate / 60);
            }
        }
        System.exit(0);
    }

    /** Issuance by 1, 2 and 4 clients, by file with one client, the PDF alone by 4; the types by file. */
    private static Map<String, String> issuance(LicenceServiceProcess api, SealServiceProcess seals, String run,
                                                double seconds, double warmUp) throws Exception {
        // JIT, the seal image cache, connections: a service runs for days, a benchmark of its first minute measures
        // the compiler (JIT threads took ~60 CPU ms per licence in each service after a 2 s warm-up)
        issue(api.url(), DRIVING_PERMIT, "warm-" + run, 2, warmUp);
        Map<Integer, Rate> byClients = new LinkedHashMap<>();
        for (int clients : List.of(1, 2, 4)) {
            byClients.put(clients, profiled(api, seals, clients + " client(s)",
                    () -> issue(api.url(), DRIVING_PERMIT, "i" + clients + "-" + run, clients, seconds)));
        }
        Rate one = byClients.get(1);
        byClients.forEach((clients, rate) -> System.out.printf("issuance, %d client(s): %.2f licences/s (x%.2f of one), "
                + "p50 %.1f ms, p99 %.1f ms%n", clients, rate.perSecond(), rate.perSecond() / one.perSecond(), rate.p50(), rate.p99()));
        Map<String, String> types = defineTypesByFile(api.url(), run);
        Map<String, Rate> byFile = new LinkedHashMap<>();
        for (var type : types.entrySet()) {
            issue(api.url(), type.getValue(), "wf-" + type.getKey().replace("+", "") + "-" + run, 1, Math.min(3, seconds / 4));
            byFile.put(type.getKey(), profiled(api, seals, type.getKey(), () -> issue(api.url(), type.getValue(),
                    "f-" + type.getKey().replace("+", "") + "-" + run, 1, seconds)));
        }
        double pdfOnly = byFile.get("PDF").perSecond();
        byFile.forEach((files, rate) -> System.out.printf("issuance by file, 1 client, %-8s %.2f licences/s "
                + "(x%.2f of PDF alone), p50 %.1f ms, p99 %.1f ms%n", files + ":", rate.perSecond(),
                rate.perSecond() / pdfOnly, rate.p50(), rate.p99()));
        // the issue's own licence: "PDF with CJK text, sealed B-T", with 4 clients
        Rate pdfByFour = profiled(api, seals, "PDF, 4 clients", () -> issue(api.url(), types.get("PDF"),
                "f4-PDF-" + run, 4, seconds));
        System.out.printf("issuance, PDF alone, 4 clients: %.2f licences/s, p50 %.1f ms, p99 %.1f ms%n",
                pdfByFour.perSecond(), pdfByFour.p50(), pdfByFour.p99());
        return types;
    }

    /**
     * Three copies of the driving permit's definition that differ only in the files issued: the PDF (sample P-256 seal,
     * PAdES), the OFD (sample SM2 licence seal, GB/T 38540), both. Their codes: the sample agency's USCC + 7xx-9xx.
     */
    static Map<String, String> defineTypesByFile(String url, String run) throws Exception {
        Map<String, String> codes = new LinkedHashMap<>();
        int n = 700 + Math.floorMod(run.hashCode(), 90) * 3;
        for (String files : List.of("PDF", "OFD", "PDF+OFD")) {
            String code = DRIVING_PERMIT.substring(0, 18) + n++;
            String formats = files.equals("PDF+OFD") ? "[\"PDF\",\"OFD\"]" : "[\"" + files + "\"]";
            String body = "{\"code\":\"" + code + "\",\"name\":\"驾驶许可 " + files + "\",\"sealId\":\"sample-agency-seal\","
                    + "\"ofdSealId\":" + (files.equals("PDF") ? "null" : "\"sample-licence-seal\"") + ",\"formats\":" + formats
                    + ",\"signatureLevel\":\"B_T\",\"template\":{\"title\":\"驾驶许可\",\"accent\":\"#1f4e9c\"},"
                    + "\"fieldsSchema\":{\"type\":\"object\",\"properties\":{\"vehicleClass\":{\"type\":\"string\"},"
                    + "\"sex\":{\"type\":\"string\"},\"birthDate\":{\"type\":\"string\"},\"firstIssued\":{\"type\":\"string\"},"
                    + "\"address\":{\"type\":\"string\"}}}}";
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/licence-types"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("define a " + files + " type: HTTP " + response.statusCode() + " "
                        + response.body());
            }
            codes.put(files, code);
        }
        return codes;
    }

    private static final AtomicInteger ISSUED = new AtomicInteger();
    /** The licence service's own limit on one upload ({@code yinxin.licence.import.max-rows}). */
    static final int MAX_ROWS_PER_FILE = 100_000;

    interface Phase {
        Rate run() throws Exception;
    }

    /** Licences per second, and the median and 99th percentile of one issuance's time as its client saw it. */
    record Rate(double perSecond, double p50, double p99) {
    }

    /**
     * Runs an issuance phase and prints where its time went: the mean time of each route each service served and of
     * each call it made (their own Prometheus meters), and the CPU per licence of each process by thread kind.
     */
    static Rate profiled(LicenceServiceProcess api, SealServiceProcess seals, String name, Phase phase) throws Exception {
        RouteTimes licenceBefore = RouteTimes.read(api.url());
        RouteTimes sealBefore = RouteTimes.read(seals.url());
        Map<String, Long> cpuBefore = cpu(api, seals);
        int issuedBefore = ISSUED.get();
        Rate rate = phase.run();
        Map<String, Long> cpuAfter = cpu(api, seals);
        int n = Math.max(1, ISSUED.get() - issuedBefore);
        StringBuilder cpu = new StringBuilder();
        cpuAfter.forEach((kind, nanos) -> cpu.append(String.format(" %s %.1f,", kind,
                (nanos - cpuBefore.getOrDefault(kind, 0L)) / 1e6 / n)));
        System.out.print("where the time went, " + name + " (" + n + " licences, mean per call):\n"
                + RouteTimes.read(api.url()).since(licenceBefore, "licence") + RouteTimes.read(seals.url()).since(sealBefore, "seal")
                + "  CPU ms per licence:" + cpu.substring(0, cpu.length() - 1) + "\n");
        return rate;
    }

    /** CPU nanoseconds so far of the licence and seal services by thread kind, PostgreSQL and this JVM. */
    private static Map<String, Long> cpu(LicenceServiceProcess api, SealServiceProcess seals) {
        int postgres = Integer.parseInt(TestDatabase.jdbcUrl().replaceAll(".*://[^:/]+:(\\d+)/.*", "$1"));
        Map<String, Long> cpu = new java.util.TreeMap<>();
        ServiceProbes.threadCpuNanos(String.valueOf(api.pid())).forEach((k, v) -> cpu.put("licence " + k, v));
        ServiceProbes.threadCpuNanos(String.valueOf(seals.pid())).forEach((k, v) -> cpu.put("seal " + k, v));
        cpu.put("PostgreSQL", ServiceProbes.postgresCpuNanos(postgres));
        cpu.put("bench JVM", ServiceProbes.pidCpuNanos(String.valueOf(ProcessHandle.current().pid())));
        return cpu;
    }

    /** Licences of type {@code type} issued per second by {@code clients} concurrent clients in {@code seconds}. */
    static Rate issue(String url, String type, String prefix, int clients, double seconds) throws Exception {
        AtomicInteger issued = new AtomicInteger();
        List<Long> times = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger serial = new AtomicInteger();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    int i = serial.getAndIncrement();
                    String body = """
                            {"type":"%s","holder":{"kind":"PERSON","name":"持证人%d","number":"%s"},
                             "fields":{"vehicleClass":"C1","sex":"男","birthDate":"1970-01-01","firstIssued":"2010-03-15",
                             "address":"北京市东城区某路%d号"},"physicalNumber":"%s-%d"}"""
                            .formatted(type, i, "11010519491231002X", i, prefix, i);
                    long sent = System.nanoTime();
                    var response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/licences"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("issue: HTTP " + response.statusCode() + " " + response.body());
                    }
                    times.add(System.nanoTime() - sent);
                    issued.incrementAndGet();
                    ISSUED.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            // a failed issuance ends the run: without this the pool's threads kept the JVM (and so its services) alive
            pool.shutdownNow();
        }
        List<Long> sorted = times.stream().sorted().toList();
        return new Rate(issued.get() / ((System.nanoTime() - start) / 1e9), percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
    }

    /** One bulk conversion: the files its type issues, the worker processes and the worker threads in each. */
    record BulkRun(String files, String type, int processes, int threads) {
    }

    /**
     * Rows per second of an import of {@code rows} rows of {@code type} by fresh worker processes, after they worked
     * untimed imports for {@code warmUp} seconds (their JIT: a conversion of 100,000 rows runs for an hour, its first
     * seconds do not count).
     */
    static double bulk(String url, String database, String sealUrl, String prefix, String type, int rows, BulkRun workers,
                       double warmUp) throws Exception {
        List<LicenceServiceProcess> started = new ArrayList<>();
        try {
            for (int p = 0; p < workers.processes(); p++) {
                started.add(LicenceServiceProcess.start(database, sealUrl, Map.of("yinxin.licence.import.workers",
                        String.valueOf(workers.threads()), "yinxin.licence.import.batch-size", "2",
                        "yinxin.licence.import.poll", "PT0.1S")));
            }
            long warmUntil = System.nanoTime() + (long) (warmUp * 1e9);
            for (int batch = 0; batch == 0 || System.nanoTime() < warmUntil; batch++) {
                importRows(url, type, prefix + "-warm" + batch, Math.max(10, Math.min(rows / 6, 200)));
            }
            long start = System.nanoTime();
            if (rows <= MAX_ROWS_PER_FILE) {
                importRows(url, type, prefix, rows);
            } else {
                LargeConversion.run(url, type, prefix, rows, MAX_ROWS_PER_FILE);
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        } finally {
            started.forEach(LicenceServiceProcess::close);
        }
    }

    /** Uploads a CSV of {@code rows} valid rows and waits until the job is finished with every row issued. */
    static void importRows(String url, String type, String prefix, int rows) throws Exception {
        awaitFinished(url, upload(url, type, prefix, 0, rows), rows);
    }

    /** Uploads rows {@code from} to {@code from + rows - 1} as one CSV file; the job's id. */
    static String upload(String url, String type, String prefix, int from, int rows) throws Exception {
        StringBuilder csv = new StringBuilder("holderKind,holderName,holderNumber,physicalNumber,vehicleClass,sex,"
                + "birthDate,firstIssued\n");
        for (int i = from; i < from + rows; i++) {
            csv.append("PERSON,持证人").append(i).append(",11010519491231002X,").append(prefix).append('-').append(i)
                    .append(",C1,男,1949-12-31,2010-03-15\n");
        }
        var created = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/imports?type=" + type))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 202) {
            throw new IllegalStateException("import: HTTP " + created.statusCode() + " " + created.body());
        }
        return field(created.body(), "id");
    }

    /** The job's progress as the API answers it (JSON). */
    static String progress(String url, String job) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/imports/" + job)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Waits until the job is finished and fails unless every one of its {@code rows} rows was issued. */
    static void awaitFinished(String url, String job, int rows) throws Exception {
        while (true) {
            String progress = progress(url, job);
            if (progress.contains("\"status\":\"FINISHED\"")) {
                if (!field(progress, "done").equals(String.valueOf(rows))) {
                    throw new IllegalStateException("import did not issue every row: " + progress);
                }
                return;
            }
            Thread.sleep(100);
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

}
