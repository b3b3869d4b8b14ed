package cn.yinxin.licence;

import cn.yinxin.licence.types.SampleTypes;
import cn.yinxin.testing.RawHttp;
import cn.yinxin.testing.SealServiceExtension;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seventh red team against the licence service's issuing routes, as an issuer of the sample office (the
 * development login) and its approval system: an issuance sent twice at once, a NUL character in a reason or a CSV
 * row, a renewal that ends before it starts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the licence service (Spring Boot), a seal service process, an embedded PostgreSQL")
class LicenceRedTeamSeventhTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SEAL_DATABASE = "seal_for_red_team_seventh";
    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final TestTsa tsa = tsa();
    @RegisterExtension
    static final SealServiceExtension seals = new SealServiceExtension(SEAL_DATABASE, revocation.keystores(), tsa.url());

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("licence_red_team_seventh"));
        registry.add("yinxin.licence.seal-service-url", seals::url);
        registry.add("yinxin.licence.public-url", () -> "https://licences.example.gov.cn");
    }

    @AfterAll
    static void stop() {
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

    /**
     * An approval system's retry while its first issuance is still being sealed: both were sealed, and the second
     * failed on the unique physical number with a 500 (the API promises a retry the same licence, 200), leaving a
     * validly sealed licence PDF of no licence at the seal service.
     */
    @Test
    void theSameIssuanceSentThreeTimesAtOnceIsOneLicenceSealedOnce() throws Exception {
        // what one issuance seals (the type's PDF and OFD)
        long before = sealServiceStamps();
        http.send(json("/api/v1/licences", JSON.writeValueAsString(businessLicence(
                "BL-" + UUID.randomUUID().toString().substring(0, 8)))), HttpResponse.BodyHandlers.ofString());
        long perIssuance = sealServiceStamps() - before;
        assertThat(perIssuance).isPositive();

        String physical = "BL-" + UUID.randomUUID().toString().substring(0, 8);
        String body = JSON.writeValueAsString(businessLicence(physical));
        long stamps = sealServiceStamps();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(http.sendAsync(json("/api/v1/licences", body), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> identifiers = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        for (var answer : sent) {
            var response = answer.join();
            statuses.add(response.statusCode());
            assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
            identifiers.add(JSON.readTree(response.body()).get("identifier").asString());
        }
        assertThat(statuses).as("one issued, the others replayed").containsExactlyInAnyOrder(201, 200, 200);
        assertThat(identifiers).as("one licence").containsOnly(identifiers.get(0));
        assertThat(jdbc.sql("SELECT count(*) FROM licence WHERE physical_number = :p").param("p", physical)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(sealServiceStamps()).as("sealed once").isEqualTo(stamps + perIssuance);
    }

    /** PostgreSQL refuses U+0000 in text: a reason or a CSV row holding one was a 500; it is the request's fault. */
    @Test
    void aNulCharacterInARequestsTextIsABadRequestNotA500() throws Exception {
        var issued = http.send(json("/api/v1/licences", JSON.writeValueAsString(businessLicence(
                "BL-" + UUID.randomUUID().toString().substring(0, 8)))), HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String identifier = JSON.readTree(issued.body()).get("identifier").asString();

        var suspension = http.send(json("/api/v1/licences/" + identifier + "/suspension", "{\"reason\":\"a\\u0000b\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(suspension, 400, "invalid-request");
        assertThat(status(identifier)).as("unchanged").isEqualTo("VALID");

        var csv = http.send(HttpRequest.newBuilder(uri("/api/v1/imports?type=" + SampleTypes.BUSINESS_LICENCE))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(
                        "holderName,holderNumber,physicalNumber\n\u0000Name,91350100M000100Y43,X-1\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(csv, 400, "invalid-request");
    }

    /**
     * A value of the wrong kind in a request's JSON (Jackson 3 refuses to read "abc" as a number or {} as a text) was a
     * 500: an issuer's type or licence, an officer's use of a consent.
     */
    @Test
    void aJsonValueOfTheWrongKindIsABadRequestNotA500() throws Exception {
        String type = "{\"code\":\"11410000MB00001749099\",\"name\":\"x\",\"fieldsSchema\":{\"type\":\"object\"},"
                + "\"template\":{\"title\":\"x\"},\"sealId\":\"sample-agency-seal\",\"validityYears\":\"five\"}";
        assertProblem(http.send(json("/api/v1/licence-types", type), HttpResponse.BodyHandlers.ofString()), 400,
                "invalid-request");
        var licence = new LinkedHashMap<>(businessLicence("BL-" + UUID.randomUUID().toString().substring(0, 8)));
        licence.put("validFrom", Map.of());
        assertProblem(http.send(json("/api/v1/licences", JSON.writeValueAsString(licence)),
                HttpResponse.BodyHandlers.ofString()), 400, "invalid-request");
        assertProblem(http.send(HttpRequest.newBuilder(uri("/api/v1/uses")).header("Content-Type", "application/json")
                .header("X-Dev-Roles", "officer").header("X-Dev-Office", "11410000MB00001749")
                .POST(HttpRequest.BodyPublishers.ofString("{\"consent\":{},\"purpose\":\"x\",\"caseNumber\":\"1\"}"))
                .build(), HttpResponse.BodyHandlers.ofString()), 400, "invalid-request");
    }

    /**
     * An issuer (one role, one office) defines a type whose field pattern backtracks exponentially (a backreference
     * after a nested quantifier; the JDK's regex has no time limit) and issues against it: each issuance held a
     * thread of the licence service for as long as the pattern took (2^n: a 40-character value, hours), so a few
     * dozen requests, or one bulk import, stopped the service. A pattern now has 100 ms for one value.
     */
    @Test
    void aFieldPatternThatBacktracksForHoursIsCutShort() throws Exception {
        String type = "{\"code\":\"11410000MB00001749097\",\"name\":\"回溯\",\"sealId\":\"sample-agency-seal\","
                + "\"template\":{\"title\":\"回溯证\"},\"fieldsSchema\":{\"type\":\"object\",\"properties\":"
                + "{\"note\":{\"type\":\"string\",\"pattern\":\"^(a*)*(\\\\1)$\"}}}}";
        var defined = http.send(json("/api/v1/licence-types", type), HttpResponse.BodyHandlers.ofString());
        assertThat(defined.statusCode()).as(defined.body()).isEqualTo(201);
        var licence = new LinkedHashMap<>(businessLicence("RX-" + UUID.randomUUID().toString().substring(0, 8)));
        licence.put("type", "11410000MB00001749097");
        licence.put("fields", Map.of("note", "a".repeat(40) + "!"));
        long started = System.nanoTime();
        var issued = http.send(HttpRequest.newBuilder(uri("/api/v1/licences")).header("Content-Type", "application/json")
                .timeout(java.time.Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(licence))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(issued, 422, "invalid-licence-fields");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
        // an ordinary value of the same pattern still fits
        licence.put("physicalNumber", "RX-" + UUID.randomUUID().toString().substring(0, 8));
        licence.put("fields", Map.of("note", "aaaa"));
        var fits = http.send(json("/api/v1/licences", JSON.writeValueAsString(licence)), HttpResponse.BodyHandlers.ofString());
        assertThat(fits.statusCode()).as(fits.body()).isEqualTo(201);
    }

    /**
     * A 加注件 is for one office, and the holder names that office in their own words: a consent to office X's code
     * named "某市公安局" gave X's officer a copy sealed by the issuing agency that read "仅供…使用，某市公安局，有效期至…",
     * one to show at the police as made for them. The sealed annotation now carries the code of the office that
     * obtained the copy (the one its officer's sign-in proves), PDF and OFD.
     */
    @Test
    void aSealedCopyNamesTheCodeOfTheOfficeThatObtainedItNotOnlyTheHoldersWordsForIt() throws Exception {
        String holder = "91350100M000100Y43";
        String office = "11430000006122244L";
        var issued = http.send(json("/api/v1/licences", JSON.writeValueAsString(businessLicence(
                "BL-" + UUID.randomUUID().toString().substring(0, 8)))), HttpResponse.BodyHandlers.ofString());
        String identifier = JSON.readTree(issued.body()).get("identifier").asString();
        var consent = http.send(HttpRequest.newBuilder(uri("/api/v1/holder/licences/" + identifier + "/consents"))
                .header("Content-Type", "application/json").header("X-Dev-Holder", holder)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("office", "某市公安局",
                        "officeCode", office, "purpose", "办理开户", "fields", List.of(), "days", 7)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);
        String use = "{\"consent\":\"" + JSON.readTree(consent.body()).get("id").asString()
                + "\",\"purpose\":\"办理开户\",\"caseNumber\":\"开户-1\",\"copy\":true";
        for (String format : new String[] {"PDF", "OFD"}) {
            var copy = http.send(HttpRequest.newBuilder(uri("/api/v1/uses")).header("Content-Type", "application/json")
                    .header("X-Dev-Roles", "officer").header("X-Dev-Office", office)
                    .POST(HttpRequest.BodyPublishers.ofString(use + ",\"copyFormat\":\"" + format + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(copy.statusCode()).as(new String(copy.body())).isEqualTo(200);
            String annotation = format.equals("PDF") ? pdfCopyReason(copy.body())
                    : new cn.yinxin.core.ofd.OfdReader().read(copy.body()).customData()
                    .get(cn.yinxin.core.ofd.verify.OfdCopies.ANNOTATION);
            assertThat(annotation).as(format).contains("某市公安局（" + office + "）").contains("有效期至");
        }
    }

    /** The reason the copy's seal signed: "加注件：" and the annotation. */
    private static String pdfCopyReason(byte[] pdf) throws Exception {
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            return document.getLastSignatureDictionary().getReason();
        }
    }

    /**
     * A renewal is from today; one whose validUntil was already past was issued (201) as an EXPIRED version 2 that
     * superseded the valid version 1: the holder's valid licence gone by a typing error. Refused as at issuance.
     */
    @Test
    void aRenewalEndingBeforeItStartsIsRefusedAndTheLicenceStaysValid() throws Exception {
        var issued = http.send(json("/api/v1/licences", JSON.writeValueAsString(businessLicence(
                "BL-" + UUID.randomUUID().toString().substring(0, 8)))), HttpResponse.BodyHandlers.ofString());
        String identifier = JSON.readTree(issued.body()).get("identifier").asString();
        var renewal = http.send(json("/api/v1/licences/" + identifier + "/renewal", "{\"validUntil\":\"2001-01-01\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(renewal, 400, "invalid-request");
        assertThat(status(identifier)).isEqualTo("VALID");
    }

    private String status(String identifier) throws Exception {
        var answer = http.send(HttpRequest.newBuilder(uri("/api/v1/licences/" + identifier + "/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode status = JSON.readTree(answer.body());
        return status.get("status").asString();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String problem) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("urn:yinxin:problem:" + problem);
    }

    private static long sealServiceStamps() throws Exception {
        try (var connection = DriverManager.getConnection(TestDatabase.jdbcUrl(SEAL_DATABASE));
             var rows = connection.createStatement().executeQuery("SELECT count(*) FROM stamp_record")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private HttpRequest json(String path, String body) {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static Map<String, Object> businessLicence(String physical) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("type", SampleTypes.BUSINESS_LICENCE);
        request.put("holder", Map.of("kind", "ORGANISATION", "name", "湖南某某餐饮管理有限公司", "number", "91350100M000100Y43"));
        request.put("fields", Map.of("companyType", "有限责任公司（自然人投资或控股）", "legalRepresentative", "张三",
                "registeredCapital", "100万元人民币", "establishedOn", "2020-05-01", "address", "河南省郑州市金水区某路1号",
                "businessScope", "餐饮服务；食品销售。"));
        request.put("physicalNumber", physical);
        request.put("validFrom", "2020-05-01");
        return request;
    }

    /**
     * Anyone: an address above the root (the seventh team's open item, found at the seal service) was answered by
     * Tomcat with its HTML page here too; now a problem document (service-common's ProblemReportValve).
     */
    @Test
    void anAddressAboveTheRootIsAProblemDocumentNotTomcatsPage() throws Exception {
        for (String target : new String[] {"/api/v1/licences/..%2F..%2F..%2Fetc/passwd", "/../etc/passwd"}) {
            RawHttp.Answer answer = RawHttp.get(port, target);
            assertThat(answer.status()).as(target + "\n" + answer.headers() + "\n" + answer.body()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(target).startsWith("application/problem+json");
            assertThat(JSON.readTree(answer.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:invalid-request");
            assertThat(answer.body()).doesNotContain("passwd");
        }
    }
}
