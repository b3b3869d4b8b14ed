package cn.yinxin.seal.audit;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.core.audit.AuditCheckpoint;
import cn.yinxin.core.audit.AuditExtract;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.service.audit.AuditCheckpoints;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An audit log written before there were several chains (the seal service's migrations up to V71: one chain, its
 * checkpoints signing the last hash itself), with an auditor's extract made then, goes through V72 and verifies
 * unchanged; the entries appended after it on several chains, and a checkpoint over them, verify with it, in the
 * database and in an extract that starts at a checkpoint signed before the migration.
 */
@cn.yinxin.testing.Slow("an embedded PostgreSQL")
class AuditChainsMigrationTest {

    @TempDir
    Path dir;

    @Test
    void aSingleChainLogAndItsExtractsVerifyUnchangedAfterTheMigrationAndWithTheChainsAfterIt() throws Exception {
        String url = TestDatabase.jdbcUrl("audit_chains_migration");
        var data = new DriverManagerDataSource(url, "postgres", "postgres");
        var jdbc = JdbcClient.create(data);
        jdbc.sql("DROP SCHEMA public CASCADE").update();
        jdbc.sql("CREATE SCHEMA public").update();
        Flyway.configure().dataSource(data).locations("classpath:db/migration").target("71").load().migrate();
        assertThat(chainColumn(data)).as("the log as it was before V72").isFalse();

        // six entries and two checkpoints (after 3 and 6) as the single chain wrote them
        KeyPair key = CertificateMaker.newEcKeyPair();
        X509Certificate pinned = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("seal-service audit"), key,
                Instant.now().minus(Duration.ofMinutes(5)), Duration.ofDays(1));
        // the service's audit key store, as AuditCheckpoints makes it, so that its checkpoints after the migration are
        // signed by the same key as those before
        var store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("audit", key.getPrivate(), "secret".toCharArray(), new java.security.cert.Certificate[]{pinned});
        try (var out = java.nio.file.Files.newOutputStream(dir.resolve("seal-service.p12"))) {
            store.store(out, "secret".toCharArray());
        }
        byte[] previous = AuditChain.GENESIS;
        for (long id = 1; id <= 6; id++) {
            Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
            var entry = new AuditChain.Entry(id, at, "tester", "stamp", "seal:s", "before " + id);
            byte[] hash = AuditChain.hash(previous, entry);
            jdbc.sql("INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash) VALUES "
                            + "(:id, :at, 'tester', 'stamp', 'seal:s', :d, :p, :h)").param("id", id)
                    .param("at", Timestamp.from(at)).param("d", "before " + id).param("p", previous).param("h", hash)
                    .update();
            previous = hash;
            if (id % 3 == 0) {
                Instant signed = Instant.now().truncatedTo(ChronoUnit.MICROS);
                jdbc.sql("INSERT INTO audit_checkpoint (up_to, hash, at, signature, certificate) VALUES "
                                + "(:u, :h, :at, :s, :c)").param("u", id).param("h", hash).param("at", Timestamp.from(signed))
                        .param("s", AuditCheckpoint.sign(key.getPrivate(), id, hash, signed))
                        .param("c", pinned.getEncoded()).update();
            }
        }
        jdbc.sql("SELECT setval(pg_get_serial_sequence('audit_event', 'id'), 6)").query(Long.class).single();
        JsonNode before;
        JsonNode fromTheStart;
        try (Connection connection = data.getConnection()) {
            assertThat(verified(AuditChain.verify(connection, pinned, true)).coveredUpTo()).isEqualTo(6);
            before = AuditExtract.export(connection, 5L, 6L, "seal-service");
            fromTheStart = AuditExtract.export(connection, null, 2L, "seal-service");
        }
        assertThat(before.get("startCheckpoint").has("heads")).isFalse();

        Flyway.configure().dataSource(data).locations("classpath:db/migration").load().migrate();
        assertThat(chainColumn(data)).isTrue();
        try (Connection connection = data.getConnection()) {
            AuditChain.Result migrated = verified(AuditChain.verify(connection, pinned, true));
            assertThat(migrated.checkpoints()).isEqualTo(2);
            assertThat(migrated.coveredUpTo()).isEqualTo(6);
            // made again now, the extracts are the ones made before, byte for byte but for their time of export
            assertThat(withoutTime(AuditExtract.export(connection, 5L, 6L, "seal-service"))).isEqualTo(withoutTime(before));
            assertThat(withoutTime(AuditExtract.export(connection, null, 2L, "seal-service")))
                    .isEqualTo(withoutTime(fromTheStart));
        }
        verified(AuditExtract.verify(before, pinned));
        verified(AuditExtract.verify(fromTheStart, pinned));

        // appends on several chains after the migration, and the service's own checkpoint over them
        var transactions = new TransactionTemplate(new DataSourceTransactionManager(data));
        var audit = new AuditLog(jdbc, 8);
        var pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int n = i;
            writes.add(pool.submit(() -> transactions.executeWithoutResult(t ->
                    audit.record("tester", "stamp", "seal:s", "after " + n))));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        pool.shutdown();
        assertThat(jdbc.sql("SELECT count(DISTINCT chain) FROM audit_event").query(Integer.class).single())
                .isGreaterThan(1);
        var checkpoints = new AuditCheckpoints(jdbc, transactions, dir.resolve("seal-service.p12"), "secret",
                "seal-service", new StaticListableBeanFactory().getBeanProvider(Clock.class), Duration.ofSeconds(5));
        long covered = checkpoints.checkpoint();
        assertThat(covered).isEqualTo(30);
        assertThat(checkpoints.certificate()).isEqualTo(pinned);
        try (Connection connection = data.getConnection()) {
            AuditChain.Result after = verified(AuditChain.verify(connection, pinned, true));
            assertThat(after.checkpoints()).isEqualTo(3);
            assertThat(after.coveredUpTo()).isEqualTo(covered);
            JsonNode across = AuditExtract.export(connection, 5L, covered, "seal-service");
            assertThat(across.get("startCheckpoint").get("upTo").asLong()).isEqualTo(3);
            assertThat(across.get("startCheckpoint").has("heads")).as("chain 0 alone at entry 3").isFalse();
            AuditChain.Result extract = AuditExtract.verify(across, pinned);
            assertThat(extract.intact()).as(String.valueOf(extract.problem())).isTrue();
            assertThat(extract.coveredUpTo()).isEqualTo(covered);
        }

        // an instance of the version before the chains, left running beside upgraded ones: its append (to chain 0,
        // after whichever chain's entry is newest) and its checkpoint (that hash alone) would break the log for good;
        // both writes now fail, and the log stays whole
        var oldAppend = org.assertj.core.api.Assertions.catchThrowable(() -> transactions.executeWithoutResult(t -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", 0x59494e5849_4eL).query((rs, n) -> 0).list();
            byte[] newest = jdbc.sql("SELECT hash FROM audit_event WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1")
                    .query(byte[].class).single();
            jdbc.sql("INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash) VALUES "
                            + "(nextval(pg_get_serial_sequence('audit_event', 'id')), now(), 'old', 'stamp', 'seal:s', 'x', "
                            + ":p, :p)").param("p", newest).update();
        }));
        assertThat(oldAppend).as("an append that names no chain").isInstanceOf(org.springframework.dao.DataAccessException.class)
                .hasMessageContaining("\"chain\"");
        var oldCheckpoint = org.assertj.core.api.Assertions.catchThrowable(() -> jdbc.sql(
                        "INSERT INTO audit_checkpoint (up_to, hash, at, signature, certificate) VALUES (:u, :h, now(), :s, :c)")
                .param("u", covered + 1000).param("h", new byte[32]).param("s", new byte[8]).param("c", pinned.getEncoded()).update());
        assertThat(oldCheckpoint).as("a checkpoint that says how many chains it signs for").isInstanceOf(
                org.springframework.dao.DataAccessException.class).hasMessageContaining("\"chains\"");
        try (Connection connection = data.getConnection()) {
            verified(AuditChain.verify(connection, pinned, true));
        }
    }

    private static AuditChain.Result verified(AuditChain.Result result) {
        assertThat(result.intact()).as(String.valueOf(result.problem())).isTrue();
        return result;
    }

    private static JsonNode withoutTime(JsonNode extract) {
        var copy = (tools.jackson.databind.node.ObjectNode) extract.deepCopy();
        copy.remove("exportedAt");
        return copy;
    }

    private static boolean chainColumn(javax.sql.DataSource data) throws Exception {
        try (Connection connection = data.getConnection()) {
            return AuditChain.hasChains(connection);
        }
    }
}
