package cn.yinxin.seal.stamping;

import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.RawHttp;
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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seventh red team, as an approval system listed on the sample seal, against the placement of
 * {@code POST /api/v1/stamp}. A centre of NaN millimetres passed every bound ("less than 0", "more than the page" are
 * both false for NaN): the document was sealed (200, a stamp record) with a widget whose /Rect held NaN, which
 * PDFBox reads as no rectangle and no viewer draws, an invisible seal; a QR code at NaN, and a seal list naming its
 * centre as text, failed as 500s; a cross-page seal naming one page twice ("1,1") was sealed on that one page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL")
class StampRedTeamSeventhTest {

    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final Path keystores = revocation.keystores();
    private static final String[] APPROVAL_SYSTEM_A = {"X-Dev-Client", "approval-system-a", "X-Dev-Roles", "approval-system"};

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("stamp_red_team_seventh"));
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
    void aSealCentreThatIsNoNumberIsRefusedNotSealedInvisibly() throws Exception {
        long stamps = stamps();
        assertRefused(oneSeal().field("x", "NaN").field("y", 100), 422, "placement-outside-page");
        assertRefused(oneSeal().field("x", 100).field("y", "NaN"), 422, "placement-outside-page");
        assertRefused(oneSeal().field("x", "Infinity").field("y", 100), 422, "placement-outside-page");
        // the document's QR code (was a 500 from PDFBox drawing at NaN)
        assertRefused(oneSeal().field("x", 100).field("y", 100).field("qr", "true").field("qrX", "NaN")
                .field("qrY", 100), 422, "placement-outside-page");
        assertThat(stamps()).as("nothing sealed, nothing recorded").isEqualTo(stamps);
        // the same seal as a plain request is sealed: the refusals are the centre's
        assertThat(http.send(oneSeal().field("x", 100).field("y", 100).post(stampUri(), APPROVAL_SYSTEM_A),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
    }

    @Test
    void aSealListWhoseCentreOrPageIsNoNumberIsABadRequestNotA500() throws Exception {
        for (String entry : new String[] {"\"x\":\"NaN\",\"y\":100", "\"x\":60,\"y\":\"240\"",
                "\"page\":\"one\",\"x\":60,\"y\":240", "\"page\":1.5,\"x\":60,\"y\":240", "\"x\":true,\"y\":240",
                "\"anchor\":{}"}) {
            assertRefused(document().field("seals", "[{\"sealId\":\"" + SamplePki.SEAL_ID + "\"," + entry + "}]"),
                    400, "invalid-request");
        }
    }

    /** A seal administrator's change whose name or level is an object was a 500 (Jackson 3 will not read {} as text). */
    @Test
    void aSealChangeWhoseNameIsNoTextIsABadRequestNotA500() throws Exception {
        for (String body : new String[] {"{\"name\":{}}", "{\"defaultLevel\":[\"B_T\"]}"}) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/v1/seals/" + SamplePki.SEAL_ID)).header("Content-Type", "application/json")
                    .header("X-Dev-Roles", "seal-admin").method("PATCH",
                            java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).contains("urn:yinxin:problem:invalid-request");
        }
    }

    /**
     * A seal's name with a character no reader sees as text (a right-to-left override, a NUL, a zero-width space): a
     * seal administrator's change of the registry name (no new certificate) took it (200); a new seal's reached the
     * CA, which refuses such names now and whose refusal the seal service's CA client reports as 503 ca-unavailable.
     * Both are the request's fault: 400 before anything else.
     */
    @Test
    void aSealNameThatDoesNotReadAsPrintedTextIsABadRequest() throws Exception {
        for (String hidden : new String[] {"\u202E", "\u0000", "\u200B"}) {
            var renamed = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/v1/seals/" + SamplePki.SEAL_ID)).header("Content-Type", "application/json")
                    .header("X-Dev-Roles", "seal-admin").method("PATCH", java.net.http.HttpRequest.BodyPublishers
                            .ofString(tools.jackson.databind.json.JsonMapper.builder().build()
                            .writeValueAsString(java.util.Map.of("name", "专用章" + hidden)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(400);
            var created = http.send(new Multipart().file("image", "seal.png", "image/png", new byte[] {1})
                    .field("id", "red-team-seven").field("name", "专用章" + hidden).field("agency", "示例市行政审批服务局")
                    .field("agencyCode", SamplePki.AGENCY_CODE).field("kind", "APPROVAL").field("widthMm", 40)
                    .field("heightMm", 40).post(URI.create("http://localhost:" + port + "/api/v1/seals"),
                            "X-Dev-Roles", "seal-admin"), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(400);
            assertThat(created.body()).contains("urn:yinxin:problem:invalid-request");
        }
    }

    @Test
    void aCrossPageSealNamingOnePageTwiceIsRefused() throws Exception {
        long stamps = stamps();
        assertRefused(oneSeal().field("crossPages", "1,1").field("y", 100), 400, "invalid-request");
        assertThat(stamps()).isEqualTo(stamps);
    }

    private Multipart document() throws Exception {
        return new Multipart().file("file", "result.pdf", "application/pdf",
                Files.readAllBytes(keystores.resolve("samples/approval-result.pdf")));
    }

    /** As approval system A, listed on the sample seal. */
    private Multipart oneSeal() throws Exception {
        return document().field("sealId", SamplePki.SEAL_ID);
    }

    /**
     * Anyone: the seventh team's open item, {@code /sign/..%2F..%2Fetc/passwd} (the signature desk's pages) and other
     * addresses above the root, were refused by Tomcat itself with its HTML error page; now a problem document in the
     * language asked for (ProblemReportValve), without the address.
     */
    @Test
    void anAddressAboveTheRootIsAProblemDocumentNotTomcatsPage() throws Exception {
        for (String target : new String[] {"/sign/..%2F..%2Fetc/passwd", "/sign/../../etc/passwd",
                "/api/v1/stamp/..%2F..%2F..%2F", "/%2e%2e/%2e%2e/etc/passwd"}) {
            RawHttp.Answer answer = RawHttp.get(port, target);
            assertThat(answer.status()).as(target + "\n" + answer.headers() + "\n" + answer.body()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(target).startsWith("application/problem+json");
            assertThat(answer.body()).as(target).contains("\"type\":\"urn:yinxin:problem:invalid-request\"")
                    .contains("\"status\":400").doesNotContain("passwd").doesNotContainIgnoringCase("<html");
        }
    }

    private void assertRefused(Multipart form, int status, String problem) throws Exception {
        var response = http.send(form.post(stampUri(), APPROVAL_SYSTEM_A), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("urn:yinxin:problem:" + problem);
    }

    private long stamps() {
        return jdbc.sql("SELECT count(*) FROM stamp_record").query(Long.class).single();
    }

    private URI stampUri() {
        return URI.create("http://localhost:" + port + "/api/v1/stamp");
    }
}
