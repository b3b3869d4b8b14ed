package cn.yinxin.seal.audit;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.testing.SampleKeystores;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log is a few hash chains: concurrent appends spread over them and each stays whole, and a row changed,
 * deleted or moved directly in PostgreSQL (as a database administrator could), within a chain or to another, is
 * found, with the first broken entry named; a chain cut short is caught by the checkpoint that covers it.
 */
@SpringBootTest
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL")
class AuditChainTest {

    private static final Path keystores = SampleKeystores.fresh();

    @Autowired
    AuditLog audit;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    cn.yinxin.service.audit.AuditCheckpoints checkpoints;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("audit_chain"));
        registry.add("yinxin.seals.import-dir", () -> keystores.resolve("seals").toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.keystore.path", () -> keystores.resolve("seal-service/keys.p12").toString());
    }

    @Test
    void concurrentAppendsFormOneChainAndEveryKindOfTamperingIsFound() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            writes.add(pool.submit(() -> transaction.executeWithoutResult(t ->
                    audit.record("tester", "test.write", "thing:" + n, "details " + n))));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        pool.shutdown();
        AuditChain.Result whole = verify();
        assertThat(whole.intact()).as(String.valueOf(whole.problem())).isTrue();
        List<Long> ids = jdbc.sql("SELECT id FROM audit_event WHERE action = 'test.write' ORDER BY id").query(Long.class).list();
        assertThat(ids).hasSize(40);

        // a changed row
        long changed = ids.get(10);
        jdbc.sql("UPDATE audit_event SET details = 'nothing happened' WHERE id = :id").param("id", changed).update();
        assertThat(verify().firstBroken()).isEqualTo(changed);
        assertThat(verify().problem()).contains("changed");
        jdbc.sql("UPDATE audit_event SET details = 'details ' || substr(subject, 7) WHERE id = :id").param("id", changed).update();
        assertThat(verify().intact()).as("restored").isTrue();

        // the appends went to several chains (whichever was free), each whole
        assertThat(jdbc.sql("SELECT count(DISTINCT chain) FROM audit_event WHERE action = 'test.write'")
                .query(Integer.class).single()).isGreaterThan(1);

        // a deleted row: the next one of its chain is chained to a hash nobody has any more
        long deleted = ids.get(20);
        var row = jdbc.sql("SELECT * FROM audit_event WHERE id = :id").param("id", deleted).query().singleRow();
        Long next = jdbc.sql("SELECT min(id) FROM audit_event WHERE chain = :c AND id > :id")
                .param("c", row.get("chain")).param("id", deleted).query(Long.class).single();
        if (next == null) {
            // it was the last of its chain: take the first of the chain instead, which the next entry names
            deleted = jdbc.sql("SELECT min(id) FROM audit_event WHERE chain = :c AND action = 'test.write'")
                    .param("c", row.get("chain")).query(Long.class).single();
            row = jdbc.sql("SELECT * FROM audit_event WHERE id = :id").param("id", deleted).query().singleRow();
            next = jdbc.sql("SELECT min(id) FROM audit_event WHERE chain = :c AND id > :id")
                    .param("c", row.get("chain")).param("id", deleted).query(Long.class).single();
        }
        jdbc.sql("DELETE FROM audit_event WHERE id = :id").param("id", deleted).update();
        assertThat(verify().firstBroken()).isEqualTo(next);
        assertThat(verify().problem()).contains("deleted, inserted or moved");
        restore(row);
        assertThat(verify().intact()).isTrue();

        // an entry moved to another chain (its content and hashes kept): its hash names its chain
        long moved = ids.get(25);
        jdbc.sql("UPDATE audit_event SET chain = (chain + 1) % 8 WHERE id = :id").param("id", moved).update();
        assertThat(verify().intact()).isFalse();
        assertThat(verify().firstBroken()).isLessThanOrEqualTo(moved);
        jdbc.sql("UPDATE audit_event SET chain = (chain + 7) % 8 WHERE id = :id").param("id", moved).update();
        assertThat(verify().intact()).isTrue();

        // a signed checkpoint over the chain's end; then a rewrite that recomputes every later hash (as someone with
        // database access but without the audit key could) keeps the chain consistent but not the checkpoint
        long covered = checkpoints.checkpoint();
        assertThat(covered).isEqualTo(ids.get(39));
        AuditChain.Result signed = verify(checkpoints.certificate());
        assertThat(signed.intact()).isTrue();
        assertThat(signed.checkpoints()).as("this one and any the other tests signed").isPositive();
        assertThat(signed.coveredUpTo()).isEqualTo(covered);
        rewriteFrom(ids.get(15), "rewritten");
        assertThat(verify().intact()).as("the chain alone is consistent again").isTrue();
        AuditChain.Result caught = verify(checkpoints.certificate());
        assertThat(caught.intact()).isFalse();
        assertThat(caught.problem()).contains("rewritten", "checkpoint");
        // a checkpoint re-signed with another key is not the service's
        assertThat(verify(cn.yinxin.core.pki.ca.CertificateMaker.selfSignedRoot(
                cn.yinxin.core.pki.ca.CertificateMaker.caSubject("someone"), cn.yinxin.core.pki.ca.CertificateMaker.newEcKeyPair(),
                java.time.Instant.now(), java.time.Duration.ofDays(1))).intact()).isFalse();
        jdbc.sql("DELETE FROM audit_checkpoint").update();
        rewriteFrom(ids.get(15), null);
        assertThat(verify().intact()).isTrue();

        // two rows swapped (moved): each carries its own content and hashes, but the order no longer fits
        long a = ids.get(30);
        long b = ids.get(31);
        jdbc.sql("UPDATE audit_event SET id = -1 WHERE id = :a").param("a", a).update();
        jdbc.sql("UPDATE audit_event SET id = :a WHERE id = :b").param("a", a).param("b", b).update();
        jdbc.sql("UPDATE audit_event SET id = :b WHERE id = -1").param("b", b).update();
        assertThat(verify().firstBroken()).isEqualTo(a);
        jdbc.sql("UPDATE audit_event SET id = -1 WHERE id = :a").param("a", a).update();
        jdbc.sql("UPDATE audit_event SET id = :a WHERE id = :b").param("a", a).param("b", b).update();
        jdbc.sql("UPDATE audit_event SET id = :b WHERE id = -1").param("b", b).update();
        assertThat(verify().intact()).isTrue();

        // a second row under the last entry's id, the table's key dropped to write it, chained after that entry as a
        // genuine successor would be: read after the entry it passed (PostgreSQL's order among equal ids is not
        // fixed); now named whichever of the two is read first
        var last = jdbc.sql("SELECT * FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)").query().singleRow();
        long twice = ((Number) last.get("id")).longValue();
        int chain = ((Number) last.get("chain")).intValue();
        java.time.Instant at = ((java.sql.Timestamp) last.get("at")).toInstant();
        byte[] successor = AuditChain.hash((byte[]) last.get("hash"), new AuditChain.Entry(twice, at, "tester",
                "test.write", "thing:x", "nothing happened", chain));
        jdbc.sql("ALTER TABLE audit_event DROP CONSTRAINT audit_event_pkey").update();
        try {
            jdbc.sql("INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash, chain) "
                            + "VALUES (:id, :at, 'tester', 'test.write', 'thing:x', 'nothing happened', :p, :h, :c)")
                    .param("id", twice).param("at", java.sql.Timestamp.from(at)).param("p", last.get("hash"))
                    .param("h", successor).param("c", chain).update();
            AuditChain.Result doubled = verify();
            assertThat(doubled.intact()).isFalse();
            assertThat(doubled.firstBroken()).isEqualTo(twice);
        } finally {
            jdbc.sql("DELETE FROM audit_event WHERE id = :id AND details = 'nothing happened'").param("id", twice).update();
            jdbc.sql("ALTER TABLE audit_event ADD PRIMARY KEY (id)").update();
        }
        assertThat(verify().intact()).isTrue();
    }

    /**
     * A checkpoint signs every chain's last entry at once: the last entries of one chain cut away (the others
     * written after them left as they are) no longer give the hash it signed, though each chain is consistent alone.
     */
    @Test
    void aChainCutShortIsCaughtAtTheCheckpointThatCoversIt() throws Exception {
        appendConcurrently("test.cut", 24);
        long covered = checkpoints.checkpoint();
        assertThat(verify(checkpoints.certificate()).intact()).isTrue();
        assertThat(verify(checkpoints.certificate()).coveredUpTo()).isEqualTo(covered);
        // the last entry of a chain that is not the last written
        var row = jdbc.sql("""
                SELECT * FROM audit_event WHERE id = (SELECT max(id) FROM audit_event WHERE action = 'test.cut'
                AND chain <> (SELECT chain FROM audit_event WHERE id = :covered) AND chain = (SELECT chain FROM audit_event
                WHERE action = 'test.cut' AND chain <> (SELECT chain FROM audit_event WHERE id = :covered) LIMIT 1))""")
                .param("covered", covered).query().singleRow();
        jdbc.sql("DELETE FROM audit_event WHERE id = :id").param("id", row.get("id")).update();
        assertThat(verify().intact()).as("without checkpoints each chain is consistent").isTrue();
        AuditChain.Result caught = verify(checkpoints.certificate());
        assertThat(caught.intact()).isFalse();
        assertThat(caught.problem()).contains("checkpoint");
        restore(row);
        assertThat(verify(checkpoints.certificate()).intact()).isTrue();
    }

    /**
     * A transaction keeps to the chain of its first entry; a refusal audited in a transaction of its own
     * (REQUIRES_NEW) while it holds that chain takes another one, and neither waits for the other.
     */
    @Test
    void aTransactionKeepsItsChainAndOneInsideItTakesAnother() throws Exception {
        var separate = new TransactionTemplate(transaction.getTransactionManager());
        separate.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        var done = Executors.newSingleThreadExecutor().submit(() -> transaction.executeWithoutResult(t -> {
            audit.record("tester", "test.nested", "outer:1", "first");
            separate.executeWithoutResult(inner -> audit.record("tester", "test.nested", "inner", "refused"));
            audit.record("tester", "test.nested", "outer:2", "second");
        }));
        done.get(30, java.util.concurrent.TimeUnit.SECONDS);
        var chains = jdbc.sql("SELECT subject, chain FROM audit_event WHERE action = 'test.nested'").query()
                .listOfRows();
        assertThat(chains).hasSize(3);
        Object outer = chains.stream().filter(r -> r.get("subject").equals("outer:1")).findFirst().orElseThrow().get("chain");
        assertThat(chains.stream().filter(r -> r.get("subject").equals("outer:2")).findFirst().orElseThrow().get("chain"))
                .isEqualTo(outer);
        assertThat(chains.stream().filter(r -> r.get("subject").equals("inner")).findFirst().orElseThrow().get("chain"))
                .isNotEqualTo(outer);
        assertThat(verify().intact()).isTrue();
    }

    /**
     * With every chain taken, an append waits for one, but never for the chain the transaction it interrupted holds
     * (REQUIRES_NEW on the same thread): two chains, the outer transaction on one, another connection on the other
     * for a moment; the inner append must wait for that other one, ten times over (waiting for the outer's chain would
     * never end; picked at random it would be, half the time).
     */
    @Test
    void anAppendInsideATransactionHoldingAChainWaitsForAnotherOne() throws Exception {
        AuditLog twoChains = new AuditLog(jdbc, 2);
        var separate = new TransactionTemplate(transaction.getTransactionManager());
        separate.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        var other = Executors.newSingleThreadExecutor();
        var self = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 10; round++) {
                String outer = "outer-" + round;
                self.submit(() -> transaction.executeWithoutResult(t -> {
                    twoChains.record("tester", "test.wait", outer, "first");
                    int mine = jdbc.sql("SELECT chain FROM audit_event WHERE subject = :s").param("s", outer)
                            .query(Integer.class).single();
                    var locked = new java.util.concurrent.CountDownLatch(1);
                    other.submit(() -> transaction.executeWithoutResult(o -> {
                        jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", 0x59494e5849_4eL + (1 - mine))
                                .query((rs, n) -> 0).list();
                        locked.countDown();
                        sleep(300);
                    }));
                    await(locked);
                    long started = System.nanoTime();
                    separate.executeWithoutResult(inner -> twoChains.record("tester", "test.wait", outer + "-inner", "apart"));
                    assertThat(System.nanoTime() - started).as("waited for the other connection's chain")
                            .isGreaterThan(200_000_000L);
                    assertThat(jdbc.sql("SELECT chain FROM audit_event WHERE subject = :s").param("s", outer + "-inner")
                            .query(Integer.class).single()).isEqualTo(1 - mine);
                })).get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            other.shutdownNow();
            self.shutdownNow();
        }
        assertThat(verify().intact()).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            assertThat(latch.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An auditor's extract of a log of several chains verifies offline, and not once a chain's entries are left out
     * of it or the chains' starts it lists are changed.
     */
    @Test
    void anExtractOfSeveralChainsVerifiesAndNotWithAChainLeftOut() throws Exception {
        appendConcurrently("test.extract-before", 16);
        long start = checkpoints.checkpoint();
        appendConcurrently("test.extract", 24);
        long end = checkpoints.checkpoint();
        tools.jackson.databind.node.ObjectNode extract;
        try (var connection = dataSource.getConnection()) {
            extract = cn.yinxin.core.audit.AuditExtract.export(connection, start + 1, end, "test");
        }
        assertThat(extract.get("startCheckpoint").get("heads").size()).isGreaterThan(1);
        AuditChain.Result whole = cn.yinxin.core.audit.AuditExtract.verify(extract, checkpoints.certificate());
        assertThat(whole.intact()).as(String.valueOf(whole.problem())).isTrue();
        assertThat(whole.coveredUpTo()).isEqualTo(end);

        // every entry of one chain (not the last entry's) left out
        var entries = (tools.jackson.databind.node.ArrayNode) extract.get("entries");
        int lastChain = entries.get(entries.size() - 1).path("chain").asInt(0);
        var cut = extract.deepCopy();
        var kept = ((tools.jackson.databind.node.ObjectNode) cut).putArray("entries");
        int other = firstOtherChain(entries, lastChain);
        for (var entry : entries) {
            if (entry.path("chain").asInt(0) != other) {
                kept.add(entry);
            }
        }
        assertThat(kept.size()).isLessThan(entries.size());
        assertThat(cn.yinxin.core.audit.AuditExtract.verify(cut, checkpoints.certificate()).intact()).isFalse();

        // the chains' starts changed: one chain said to start where it ends
        var moved = extract.deepCopy();
        var heads = (tools.jackson.databind.node.ArrayNode) moved.get("startCheckpoint").get("heads");
        ((tools.jackson.databind.node.ObjectNode) heads.get(0)).put("hash", entries.get(entries.size() - 1).get("hash").asString());
        AuditChain.Result changed = cn.yinxin.core.audit.AuditExtract.verify(moved, checkpoints.certificate());
        assertThat(changed.intact()).isFalse();
        assertThat(changed.problem()).contains("start checkpoint");
    }

    private static int firstOtherChain(tools.jackson.databind.node.ArrayNode entries, int not) {
        for (var entry : entries) {
            if (entry.path("chain").asInt(0) != not) {
                return entry.path("chain").asInt(0);
            }
        }
        throw new AssertionError("every entry in one chain");
    }

    private void appendConcurrently(String action, int entries) throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            int n = i;
            writes.add(pool.submit(() -> transaction.executeWithoutResult(t ->
                    audit.record("tester", action, "thing:" + n, "details " + n))));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        pool.shutdown();
    }

    private void restore(java.util.Map<String, Object> row) {
        jdbc.sql("INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash, chain) VALUES "
                        + "(:id, :at, :actor, :action, :subject, :details, :prev, :hash, :chain)")
                .param("id", row.get("id")).param("at", row.get("at")).param("actor", row.get("actor"))
                .param("action", row.get("action")).param("subject", row.get("subject")).param("details", row.get("details"))
                .param("prev", row.get("prev_hash")).param("hash", row.get("hash")).param("chain", row.get("chain")).update();
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

    /**
     * Changes the details of entry {@code from} (null: back to the original) and recomputes every hash after it in
     * every chain.
     */
    private void rewriteFrom(long from, String details) {
        var rows = jdbc.sql("SELECT id, at, actor, action, subject, details, chain FROM audit_event WHERE hash IS NOT NULL "
                + "ORDER BY id").query().listOfRows();
        java.util.Map<Integer, byte[]> previous = new java.util.HashMap<>();
        for (var row : rows) {
            long id = ((Number) row.get("id")).longValue();
            int chain = ((Number) row.get("chain")).intValue();
            String text = (String) row.get("details");
            if (id == from) {
                text = details != null ? details : "details " + ((String) row.get("subject")).substring(6);
            }
            var entry = new AuditChain.Entry(id, ((java.sql.Timestamp) row.get("at")).toInstant(), (String) row.get("actor"),
                    (String) row.get("action"), (String) row.get("subject"), text, chain);
            byte[] before = previous.getOrDefault(chain, AuditChain.GENESIS);
            byte[] hash = AuditChain.hash(before, entry);
            if (id >= from) {
                jdbc.sql("UPDATE audit_event SET details = :d, prev_hash = :p, hash = :h WHERE id = :id")
                        .param("d", text).param("p", before).param("h", hash).param("id", id).update();
            }
            previous.put(chain, hash);
        }
    }
}
