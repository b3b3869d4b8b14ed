package cn.yinxin.bench;

import cn.yinxin.core.licence.LicenceIdentifier;
import cn.yinxin.testing.LicenceServiceProcess;
import cn.yinxin.testing.SealServiceProcess;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The licence registry at province scale (issue 19): look-ups through the real licence service (its jar, its
 * migrations, on embedded PostgreSQL) when the licence table holds millions of licences.
 * <p>
 * The licences are written with COPY (as a conversion of existing licences would load them), with the table's
 * constraints and indexes dropped during the load and made again after it, exactly as the migrations define them
 * (the way pg_restore loads). Each licence is a driving permit with every column filled as issuance fills it, except
 * the PDF: a 16-byte stand-in (10 million real PDFs would be about 500 GB; the look-ups do not read the PDF column,
 * RegistryIndexesTest holds them to that). One licence in a hundred has a version 2 replacing it; 1 % are revoked,
 * 0.1 % suspended; every holder (a resident ID number) holds two.
 * <p>
 * Timed, one client after a warm-up, each look-up a uniformly random licence or holder, over HTTP on loopback:
 * <ul>
 * <li>by identifier: {@code GET /api/v1/licences/{id}} as the issuing office, and the public
 * {@code GET /api/v1/licences/{id}/status} (it also asks which version replaced the licence);</li>
 * <li>by holder: {@code GET /api/v1/holder/licences} as the holder.</li>
 * </ul>
 * The reference, in the same run: the same look-ups on a registry of {@code --reference} licences (default 10,000);
 * and, at full size, the status check with the successor index of V91 dropped (the registry before it).
 * <pre>./yinxin bench registry [--licences 10000000] [--reference 10000] [--lookups 3000]</pre>
 */
public final class RegistryBenchmark {

    static final String DRIVING_PERMIT = "11410000MB00001749002";
    static final String ISSUER = "11410000MB00001749";
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String COLUMNS = "id, identifier, type_code, issuer_code, issuer_name, serial, version, "
            + "holder_kind, holder_name, holder_number, fields, physical_number, approval_item, valid_from, valid_until, "
            + "status, status_reason, status_changed_at, status_index, replaces, qr_text, pdf, issued_by, issued_at";

    public static void main(String[] args) throws Exception {
        long licences = Long.parseLong(Runs.option(args, "--licences", "10000000"));
        long reference = Long.parseLong(Runs.option(args, "--reference", "10000"));
        int lookups = Integer.parseInt(Runs.option(args, "--lookups", "3000"));
        String run = UUID.randomUUID().toString().substring(0, 6);
        System.out.printf("Registry benchmark: %,d licences against a reference of %,d, %,d look-ups of each kind "
                + "(%d cores, Java %s)%n", licences, reference, lookups, Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        Map<String, Latencies> small;
        Map<String, Latencies> large;
        try (TestRevocationServer revocation = new TestRevocationServer();
             TestTsa tsa = new TestTsa(revocation.hierarchy().tsa());
             SealServiceProcess seals = SealServiceProcess.start("bench_registry_seal_" + run, revocation.keystores(), tsa.url())) {
            small = registry("bench_registry_ref_" + run, reference, lookups, seals.url(), false);
            large = registry("bench_registry_" + run, licences, lookups, seals.url(), true);
        }
        System.out.println();
        System.out.printf("| look-up | %,d licences: p50 / p99 / max ms | %,d licences (reference): p50 / p99 / max ms "
                + "| p99 ratio |%n", licences, reference);
        System.out.println("|---|---|---|---|");
        for (String kind : large.keySet()) {
            Latencies l = large.get(kind);
            Latencies s = small.get(kind);
            System.out.printf("| %s | %s | %s | %s |%n", kind, l, s == null ? "-" : s.toString(),
                    s == null ? "-" : String.format("%.2f", l.p(0.99) / s.p(0.99)));
        }
        System.exit(0);
    }

    /** Fills a registry of {@code size} licences, starts a licence service on it and times the look-ups. */
    static Map<String, Latencies> registry(String database, long size, int lookups, String sealUrl, boolean before)
            throws Exception {
        String jdbc = TestDatabase.jdbcUrl(database);
        Map<String, Latencies> results = new LinkedHashMap<>();
        try (LicenceServiceProcess api = LicenceServiceProcess.start(database, sealUrl,
                Map.of("yinxin.licence.import.workers", "0"))) {
            try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
                List<String> restore = dropConstraintsAndIndexes(connection);
                long dropped = System.nanoTime();
                load(connection, size);
                long loaded = System.nanoTime();
                remake(connection, restore);
                long indexed = System.nanoTime();
                System.out.printf("%s: %,d licences written with COPY in %.1f s (%.0f rows/s), %d constraints and "
                                + "indexes made again in %.1f s; table %s, indexes %s%n", database, size,
                        (loaded - dropped) / 1e9, size / ((loaded - dropped) / 1e9), restore.size(),
                        (indexed - loaded) / 1e9, size(connection, "pg_table_size('licence')"),
                        size(connection, "pg_indexes_size('licence')"));
            }
            String url = api.url();
            SplittableRandom random = new SplittableRandom(size);
            warmUp(url, size, random, Math.min(lookups, 1000));
            results.put("by identifier, issuing office (`GET /api/v1/licences/{id}`)",
                    time(lookups, () -> byIdentifier(url, random.nextLong(size))));
            results.put("by identifier, public status (`GET /api/v1/licences/{id}/status`)",
                    time(lookups, () -> status(url, random.nextLong(size))));
            results.put("by holder (`GET /api/v1/holder/licences`)",
                    time(lookups, () -> byHolder(url, random.nextLong(size / 2))));
            if (before) {
                try (Connection connection = DriverManager.getConnection(jdbc, "postgres", "postgres");
                     var statement = connection.createStatement()) {
                    statement.execute("DROP INDEX licence_by_replaces");
                    results.put("public status without V91's successor index (before)",
                            time(5, () -> status(url, random.nextLong(size))));
                    statement.execute("CREATE INDEX licence_by_replaces ON licence (replaces) WHERE replaces IS NOT NULL");
                }
            }
        }
        return results;
    }

    // ---- loading -------------------------------------------------------------------------------------------------

    /**
     * Drops the licence table's constraints (those of other tables that point at it first) and its other indexes;
     * returns the statements that make them again, in order (indexes and keys, then foreign keys).
     */
    static List<String> dropConstraintsAndIndexes(Connection connection) throws SQLException {
        List<String> keys = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        try (var statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("""
                    SELECT conrelid::regclass, conname, pg_get_constraintdef(oid), contype FROM pg_constraint
                    WHERE (conrelid = 'licence'::regclass OR confrelid = 'licence'::regclass) AND contype IN ('p', 'u', 'f')
                    ORDER BY contype = 'f' DESC""")) {
                while (rows.next()) {
                    String add = "ALTER TABLE " + rows.getString(1) + " ADD CONSTRAINT " + rows.getString(2) + " "
                            + rows.getString(3);
                    (rows.getString(4).equals("f") ? foreign : keys).add(add);
                    drops.add("ALTER TABLE " + rows.getString(1) + " DROP CONSTRAINT " + rows.getString(2));
                }
            }
            try (var rows = statement.executeQuery("""
                    SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'licence'
                    AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'licence'::regclass)""")) {
                while (rows.next()) {
                    keys.add(rows.getString(2));
                    drops.add("DROP INDEX " + rows.getString(1));
                }
            }
            for (String drop : drops) {
                statement.execute(drop);
            }
        }
        List<String> restore = new ArrayList<>(keys);
        restore.addAll(foreign);
        return restore;
    }

    static void remake(Connection connection, List<String> restore) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("SET maintenance_work_mem = '1GB'");
            statement.execute("SET max_parallel_maintenance_workers = 2");
            for (String sql : restore) {
                statement.execute(sql);
            }
            statement.execute("ANALYZE licence");
        }
    }

    /** Writes licences 0 .. size-1 with one COPY. */
    static void load(Connection connection, long size) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY licence (" + COLUMNS + ") FROM STDIN");
        try {
            StringBuilder rows = new StringBuilder(1 << 21);
            for (long i = 0; i < size; i++) {
                row(i, size, rows);
                if (rows.length() > (1 << 20) || i == size - 1) {
                    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    rows.setLength(0);
                }
            }
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** One licence in COPY's text format: tab-separated, \N for null. */
    static void row(long i, long size, StringBuilder out) {
        boolean second = i % 100 == 1;                          // version 2 of licence i - 1
        boolean replaced = i % 100 == 0 && i + 1 < size;        // replaced by licence i + 1
        LicenceIdentifier identifier = identifierOf(i);
        String serial = identifier.serial();
        int version = identifier.version();
        long draw = (i * 0x9E3779B97F4A7C15L) >>> 40;          // a fixed spread of statuses
        LocalDate from = LocalDate.of(2020, 1, 1).plusDays(i % 2000);
        // a registry in service has expired the licences whose validity ended (the hourly expiry, in batches)
        String status = replaced ? "SUPERSEDED" : draw % 1000 < 10 ? "REVOKED" : from.plusYears(6).isBefore(TODAY)
                ? "EXPIRED" : draw % 1000 == 10 ? "SUSPENDED" : "VALID";
        String stamp = from + " 09:00:00+08";
        out.append(licenceId(i)).append('\t')
                .append(identifier).append('\t')
                .append(DRIVING_PERMIT).append('\t').append(ISSUER).append("\t河南省公安厅交通警察总队\t")
                .append(serial).append('\t').append(version).append("\tPERSON\t持证人").append(i % 9973).append('\t')
                .append(holder(i / 2)).append('\t')
                .append("{\"vehicleClass\":\"C1\",\"sex\":\"男\",\"birthDate\":\"1990-01-01\",\"firstIssued\":\"")
                .append(from).append("\"}\t")
                .append("4101").append(serial).append("\t\\N\t").append(from).append('\t').append(from.plusYears(6))
                .append('\t').append(status).append('\t').append(status.equals("VALID") ? "\\N" : "bench").append('\t')
                .append(stamp).append('\t').append(i).append('\t').append(second ? licenceId(i - 1).toString() : "\\N")
                .append('\t').append("HC1:").append("6BFOXN*TS0BI$ZD.P9UOL97O4-2HH77HRM3DSPTLRR+%3".repeat(6))
                .append(i).append("\t\\\\x25504446207374616e642d696e0a\tbench\t").append(stamp).append('\n');
    }

    static UUID licenceId(long i) {
        return new UUID(0x7969786e72656700L, i);
    }

    /** Holder {@code h}'s resident ID number (GB 11643): a region, a birth date, a sequence, the check character. */
    static String holder(long h) {
        String body = "410105" + LocalDate.of(1950, 1, 1).plusDays(h / 1000).toString().replace("-", "")
                + String.format("%03d", h % 1000);
        int sum = 0;
        for (int k = 0; k < 17; k++) {
            sum += (body.charAt(k) - '0') * ID_WEIGHTS[k];
        }
        return body + "10X98765432".charAt(sum % 11);
    }

    static String size(Connection connection, String expression) throws SQLException {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT pg_size_pretty(" + expression + ")")) {
            rows.next();
            return rows.getString(1);
        }
    }

    // ---- look-ups ------------------------------------------------------------------------------------------------

    static void byIdentifier(String url, long i) {
        String identifier = identifier(i);
        String body = get(url + "/api/v1/licences/" + identifier, "X-Dev-Roles", "licence-issuer", "X-Dev-Office", ISSUER);
        if (!body.contains(identifier) || !body.contains(holder(i / 2))) {
            throw new IllegalStateException("licence " + identifier + " answered " + body);
        }
    }

    static void status(String url, long i) {
        String identifier = identifier(i);
        String body = get(url + "/api/v1/licences/" + identifier + "/status");
        boolean replaced = i % 100 == 0 && body.contains("SUPERSEDED");
        if (!body.contains(identifier) || replaced != body.contains("supersededBy")) {
            throw new IllegalStateException("status of " + identifier + " answered " + body);
        }
    }

    static void byHolder(String url, long h) {
        String number = holder(h);
        String body = get(url + "/api/v1/holder/licences", "X-Dev-Roles", "citizen", "X-Dev-Holder", number);
        if (!body.contains(identifier(2 * h))) {
            throw new IllegalStateException("holder " + number + " answered " + body);
        }
    }

    static String identifier(long i) {
        return identifierOf(i).toString();
    }

    /** Licence i: one in a hundred (i % 100 == 1) is version 2 of licence i - 1, with its serial. */
    static LicenceIdentifier identifierOf(long i) {
        long first = i % 100 == 1 ? i - 1 : i;
        return new LicenceIdentifier(DRIVING_PERMIT, ISSUER, String.format("D%09d", first), i % 100 == 1 ? 2 : 1);
    }

    static String get(String url, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
            for (int k = 0; k < headers.length; k += 2) {
                request.header(headers[k], headers[k + 1]);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void warmUp(String url, long size, SplittableRandom random, int n) {
        for (int k = 0; k < n; k++) {
            byIdentifier(url, random.nextLong(size));
            status(url, random.nextLong(size));
            byHolder(url, random.nextLong(size / 2));
        }
    }

    static Latencies time(int n, Runnable lookUp) {
        long[] nanos = new long[n];
        for (int k = 0; k < n; k++) {
            long start = System.nanoTime();
            lookUp.run();
            nanos[k] = System.nanoTime() - start;
        }
        return new Latencies(nanos);
    }

    /** Response times of one kind of look-up. */
    record Latencies(long[] nanos) {
        Latencies {
            nanos = nanos.clone();
            Arrays.sort(nanos);
        }

        double p(double quantile) {
            return nanos[Math.min(nanos.length - 1, (int) Math.ceil(quantile * nanos.length) - 1)] / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%.2f / %.2f / %.2f (n=%d)", p(0.5), p(0.99), nanos[nanos.length - 1] / 1e6, nanos.length);
        }
    }
}
