package cn.yinxin.seal.codes;

import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.keystores.SamplePki;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing by purpose (issue 18): the sample seal lists approval-system-a (it stamps approval results with it) and the
 * licence service (it issues licences with it). Only the licence service's client has licence codes, presentation
 * codes and status lists signed; an approval system asking for a licence code for any holder (which the verifier
 * would answer VALID) is refused and the refusal is audited; document codes are made only when stamping.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL")
class SigningByPurposeTest {

    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final Path keystores = revocation.keystores();
    /** Approval system A as the development login names it: listed on the sample seal, role approval-system. */
    private static final String[] APPROVAL_SYSTEM_A = {"X-Dev-Client", "approval-system-a", "X-Dev-Roles", "approval-system"};
    /** The licence service's client, listed on the sample seal, with its own role. */
    private static final String[] LICENCE_SERVICE = {"X-Dev-Client", "yinxin-licence-service",
            "X-Dev-Roles", "licence-service-client"};

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("signing_purpose"));
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
    void anApprovalSystemListedOnTheSealGetsNoLicenceCodeAndTheRefusalIsAudited() throws Exception {
        long signed = audited("seal.sign-code");
        long refused = audited("seal.sign-code.refused");
        var forged = post("codes", licenceCode(SamplePki.AGENCY_CODE), APPROVAL_SYSTEM_A);
        assertRefused(forged, "signing-not-permitted", "signed for the licence service only");
        assertThat(forged.body()).as("no code handed out").doesNotContain("YX1:");
        assertThat(audited("seal.sign-code")).as("nothing signed").isEqualTo(signed);
        assertThat(audited("seal.sign-code.refused")).isEqualTo(refused + 1);
        var entry = jdbc.sql("SELECT actor, subject, details FROM audit_event WHERE action = 'seal.sign-code.refused' "
                + "ORDER BY id DESC LIMIT 1").query().singleRow();
        assertThat((String) entry.get("actor")).startsWith("development:approval-system-a/");
        assertThat((String) entry.get("subject")).contains(SamplePki.SEAL_ID);
        assertThat((String) entry.get("details")).contains("client=approval-system-a").contains("licence code");

        // nor a presentation code (亮证), nor a status list that would say a revoked licence is valid
        assertRefused(post("codes", presentation(SamplePki.AGENCY_CODE), APPROVAL_SYSTEM_A), "signing-not-permitted",
                "presentation code");
        long tokensRefused = audited("seal.sign-token.refused");
        assertRefused(post("tokens", statusList(), APPROVAL_SYSTEM_A), "signing-not-permitted", "status list");
        assertThat(audited("seal.sign-token.refused")).isEqualTo(tokensRefused + 1);
        // nor a document code of its own making: those come only with a stamp
        assertRefused(post("codes", documentCode(), APPROVAL_SYSTEM_A), "signing-not-permitted",
                "only when a document is stamped");
    }

    @Test
    void theLicenceServiceHasItsLicenceCodesPresentationsAndStatusListsSigned() throws Exception {
        var code = post("codes", licenceCode(SamplePki.AGENCY_CODE), LICENCE_SERVICE);
        assertThat(code.statusCode()).as(code.body()).isEqualTo(200);
        var key = cn.yinxin.core.pki.keys.SealKey.fromPkcs12(keystores.resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        var verified = new QrVerifier(List.of(key.certificate()), Clock.systemUTC()).verify(code.body());
        assertThat(LicenceQr.from(verified.claims()).holderName()).isEqualTo("李四");
        assertThat(post("codes", presentation(SamplePki.AGENCY_CODE), LICENCE_SERVICE).statusCode()).isEqualTo(200);
        assertThat(post("tokens", statusList(), LICENCE_SERVICE).statusCode()).isEqualTo(200);
        var entry = jdbc.sql("SELECT details FROM audit_event WHERE action = 'seal.sign-token' ORDER BY id DESC LIMIT 1")
                .query(String.class).single();
        assertThat(entry).contains("client=yinxin-licence-service").contains("kind=status list");
    }

    @Test
    void evenTheLicenceServiceGetsOnlyWhatEachEndpointSignsForTheSealsOwnAgency() throws Exception {
        // a document code (it would vouch for a document nobody stamped)
        assertRefused(post("codes", documentCode(), LICENCE_SERVICE), "signing-not-permitted",
                "only when a document is stamped");
        // a status list is a token, a licence code a code: never the other way round
        assertRefused(post("codes", statusList(), LICENCE_SERVICE), "signing-not-permitted", "not signed as a code");
        assertRefused(post("tokens", licenceCode(SamplePki.AGENCY_CODE), LICENCE_SERVICE), "signing-not-permitted",
                "not signed as a token");
        // claims of no kind, or of two kinds at once
        CwtClaims nothing = CwtClaims.builder().issuer(SamplePki.AGENCY_CODE).issuedAt(now()).build();
        assertRefused(post("codes", nothing, LICENCE_SERVICE), "signing-not-permitted", "no kind");
        CwtClaims both = CwtClaims.builder().issuer(SamplePki.AGENCY_CODE).issuedAt(now())
                .put(LicenceQr.CLAIM, licenceCode(SamplePki.AGENCY_CODE).get(LicenceQr.CLAIM))
                .put(65533, Map.of("bits", 2L, "lst", new byte[]{0})).build();
        assertRefused(post("codes", both, LICENCE_SERVICE), "signing-not-permitted", "several kinds");
        // a licence of another agency under this agency's seal
        assertRefused(post("codes", licenceCode("91110000100000000X"), LICENCE_SERVICE), "signing-not-permitted",
                "names its agency");
        // a seal that does not list the licence service (the report seal) is not a licence seal
        var report = post("codes", licenceCode(SamplePki.AGENCY_CODE), LICENCE_SERVICE, SamplePki.REPORT_SEAL_ID);
        assertRefused(report, "seal-not-permitted", "is not among the users");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'seal.sign-code.refused' AND subject LIKE :s")
                .param("s", "%" + SamplePki.REPORT_SEAL_ID + "%").query(Long.class).single()).isEqualTo(1);
    }

    /**
     * The same purpose on the stamping path: a PDF that names a licence (Info LicenceIdentifier), or a stamp whose
     * reason says it issues one, is what the verifier takes for that licence (with the live status of a genuine
     * one). An approval system on a seal that also issues licences stamps neither; the licence service does.
     */
    @Test
    void anApprovalSystemCannotStampADocumentThatPassesForALicence() throws Exception {
        byte[] approval = java.nio.file.Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        byte[] namingALicence;
        try (var document = org.apache.pdfbox.Loader.loadPDF(approval)) {
            document.getDocumentInformation().setCustomMetadataValue("LicenceIdentifier",
                    "1.2.156.3005.2.11410000MB00001749002.genuine");
            var out = new java.io.ByteArrayOutputStream();
            document.save(out);
            namingALicence = out.toByteArray();
        }
        long refused = audited("stamp.refused");
        var forged = stamp(namingALicence, null, APPROVAL_SYSTEM_A);
        assertRefused(forged, "signing-not-permitted", "names licence 1.2.156.3005.2.11410000MB00001749002.genuine");
        assertRefused(stamp(approval, "颁发电子证照 机动车驾驶证", APPROVAL_SYSTEM_A), "signing-not-permitted",
                "licence issuance");
        assertThat(audited("stamp.refused")).isEqualTo(refused + 2);
        // its own approval results it stamps as before; the licence service stamps the licence document
        assertThat(stamp(approval, "审批结果", APPROVAL_SYSTEM_A).statusCode()).isEqualTo(200);
        var licence = stamp(namingALicence, "颁发电子证照 机动车驾驶证", LICENCE_SERVICE);
        assertThat(licence.statusCode()).as(licence.body()).isEqualTo(200);
    }

    private HttpResponse<String> stamp(byte[] pdf, String reason, String[] headers) throws Exception {
        var form = new cn.yinxin.testing.Multipart().file("file", "document.pdf", "application/pdf", pdf)
                .field("sealId", SamplePki.SEAL_ID).field("page", 1).field("x", 150).field("y", 240);
        if (reason != null) {
            form.field("reason", reason);
        }
        var response = http.send(form.post(URI.create("http://localhost:" + port + "/api/v1/stamp"), headers),
                HttpResponse.BodyHandlers.ofByteArray());
        return new TextResponse(response, new String(response.body(), StandardCharsets.UTF_8));
    }

    private static void assertRefused(HttpResponse<String> response, String problem, String because) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"type\":\"urn:yinxin:problem:" + problem + "\"").contains(because);
    }

    private long audited(String action) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = :a").param("a", action).query(Long.class).single();
    }

    private HttpResponse<String> post(String form, CwtClaims claims, String[] headers) throws Exception {
        return post(form, claims, headers, SamplePki.SEAL_ID);
    }

    private HttpResponse<String> post(String form, CwtClaims claims, String[] headers, String seal) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/seals/" + seal + "/" + form))
                .header("Content-Type", "application/cbor").headers(headers)
                .POST(HttpRequest.BodyPublishers.ofByteArray(claims.toCbor()));
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        // a token is binary: keep its text form only for the assertions on refusals
        return new TextResponse(response, new String(response.body(), StandardCharsets.ISO_8859_1));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A licence QR for a holder the caller chose: what a forger wants signed. */
    private static CwtClaims licenceCode(String issuer) {
        return new LicenceQr("1.2.156.3005.2.11410000MB00001749002." + UUID.randomUUID(), "11410000MB00001749002",
                "李四", "110105********002X", LocalDate.of(2020, 1, 1), null, issuer, now(), null, null).toClaims();
    }

    private static CwtClaims presentation(String issuer) {
        return CwtClaims.builder().issuer(issuer).issuedAt(now()).expiresAt(now().plusSeconds(60))
                .put(-65539, Map.of(1, "licence-1", 2, "11410000MB00001749002")).build();
    }

    private static CwtClaims statusList() {
        return CwtClaims.builder().subject("http://localhost/api/v1/status-lists/x/y").issuedAt(now())
                .put(65533, Map.of("bits", 2L, "lst", new byte[]{0})).build();
    }

    private static CwtClaims documentCode() {
        UUID id = UUID.randomUUID();
        return new DocumentQr(id, "https://verify.example/d/" + id, SamplePki.SEAL_ID, SamplePki.AGENCY_CODE, now())
                .toClaims();
    }

    /** The response with its body as text (ISO-8859-1 keeps every byte of a token). */
    private record TextResponse(HttpResponse<byte[]> raw, String body) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return raw.statusCode();
        }

        @Override
        public HttpRequest request() {
            return raw.request();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return raw.headers();
        }

        @Override
        public URI uri() {
            return raw.uri();
        }

        @Override
        public HttpClient.Version version() {
            return raw.version();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return raw.sslSession();
        }
    }
}
