package cn.yinxin.verifier.qr;

import cn.yinxin.testing.LicenceServiceExtension;
import cn.yinxin.testing.SealServiceExtension;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.VerifierVerticle;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 亮证 end to end: the real seal service and licence service (their jars, in processes of their own) issue a driving
 * permit and a presentation code for its holder; the verifier confirms the code once, and a second scan of the same
 * code is reported as replayed.
 */
@cn.yinxin.testing.Slow("seal and licence service processes")
class PresentationTest {

    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final TestTsa tsa = tsa();
    @RegisterExtension
    @Order(1)
    static final SealServiceExtension seals = new SealServiceExtension("seal_for_presentations",
            revocation.keystores(), tsa.url());
    // the public URL the licence codes name for their status lists: this process's own address
    @RegisterExtension
    @Order(2)
    static final LicenceServiceExtension licences = new LicenceServiceExtension("licence_for_presentations", seals::url,
            Map.of("yinxin.licence.public-url", "http://localhost:{port}",
                    // a small limit on officers' look-ups, reached in the test of personal data
                    "yinxin.licence.disclosure.per-officer", "3"));
    private static Vertx vertx;
    private static VerifierVerticle verifier;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        verifier = new VerifierVerticle(new VerifierConfig(0, revocation.keystores().resolve("trust"), 1 << 20)
                .withSeals(seals.url(), java.nio.file.Files.createTempDirectory("verifier").resolve("seals.json"))
                .withLicences(licences.url()));
        vertx.deployVerticle(verifier).await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
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
    void aPresentationCodeIsConfirmedOnceAndASecondScanIsAReplay() throws Exception {
        var issued = post(licences.url() + "/api/v1/licences", new JsonObject()
                .put("type", "11410000MB00001749002").put("physicalNumber", "DP-" + UUID.randomUUID().toString().substring(0, 8))
                .put("holder", new JsonObject().put("kind", "PERSON").put("name", "李四").put("number", "11010519491231002X"))
                .put("fields", new JsonObject().put("vehicleClass", "C1").put("sex", "男").put("birthDate", "1949-12-31")
                        .put("firstIssued", "2010-03-15")), null);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String identifier = new JsonObject(issued.body()).getString("identifier");
        var shown = post(licences.url() + "/api/v1/holder/licences/" + identifier + "/presentations",
                new JsonObject().put("fields", new io.vertx.core.json.JsonArray().add("vehicleClass")).put("seconds", 120),
                "11010519491231002X");
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(201);
        String code = new JsonObject(shown.body()).getString("code");
        assertThat(code).startsWith("YXP1:");

        JsonObject first = verify(code);
        assertThat(first.getString("verdict")).as(first.encodePrettily()).isEqualTo("VALID");
        assertThat(first.getString("kind")).isEqualTo("presentation");
        assertThat(first.getJsonObject("claims").getString("identifier")).isEqualTo(identifier);
        assertThat(first.getJsonObject("claims").getJsonObject("fields").getString("vehicleClass")).isEqualTo("C1");
        assertThat(first.getJsonObject("claims").getJsonObject("fields").containsKey("birthDate")).as("not disclosed").isFalse();

        JsonObject again = verify(code);
        assertThat(again.getString("verdict")).isEqualTo("INVALID");
        assertThat(again.getBoolean("replayed")).isTrue();
    }

    /**
     * The real licence service's status lists (ETag, 304): a licence issued after the verifier kept its list is VALID
     * at once (its index lies beyond the kept list), and a revocation shows in the QR verdict within 5 s.
     */
    @Test
    void aNewLicenceVerifiesAtOnceAndARevocationShowsWithinFiveSeconds() throws Exception {
        String first = issue().getString("qr");
        JsonObject valid = verify(first);
        assertThat(valid.getString("verdict")).as(valid.encodePrettily()).isEqualTo("VALID");
        // licences issued since: the kept list ends before their index (4 entries to a byte), or is older than 5 s;
        // either way the verifier asks the licence service again rather than answering "outside the status list"
        JsonObject later = issue();
        for (int i = 0; i < 8; i++) {
            later = issue();
        }
        JsonObject fresh = verify(later.getString("qr"));
        assertThat(fresh.getString("verdict")).as(fresh.encodePrettily()).isEqualTo("VALID");

        var revoked = post(licences.url() + "/api/v1/licences/" + later.getString("identifier") + "/revocation",
                new JsonObject().put("reason", "test"), null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        long start = System.nanoTime();
        JsonObject answer = verify(later.getString("qr"));
        while (!"INVALID".equals(answer.getString("verdict")) && System.nanoTime() - start < 10_000_000_000L) {
            Thread.sleep(100); // the poll interval: the loop awaits the verdict, up to 10 s, and measures how long
            answer = verify(later.getString("qr"));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INVALID");
        assertThat(answer.getString("problem")).endsWith("licence-withdrawn");
        assertThat(millis).as("the revocation shows within 5 s").isLessThanOrEqualTo(5_000);
        System.out.println("revocation shown in the QR verdict after " + millis + " ms");
    }

    /**
     * A printed licence code's holder (development login): masked for an anonymous caller (no X-Dev-Roles: no role
     * at all) and for an officer without a purpose; in full for an officer who gives a purpose and a case number,
     * which the licence service records and shows the holder.
     */
    @Test
    void aLicenceHolderIsShownOnlyToAnOfficerWithAPurposeAndTheHolderSeesTheLookUp() throws Exception {
        JsonObject licence = issue();
        String code = licence.getString("qr");
        String person = "11010519491231002X";

        var anonymous = verifyAs(code, Map.of(), new JsonObject());
        assertThat(anonymous.statusCode()).isEqualTo(200);
        JsonObject seen = new JsonObject(anonymous.body());
        assertThat(seen.getString("verdict")).as(seen.encodePrettily()).isEqualTo("VALID");
        assertThat(seen.getJsonObject("claims").getString("holderName")).isEqualTo("李*");
        assertThat(seen.getJsonObject("claims").containsKey("holder")).isFalse();
        assertThat(anonymous.body()).doesNotContain("李四").doesNotContain(person);
        assertThat(seen.getString("personalData")).contains("sign in as an officer");

        Map<String, String> officer = Map.of("X-Dev-Roles", "officer", "X-Dev-Client", "roadside-check",
                "X-Dev-Office", "11430000006122244L");
        var noPurpose = verifyAs(code, officer, new JsonObject());
        assertThat(noPurpose.body()).doesNotContain("李四").doesNotContain(person).contains("用证事由");

        var noCase = verifyAs(code, officer, new JsonObject().put("purpose", "交通违法处理"));
        assertThat(noCase.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(noCase.body()).getString("type")).isEqualTo("urn:yinxin:problem:purpose-invalid");

        var withPurpose = verifyAs(code, officer, new JsonObject().put("purpose", "交通违法处理，核实驾驶人身份")
                .put("caseNumber", "公交决字〔2026〕18号"));
        assertThat(withPurpose.statusCode()).as(withPurpose.body()).isEqualTo(200);
        JsonObject holder = new JsonObject(withPurpose.body()).getJsonObject("claims").getJsonObject("holder");
        assertThat(holder.getString("name")).isEqualTo("李四");
        assertThat(holder.getString("identityNumber")).isEqualTo(person);

        // a photo of the code, the purpose beside it as form fields of the upload
        var photo = http.send(new cn.yinxin.testing.Multipart().field("purpose", "核实车辆登记信息")
                .field("caseNumber", "车管〔2026〕7号").file("file", "code.png", "image/png",
                        cn.yinxin.core.qr.QrSymbol.encode(code).toPng(4))
                .post(URI.create("http://localhost:" + verifier.port() + "/api/v1/verify/qr-image"),
                        "X-Dev-Roles", "officer", "X-Dev-Client", "roadside-check", "X-Dev-Office", "11430000006122244L"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(photo.statusCode()).as(photo.body()).isEqualTo(200);
        assertThat(new JsonObject(photo.body()).getJsonObject("claims").getJsonObject("holder").getString("identityNumber"))
                .isEqualTo(person);

        // recorded at the licence service: the holder sees who, which office, why and for which case
        var uses = http.send(HttpRequest.newBuilder(URI.create(licences.url() + "/api/v1/holder/uses"))
                .header("X-Dev-Holder", person).build(), HttpResponse.BodyHandlers.ofString());
        var lookUps = new io.vertx.core.json.JsonArray(uses.body()).stream().map(JsonObject.class::cast)
                .filter(u -> u.getString("identifier").equals(licence.getString("identifier"))).toList();
        assertThat(lookUps).hasSize(2); // newest first
        assertThat(lookUps).allSatisfy(u -> {
            assertThat(u.getString("kind")).isEqualTo("OFFICER_LOOKUP");
            assertThat(u.getString("officer")).contains("roadside-check");
            assertThat(u.getString("officeCode")).isEqualTo("11430000006122244L");
        });
        assertThat(lookUps.get(1).getString("purpose")).isEqualTo("交通违法处理，核实驾驶人身份");
        assertThat(lookUps.get(1).getString("caseNumber")).isEqualTo("公交决字〔2026〕18号");
        assertThat(lookUps.get(0).getString("purpose")).isEqualTo("核实车辆登记信息");
        assertThat(lookUps.get(0).getString("caseNumber")).isEqualTo("车管〔2026〕7号");
    }

    /** The licence service's limit on an officer's look-ups reaches the verifier's caller as 429 disclosure-limit. */
    @Test
    void anOfficerOverTheLookUpLimitGetsTooManyRequestsThroughTheVerifier() throws Exception {
        String code = issue().getString("qr");
        Map<String, String> officer = Map.of("X-Dev-Roles", "officer", "X-Dev-Client", "busy-officer",
                "X-Dev-Office", "11430000006122244L");
        JsonObject purpose = new JsonObject().put("purpose", "路面检查").put("caseNumber", "巡〔2026〕3号");
        for (int i = 0; i < 3; i++) { // the licence service's yinxin.licence.disclosure.per-officer here
            assertThat(verifyAs(code, officer, purpose).statusCode()).isEqualTo(200);
        }
        var over = verifyAs(code, officer, purpose);
        assertThat(over.statusCode()).as(over.body()).isEqualTo(429);
        assertThat(new JsonObject(over.body()).getString("type")).isEqualTo("urn:yinxin:problem:disclosure-limit");
        assertThat(over.body()).doesNotContain("11010519491231002X");
    }

    private HttpResponse<String> verifyAs(String code, Map<String, String> headers, JsonObject extra) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + verifier.port() + "/api/v1/verify/qr"))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(extra.copy().put("text", code).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject issue() throws Exception {
        var issued = post(licences.url() + "/api/v1/licences", new JsonObject()
                .put("type", "11410000MB00001749002").put("physicalNumber", "DP-" + UUID.randomUUID().toString().substring(0, 8))
                .put("holder", new JsonObject().put("kind", "PERSON").put("name", "李四").put("number", "11010519491231002X"))
                .put("fields", new JsonObject().put("vehicleClass", "C1").put("sex", "男").put("birthDate", "1949-12-31")
                        .put("firstIssued", "2010-03-15")), null);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return new JsonObject(issued.body());
    }

    private JsonObject verify(String code) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + verifier.port() + "/api/v1/verify/qr"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("text", code).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private HttpResponse<String> post(String url, JsonObject body, String holder) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        if (holder != null) {
            request.header("X-Dev-Holder", holder);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
