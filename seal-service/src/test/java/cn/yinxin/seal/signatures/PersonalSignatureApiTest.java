package cn.yinxin.seal.signatures;

import cn.yinxin.core.pdf.handwriting.HandwritingCheck;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.CaServiceExtension;
import cn.yinxin.testing.DssJudge;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Personal e-signatures against the real ca-service (its jar in a process of its own) and its TSA and OCSP: a
 * person applies (key in the key store, personal certificate from the CA), signs an approval result with a
 * handwritten signature captured for it, the agency seals the result after, and both signatures verify in our
 * verifier and in EU DSS; every bad input is refused with nothing signed; a cancelled signature signs no more.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot), a CA service process, an embedded PostgreSQL")
class PersonalSignatureApiTest {

    // one CA for the seal service's test classes (see CaServiceExtension): each has its own database and key
    // store, and the CA only issues, revokes and makes seals for the seal ids and persons of the class asking
    @RegisterExtension
    static final CaServiceExtension ca = CaServiceExtension.shared("ca_for_seal_tests");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Person ZHANG = new Person(residentId("110105199003071", "23"), "张三");
    static final Person LI = new Person(residentId("310104198512120", "45"), "李四");
    // each test has the people it needs, so that it passes alone and in any order: one applies (ZHAO, QIAN), one
    // cancels (ZHOU), one is refused (WANG), one signs (ZHANG); LI never signs
    static final Person ZHAO = new Person(residentId("110105198805060", "17"), "赵六");
    static final Person QIAN = new Person(residentId("110105197911230", "28"), "钱七");
    static final Person WANG = new Person(residentId("320102199201180", "39"), "王芳");
    static final Person ZHOU = new Person(residentId("440103198302140", "51"), "周八");

    record Person(String id, String name) {
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("seal_personal"));
        registry.add("yinxin.seals.import-dir", () -> ca.keystores().resolve("seals").toString());
        registry.add("yinxin.seals.keystore.path", () -> ca.sealKeyStore().toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.ca-url", ca::url);
        registry.add("yinxin.stamp.tsa-url", () -> ca.url() + "/tsa");
        registry.add("yinxin.development-login", () -> "true");
    }

    @Test
    void aPersonAppliesWithTheirSignInIdentityAndGetsAPersonalCertificate() throws Exception {
        long applications = audit("personal-signature.apply");
        assertThat(problem(send(request("/api/v1/personal-signatures", null).POST(empty())))).isEqualTo("not-signed-in");
        Person wrong = new Person(ZHAO.id().substring(0, 17) + (ZHAO.id().charAt(17) == '1' ? "2" : "1"), "王五");
        assertThat(problem(send(request("/api/v1/personal-signatures", wrong).POST(empty())))).isEqualTo("invalid-subject");

        var applied = send(request("/api/v1/personal-signatures", ZHAO).POST(empty()));
        assertThat(applied.statusCode()).as(body(applied)).isEqualTo(201);
        JsonNode signature = JSON.readTree(applied.body());
        assertThat(signature.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(signature.get("certificateIssuer").asString()).isEqualTo("personal-ca");
        assertThat(signature.get("subject").asString()).contains("CN=赵六").contains(ZHAO.id());
        assertThat(signature.get("residentId").asString()).isEqualTo(ZHAO.id().substring(0, 6) + "********" + ZHAO.id().substring(14));
        String serial = signature.get("certificateSerial").asString();
        assertThat(caGet("/api/v1/certificates/personal-ca/" + serial)).contains("\"status\":\"GOOD\"");
        assertThat(problem(send(request("/api/v1/personal-signatures", ZHAO).POST(empty()))))
                .isEqualTo("personal-signature-exists");
        assertThat(audit("personal-signature.apply")).isEqualTo(applications + 1);

        assertThat(send(request("/api/v1/personal-signatures", QIAN).POST(empty())).statusCode()).isEqualTo(201);
    }

    @Test
    void anApprovalResultCarriesTheApplicantsHandwrittenSignatureAndThenTheAgencySealBothValid() throws Exception {
        applied(ZHANG);
        byte[] pdf = samplePdf();
        String capture = openCapture(ZHANG, pdf, null);
        JsonNode pad = JSON.readTree(send(HttpRequest.newBuilder(uri("/api/v1/captures/" + capture))).body());
        assertThat(pad.get("status").asString()).isEqualTo("OPEN");
        assertThat(pad.get("documentSha256").asString()).isEqualTo(sha256(pdf));
        assertThat(pad.toString()).doesNotContain(ZHANG.id()).doesNotContain(ZHANG.name());
        var drawn = submitStrokes(capture, signatureStrokes());
        assertThat(drawn.statusCode()).as(body(drawn)).isEqualTo(200);
        assertThat(problem(submitStrokes(capture, signatureStrokes()))).isEqualTo("capture-state-conflict");

        var signed = sign(ZHANG, pdf, capture, "B-T");
        assertThat(signed.statusCode()).as(body(signed)).isEqualTo(200);
        assertThat(signed.headers().firstValue("X-Signature-Level")).hasValue("PAdES-BASELINE-T");
        // the same capture signs once only
        assertThat(problem(sign(ZHANG, pdf, capture, "B-T"))).isEqualTo("capture-state-conflict");

        var sealed = send(new Multipart().file("file", "signed.pdf", "application/pdf", signed.body())
                .field("sealId", SamplePki.SEAL_ID).field("page", 1).field("x", 150).field("y", 240)
                .field("level", "B-T").post(uri("/api/v1/stamp")));
        assertThat(sealed.statusCode()).as(body(sealed)).isEqualTo(200);
        byte[] result = sealed.body();
        // both uses left a signing record (签章过程) in the audit chain: the person's key, then the agency's seal
        String serial = JSON.readTree(send(request("/api/v1/personal-signatures/mine", ZHANG)).body())
                .get("certificateSerial").asString();
        var personal = signingRecord("personal-signature.use");
        assertThat(personal).containsEntry("person", ZHANG.id()).containsEntry("client", "development")
                .containsEntry("certificate", "personal-ca/" + serial).containsEntry("document", sha256(pdf))
                .containsEntry("result", sha256(signed.body())).containsEntry("level", "PAdES-BASELINE-T")
                .containsEntry("source", "api");
        assertThat(personal.get("seal")).startsWith("personal-signature:");
        assertThat(signingRecord("stamp")).containsEntry("seal", SamplePki.SEAL_ID)
                .containsEntry("document", sha256(signed.body())).containsEntry("result", sha256(result))
                .containsEntry("level", "PAdES-BASELINE-T");
        Files.write(Files.createDirectories(Path.of("target/personal-signatures")).resolve("signed-and-sealed.pdf"), result);

        X509Certificate root = Pem.readFolder(ca.keystores().resolve("trust")).get(0);
        var report = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5))).verify(result);
        assertThat(report.signatures()).hasSize(2);
        assertThat(report.signatures()).allSatisfy(s -> assertThat(s.indication()).as(s.reasons().toString())
                .isEqualTo(Indication.TOTAL_PASSED));
        assertThat(report.signatures().get(0).format()).isEqualTo("PAdES-BASELINE-T");
        assertThat(report.signatures().get(0).signer().subject()).contains("张三").doesNotContain(ZHANG.id());
        assertThat(report.signatures().get(0).person().name()).isEqualTo("张三");
        assertThat(report.signatures().get(0).person().maskedResidentId()).isEqualTo(SignedInPerson.mask(ZHANG.id()));
        assertThat(report.signatures().get(0).handwritten().bound()).isTrue();
        assertThat(report.signatures().get(1).seal().name()).isEqualTo(SamplePki.SEAL_NAME);
        assertThat(report.signatures().get(1).handwritten()).isNull();
        assertThat(report.signatures().get(0).changesAfterSigning()).isNotEmpty().allSatisfy(c -> assertThat(c.allowed()).isTrue());

        var bound = HandwritingCheck.check(result, report.signatures().get(0).field(), signed.body().length);
        assertThat(bound).isNotNull();
        assertThat(bound.bound()).as(bound.explanation()).isTrue();
        assertThat(bound.capture().documentSha256()).isEqualTo(sha256(pdf));
        assertThat(bound.capture().strokes()).hasSize(signatureStrokes().size());

        assertThat(DssJudge.validateAllOnline(result, root)).hasSize(2).allSatisfy(v -> {
            assertThat(v.intact()).isTrue();
            assertThat(v.signatureValid()).isTrue();
            assertThat(v.indication()).as(v.toString()).isEqualTo("TOTAL_PASSED");
        });

        JsonNode uses = JSON.readTree(send(request("/api/v1/personal-signatures/mine/uses", ZHANG)).body());
        assertThat(uses).hasSize(1);
        assertThat(uses.get(0).get("documentSha256Before").asString()).isEqualTo(sha256(pdf));
        assertThat(uses.get(0).get("documentSha256After").asString()).isEqualTo(sha256(signed.body()));
        assertThat(JSON.readTree(send(request("/api/v1/personal-signatures/mine/uses", LI)).body())).isEmpty();
    }

    @Test
    void badInputIsRefusedClearlyAndNothingIsSigned() throws Exception {
        applied(WANG);
        applied(LI);
        byte[] pdf = samplePdf();
        long uses = count("personal_signature_use");

        // an expired capture session
        String expiring = openCapture(WANG, pdf, 1L);
        // time itself must pass (here and below): a capture expires by the seal service's system clock, not injectable
        Thread.sleep(1200);
        assertThat(problem(submitStrokes(expiring, signatureStrokes()))).isEqualTo("capture-expired");
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/captures/" + expiring))).statusCode()).isEqualTo(410);

        // captured, then expired before the signing
        String late = openCapture(WANG, pdf, 2L);
        assertThat(submitStrokes(late, signatureStrokes()).statusCode()).isEqualTo(200);
        Thread.sleep(2200);
        assertThat(problem(sign(WANG, pdf, late, null))).isEqualTo("capture-expired");

        // a capture for another document
        String forOther = openCapture(WANG, pdf, null);
        assertThat(submitStrokes(forOther, signatureStrokes()).statusCode()).isEqualTo(200);
        byte[] other = pdf.clone();
        other[other.length / 2] ^= 1;
        assertThat(problem(sign(WANG, other, forOther, null))).isEqualTo("capture-for-another-document");

        // an empty drawing, a dot
        String empty = openCapture(WANG, pdf, null);
        assertThat(problem(submitStrokes(empty, List.of()))).isEqualTo("empty-signature");
        assertThat(problem(submitStrokes(empty, List.of(new int[]{100, 100, 50, 0, 102, 101, 50, 10}))))
                .isEqualTo("empty-signature");
        assertThat(problem(sign(WANG, pdf, empty, null))).as("nothing drawn yet").isEqualTo("capture-state-conflict");

        // someone else's capture: 李四 cannot sign with 王芳's captured signature, nor without signing in
        assertThat(problem(sign(LI, pdf, forOther, null))).isEqualTo("capture-not-yours");
        assertThat(problem(sign(null, pdf, forOther, null))).isEqualTo("not-signed-in");
        // a signature field the document does not have
        var noField = send(new Multipart().file("file", "approval-result.pdf", "application/pdf", pdf)
                .field("captureId", forOther).field("field", "申请人签名")
                .post(uri("/api/v1/personal-signatures/mine/uses"), headers(WANG)));
        assertThat(problem(noField)).isEqualTo("signature-field-not-found");
        // a personal signature is at least B-T
        assertThat(problem(sign(WANG, pdf, forOther, "B-B"))).isEqualTo("invalid-request");

        assertThat(count("personal_signature_use")).isEqualTo(uses);
        // the capture refused for the wrong document is still good for its own
        assertThat(sign(WANG, pdf, forOther, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aCancelledSignatureIsRevokedAndSignsNoMore() throws Exception {
        applied(ZHOU);
        long cancellations = audit("personal-signature.cancel");
        byte[] pdf = samplePdf();
        String capture = openCapture(ZHOU, pdf, null);
        assertThat(submitStrokes(capture, signatureStrokes()).statusCode()).isEqualTo(200);

        var cancelled = send(request("/api/v1/personal-signatures/mine/cancellation", ZHOU).POST(empty()));
        assertThat(cancelled.statusCode()).as(body(cancelled)).isEqualTo(200);
        JsonNode signature = JSON.readTree(cancelled.body());
        assertThat(signature.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(caGet("/api/v1/certificates/personal-ca/" + signature.get("certificateSerial").asString()))
                .contains("\"status\":\"REVOKED\"");
        long uses = count("personal_signature_use");
        assertThat(problem(sign(ZHOU, pdf, capture, null))).isEqualTo("signature-cancelled");
        assertThat(problem(send(request("/api/v1/personal-signatures/mine/cancellation", ZHOU).POST(empty()))))
                .isEqualTo("signature-cancelled");
        assertThat(count("personal_signature_use")).isEqualTo(uses);
        assertThat(audit("personal-signature.cancel")).isEqualTo(cancellations + 1);

        // a new application after the cancellation gives a new certificate
        var again = send(request("/api/v1/personal-signatures", ZHOU).POST(empty()));
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(again.body()).get("certificateSerial").asString())
                .isNotEqualTo(signature.get("certificateSerial").asString());
    }

    // --- helpers

    /** A name written in three strokes across a 600 x 240 pad, at mouse pressure, 16 ms between points. */
    static List<int[]> signatureStrokes() {
        int[] first = new int[4 * 30];
        for (int i = 0; i < 30; i++) {
            first[4 * i] = 40 + i * 8;
            first[4 * i + 1] = 120 + (int) (60 * Math.sin(i / 3.0));
            first[4 * i + 2] = 30 + i * 2;
            first[4 * i + 3] = i * 16;
        }
        int[] second = {300, 60, 50, 700, 340, 180, 55, 716, 380, 60, 60, 732, 420, 180, 65, 748};
        int[] third = {450, 200, 50, 900, 500, 190, 50, 916, 560, 200, 50, 932};
        return List.of(first, second, third);
    }

    HttpResponse<byte[]> submitStrokes(String capture, List<int[]> strokes) throws Exception {
        StringBuilder json = new StringBuilder("{\"pad\":[600,240],\"strokes\":[");
        for (int s = 0; s < strokes.size(); s++) {
            json.append(s == 0 ? "" : ",").append(java.util.Arrays.toString(strokes.get(s)).replace(" ", ""));
        }
        json.append("]}");
        return send(HttpRequest.newBuilder(uri("/api/v1/captures/" + capture + "/strokes"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.toString())));
    }

    String openCapture(Person person, byte[] pdf, Long seconds) throws Exception {
        Multipart form = new Multipart().file("file", "approval-result.pdf", "application/pdf", pdf);
        if (seconds != null) {
            form.field("validitySeconds", seconds);
        }
        var opened = send(form.post(uri("/api/v1/personal-signatures/mine/captures"), headers(person)));
        assertThat(opened.statusCode()).as(body(opened)).isEqualTo(201);
        JsonNode capture = JSON.readTree(opened.body());
        assertThat(capture.get("padUrl").asString()).endsWith("#" + capture.get("id").asString());
        assertThat(capture.get("qrPng").asString()).startsWith("data:image/png;base64,");
        return capture.get("id").asString();
    }

    HttpResponse<byte[]> sign(Person person, byte[] pdf, String capture, String level) throws Exception {
        Multipart form = new Multipart().file("file", "approval-result.pdf", "application/pdf", pdf)
                .field("captureId", capture).field("page", 1).field("x", 60).field("y", 240).field("reason", "申请人签名");
        if (level != null) {
            form.field("level", level);
        }
        return send(form.post(uri("/api/v1/personal-signatures/mine/uses"), headers(person)));
    }

    static String[] headers(Person person) {
        return person == null ? new String[0] : new String[]{"X-Dev-Person-Id", person.id(),
                "X-Dev-Person-Name", URLEncoder.encode(person.name(), StandardCharsets.UTF_8)};
    }

    HttpRequest.Builder request(String path, Person person) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path));
        String[] headers = headers(person);
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpRequest.BodyPublisher empty() {
        return HttpRequest.BodyPublishers.noBody();
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    static String problem(HttpResponse<byte[]> response) {
        String type = JSON.readTree(response.body()).path("type").asString("(status " + response.statusCode() + ")");
        return type.replace("urn:yinxin:problem:", "");
    }

    static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    String caGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ca.url() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    /** The fields of the latest chained signing record of {@code action} (other tests may have left earlier ones). */
    java.util.Map<String, String> signingRecord(String action) {
        return cn.yinxin.service.audit.SigningRecord.parse(jdbc.sql("SELECT details FROM audit_event WHERE action = :a "
                + "AND hash IS NOT NULL ORDER BY id DESC LIMIT 1").param("a", action).query(String.class).single());
    }

    /** Each test makes what it needs: this person's personal signature, unless an earlier test applied for it. */
    void applied(Person person) throws Exception {
        var applied = send(request("/api/v1/personal-signatures", person).POST(empty()));
        assertThat(applied.statusCode() == 201 || "personal-signature-exists".equals(problem(applied)))
                .as(body(applied)).isTrue();
    }

    long audit(String action) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = :a").param("a", action).query(Long.class).single();
    }

    static byte[] samplePdf() throws Exception {
        return Files.readAllBytes(ca.keystores().resolve("samples/approval-result.pdf"));
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** 17 digits (region, birth date, sequence) and the GB 11643 check character. */
    static String residentId(String first15, String sequenceEnd) {
        String body = first15 + sequenceEnd;
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * weights[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }
}
