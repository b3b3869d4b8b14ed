package cn.yinxin.bench;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.testing.TestDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does the audit chain cap stamping when instances share one PostgreSQL (issue 19)? Appends per second of the
 * services' own {@link AuditLog#record} (one entry per transaction, as a stamp writes its signing record; the
 * transaction-scoped advisory lock, the previous hash read, the insert) by 1, 2, 4 and 8 writers, each on its own
 * connection as separate instances or request threads would be, on the seal service's schema (its migrations).
 * Reference in the same run: the same transactions inserting the same row with no chain (no lock, no previous
 * hash). Commits are durable ({@code synchronous_commit = on}; the embedded PostgreSQL turns it off by default).
 * The chain is verified after each run ({@link AuditChain#verify}): concurrent appends must leave it whole.
 * The appends go to one chain (as before there were several) and to {@code --chains} chains (default 8, the
 * services' default), in the same run.
 * <pre>./yinxin bench audit [--seconds 5] [--chains 8]</pre>
 */
public final class AuditAppendBenchmark {

    private static final String DETAILS = "client=approval-system-a person=- source=api seal=sample-agency-seal "
            + "certificate=seal-ca:4f1c2a9e0b77d3a1 before=sha256:9f2b6c0d1e4a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e "
            + "after=sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9 level=PAdES-BASELINE-T";

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(Runs.option(args, "--seconds", "5"));
        Path migrations = Path.of("seal-service/src/main/resources/db/migration");
        if (!Files.isDirectory(migrations)) {
            throw new IllegalStateException("run from the repository's root (the seal service's migrations: " + migrations + ")");
        }
        String url = TestDatabase.jdbcUrl("bench_audit_" + UUID.randomUUID().toString().substring(0, 6));
        Flyway.configure().dataSource(url, "postgres", "postgres").locations("filesystem:" + migrations).load().migrate();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setPassword("postgres");
        config.setMaximumPoolSize(20);
        config.setConnectionInitSql("SET synchronous_commit = on");
        System.out.printf("Audit appends: %s s per run, %d cores, PostgreSQL embedded, synchronous_commit on%n", seconds,
                Runtime.getRuntime().availableProcessors());
        try (HikariDataSource data = new HikariDataSource(config)) {
            JdbcClient jdbc = JdbcClient.create(data);
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(data));
            int chains = Integer.parseInt(Runs.option(args, "--chains", "8"));
            AuditLog oneChain = new AuditLog(jdbc, 1);
            AuditLog audit = new AuditLog(jdbc, chains);
            jdbc.sql("CREATE TABLE unchained_event (LIKE audit_event INCLUDING DEFAULTS)").update();
            Runnable single = () -> transaction.executeWithoutResult(t ->
                    oneChain.record("approval-system-a", "stamp", "seal:sample-agency-seal", DETAILS));
            Runnable chained = () -> transaction.executeWithoutResult(t ->
                    audit.record("approval-system-a", "stamp", "seal:sample-agency-seal", DETAILS));
            Runnable unchained = () -> transaction.executeWithoutResult(t -> jdbc.sql("""
                    INSERT INTO unchained_event (id, at, actor, action, subject, details, chain)
                    VALUES (nextval(pg_get_serial_sequence('audit_event', 'id')), now(), 'approval-system-a', 'stamp',
                    'seal:sample-agency-seal', :d, 0)""").param("d", DETAILS).update());
            rate(single, 2, seconds / 2);       // JIT and connections
            rate(chained, 2, seconds / 2);
            rate(unchained, 2, seconds / 2);
            System.out.printf("| writers | one chain: appends/s (ratio) | %d chains: appends/s (ratio) | unchained inserts/s "
                    + "(reference) |%n|---|---|---|---|%n", chains);
            for (int writers : new int[] {1, 2, 4, 8, 16}) {
                double withOne = rate(single, writers, seconds);
                double withChains = rate(chained, writers, seconds);
                double without = rate(unchained, writers, seconds);
                System.out.printf("| %d | %.0f (%.2f) | %.0f (%.2f) | %.0f |%n", writers, withOne, withOne / without,
                        withChains, withChains / without, without);
            }
            try (Connection connection = data.getConnection()) {
                AuditChain.Result chain = AuditChain.verify(connection);
                if (!chain.intact()) {
                    throw new IllegalStateException("concurrent appends broke the chain: " + chain.problem());
                }
                System.out.printf("the chain is whole after the runs: %,d entries%n", chain.entries());
            }
        }
        System.exit(0);
    }

    /** Transactions per second by {@code writers} threads, each with its own connection, for {@code seconds}. */
    static double rate(Runnable append, int writers, double seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    append.run();
                    done.incrementAndGet();
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }
}
