package cn.yinxin.seal.administration;

import cn.yinxin.seal.registry.Seal;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.CaServiceExtension;
import cn.yinxin.testing.Commands;
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

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seal registry against the real ca-service (its built jar in a process of its own): seals are created with
 * a key made in the seal service's key store and a certificate the CA issues from a CSR, used within their
 * users' rights, suspended, resumed, revoked (the certificate with them) and expired, each change audited; bad
 * images and bad fields are refused with nothing made.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// A scenario, kept in order on purpose: one registry's seals through their whole life (created, used, suspended,
// resumed and revoked, expired, renewed, renewed in a race, and last the CA stopped, which no later test could use);
// the listing checks (expiring within 30 days, every seal listed) describe the registry after that life.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@cn.yinxin.testing.Slow("the seal service (Spring Boot), a CA service process, an embedded PostgreSQL")
class SealAdminApiTest {

    private static final String AGENCY_CODE = SamplePki.AGENCY_CODE;
    @RegisterExtension
    static final CaServiceExtension ca = new CaServiceExtension("ca_for_seal_admin");
    private static final Path keyStore = ca.sealKeyStore();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SealAdministration administration;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("seal_admin"));
        registry.add("yinxin.seals.import-dir", () -> ca.keystores().resolve("seals").toString());
        registry.add("yinxin.seals.keystore.path", keyStore::toString);
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.ca-url", ca::url);
        registry.add("yinxin.seals.ca-timeout", () -> "PT5S");
        registry.add("yinxin.stamp.tsa-url", () -> ca.url() + "/tsa");
    }

    @Test
    @Order(1)
    void aSealIsCreatedWithAKeyInTheKeyStoreAndACertificateFromTheCaAndStampsValidly() throws Exception {
        var response = create("approval-office", "行政审批专用章", png(600, 600, true), 42, 42,
                "[{\"client\":\"development\",\"levels\":[\"B_B\",\"B_T\"],\"certify\":false,\"crossPage\":false}]");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode seal = JSON.readTree(response.body());
        assertThat(seal.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(seal.get("kindName").asString()).isEqualTo("行政审批专用章");
        assertThat(seal.get("defaultLevel").asString()).isEqualTo("PAdES-BASELINE-B");
        String serial = seal.get("certificate").get("serial").asString();
        assertThat(seal.get("certificate").get("issuer").asString()).isEqualTo("seal-ca");
        assertThat(seal.get("certificate").get("subject").asString()).contains("CN=行政审批专用章", AGENCY_CODE);

        // the key is in the key store file, not in the database
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            p12.load(in, SamplePki.PASSWORD.toCharArray());
        }
        String alias = jdbc.sql("SELECT key_alias FROM seal WHERE id = 'approval-office'").query(String.class).single();
        assertThat(Collections.list(p12.aliases())).contains(alias);
        assertThat(p12.isKeyEntry(alias)).isTrue();
        // the CA knows the certificate and says it is good
        assertThat(caGet("/api/v1/certificates/seal-ca/" + serial)).contains("\"status\":\"GOOD\"");
        assertThat(audit("approval-office")).startsWith("seal.create");

        // it stamps, and EU DSS validates the result up to the CA's root
        var stamped = stamp("approval-office", null);
        assertThat(stamped.statusCode()).as(new String(stamped.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(stamped.headers().firstValue("X-Signature-Level")).hasValue("PAdES-BASELINE-B");
        X509Certificate root = Pem.readFolder(ca.keystores().resolve("trust")).get(0);
        var verdict = DssJudge.validate(stamped.body(), root);
        assertThat(verdict.intact()).isTrue();
        assertThat(verdict.signatureValid()).isTrue();
        assertThat(verdict.subIndication()).isNotIn("HASH_FAILURE", "SIG_CRYPTO_FAILURE", "NO_CERTIFICATE_CHAIN_FOUND");
        Path file = Files.createTempFile("registry-sealed", ".pdf");
        Files.write(file, stamped.body());
        assertThat(Commands.ok(file.getParent(), "pdfsig", file.toString())).contains("Signature is Valid");
    }

    @Test
    @Order(2)
    void usersLevelsAndOptionsAreEnforcedAndRefusalsAudited() throws Exception {
        // allowed B-B and B-T, not B-LTA, no certification
        assertThat(problem(stamp("approval-office", "B-LTA"))).isEqualTo("urn:yinxin:problem:seal-not-permitted");
        var certify = http.send(new Multipart().file("file", "a.pdf", "application/pdf", samplePdf())
                .field("sealId", "approval-office").field("page", 1).field("x", 150).field("y", 230).field("certify", 2)
                .post(uri("/api/v1/stamp")), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(problem(certify)).isEqualTo("urn:yinxin:problem:seal-not-permitted");
        assertThat(audit("approval-office")).contains("stamp.refused");

        // a seal that does not list the client at all
        assertThat(create("finance-office", "财务专用章", png(400, 400, true), 40, 40, "[]").statusCode()).isEqualTo(201);
        assertThat(problem(stamp("finance-office", null))).isEqualTo("urn:yinxin:problem:seal-not-permitted");

        // an administrator grants B-T and makes it the default: the TSA of the ca-service time-stamps
        var patch = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/finance-office"))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"defaultLevel\":\"B-T\",\"users\":"
                        + "[{\"client\":\"development\",\"levels\":[\"B_T\"]}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        var stamped = stamp("finance-office", null);
        assertThat(stamped.statusCode()).isEqualTo(200);
        assertThat(stamped.headers().firstValue("X-Signature-Level")).hasValue("PAdES-BASELINE-T");
        assertThat(audit("finance-office")).contains("seal.update").contains("defaultLevel: B_B -> B_T");
    }

    @Test
    @Order(3)
    void anSvgSealIsRenderedForStampingAndKeptAsUploaded() throws Exception {
        String svg = """
                <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">
                  <circle cx="50" cy="50" r="46" fill="none" stroke="#d00" stroke-width="5"/>
                  <polygon points="50,20 58,42 82,42 62,56 70,80 50,66 30,80 38,56 18,42 42,42" fill="#d00"/>
                </svg>""";
        var response = create("contract-office", "合同专用章", svg.getBytes(StandardCharsets.UTF_8), 38, 38,
                "[{\"client\":\"development\",\"levels\":[\"B_B\"]}]");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).get("imageType").asString()).isEqualTo("image/svg+xml");
        var image = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/contract-office/image")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(image.body()).isEqualTo(svg);
        byte[] stampPng = jdbc.sql("SELECT stamp_png FROM seal WHERE id = 'contract-office'").query(byte[].class).single();
        BufferedImage rendered = ImageIO.read(new java.io.ByteArrayInputStream(stampPng));
        assertThat(rendered.getWidth()).isEqualTo(38 * 16);
        assertThat(new Color(rendered.getRGB(38 * 8, 38 * 8), true).getRed()).as("the star's centre is red").isGreaterThan(180);
        assertThat(rendered.getRGB(5, 5) >>> 24).as("the corner is transparent").isZero();
        assertThat(stamp("contract-office", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void badImagesAndFieldsAreRefusedWithNothingMade() throws Exception {
        long seals = count("seal");
        long audits = count("audit_event");
        int keys = aliases();
        record Case(String name, byte[] image, double w, double h, String code, String problem) {
        }
        String script = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><script>alert(1)</script>"
                + "<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"red\"/></svg>";
        String external = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                + "viewBox=\"0 0 10 10\"><image xlink:href=\"http://169.254.169.254/x.png\" width=\"10\" height=\"10\"/></svg>";
        String entity = "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><text>&x;</text></svg>";
        for (Case c : new Case[]{
                new Case("no transparency", png(600, 600, false), 42, 42, AGENCY_CODE, "invalid-seal-image"),
                new Case("too small", png(40, 40, true), 42, 42, AGENCY_CODE, "invalid-seal-image"),
                new Case("blurred", png(200, 200, true), 42, 42, AGENCY_CODE, "invalid-seal-image"),
                new Case("distorted", png(600, 300, true), 42, 42, AGENCY_CODE, "invalid-seal-image"),
                new Case("absurd size", png(600, 600, true), 300, 300, AGENCY_CODE, "invalid-seal-image"),
                new Case("not an image", "%PDF-1.7 nothing".getBytes(), 42, 42, AGENCY_CODE, "invalid-seal-image"),
                new Case("svg script", script.getBytes(), 42, 42, AGENCY_CODE, "invalid-seal-image"),
                new Case("svg external", external.getBytes(), 42, 42, AGENCY_CODE, "invalid-seal-image"),
                new Case("svg entity", entity.getBytes(), 42, 42, AGENCY_CODE, "invalid-seal-image"),
                new Case("bad USCC", png(600, 600, true), 42, 42, "91350100M000100Y4X", "invalid-subject")}) {
            var response = http.send(new Multipart().file("image", "seal", "application/octet-stream", c.image())
                    .field("id", "bad-seal").field("name", "坏章").field("agency", "某局").field("agencyCode", c.code())
                    .field("kind", "AGENCY").field("widthMm", c.w()).field("heightMm", c.h())
                    .post(uri("/api/v1/seals")), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(c.name()).isBetween(400, 499);
            assertThat(response.headers().firstValue("Content-Type")).as(c.name()).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("type").asString()).as(c.name())
                    .isEqualTo("urn:yinxin:problem:" + c.problem());
        }
        // an id that is taken
        var taken = create("approval-office", "行政审批专用章", png(600, 600, true), 42, 42, "[]");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(count("seal")).isEqualTo(seals);
        assertThat(count("audit_event")).isEqualTo(audits);
        assertThat(aliases()).as("no key was made for a refused seal").isEqualTo(keys);
    }

    /**
     * Red team 7: a seal administrator's revocation with the reason certificateHold made the seal REVOKED (final) here
     * and its certificate only ON_HOLD at the CA, where a hold can be lifted: a "revoked" seal whose certificate can be
     * made good again. A revocation takes final reasons only (a hold is a suspension).
     */
    @Test
    @Order(4)
    void aSealsRevocationTakesOnlyAFinalReason() throws Exception {
        assertThat(create("held-office", "合同专用章", png(600, 600, true), 42, 42, "[]").statusCode()).isEqualTo(201);
        String serial = serial("held-office");
        for (String reason : new String[] {"certificateHold", "removeFromCRL", "whenever"}) {
            var held = post("/api/v1/seals/held-office/revocation", "{\"reason\":\"" + reason + "\"}");
            assertThat(held.statusCode()).as(held.body()).isEqualTo(400);
            assertThat(held.body()).contains("urn:yinxin:problem:invalid-request");
        }
        assertThat(jdbc.sql("SELECT status FROM seal WHERE id = 'held-office'").query(String.class).single())
                .isEqualTo("ACTIVE");
        assertThat(caGet("/api/v1/certificates/seal-ca/" + serial)).contains("\"status\":\"GOOD\"");
    }

    @Test
    @Order(5)
    void suspendResumeAndRevokeFollowTheLifecycleAndReachTheCertificate() throws Exception {
        String serial = JSON.readTree(get("/api/v1/seals/approval-office").body()).get("certificate").get("serial").asString();
        assertThat(post("/api/v1/seals/approval-office/suspension", "{\"reason\":\"seal custodian on leave\"}").statusCode()).isEqualTo(200);
        assertThat(problem(stamp("approval-office", null))).isEqualTo("urn:yinxin:problem:seal-not-usable");
        assertThat(caGet("/api/v1/certificates/seal-ca/" + serial)).contains("\"status\":\"ON_HOLD\"");

        var resumed = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/approval-office/suspension")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(caGet("/api/v1/certificates/seal-ca/" + serial)).contains("\"status\":\"GOOD\"");
        assertThat(stamp("approval-office", null).statusCode()).isEqualTo(200);

        // stamped while the seal was active: time-stamped (B-T) and not (B-B)
        byte[] stampedBefore = stamp("approval-office", "B-T").body();
        byte[] plainBefore = stamp("approval-office", "B-B").body();
        // time itself must pass: time-stamps and OCSP revocation times carry whole seconds, taken from the clocks of
        // the CA process and this service (not injectable); the revocation must come a second after the stamps
        Thread.sleep(1100);

        var revoked = post("/api/v1/seals/approval-office/revocation", "{\"reason\":\"keyCompromise\"}");
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).get("status").asString()).isEqualTo("REVOKED");
        assertThat(caGet("/api/v1/certificates/seal-ca/" + serial)).contains("\"status\":\"REVOKED\"", "keyCompromise");
        assertThat(problem(stamp("approval-office", null))).isEqualTo("urn:yinxin:problem:seal-not-usable");
        // revocation is final
        assertThat(post("/api/v1/seals/approval-office/revocation", "{}").statusCode()).isEqualTo(409);
        assertThat(http.send(HttpRequest.newBuilder(uri("/api/v1/seals/approval-office/suspension")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(409);
        assertThat(audit("approval-office")).contains("seal.suspend", "seal.resume", "seal.revoke");

        // what the verifier makes of it, asking the CA's OCSP responder: the time-stamp proves the earlier stamp was
        // made before the revocation; the plain one cannot be placed; a stamp made after it with the same key
        // (outside the service, which refuses) is proven late and invalid
        X509Certificate root = Pem.readFolder(ca.keystores().resolve("trust")).get(0);
        var verifier = new cn.yinxin.core.pdf.verify.PdfVerifier(java.util.List.of(root),
                new cn.yinxin.core.pki.revocation.OnlineRevocationSource(java.time.Duration.ofSeconds(5)));
        assertThat(verifier.verify(stampedBefore).verdict()).isEqualTo(cn.yinxin.core.pdf.verify.report.Verdict.VALID);
        assertThat(verifier.verify(plainBefore).signatures().get(0).subIndication())
                .isEqualTo(cn.yinxin.core.pdf.verify.report.SubIndication.REVOKED_NO_POE);
        String alias = jdbc.sql("SELECT key_alias FROM seal WHERE id = 'approval-office'").query(String.class).single();
        var key = new cn.yinxin.core.pki.keys.Pkcs12Vault(keyStore, SamplePki.PASSWORD.toCharArray()).get(alias);
        byte[] forgedLate = new cn.yinxin.core.pdf.sign.PdfSealer(new cn.yinxin.core.pki.cms.HttpTimeStamper(
                URI.create(ca.url() + "/tsa"), java.time.Duration.ofSeconds(5)), null).seal(samplePdf(),
                new cn.yinxin.core.pdf.sign.SealRequest(key, new cn.yinxin.core.pdf.sign.SealAppearance(png(600, 600, true), 42, 42),
                        new cn.yinxin.core.pdf.sign.SealPlacement(1, 150, 230), "行政审批专用章", null, Instant.now(),
                        cn.yinxin.core.pdf.sign.SignatureLevel.B_T));
        var late = verifier.verify(forgedLate);
        assertThat(late.verdict()).isEqualTo(cn.yinxin.core.pdf.verify.report.Verdict.INVALID);
        assertThat(late.signatures().get(0).subIndication()).isEqualTo(cn.yinxin.core.pdf.verify.report.SubIndication.REVOKED);
    }

    @Test
    @Order(6)
    void aSealPastItsValidityStopsAndIsMarkedExpired() throws Exception {
        jdbc.sql("UPDATE seal SET valid_until = :past WHERE id = 'contract-office'")
                .param("past", Timestamp.from(Instant.now().minusSeconds(60))).update();
        assertThat(problem(stamp("contract-office", null))).isEqualTo("urn:yinxin:problem:seal-not-usable");
        assertThat(administration.expire()).containsExactly("contract-office");
        assertThat(jdbc.sql("SELECT status FROM seal WHERE id = 'contract-office'").query(String.class).single()).isEqualTo("EXPIRED");
        assertThat(audit("contract-office")).contains("seal.expire");
        assertThat(administration.expire()).isEmpty();
    }

    @Test
    @Order(7)
    void anExpiredSealIsRenewedWithANewKeyAndCertificateAndItsOldCertificateStaysPublished() throws Exception {
        String oldSerial = serial("contract-office");
        String oldAlias = alias("contract-office");
        String oldChain = get("/api/v1/seals/contract-office/certificate").body();
        assertThat(jdbc.sql("SELECT status FROM seal WHERE id = 'contract-office'").query(String.class).single()).isEqualTo("EXPIRED");

        var renewed = post("/api/v1/seals/contract-office/renewal", "{\"validityDays\":30}");
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        JsonNode seal = JSON.readTree(renewed.body());
        assertThat(seal.get("status").asString()).isEqualTo("ACTIVE");
        String newSerial = seal.get("certificate").get("serial").asString();
        assertThat(newSerial).isNotEqualTo(oldSerial);
        Instant validUntil = Instant.parse(seal.get("certificate").get("validUntil").asString());
        assertThat(validUntil).isBetween(Instant.now().plus(java.time.Duration.ofDays(29)),
                Instant.now().plus(java.time.Duration.ofDays(31)));
        assertThat(seal.get("imageType").asString()).as("the look is kept").isEqualTo("image/svg+xml");

        // a new key in the key store; the old one is destroyed, so nothing can be signed with the old certificate
        String newAlias = alias("contract-office");
        assertThat(newAlias).isNotEqualTo(oldAlias);
        assertThat(keyStoreAliases()).contains(newAlias).doesNotContain(oldAlias);
        // the old certificate is not revoked (earlier stamps keep their meaning); both are known to the CA
        assertThat(caGet("/api/v1/certificates/seal-ca/" + oldSerial)).contains("\"status\":\"GOOD\"");
        assertThat(caGet("/api/v1/certificates/seal-ca/" + newSerial)).contains("\"status\":\"GOOD\"");

        // both certificates are published, the current one first
        JsonNode certificates = JSON.readTree(get("/api/v1/seals/contract-office/certificates").body());
        assertThat(certificates).hasSize(2);
        assertThat(certificates.get(0).get("serial").asString()).isEqualTo(newSerial);
        assertThat(certificates.get(0).get("current").asBoolean()).isTrue();
        assertThat(certificates.get(0).get("replacedAt").isNull()).isTrue();
        assertThat(certificates.get(1).get("serial").asString()).isEqualTo(oldSerial);
        assertThat(certificates.get(1).get("current").asBoolean()).isFalse();
        assertThat(Instant.parse(certificates.get(1).get("replacedAt").asString())).isBefore(Instant.now());
        assertThat(Pem.readCertificates(certificates.get(1).get("chain").asString().getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(Pem.readCertificates(oldChain.getBytes(StandardCharsets.US_ASCII)));
        X509Certificate current = Pem.readCertificates(get("/api/v1/seals/contract-office/certificate").body()
                .getBytes(StandardCharsets.US_ASCII)).get(0);
        assertThat(current.getSerialNumber()).isEqualTo(new java.math.BigInteger(newSerial, 16));

        // it stamps again, with the new certificate, and EU DSS validates the result
        var stamped = stamp("contract-office", null);
        assertThat(stamped.statusCode()).as(new String(stamped.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        X509Certificate root = Pem.readFolder(ca.keystores().resolve("trust")).get(0);
        var verdict = DssJudge.validate(stamped.body(), root);
        assertThat(verdict.signatureValid()).isTrue();
        var report = new cn.yinxin.core.pdf.verify.PdfVerifier(java.util.List.of(root)).verify(stamped.body());
        assertThat(signerSerial(report)).isEqualTo(current.getSerialNumber());
        // the seals to renew soon: this one (30 days), not the others (the CA's default validity, or revoked)
        assertThat(ids(get("/api/v1/seals?expiringWithinDays=31"))).containsExactly("contract-office");
        assertThat(ids(get("/api/v1/seals?expiringWithinDays=29"))).isEmpty();
        assertThat(ids(get("/api/v1/seals"))).contains("contract-office", "approval-office", "finance-office");
        for (String bad : new String[]{"-1", "soon", "99999999999"}) {
            var refused = get("/api/v1/seals?expiringWithinDays=" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:invalid-request");
        }
        assertThat(audit("contract-office")).contains("seal.renew certificate seal-ca/" + oldSerial + " -> seal-ca/"
                + newSerial).contains("was EXPIRED").contains("seal.key-destroyed key store alias " + oldAlias);
    }

    @Test
    @Order(8)
    void aStampMadeBeforeARenewalStaysValidAndOnlyActiveOrExpiredSealsAreRenewed() throws Exception {
        byte[] before = stamp("finance-office", "B-T").body();
        String oldSerial = serial("finance-office");
        Timestamp statusChangedAt = jdbc.sql("SELECT status_changed_at FROM seal WHERE id = 'finance-office'")
                .query(Timestamp.class).single();
        // only a seal administrator renews
        var notAdmin = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/finance-office/renewal"))
                .header("X-Dev-Roles", "approval-system").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        // others see the seal and its certificate, but not the key's alias
        var asApprovalSystem = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/finance-office"))
                .header("X-Dev-Roles", "approval-system").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(asApprovalSystem.body()).get("keyStore").asString()).isEqualTo("key store");
        assertThat(JSON.readTree(get("/api/v1/seals/finance-office").body()).get("keyStore").asString())
                .isEqualTo("key store alias " + alias("finance-office"));
        assertThat(serial("finance-office")).isEqualTo(oldSerial);
        var renewed = post("/api/v1/seals/finance-office/renewal", "");
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        byte[] after = stamp("finance-office", "B-T").body();
        X509Certificate root = Pem.readFolder(ca.keystores().resolve("trust")).get(0);
        var verifier = new cn.yinxin.core.pdf.verify.PdfVerifier(java.util.List.of(root),
                new cn.yinxin.core.pki.revocation.OnlineRevocationSource(java.time.Duration.ofSeconds(5)));
        var earlier = verifier.verify(before);
        assertThat(earlier.verdict()).as(earlier.signatures().get(0).reasons().toString())
                .isEqualTo(cn.yinxin.core.pdf.verify.report.Verdict.VALID);
        assertThat(signerSerial(earlier)).isEqualTo(new java.math.BigInteger(oldSerial, 16));
        var later = verifier.verify(after);
        assertThat(later.verdict()).isEqualTo(cn.yinxin.core.pdf.verify.report.Verdict.VALID);
        assertThat(signerSerial(later)).isEqualTo(new java.math.BigInteger(serial("finance-office"), 16));
        assertThat(audit("finance-office")).contains("seal.renew certificate seal-ca/" + oldSerial + " -> seal-ca/"
                + serial("finance-office") + " valid until");
        assertThat(jdbc.sql("SELECT status_changed_at FROM seal WHERE id = 'finance-office'").query(Timestamp.class)
                .single()).as("an active seal's status is untouched").isEqualTo(statusChangedAt);

        // refused, with nothing made or changed: a revoked seal, an unknown seal, a validity the CA does not allow
        long audits = count("audit_event");
        long previous = count("seal_previous_certificate");
        int keys = aliases();
        String revokedSerial = serial("approval-office");
        var revoked = post("/api/v1/seals/approval-office/renewal", "{}");
        assertThat(revoked.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(revoked.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:seal-status-conflict");
        assertThat(JSON.readTree(revoked.body()).get("detail").asString()).contains("REVOKED");
        var unknown = post("/api/v1/seals/no-such-seal/renewal", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        String financeSerial = serial("finance-office");
        var tooLong = post("/api/v1/seals/finance-office/renewal", "{\"validityDays\":100000}");
        assertThat(tooLong.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(tooLong.body()).get("detail").asString()).contains("refused");
        assertThat(serial("approval-office")).isEqualTo(revokedSerial);
        assertThat(serial("finance-office")).isEqualTo(financeSerial);
        assertThat(count("audit_event")).isEqualTo(audits);
        assertThat(count("seal_previous_certificate")).isEqualTo(previous);
        assertThat(aliases()).as("no key left behind by a refused renewal").isEqualTo(keys);
    }

    /**
     * Renewals racing for one seal: every one has the CA certify a new key, but only those that find the seal as
     * they read it are stored; each loser takes back what it made (its certificate revoked, its key destroyed).
     */
    @Test
    @Order(9)
    void racingRenewalsLeaveOneKeyAndRevokeTheLosersCertificates() throws Exception {
        long renewals = auditCount("finance-office", "seal.renew");
        long[] ca = caCertificates("财务专用章");
        int racers = 3;
        long won = 0;
        long lost = 0;
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        // racers that start together read the seal before any of them stores; should one be late, race again
        for (int race = 0; race < 3 && lost == 0; race++) {
            var start = new java.util.concurrent.CountDownLatch(1);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return post("/api/v1/seals/finance-office/renewal", "{}").statusCode();
                }));
            }
            start.countDown();
            for (var answer : answers) {
                int status = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                statuses.add(status);
                won += status == 200 ? 1 : 0;
                lost += status == 409 ? 1 : 0;
            }
            pool.shutdown();
        }
        assertThat(won + lost).as(statuses.toString()).isEqualTo(statuses.size());
        assertThat(won).as(statuses.toString()).isGreaterThanOrEqualTo(1);
        assertThat(lost).as("racers that read the seal before another stored lose: " + statuses).isGreaterThanOrEqualTo(1);

        // one key in the key store for the seal: the winners' old ones and the losers' new ones are destroyed
        String alias = alias("finance-office");
        assertThat(keyStoreAliases().stream().filter(a -> a.startsWith("finance-office-")).toList()).containsExactly(alias);
        // the CA certified every racer; the losers' certificates are revoked again, the winners' (and old ones) are good
        long[] after = caCertificates("财务专用章");
        assertThat(after[0]).isEqualTo(ca[0] + statuses.size());
        assertThat(after[1]).as("revoked (cessationOfOperation)").isEqualTo(ca[1] + lost);
        assertThat(caGet("/api/v1/certificates/seal-ca/" + serial("finance-office"))).contains("\"status\":\"GOOD\"");
        assertThat(auditCount("finance-office", "seal.renew")).isEqualTo(renewals + won);
    }

    @Test
    @Order(10)
    void whenTheCaIsDownARevocationOrRenewalFailsAndTheSealStaysAsItWas() throws Exception {
        long audits = count("audit_event");
        int keys = aliases();
        String serial = serial("finance-office");
        String alias = alias("finance-office");
        ca.stop();
        var response = post("/api/v1/seals/finance-office/revocation", "{\"reason\":\"cessationOfOperation\"}");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(response.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:ca-unavailable");
        assertThat(jdbc.sql("SELECT status FROM seal WHERE id = 'finance-office'").query(String.class).single()).isEqualTo("ACTIVE");
        var renewal = post("/api/v1/seals/finance-office/renewal", "{}");
        assertThat(renewal.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(renewal.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:ca-unavailable");
        assertThat(serial("finance-office")).isEqualTo(serial);
        assertThat(aliases()).isEqualTo(keys);
        assertThat(count("audit_event")).isEqualTo(audits);
        // its key is kept (this seal's client may stamp B-T only, which needs the CA's time-stamps: not now)
        assertThat(alias("finance-office")).isEqualTo(alias);
        assertThat(keyStoreAliases()).contains(alias);
    }

    // ---- helpers

    private HttpResponse<String> create(String id, String name, byte[] image, double w, double h, String users) throws Exception {
        return http.send(new Multipart().file("image", "seal.img", "application/octet-stream", image)
                .field("id", id).field("name", name).field("agency", "河南省某市行政审批服务局").field("agencyCode", AGENCY_CODE)
                .field("kind", name.equals("行政审批专用章") ? "APPROVAL" : name.equals("财务专用章") ? "FINANCE" : "CONTRACT")
                .field("widthMm", w).field("heightMm", h).field("users", users)
                .post(uri("/api/v1/seals")), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> stamp(String sealId, String level) throws Exception {
        Multipart form = new Multipart().file("file", "result.pdf", "application/pdf", samplePdf())
                .field("sealId", sealId).field("page", 1).field("x", 150).field("y", 230);
        if (level != null) {
            form.field("level", level);
        }
        return http.send(form.post(uri("/api/v1/stamp")), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] samplePdf() throws Exception {
        return Files.readAllBytes(ca.keystores().resolve("samples/approval-result.pdf"));
    }

    private static String problem(HttpResponse<byte[]> response) {
        return JSON.readTree(response.body()).path("type").asString("(status " + response.statusCode() + ")");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String caGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ca.url() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String audit(String id) throws Exception {
        JsonNode entries = JSON.readTree(get("/api/v1/seals/" + id + "/audit").body());
        StringBuilder text = new StringBuilder();
        for (JsonNode entry : entries) {
            text.append(entry.get("action").asString()).append(' ').append(entry.get("details").asString("")).append('\n');
        }
        return text.toString();
    }

    private static java.math.BigInteger signerSerial(cn.yinxin.core.pdf.verify.report.VerificationReport report) {
        return new java.math.BigInteger(report.signatures().get(0).signer().serialNumber(), 16);
    }

    private static java.util.List<String> ids(HttpResponse<String> list) {
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        return JSON.readTree(list.body()).valueStream().map(s -> s.get("id").asString()).toList();
    }

    /** The CA's certificates whose subject contains {@code name}: how many, and how many revoked with cessationOfOperation. */
    private static long[] caCertificates(String name) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(TestDatabase.jdbcUrl("ca_for_seal_admin"), "postgres", "");
             var query = connection.prepareStatement("SELECT count(*), count(*) FILTER (WHERE status = 'REVOKED' AND reason = 5) "
                     + "FROM certificate WHERE subject LIKE ?")) {
            query.setString(1, "%" + name + "%");
            try (var rows = query.executeQuery()) {
                rows.next();
                return new long[]{rows.getLong(1), rows.getLong(2)};
            }
        }
    }

    private long auditCount(String sealId, String action) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE subject = :s AND action = :a")
                .param("s", Seal.auditSubject(sealId)).param("a", action).query(Long.class).single();
    }

    private String serial(String sealId) {
        return jdbc.sql("SELECT ca_serial FROM seal WHERE id = :id").param("id", sealId).query(String.class).single();
    }

    private String alias(String sealId) {
        return jdbc.sql("SELECT key_alias FROM seal WHERE id = :id").param("id", sealId).query(String.class).single();
    }

    private static java.util.List<String> keyStoreAliases() throws Exception {
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            p12.load(in, SamplePki.PASSWORD.toCharArray());
        }
        return Collections.list(p12.aliases());
    }

    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private static int aliases() throws Exception {
        if (!Files.exists(keyStore)) {
            return 0;
        }
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            p12.load(in, SamplePki.PASSWORD.toCharArray());
        }
        return p12.size();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A red seal-like ring on a transparent (or white) background. */
    private static byte[] png(int width, int height, boolean transparent) throws Exception {
        BufferedImage image = new BufferedImage(width, height, transparent ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        if (!transparent) {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
        }
        g.setColor(new Color(220, 0, 0));
        g.setStroke(new BasicStroke(Math.max(2, width / 20f)));
        g.drawOval(width / 20, height / 20, width * 9 / 10, height * 9 / 10);
        g.fillOval(width * 2 / 5, height * 2 / 5, width / 5, height / 5);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
