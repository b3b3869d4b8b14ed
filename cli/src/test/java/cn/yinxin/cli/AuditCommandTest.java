package cn.yinxin.cli;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.core.audit.AuditCheckpoint;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code yinxin audit verify} and {@code yinxin audit export} against a real PostgreSQL audit log written as the
 * services write it (hash chain, a checkpoint signed with an audit key): a row without a hash is named, an unpinned
 * check exits 2, and an extract verifies offline with the pinned certificate only, and not once changed.
 */
@cn.yinxin.testing.Slow("an embedded PostgreSQL")
class AuditCommandTest {

    private static final String DATABASE = "cli_audit";

    @RegisterExtension
    final Console console = new Console();
    @TempDir
    Path dir;
    private String url;
    private Path certificates;
    private Path pem;
    private KeyPair key;
    private X509Certificate certificate;

    @BeforeEach
    void logWithACheckpoint() throws Exception {
        url = TestDatabase.jdbcUrl(DATABASE);
        key = CertificateMaker.newEcKeyPair();
        certificate = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("cli_audit audit"), key,
                Instant.now().minus(Duration.ofMinutes(5)), Duration.ofDays(1));
        certificates = Files.createDirectories(dir.resolve("audit"));
        pem = certificates.resolve("cli_audit-service.pem");
        Files.writeString(pem, Pem.encode(certificate));
        try (Connection connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
            // the tables as the services' migrations make them
            statement.execute("DROP TABLE IF EXISTS audit_event, audit_checkpoint");
            statement.execute("CREATE TABLE audit_event (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), "
                    + "actor text NOT NULL, action text NOT NULL, subject text NOT NULL, details text, prev_hash bytea, "
                    + "hash bytea)");
            statement.execute("CREATE TABLE audit_checkpoint (id bigserial PRIMARY KEY, up_to bigint NOT NULL, "
                    + "hash bytea NOT NULL, at timestamptz NOT NULL, signature bytea NOT NULL, certificate bytea NOT NULL)");
            byte[] previous = AuditChain.GENESIS;
            for (long id = 1; id <= 8; id++) {
                previous = append(connection, id, "seal.sign-code", "client=yinxin-licence-service n=" + id, previous);
                if (id == 6) {
                    checkpoint(connection, id, previous);
                }
            }
        }
    }

    @Test
    void verifyPassesOnlyWithAPinnedCertificate() throws Exception {
        assertThat(yinxin("audit", "verify", url, "--certificates", certificates.toString())).as(console.out()).isZero();
        assertThat(console.out()).contains("8 entries, the chain is whole; 1 signed checkpoint(s) match, up to entry 6");
        assertThat(yinxin("audit", "verify", url, "--certificates", certificates.toString(), "--json")).isZero();
        var results = Json.read(console.out()).get("results");
        assertThat(results).hasSize(1);
        assertThat(results.get(0).get("source").asString()).isEqualTo(url);
        assertThat(results.get(0).get("intact").asBoolean()).isTrue();
        assertThat(results.get(0).get("trusted").asBoolean()).isTrue();
        assertThat(results.get(0).get("entries").asLong()).isEqualTo(8);
        assertThat(results.get(0).get("coveredUpTo").asLong()).isEqualTo(6);

        Files.delete(pem);
        assertThat(yinxin("audit", "verify", url, "--certificates", certificates.toString())).isEqualTo(2);
        assertThat(console.err()).contains("NOT TRUSTED", "cli_audit-service.pem", "no audit certificate pinned");
        assertThat(console.out()).contains("no audit certificate is pinned");

        // a certificate of someone else's key: the checkpoint is not the service's
        Path other = dir.resolve("other.pem");
        Files.writeString(other, Pem.encode(CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("someone"),
                CertificateMaker.newEcKeyPair(), Instant.now(), Duration.ofDays(1))));
        assertThat(yinxin("audit", "verify", url, "--pin", other.toString())).isEqualTo(1);
        assertThat(console.out()).contains("BROKEN", "not signed by the service's audit key");
    }

    @Test
    void aRowWithoutAHashFailsTheCheckByItsId() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO audit_event (id, actor, action, subject, details) VALUES "
                    + "(4000, 'someone', 'stamp', 'seal:x', 'never happened')");
        }
        assertThat(yinxin("audit", "verify", url, "--pin", pem.toString())).isEqualTo(1);
        assertThat(console.out()).contains("BROKEN at entry 4000", "entry 4000 has no hash");
        assertThat(yinxin("audit", "verify", url, "--pin", pem.toString(), "--json")).isEqualTo(1);
        var broken = Json.read(console.out()).get("results").get(0);
        assertThat(broken.get("intact").asBoolean()).isFalse();
        assertThat(broken.get("firstBroken").asLong()).isEqualTo(4000);
        assertThat(broken.get("problem").asString()).contains("no hash");

        // in an extract too: a row without a hash inside the range is named, whatever the checkpoint says
        try (Connection connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO audit_event (id, actor, action, subject, details) VALUES "
                    + "(0, 'someone', 'stamp', 'seal:x', 'never happened either')");
        }
        Path extract = dir.resolve("with-unchained.json");
        assertThat(yinxin("audit", "export", url, "--from", "0", "--to", "6", "--out", extract.toString())).isZero();
        assertThat(yinxin("audit", "verify", "--file", extract.toString(), "--pin", pem.toString())).isEqualTo(1);
        assertThat(console.out()).contains("BROKEN at entry 0", "entry 0 has no hash");
    }

    @Test
    void anExtractVerifiesOfflineWithThePinnedCertificateAndNotOnceChanged() throws Exception {
        Path extract = dir.resolve("extract.json");
        assertThat(yinxin("audit", "export", url, "--from", "3", "--to", "5", "--out", extract.toString()))
                .as(console.err()).isZero();
        var json = Json.read(Files.readString(extract));
        // 1 to 6: no signed checkpoint precedes entry 3, so the extract starts where its start can be proved (the
        // chain's first entry) and ends at the entry the checkpoint signs
        assertThat(json.get("entries")).hasSize(6);
        assertThat(json.get("checkpoint").get("upTo").asLong()).isEqualTo(6);

        assertThat(yinxin("audit", "verify", "--file", extract.toString(), "--pin", pem.toString())).as(console.out()).isZero();
        assertThat(console.out()).contains("6 entries (1 to 6 of cli_audit-service)");
        assertThat(yinxin("audit", "verify", "--file", extract.toString(), "--pin", pem.toString(), "--json")).isZero();
        assertThat(Json.read(console.out()).get("results").get(0).get("entries").asLong()).isEqualTo(6);
        assertThat(yinxin("audit", "export", url, "--from", "3", "--to", "5", "--out", extract.toString(), "--json"))
                .isZero();
        var written = Json.read(console.out());
        assertThat(written.get("entries").asInt()).isEqualTo(6);
        assertThat(written.get("upTo").asLong()).isEqualTo(6);
        assertThat(written.get("service").asString()).isEqualTo("cli_audit-service");

        assertThat(yinxin("audit", "verify", "--file", extract.toString())).isEqualTo(2);
        assertThat(console.err()).contains("--pin");
        // the extract carries its checkpoint's certificate: pinned to another, it is not the service's
        Path other = dir.resolve("other.pem");
        Files.writeString(other, Pem.encode(CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("someone"),
                CertificateMaker.newEcKeyPair(), Instant.now(), Duration.ofDays(1))));
        assertThat(yinxin("audit", "verify", "--file", extract.toString(), "--pin", other.toString())).isEqualTo(1);
        assertThat(console.out()).contains("not signed by the pinned audit key");

        Files.writeString(extract, Files.readString(extract).replace("n=4", "n=40"));
        assertThat(yinxin("audit", "verify", "--file", extract.toString(), "--pin", pem.toString())).isEqualTo(1);
        assertThat(console.out()).contains("BROKEN at entry 4", "changed");

        // the entries after the last checkpoint cannot be vouched for yet
        assertThat(yinxin("audit", "export", url, "--to", "8", "--out", dir.resolve("late.json").toString())).isEqualTo(2);
        assertThat(console.err()).contains("no signed checkpoint covers entry 8", "the latest covers entry 6");
    }

    @Test
    void anExtractWhoseEntriesWereRewrittenAndRechainedFailsAtTheSignedCheckpoint() throws Exception {
        Path extract = dir.resolve("extract.json");
        assertThat(yinxin("audit", "export", url, "--out", extract.toString())).as(console.err()).isZero();
        var json = (tools.jackson.databind.node.ObjectNode) Json.read(Files.readString(extract));
        // whoever has the rows but not the key rewrites entry 2 and recomputes every later hash
        byte[] previous = java.util.HexFormat.of().parseHex(json.get("entries").get(0).get("hash").asString());
        for (int i = 1; i < json.get("entries").size(); i++) {
            var entry = (tools.jackson.databind.node.ObjectNode) json.get("entries").get(i);
            if (i == 1) {
                entry.put("details", "rewritten");
            }
            entry.put("prevHash", java.util.HexFormat.of().formatHex(previous));
            previous = AuditChain.hash(previous, new AuditChain.Entry(entry.get("id").asLong(),
                    Instant.parse(entry.get("at").asString()), entry.get("actor").asString(),
                    entry.get("action").asString(), entry.get("subject").asString(), entry.get("details").asString()));
            entry.put("hash", java.util.HexFormat.of().formatHex(previous));
        }
        Files.writeString(extract, Json.pretty(json));
        assertThat(yinxin("audit", "verify", "--file", extract.toString(), "--pin", pem.toString())).isEqualTo(1);
        assertThat(console.out()).contains("BROKEN at entry 6", "rewritten");
    }

    /** Red team of issue 18: the checkpoints deleted and the chain rewritten is consistent, and never trusted. */
    @Test
    void aChainWhoseCheckpointsWereDeletedIsNotTrusted() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
            statement.execute("DELETE FROM audit_checkpoint");
            statement.execute("DELETE FROM audit_event");
            byte[] previous = AuditChain.GENESIS;
            Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
            for (long id = 1; id <= 8; id++) {
                previous = append(connection, id, "seal.sign-code", id == 3 ? "client=nobody-you-need-to-know"
                        : "client=yinxin-licence-service n=" + id, previous, hourAgo);
            }
        }
        assertThat(yinxin("audit", "verify", url, "--pin", pem.toString())).isEqualTo(2);
        assertThat(console.out()).contains("NOT TRUSTED").contains("entries after 0 have waited");
    }

    /**
     * Red team of issue 18: the recent checkpoints deleted and the entries after the last kept one rewritten is a
     * consistent chain; entries older than any checkpoint interval with no checkpoint over them are not trusted.
     */
    @Test
    void entriesLeftWithoutACheckpointForLongerThanItsIntervalAreNotTrusted() throws Exception {
        try (Connection connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
            statement.execute("DELETE FROM audit_event WHERE id > 6");
            byte[] previous;
            try (var last = connection.prepareStatement("SELECT hash FROM audit_event WHERE id = 6");
                 var rs = last.executeQuery()) {
                rs.next();
                previous = rs.getBytes(1);
            }
            Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
            previous = append(connection, 7, "seal.sign-code", "client=nobody-you-need-to-know", previous, hourAgo);
            append(connection, 8, "seal.sign-code", "client=yinxin-licence-service n=8", previous, hourAgo);
        }
        assertThat(yinxin("audit", "verify", url, "--pin", pem.toString())).isEqualTo(2);
        assertThat(console.out()).contains("NOT TRUSTED", "entries after 6 have waited");
        // entries written a moment ago wait for the next checkpoint as they should
        assertThat(yinxin("audit", "verify", url, "--pin", pem.toString(), "--uncovered-for", "PT2H")).isZero();
    }

    /** Red team of issue 18: an extract with its first entries cut off no longer verifies. */
    @Test
    void anExtractCutAtTheFrontFails() throws Exception {
        Path extract = dir.resolve("cut.json");
        assertThat(yinxin("audit", "export", url, "--from", "1", "--to", "6", "--out", extract.toString())).isZero();
        var json = (tools.jackson.databind.node.ObjectNode) Json.read(Files.readString(extract));
        var entries = (tools.jackson.databind.node.ArrayNode) json.get("entries");
        entries.remove(0);
        entries.remove(0);
        entries.remove(0);
        Files.writeString(extract, Json.pretty(json));
        assertThat(yinxin("audit", "verify", "--file", extract.toString(), "--pin", pem.toString())).isEqualTo(1);
        assertThat(console.out()).contains("entries were cut from its head");
    }

    private static byte[] append(Connection connection, long id, String action, String details, byte[] previous)
            throws Exception {
        return append(connection, id, action, details, previous, Instant.now());
    }

    private static byte[] append(Connection connection, long id, String action, String details, byte[] previous,
                                 Instant when) throws Exception {
        Instant at = when.truncatedTo(ChronoUnit.MICROS);
        byte[] hash = AuditChain.hash(previous, new AuditChain.Entry(id, at, "tester", action, "seal:s", details));
        try (var insert = connection.prepareStatement("INSERT INTO audit_event (id, at, actor, action, subject, details, "
                + "prev_hash, hash) VALUES (?, ?, 'tester', ?, 'seal:s', ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setString(3, action);
            insert.setString(4, details);
            insert.setBytes(5, previous);
            insert.setBytes(6, hash);
            insert.executeUpdate();
        }
        return hash;
    }

    private void checkpoint(Connection connection, long upTo, byte[] hash) throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (var insert = connection.prepareStatement("INSERT INTO audit_checkpoint (up_to, hash, at, signature, "
                + "certificate) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, upTo);
            insert.setBytes(2, hash);
            insert.setTimestamp(3, Timestamp.from(at));
            insert.setBytes(4, AuditCheckpoint.sign(key.getPrivate(), upTo, hash, at));
            insert.setBytes(5, certificate.getEncoded());
            insert.executeUpdate();
        }
    }

    private int yinxin(String... args) {
        console.reset();
        return new CommandLine(new Yinxin()).execute(args);
    }

}
