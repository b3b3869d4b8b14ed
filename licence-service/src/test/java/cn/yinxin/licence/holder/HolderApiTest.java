package cn.yinxin.licence.holder;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.licence.types.SampleTypes;
import cn.yinxin.testing.SealServiceExtension;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The holder's pages and sharing end to end, with the real seal service (its jar) sealing at B-T against a TSA
 * and a real OCSP responder: my licences, 亮证 presentation codes (once only, expiry, live status), consents and
 * an office's uses (only the consented fields; a 加注件 that our verifier judges valid and that names the purpose).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the licence service (Spring Boot), a seal service process, an embedded PostgreSQL")
class HolderApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final TestTsa tsa = tsa();
    @RegisterExtension
    static final SealServiceExtension seals = new SealServiceExtension("seal_for_holder", revocation.keystores(),
            tsa.url());

    /** A person's resident ID: the holder of the driving permits issued here. */
    private static final String PERSON = "11010519491231002X";
    private static final String COMPANY = "91350100M000100Y43";
    private static final String OFFICE = "11430000006122244L";
    private static final String OTHER_OFFICE = COMPANY;
    /** The office's case the uses serve (用证事由: purpose and case number). */
    private static final String CASE = "车管〔2026〕18号";

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    cn.yinxin.service.audit.AuditLog audit;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("licence_holder"));
        registry.add("yinxin.licence.seal-service-url", seals::url);
        registry.add("yinxin.licence.public-url", () -> "https://licences.example.gov.cn");
        registry.add("yinxin.licence.disclosure.per-officer", () -> "3");
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

    @Test
    void aHolderSeesOnlyTheirOwnLicencesAndTheirPdf() throws Exception {
        String permit = issuePermit();
        String business = issueBusiness();
        var mine = call("GET", "/api/v1/holder/licences", null, PERSON, null);
        assertThat(mine.statusCode()).isEqualTo(200);
        List<String> ids = JSON.readTree(mine.body()).valueStream().map(l -> l.get("identifier").asString()).toList();
        assertThat(ids).contains(permit).doesNotContain(business);

        var pdf = http.send(request("/api/v1/holder/licences/" + permit + "/pdf", PERSON, null).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(new String(pdf.body(), 0, 5)).isEqualTo("%PDF-");
        assertThat(call("GET", "/api/v1/holder/licences/" + business + "/pdf", null, PERSON, null).statusCode())
                .as("another holder's licence").isEqualTo(404);
        // red team (issue 20): the OFD route is held to the holder's own licences as the PDF route is
        var othersOfd = call("GET", "/api/v1/holder/licences/" + business + "/ofd", null, PERSON, null);
        assertThat(othersOfd.statusCode()).as("another holder's licence OFD").isEqualTo(404);
        assertThat(problem(othersOfd)).isEqualTo("unknown-licence");
        assertThat(problem(call("GET", "/api/v1/holder/licences", null, null, null))).isEqualTo("not-signed-in");
        assertThat(call("GET", "/holder/index.html", null, null, null).body()).contains("亮证").contains("countdown");
        assertThat(call("GET", "/holder/", null, null, null).headers().firstValue("Location")).hasValue("/holder/index.html");
    }

    @Test
    void aPresentationVerifiesOnceThenIsReportedReplayed() throws Exception {
        String permit = issuePermit();
        JsonNode shown = present(permit, "{\"fields\":[\"vehicleClass\"],\"seconds\":120}");
        String code = shown.get("code").asString();
        assertThat(code).startsWith("YXP1:");
        assertThat(shown.get("png").asString()).startsWith("data:image/png;base64,");

        // offline, with the seal's certificate: the claims hold only what was chosen, and live 120 s
        SealKey seal = SealKey.fromPkcs12(revocation.keystores().resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        CwtClaims claims = new QrVerifier(Presentations.PREFIX, QrVerifier.SignerDirectory.of(List.of(seal.certificate())),
                Clock.systemUTC(), Duration.ZERO).verify(code).claims();
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt())).isEqualTo(Duration.ofSeconds(120));
        assertThat(claims.get(CwtClaims.CTI)).isInstanceOf(byte[].class);
        assertThat(claims.status()).isNotNull();

        JsonNode first = verify(code);
        assertThat(first.get("verdict").asString()).as(first.toString()).isEqualTo("VALID");
        assertThat(first.get("licence").get("identifier").asString()).isEqualTo(permit);
        assertThat(first.get("licence").get("holderName").asString()).isEqualTo("李四");
        assertThat(first.get("licence").get("holderNumber").asString()).isEqualTo("110105********002X");
        assertThat(fieldNames(first.get("licence").get("fields"))).containsExactly("vehicleClass");

        JsonNode second = verify(code);
        assertThat(second.get("verdict").asString()).isEqualTo("INVALID");
        assertThat(second.get("replayed").asBoolean()).isTrue();
        assertThat(second.get("reason").asString()).contains("Replayed");

        assertThat(call("POST", "/api/v1/holder/licences/" + permit + "/presentations", "{\"seconds\":301}", PERSON, null)
                .statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/holder/licences/" + permit + "/presentations", "{}", COMPANY, null)
                .statusCode()).as("not the holder").isEqualTo(404);
        JsonNode forged = verify(code.substring(0, code.length() - 4) + "AAAA");
        assertThat(forged.get("verdict").asString()).isEqualTo("INVALID");
        assertThat(verify(SampleLicenceCode.of(permit, this)).get("verdict").asString())
                .as("a printed licence code is not a presentation").isEqualTo("INVALID");
    }

    /**
     * Red team 5: a licence issued ahead of its start (validFrom next month) is NOT_YET_VALID to every verifier (red
     * team 4), but 亮证 read the stored status: the holder was given a presentation code and its scan answered VALID,
     * "licence valid now"; an office using a consent was given the data with status VALID. Both follow the live
     * status now.
     */
    @Test
    void aLicenceNotInForceYetCannotBeShownAsValid() throws Exception {
        String permit = issuePermit(LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusMonths(1));
        // the holder's own list says so too (it showed the stored VALID)
        var mine = JSON.readTree(call("GET", "/api/v1/holder/licences", null, PERSON, null).body());
        assertThat(mine.valueStream().filter(l -> l.get("identifier").asString().equals(permit))
                .map(l -> l.get("status").asString()).toList()).containsExactly("NOT_YET_VALID");
        // and an officer reading it, or having its holder's data disclosed, decides from the live status
        assertThat(JSON.readTree(asOfficer("GET", "/api/v1/licences/" + permit, null, "officer-zhao", OFFICE).body())
                .get("status").asString()).isEqualTo("NOT_YET_VALID");
        var disclosed = asOfficer("POST", "/api/v1/licences/" + permit + "/disclosures",
                "{\"purpose\":\"路面检查\",\"caseNumber\":\"" + CASE + "\"}", "officer-zhao", OFFICE);
        assertThat(disclosed.statusCode()).as(disclosed.body()).isEqualTo(200);
        assertThat(JSON.readTree(disclosed.body()).get("status").asString()).isEqualTo("NOT_YET_VALID");
        var shown = call("POST", "/api/v1/holder/licences/" + permit + "/presentations", "{\"fields\":[]}", PERSON, null);
        if (shown.statusCode() == 201) {
            JsonNode scanned = verify(JSON.readTree(shown.body()).get("code").asString());
            assertThat(scanned.get("verdict").asString()).as("scanned: " + scanned).isNotEqualTo("VALID");
        }
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(409);
        assertThat(problem(shown)).isEqualTo("licence-status-conflict");
        assertThat(shown.body()).contains("NOT_YET_VALID");

        // an office using the holder's consent is given nothing that reads as a licence in force
        var granted = call("POST", "/api/v1/holder/licences/" + permit + "/consents", JSON.writeValueAsString(Map.of(
                "office", "某市公安局交通警察支队车辆管理所", "officeCode", OFFICE, "purpose", "办理机动车登记",
                "fields", List.of("vehicleClass"), "days", 7)), PERSON, null);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        var used = call("POST", "/api/v1/uses", "{\"consent\":\"" + JSON.readTree(granted.body()).get("id").asString()
                + "\",\"purpose\":\"办理机动车登记\",\"caseNumber\":\"" + CASE + "\"}", null, OFFICE);
        assertThat(used.statusCode()).as(used.body()).isEqualTo(403);
        assertThat(problem(used)).isEqualTo("consent-refused");
        assertThat(used.body()).contains("NOT_YET_VALID");
    }

    @Test
    void anExpiredPresentationAndOneOfASuspendedLicenceAreRefused() throws Exception {
        String permit = issuePermit();
        String quick = present(permit, "{\"fields\":[],\"seconds\":1}").get("code").asString();
        // time itself must pass: a presentation expires by the licence service's system clock (no clock to inject)
        Thread.sleep(2100);
        JsonNode expired = verify(quick);
        assertThat(expired.get("verdict").asString()).isEqualTo("INVALID");
        assertThat(expired.get("problem").asString()).isEqualTo("urn:yinxin:problem:qr-expired");

        String shown = present(permit, "{\"fields\":[\"vehicleClass\"],\"seconds\":300}").get("code").asString();
        assertThat(call("POST", "/api/v1/licences/" + permit + "/suspension", "{\"reason\":\"暂扣\"}", null, null)
                .statusCode()).isEqualTo(200);
        JsonNode suspended = verify(shown);
        assertThat(suspended.get("verdict").asString()).isEqualTo("INVALID");
        assertThat(suspended.get("reason").asString()).contains("SUSPENDED");
        assertThat(problem(call("POST", "/api/v1/holder/licences/" + permit + "/presentations", "{}", PERSON, null)))
                .isEqualTo("licence-status-conflict");
    }

    @Test
    void anOfficeGetsOnlyTheConsentedFieldsOrASealedCopyAndTheHolderSeesEveryUse() throws Exception {
        String permit = issuePermit();
        var granted = call("POST", "/api/v1/holder/licences/" + permit + "/consents", JSON.writeValueAsString(Map.of(
                "office", "某市公安局交通警察支队车辆管理所", "officeCode", OFFICE, "purpose", "办理机动车登记",
                "fields", List.of("vehicleClass"), "days", 7)), PERSON, null);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        String consent = JSON.readTree(granted.body()).get("id").asString();

        var data = call("POST", "/api/v1/uses", "{\"consent\":\"" + consent + "\",\"purpose\":\"办理机动车登记\",\"caseNumber\":\"" + CASE + "\"}", null, OFFICE);
        assertThat(data.statusCode()).as(data.body()).isEqualTo(200);
        JsonNode given = JSON.readTree(data.body());
        assertThat(fieldNames(given.get("fields"))).containsExactly("vehicleClass");
        assertThat(given.get("fields").get("vehicleClass").asString()).isEqualTo("C1");
        assertThat(given.get("holder").get("number").asString()).isEqualTo("110105********002X");

        var copy = http.send(request("/api/v1/uses", null, OFFICE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"consent\":\"" + consent + "\",\"purpose\":\"办理机动车登记\",\"caseNumber\":\"" + CASE + "\","
                        + "\"copy\":true}")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(copy.statusCode()).as(new String(copy.body())).isEqualTo(200);
        assertThat(copy.headers().firstValue("Copy-Expires")).isPresent();
        X509Certificate root = Pem.readFolder(revocation.keystores().resolve("trust")).get(0);
        PdfVerifier verifier = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5)));
        var report = verifier.verify(copy.body());
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).hasSize(1);
        // a 加注件 answers for the licence it carries (core AnnotatedCopyCheck): the verifier names it
        assertThat(report.licence().identifier()).isEqualTo(permit);
        assertThat(report.licence().explanation()).contains("加注件");
        try (var document = Loader.loadPDF(copy.body())) {
            String text = new PDFTextStripper().getText(document).replaceAll("\\s+", "");
            assertThat(text).contains("仅供办理机动车登记使用").contains("某市公安局交通警察支队车辆管理所").contains("有效期至");
            // the sealed original travels with the copy, its seal still valid
            var files = new PDDocumentNameDictionary(document.getDocumentCatalog()).getEmbeddedFiles().getNames();
            byte[] original = files.get("original-licence.pdf").getEmbeddedFile().toByteArray();
            var originalReport = verifier.verify(original);
            assertThat(originalReport.verdict()).as(originalReport.toString()).isEqualTo(Verdict.VALID);
        }

        // the same copy as an OFD: sealed with the type's GB/T 38540 seal, the sealed licence OFD attached
        var ofdCopy = http.send(request("/api/v1/uses", null, OFFICE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"consent\":\"" + consent + "\",\"purpose\":\"办理机动车登记\",\"caseNumber\":\"" + CASE + "\","
                        + "\"copy\":true,\"copyFormat\":\"OFD\"}")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ofdCopy.statusCode()).as(new String(ofdCopy.body())).isEqualTo(200);
        assertThat(ofdCopy.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/ofd");
        X509Certificate sealCa = Pem.readFolder(revocation.keystores().resolve("ca")).stream()
                .filter(c -> c.getSubjectX500Principal().getName().contains("CN=Yinxin Agency Seal CA")).findFirst().orElseThrow();
        var ofdVerifier = new cn.yinxin.core.ofd.verify.OfdVerifier(List.of(root), List.of(sealCa),
                new OnlineRevocationSource(Duration.ofSeconds(5))).withSealStatus(id -> "ACTIVE");
        var ofdReport = ofdVerifier.verify(ofdCopy.body());
        assertThat(ofdReport.verdict()).as(ofdReport.toString()).isEqualTo(Verdict.VALID);
        var copyDocument = new cn.yinxin.core.ofd.OfdReader().read(ofdCopy.body());
        assertThat(copyDocument.licence()).as("a copy is not the licence file").isNull();
        // its annotation (with the period of use) where a verifier reads it: a GB/T 38540 seal has no reason
        assertThat(copyDocument.customData().get(cn.yinxin.core.ofd.verify.OfdCopies.ANNOTATION))
                .startsWith("仅供办理机动车登记使用").contains("有效期至");
        String shown = String.join("", new String(copyDocument.pack().get(copyDocument.page(1).content()),
                java.nio.charset.StandardCharsets.UTF_8).split("<ofd:TextCode[^>]*>|</ofd:TextCode>(?s).*?(?=<ofd:TextCode|$)"));
        assertThat(shown.replaceAll("\\s+", "")).contains("仅供办理机动车登记使用").contains("某市公安局交通警察支队车辆管理所");
        byte[] originalOfd = copyDocument.pack().get("Doc_0/Attachs/original-licence.ofd");
        assertThat(originalOfd).as("the original, byte for byte").isEqualTo(http.send(request("/api/v1/holder/licences/"
                + permit + "/ofd", PERSON, null).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
        assertThat(ofdVerifier.verify(originalOfd).verdict()).isEqualTo(Verdict.VALID);
        assertThat(problem(call("POST", "/api/v1/uses", "{\"consent\":\"" + consent + "\",\"purpose\":\"办理机动车登记\",\"caseNumber\":\""
                + CASE + "\",\"copy\":true,\"copyFormat\":\"TIFF\"}", null, OFFICE))).isEqualTo("invalid-request");

        // a use names its case: without a case number, or with a purpose of 201 characters, it is refused (400)
        assertThat(problem(call("POST", "/api/v1/uses", "{\"consent\":\"" + consent + "\",\"purpose\":\"办理机动车登记\"}",
                null, OFFICE))).isEqualTo("purpose-invalid");
        assertThat(problem(call("POST", "/api/v1/uses", "{\"consent\":\"" + consent + "\",\"purpose\":\"" + "事".repeat(201)
                + "\",\"caseNumber\":\"" + CASE + "\"}", null, OFFICE))).isEqualTo("purpose-invalid");
        // refusals: another purpose, another office, no consent, an unknown one, after revocation
        assertThat(problem(call("POST", "/api/v1/uses", "{\"consent\":\"" + consent + "\",\"purpose\":\"其他\",\"caseNumber\":\"" + CASE + "\"}", null, OFFICE)))
                .isEqualTo("consent-refused");
        assertThat(problem(call("POST", "/api/v1/uses", "{\"consent\":\"" + consent + "\",\"purpose\":\"办理机动车登记\",\"caseNumber\":\"" + CASE + "\"}", null,
                OTHER_OFFICE))).isEqualTo("consent-refused");
        assertThat(problem(call("POST", "/api/v1/uses", "{\"purpose\":\"办理机动车登记\",\"caseNumber\":\"" + CASE + "\"}", null, OFFICE))).isEqualTo("consent-refused");
        assertThat(problem(call("POST", "/api/v1/uses", "{\"consent\":\"" + UUID.randomUUID() + "\",\"purpose\":\"办理机动车登记\",\"caseNumber\":\"" + CASE + "\"}",
                null, OFFICE))).isEqualTo("consent-refused");
        assertThat(problem(call("DELETE", "/api/v1/holder/consents/" + consent, null, COMPANY, null))).as("not theirs")
                .isEqualTo("not-found");
        var revoked = call("DELETE", "/api/v1/holder/consents/" + consent, null, PERSON, null);
        assertThat(JSON.readTree(revoked.body()).get("status").asString()).isEqualTo("REVOKED");
        var after = call("POST", "/api/v1/uses", "{\"consent\":\"" + consent + "\",\"purpose\":\"办理机动车登记\",\"caseNumber\":\"" + CASE + "\"}", null, OFFICE);
        assertThat(after.statusCode()).isEqualTo(403);
        assertThat(after.body()).contains("revoked");

        JsonNode uses = JSON.readTree(call("GET", "/api/v1/holder/uses", null, PERSON, null).body());
        List<JsonNode> ofThis = uses.valueStream().filter(u -> u.get("consent").asString().equals(consent)).toList();
        assertThat(ofThis).hasSize(3);
        assertThat(ofThis).allSatisfy(u -> {
            assertThat(u.get("officeCode").asString()).isEqualTo(OFFICE);
            assertThat(u.get("purpose").asString()).isEqualTo("办理机动车登记");
            assertThat(u.get("caseNumber").asString()).isEqualTo(CASE);
            assertThat(u.get("kind").asString()).isEqualTo("CONSENT");
        });
        assertThat(ofThis.get(0).get("given").asString()).contains("加注件, OFD");
        assertThat(ofThis.get(1).get("given").asString()).contains("加注件, PDF");
        assertThat(ofThis.get(2).get("given").asString()).contains("vehicleClass");
        JsonNode otherUses = JSON.readTree(call("GET", "/api/v1/holder/uses", null, COMPANY, null).body());
        assertThat(otherUses.valueStream().noneMatch(u -> u.get("consent").asString().equals(consent))).isTrue();
    }

    @Test
    void anOfficerSeesAHoldersFullDataOnlyWithAPurposeAndTheHolderSeesTheLookUp() throws Exception {
        String permit = issuePermit();
        String path = "/api/v1/licences/" + permit + "/disclosures";
        // by identifier alone an officer gets the licence with the holder masked (and no QR text, whose claims name them)
        JsonNode plain = JSON.readTree(asOfficer("GET", "/api/v1/licences/" + permit, null, "officer-wang", OFFICE).body());
        assertThat(plain.get("holder").get("name").asString()).isEqualTo("李*");
        assertThat(plain.get("holder").get("number").asString()).isEqualTo("110105********002X");
        assertThat(plain.get("holder").has("identityNumber")).isFalse();
        assertThat(plain.has("qr")).isFalse();
        assertThat(plain.toString()).doesNotContain(PERSON).doesNotContain("李四");

        // no purpose, no case number, a purpose too long, a line break: 400 purpose-invalid, nothing recorded
        assertThat(problem(asOfficer("POST", path, null, "officer-wang", OFFICE))).isEqualTo("purpose-invalid");
        assertThat(problem(asOfficer("POST", path, "{\"purpose\":\"交通违法处理\"}", "officer-wang", OFFICE)))
                .isEqualTo("purpose-invalid");
        assertThat(problem(asOfficer("POST", path, "{\"purpose\":\" \",\"caseNumber\":\"" + CASE + "\"}", "officer-wang",
                OFFICE))).isEqualTo("purpose-invalid");
        assertThat(problem(asOfficer("POST", path, "{\"purpose\":\"" + "查".repeat(201) + "\",\"caseNumber\":\"" + CASE
                + "\"}", "officer-wang", OFFICE))).isEqualTo("purpose-invalid");
        assertThat(problem(asOfficer("POST", path, "{\"purpose\":\"交通违法处理\",\"caseNumber\":\"A\\nB\"}", "officer-wang",
                OFFICE))).isEqualTo("purpose-invalid");
        // an officer whose sign-in names no office, and a citizen, get nothing
        String purpose = "{\"purpose\":\"交通违法处理，核实驾驶人身份\",\"caseNumber\":\"" + CASE + "\"}";
        assertThat(problem(asOfficer("POST", path, purpose, "officer-wang", null))).isEqualTo("access-denied");
        var citizen = http.send(request(path, PERSON, null).header("X-Dev-Roles", "citizen")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(purpose)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(citizen.statusCode()).isEqualTo(403);

        var disclosed = asOfficer("POST", path, purpose, "officer-wang", OFFICE);
        assertThat(disclosed.statusCode()).as(disclosed.body()).isEqualTo(200);
        JsonNode holder = JSON.readTree(disclosed.body()).get("holder");
        assertThat(holder.get("name").asString()).isEqualTo("李四");
        assertThat(holder.get("identityNumber").asString()).isEqualTo(PERSON);

        // in the audit chain, with who, office, purpose and case
        var entries = audit.about(cn.yinxin.licence.licences.Licences.subject(permit)).stream()
                .filter(e -> e.action().equals("licence.disclose")).toList();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).actor()).contains("officer-wang");
        assertThat(entries.get(0).details()).contains("office=" + OFFICE).contains("purpose=交通违法处理，核实驾驶人身份")
                .contains("case=" + CASE);

        // and on the holder's page, beside the uses under consents
        JsonNode uses = JSON.readTree(call("GET", "/api/v1/holder/uses", null, PERSON, null).body());
        List<JsonNode> lookUps = uses.valueStream().filter(u -> u.get("identifier").asString().equals(permit)).toList();
        assertThat(lookUps).hasSize(1);
        assertThat(lookUps.get(0).get("kind").asString()).isEqualTo("OFFICER_LOOKUP");
        assertThat(lookUps.get(0).get("officer").asString()).contains("officer-wang");
        assertThat(lookUps.get(0).get("officeCode").asString()).isEqualTo(OFFICE);
        assertThat(lookUps.get(0).get("purpose").asString()).isEqualTo("交通违法处理，核实驾驶人身份");
        assertThat(lookUps.get(0).get("caseNumber").asString()).isEqualTo(CASE);
        assertThat(lookUps.get(0).get("usedAt").asString()).isNotBlank();
        assertThat(call("GET", "/holder/index.html", null, null, null).body()).contains("用证事由").contains("执法查询");
    }

    @Test
    void anOfficersViewLeavesOutWhatCompletesTheNumberAndAnIssuerOfAnotherOfficeWhoIsAlsoAnOfficerReadsNoMore()
            throws Exception {
        String permit = issuePermit();
        var officer = asOfficer("GET", "/api/v1/licences/" + permit, null, "officer-zhao", OFFICE);
        assertThat(officer.statusCode()).as(officer.body()).isEqualTo(200);
        JsonNode seen = JSON.readTree(officer.body());
        // the type's fields (a birth date among them) would complete the masked resident ID number
        assertThat(seen.has("fields")).isFalse();
        assertThat(seen.get("holder").has("identityNumber")).isFalse();
        assertThat(officer.body()).doesNotContain(PERSON);

        // an account holding both roles, of another office: no full data, no fields (red team of issue 18)
        var both = http.send(request("/api/v1/licences/" + permit, null, OFFICE)
                .header("X-Dev-Roles", "officer,licence-issuer").header("X-Dev-Client", "clerk-of-two-roles")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(both.statusCode()).as(both.body()).isEqualTo(200);
        assertThat(both.body()).doesNotContain(PERSON);
        assertThat(JSON.readTree(both.body()).has("fields")).isFalse();
    }

    @Test
    void anOfficerGetsAtMostTheConfiguredNumberOfDisclosuresAWindow() throws Exception {
        String permit = issuePermit();
        String path = "/api/v1/licences/" + permit + "/disclosures";
        String purpose = "{\"purpose\":\"路面检查\",\"caseNumber\":\"" + CASE + "\"}";
        for (int i = 0; i < 3; i++) { // this test's limit: yinxin.licence.disclosure.per-officer=3
            assertThat(asOfficer("POST", path, purpose, "officer-busy", OFFICE).statusCode()).isEqualTo(200);
        }
        var fourth = asOfficer("POST", path, purpose, "officer-busy", OFFICE);
        assertThat(fourth.statusCode()).isEqualTo(429);
        assertThat(problem(fourth)).isEqualTo("disclosure-limit");
        assertThat(fourth.body()).doesNotContain(PERSON);
        // the same officer signing in through another client is the same person
        assertThat(asOfficer("POST", path, purpose, "officer-busy-via-cli", OFFICE).statusCode()).isEqualTo(429);
        // the limit is the officer's own: a colleague is not held back
        assertThat(asOfficer("POST", path, purpose, "officer-colleague", OFFICE).statusCode()).isEqualTo(200);
        long recorded = JSON.readTree(call("GET", "/api/v1/holder/uses", null, PERSON, null).body()).valueStream()
                .filter(u -> u.get("identifier").asString().equals(permit)).count();
        assertThat(recorded).as("the refused one is not a use").isEqualTo(4);
    }

    // ---- helpers

    /** A call as an officer (development login: only the officer role) of {@code office}, or of none. */
    private HttpResponse<String> asOfficer(String method, String path, String json, String client, String office)
            throws Exception {
        // each test officer is a person of their own (the limit counts a person, whichever client they use)
        var builder = request(path, null, office).header("X-Dev-Roles", "officer").header("X-Dev-Client", client)
                .header("X-Dev-Person-Id", client.replaceFirst("-via-.*", ""));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The printed licence QR text of a licence, read back through the licence API. */
    static final class SampleLicenceCode {
        static String of(String identifier, HolderApiTest test) throws Exception {
            return JSON.readTree(test.call("GET", "/api/v1/licences/" + identifier, null, null, null).body())
                    .get("qr").asString();
        }
    }

    private JsonNode present(String identifier, String body) throws Exception {
        var response = call("POST", "/api/v1/holder/licences/" + identifier + "/presentations", body, PERSON, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private JsonNode verify(String text) throws Exception {
        var response = call("POST", "/api/v1/presentations/verify", JSON.writeValueAsString(Map.of("text", text)), null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String issuePermit() throws Exception {
        return issuePermit(null);
    }

    private String issuePermit(LocalDate validFrom) throws Exception {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        if (validFrom != null) {
            request.put("validFrom", validFrom.toString());
        }
        request.put("type", SampleTypes.DRIVING_PERMIT);
        request.put("holder", Map.of("kind", "PERSON", "name", "李四", "number", PERSON));
        request.put("fields", Map.of("vehicleClass", "C1", "sex", "男", "birthDate", "1949-12-31", "firstIssued", "2010-03-15"));
        request.put("physicalNumber", "DP-" + UUID.randomUUID().toString().substring(0, 8));
        var response = call("POST", "/api/v1/licences", JSON.writeValueAsString(request), null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("identifier").asString();
    }

    private String issueBusiness() throws Exception {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("type", SampleTypes.BUSINESS_LICENCE);
        request.put("holder", Map.of("kind", "ORGANISATION", "name", "湖南某某餐饮管理有限公司", "number", COMPANY));
        request.put("fields", Map.of("companyType", "有限责任公司（自然人投资或控股）", "legalRepresentative", "张三",
                "registeredCapital", "100万元人民币", "establishedOn", "2020-05-01", "address", "河南省郑州市金水区某路1号",
                "businessScope", "餐饮服务；食品销售。"));
        request.put("physicalNumber", "BL-" + UUID.randomUUID().toString().substring(0, 8));
        request.put("validFrom", "2020-05-01");
        var response = call("POST", "/api/v1/licences", JSON.writeValueAsString(request), null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("identifier").asString();
    }

    private HttpRequest.Builder request(String path, String holder, String office) {
        var builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (holder != null) {
            builder.header("X-Dev-Holder", holder);
        }
        if (office != null) {
            builder.header("X-Dev-Office", office);
        }
        return builder;
    }

    HttpResponse<String> call(String method, String path, String json, String holder, String office) throws Exception {
        var builder = request(path, holder, office);
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.propertyNames().forEach(names::add);
        return names;
    }

    private static String problem(HttpResponse<String> response) {
        return JSON.readTree(response.body()).path("type").asString("(status " + response.statusCode() + ")")
                .replace("urn:yinxin:problem:", "");
    }
}
