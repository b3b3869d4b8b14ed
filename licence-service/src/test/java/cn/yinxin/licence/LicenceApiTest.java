package cn.yinxin.licence;

import cn.yinxin.core.licence.LicenceIdentifier;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.licence.licences.Licences;
import cn.yinxin.licence.status.StatusLists;
import cn.yinxin.licence.types.SampleTypes;
import cn.yinxin.testing.Commands;
import cn.yinxin.testing.DssJudge;
import cn.yinxin.testing.SealServiceExtension;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Licences end to end: the real licence service calls the real seal service (its jar, in a process of its own),
 * which seals at B-T with a TSA and is checked against a real OCSP responder; outside judges read the results
 * (EU DSS, pdfsig, zbarimg, ZXing).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the licence service (Spring Boot), a seal service process, an embedded PostgreSQL")
class LicenceApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final TestTsa tsa = tsa();
    @RegisterExtension
    static final SealServiceExtension seals = new SealServiceExtension("seal_for_licences", revocation.keystores(),
            tsa.url());

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Licences licences;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("licences"));
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

    @Test
    void aBusinessLicenceIsIssuedSealedWithAReadableSignedQrCodeAndJudgedValid(@TempDir Path dir) throws Exception {
        var response = issue(businessLicence("BL-" + UUID.randomUUID().toString().substring(0, 8), "91350100M000100Y43"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode licence = JSON.readTree(response.body());
        String identifier = licence.get("identifier").asString();
        var parsed = LicenceIdentifier.parse(identifier);
        assertThat(parsed.typeCode()).isEqualTo(SampleTypes.BUSINESS_LICENCE);
        assertThat(parsed.issuerCode()).isEqualTo(SamplePki.AGENCY_CODE);
        assertThat(parsed.version()).isEqualTo(1);

        byte[] pdf = get("/api/v1/licences/" + identifier + "/pdf").body();
        X509Certificate root = Pem.readFolder(revocation.keystores().resolve("trust")).get(0);
        var ours = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5)))
                .withLicenceStatus(this::liveStatus).verify(pdf);
        assertThat(ours.verdict()).as(ours.toString()).isEqualTo(Verdict.VALID);
        assertThat(ours.licence().identifier()).isEqualTo(identifier);
        assertThat(ours.licence().status()).isEqualTo("VALID");
        assertThat(ours.signatures().get(0).format()).isEqualTo("PAdES-BASELINE-T");
        var dss = DssJudge.validateOnline(pdf, root);
        assertThat(dss.indication()).as(dss.toString()).isEqualTo("TOTAL_PASSED");

        Path file = dir.resolve("licence.pdf");
        Files.write(file, pdf);
        assertThat(Commands.ok(file.getParent(), "pdfsig", file.toString())).contains("Signature is Valid");
        Commands.ok(file.getParent(), "pdftoppm", "-r", "150", "-png", "-singlefile", file.toString(),
                file.toString().replace(".pdf", ""));
        Path png = Path.of(file.toString().replace(".pdf", ".png"));
        String[] zbar = Commands.ok(file.getParent(), "zbarimg", "--raw", "-q", png.toString()).strip().split("\n");
        String code = zbar[zbar.length - 1];
        var image = ImageIO.read(png.toFile());
        // ZXing's reader for a page with more on it than the code: its single-code reader took a false finder
        // pattern on about one page in twelve (FormatException; the symbol was ZXing's own, zbarimg read it)
        var found = new QRCodeMultiReader().decodeMultiple(new BinaryBitmap(new HybridBinarizer(
                new BufferedImageLuminanceSource(image))), Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
        assertThat(found).hasSize(1);
        String zxing = found[0].getText();
        assertThat(zxing).isEqualTo(code).isEqualTo(licence.get("qr").asString());

        // offline: the seal's certificate (from the trust data) is all it takes
        SealKey seal = SealKey.fromPkcs12(revocation.keystores().resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        var claims = LicenceQr.from(new QrVerifier(List.of(seal.certificate()), Clock.systemUTC()).verify(code).claims());
        assertThat(claims.identifier()).isEqualTo(identifier);
        assertThat(claims.holderName()).isEqualTo("湖南某某餐饮管理有限公司");
        assertThat(claims.status().uri()).isEqualTo("https://licences.example.gov.cn/api/v1/status-lists/"
                + SamplePki.AGENCY_CODE + "/" + SampleTypes.BUSINESS_LICENCE);
        assertThat(claims.status().index()).isEqualTo(licence.get("statusIndex").asLong());
    }

    @Test
    void issuingIsIdempotentPerPhysicalNumberAndBadInputChangesNothing() throws Exception {
        String physical = "BL-" + UUID.randomUUID().toString().substring(0, 8);
        var first = issue(businessLicence(physical, "91350100M000100Y43"));
        var again = issue(businessLicence(physical, "91350100M000100Y43"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(JSON.readTree(again.body()).get("identifier").asString())
                .isEqualTo(JSON.readTree(first.body()).get("identifier").asString());
        long count = count();
        assertThat(problem(issue(businessLicence(physical, "11430000006122244L")))).isEqualTo("licence-exists");
        assertThat(problem(issue(businessLicence("BL-x1", "91350100M000100Y40")))).isEqualTo("invalid-holder");
        Map<String, Object> badFields = businessLicence("BL-x2", "91350100M000100Y43");
        badFields.put("fields", Map.of("companyType", "有限责任公司", "registeredCapital", "lots"));
        assertThat(problem(issue(badFields))).isEqualTo("invalid-licence-fields");
        Map<String, Object> unknown = businessLicence("BL-x3", "91350100M000100Y43");
        unknown.put("type", "11410000MB00001749999");
        assertThat(problem(issue(unknown))).isEqualTo("unknown-licence-type");
        assertThat(count()).isEqualTo(count);
    }

    @Test
    void theLifecycleShowsInTheStatusListAtOnce() throws Exception {
        var issued = JSON.readTree(issue(drivingPermit("DP-" + UUID.randomUUID().toString().substring(0, 8))).body());
        String id = issued.get("identifier").asString();
        int index = issued.get("statusIndex").asInt();
        assertThat(issued.get("holder").get("number").asString()).isEqualTo("110105********002X");
        assertThat(listValue(index)).isZero();

        assertThat(post("/api/v1/licences/" + id + "/suspension", "{\"reason\":\"暂扣: 交通违法\"}").statusCode()).isEqualTo(200);
        assertThat(listValue(index)).as("suspended").isEqualTo(2);
        assertThat(http.send(HttpRequest.newBuilder(uri("/api/v1/licences/" + id + "/suspension")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(listValue(index)).isZero();

        // renewal: a new version replaces this one
        var renewed = post("/api/v1/licences/" + id + "/renewal", "{\"validUntil\":\"" + LocalDate.now().plusYears(10) + "\"}");
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(201);
        JsonNode next = JSON.readTree(renewed.body());
        assertThat(next.get("version").asInt()).isEqualTo(2);
        assertThat(LicenceIdentifier.parse(next.get("identifier").asString()).serial()).isEqualTo(LicenceIdentifier.parse(id).serial());
        assertThat(listValue(index)).as("superseded").isEqualTo(1);
        assertThat(listValue(next.get("statusIndex").asInt())).isZero();
        JsonNode oldStatus = JSON.readTree(get("/api/v1/licences/" + id + "/status").body());
        assertThat(oldStatus.get("status").asString()).isEqualTo("SUPERSEDED");
        assertThat(oldStatus.get("supersededBy").asString()).isEqualTo(next.get("identifier").asString());

        String current = next.get("identifier").asString();
        assertThat(post("/api/v1/licences/" + current + "/revocation", "{\"reason\":\"吊销\"}").statusCode()).isEqualTo(200);
        assertThat(listValue(next.get("statusIndex").asInt())).isEqualTo(1);
        assertThat(post("/api/v1/licences/" + current + "/suspension", "{}").statusCode()).as("revocation is final").isEqualTo(409);
        // the revoked licence's PDF still carries a sound seal, but the verdict follows the live status
        X509Certificate root = Pem.readFolder(revocation.keystores().resolve("trust")).get(0);
        var report = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5)))
                .withLicenceStatus(this::liveStatus).verify(get("/api/v1/licences/" + current + "/pdf").body());
        assertThat(report.signatures().get(0).indication()).isEqualTo(cn.yinxin.core.pdf.verify.report.Indication.TOTAL_PASSED);
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(report.licence().status()).isEqualTo("REVOKED");

        // expiry at the end of validity
        var other = JSON.readTree(issue(drivingPermit("DP-" + UUID.randomUUID().toString().substring(0, 8))).body());
        jdbc.sql("UPDATE licence SET valid_until = :d WHERE identifier = :i").param("d", java.sql.Date.valueOf(LocalDate.now().minusDays(2)))
                .param("i", other.get("identifier").asString()).update();
        var another = JSON.readTree(issue(drivingPermit("DP-" + UUID.randomUUID().toString().substring(0, 8))).body());
        jdbc.sql("UPDATE licence SET valid_until = :d WHERE identifier = :i").param("d", java.sql.Date.valueOf(LocalDate.now().minusDays(1)))
                .param("i", another.get("identifier").asString()).update();
        // in batches, each its own transaction: the longest ended first, at most as many as asked
        assertThat(licences.expire(1)).containsExactly(other.get("identifier").asString());
        assertThat(licences.expire(1)).containsExactly(another.get("identifier").asString());
        assertThat(licences.expire(1)).isEmpty();
        assertThat(listValue(other.get("statusIndex").asInt())).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE subject = :s").param("s", "licence:" + id)
                .query(Long.class).single()).as("issue, suspend, restore, supersede").isEqualTo(4);
    }

    @Test
    void aLicencesFilesAreStoredWithoutAnotherCompressionAttempt() {
        // already compressed (Flate, PNG, ZIP): pglz cost ~1 ms of database CPU per file and saved nothing (V94)
        assertThat(jdbc.sql("""
                SELECT attname, attstorage FROM pg_attribute
                WHERE attrelid = 'licence'::regclass AND attname IN ('pdf', 'ofd') ORDER BY attname""")
                .query((rs, n) -> rs.getString(1) + "=" + rs.getString(2)).list()).containsExactly("ofd=e", "pdf=e");
    }

    @Test
    void theStatusListIsASignedCwtWithCachingHeaders() throws Exception {
        issue(drivingPermit("DP-" + UUID.randomUUID().toString().substring(0, 8)));
        var response = get("/api/v1/status-lists/" + SamplePki.AGENCY_CODE + "/" + SampleTypes.DRIVING_PERMIT);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/statuslist+cwt");
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("max-age=1800");
        String etag = response.headers().firstValue("ETag").orElseThrow();
        var notModified = http.send(HttpRequest.newBuilder(uri("/api/v1/status-lists/" + SamplePki.AGENCY_CODE + "/"
                + SampleTypes.DRIVING_PERMIT)).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(notModified.statusCode()).isEqualTo(304);
        SealKey seal = SealKey.fromPkcs12(revocation.keystores().resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        var verified = new QrVerifier(List.of(seal.certificate()), Clock.systemUTC()).verifyToken(response.body());
        assertThat(verified.claims().get(2)).isEqualTo("https://licences.example.gov.cn/api/v1/status-lists/"
                + SamplePki.AGENCY_CODE + "/" + SampleTypes.DRIVING_PERMIT);
        assertThat(verified.claims().get(StatusLists.TTL)).isNotNull();
    }

    /**
     * A register of 200,000 licences of one issuer and type (rows made with SQL, a tenth revoked and a twentieth
     * suspended at random): its status list is far past the 16 KiB that once stopped it at the seal service and the
     * verifier, and is signed and served with every entry as the rows say.
     */
    @Test
    void aStatusListOf200000LicencesIsSignedAndServed() throws Exception {
        String issuer = "11410000MB0000SCAL";
        jdbc.sql("""
                INSERT INTO licence (id, identifier, type_code, issuer_code, issuer_name, serial, version, holder_kind,
                    holder_name, holder_number, fields, physical_number, valid_from, status, status_changed_at,
                    status_index, qr_text, pdf, issued_by, issued_at)
                SELECT gen_random_uuid(), 'scale-' || i, :type, :issuer, '示例', 'S' || i, 1, 'PERSON', '张三',
                    '110105199001010000', '{}', 'SCALE-' || i, current_date,
                    CASE WHEN r < 0.05 THEN 'SUSPENDED' WHEN r < 0.15 THEN 'REVOKED' ELSE 'VALID' END, now(), i, 'x',
                    '\\x00'::bytea, 'test', now()
                FROM (SELECT i, random() AS r FROM generate_series(0, 199999) AS i) AS g""")
                .param("type", SampleTypes.DRIVING_PERMIT).param("issuer", issuer).update();
        jdbc.sql("INSERT INTO licence_counter (issuer_code, type_code, name, next_value) VALUES (:i, :t, 'status-index', 200000)")
                .param("i", issuer).param("t", SampleTypes.DRIVING_PERMIT).update();

        var response = get("/api/v1/status-lists/" + issuer + "/" + SampleTypes.DRIVING_PERMIT);
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        assertThat(response.body().length).isGreaterThan(16 * 1024);
        SealKey seal = SealKey.fromPkcs12(revocation.keystores().resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        var claims = new QrVerifier(List.of(seal.certificate()), Clock.systemUTC()).verifyToken(response.body(), 4 << 20)
                .claims();
        @SuppressWarnings("unchecked")
        Map<Object, Object> list = (Map<Object, Object>) claims.get(StatusLists.STATUS_LIST);
        var entries = cn.yinxin.core.qr.StatusList.decompress((byte[]) list.get("lst"), 2, 16 << 20);
        assertThat(entries.size()).isGreaterThanOrEqualTo(200_000);
        Map<Integer, String> rows = new java.util.HashMap<>();
        jdbc.sql("SELECT status_index, status FROM licence WHERE issuer_code = :i AND status_index % 997 = 0")
                .param("i", issuer).query((rs, n) -> rows.put(rs.getInt(1), rs.getString(2))).list();
        assertThat(rows).hasSizeGreaterThan(150);
        rows.forEach((index, status) -> assertThat(entries.get(index)).as("entry %d (%s)", index, status)
                .isEqualTo(switch (status) {
                    case "VALID" -> 0;
                    case "SUSPENDED" -> 2;
                    default -> 1;
                }));
    }

    /**
     * Red team 4: a licence issued today to begin in a month (validFrom ahead: a permit granted before its start).
     * Its PDF verified VALID, "licence valid now": the live status was the stored VALID. A clerk must not read a
     * licence not yet in force as valid; from its start it is.
     */
    @Test
    void aLicenceIssuedAheadOfItsStartIsNotValidBeforeIt() throws Exception {
        Map<String, Object> request = businessLicence("BL-" + UUID.randomUUID().toString().substring(0, 8),
                "91350100M000100Y43");
        request.put("validFrom", LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusMonths(1).toString());
        var response = issue(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String identifier = JSON.readTree(response.body()).get("identifier").asString();
        // the issuer's answer says what verifiers are told, not the stored VALID
        assertThat(JSON.readTree(response.body()).get("status").asString()).isEqualTo("NOT_YET_VALID");

        X509Certificate root = Pem.readFolder(revocation.keystores().resolve("trust")).get(0);
        var report = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5)))
                .withLicenceStatus(this::liveStatus).verify(get("/api/v1/licences/" + identifier + "/pdf").body());
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.licence().explanation()).contains("not in force yet");
        assertThat(liveStatus(identifier)).isEqualTo("NOT_YET_VALID");
    }

    /**
     * Red team 5: a licence whose last day is past (issued late, validUntil yesterday in China) stays VALID in the
     * registry until the hourly expiry marks it (LicenceExpiry: a minute after start, then every hour; never while it
     * fails). Until then its live status was VALID and its PDF verified "licence valid now". The live status says
     * EXPIRED from the day after its last day.
     */
    @Test
    void aLicencePastItsLastDayIsExpiredBeforeTheHourlyExpiryMarksIt() throws Exception {
        Map<String, Object> request = businessLicence("BL-" + UUID.randomUUID().toString().substring(0, 8),
                "91350100M000100Y43");
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        request.put("validFrom", today.minusYears(1).toString());
        request.put("validUntil", today.minusDays(1).toString());
        var response = issue(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String identifier = JSON.readTree(response.body()).get("identifier").asString();
        assertThat(JSON.readTree(response.body()).get("status").asString()).isEqualTo("EXPIRED");

        assertThat(liveStatus(identifier)).isEqualTo("EXPIRED");
        X509Certificate root = Pem.readFolder(revocation.keystores().resolve("trust")).get(0);
        var report = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5)))
                .withLicenceStatus(this::liveStatus).verify(get("/api/v1/licences/" + identifier + "/pdf").body());
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        // as the hourly expiry would: the lifecycle test counts the ended licences it expires
        while (!licences.expire(100).isEmpty()) {
            assertThat(liveStatus(identifier)).isEqualTo("EXPIRED");
        }
    }

    /**
     * Red team 5: the status-list route is public, and a list for any issuer string was built and signed with the
     * type's seal (an empty list "valid" for nobody): each request one seal-service signature and audit entry, each
     * list kept in the service's cache without bound. Only an issuer that issued licences of the type has a list.
     */
    @Test
    void aStatusListOfAnIssuerThatIssuedNothingIsNotSigned() throws Exception {
        for (String issuer : new String[] {"ANY-ISSUER-AT-ALL", "91110000000000000X"}) {
            var response = get("/api/v1/status-lists/" + issuer + "/" + SampleTypes.DRIVING_PERMIT);
            assertThat(response.statusCode()).as(issuer).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:not-found");
        }
    }

    // ---- helpers

    private String liveStatus(String identifier) throws Exception {
        var response = get("/api/v1/licences/" + identifier + "/status");
        return response.statusCode() == 404 ? null : JSON.readTree(response.body()).get("status").asString();
    }

    private int listValue(int index) throws Exception {
        var response = get("/api/v1/status-lists/" + SamplePki.AGENCY_CODE + "/" + SampleTypes.DRIVING_PERMIT);
        SealKey seal = SealKey.fromPkcs12(revocation.keystores().resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        var claims = new QrVerifier(List.of(seal.certificate()), Clock.systemUTC()).verifyToken(response.body()).claims();
        @SuppressWarnings("unchecked")
        Map<Object, Object> list = (Map<Object, Object>) claims.get(StatusLists.STATUS_LIST);
        byte[] lst = (byte[]) list.get("lst");
        var inflater = new java.util.zip.Inflater();
        inflater.setInput(lst);
        byte[] bits = new byte[1 << 16];
        int n = inflater.inflate(bits);
        inflater.end();
        return StatusLists.valueAt(java.util.Arrays.copyOf(bits, n), index);
    }

    /**
     * The national-standard licence file beside the PDF: the sample type issues both; the OFD carries the GB/T 36903
     * metadata, the same signed QR code as the PDF (drawn as vector modules; ZXing, an outside reader, decodes our
     * drawing of them), and a GB/T 38540 seal of the SM2 licence seal with a time-stamp that verifies against the
     * development root with the seal CA as the only intermediate given.
     */
    @Test
    void aLicenceIsIssuedAsAnOfdWithItsMetadataTheSameQrCodeAndANationalSeal() throws Exception {
        var response = issue(drivingPermit("DP-OFD-" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode licence = JSON.readTree(response.body());
        String identifier = licence.get("identifier").asString();
        assertThat(licence.get("files").toString()).isEqualTo("[\"PDF\",\"OFD\"]");
        assertThat(licence.get("ofd").asString()).isEqualTo("/api/v1/licences/" + identifier + "/ofd");

        var file = get("/api/v1/licences/" + identifier + "/ofd");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/ofd");
        assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).contains(identifier + ".ofd");
        byte[] ofd = file.body();
        var document = new cn.yinxin.core.ofd.OfdReader().read(ofd);
        var metadata = document.licence();
        assertThat(metadata.identifier()).isEqualTo(identifier);
        assertThat(metadata.typeCode()).isEqualTo(SampleTypes.DRIVING_PERMIT);
        assertThat(metadata.holderName()).isEqualTo("李四");
        assertThat(metadata.holderCode()).isEqualTo("11010519491231002X");
        assertThat(metadata.holderCodeType()).isEqualTo("111");
        assertThat(metadata.issuerCode()).isEqualTo(SamplePki.AGENCY_CODE);
        assertThat(metadata.validUntil()).isNotNull();
        assertThat(document.signatures()).hasSize(1);
        assertThat(new String(document.pack().get(document.page(1).content()), java.nio.charset.StandardCharsets.UTF_8))
                .contains("驾驶许可").contains("李四");

        String drawn = OfdQr.decode(document.pack().get(document.page(1).content()));
        assertThat(drawn).isEqualTo(licence.get("qr").asString());

        X509Certificate root = Pem.readFolder(revocation.keystores().resolve("trust")).get(0);
        X509Certificate sealCa = Pem.readFolder(revocation.keystores().resolve("ca")).stream()
                .filter(c -> c.getSubjectX500Principal().getName().contains("CN=Yinxin Agency Seal CA")).findFirst().orElseThrow();
        var report = new cn.yinxin.core.ofd.verify.OfdVerifier(List.of(root), List.of(sealCa),
                new OnlineRevocationSource(Duration.ofSeconds(5))).withSealStatus(id -> "ACTIVE").verify(ofd);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).format()).isEqualTo("OFD GB/T 38540 seal with time-stamp");
        assertThat(report.signatures().get(0).seal().name()).contains("电子证照专用章");

        // a changed byte in the drawn page is seen by the seal (outside the package's own ZIP check)
        var pack = document.pack();
        String page = document.page(1).content();
        String changed = new String(pack.get(page), java.nio.charset.StandardCharsets.UTF_8).replace("李四", "王五");
        byte[] forged = pack.with(page, changed.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toZip();
        var forgedReport = new cn.yinxin.core.ofd.verify.OfdVerifier(List.of(root), List.of(sealCa), null)
                .withSealStatus(id -> "ACTIVE").verify(forged);
        assertThat(forgedReport.verdict()).isNotEqualTo(Verdict.VALID);
    }

    /**
     * A type issues the files it names: OFD only gives no PDF (404 licence-file-not-issued, not a 500); OFD needs an
     * SM2 seal with a GB/T 38540 seal (a P-256 seal is refused), and a PDF-only type's licence has no OFD.
     */
    @Test
    void aTypeIssuesTheFilesItNamesAndAnOfdNeedsANationalSeal() throws Exception {
        String office = SamplePki.AGENCY_CODE;
        String code = office + String.format("%03d", 100 + new java.util.Random().nextInt(800));
        Map<String, Object> type = new java.util.LinkedHashMap<>();
        type.put("code", code);
        type.put("name", "测试许可");
        type.put("fieldsSchema", Map.of("type", "object", "properties", Map.of()));
        type.put("template", Map.of("title", "测试许可"));
        type.put("sealId", SamplePki.SEAL_ID);
        type.put("formats", List.of("OFD"));
        var noSeal = post("/api/v1/licence-types", JSON.writeValueAsString(type));
        assertThat(noSeal.statusCode()).as(noSeal.body()).isEqualTo(400);
        assertThat(noSeal.body()).contains("ofdSealId");
        type.put("ofdSealId", SamplePki.SEAL_ID);
        var p256 = post("/api/v1/licence-types", JSON.writeValueAsString(type));
        assertThat(p256.statusCode()).as(p256.body()).isEqualTo(400);
        assertThat(p256.body()).contains("GB/T 38540");
        type.put("formats", List.of("OFD", "TIFF"));
        assertThat(post("/api/v1/licence-types", JSON.writeValueAsString(type)).statusCode()).isEqualTo(400);

        type.put("formats", List.of("OFD"));
        type.put("ofdSealId", SamplePki.LICENCE_SEAL_ID);
        var defined = post("/api/v1/licence-types", JSON.writeValueAsString(type));
        assertThat(defined.statusCode()).as(defined.body()).isEqualTo(201);
        assertThat(JSON.readTree(defined.body()).get("formats").toString()).isEqualTo("[\"OFD\"]");
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("type", code);
        request.put("holder", Map.of("kind", "PERSON", "name", "赵六", "number", "11010519491231002X"));
        request.put("fields", Map.of());
        request.put("physicalNumber", "T-" + UUID.randomUUID().toString().substring(0, 8));
        var issued = issue(request);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String identifier = JSON.readTree(issued.body()).get("identifier").asString();
        assertThat(JSON.readTree(issued.body()).has("pdf")).isFalse();
        var pdf = get("/api/v1/licences/" + identifier + "/pdf");
        assertThat(pdf.statusCode()).isEqualTo(404);
        assertThat(new String(pdf.body())).contains("licence-file-not-issued");
        assertThat(get("/api/v1/licences/" + identifier + "/ofd").statusCode()).isEqualTo(200);

        type.put("code", office + String.format("%03d", 900 + new java.util.Random().nextInt(99)));
        type.remove("formats");
        type.remove("ofdSealId");
        var pdfOnly = post("/api/v1/licence-types", JSON.writeValueAsString(type));
        assertThat(pdfOnly.statusCode()).as(pdfOnly.body()).isEqualTo(201);
        assertThat(JSON.readTree(pdfOnly.body()).get("formats").toString()).isEqualTo("[\"PDF\"]");
        request.put("type", type.get("code"));
        request.put("physicalNumber", "T-" + UUID.randomUUID().toString().substring(0, 8));
        String pdfLicence = JSON.readTree(issue(request).body()).get("identifier").asString();
        var noOfd = get("/api/v1/licences/" + pdfLicence + "/ofd");
        assertThat(noOfd.statusCode()).isEqualTo(404);
        assertThat(new String(noOfd.body())).contains("licence-file-not-issued");
    }

    private static Map<String, Object> businessLicence(String physical, String uscc) {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("type", SampleTypes.BUSINESS_LICENCE);
        request.put("holder", Map.of("kind", "ORGANISATION", "name", "湖南某某餐饮管理有限公司", "number", uscc));
        request.put("fields", Map.of("companyType", "有限责任公司（自然人投资或控股）", "legalRepresentative", "张三",
                "registeredCapital", "100万元人民币", "establishedOn", "2020-05-01", "address", "河南省郑州市金水区某路1号",
                "businessScope", "餐饮服务；食品销售。"));
        request.put("physicalNumber", physical);
        request.put("validFrom", "2020-05-01");
        return request;
    }

    private static Map<String, Object> drivingPermit(String physical) {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("type", SampleTypes.DRIVING_PERMIT);
        request.put("holder", Map.of("kind", "PERSON", "name", "李四", "number", "11010519491231002X"));
        request.put("fields", Map.of("vehicleClass", "C1", "sex", "男", "birthDate", "1949-12-31", "firstIssued", "2010-03-15"));
        request.put("physicalNumber", physical);
        return request;
    }

    private HttpResponse<String> issue(Map<String, Object> request) throws Exception {
        return post("/api/v1/licences", JSON.writeValueAsString(request));
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String problem(HttpResponse<String> response) {
        return JSON.readTree(response.body()).path("type").asString("(status " + response.statusCode() + ")")
                .replace("urn:yinxin:problem:", "");
    }

    private long count() {
        return jdbc.sql("SELECT count(*) FROM licence").query(Long.class).single();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
