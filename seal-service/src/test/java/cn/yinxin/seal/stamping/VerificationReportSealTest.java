package cn.yinxin.seal.stamping;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verification-report seal and the verifier's client (least privilege): the verifier, which faces the internet,
 * holds no key and asks here for its reports to be sealed; its client may stamp with a verification-report seal and
 * nothing else, and that seal stamps for nobody else, whatever a seal's user list says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL")
class VerificationReportSealTest {

    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final Path keystores = revocation.keystores();
    /** The verifier as the development login names it: its client and its one role. */
    private static final String[] VERIFIER = {"X-Dev-Client", SamplePki.VERIFIER_CLIENT, "X-Dev-Roles", "report-sealer"};

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("report_seal"));
        registry.add("yinxin.seals.import-dir", () -> keystores.resolve("seals").toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.keystore.path", () -> keystores.resolve("seal-service/keys.p12").toString());
        registry.add("yinxin.stamp.tsa-url", () -> revocation.url() + "/tsa");
    }

    @AfterAll
    static void stop() {
        revocation.close();
    }

    @Test
    void theVerifiersClientSealsAReportWithTheReportSealAndItIsRecorded() throws Exception {
        var response = stamp(SamplePki.REPORT_SEAL_ID, false, VERIFIER);
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        var ours = new PdfVerifier(List.of(Pem.readFolder(keystores.resolve("trust")).get(0)),
                new cn.yinxin.core.pki.revocation.OnlineRevocationSource(Duration.ofSeconds(5))).verify(response.body());
        assertThat(ours.verdict()).as(ours.toString()).isEqualTo(Verdict.VALID);
        assertThat(ours.signatures().get(0).seal().name()).isEqualTo(SamplePki.REPORT_SEAL_NAME);
        UUID id = UUID.fromString(response.headers().firstValue("X-Stamp-Id").orElseThrow());
        var record = jdbc.sql("SELECT seal_id, caller FROM stamp_record WHERE id = :id").param("id", id).query().singleRow();
        assertThat(record.get("seal_id")).isEqualTo(SamplePki.REPORT_SEAL_ID);
        assertThat((String) record.get("caller")).startsWith("development:" + SamplePki.VERIFIER_CLIENT + "/");
    }

    @Test
    void theVerifiersClientIsRefusedEveryOtherSealEvenOneThatListsIt() throws Exception {
        // the agency seal does not list the verifier's client
        assertRefused(stamp(SamplePki.SEAL_ID, false, VERIFIER), "is not among the users");
        // an administrator lists it there by mistake: the purpose still refuses it, and the refusal is audited
        setUsers(SamplePki.SEAL_ID, "[{\"client\":\"development\",\"levels\":[\"B_B\"],\"certify\":true,\"crossPage\":true},"
                + "{\"client\":\"" + SamplePki.VERIFIER_CLIENT + "\",\"levels\":[\"B_B\"]}]");
        try {
            long audited = refusalsAudited();
            assertRefused(stamp(SamplePki.SEAL_ID, false, VERIFIER), "seals verification reports only");
            assertThat(refusalsAudited()).isEqualTo(audited + 1);
        } finally {
            setUsers(SamplePki.SEAL_ID, "[{\"client\":\"development\",\"levels\":[\"B_B\",\"B_T\",\"B_LT\",\"B_LTA\"],"
                    + "\"certify\":true,\"crossPage\":true}]");
        }
        // nor may it have a QR code signed with the report seal (a credential the verifier would believe)
        assertRefused(stamp(SamplePki.REPORT_SEAL_ID, true, VERIFIER), "signs no QR codes");
    }

    @Test
    void theReportSealStampsForNoOtherCaller() throws Exception {
        // an approval system (the development login's default client) is not among its users
        assertRefused(stamp(SamplePki.REPORT_SEAL_ID, false), "is not among the users");
        // a caller named like the verifier but without the report-sealer role: the seal's purpose refuses it
        assertRefused(stamp(SamplePki.REPORT_SEAL_ID, false, "X-Dev-Client", SamplePki.VERIFIER_CLIENT,
                "X-Dev-Roles", "approval-system"), "seals the verifier's verification reports only");
    }

    private void assertRefused(HttpResponse<byte[]> response, String because) {
        String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body.substring(0, Math.min(300, body.length()))).isEqualTo(403);
        assertThat(body).contains("\"type\":\"urn:yinxin:problem:seal-not-permitted\"").contains(because);
    }

    private HttpResponse<byte[]> stamp(String sealId, boolean qr, String... headers) throws Exception {
        var form = new Multipart().file("file", "report.pdf", "application/pdf",
                        Files.readAllBytes(keystores.resolve("samples/approval-result.pdf")))
                .field("sealId", sealId).field("page", 1).field("x", 160).field("y", 255);
        if (qr) {
            form.field("qr", "true");
        }
        return http.send(form.post(uri("/api/v1/stamp"), headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void setUsers(String sealId, String users) throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/" + sealId))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"users\":" + users + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private long refusalsAudited() {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'stamp.refused'").query(Long.class).single();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
