package cn.yinxin.cli;

import cn.yinxin.testing.BrowserHarness;
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
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in for real: ./yinxin up --with-keycloak starts Keycloak (the keycloak-quarkus-dist zip from Maven Central)
 * with the sample realm, and the services trust only its tokens. Client credentials stamp; a client the seal does not
 * list gets 403 and an audit entry; no token, a forged token and an expired token get 401; an officer sees the
 * licence holder's personal data in a verification where an anonymous caller sees it masked.
 */
@cn.yinxin.testing.Slow("./yinxin up --with-keycloak: Keycloak, the four services and a browser")
class YinxinKeycloakIT {

    private static final Path ROOT = Path.of(System.getProperty("yinxin.root", "..")).toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEYCLOAK = "http://localhost:28180/realms/yinxin";
    private static final String SEALS = "http://localhost:28082";
    private static final String LICENCES = "http://localhost:28083";
    private static final String VERIFIER = "http://localhost:28080";
    private static final String SEAL = "sample-agency-seal";
    private static final HttpClient http = HttpClient.newHttpClient();
    private static Path home;
    private static Map<String, String> env;

    @BeforeAll
    static void up() throws Exception {
        home = Files.createTempDirectory("yinxin-keycloak");
        env = Map.ofEntries(
                Map.entry("YINXIN_HOME", home.toString()),
                Map.entry("YINXIN_NO_BUILD", "1"),
                Map.entry("YINXIN_VERIFIER_PORT", "28080"),
                Map.entry("YINXIN_CA_PORT", "28081"),
                Map.entry("YINXIN_SEAL_PORT", "28082"),
                Map.entry("YINXIN_LICENCE_PORT", "28083"),
                Map.entry("YINXIN_DB_PORT", "29432"),
                Map.entry("YINXIN_OCSP_PORT", "28091"),
                Map.entry("YINXIN_KEYCLOAK_PORT", "28180"),
                // so that the expired-token check need not wait out the default 30 s of clock skew
                Map.entry("YINXIN_SECURITY_CLOCK_SKEW_SECONDS", "1"));
        var up = yinxin("up", "--with-keycloak");
        assertThat(up.exit()).as(up.output()).isZero();
        assertThat(up.output()).contains("Keycloak").contains(KEYCLOAK).doesNotContain("DEVELOPMENT LOGIN");
    }

    @AfterAll
    static void down() throws Exception {
        TestHomes.removeWhenDown(home, yinxin("down").exit());
    }

    @Test
    void aClientOfTheSealStampsAndOthersAreRefused() throws Exception {
        String a = clientToken("approval-system-a");
        var stamped = stamp(a);
        assertThat(stamped.statusCode()).as(new String(stamped.body())).isEqualTo(200);
        assertThat(new String(stamped.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(stamped.headers().firstValue("X-Yinxin-Login")).as("no development login").isEmpty();

        // approval system B has the role, but the seal does not list it
        var other = stamp(clientToken("approval-system-b"));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(new String(other.body())).contains("urn:yinxin:problem:seal-not-permitted");
        JsonNode audit = JSON.readTree(send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/seals/" + SEAL + "/audit"))
                .header("Authorization", "Bearer " + personToken("auditor")), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(audit.toString()).contains("stamp.refused").contains("approval-system-b");

        // a person's role decides too: an officer may not suspend a seal
        var suspend = send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/seals/" + SEAL + "/suspension"))
                .header("Authorization", "Bearer " + personToken("officer")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"test\"}")), HttpResponse.BodyHandlers.ofString());
        assertThat(suspend.statusCode()).isEqualTo(403);
        assertThat(suspend.body()).contains("urn:yinxin:problem:access-denied");

        // the approval system that stamps with the seal may not renew it; anyone may read its certificates
        var renew = send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/seals/" + SEAL + "/renewal"))
                .header("Authorization", "Bearer " + a).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), HttpResponse.BodyHandlers.ofString());
        assertThat(renew.statusCode()).isEqualTo(403);
        assertThat(renew.body()).contains("urn:yinxin:problem:access-denied");
        var certificates = send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/seals/" + SEAL + "/certificates")),
                HttpResponse.BodyHandlers.ofString());
        assertThat(certificates.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(certificates.body()).get(0).path("current").asBoolean()).isTrue();
    }

    @Test
    void missingForgedAndExpiredTokensAreRefused() throws Exception {
        var none = stamp(null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(new String(none.body())).contains("urn:yinxin:problem:not-signed-in");

        // the payload of a real token changed (another client claimed), the signature kept
        String[] parts = clientToken("approval-system-b").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("approval-system-b", "approval-system-a");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        var refused = stamp(forged);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(new String(refused.body())).contains("urn:yinxin:problem:token-invalid");
        var atVerifier = verifyQr("YX1:whatever", forged);
        assertThat(atVerifier.statusCode()).isEqualTo(401);
        assertThat(atVerifier.body()).contains("urn:yinxin:problem:token-invalid");

        // approval-system-short's tokens live 2 s: valid at first (403: the seal does not list it), then expired
        String shortLived = clientToken("approval-system-short");
        long expires = JSON.readTree(Base64.getUrlDecoder().decode(shortLived.split("\\.")[1])).path("exp").asLong();
        assertThat(stamp(shortLived).statusCode()).isEqualTo(403);
        long wait = (expires + 2) * 1000 - Instant.now().toEpochMilli();
        if (wait > 0) {
            // time itself must pass: the token expires by Keycloak's clock, in another process (nothing to inject)
            Thread.sleep(wait);
        }
        var expired = stamp(shortLived);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(new String(expired.body())).contains("urn:yinxin:problem:token-invalid").containsIgnoringCase("expired");
    }

    @Test
    void anOfficerSeesTheHoldersPersonalDataWhereTheAnonymousCallerDoesNot() throws Exception {
        var issued = issueLicence("李四", "11010519491231002X");
        String qr = JSON.readTree(issued.body()).path("qr").asString();
        assertThat(qr).startsWith("YX1:");

        var anonymous = verifyQr(qr, null);
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(200);
        JsonNode publicAnswer = JSON.readTree(anonymous.body());
        assertThat(publicAnswer.path("verdict").asString()).isEqualTo("VALID");
        assertThat(publicAnswer.path("claims").path("holderName").asString()).isEqualTo("李*");
        assertThat(anonymous.body()).doesNotContain("11010519491231002X").doesNotContain("李四");

        // an officer without a purpose (用证事由 and case number) sees the holder masked too
        var noPurpose = verifyQr(qr, personToken("officer"));
        assertThat(noPurpose.statusCode()).as(noPurpose.body()).isEqualTo(200);
        assertThat(noPurpose.body()).doesNotContain("11010519491231002X").doesNotContain("李四");

        var officer = verifyQr(qr, personToken("officer"), "交通违法处理，核实驾驶人身份", "公交决字〔2026〕18号");
        assertThat(officer.statusCode()).as(officer.body()).isEqualTo(200);
        JsonNode officerAnswer = JSON.readTree(officer.body());
        assertThat(officerAnswer.path("verdict").asString()).isEqualTo("VALID");
        assertThat(officerAnswer.path("claims").path("holder").path("name").asString()).isEqualTo("李四");
        assertThat(officerAnswer.path("claims").path("holder").path("identityNumber").asString()).isEqualTo("11010519491231002X");

        // a citizen is signed in but no officer: the public answer
        var citizen = verifyQr(qr, personToken("citizen"));
        assertThat(citizen.body()).doesNotContain("11010519491231002X");
    }

    /**
     * The signature desk in a browser: the person signs in on Keycloak's own login page (authorisation code with
     * PKCE, the page's public client), the desk then calls the seal service with the Bearer token alone, and the
     * e-signature is made for the name and resident ID of the sign-in.
     */
    @Test
    void aPersonSignsInAtTheSignatureDeskThroughKeycloakAndAppliesForTheirESignature() throws Exception {
        // a licence for 张三 (the sample citizen), which the holder page must list after the sign-in
        JsonNode issued = JSON.readTree(issueLicence("张三", "11010519491231002X").body());
        String licence = issued.path("identifier").asString();
        Path cases = Files.createTempFile(home, "desk-cases", ".json");
        Files.writeString(cases, JSON.writeValueAsString(Map.of(
                "chromium", BrowserHarness.chromium().toString(),
                "playwrightDir", BrowserHarness.playwrightCore().toString(),
                "deskUrl", SEALS + "/sign/desk.html", "holderUrl", LICENCES + "/holder/", "licenceIdentifier", licence,
                "verifierUrl", VERIFIER + "/", "licenceCode", issued.path("qr").asString(),
                "username", "citizen", "officerUsername", "officer", "password", "yinxin-dev-only")));
        JsonNode seen = JSON.readTree(BrowserHarness.node(Path.of("src/test/browser/desk-sign-in.mjs"), cases, 240));
        assertThat(seen.path("error").isMissingNode()).as(seen.toPrettyString()).isTrue();

        assertThat(seen.path("devFieldsVisible").asBoolean()).as("no development fields with Keycloak").isFalse();
        assertThat(seen.path("withoutSignIn").asString()).as("the problem title in the page's language (zh-CN)")
                .contains("请先登录");
        assertThat(seen.path("loginPage").asString()).isEqualTo(KEYCLOAK + "/protocol/openid-connect/auth");
        assertThat(seen.path("loginQuery").path("client_id").asString()).isEqualTo("yinxin-signature-desk");
        assertThat(seen.path("loginQuery").path("code_challenge_method").asString()).isEqualTo("S256");
        assertThat(seen.path("backAt").asString()).as("the code was taken out of the address")
                .isEqualTo(SEALS + "/sign/desk.html");
        assertThat(seen.path("who").asString()).isEqualTo("张三 (11010519491231002X)");
        assertThat(seen.path("applied").asString()).as(seen.toPrettyString())
                .startsWith("张三 (110105********002X) · ACTIVE · 证书 certificate personal-ca/");
        assertThat(seen.path("afterReload").asString()).isEqualTo(seen.path("applied").asString());
        assertThat(seen.path("csp").asString()).contains("connect-src 'self' http://localhost:28180");
        assertThat(seen.path("afterSignOut").asString()).startsWith("未登录");
        assertThat(seen.path("signInAgain").asString()).as("the Keycloak session ended too: its login page asks again")
                .isEqualTo(KEYCLOAK + "/protocol/openid-connect/auth");
        // a return from Keycloak this tab did not ask for is refused before any code is redeemed
        for (String answer : List.of("forgedAnswer", "otherStateAnswer")) {
            assertThat(seen.path(answer).path("message").asString()).as(answer)
                    .contains("does not belong to this page (state)");
        }
        assertThat(seen.path("refusedAnswer").path("message").asString())
                .isEqualTo("登录被拒绝 Sign-in refused: User cancelled");
        for (String answer : List.of("forgedAnswer", "otherStateAnswer", "refusedAnswer")) {
            assertThat(seen.path(answer).path("address").asString()).as("%s: the answer is taken out of the address", answer)
                    .isEqualTo(SEALS + "/sign/desk.html");
            assertThat(seen.path(answer).path("signedIn").asBoolean()).as(answer).isFalse();
        }
        assertThat(seen.path("tokenRequestsForBadAnswers").asInt()).as("no code redeemed").isZero();
        assertThat(seen.path("holderPerson").asString()).isEqualTo("张三");
        assertThat(seen.path("holderDevFieldsVisible").asBoolean()).isFalse();
        assertThat(seen.path("holderLicences").asString()).contains(licence);
        // the verification page: masked for the anonymous clerk, in full for the officer who signed in on it
        assertThat(seen.path("verifierAnonymous").path("verdict").asString()).isEqualTo("有效 Valid");
        assertThat(seen.path("verifierAnonymous").path("details").asString()).contains("张*")
                .doesNotContain("11010519491231002X").contains("sign in as an officer");
        assertThat(seen.path("verifierOfficer").asString()).isEqualTo("王警官 · 警员 officer");
        assertThat(seen.path("verifierSignedIn").path("verdict").asString()).isEqualTo("有效 Valid");
        assertThat(seen.path("verifierSignedIn").path("details").asString())
                .contains("持证人 Holder (officer)张三").contains("证件号码 ID number (officer)11010519491231002X");
        assertThat(seen.path("verifierCsp").asString()).contains("connect-src 'self' http://localhost:28180");

        // the desk sent nothing before the sign-in; after it, the apply and the look after the reload; then the
        // holder page's calls; then the verification page's two checks, the first without a token
        List<JsonNode> requests = new java.util.ArrayList<>();
        seen.path("requests").forEach(requests::add);
        List<JsonNode> verifications = requests.stream().filter(r -> r.path("url").asString().contains("/api/v1/verify/")).toList();
        assertThat(verifications).hasSize(2);
        assertThat(verifications.get(0).path("bearer").asBoolean()).as("anonymous").isFalse();
        assertThat(verifications.get(1).path("bearer").asBoolean()).as("the officer").isTrue();
        List<JsonNode> others = requests.stream().filter(r -> !r.path("url").asString().contains("/api/v1/verify/")).toList();
        assertThat(others).as("the desk's and the holder page's API calls").hasSizeGreaterThanOrEqualTo(4);
        for (JsonNode request : requests) {
            assertThat(request.path("devHeaders")).as(request.toString()).isEmpty();
        }
        for (JsonNode request : others) {
            assertThat(request.path("bearer").asBoolean()).as(request.toString()).isTrue();
        }

        // the seal service made the e-signature for the signed-in person: the certificate names them
        var mine = send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/personal-signatures/mine"))
                .header("Authorization", "Bearer " + personToken("citizen")), HttpResponse.BodyHandlers.ofString());
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        assertThat(JSON.readTree(mine.body()).path("name").asString()).isEqualTo("张三");
        assertThat(JSON.readTree(mine.body()).path("residentId").asString()).isEqualTo("110105********002X");
    }

    /**
     * The verifier holds no key: its sealed report is stamped by the seal service with the verification-report seal at
     * the request of the verifier's own client (client credentials at Keycloak), whose one role, report-sealer, can do
     * nothing else; the verifier process gets its own client secret and no other service's.
     */
    @Test
    void theVerifiersReportIsSealedByTheSealServiceAndItsClientCanDoNothingElse() throws Exception {
        byte[] pdf = Files.readAllBytes(home.resolve("keystores/samples/approval-result.pdf"));
        var report = http.send(HttpRequest.newBuilder(URI.create(VERIFIER + "/api/v1/verify/pdf/report"))
                .header("Content-Type", "application/pdf").POST(HttpRequest.BodyPublishers.ofByteArray(pdf)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(report.statusCode()).as(new String(report.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        try (var document = org.apache.pdfbox.Loader.loadPDF(report.body())) {
            assertThat(document.getSignatureDictionaries()).hasSize(1);
            assertThat(document.getSignatureDictionaries().get(0).getName())
                    .isEqualTo(cn.yinxin.keystores.SamplePki.REPORT_SEAL_NAME);
        }

        String verifier = clientToken(cn.yinxin.keystores.SamplePki.VERIFIER_CLIENT);
        var agencySeal = stamp(verifier);
        assertThat(agencySeal.statusCode()).isEqualTo(403);
        assertThat(new String(agencySeal.body())).contains("urn:yinxin:problem:seal-not-permitted");
        var code = send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/seals/"
                        + cn.yinxin.keystores.SamplePki.REPORT_SEAL_ID + "/codes"))
                .header("Authorization", "Bearer " + verifier).header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{(byte) 0xa0})), HttpResponse.BodyHandlers.ofString());
        assertThat(code.statusCode()).as(code.body()).isEqualTo(403);
        assertThat(code.body()).contains("urn:yinxin:problem:access-denied");
        var enrolment = send(HttpRequest.newBuilder(URI.create("http://localhost:28081/api/v1/enrolments"))
                .header("Authorization", "Bearer " + verifier).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), HttpResponse.BodyHandlers.ofString());
        assertThat(enrolment.statusCode()).as(enrolment.body()).isEqualTo(403);
        assertThat(enrolment.body()).contains("urn:yinxin:problem:access-denied");

        long pid = Long.parseLong(Files.readString(home.resolve("run/verifier.pid")).strip());
        assertThat(Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1))
                .contains("YINXIN_VERIFIER_CLIENT_SECRET=yinxin-verifier-dev-secret")
                .doesNotContain("yinxin-ca-service-dev-secret").doesNotContain("yinxin-seal-service-dev-secret")
                .doesNotContain("yinxin-licence-service-dev-secret").doesNotContain(".p12");
    }

    /**
     * Signing by purpose with real tokens (issue 18): approval-system-a is listed on the sample seal (it stamps approval
     * results with it), yet it cannot have a licence code for a holder of its choosing signed (such a code verified
     * VALID before): 403 signing-not-permitted, no code handed out, and the refusal is in the seal's audit trail. The
     * licence service, with its own role, still has its codes signed (the issued licence verifies VALID).
     */
    @Test
    void anApprovalSystemCannotHaveALicenceCodeSignedAndTheRefusalIsAudited() throws Exception {
        String a = clientToken("approval-system-a");
        java.time.Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        byte[] forgedClaims = new cn.yinxin.core.qr.LicenceQr("1.2.156.3005.2.11410000MB00001749002.forged",
                "11410000MB00001749002", "王五", "110105********002X", java.time.LocalDate.of(2020, 1, 1), null,
                cn.yinxin.keystores.SamplePki.AGENCY_CODE, now, null, null).toClaims().toCbor();
        var forged = send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/seals/" + SEAL + "/codes"))
                .header("Authorization", "Bearer " + a).header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(forgedClaims)), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
        assertThat(forged.body()).contains("urn:yinxin:problem:signing-not-permitted").doesNotContain("YX1:");
        // nor a status list (which would keep a revoked licence VALID)
        byte[] list = cn.yinxin.core.qr.CwtClaims.builder().subject(LICENCES + "/api/v1/status-lists/x/y").issuedAt(now)
                .put(65533, Map.of("bits", 2L, "lst", new byte[]{0})).build().toCbor();
        var token = send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/seals/" + SEAL + "/tokens"))
                .header("Authorization", "Bearer " + a).header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(list)), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(403);
        assertThat(token.body()).contains("urn:yinxin:problem:signing-not-permitted");

        JsonNode audit = JSON.readTree(send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/seals/" + SEAL + "/audit"))
                .header("Authorization", "Bearer " + personToken("auditor")), HttpResponse.BodyHandlers.ofString()).body());
        List<JsonNode> refusals = new java.util.ArrayList<>();
        audit.forEach(entry -> {
            if (entry.toString().contains("seal.sign-code.refused") && entry.toString().contains("approval-system-a")) {
                refusals.add(entry);
            }
        });
        assertThat(refusals).as(audit.toPrettyString()).hasSize(1);
        assertThat(refusals.get(0).toString()).contains("licence code");
        assertThat(audit.toString()).contains("seal.sign-token.refused");

        // the licence service (role licence-service-client) still has its licence's code signed: it verifies VALID
        String qr = JSON.readTree(issueLicence("赵六", "11010519491231002X").body()).path("qr").asString();
        var verified = verifyQr(qr, null);
        assertThat(JSON.readTree(verified.body()).path("verdict").asString()).as(verified.body()).isEqualTo("VALID");
    }

    /**
     * Separate service-client roles with real tokens (issue 18): the licence service's client enrols and revokes
     * nothing at the CA; the seal service's client alone (a stolen credential, no person's request behind it) enrols
     * for no agency; the seal service renews the sample seal for the seal administrator of its agency, whose token it
     * relays to the CA.
     */
    @Test
    void eachServiceClientDoesOnlyItsOwnCallsAtTheCa() throws Exception {
        String agency = "{\"profile\":\"AGENCY_SEAL\",\"generateKey\":{\"alias\":\"stolen-" + UUID.randomUUID()
                .toString().substring(0, 8) + "\"},\"subject\":{\"sealName\":\"假章\",\"agency\":\"某局\","
                + "\"agencyCode\":\"" + cn.yinxin.keystores.SamplePki.AGENCY_CODE + "\"}}";
        var licenceService = enrolAtTheCa(clientToken("yinxin-licence-service"), agency);
        assertThat(licenceService.statusCode()).as(licenceService.body()).isEqualTo(403);
        assertThat(licenceService.body()).contains("urn:yinxin:problem:access-denied");
        var revoke = send(HttpRequest.newBuilder(URI.create("http://localhost:28081/api/v1/certificates/seal-ca/01/revocation"))
                .header("Authorization", "Bearer " + clientToken("yinxin-licence-service"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"keyCompromise\"}")),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(403);
        assertThat(revoke.body()).contains("urn:yinxin:problem:access-denied");

        var sealServiceAlone = enrolAtTheCa(clientToken("yinxin-seal-service"), agency);
        assertThat(sealServiceAlone.statusCode()).as(sealServiceAlone.body()).isEqualTo(403);
        assertThat(sealServiceAlone.body()).contains("urn:yinxin:problem:enrolment-not-permitted");

        // the seal administrator's renewal: the seal service enrols the new key for them, at the CA
        var renewed = send(HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/seals/" + SEAL + "/renewal"))
                .header("Authorization", "Bearer " + personToken("sealadmin")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), HttpResponse.BodyHandlers.ofString());
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        // and what is stamped after it verifies as before
        var stamped = stamp(clientToken("approval-system-a"));
        assertThat(stamped.statusCode()).as(new String(stamped.body())).isEqualTo(200);
    }

    private static HttpResponse<String> enrolAtTheCa(String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:28081/api/v1/enrolments"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofString());
    }

    /** A driving licence issued by the sample issuer (201 asserted). */
    private static HttpResponse<String> issueLicence(String name, String number) throws Exception {
        var issued = send(HttpRequest.newBuilder(URI.create(LICENCES + "/api/v1/licences"))
                .header("Authorization", "Bearer " + personToken("issuer")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"type":"11410000MB00001749002","holder":{"kind":"PERSON","name":"%s","number":"%s"},
                         "fields":{"vehicleClass":"C1","sex":"男","birthDate":"1949-12-31","firstIssued":"2010-05-01"},"validUntil":"2032-01-01",
                         "physicalNumber":"KC-%s"}""".formatted(name, number, UUID.randomUUID()))), HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return issued;
    }

    private static HttpResponse<byte[]> stamp(String token) throws Exception {
        byte[] pdf = Files.readAllBytes(home.resolve("keystores/samples/approval-result.pdf"));
        String boundary = "yinxin-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (var field : List.of(Map.entry("sealId", SEAL), Map.entry("page", "1"), Map.entry("x", "150"), Map.entry("y", "240"))) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(pdf);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        var request = HttpRequest.newBuilder(URI.create(SEALS + "/api/v1/stamp"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** As an officer with a purpose: the verifier has the licence service disclose and record the holder's data. */
    private static HttpResponse<String> verifyQr(String text, String token, String purpose, String caseNumber)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(VERIFIER + "/api/v1/verify/qr"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", text,
                        "purpose", purpose, "caseNumber", caseNumber))));
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> verifyQr(String text, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(VERIFIER + "/api/v1/verify/qr")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(text));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String clientToken(String client) throws Exception {
        return token("grant_type=client_credentials&client_id=" + client + "&client_secret=" + client + "-dev-secret");
    }

    /** The sample realm's people sign in through the yinxin-cli client (password grant, development only). */
    private static String personToken(String user) throws Exception {
        return token("grant_type=password&client_id=yinxin-cli&username=" + user + "&password="
                + URLEncoder.encode("yinxin-dev-only", StandardCharsets.UTF_8));
    }

    private static String token(String form) throws Exception {
        var response = send(HttpRequest.newBuilder(URI.create(KEYCLOAK + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asString();
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws Exception {
        return http.send(request.build(), body);
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
