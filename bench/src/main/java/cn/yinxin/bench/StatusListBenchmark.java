package cn.yinxin.bench;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.core.qr.StatusList;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * A licence type's status list at province scale ({@code ./yinxin bench status-list}): 10 million entries of 2 bits,
 * 1 % revoked and 0.1 % suspended at random indices (the worst spread for compression: real revocations cluster in
 * older licences), built as the licence service builds it (entries set, zlib, CWT claims, ES256 COSE_Sign1 with a
 * P-256 seal key) and read as the verifier reads it (signature checked, inflated within its limit).
 *
 * <p>References in the same run: the same bitstring compressed with plain java.util.zip at BEST_COMPRESSION (what
 * the licence service used before), and the same list built at 1 million entries. Targets: 10 M built in < 10 s,
 * signed list under 2 MB.
 *
 * <p>Then the same from PostgreSQL (embedded, on {@code --db-port 55432}; {@code --no-database} skips it): the rows
 * made with generate_series, the non-valid ones read through the V90 partial index, against reading every row.
 *
 * <p>Options: {@code --entries 10000000 --rounds 5 --revoked 0.01 --suspended 0.001}.
 */
public final class StatusListBenchmark {

    private StatusListBenchmark() {
    }

    record Built(byte[] token, long buildNanos, long compressNanos, long signNanos) {
    }

    public static void main(String[] args) throws Exception {
        long entries = Long.parseLong(Runs.option(args, "--entries", "10000000"));
        int rounds = Integer.parseInt(Runs.option(args, "--rounds", "5"));
        double revoked = Double.parseDouble(Runs.option(args, "--revoked", "0.01"));
        double suspended = Double.parseDouble(Runs.option(args, "--suspended", "0.001"));

        KeyPair keys = CertificateMaker.newEcKeyPair();
        X509Certificate certificate = CertificateMaker.selfSignedRoot(CertificateMaker.sealSubject("某局专用章", "某局",
                "11430000006122244L"), keys, Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
        SealKey seal = new SealKey(keys.getPrivate(), List.of(certificate));
        QrSigner signer = new QrSigner(seal);
        QrVerifier verifier = new QrVerifier(List.of(certificate), Clock.systemUTC());
        String uri = "https://licences.example.gov.cn/api/v1/status-lists/11430000006122244L/T1";

        System.out.printf("Status list: %,d entries, 2 bits, %.1f %% revoked and %.1f %% suspended at random; %d rounds "
                + "(median), %d cores, Java %s%n", entries, revoked * 100, suspended * 100, rounds,
                Runtime.getRuntime().availableProcessors(), Runtime.version());

        Medians medians = new Medians();
        byte[] token = null;
        int plainSize = 0;
        int smallSize = 0;
        for (int round = 0; round <= rounds; round++) { // round 0 warms up
            Built built = build(entries, revoked, suspended, signer, uri);
            token = built.token();
            long start = System.nanoTime();
            var verified = verifier.verifyToken(token, 4 << 20);
            @SuppressWarnings("unchecked")
            var list = (Map<Object, Object>) verified.claims().get(65533);
            StatusList read10 = StatusList.decompress((byte[]) list.get("lst"), 2, 16 << 20);
            long readNanos = System.nanoTime() - start;
            if (read10.size() < entries) {
                throw new IllegalStateException("the list read back has " + read10.size() + " entries");
            }

            // reference: the same bitstring at BEST_COMPRESSION with plain java.util.zip
            StatusList same = StatusList.wrap(read10.packed(), 2);
            start = System.nanoTime();
            plainSize = bestCompression(same.packed());
            long plainNanos = System.nanoTime() - start;

            // reference: a tenth of the list
            Built tenth = build(entries / 10, revoked, suspended, signer, uri);
            smallSize = tenth.token().length;
            if (round > 0) {
                medians.add(built, readNanos, plainNanos, tenth);
            }
        }
        medians.print(entries);
        System.out.printf("sizes: packed %,d bytes; signed list %,d bytes (target < 2,000,000); BEST_COMPRESSION "
                        + "zlib %,d bytes; signed list of %,d entries %,d bytes%n", (entries * 2 + 7) / 8, token.length,
                plainSize, entries / 10, smallSize);
        System.out.printf("heap used after the run: %,d MB%n",
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        if (!Arrays.asList(args).contains("--no-database")) {
            fromDatabase(entries, revoked, suspended, rounds, signer, uri,
                    Integer.parseInt(Runs.option(args, "--db-port", "55432")));
        }
    }

    /** The size of {@code packed} deflated at BEST_COMPRESSION with plain java.util.zip. */
    private static int bestCompression(byte[] packed) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(packed);
        deflater.finish();
        byte[] out = new byte[packed.length + 1024];
        int n = 0;
        while (!deflater.finished()) {
            n += deflater.deflate(out, n, out.length - n);
        }
        deflater.end();
        return n;
    }

    /** The measured rounds' times (ms), printed as medians. */
    private static final class Medians {
        final List<Double> total = new ArrayList<>();
        final List<Double> compress = new ArrayList<>();
        final List<Double> sign = new ArrayList<>();
        final List<Double> read = new ArrayList<>();
        final List<Double> plain = new ArrayList<>();
        final List<Double> small = new ArrayList<>();

        void add(Built built, long readNanos, long plainNanos, Built tenth) {
            total.add(built.buildNanos() / 1e6);
            compress.add(built.compressNanos() / 1e6);
            sign.add(built.signNanos() / 1e6);
            read.add(readNanos / 1e6);
            plain.add(plainNanos / 1e6);
            small.add(tenth.buildNanos() / 1e6);
        }

        void print(long entries) {
            System.out.printf("%-58s %10s%n", "", "median");
            System.out.printf("%-58s %8.0f ms  (target < 10,000 ms)%n", "build and sign " + String.format("%,d", entries)
                    + " (set entries, zlib, CWT, ES256)", Runs.median(total));
            System.out.printf("%-58s %8.0f ms%n", "  of which zlib (default level)", Runs.median(compress));
            System.out.printf("%-58s %8.0f ms%n", "  of which CBOR claims and ES256 signature", Runs.median(sign));
            System.out.printf("%-58s %8.0f ms%n", "verifier: check signature, inflate within 16 MiB", Runs.median(read));
            System.out.printf("%-58s %8.0f ms%n", "reference: same bitstring, java.util.zip BEST_COMPRESSION",
                    Runs.median(plain));
            System.out.printf("%-58s %8.0f ms%n", "reference: build and sign " + String.format("%,d", entries / 10),
                    Runs.median(small));
        }
    }

    /**
     * The list as the licence service builds it from PostgreSQL (embedded, 14): {@code entries} licence rows of one
     * type, the non-valid ones read through the licence_not_valid partial index (V90), set, compressed and signed.
     * Reference: reading every row of the type, as the service did before (no list built; just the read).
     */
    static void fromDatabase(long entries, double revoked, double suspended, int rounds, QrSigner signer, String uri,
                             int port) throws Exception {
        try (var postgres = EmbeddedPostgres.builder().setPort(port).start();
             var connection = postgres.getPostgresDatabase().getConnection();
             var statement = connection.createStatement()) {
            makeLicenceRows(statement, entries, revoked, suspended, port);
            long start;

            List<Double> fromRows = new ArrayList<>();
            List<Double> query = new ArrayList<>();
            int size = 0;
            int rows = 0;
            for (int round = 0; round <= rounds; round++) {
                start = System.nanoTime();
                StatusList list = StatusList.of(entries, 2);
                int count = 0;
                try (var result = statement.executeQuery("SELECT status_index, status FROM licence WHERE issuer_code "
                        + "= '11430000006122244L' AND type_code = 'T1' AND status <> 'VALID'")) {
                    while (result.next()) {
                        list.set(result.getInt(1), "SUSPENDED".equals(result.getString(2)) ? StatusList.SUSPENDED
                                : StatusList.INVALID);
                        count++;
                    }
                }
                long read = System.nanoTime();
                Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                byte[] token = signer.coseSign1(CwtClaims.builder().subject(uri).issuedAt(issued)
                        .expiresAt(issued.plus(Duration.ofDays(1))).put(65534, 3600L)
                        .put(65533, Map.of("bits", 2, "lst", list.compressed())).build());
                long end = System.nanoTime();
                size = token.length;
                rows = count;
                if (round > 0) {
                    fromRows.add((end - start) / 1e6);
                    query.add((read - start) / 1e6);
                }
            }
            // the service read every row into memory at once (its driver's default): 10 M rows do not fit in a
            // 512 MB heap, so the reference reads them in batches of 10,000 (a cursor), which only flatters it
            connection.setAutoCommit(false);
            statement.setFetchSize(10_000);
            start = System.nanoTime();
            long all = 0;
            try (var result = statement.executeQuery("SELECT status_index, status FROM licence WHERE issuer_code "
                    + "= '11430000006122244L' AND type_code = 'T1'")) {
                while (result.next()) {
                    all += result.getInt(1) & 1;
                }
            }
            double everyRow = (System.nanoTime() - start) / 1e6;
            System.out.printf("%-58s %8.0f ms  (target < 10,000 ms)%n", "from PostgreSQL: read " + String.format("%,d",
                    rows) + " non-valid rows, build, sign", Runs.median(fromRows));
            System.out.printf("%-58s %8.0f ms%n", "  of which the read (index licence_not_valid)", Runs.median(query));
            System.out.printf("%-58s %8.0f ms  (one run%s)%n", "reference: read every row of the type, as before",
                    everyRow, all < 0 ? "" : ", in batches of 10,000");
            connection.commit();
            System.out.printf("signed list from the database: %,d bytes%n", size);
        }
    }

    /** {@code entries} licence rows of one type, about as wide as a licence (without its PDF), and index V90. */
    private static void makeLicenceRows(Statement statement, long entries, double revoked, double suspended, int port)
            throws SQLException {
        long start = System.nanoTime();
        // the columns a status list reads, and a row about as wide as a licence's (without its PDF)
        statement.execute("""
                CREATE TABLE licence (id bigint PRIMARY KEY, issuer_code text NOT NULL, type_code text NOT NULL,
                    status_index integer NOT NULL, status text NOT NULL, identifier text NOT NULL,
                    holder_name text NOT NULL, holder_number text NOT NULL, fields text NOT NULL,
                    UNIQUE (issuer_code, type_code, status_index))""");
        double suspendedUpTo = suspended;
        double notValidUpTo = suspended + revoked;
        statement.execute("INSERT INTO licence SELECT i, '11430000006122244L', 'T1', i, CASE WHEN r < "
                + suspendedUpTo + " THEN 'SUSPENDED' WHEN r < " + notValidUpTo + " THEN 'REVOKED' ELSE 'VALID' END, "
                + "'1.2.156.3005.2.11430000006122244L.T1.' || i, '张三' || (i % 1000), '110105199001' || lpad((i % 1000000)::text, 6, '0'), "
                + "'{\"车型\":\"C1\",\"档案编号\":\"' || md5(i::text) || '\"}' "
                + "FROM (SELECT i, random() AS r FROM generate_series(0, " + (entries - 1) + ") AS i) AS g");
        // as migration V90__status_list_entries.sql makes it
        statement.execute("CREATE INDEX licence_not_valid ON licence (issuer_code, type_code) "
                + "INCLUDE (status_index, status) WHERE status <> 'VALID'");
        statement.execute("VACUUM ANALYZE licence");
        System.out.printf("%nPostgreSQL 14 (embedded, port %d): %,d licence rows made in %.0f s%n", port, entries,
                (System.nanoTime() - start) / 1e9);
    }

    /** As the licence service builds a list: the non-valid entries set on an empty list, then zlib, claims, ES256. */
    static Built build(long entries, double revoked, double suspended, QrSigner signer, String uri) throws Exception {
        SplittableRandom random = new SplittableRandom(19);
        long notValid = Math.round(entries * (revoked + suspended));
        long suspendedCount = Math.round(entries * suspended);
        // the indices drawn before the clock starts: in the service they come from the database
        long[] indices = new long[(int) notValid];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = random.nextLong(entries);
        }
        long start = System.nanoTime();
        StatusList list = StatusList.of(entries, 2);
        for (int i = 0; i < indices.length; i++) {
            list.set(indices[i], i < suspendedCount ? StatusList.SUSPENDED : StatusList.INVALID);
        }
        long compressStart = System.nanoTime();
        byte[] lst = list.compressed();
        long signStart = System.nanoTime();
        Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] token = signer.coseSign1(CwtClaims.builder().subject(uri).issuedAt(issued)
                .expiresAt(issued.plus(Duration.ofDays(1))).put(65534, 3600L)
                .put(65533, Map.of("bits", 2, "lst", lst)).build());
        long end = System.nanoTime();
        return new Built(token, end - start, signStart - compressStart, end - signStart);
    }
}
