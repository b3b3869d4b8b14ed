package cn.yinxin.cli;

import cn.yinxin.testing.AuthorisationMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's authorisation matrix against the real services signed in through a real Keycloak (./yinxin up
 * --with-keycloak, started once): every route of every service (test-support's authorisation-matrix.txt) is called by
 * every caller of the sample realm, and each answer must be the cell's: past authorisation (not 401/403), 401 or 403.
 * The requests are harmless by design: the objects acted on are a seal and a licence of office A that are revoked in
 * the set-up (so an allowed change ends in 409, after the role and office checks), and bodies are incomplete (400/422).
 * Then, by name: office scope (an issuer and a seal admin of office B are refused with 403 outside-office, and the
 * auditor finds the refusal in the audit trail) and the separation of duties (the auditor reads audit trails and
 * nothing else; a seal admin reads none).
 */
@cn.yinxin.testing.Slow("./yinxin up --with-keycloak: Keycloak and the four services")
class AuthorisationMatrixIT {

    private static final Path ROOT = Path.of(System.getProperty("yinxin.root", "..")).toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEYCLOAK = "http://localhost:12180/realms/yinxin";
    private static final Map<String, String> SERVICES = Map.of("verifier", "http://localhost:12080",
            "ca", "http://localhost:12081", "seal", "http://localhost:12082", "licence", "http://localhost:12083");
    private static final String OFFICE_A = "11410000MB00001749";
    private static final String OFFICE_B = "11410100MB00002542";
    private static final String TYPE = OFFICE_A + "002";
    private static final String SAMPLE_SEAL = "sample-agency-seal";
    private static final String SEAL = "matrix-revoked-seal";
    private static final String PASSWORD = "yinxin-dev-only";
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * How each matrix column signs in: a user of the sample realm (password grant through the yinxin-cli client) or
     * a client (client credentials, secret {@code <client>-dev-secret}); the anonymous caller sends no token.
     */
    private static final Map<String, String> PEOPLE = Map.of("citizen", "citizen", "officer", "officer",
            "issuer-a", "issuer", "issuer-b", "issuer-b", "sealadmin-a", "sealadmin", "sealadmin-b", "sealadmin-b",
            "caadmin", "caadmin", "auditor", "auditor");
    private static final Map<String, String> CLIENTS = Map.of("approval-a", "approval-system-a",
            "approval-b", "approval-system-b", "ca-svc", "yinxin-ca-service", "seal-svc", "yinxin-seal-service",
            "licence-svc", "yinxin-licence-service", "verifier-svc", "yinxin-verifier");

    /** The Prometheus scraper's client (role monitoring): not a matrix column, every matrix caller is refused the metrics. */
    private static final String MONITORING = "yinxin-monitoring";

    private static Path home;
    private static Map<String, String> env;
    private static final Map<String, String> tokens = new HashMap<>();
    private static Instant tokensFetched;
    private static String licence;
    private static String job;
    private static String sealCertificate;
    private static String stamp;

    @BeforeAll
    static void up() throws Exception {
        home = Files.createTempDirectory("yinxin-matrix");
        env = Map.ofEntries(
                Map.entry("YINXIN_HOME", home.toString()),
                Map.entry("YINXIN_NO_BUILD", "1"),
                Map.entry("YINXIN_VERIFIER_PORT", "12080"),
                Map.entry("YINXIN_CA_PORT", "12081"),
                Map.entry("YINXIN_SEAL_PORT", "12082"),
                Map.entry("YINXIN_LICENCE_PORT", "12083"),
                Map.entry("YINXIN_DB_PORT", "12432"),
                Map.entry("YINXIN_OCSP_PORT", "12091"),
                Map.entry("YINXIN_KEYCLOAK_PORT", "12180"));
        var up = yinxin("up", "--with-keycloak");
        assertThat(up.exit()).as(up.output()).isZero();
        assertThat(up.output()).contains(KEYCLOAK).doesNotContain("DEVELOPMENT LOGIN");
        fixtures();
    }

    @AfterAll
    static void down() throws Exception {
        TestHomes.removeWhenDown(home, yinxin("down").exit());
    }

    /** A seal and a licence of office A, both revoked (changes to them end in 409), and an import job of office A. */
    private static void fixtures() throws Exception {
        var sample = call("GET", SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL, "sealadmin-a", null, null);
        assertThat(sample.statusCode()).as(sample.body()).isEqualTo(200);
        JsonNode seal = JSON.readTree(sample.body());
        var image = http.send(HttpRequest.newBuilder(URI.create(SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL + "/image"))
                .header("Authorization", "Bearer " + token("sealadmin-a")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.statusCode()).isEqualTo(200);
        String imageType = image.headers().firstValue("Content-Type").orElseThrow();
        Multipart form = new Multipart().field("id", SEAL).field("name", "授权矩阵测试章").field("agency", seal.path("agency").asString())
                .field("agencyCode", OFFICE_A).field("kind", "OTHER").field("widthMm", seal.path("widthMm").asString())
                .field("heightMm", seal.path("heightMm").asString())
                .file("image", imageType.contains("svg") ? "seal.svg" : "seal.png", imageType, image.body());
        var created = call("POST", SERVICES.get("seal") + "/api/v1/seals", "sealadmin-a", form.contentType(), form.bytes());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode certificate = JSON.readTree(created.body()).path("certificate");
        sealCertificate = certificate.path("issuer").asString() + "/" + certificate.path("serial").asString();
        var revoked = call("POST", SERVICES.get("seal") + "/api/v1/seals/" + SEAL + "/revocation", "sealadmin-a",
                "application/json", bytes("{\"reason\":\"cessationOfOperation\"}"));
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

        // a stamp of office A's sample seal by its approval system: its record is read by the matrix
        byte[] pdf = Files.readAllBytes(home.resolve("keystores/samples/approval-result.pdf"));
        Multipart order = new Multipart().field("sealId", SAMPLE_SEAL).field("page", "1").field("x", "150").field("y", "240")
                .file("file", "a.pdf", "application/pdf", pdf);
        var stamped = http.send(HttpRequest.newBuilder(URI.create(SERVICES.get("seal") + "/api/v1/stamp"))
                .header("Authorization", "Bearer " + token("approval-a")).header("Content-Type", order.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(order.bytes())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stamped.statusCode()).as(new String(stamped.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        stamp = stamped.headers().firstValue("X-Stamp-Id").orElseThrow();

        var issued = call("POST", SERVICES.get("licence") + "/api/v1/licences", "issuer-a", "application/json", bytes("""
                {"type":"%s","holder":{"kind":"PERSON","name":"张三","number":"11010519491231002X"},
                 "fields":{"vehicleClass":"C1","sex":"男","birthDate":"1949-12-31","firstIssued":"2010-05-01"},
                 "validUntil":"2032-01-01","physicalNumber":"MATRIX-1"}""".formatted(TYPE)));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        licence = JSON.readTree(issued.body()).path("identifier").asString();
        var licenceRevoked = call("POST", SERVICES.get("licence") + "/api/v1/licences/" + licence + "/revocation",
                "issuer-a", "application/json", bytes("{\"reason\":\"matrix test\"}"));
        assertThat(licenceRevoked.statusCode()).as(licenceRevoked.body()).isEqualTo(200);

        // one JSON Lines row that fails for its own reason: the job exists, nothing is issued
        var imported = call("POST", SERVICES.get("licence") + "/api/v1/imports?type=" + TYPE + "&format=jsonl",
                "issuer-a", "application/x-ndjson", bytes("{}\n"));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(202);
        job = JSON.readTree(imported.body()).path("id").asString();
    }

    /** The request each matrix row is asked with: the path with sample values, and a body that cannot do harm. */
    private record Ask(String path, String contentType, byte[] body) {
    }

    private static Map<String, Ask> asks() {
        String unknown = UUID.randomUUID().toString();
        String json = "application/json";
        byte[] empty = bytes("{}");
        Multipart noParts = new Multipart();
        Multipart newSealOfA = new Multipart().field("id", "matrix-not-made").field("agencyCode", OFFICE_A);
        Map<String, Ask> asks = new LinkedHashMap<>();
        // the CA
        asks.put("ca GET /sign-in/config.json", get("/sign-in/config.json"));
        asks.put("ca GET /sign-in/sign-in.js", get("/sign-in/sign-in.js"));
        asks.put("ca GET /openapi.yaml", get("/openapi.yaml"));
        asks.put("ca GET /actuator/prometheus", get("/actuator/prometheus"));
        asks.put("ca POST /ocsp", new Ask("/ocsp", "application/ocsp-request", bytes("x")));
        asks.put("ca POST /tsa", new Ask("/tsa", "application/timestamp-query", bytes("x")));
        asks.put("ca GET /ocsp/**", get("/ocsp/MEowSDBGMEQwQjAJBgUrDgMCGgUABBQ"));
        asks.put("ca GET /crl/{issuer}.crl", get("/crl/seal-ca.crl"));
        asks.put("ca GET /api/v1/ca/certificates", get("/api/v1/ca/certificates"));
        asks.put("ca GET /api/v1/trust-list", get("/api/v1/trust-list"));
        asks.put("ca GET /api/v1/seal-maker/certificate", get("/api/v1/seal-maker/certificate"));
        asks.put("ca POST /api/v1/seseals", new Ask("/api/v1/seseals", json, empty));
        asks.put("ca POST /api/v1/enrolments", new Ask("/api/v1/enrolments", json, empty));
        asks.put("ca GET /api/v1/certificates/{issuer}/{serial}", get("/api/v1/certificates/" + sealCertificate));
        asks.put("ca GET /api/v1/certificates/{issuer}/{serial}/audit", get("/api/v1/certificates/" + sealCertificate + "/audit"));
        asks.put("ca POST /api/v1/certificates/{issuer}/{serial}/revocation",
                new Ask("/api/v1/certificates/seal-ca/0badc0de/revocation", json, bytes("{\"reason\":\"keyCompromise\"}")));
        asks.put("ca DELETE /api/v1/certificates/{issuer}/{serial}/revocation",
                new Ask("/api/v1/certificates/seal-ca/0badc0de/revocation", null, null));
        asks.put("ca GET /api/v1/trust-list/cas", get("/api/v1/trust-list/cas"));
        asks.put("ca POST /api/v1/trust-list/cas", new Ask("/api/v1/trust-list/cas", json, empty));
        asks.put("ca DELETE /api/v1/trust-list/cas/{id}", new Ask("/api/v1/trust-list/cas/" + unknown, null, null));
        // a new publication of the same trust list: harmless
        asks.put("ca POST /api/v1/trust-list/publications", new Ask("/api/v1/trust-list/publications", null, null));
        // the seal service
        asks.put("seal GET /sign-in/config.json", get("/sign-in/config.json"));
        asks.put("seal GET /sign-in/sign-in.js", get("/sign-in/sign-in.js"));
        asks.put("seal GET /openapi.yaml", get("/openapi.yaml"));
        asks.put("seal GET /actuator/prometheus", get("/actuator/prometheus"));
        asks.put("seal POST /api/v1/stamp", new Ask("/api/v1/stamp", noParts.contentType(), noParts.bytes()));
        asks.put("seal GET /api/v1/stamps/{id}", get("/api/v1/stamps/" + stamp));
        asks.put("seal POST /api/v1/seals/{id}/codes", new Ask("/api/v1/seals/" + SEAL + "/codes", "application/cbor", new byte[0]));
        asks.put("seal POST /api/v1/seals/{id}/tokens", new Ask("/api/v1/seals/" + SEAL + "/tokens", "application/cbor", new byte[0]));
        asks.put("seal GET /api/v1/seals", get("/api/v1/seals"));
        for (String tail : List.of("", "/certificate", "/certificates", "/status", "/seseal", "/audit")) {
            asks.put("seal GET /api/v1/seals/{id}" + tail, get("/api/v1/seals/" + SEAL + tail));
        }
        // the artwork of the sample seal, which lists approval-a (approval-b is listed on no seal of office A)
        asks.put("seal GET /api/v1/seals/{id}/image", get("/api/v1/seals/" + SAMPLE_SEAL + "/image"));
        asks.put("seal POST /api/v1/seals", new Ask("/api/v1/seals", newSealOfA.contentType(), newSealOfA.bytes()));
        asks.put("seal PATCH /api/v1/seals/{id}", new Ask("/api/v1/seals/" + SEAL, json, bytes("{\"name\":\"x\"}")));
        asks.put("seal POST /api/v1/seals/{id}/suspension", new Ask("/api/v1/seals/" + SEAL + "/suspension", json, empty));
        asks.put("seal DELETE /api/v1/seals/{id}/suspension", new Ask("/api/v1/seals/" + SEAL + "/suspension", null, null));
        asks.put("seal POST /api/v1/seals/{id}/revocation", new Ask("/api/v1/seals/" + SEAL + "/revocation", json, empty));
        asks.put("seal POST /api/v1/seals/{id}/renewal", new Ask("/api/v1/seals/" + SEAL + "/renewal", json, empty));
        // the citizen's own e-signature is applied for and cancelled again: harmless
        asks.put("seal POST /api/v1/personal-signatures", new Ask("/api/v1/personal-signatures", null, null));
        asks.put("seal GET /api/v1/personal-signatures/mine", get("/api/v1/personal-signatures/mine"));
        asks.put("seal POST /api/v1/personal-signatures/mine/captures",
                new Ask("/api/v1/personal-signatures/mine/captures", noParts.contentType(), noParts.bytes()));
        asks.put("seal POST /api/v1/personal-signatures/mine/uses",
                new Ask("/api/v1/personal-signatures/mine/uses", noParts.contentType(), noParts.bytes()));
        asks.put("seal GET /api/v1/personal-signatures/mine/uses", get("/api/v1/personal-signatures/mine/uses"));
        asks.put("seal POST /api/v1/personal-signatures/mine/cancellation",
                new Ask("/api/v1/personal-signatures/mine/cancellation", null, null));
        asks.put("seal GET /api/v1/captures/{id}", get("/api/v1/captures/" + unknown));
        asks.put("seal POST /api/v1/captures/{id}/strokes", new Ask("/api/v1/captures/" + unknown + "/strokes", json, empty));
        asks.put("seal GET /sign", get("/sign"));
        asks.put("seal GET /sign/**", get("/sign/desk.html"));
        // the licence service
        asks.put("licence GET /sign-in/config.json", get("/sign-in/config.json"));
        asks.put("licence GET /sign-in/sign-in.js", get("/sign-in/sign-in.js"));
        asks.put("licence GET /openapi.yaml", get("/openapi.yaml"));
        asks.put("licence GET /actuator/prometheus", get("/actuator/prometheus"));
        asks.put("licence GET /holder", get("/holder"));
        asks.put("licence GET /holder/", get("/holder/"));
        asks.put("licence GET /holder/**", get("/holder/index.html"));
        asks.put("licence GET /api/v1/licence-types", get("/api/v1/licence-types"));
        asks.put("licence GET /api/v1/licence-types/{code}", get("/api/v1/licence-types/" + TYPE));
        asks.put("licence GET /api/v1/licence-types/{code}/audit", get("/api/v1/licence-types/" + TYPE + "/audit"));
        asks.put("licence GET /api/v1/status-lists/{issuer}/{type}", get("/api/v1/status-lists/" + OFFICE_A + "/" + TYPE));
        asks.put("licence POST /api/v1/presentations/verify", new Ask("/api/v1/presentations/verify", json, empty));
        asks.put("licence POST /api/v1/licence-types", new Ask("/api/v1/licence-types", json,
                bytes("{\"code\":\"" + OFFICE_A + "099\"}")));
        asks.put("licence POST /api/v1/imports", new Ask("/api/v1/imports?type=" + TYPE, "text/csv", new byte[0]));
        asks.put("licence GET /api/v1/imports/{id}", get("/api/v1/imports/" + job));
        asks.put("licence GET /api/v1/imports/{id}/errors", get("/api/v1/imports/" + job + "/errors"));
        asks.put("licence GET /api/v1/imports/{id}/licences", get("/api/v1/imports/" + job + "/licences"));
        asks.put("licence POST /api/v1/licences", new Ask("/api/v1/licences", json,
                bytes("{\"type\":\"" + TYPE + "\",\"holder\":{\"kind\":\"PERSON\"}}")));
        for (String tail : List.of("", "/status", "/pdf", "/ofd", "/audit")) {
            asks.put("licence GET /api/v1/licences/{identifier}" + tail, get("/api/v1/licences/" + licence + tail));
        }
        for (String change : List.of("suspension", "revocation", "cancellation", "renewal", "amendment")) {
            asks.put("licence POST /api/v1/licences/{identifier}/" + change,
                    new Ask("/api/v1/licences/" + licence + "/" + change, json, empty));
        }
        asks.put("licence POST /api/v1/licences/{identifier}/disclosures",
                new Ask("/api/v1/licences/" + licence + "/disclosures", json, empty));
        asks.put("licence DELETE /api/v1/licences/{identifier}/suspension",
                new Ask("/api/v1/licences/" + licence + "/suspension", null, null));
        asks.put("licence GET /api/v1/holder/licences", get("/api/v1/holder/licences"));
        asks.put("licence GET /api/v1/holder/licences/{identifier}/pdf", get("/api/v1/holder/licences/" + licence + "/pdf"));
        asks.put("licence GET /api/v1/holder/licences/{identifier}/ofd", get("/api/v1/holder/licences/" + licence + "/ofd"));
        asks.put("licence POST /api/v1/holder/licences/{identifier}/presentations",
                new Ask("/api/v1/holder/licences/" + licence + "/presentations", json, empty));
        asks.put("licence POST /api/v1/holder/licences/{identifier}/consents",
                new Ask("/api/v1/holder/licences/" + licence + "/consents", json, empty));
        asks.put("licence GET /api/v1/holder/consents", get("/api/v1/holder/consents"));
        asks.put("licence DELETE /api/v1/holder/consents/{id}", new Ask("/api/v1/holder/consents/" + unknown, null, null));
        asks.put("licence GET /api/v1/holder/uses", get("/api/v1/holder/uses"));
        // not JSON (415): past the role check, short of the consent check, which answers 403 for its own reason
        asks.put("licence POST /api/v1/uses", new Ask("/api/v1/uses", "text/plain", bytes("x")));
        // the verifier
        asks.put("verifier GET /health", get("/health"));
        asks.put("verifier GET /api/v1/trust-status", get("/api/v1/trust-status"));
        asks.put("verifier GET /api/v1/qr-signers", get("/api/v1/qr-signers"));
        asks.put("verifier POST /api/v1/verify/pdf", new Ask("/api/v1/verify/pdf", "application/pdf", bytes("%PDF-")));
        asks.put("verifier POST /api/v1/verify/pdf/report", new Ask("/api/v1/verify/pdf/report", "application/pdf", bytes("%PDF-")));
        asks.put("verifier POST /api/v1/verify/ofd/report", new Ask("/api/v1/verify/ofd/report", "application/ofd", bytes("PK")));
        asks.put("verifier POST /api/v1/verify/ofd", new Ask("/api/v1/verify/ofd", "application/ofd", bytes("PK")));
        asks.put("verifier POST /api/v1/verify/qr", new Ask("/api/v1/verify/qr", "text/plain", bytes("YX1:x")));
        asks.put("verifier POST /api/v1/verify/qr-image", new Ask("/api/v1/verify/qr-image", "image/png", bytes("x")));
        asks.put("verifier GET /openapi.yaml", get("/openapi.yaml"));
        asks.put("verifier GET /metrics", get("/metrics"));
        asks.put("verifier GET /sign-in/config.json", get("/sign-in/config.json"));
        asks.put("verifier GET /sign-in/sign-in.js", get("/sign-in/sign-in.js"));
        asks.put("verifier GET /", get("/"));
        asks.put("verifier GET /d/:documentId", get("/d/" + unknown));
        asks.put("verifier GET /*", get("/index.html"));
        return asks;
    }

    @Test
    void everyCallerGetsTheAnswerTheMatrixSaysOnEveryRoute() throws Exception {
        AuthorisationMatrix matrix = AuthorisationMatrix.load();
        assertThat(matrix.callers()).containsExactlyInAnyOrderElementsOf(callers());
        Map<String, Ask> asks = asks();
        assertThat(asks.keySet()).as("a request for every row of the matrix, and no request without a row")
                .containsExactlyInAnyOrderElementsOf(matrix.rows().stream().map(Object::toString).toList());
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (AuthorisationMatrix.Row row : matrix.rows()) {
            Ask ask = asks.get(row.toString());
            for (var cell : row.expected().entrySet()) {
                var answer = call(row.method(), SERVICES.get(row.service()) + ask.path(), cell.getKey(), ask.contentType(),
                        ask.body());
                cells++;
                if (!cell.getValue().matches(answer.statusCode())) {
                    wrong.add(row + " as " + cell.getKey() + ": expected " + cell.getValue().cell() + ", got "
                            + answer.statusCode() + " " + abbreviate(answer.body()));
                }
            }
        }
        assertThat(wrong).as("%d of %d cells differ from the matrix", wrong.size(), cells).isEmpty();
    }

    @Test
    void anIssuerOfAnotherOfficeIsRefusedAndTheAuditorSeesTheRefusal() throws Exception {
        var issue = call("POST", SERVICES.get("licence") + "/api/v1/licences", "issuer-b", "application/json", bytes("""
                {"type":"%s","holder":{"kind":"PERSON","name":"张三","number":"11010519491231002X"},
                 "fields":{"vehicleClass":"C1","sex":"男","birthDate":"1949-12-31","firstIssued":"2010-05-01"},
                 "validUntil":"2032-01-01","physicalNumber":"MATRIX-B"}""".formatted(TYPE)));
        assertThat(issue.statusCode()).as(issue.body()).isEqualTo(403);
        assertThat(issue.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(issue.body()).contains("urn:yinxin:problem:outside-office").contains(OFFICE_B).contains(OFFICE_A);

        var trail = call("GET", SERVICES.get("licence") + "/api/v1/licence-types/" + TYPE + "/audit", "auditor", null, null);
        assertThat(trail.statusCode()).as(trail.body()).isEqualTo(200);
        assertThat(trail.body()).contains("office-scope.refused").contains("issue a licence of this type")
                .contains("office " + OFFICE_B);
        // the issuer of office A still issues
        var same = call("POST", SERVICES.get("licence") + "/api/v1/licences", "issuer-a", "application/json", bytes("""
                {"type":"%s","holder":{"kind":"PERSON","name":"张三","number":"11010519491231002X"},
                 "fields":{"vehicleClass":"C1","sex":"男","birthDate":"1949-12-31","firstIssued":"2010-05-01"},
                 "validUntil":"2032-01-01","physicalNumber":"MATRIX-A"}""".formatted(TYPE)));
        assertThat(same.statusCode()).as(same.body()).isEqualTo(201);
        String identifier = JSON.readTree(same.body()).path("identifier").asString();
        // and office B cannot suspend it; the licence's own trail has the refusal
        var suspend = call("POST", SERVICES.get("licence") + "/api/v1/licences/" + identifier + "/suspension", "issuer-b",
                "application/json", bytes("{\"reason\":\"not mine\"}"));
        assertThat(suspend.statusCode()).isEqualTo(403);
        assertThat(suspend.body()).contains("urn:yinxin:problem:outside-office");
        var licenceTrail = call("GET", SERVICES.get("licence") + "/api/v1/licences/" + identifier + "/audit", "auditor", null, null);
        assertThat(licenceTrail.body()).contains("licence.issue").contains("office-scope.refused").contains("suspend the licence");
        var status = call("GET", SERVICES.get("licence") + "/api/v1/licences/" + identifier + "/status", null, null, null);
        assertThat(JSON.readTree(status.body()).path("status").asString()).isEqualTo("VALID");
    }

    @Test
    void aSealAdminOfAnotherAgencyIsRefusedAndTheAuditorSeesTheRefusal() throws Exception {
        var suspend = call("POST", SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL + "/suspension", "sealadmin-b",
                "application/json", bytes("{\"reason\":\"not mine\"}"));
        assertThat(suspend.statusCode()).as(suspend.body()).isEqualTo(403);
        assertThat(suspend.body()).contains("urn:yinxin:problem:outside-office");
        var users = call("PATCH", SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL, "sealadmin-b", "application/json",
                bytes("{\"users\":[{\"client\":\"approval-system-b\",\"levels\":[\"B-B\"]}]}"));
        assertThat(users.statusCode()).isEqualTo(403);
        // the seal is as it was, and another agency's administrator does not see who may use it
        var seen = call("GET", SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL, "sealadmin-b", null, null);
        assertThat(JSON.readTree(seen.body()).path("status").asString()).isEqualTo("ACTIVE");
        assertThat(JSON.readTree(seen.body()).path("users")).isEmpty();
        assertThat(JSON.readTree(call("GET", SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL, "sealadmin-a", null, null)
                .body()).path("users").toString()).contains("approval-system-a").doesNotContain("approval-system-b");

        var trail = call("GET", SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL + "/audit", "auditor", null, null);
        assertThat(trail.statusCode()).as(trail.body()).isEqualTo(200);
        assertThat(trail.body()).contains("office-scope.refused").contains("suspend the seal")
                .contains("change the seal or its users").contains("office " + OFFICE_B);
    }

    /**
     * Office B on its own: its seal admin makes a seal of agency B, its issuer defines a type signed with it and issues
     * a licence; office A's issuer can neither have B's seal sign a type of A nor suspend B's licence.
     */
    @Test
    void officeBActsOnItsOwnSealTypeAndLicenceAndOfficeACannot() throws Exception {
        var image = http.send(HttpRequest.newBuilder(URI.create(SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL + "/image"))
                .header("Authorization", "Bearer " + token("sealadmin-a")).build(), HttpResponse.BodyHandlers.ofByteArray());
        String imageType = image.headers().firstValue("Content-Type").orElseThrow();
        JsonNode sample = JSON.readTree(call("GET", SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL, null, null, null).body());
        Multipart form = new Multipart().field("id", "office-b-seal").field("name", "乙机关行政审批专用章")
                .field("agency", "乙机关").field("agencyCode", OFFICE_B).field("kind", "APPROVAL")
                .field("widthMm", sample.path("widthMm").asString()).field("heightMm", sample.path("heightMm").asString())
                .field("users", "[{\"client\":\"yinxin-licence-service\",\"levels\":[\"B_B\",\"B_T\"]}]")
                .file("image", imageType.contains("svg") ? "seal.svg" : "seal.png", imageType, image.body());
        var ofA = call("POST", SERVICES.get("seal") + "/api/v1/seals", "sealadmin-a", form.contentType(), form.bytes());
        assertThat(ofA.statusCode()).as("office A's seal admin makes no seal of agency B").isEqualTo(403);
        var made = call("POST", SERVICES.get("seal") + "/api/v1/seals", "sealadmin-b", form.contentType(), form.bytes());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);

        JsonNode permit = JSON.readTree(call("GET", SERVICES.get("licence") + "/api/v1/licence-types/" + TYPE, null, null, null).body());
        String typeOfB = OFFICE_B + "001";
        var definition = JSON.createObjectNode().put("code", typeOfB).put("name", "驾驶许可（乙）")
                .put("sealId", "office-b-seal").put("signatureLevel", "B_T").put("validityYears", 6);
        definition.set("fieldsSchema", permit.path("fieldsSchema"));
        definition.set("template", permit.path("template"));
        // office A's issuer may not have B's seal sign a type of its own
        var borrowed = definition.deepCopy().put("code", OFFICE_A + "097");
        var refused = call("POST", SERVICES.get("licence") + "/api/v1/licence-types", "issuer-a", "application/json",
                bytes(JSON.writeValueAsString(borrowed)));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("urn:yinxin:problem:outside-office").contains("office-b-seal");
        var defined = call("POST", SERVICES.get("licence") + "/api/v1/licence-types", "issuer-b", "application/json",
                bytes(JSON.writeValueAsString(definition)));
        assertThat(defined.statusCode()).as(defined.body()).isEqualTo(201);

        String issuance = """
                {"type":"%s","holder":{"kind":"PERSON","name":"张三","number":"11010519491231002X"},
                 "fields":{"vehicleClass":"C1","sex":"男","birthDate":"1949-12-31","firstIssued":"2010-05-01"},
                 "validUntil":"2032-01-01","physicalNumber":"OFFICE-B-1"}""".formatted(typeOfB);
        assertThat(call("POST", SERVICES.get("licence") + "/api/v1/licences", "issuer-a", "application/json", bytes(issuance))
                .statusCode()).isEqualTo(403);
        var issued = call("POST", SERVICES.get("licence") + "/api/v1/licences", "issuer-b", "application/json", bytes(issuance));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode licenceOfB = JSON.readTree(issued.body());
        assertThat(licenceOfB.path("issuer").path("code").asString()).isEqualTo(OFFICE_B);
        var suspend = call("POST", SERVICES.get("licence") + "/api/v1/licences/" + licenceOfB.path("identifier").asString()
                + "/suspension", "issuer-a", "application/json", bytes("{\"reason\":\"not mine\"}"));
        assertThat(suspend.statusCode()).isEqualTo(403);
        assertThat(suspend.body()).contains("urn:yinxin:problem:outside-office");
    }

    /** 三权分立: the auditor reads trails and can neither stamp nor administer; administrators and users read no trail. */
    @Test
    void theAuditorOnlyReadsAndTheAdministratorsAndUsersReadNoTrail() throws Exception {
        String audit = SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL + "/audit";
        assertThat(call("GET", audit, "auditor", null, null).statusCode()).isEqualTo(200);
        for (String caller : List.of("sealadmin-a", "approval-a", "seal-svc", "caadmin", "issuer-a")) {
            var refused = call("GET", audit, caller, null, null);
            assertThat(refused.statusCode()).as(caller).isEqualTo(403);
            assertThat(refused.body()).as(caller).contains("urn:yinxin:problem:access-denied");
        }
        Multipart noParts = new Multipart();
        var stamp = call("POST", SERVICES.get("seal") + "/api/v1/stamp", "auditor", noParts.contentType(), noParts.bytes());
        assertThat(stamp.statusCode()).isEqualTo(403);
        var suspend = call("POST", SERVICES.get("seal") + "/api/v1/seals/" + SAMPLE_SEAL + "/suspension", "auditor",
                "application/json", bytes("{}"));
        assertThat(suspend.statusCode()).isEqualTo(403);
        var issue = call("POST", SERVICES.get("licence") + "/api/v1/licences", "auditor", "application/json", bytes("{}"));
        assertThat(issue.statusCode()).isEqualTo(403);
    }

    /** Only the monitoring client reads the metrics (the matrix refuses them to everyone else), and only them. */
    @Test
    void theMonitoringClientReadsEveryServicesMetricsAndNothingElse() throws Exception {
        for (var service : SERVICES.entrySet()) {
            String path = service.getKey().equals("verifier") ? "/metrics" : "/actuator/prometheus";
            var metrics = call("GET", service.getValue() + path, "monitoring", null, null);
            assertThat(metrics.statusCode()).as(service.getKey() + ": " + abbreviate(metrics.body())).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("application=");
        }
        Multipart noParts = new Multipart();
        assertThat(call("POST", SERVICES.get("seal") + "/api/v1/stamp", "monitoring", noParts.contentType(),
                noParts.bytes()).statusCode()).isEqualTo(403);
        assertThat(call("GET", SERVICES.get("licence") + "/api/v1/licence-types/" + TYPE + "/audit", "monitoring", null,
                null).statusCode()).isEqualTo(403);
    }

    private static List<String> callers() {
        List<String> all = new ArrayList<>(List.of("anonymous"));
        all.addAll(PEOPLE.keySet());
        all.addAll(CLIENTS.keySet());
        return all;
    }

    private static Ask get(String path) {
        return new Ask(path, null, null);
    }

    private static HttpResponse<String> call(String method, String url, String caller, String contentType, byte[] body)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        String token = caller == null || caller.equals("anonymous") ? null : token(caller);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One token per caller, fetched again before the realm's 5 minutes are up. */
    private static synchronized String token(String caller) throws Exception {
        if (tokensFetched == null || tokensFetched.isBefore(Instant.now().minusSeconds(200))) {
            tokens.clear();
            tokensFetched = Instant.now();
        }
        String token = tokens.get(caller);
        if (token == null) {
            String form = PEOPLE.containsKey(caller)
                    ? "grant_type=password&client_id=yinxin-cli&username=" + PEOPLE.get(caller) + "&password="
                    + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
                    : "grant_type=client_credentials&client_id=" + CLIENTS.getOrDefault(caller, MONITORING)
                    + "&client_secret=" + CLIENTS.getOrDefault(caller, MONITORING) + "-dev-secret";
            var response = http.send(HttpRequest.newBuilder(URI.create(KEYCLOAK + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(caller + ": " + response.body()).isEqualTo(200);
            token = JSON.readTree(response.body()).path("access_token").asString();
            tokens.put(caller, token);
        }
        return token;
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ");
        return flat.length() > 160 ? flat.substring(0, 160) + "..." : flat;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A multipart/form-data body. */
    private static final class Multipart {
        private final String boundary = "yinxin-" + UUID.randomUUID();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Multipart file(String name, String filename, String type, byte[] content) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(body.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }
    }

    record Result(int exit, String output) {
    }

    private static Result yinxin(String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(java.util.stream.Stream.concat(
                java.util.stream.Stream.of(ROOT.resolve("yinxin").toString()), java.util.stream.Stream.of(args)).toList())
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = Files.createTempFile(home, "yinxin-", ".out");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./yinxin " + String.join(" ", args) + " did not finish:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
