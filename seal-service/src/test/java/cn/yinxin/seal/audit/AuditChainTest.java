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
 * The audit log is a hash chain: concurrent appends stay one chain, and a row changed, deleted or moved directly
 * in PostgreSQL (as a database administrator could) is found, with the first broken entry named.
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

        // a deleted row: the next one is chained to a hash nobody has any more
        long deleted = ids.get(20);
        var row = jdbc.sql("SELECT * FROM audit_event WHERE id = :id").param("id", deleted).query().singleRow();
        jdbc.sql("DELETE FROM audit_event WHERE id = :id").param("id", deleted).update();
        assertThat(verify().firstBroken()).isEqualTo(ids.get(21));
        assertThat(verify().problem()).contains("deleted, inserted or moved");
        jdbc.sql("INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash) VALUES "
                        + "(:id, :at, :actor, :action, :subject, :details, :prev, :hash)")
                .param("id", deleted).param("at", row.get("at")).param("actor", row.get("actor"))
                .param("action", row.get("action")).param("subject", row.get("subject")).param("details", row.get("details"))
                .param("prev", row.get("prev_hash")).param("hash", row.get("hash")).update();
        assertThat(verify().intact()).isTrue();

        // a signed checkpoint over the chain's end; then a rewrite that recomputes every later hash (as someone with
        // database access but without the audit key could) keeps the chain consistent but not the checkpoint
        long covered = checkpoints.checkpoint();
        assertThat(covered).isEqualTo(ids.get(39));
        AuditChain.Result signed = verify(checkpoints.certificate());
        assertThat(signed.intact()).isTrue();
        assertThat(signed.checkpoints()).isEqualTo(1);
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

    /** Changes the details of entry {@code from} (null: back to the original) and recomputes every hash after it. */
    private void rewriteFrom(long from, String details) {
        var rows = jdbc.sql("SELECT id, at, actor, action, subject, details FROM audit_event WHERE hash IS NOT NULL "
                + "ORDER BY id").query().listOfRows();
        byte[] previous = AuditChain.GENESIS;
        for (var row : rows) {
            long id = ((Number) row.get("id")).longValue();
            String text = (String) row.get("details");
            if (id == from) {
                text = details != null ? details : "details " + ((String) row.get("subject")).substring(6);
            }
            var entry = new AuditChain.Entry(id, ((java.sql.Timestamp) row.get("at")).toInstant(), (String) row.get("actor"),
                    (String) row.get("action"), (String) row.get("subject"), text);
            byte[] hash = AuditChain.hash(previous, entry);
            if (id >= from) {
                jdbc.sql("UPDATE audit_event SET details = :d, prev_hash = :p, hash = :h WHERE id = :id")
                        .param("d", text).param("p", previous).param("h", hash).param("id", id).update();
            }
            previous = hash;
        }
    }
}
