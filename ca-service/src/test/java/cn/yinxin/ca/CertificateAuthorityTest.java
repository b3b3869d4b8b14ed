package cn.yinxin.ca;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Commands;
import cn.yinxin.testing.DssJudge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Enrolment, revocation, CRL and OCSP of the real ca-service, judged by openssl and EU DSS. */
class CertificateAuthorityTest extends CaTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PERSON = "{\"name\":\"张三\",\"residentId\":\"11010519491231002X\"}";
    private static final String AGENCY = "{\"sealName\":\"测试局专用章\",\"agency\":\"测试局\",\"agencyCode\":\""
            + SamplePki.AGENCY_CODE + "\"}";

    @TempDir
    Path dir;

    @Test
    void aPersonalCertificateFromACsrIsGoodThenRevokedInOcspAndCrl() throws Exception {
        copyCaCertificates();
        Commands.ok(dir, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "key.pem", "-subj", "/CN=ignored", "-out", "req.csr");
        JsonNode issued = enrol("PERSONAL", Files.readString(dir.resolve("req.csr")), PERSON, 201);
        String serial = issued.path("serial").asString();
        Files.writeString(dir.resolve("cert.pem"), issued.path("certificate").asString());

        String text = Commands.ok(dir, "openssl", "x509", "-in", "cert.pem", "-noout", "-text", "-nameopt", "utf8,sep_comma_plus");
        assertThat(text).contains("serialNumber=11010519491231002X").contains("CN=张三")
                .contains(URL + "/crl/personal-ca.crl").contains("OCSP - URI:" + OCSP_URL)
                .contains("Digital Signature, Non Repudiation");

        String good = ocsp("-cert", "cert.pem");
        assertThat(good).contains("Response verify OK").contains("cert.pem: good");
        assertThat(good).as("openssl sent a nonce and got it back").doesNotContain("WARNING: no nonce in response");
        fetchCrl("personal-ca");
        assertThat(Commands.ok(dir, "openssl", "verify", "-crl_check", "-CAfile", "root.pem", "-untrusted",
                "personal-ca.pem", "-CRLfile", "crl.pem", "cert.pem")).contains("cert.pem: OK");

        // the serial as openssl prints it: upper case, leading zeros kept
        String printed = Commands.ok(dir, "openssl", "x509", "-in", "cert.pem", "-noout", "-serial").strip().split("=")[1];
        assertThat(get("/api/v1/certificates/personal-ca/00" + printed).statusCode()).isEqualTo(200);
        var revoked = postJson("/api/v1/certificates/personal-ca/" + printed + "/revocation", "{\"reason\":\"keyCompromise\"}");
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).path("status").asString()).isEqualTo("REVOKED");

        String nowRevoked = ocsp("-cert", "cert.pem");
        assertThat(nowRevoked).contains("Response verify OK").contains("cert.pem: revoked").contains("Reason: keyCompromise");
        fetchCrl("personal-ca");
        var verify = Commands.run(dir, "openssl", "verify", "-crl_check", "-CAfile", "root.pem", "-untrusted",
                "personal-ca.pem", "-CRLfile", "crl.pem", "cert.pem");
        assertThat(verify.exit()).isNotZero();
        assertThat(verify.output()).contains("certificate revoked");

        assertThat(postJson("/api/v1/certificates/personal-ca/" + serial + "/revocation", "{\"reason\":\"superseded\"}")
                .body()).contains("urn:yinxin:problem:already-revoked");
        assertThat(audited("certificate issued")).isPositive();
        assertThat(audited("certificate revoked")).isPositive();
    }

    @Test
    void aSuspensionShowsAsCertificateHoldAndCanBeReleased() throws Exception {
        copyCaCertificates();
        JsonNode issued = enrolGenerated("hold-test-seal");
        String serial = issued.path("serial").asString();
        Files.writeString(dir.resolve("cert.pem"), issued.path("certificate").asString());
        assertThat(ocsp("-issuer", "seal-ca.pem", "-cert", "cert.pem")).contains("cert.pem: good");

        assertThat(postJson("/api/v1/certificates/seal-ca/" + serial + "/revocation", "{\"reason\":\"certificateHold\"}")
                .statusCode()).isEqualTo(200);
        assertThat(ocsp("-issuer", "seal-ca.pem", "-cert", "cert.pem")).contains("cert.pem: revoked")
                .contains("Reason: certificateHold");
        fetchCrl("seal-ca");
        assertThat(Commands.ok(dir, "openssl", "crl", "-in", "crl.pem", "-noout", "-text").toLowerCase())
                .contains(serial).contains("certificate hold");

        var released = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(URL
                + "/api/v1/certificates/seal-ca/" + serial + "/revocation")).DELETE().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        assertThat(ocsp("-issuer", "seal-ca.pem", "-cert", "cert.pem")).contains("cert.pem: good");
        fetchCrl("seal-ca");
        assertThat(Commands.ok(dir, "openssl", "crl", "-in", "crl.pem", "-noout", "-text").toLowerCase())
                .doesNotContain(serial);
        var again = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(URL
                + "/api/v1/certificates/seal-ca/" + serial + "/revocation")).DELETE().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("urn:yinxin:problem:not-on-hold");
        assertThat(audited("certificate suspended")).isPositive();
        assertThat(audited("certificate released")).isPositive();
    }

    @Test
    void anUnknownSerialIsUnknownAndAForeignIssuerIsUnauthorized() throws Exception {
        copyCaCertificates();
        assertThat(ocsp("-issuer", "seal-ca.pem", "-serial", "0x1234abcd")).contains(": unknown");
        Commands.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "other.key", "-subj", "/CN=Other CA", "-days", "2", "-out", "other.pem");
        var foreign = Commands.run(dir, "openssl", "ocsp", "-issuer", "other.pem", "-serial", "0x10", "-url", URL + "/ocsp",
                "-CAfile", "root.pem");
        assertThat(foreign.output()).contains("unauthorized");
    }

    @Test
    void getAnswersAreCacheableAndPresigned() throws Exception {
        copyCaCertificates();
        Path sampleSeal;
        try (var files = Files.list(KEYSTORES.resolve("ca/issued"))) {
            sampleSeal = files.findFirst().orElseThrow();
        }
        Files.copy(sampleSeal, dir.resolve("seal.pem"));
        Commands.ok(dir, "openssl", "ocsp", "-issuer", "seal-ca.pem", "-cert", "seal.pem", "-no_nonce", "-reqout", "req.der");
        String encoded = URLEncoder.encode(Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("req.der"))),
                StandardCharsets.US_ASCII);
        for (String base : new String[] {URL + "/ocsp/", OCSP_URL + "/"}) {
            checkCacheableGet(base + encoded);
        }
        // POST on the lean listener too, answered by openssl's client with a nonce
        assertThat(Commands.run(dir, "openssl", "ocsp", "-issuer", "seal-ca.pem", "-cert", "seal.pem", "-url", OCSP_URL,
                "-CAfile", "root.pem").output()).contains("Response verify OK").contains("seal.pem: good");
    }

    private void checkCacheableGet(String url) throws Exception {
        var first = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(first.statusCode()).as(url + " " + new String(first.body())).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        assertThat(first.headers().firstValue("Cache-Control").orElse("")).contains("max-age=").contains("public")
                .contains("no-transform").contains("must-revalidate");
        assertThat(first.headers().firstValue("ETag")).isPresent();
        assertThat(first.headers().firstValue("Last-Modified")).isPresent();
        assertThat(first.headers().firstValue("Expires")).isPresent();
        var second = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(second.headers().firstValue("ETag")).as("the same pre-signed response").isEqualTo(
                first.headers().firstValue("ETag"));

        Files.write(dir.resolve("resp.der"), first.body());
        String parsed = Commands.ok(dir, "openssl", "ocsp", "-respin", "resp.der", "-issuer", "seal-ca.pem",
                "-cert", "seal.pem", "-CAfile", "root.pem");
        assertThat(parsed).contains("Response verify OK").contains("seal.pem: good");
    }

    @Test
    void badEnrolmentsAreRefusedClearlyAndChangeNothing() throws Exception {
        long before = jdbc.sql("SELECT count(*) FROM certificate").query(Long.class).single();
        Commands.ok(dir, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "k.pem", "-subj", "/CN=x", "-out", "good.csr");
        String good = Files.readString(dir.resolve("good.csr"));

        byte[] der = Base64.getMimeDecoder().decode(good.replaceAll("-----[A-Z ]+-----", ""));
        der[der.length - 3] ^= 0x55; // inside the signature value
        String broken = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        assertProblem(enrolRaw("PERSONAL", broken, PERSON), 400, "bad-csr");

        Commands.ok(dir, "openssl", "req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak.key",
                "-subj", "/CN=x", "-out", "weak.csr");
        assertProblem(enrolRaw("PERSONAL", Files.readString(dir.resolve("weak.csr")), PERSON), 400, "weak-key");

        Commands.ok(dir, "openssl", "req", "-new", "-newkey", "ed25519", "-nodes", "-keyout", "ed.key",
                "-subj", "/CN=x", "-out", "ed.csr");
        assertProblem(enrolRaw("PERSONAL", Files.readString(dir.resolve("ed.csr")), PERSON), 400, "unsupported-algorithm");

        assertProblem(enrolRaw("PERSONAL", "not a csr", PERSON), 400, "bad-csr");
        assertProblem(enrolRaw("AGENCY_SEAL", good, AGENCY.replace(SamplePki.AGENCY_CODE, "91350100M000100Y44")),
                422, "invalid-subject");
        assertProblem(enrolRaw("PERSONAL", good, PERSON.replace("002X", "0021")), 422, "invalid-subject");
        assertProblem(postJson("/api/v1/enrolments", JSON.writeValueAsString(Map.of("profile", "PERSONAL", "csr", good,
                "subject", JSON.readTree(PERSON), "validityDays", 5000))), 422, "validity-too-long");
        assertProblem(postJson("/api/v1/enrolments", "{not json"), 400, "invalid-request");
        assertProblem(postJson("/api/v1/certificates/nope/12/revocation", "{\"reason\":\"superseded\"}"), 404, "unknown-ca");
        assertProblem(postJson("/api/v1/certificates/seal-ca/12/revocation", "{\"reason\":\"superseded\"}"), 404,
                "unknown-certificate");

        long after = jdbc.sql("SELECT count(*) FROM certificate").query(Long.class).single();
        assertThat(after).as("no certificate stored for a refused enrolment").isEqualTo(before);
    }

    @Test
    void euDssValidatesASealMadeWithACertificateOfThisCaFetchingRevocationOnline() throws Exception {
        JsonNode issued = enrolGenerated("dss-seal");
        assertThat(issued.path("keyAlias").asString()).isEqualTo("dss-seal");
        var vault = new Pkcs12Vault(KEYSTORES.resolve("seal-keys.p12"), SamplePki.PASSWORD.toCharArray());
        var key = vault.get("dss-seal");
        assertThat(key.certificate().getSerialNumber().toString(16)).isEqualTo(issued.path("serial").asString());
        byte[] pdf = Files.readAllBytes(KEYSTORES.resolve("samples/approval-result.pdf"));
        byte[] sealed = new PdfSealer().seal(pdf, new SealRequest(key, new SealAppearance(
                Files.readAllBytes(KEYSTORES.resolve("seals/" + SamplePki.SEAL_ID + "/seal.png")), 40, 40),
                new SealPlacement(1, 100, 100), "测试局专用章", null, Instant.now()));
        var root = Pem.readCertificates(Files.readAllBytes(KEYSTORES.resolve("ca/root.pem"))).get(0);

        var verdict = DssJudge.validateOnline(sealed, root);
        assertThat(verdict.indication()).as(verdict.toString()).isEqualTo("TOTAL_PASSED");

        // revoked: DSS learns it from our OCSP responder and no longer passes the seal
        String serial = issued.path("serial").asString();
        assertThat(postJson("/api/v1/certificates/seal-ca/" + serial + "/revocation", "{\"reason\":\"keyCompromise\"}")
                .statusCode()).isEqualTo(200);
        var afterRevocation = DssJudge.validateOnline(sealed, root);
        assertThat(afterRevocation.indication()).as(afterRevocation.toString()).isNotEqualTo("TOTAL_PASSED");
        assertThat(afterRevocation.subIndication()).as(afterRevocation.toString()).contains("REVOKED");
    }

    @Test
    void aCrlIsRemadeBeforeItsNextUpdate(@org.springframework.beans.factory.annotation.Autowired
                                         cn.yinxin.ca.crl.CrlPublisher crls) throws Exception {
        long before = crls.latest("seal-ca").orElseThrow().number();
        crls.refresh();
        assertThat(crls.latest("seal-ca").orElseThrow().number()).as("fresh: kept").isEqualTo(before);
        // the current CRL is about to expire: the next check replaces it
        jdbc.sql("UPDATE crl SET next_update = now() + interval '1 minute' WHERE issuer = 'seal-ca' AND number = :n")
                .param("n", before).update();
        crls.refresh();
        var renewed = crls.latest("seal-ca").orElseThrow();
        assertThat(renewed.number()).isGreaterThan(before);
        assertThat(renewed.nextUpdate()).isAfter(Instant.now().plus(java.time.Duration.ofHours(23)));
    }

    private JsonNode enrolGenerated(String alias) throws Exception {
        var response = postJson("/api/v1/enrolments", "{\"profile\":\"AGENCY_SEAL\",\"generateKey\":{\"alias\":\""
                + alias + "\",\"algorithm\":\"EC_P256\"},\"subject\":" + AGENCY + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private JsonNode enrol(String profile, String csr, String subject, int status) throws Exception {
        var response = enrolRaw(profile, csr, subject);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private java.net.http.HttpResponse<String> enrolRaw(String profile, String csr, String subject) throws Exception {
        return postJson("/api/v1/enrolments", JSON.writeValueAsString(Map.of("profile", profile, "csr", csr,
                "subject", JSON.readTree(subject))));
    }

    private static void assertProblem(java.net.http.HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"type\":\"urn:yinxin:problem:" + slug + "\"");
    }

    private String ocsp(String... what) {
        var args = new java.util.ArrayList<String>(java.util.List.of("openssl", "ocsp"));
        if (!java.util.List.of(what).contains("-issuer")) {
            args.addAll(java.util.List.of("-issuer", "personal-ca.pem"));
        }
        args.addAll(java.util.List.of(what));
        args.addAll(java.util.List.of("-url", OCSP_URL, "-CAfile", "root.pem"));
        return Commands.run(dir, args.toArray(String[]::new)).output();
    }

    private void fetchCrl(String ca) throws Exception {
        var crl = get("/crl/" + ca + ".crl");
        assertThat(crl.statusCode()).isEqualTo(200);
        assertThat(crl.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        Files.write(dir.resolve("crl.der"), crl.body());
        Commands.ok(dir, "openssl", "crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem");
    }

    private void copyCaCertificates() throws Exception {
        for (String name : new String[] {"root", "seal-ca", "personal-ca", "tsa"}) {
            Files.copy(KEYSTORES.resolve("ca/" + name + ".pem"), dir.resolve(name + ".pem"));
        }
    }
}
