package cn.yinxin.seal.audit;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.service.audit.AuditCheckpoints;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.testing.SampleKeystores;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second, hostile read of the audit log's chains (session 7, helper "auditread"): what the chains' locks promise
 * (one append at a time per chain, no checkpoint while an append is under way, nothing that waits for ever) under
 * the transaction shapes Spring allows: a savepoint rolled back (PROPAGATION_NESTED) and a transaction set aside
 * (REQUIRES_NEW) while a checkpoint is taking the chains' locks.
 */
@SpringBootTest
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL")
class AuditChainsHostileTest {

    private static final Path keystores = SampleKeystores.fresh();
    /** AuditLog.APPEND_LOCK: chain c's advisory lock is this plus c. */
    private static final long APPEND_LOCK = 0x59494e5849_4eL;

    @Autowired
    TransactionTemplate transaction;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    AuditCheckpoints checkpoints;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("audit_chains_hostile"));
        registry.add("yinxin.seals.import-dir", () -> keystores.resolve("seals").toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.keystore.path", () -> keystores.resolve("seal-service/keys.p12").toString());
    }

    /** Whatever a failed run left waiting is cancelled, so that the next test starts with every chain free. */
    @AfterEach
    void cancelWaits() {
        jdbc.sql("SELECT pg_cancel_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                .query((rs, n) -> 0).list();
        threads.shutdownNow();
    }

    /**
     * A transaction keeps the chain of its first entry; when that entry was written in a savepoint that is rolled
     * back (PROPAGATION_NESTED), PostgreSQL lets the chain's lock go with it, while the transaction still takes the
     * chain for its own. Its next entry must not be written without the lock: another transaction appends to the
     * chain meanwhile, and both would chain to the same entry (a fork, which verify names as a deleted entry).
     */
    @Test
    void aSavepointRolledBackDoesNotLeaveTheTransactionAppendingWithoutItsChainsLock() throws Exception {
        AuditLog oneChain = new AuditLog(jdbc, 1);
        transaction.executeWithoutResult(t -> oneChain.record("tester", "test.savepoint", "before", "first"));
        var nested = new TransactionTemplate(transaction.getTransactionManager());
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        CountDownLatch otherAppended = new CountDownLatch(1);
        CountDownLatch otherMayCommit = new CountDownLatch(1);
        var other = new java.util.concurrent.atomic.AtomicReference<Future<?>>();
        Future<?> self = threads.submit(() -> transaction.executeWithoutResult(t -> {
            nested.executeWithoutResult(savepoint -> {
                oneChain.record("tester", "test.savepoint", "outer", "rolled back");
                savepoint.setRollbackOnly();
            });
            // another transaction takes the chain now that the savepoint let its lock go, and appends
            other.set(threads.submit(() -> transaction.executeWithoutResult(o -> {
                oneChain.record("tester", "test.savepoint", "other", "appended meanwhile");
                otherAppended.countDown();
                await(otherMayCommit);
            })));
            await(otherAppended);
            threads.submit(() -> {
                sleep(500);
                otherMayCommit.countDown();
            });
            oneChain.record("tester", "test.savepoint", "outer", "kept");
        }));
        self.get(30, TimeUnit.SECONDS);
        other.get().get(30, TimeUnit.SECONDS);
        AuditChain.Result chain = verify();
        assertThat(chain.intact()).as(String.valueOf(chain.problem())).isTrue();
        assertThat(jdbc.sql("SELECT subject || ':' || details FROM audit_event WHERE action = 'test.savepoint' ORDER BY id")
                .query(String.class).list()).containsExactly("before:first", "other:appended meanwhile", "outer:kept");
    }

    /**
     * The chain a transaction keeps, its lock let go by a savepoint rolled back, may be taken by a transaction it sets
     * aside (REQUIRES_NEW), which ends; the outer one takes its chain's lock again for its next entry. A refusal it
     * then audits apart must still know that chain is this thread's (with one chain: it fails at once, as when the
     * outer transaction never let its chain go) rather than wait for it for ever.
     */
    @Test
    void aChainTakenAgainAfterASavepointIsStillKnownAsThisThreadsOwn() throws Exception {
        AuditLog oneChain = new AuditLog(jdbc, 1);
        var nested = new TransactionTemplate(transaction.getTransactionManager());
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        var separate = new TransactionTemplate(transaction.getTransactionManager());
        separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        Future<?> self = threads.submit(() -> transaction.executeWithoutResult(t -> {
            nested.executeWithoutResult(savepoint -> {
                oneChain.record("tester", "test.taken-again", "outer", "rolled back");
                savepoint.setRollbackOnly();
            });
            separate.executeWithoutResult(inner -> oneChain.record("tester", "test.taken-again", "inner", "first"));
            oneChain.record("tester", "test.taken-again", "outer", "kept");
            separate.executeWithoutResult(inner -> oneChain.record("tester", "test.taken-again", "inner", "second"));
        }));
        try {
            self.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e).hasStackTraceContaining("every audit chain is held by a transaction of this thread");
        }
        AuditChain.Result chain = verify();
        assertThat(chain.intact()).as(String.valueOf(chain.problem())).isTrue();
    }

    /**
     * A checkpoint takes every chain's lock in turn and waits for each; a transaction set aside (REQUIRES_NEW) on a
     * chain the checkpoint waits for cannot go on until the one it set aside for appends and ends. That append must
     * not wait for ever for a chain the checkpoint took meanwhile (three waits in a ring PostgreSQL cannot see, one
     * of them in Java: every later append of the service would queue behind the checkpoint for good).
     */
    @Test
    void aCheckpointDoesNotHoldTheChainsForEverWhileATransactionSetAsideWaitsForOne() throws Exception {
        AuditLog twoChains = new AuditLog(jdbc, 2);
        var separate = new TransactionTemplate(transaction.getTransactionManager());
        separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        CountDownLatch chainZeroHeld = new CountDownLatch(1);
        CountDownLatch outerOnChainOne = new CountDownLatch(1);
        // chain 0 taken for a moment, so that the outer transaction's entry goes to chain 1
        threads.submit(() -> transaction.executeWithoutResult(o -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", APPEND_LOCK).query((rs, n) -> 0).list();
            chainZeroHeld.countDown();
            await(outerOnChainOne);
        }));
        await(chainZeroHeld);
        Future<?> self = threads.submit(() -> transaction.executeWithoutResult(t -> {
            twoChains.record("tester", "test.set-aside", "outer", "on chain 1");
            outerOnChainOne.countDown();
            assertThat(jdbc.sql("SELECT chain FROM audit_event WHERE action = 'test.set-aside' AND subject = 'outer'")
                    .query(Integer.class).single()).isEqualTo(1);
            // the checkpoint takes chain 0 (free again) and waits for chain 1
            waitUntilAChainLockIsAwaited();
            separate.executeWithoutResult(inner -> twoChains.record("tester", "test.set-aside", "inner", "refused"));
        }));
        Future<Long> checkpoint = threads.submit(checkpoints::checkpoint);
        self.get(30, TimeUnit.SECONDS);
        assertThat(checkpoint.get(30, TimeUnit.SECONDS)).as("the checkpoint is made once the outer one ended")
                .isPositive();
        AuditChain.Result chain = verify(checkpoints.certificate());
        assertThat(chain.intact()).as(String.valueOf(chain.problem())).isTrue();
    }

    /**
     * Two requests, each holding one of two chains, each audit a refusal in a transaction of its own (REQUIRES_NEW):
     * each of those waits for the chain the other request holds, and neither request can end before its own refusal
     * is written (a ring PostgreSQL cannot see). They must not wait for ever: an append whose thread set aside a
     * chain waits a bounded time, then fails (its request rolls back, and lets its chain go to the other).
     */
    @Test
    void twoRequestsEachHoldingAChainAndAuditingARefusalApartDoNotWaitForEachOtherForEver() throws Exception {
        AuditLog twoChains = new AuditLog(jdbc, 2);
        var separate = new TransactionTemplate(transaction.getTransactionManager());
        separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        CountDownLatch firstOnItsChain = new CountDownLatch(1);
        var bothOnTheirChains = new java.util.concurrent.CyclicBarrier(2);
        List<Future<?>> requests = new java.util.ArrayList<>();
        for (String request : List.of("a", "b")) {
            requests.add(threads.submit(() -> transaction.executeWithoutResult(t -> {
                if (request.equals("b")) {
                    await(firstOnItsChain);
                }
                twoChains.record("tester", "test.ring", request, "outer");
                firstOnItsChain.countDown();
                try {
                    bothOnTheirChains.await(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                separate.executeWithoutResult(inner -> twoChains.record("tester", "test.ring", request, "refused"));
            })));
        }
        int done = 0;
        for (Future<?> request : requests) {
            try {
                request.get(40, TimeUnit.SECONDS);
                done++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e).hasStackTraceContaining("no audit chain came free");
            }
        }
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'test.ring'").query(Long.class).single())
                .isEqualTo(2L * done);
        AuditChain.Result chain = verify();
        assertThat(chain.intact()).as(String.valueOf(chain.problem())).isTrue();
    }

    /**
     * A database administrator without the audit key: a chain of their own (63, which no instance uses), consistent
     * in itself, slipped in under an id the sequence skipped (a rolled-back append) below the last checkpoint; a whole
     * chain deleted; an extract's list of where its chains start taken out. Each chain alone is consistent, and the
     * signed checkpoint (or the extract's start checkpoint) is what catches it.
     */
    @Test
    void aForgedChainUnderASkippedIdAWholeChainDeletedAndAnExtractsHeadsTakenOutAreCaught() throws Exception {
        AuditLog audit = new AuditLog(jdbc, 8);
        for (int i = 0; i < 8; i++) {
            int n = i;
            transaction.executeWithoutResult(t -> audit.record("tester", "test.dba", "early:" + n, "before"));
        }
        var gap = new java.util.concurrent.atomic.AtomicLong();
        transaction.executeWithoutResult(t -> {
            audit.record("tester", "test.dba", "gone", "rolled back");
            gap.set(jdbc.sql("SELECT currval(pg_get_serial_sequence('audit_event', 'id'))").query(Long.class).single());
            t.setRollbackOnly();
        });
        long skipped = gap.get();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE id = :id").param("id", skipped).query(Long.class)
                .single()).isZero();
        long before = checkpoints.checkpoint();
        for (int i = 0; i < 24; i++) {
            int n = i;
            threads.submit(() -> transaction.executeWithoutResult(t -> audit.record("tester", "test.dba", "thing:" + n,
                    "details " + n))).get(20, TimeUnit.SECONDS);
        }
        long covered = checkpoints.checkpoint();
        assertThat(covered).isGreaterThan(skipped);
        var pinned = checkpoints.certificate();
        assertThat(verify(pinned).intact()).isTrue();

        // a forged entry in chain 63 under the skipped id, chained to GENESIS with its hash right
        java.time.Instant at = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        var forged = new AuditChain.Entry(skipped, at, "sealadmin", "seal.revoke", "seal:x", "never happened", 63);
        jdbc.sql("INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash, chain) VALUES "
                        + "(:id, :at, 'sealadmin', 'seal.revoke', 'seal:x', 'never happened', :p, :h, 63)")
                .param("id", skipped).param("at", java.sql.Timestamp.from(at)).param("p", AuditChain.GENESIS)
                .param("h", AuditChain.hash(AuditChain.GENESIS, forged)).update();
        assertThat(verify().intact()).as("each chain alone is consistent").isTrue();
        AuditChain.Result caught = verify(pinned);
        assertThat(caught.intact()).isFalse();
        assertThat(caught.problem()).contains("checkpoint");
        jdbc.sql("DELETE FROM audit_event WHERE chain = 63").update();
        assertThat(verify(pinned).intact()).isTrue();

        // every entry of one chain deleted (one whose last entry is not the one the checkpoint names)
        int chain = jdbc.sql("SELECT chain FROM audit_event WHERE action = 'test.dba' AND chain <> (SELECT chain FROM "
                + "audit_event WHERE id = :c) LIMIT 1").param("c", covered).query(Integer.class).single();
        var rows = jdbc.sql("SELECT * FROM audit_event WHERE chain = :c").param("c", chain).query().listOfRows();
        jdbc.sql("DELETE FROM audit_event WHERE chain = :c").param("c", chain).update();
        assertThat(verify().intact()).as("the other chains are consistent").isTrue();
        assertThat(verify(pinned).intact()).isFalse();
        for (var row : rows) {
            jdbc.sql("INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash, chain) VALUES "
                            + "(:id, :at, :actor, :action, :subject, :details, :prev, :hash, :chain)")
                    .param("id", row.get("id")).param("at", row.get("at")).param("actor", row.get("actor"))
                    .param("action", row.get("action")).param("subject", row.get("subject"))
                    .param("details", row.get("details")).param("prev", row.get("prev_hash")).param("hash", row.get("hash"))
                    .param("chain", row.get("chain")).update();
        }
        assertThat(verify(pinned).intact()).isTrue();

        // an extract whose start checkpoint's list of chain starts is taken out
        tools.jackson.databind.node.ObjectNode extract;
        try (var connection = dataSource.getConnection()) {
            extract = cn.yinxin.core.audit.AuditExtract.export(connection, before + 1, covered, "test");
        }
        assertThat(cn.yinxin.core.audit.AuditExtract.verify(extract, pinned).intact()).isTrue();
        assertThat(extract.get("startCheckpoint").has("heads")).as("several chains at the start checkpoint").isTrue();
        ((tools.jackson.databind.node.ObjectNode) extract.get("startCheckpoint")).remove("heads");
        assertThat(cn.yinxin.core.audit.AuditExtract.verify(extract, pinned).intact()).isFalse();
    }

    /**
     * Instances with different numbers of chains (2 and 8) appending at once, some transactions with two entries and
     * some rolled back, while checkpoints are signed over and over: every checkpoint must name heads no append was
     * writing (verify recomputes each one from the entries up to it), and every chain stays whole.
     */
    @Test
    void checkpointsSignedWhileInstancesWithDifferentChainCountsAppendEachMatchTheEntries() throws Exception {
        AuditLog two = new AuditLog(jdbc, 2);
        AuditLog eight = new AuditLog(jdbc, 8);
        long end = System.nanoTime() + 3_000_000_000L;
        List<Future<?>> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 6; w++) {
            AuditLog audit = w % 2 == 0 ? two : eight;
            int writer = w;
            writers.add(threads.submit(() -> {
                for (int n = 0; System.nanoTime() < end; n++) {
                    int i = n;
                    transaction.executeWithoutResult(t -> {
                        audit.record("tester", "test.load", "writer:" + writer, "entry " + i);
                        if (i % 3 == 0) {
                            audit.record("tester", "test.load", "writer:" + writer, "second of " + i);
                        }
                        if (i % 7 == 0) {
                            t.setRollbackOnly();
                        }
                    });
                }
            }));
        }
        int signed = 0;
        while (System.nanoTime() < end) {
            if (checkpoints.checkpoint() > 0) {
                signed++;
            }
        }
        for (Future<?> writer : writers) {
            writer.get(30, TimeUnit.SECONDS);
        }
        assertThat(signed).isGreaterThan(3);
        AuditChain.Result chain = verify(checkpoints.certificate());
        assertThat(chain.intact()).as(String.valueOf(chain.problem())).isTrue();
        assertThat(chain.checkpoints()).isGreaterThanOrEqualTo(signed);
    }

    /** A checkpoint that would wait for a chain as long as an append beside a transaction set aside does not start. */
    @Test
    void aCheckpointLockWaitNotBelowTheAppendsBoundIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) {
        for (java.time.Duration wait : List.of(java.time.Duration.ZERO, java.time.Duration.ofSeconds(15))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AuditCheckpoints(jdbc, transaction,
                            dir.resolve("audit.p12"), "secret", "seal-service",
                            new org.springframework.beans.factory.support.StaticListableBeanFactory()
                                    .getBeanProvider(java.time.Clock.class), wait))
                    .hasMessageContaining("yinxin.audit.checkpoint-lock-wait");
        }
    }

    private void waitUntilAChainLockIsAwaited() {
        for (int i = 0; i < 200; i++) {
            if (jdbc.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                    .query(Long.class).single() > 0) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("the checkpoint never waited for chain 1");
    }

    private AuditChain.Result verify() throws Exception {
        try (var connection = dataSource.getConnection()) {
            return AuditChain.verify(connection);
        }
    }

    private AuditChain.Result verify(java.security.cert.X509Certificate pinned) throws Exception {
        try (var connection = dataSource.getConnection()) {
            return AuditChain.verify(connection, pinned, true);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
