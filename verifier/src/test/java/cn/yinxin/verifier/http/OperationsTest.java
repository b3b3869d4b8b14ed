package cn.yinxin.verifier.http;

import cn.yinxin.testing.LicenceServiceExtension;
import cn.yinxin.testing.SealServiceExtension;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import cn.yinxin.verifier.config.VerifierConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the people who run Yinxin rely on (issue 22), across the real services: the seal service and the licence
 * service (their jars, in processes of their own) and the verifier. One request id from the edge through every
 * service call and into their log lines; no resident ID number or holder name in any log; the Prometheus metrics
 * move after one stamp and one verification, and only the monitoring role reads them.
 */
@cn.yinxin.testing.Slow("seal and licence service processes")
class OperationsTest {

    /** A resident ID number (valid check digit) and a name that appear in no other test, so a log hit is ours. */
    private static final String ID_NUMBER = "440106198703151238";
    private static final String NAME = "欧阳明远";
    private static final String OFFICE = "11430000006122244L";

    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final TestTsa tsa = tsa();
    @RegisterExtension
    @Order(1)
    static final SealServiceExtension seals = new SealServiceExtension("seal_for_operations", revocation.keystores(),
            tsa.url());
    @RegisterExtension
    @Order(2)
    static final LicenceServiceExtension licences = new LicenceServiceExtension("licence_for_operations", seals::url,
            Map.of("yinxin.licence.public-url", "http://localhost:{port}",
                    // a line per request, so the log shows which request ids reached it (and what else it says)
                    "logging.level.org.springframework.web.servlet.DispatcherServlet", "DEBUG"));
    private static Vertx vertx;
    private static VerifierVerticle verifier;
    private static final List<String> verifierLog = new CopyOnWriteArrayList<>();
    private static final Handler capture = new Handler() {
        private final LogLines lines = new LogLines(false);

        @Override
        public void publish(LogRecord record) {
            verifierLog.add(lines.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Logger.getLogger("").addHandler(capture);
        vertx = Vertx.vertx();
        verifier = new VerifierVerticle(new VerifierConfig(0, revocation.keystores().resolve("trust"), 1 << 20)
                .withSeals(seals.url(), java.nio.file.Files.createTempDirectory("verifier").resolve("seals.json"))
                .withLicences(licences.url()));
        vertx.deployVerticle(verifier).await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        Logger.getLogger("").removeHandler(capture);
        vertx.close().await(30, TimeUnit.SECONDS);
        tsa.close();
        revocation.close();
    }

    private static TestTsa tsa() {
        try {
            return new TestTsa(revocation.hierarchy().tsa());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oneRequestIdFromTheEdgeThroughEveryServiceAndNoPersonalDataInAnyLog() throws Exception {
        String issueId = "ops-issue-" + UUID.randomUUID().toString().substring(0, 8);
        var issued = issue(issueId);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        assertThat(issued.headers().firstValue("X-Request-Id")).hasValue(issueId);
        // licence service -> seal service: the stamp's log line there names the licence request (the sample type's
        // OFD is sealed beside the PDF, so its own line may come first)
        assertThat(lineWith(seals.log(), issueId, "Stamped at")).contains(issueId);
        assertThat(lineWith(licences.log(), issueId)).contains("/api/v1/licences");
        JsonObject licence = new JsonObject(issued.body());

        // verifier -> licence service, from the PDF workers: the licence's live status is asked with the same id
        byte[] pdf = http.send(HttpRequest.newBuilder(URI.create(licences.url() + "/api/v1/licences/"
                + licence.getString("identifier") + "/pdf")).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        String verifyId = "ops-verify-" + UUID.randomUUID().toString().substring(0, 8);
        var verified = http.send(HttpRequest.newBuilder(URI.create(verifierUrl() + "/api/v1/verify/pdf"))
                .header("Content-Type", "application/pdf").header("X-Request-Id", verifyId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(pdf)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(new JsonObject(verified.body()).getString("verdict")).as(verified.body()).isEqualTo("VALID");
        assertThat(verified.headers().firstValue("X-Request-Id")).hasValue(verifyId);
        assertThat(lineWith(licences.log(), verifyId)).contains("/status");

        // an officer's look-up of the holder, with a purpose: the personal data passes through every service
        String discloseId = "ops-disclose-" + UUID.randomUUID().toString().substring(0, 8);
        var disclosed = http.send(HttpRequest.newBuilder(URI.create(verifierUrl() + "/api/v1/verify/qr"))
                .header("Content-Type", "application/json").header("X-Request-Id", discloseId)
                .header("X-Dev-Roles", "officer").header("X-Dev-Client", "roadside-check").header("X-Dev-Office", OFFICE)
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("text", licence.getString("qr"))
                        .put("purpose", "交通违法处理，核实驾驶人身份").put("caseNumber", "公交决字〔2026〕21号").encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(disclosed.statusCode()).as(disclosed.body()).isEqualTo(200);
        assertThat(disclosed.body()).contains(ID_NUMBER).contains(NAME);
        assertThat(lineWith(licences.log(), discloseId)).contains("/disclosures");

        // a refusal names the request as its problem's instance
        var refused = http.send(HttpRequest.newBuilder(URI.create(verifierUrl() + "/api/v1/verify/qr"))
                .header("Content-Type", "text/plain").header("X-Request-Id", "ops-refused-0001")
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(refused.body()).getString("instance")).isEqualTo("urn:yinxin:request:ops-refused-0001");

        // no log of any service holds the resident ID number or the name (nor the masked name with the number)
        for (var log : Map.of("seal service", seals.log(), "licence service", licences.log(),
                "verifier", String.join("", verifierLog)).entrySet()) {
            assertThat(log.getValue()).as(log.getKey()).isNotEmpty().doesNotContain(ID_NUMBER).doesNotContain(NAME);
        }
    }

    @Test
    void metricsMoveAfterAStampAndAVerificationAndOnlyTheMonitoringRoleReadsThem() throws Exception {
        String verifierBefore = scrape(verifierUrl() + "/metrics");
        String sealBefore = scrape(seals.url() + "/actuator/prometheus");
        String licenceBefore = scrape(licences.url() + "/actuator/prometheus");

        var issued = issue("ops-metrics-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonObject licence = new JsonObject(issued.body());
        var verified = http.send(HttpRequest.newBuilder(URI.create(verifierUrl() + "/api/v1/verify/qr"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(licence.getString("qr")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(new JsonObject(verified.body()).getString("verdict")).as(verified.body()).isEqualTo("VALID");

        String sealAfter = scrape(seals.url() + "/actuator/prometheus");
        // the sample type issues two files, the PDF and the OFD: two stamps, two signing records
        assertThat(moved(sealBefore, sealAfter, "yinxin_stamps_total", "outcome=\"stamped\"")).isEqualTo(2);
        assertThat(moved(sealBefore, sealAfter, "yinxin_calls_seconds_count", "target=\"tsa\"")).isGreaterThanOrEqualTo(1);
        assertThat(moved(sealBefore, sealAfter, "yinxin_audit_appends_total", "action=\"stamp\"")).isEqualTo(2);
        assertThat(sealAfter).contains("yinxin_calls_seconds_bucket{").contains("http_server_requests_seconds_bucket{");

        String licenceAfter = scrape(licences.url() + "/actuator/prometheus");
        assertThat(moved(licenceBefore, licenceAfter, "yinxin_licences_total", "action=\"issue\"")).isEqualTo(1);
        assertThat(moved(licenceBefore, licenceAfter, "yinxin_calls_seconds_count", "target=\"seal-service\""))
                .isGreaterThanOrEqualTo(2); // the seal, the code's signature and the stamp

        String verifierAfter = scrape(verifierUrl() + "/metrics");
        assertThat(moved(verifierBefore, verifierAfter, "yinxin_verifications_total", "kind=\"qr\",problem=\"none\",verdict=\"VALID\""))
                .isEqualTo(1);
        assertThat(moved(verifierBefore, verifierAfter, "http_server_requests_seconds_count", "uri=\"/api/v1/verify/qr\""))
                .isEqualTo(1);
        // the licence's status list was fetched for the code: its age is a number now, a few seconds at most
        double age = sample(verifierAfter, "yinxin_verifier_status_list_age_seconds", "");
        assertThat(age).isBetween(0.0, 60.0);

        // only the monitoring role: the other roles are refused, on the verifier and on each service
        for (String roles : new String[]{"officer", "seal-admin,ca-admin,licence-issuer,auditor,approval-system", ""}) {
            for (String url : List.of(verifierUrl() + "/metrics", seals.url() + "/actuator/prometheus",
                    licences.url() + "/actuator/prometheus")) {
                var refused = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Dev-Roles", roles).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as(url + " as " + roles).isEqualTo(403);
                assertThat(refused.body()).as(url).doesNotContain("yinxin_").contains("access-denied");
            }
        }
    }

    private String verifierUrl() {
        return "http://localhost:" + verifier.port();
    }

    private HttpResponse<String> issue(String requestId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(licences.url() + "/api/v1/licences"))
                .header("Content-Type", "application/json").header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                        .put("type", "11410000MB00001749002").put("physicalNumber", "OPS-" + UUID.randomUUID().toString().substring(0, 8))
                        .put("holder", new JsonObject().put("kind", "PERSON").put("name", NAME).put("number", ID_NUMBER))
                        .put("fields", new JsonObject().put("vehicleClass", "C1").put("sex", "男").put("birthDate", "1987-03-15")
                                .put("firstIssued", "2010-03-15")).encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape(String url) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Dev-Roles", "monitoring").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    /** The first log line that names {@code id} (fails when none does). */
    private static String lineWith(String log, String id) {
        return lineWith(log, id, "");
    }

    /** The first line naming request {@code id} that contains {@code text}. */
    private static String lineWith(String log, String id, String text) {
        return log.lines().filter(l -> l.contains(id) && l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no log line names request " + id + ":\n"
                        + log.substring(Math.max(0, log.length() - 3000))));
    }

    private static double moved(String before, String after, String metric, String labels) {
        return sample(after, metric, labels) - sample(before, metric, labels);
    }

    /** The sum of a metric's samples whose labels contain {@code labels} (0 when none). */
    private static double sample(String scrape, String metric, String labels) {
        return scrape.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .filter(l -> l.contains(labels))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
