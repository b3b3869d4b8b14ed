package cn.yinxin.seal.stamping;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.service.audit.SigningRecord;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every use of a seal leaves a signing record (签章过程) in the audit chain, written in the transaction of the
 * use: who (client, subject, person), which seal and which certificate, the SHA-256 of what was signed and of the
 * result, the level, and the source. An Idempotency-Key is the client's and person's, wherever the retry comes
 * from. A row outside the chain (no hash) is named by the chain check and shown by no audit view.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL")
class SigningRecordsTest {

    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final Path keystores = revocation.keystores();
    private static final TestTsa tsa = startTsa();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("seal_signing_records"));
        registry.add("yinxin.seals.import-dir", () -> keystores.resolve("seals").toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.keystore.path", () -> keystores.resolve("seal-service/keys.p12").toString());
        registry.add("yinxin.stamp.tsa-url", tsa::url);
        registry.add("yinxin.security.mode", () -> "development");
    }

    @AfterAll
    static void stop() {
        tsa.close();
        revocation.close();
    }

    @Test
    void aStampRecordsWhoWhichSealAndCertificateTheDigestsLevelAndSource() throws Exception {
        byte[] pdf = samplePdf();
        var response = http.send(stampRequest(pdf, "B-T").post(uri("/api/v1/stamp"), "X-Dev-Client",
                "approval-system-a", "X-Dev-Person-Id", "11010519491231002X", "X-Yinxin-Source", "oa-batch:42"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        String stampId = response.headers().firstValue("X-Stamp-Id").orElseThrow();

        Map<String, String> record = signingRecord("stamp", "stamp=" + stampId);
        assertThat(record).containsEntry("client", "approval-system-a")
                .containsEntry("person", "11010519491231002X")
                .containsEntry("seal", SamplePki.SEAL_ID)
                .containsEntry("certificate", sealCertificate())
                .containsEntry("document", SigningRecord.sha256(pdf))
                .containsEntry("result", SigningRecord.sha256(response.body()))
                .containsEntry("level", "PAdES-BASELINE-T")
                .containsEntry("source", "api:oa-batch:42");
        // the stamp record and its signing record are one: same result, same time
        assertThat(jdbc.sql("SELECT document_sha256_after FROM stamp_record WHERE id = :id")
                .param("id", UUID.fromString(stampId)).query(String.class).single()).isEqualTo(record.get("result"));

        // a source that is not a short label is not written into the chain
        var odd = http.send(stampRequest(pdf, "B-B").post(uri("/api/v1/stamp"), "X-Yinxin-Source", "a b\tc"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(odd.statusCode()).isEqualTo(200);
        assertThat(signingRecord("stamp", "stamp=" + odd.headers().firstValue("X-Stamp-Id").orElseThrow()))
                .containsEntry("source", "api").containsEntry("client", "development").containsEntry("person", "-")
                .containsEntry("level", "PAdES-BASELINE-B");
    }

    /** An approval system cannot pass its stamps off as another service's (red team of issue 18). */
    @Test
    void aSourceLabelFromAnApprovalSystemIsRecordedAsItsOwnClaim() throws Exception {
        var stamped = http.send(stampRequest(samplePdf(), "B-B").post(uri("/api/v1/stamp"), "X-Dev-Client",
                "approval-system-a", "X-Dev-Roles", "approval-system", "X-Yinxin-Source",
                "licence-service:bulk-import:forged/2"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stamped.statusCode()).as(new String(stamped.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(signingRecord("stamp", "stamp=" + stamped.headers().firstValue("X-Stamp-Id").orElseThrow()))
                .containsEntry("client", "approval-system-a")
                .containsEntry("source", "api:said:licence-service:bulk-import:forged/2");
    }

    @Test
    void aCodeAndATokenRecordTheClaimsAndTheSignedResult() throws Exception {
        var claims = cn.yinxin.core.qr.CwtClaims.builder().issuer(SamplePki.AGENCY_CODE)
                .issuedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .put(-65538, Map.of(1, "1.2.156.3005.2.records")).build().toCbor();
        var code = http.send(cbor("/codes", claims), HttpResponse.BodyHandlers.ofString());
        assertThat(code.statusCode()).as(code.body()).isEqualTo(200);
        Map<String, String> codeRecord = signingRecord("seal.sign-code",
                "result=" + SigningRecord.sha256(code.body().getBytes(StandardCharsets.US_ASCII)));
        assertThat(codeRecord).containsEntry("client", "yinxin-licence-service")
                .containsEntry("seal", SamplePki.SEAL_ID).containsEntry("certificate", sealCertificate())
                .containsEntry("document", SigningRecord.sha256(claims)).containsEntry("level", "ES256")
                .containsEntry("source", "api:licence-service");

        // a token is a status list (the only kind /tokens signs)
        var list = cn.yinxin.core.qr.CwtClaims.builder().subject("http://localhost/api/v1/status-lists/x/y")
                .issuedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .put(65533, Map.of("bits", 2L, "lst", new byte[]{0})).build().toCbor();
        var token = http.send(cbor("/tokens", list), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(signingRecord("seal.sign-token", "result=" + SigningRecord.sha256(token.body())))
                .containsEntry("client", "yinxin-licence-service").containsEntry("certificate", sealCertificate())
                .containsEntry("document", SigningRecord.sha256(list));
    }

    @Test
    void anIdempotencyKeyIsTheClientsAndPersonsNotTheAddresses() throws Exception {
        byte[] pdf = samplePdf();
        String key = "retry-" + UUID.randomUUID();
        var first = stampFrom("127.0.0.1", pdf, key, "approval-system-a", "11010519491231002X");
        assertThat(first.statusCode()).as(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        long stamps = stampAudits();

        // the same client and person retrying from another address: the first answer, no second stamp
        var retry = stampFrom("127.0.0.2", pdf, key, "approval-system-a", "11010519491231002X");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.headers().firstValue("X-Stamp-Id")).isEqualTo(first.headers().firstValue("X-Stamp-Id"));
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(stampAudits()).isEqualTo(stamps);

        // another client with the same key, from the first address: its own stamp, never the first one's document
        var other = stampFrom("127.0.0.1", pdf, key, "development", null);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        assertThat(other.headers().firstValue("X-Stamp-Id")).isNotEqualTo(first.headers().firstValue("X-Stamp-Id"));
        // and another person behind the same client
        var otherPerson = stampFrom("127.0.0.1", pdf, key, "approval-system-a", "110105194912310038");
        assertThat(otherPerson.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        assertThat(stampAudits()).isEqualTo(stamps + 2);
    }

    @Test
    void aRowWithoutAHashIsNamedByTheChainCheckAndShownInNoAuditView() throws Exception {
        var stamped = http.send(stampRequest(samplePdf(), "B-B").post(uri("/api/v1/stamp")),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stamped.statusCode()).isEqualTo(200);
        long forged = jdbc.sql("INSERT INTO audit_event (at, actor, action, subject, details, chain) VALUES (now(), "
                        + "'someone', 'seal.update', :s, 'users=anyone', 0) RETURNING id")
                .param("s", "seal:" + SamplePki.SEAL_ID).query(Long.class).single();
        try {
            String view = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/" + SamplePki.SEAL_ID + "/audit")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(view).contains("\"action\":\"stamp\"").doesNotContain("users=anyone");
            try (var connection = dataSource.getConnection()) {
                AuditChain.Result result = AuditChain.verify(connection);
                assertThat(result.intact()).isFalse();
                assertThat(result.firstBroken()).isEqualTo(forged);
                assertThat(result.problem()).contains("entry " + forged, "no hash");
            }
        } finally {
            jdbc.sql("DELETE FROM audit_event WHERE id = :id").param("id", forged).update();
        }
        try (var connection = dataSource.getConnection()) {
            assertThat(AuditChain.verify(connection).intact()).isTrue();
        }
    }

    /** The fields of the one signing record of {@code action} whose details contain {@code marker}. */
    private Map<String, String> signingRecord(String action, String marker) {
        List<String> details = jdbc.sql("SELECT details FROM audit_event WHERE action = :a AND details LIKE :m "
                        + "AND hash IS NOT NULL").param("a", action).param("m", "%" + marker + "%")
                .query(String.class).list();
        assertThat(details).as(action + " with " + marker).hasSize(1);
        return SigningRecord.parse(details.get(0));
    }

    private long stampAudits() {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'stamp'").query(Long.class).single();
    }

    private HttpResponse<byte[]> stampFrom(String address, byte[] pdf, String key, String client, String person)
            throws Exception {
        HttpClient from = HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).build();
        List<String> headers = new java.util.ArrayList<>(List.of("Idempotency-Key", key, "X-Dev-Client", client));
        if (person != null) {
            headers.addAll(List.of("X-Dev-Person-Id", person));
        }
        return from.send(stampRequest(pdf, "B-B").post(URI.create("http://127.0.0.1:" + port + "/api/v1/stamp"),
                headers.toArray(String[]::new)), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Multipart stampRequest(byte[] pdf, String level) {
        return new Multipart().file("file", "result.pdf", "application/pdf", pdf).field("sealId", SamplePki.SEAL_ID)
                .field("page", 1).field("x", 150).field("y", 230).field("level", level);
    }

    private HttpRequest cbor(String what, byte[] claims) {
        return HttpRequest.newBuilder(uri("/api/v1/seals/" + SamplePki.SEAL_ID + what))
                .header("Content-Type", "application/cbor").header("X-Dev-Client", "yinxin-licence-service")
                .header("X-Yinxin-Source", "licence-service")
                .POST(HttpRequest.BodyPublishers.ofByteArray(claims)).build();
    }

    /** issuer/serial of the sample seal's certificate, the serial as the CA prints it (lower-case hex). */
    private String sealCertificate() throws Exception {
        SealKey key = SealKey.fromPkcs12(keystores.resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        // an imported seal's certificate was not issued by our CA service: no issuer name is known ("-")
        String issuer = jdbc.sql("SELECT coalesce(ca_issuer, '-') FROM seal WHERE id = :id")
                .param("id", SamplePki.SEAL_ID).query(String.class).single();
        return issuer + "/" + key.certificate().getSerialNumber().toString(16);
    }

    private static byte[] samplePdf() throws Exception {
        return Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static TestTsa startTsa() {
        try {
            var vault = new cn.yinxin.core.pki.keys.Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray());
            return new TestTsa(vault.get(cn.yinxin.core.pki.ca.CaHierarchy.TSA));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
