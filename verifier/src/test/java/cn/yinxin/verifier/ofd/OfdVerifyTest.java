package cn.yinxin.verifier.ofd;

import cn.yinxin.testing.OfdTestPki;
import cn.yinxin.verifier.SealServiceStub;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.VerifierVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/v1/verify/ofd over real HTTP: OFDs sealed with an SM2 seal of {@link OfdTestPki}, whose CA the verifier
 * knows only from the seal service's published chain (stub) and whose root is in its trust folder.
 */
class OfdVerifyTest {

    private static Vertx vertx;
    private static OfdTestPki pki;
    private static SealServiceStub sealService;
    private static VerifierVerticle verticle;
    /** The same trust folder, but no seal service: it knows no CA between the seal's certificates and the root. */
    private static VerifierVerticle withoutSeals;
    /** No seal service, a trust folder with the root and the CA (as the CLI's offline): it confirms seals alone. */
    private static VerifierVerticle offline;
    private static byte[] sealed;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        pki = new OfdTestPki();
        sealed = pki.sealedOfd();
        sealService = new SealServiceStub().put(activeSeal("ACTIVE"));
        Path trust = pki.writeTrust(Files.createTempDirectory("ofd-trust"));
        vertx = Vertx.vertx();
        verticle = new VerifierVerticle(new VerifierConfig(0, trust, 1 << 20, null, null, 300, true, 5)
                .withSeals(sealService.url(), Files.createTempDirectory("ofd-seals").resolve("seals.json")));
        vertx.deployVerticle(verticle).await(30, TimeUnit.SECONDS);
        withoutSeals = new VerifierVerticle(new VerifierConfig(0, trust, 1 << 20, null, null, 300, true, 5));
        vertx.deployVerticle(withoutSeals).await(30, TimeUnit.SECONDS);
        Path withCa = pki.writeTrust(Files.createTempDirectory("ofd-trust-ca"));
        Files.writeString(withCa.resolve("ofd-test-ca.pem"), cn.yinxin.core.pki.Pem.encode(pki.ca));
        offline = new VerifierVerticle(new VerifierConfig(0, withCa, 1 << 20, null, null, 300, true, 5));
        vertx.deployVerticle(offline).await(30, TimeUnit.SECONDS);
    }

    private static SealServiceStub.StubSeal activeSeal(String status) {
        return new SealServiceStub.StubSeal(OfdTestPki.SEAL_ID, OfdTestPki.SEAL_NAME, OfdTestPki.AGENCY,
                OfdTestPki.AGENCY_CODE, status, null, pki.sealChain());
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        sealService.close();
    }

    /**
     * Red team 4: a seal maker trusted by the verifier (here the outside seal maker) makes a GB/T 38540 seal under our
     * seal's esID, name and picture, for its own certificate, and seals an OFD. The seal service answers ACTIVE for
     * that esID; what it lists as the seal's certificates (GET /api/v1/seals/{id}/certificates) is not the signer's:
     * INVALID (it was VALID, naming our seal). Any other trusted key is no seal maker at all: see the next test.
     */
    @Test
    void aSealMadeUnderOurSealsIdForAnotherTrustedKeyIsInvalid() throws Exception {
        JsonObject report = verify(verticle, forgedBy(pki.sealMaker), "application/ofd");
        assertThat(report.getString("verdict")).as(report.encodePrettily()).isEqualTo("INVALID");
        assertThat(report.encode()).contains("was not made for the signer");
    }

    /**
     * The same seal made by a key that is no seal maker's (the seal's own key, trusted as a signer): without a seal
     * service (a trust folder with our root and CA, as the CLI's) it was VALID, naming our seal. Now neither verifier
     * confirms it: the maker's certificate lacks the seal-making key purpose. The genuine seal stays VALID offline.
     */
    @Test
    void aSealMadeByAKeyThatIsNoSealMakerIsNotValidWithOrWithoutASealService() throws Exception {
        byte[] forged = forgedBy(pki.sealKey);
        for (VerifierVerticle which : new VerifierVerticle[] {offline, verticle}) {
            JsonObject report = verify(which, forged, "application/ofd");
            assertThat(report.getString("verdict")).as(report.encodePrettily()).isEqualTo("INDETERMINATE");
            JsonObject national = report.getJsonArray("signatures").getJsonObject(0).getJsonObject("nationalSeal");
            assertThat(national.getString("problem")).isEqualTo("MAKER_CERTIFICATE");
            assertThat(national.getJsonArray("reasons").encode()).contains("does not carry the seal-making key purpose");
        }
        JsonObject genuine = verify(offline, sealed, "application/ofd");
        assertThat(genuine.getString("verdict")).as(genuine.encodePrettily()).isEqualTo("VALID");
    }

    /** An OFD sealed by {@code maker}'s own seal, made under our seal's esID, name and picture for its own key. */
    private static byte[] forgedBy(cn.yinxin.core.pki.keys.SealKey maker) throws Exception {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var forged = new cn.yinxin.core.ses.SealMaker(maker, "TEST").make(new cn.yinxin.core.ses.SealMaker
                .SealSpec(OfdTestPki.SEAL_ID, cn.yinxin.core.ses.SealMaker.TYPE_ORGANISATION, OfdTestPki.SEAL_NAME,
                pki.sealImage, 40, 40, java.util.List.of(maker.certificate()),
                now.minus(java.time.Duration.ofDays(1)), now.plus(java.time.Duration.ofDays(30))), now);
        return new cn.yinxin.core.ofd.seal.OfdSealer(null).seal(OfdTestPki.unsealedOfd(),
                new cn.yinxin.core.ofd.seal.OfdSealRequest(forged, maker,
                        new cn.yinxin.core.pdf.sign.SealPlacement(1, 130, 180), now));
    }

    @Test
    void aSealedOfdIsValidWithThePdfReportShape() throws Exception {
        JsonObject report = verify(verticle, sealed, "application/ofd");
        assertThat(report.getString("verdict")).as(report.encodePrettily()).isEqualTo("VALID");
        assertThat(report.getLong("documentBytes")).isEqualTo(sealed.length);
        JsonObject signature = report.getJsonArray("signatures").getJsonObject(0);
        assertThat(signature.getString("indication")).isEqualTo("TOTAL_PASSED");
        assertThat(signature.getString("format")).startsWith("OFD GB/T 38540 seal");
        assertThat(signature.getJsonObject("seal").getString("name")).isEqualTo(OfdTestPki.SEAL_NAME);
        assertThat(signature.getJsonObject("seal").getString("agencyCode")).isEqualTo(OfdTestPki.AGENCY_CODE);
        assertThat(signature.getJsonObject("signer").getString("issuer")).contains("OFD Outside Test Seal CA");
        assertThat(signature.getValue("coverage")).isNull();
        assertThat(signature.getBoolean("modifiedAfterSigning")).isFalse();
        JsonObject national = signature.getJsonObject("nationalSeal");
        assertThat(national.getString("esId")).isEqualTo(OfdTestPki.SEAL_ID);
        // the seal-status source of PDF is asked for OFD too
        assertThat(national.getString("sealStatus")).isEqualTo("ACTIVE");
    }

    @Test
    void ofdVerificationsAreCountedAsTheirOwnKind() throws Exception {
        verify(verticle, OfdTestPki.unsealedOfd(), "application/ofd");
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + verticle.port() + "/metrics")).header("X-Dev-Roles", "monitoring").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        assertThat(scrape.body().lines().filter(l -> l.startsWith("yinxin_verifications_total{"))
                .filter(l -> l.contains("kind=\"ofd\"") && l.contains("verdict=\"NOT_SIGNED\""))).isNotEmpty();
    }

    @Test
    void octetStreamAndMultipartUploadsAreVerifiedToo() throws Exception {
        assertThat(verify(verticle, sealed, "application/octet-stream").getString("verdict")).isEqualTo("VALID");
        String boundary = "b" + System.nanoTime();
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.ofd\"\r\n"
                + "Content-Type: application/ofd\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(sealed);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(verify(verticle, body.toByteArray(), "multipart/form-data; boundary=" + boundary)
                .getString("verdict")).isEqualTo("VALID");
    }

    @Test
    void aPageChangedAfterSealingIsInvalidAndTheReasonNamesTheFile() throws Exception {
        Map<String, byte[]> entries = entries(sealed);
        String page = entries.keySet().stream().filter(n -> n.endsWith("Content.xml")).findFirst().orElseThrow();
        String content = new String(entries.get(page), StandardCharsets.UTF_8);
        assertThat(content).contains("申请人");
        entries.put(page, content.replace("准予许可", "不予许可").getBytes(StandardCharsets.UTF_8));
        JsonObject report = verify(verticle, zip(entries), "application/ofd");
        assertThat(report.getString("verdict")).isEqualTo("INVALID");
        JsonObject signature = report.getJsonArray("signatures").getJsonObject(0);
        assertThat(signature.getString("indication")).isEqualTo("TOTAL_FAILED");
        assertThat(signature.getString("subIndication")).isEqualTo("HASH_FAILURE");
        assertThat(signature.getBoolean("modifiedAfterSigning")).isTrue();
        JsonObject change = signature.getJsonArray("changesAfterSigning").getJsonObject(0);
        assertThat(change.getString("kind")).isEqualTo("changed");
        assertThat(change.getString("description")).contains("/" + page);
    }

    @Test
    void aFileAddedAfterSealingIsInvalid() throws Exception {
        Map<String, byte[]> entries = entries(sealed);
        entries.put("Doc_0/Res/extra.png", OfdTestPki.unsealedOfd());
        JsonObject report = verify(verticle, zip(entries), "application/ofd");
        assertThat(report.getString("verdict")).isEqualTo("INVALID");
        JsonArray changes = report.getJsonArray("signatures").getJsonObject(0).getJsonArray("changesAfterSigning");
        assertThat(changes.encode()).contains("\"kind\":\"added\"").contains("/Doc_0/Res/extra.png");
    }

    @Test
    void aSecondSealKeepsBothValidAndItsFilesAreAllowedChanges() throws Exception {
        byte[] twice = pki.seal(sealed, new cn.yinxin.core.pdf.sign.SealPlacement(1, 60, 180));
        JsonObject report = verify(verticle, twice, "application/ofd");
        assertThat(report.getString("verdict")).as(report.encodePrettily()).isEqualTo("VALID");
        assertThat(report.getJsonArray("signatures")).hasSize(2);
        JsonArray firstChanges = report.getJsonArray("signatures").getJsonObject(0).getJsonArray("changesAfterSigning");
        assertThat(firstChanges.encode()).contains("\"kind\":\"later-seal\"").doesNotContain("\"allowed\":false");
    }

    @Test
    void anUnsealedOfdIsNotValid() throws Exception {
        JsonObject report = verify(verticle, OfdTestPki.unsealedOfd(), "application/ofd");
        assertThat(report.getString("verdict")).isEqualTo("NOT_SIGNED");
        assertThat(report.getJsonArray("signatures")).isEmpty();
    }

    @Test
    void theCaComesFromTheVerifiersOwnKnowledgeNotFromTheDocument() throws Exception {
        // the OFD carries only the signer's and the maker's certificates: without the seal service's published
        // chain this verifier cannot reach its root, and says it cannot confirm the seal
        JsonObject report = verify(withoutSeals, sealed, "application/ofd");
        assertThat(report.getString("verdict")).isEqualTo("INDETERMINATE");
        assertThat(report.getJsonArray("signatures").getJsonObject(0).getString("subIndication"))
                .isEqualTo("NO_CERTIFICATE_CHAIN_FOUND");
    }

    @Test
    void aRevokedSealIsInvalid() throws Exception {
        sealService.put(activeSeal("REVOKED"));
        try {
            JsonObject report = verify(verticle, sealed, "application/ofd");
            assertThat(report.getString("verdict")).isEqualTo("INVALID");
            assertThat(report.getJsonArray("signatures").getJsonObject(0).getJsonObject("nationalSeal")
                    .getString("sealStatus")).isEqualTo("REVOKED");
        } finally {
            sealService.put(activeSeal("ACTIVE"));
        }
    }

    @Test
    void hostilePackagesAreRefusedAsProblemDocuments() throws Exception {
        assertProblem(post(verticle, new byte[0], "application/ofd"), 400, "empty-body");
        assertProblem(post(verticle, "%PDF-1.7 not an ofd".getBytes(StandardCharsets.US_ASCII), "application/ofd"),
                415, "not-an-ofd");
        assertProblem(post(verticle, "PK".getBytes(StandardCharsets.US_ASCII), "application/ofd"), 415, "not-an-ofd");
        // a zip bomb: 40 MiB of zeros in a few tens of KiB, far over the inflation ratio
        Map<String, byte[]> bomb = entries(sealed);
        bomb.put("Doc_0/Res/bomb.bin", new byte[40 << 20]);
        byte[] bombZip = zip(bomb);
        assertThat(bombZip.length).isLessThan(1 << 20);
        assertProblem(post(verticle, bombZip, "application/ofd"), 413, "ofd-too-large");
        Map<String, byte[]> escaping = entries(sealed);
        escaping.put("../../etc/evil.xml", "<x/>".getBytes(StandardCharsets.US_ASCII));
        assertProblem(post(verticle, zip(escaping), "application/ofd"), 422, "ofd-unsafe-path");
        Map<String, byte[]> doctype = entries(sealed);
        doctype.put("OFD.xml", ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\">&e;</ofd:OFD>").getBytes(StandardCharsets.UTF_8));
        assertProblem(post(verticle, zip(doctype), "application/ofd"), 422, "ofd-xml-doctype");
        assertProblem(post(verticle, new byte[(1 << 20) + 1], "application/ofd"), 413, "payload-too-large");
    }

    @Test
    void aLicenceOfdsLiveStatusJoinsTheVerdict() throws Exception {
        String identifier = "1.2.156.3005.2.11100000000013127D001.91350100M000100Y43.20260001.001.1";
        Map<String, String> statuses = new java.util.concurrent.ConcurrentHashMap<>(Map.of(identifier, "VALID"));
        com.sun.net.httpserver.HttpServer licenceService = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        licenceService.createContext("/api/v1/licences/", exchange -> {
            String id = java.net.URLDecoder.decode(exchange.getRequestURI().getPath()
                    .replaceFirst("^/api/v1/licences/", "").replaceFirst("/status$", ""), StandardCharsets.UTF_8);
            String status = statuses.get(id);
            byte[] body = status == null ? new byte[0]
                    : new JsonObject().put("status", status).encode().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 404 : 200, status == null ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        licenceService.start();
        try {
            VerifierVerticle withLicences = new VerifierVerticle(new VerifierConfig(0,
                    pki.writeTrust(Files.createTempDirectory("ofd-trust")), 1 << 20, null, null, 300, true, 5)
                    .withSeals(sealService.url(), Files.createTempDirectory("ofd-seals").resolve("seals.json"))
                    .withLicences("http://127.0.0.1:" + licenceService.getAddress().getPort()));
            vertx.deployVerticle(withLicences).await(30, TimeUnit.SECONDS);
            byte[] licence = pki.sealedLicenceOfd(identifier);
            JsonObject valid = verify(withLicences, licence, "application/ofd");
            assertThat(valid.getString("verdict")).as(valid.encodePrettily()).isEqualTo("VALID");
            assertThat(valid.getJsonObject("licence").getString("identifier")).isEqualTo(identifier);
            assertThat(valid.getJsonObject("licence").getString("status")).isEqualTo("VALID");
            statuses.put(identifier, "REVOKED");
            JsonObject revoked = verify(withLicences, licence, "application/ofd");
            assertThat(revoked.getString("verdict")).isEqualTo("INVALID");
            assertThat(revoked.getString("summary")).contains("REVOKED");
            // the seal itself is still valid: it is the licence that no longer holds
            assertThat(revoked.getJsonArray("signatures").getJsonObject(0).getString("indication"))
                    .isEqualTo("TOTAL_PASSED");

            // red team: a licence of another agency (valid at the licence service) named in an OFD that this agency's
            // seal sealed is not that licence: no "valid now" joined to the verdict
            String othersLicence = "1.2.156.3005.2.11100000000013127D001.11430000006122244L.20260009.001.N";
            statuses.put(othersLicence, "VALID");
            JsonObject notThatLicence = verify(withLicences, pki.sealedLicenceOfd(othersLicence), "application/ofd");
            assertThat(notThatLicence.getString("verdict")).as(notThatLicence.encodePrettily())
                    .isEqualTo("INDETERMINATE");
            assertThat(notThatLicence.getJsonObject("licence").getString("status")).isNull();
            assertThat(notThatLicence.getJsonObject("licence").getString("explanation"))
                    .contains("11430000006122244L");

            // a 加注件 made while the licence was valid is no better than the licence it carries
            statuses.put(identifier, "VALID");
            byte[] copy = annotatedCopy(licence, "仅供开户使用，某银行，有效期至" + java.time.LocalDate.now().plusDays(30));
            JsonObject copyValid = verify(withLicences, copy, "application/ofd");
            assertThat(copyValid.getString("verdict")).as(copyValid.encodePrettily()).isEqualTo("VALID");
            assertThat(copyValid.getJsonObject("licence").getString("identifier")).isEqualTo(identifier);
            assertThat(copyValid.getJsonObject("licence").getString("explanation")).contains("加注件");
            statuses.put(identifier, "REVOKED");
            JsonObject copyRevoked = verify(withLicences, copy, "application/ofd");
            assertThat(copyRevoked.getString("verdict")).as(copyRevoked.encodePrettily()).isEqualTo("INVALID");
            assertThat(copyRevoked.getJsonObject("licence").getString("status")).isEqualTo("REVOKED");
            statuses.put(identifier, "VALID");
            JsonObject ended = verify(withLicences, annotatedCopy(licence, "仅供开户使用，某银行，有效期至2026-01-01"),
                    "application/ofd");
            assertThat(ended.getString("verdict")).isEqualTo("INVALID");
            assertThat(ended.getString("summary")).contains("period of use has ended");
            // red team: the holder's purpose states a far end date before the service's own; the last one counts
            JsonObject extended = verify(withLicences, annotatedCopy(licence,
                    "仅供开户，有效期至2099-12-31使用，某银行，有效期至2026-01-01"), "application/ofd");
            assertThat(extended.getString("verdict")).as(extended.encodePrettily()).isEqualTo("INVALID");
            assertThat(extended.getString("summary")).contains("until 2026-01-01");
            // red team: a licence OFD that also states a 加注件 annotation (and carries no licence) was judged as the
            // licence alone, VALID for ever; it claims to be a copy, and is judged as one too (as a PDF with both seals)
            var both = new cn.yinxin.core.ofd.OfdWriter().title("食品经营许可证").created(java.time.LocalDate.of(2026, 12, 6))
                    .licence(new cn.yinxin.core.ofd.LicenceMetadata("食品经营许可证", "11100000000013127D001",
                            "JY13501000000001", identifier, "测试局", "91350100M000100Y43",
                            java.time.LocalDate.of(2026, 12, 1), "福州某某餐饮有限公司", "91350100M000100Y43", "001",
                            java.time.LocalDate.of(2026, 12, 1), null))
                    .customData(cn.yinxin.core.ofd.verify.OfdCopies.ANNOTATION, "仅供开户使用，某银行，有效期至2026-01-01");
            both.page(210, 297).text(20, 40, 5, "食品经营许可证");
            JsonObject licenceAndCopy = verify(withLicences, pki.seal(both.write(),
                    new cn.yinxin.core.pdf.sign.SealPlacement(1, 130, 180)), "application/ofd");
            assertThat(licenceAndCopy.getString("verdict")).as(licenceAndCopy.encodePrettily())
                    .isEqualTo("INDETERMINATE");
            assertThat(licenceAndCopy.getString("summary")).contains("加注件");
            JsonObject empty = verify(withLicences, annotatedCopy(null, "仅供开户使用，某银行，有效期至2099-01-01"),
                    "application/ofd");
            assertThat(empty.getString("verdict")).isEqualTo("INDETERMINATE");
        } finally {
            licenceService.stop(0);
        }
    }

    /** A 加注件 as the licence service makes it: annotation in CustomData, the licence attached, sealed by the issuer. */
    private byte[] annotatedCopy(byte[] licence, String annotation) {
        var writer = new cn.yinxin.core.ofd.OfdWriter().title("加注件").created(java.time.LocalDate.of(2026, 12, 6))
                .customData(cn.yinxin.core.ofd.verify.OfdCopies.ANNOTATION, annotation);
        if (licence != null) {
            writer.attachment(cn.yinxin.core.ofd.verify.OfdCopies.ORIGINAL, licence);
        }
        writer.page(210, 297).text(20, 40, 5, annotation);
        return pki.seal(writer.write(), new cn.yinxin.core.pdf.sign.SealPlacement(1, 100, 100));
    }

    @Test
    void thePackageLimitsAreSettings() throws Exception {
        assertThat(OfdCheck.limits(Map.of())).isEqualTo(cn.yinxin.core.ofd.OfdLimits.DEFAULT);
        assertThat(OfdCheck.limits(Map.of("YINXIN_VERIFIER_OFD_MAX_ENTRIES", "5")).maxEntries()).isEqualTo(5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OfdCheck.limits(
                Map.of("YINXIN_VERIFIER_OFD_MAX_RATIO", "0"))).isInstanceOf(IllegalArgumentException.class);
        // and the verifier uses them: our sealed OFD has more than 5 entries
        assertThat(entries(sealed)).hasSizeGreaterThan(5);
        System.setProperty("yinxin.verifier.ofd.max.entries", "5");
        VerifierVerticle strict;
        try {
            strict = new VerifierVerticle(new VerifierConfig(0, pki.writeTrust(Files.createTempDirectory("ofd-trust")),
                    1 << 20));
            vertx.deployVerticle(strict).await(30, TimeUnit.SECONDS);
        } finally {
            System.clearProperty("yinxin.verifier.ofd.max.entries");
        }
        assertProblem(post(strict, sealed, "application/ofd"), 413, "ofd-too-large");
    }

    @Test
    void anOfdSentToThePdfRouteIsToldWhereToGo() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + verticle.port() + "/api/v1/verify/pdf")).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(sealed)).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(response, 415, "not-a-pdf");
        assertThat(new JsonObject(response.body()).getString("detail")).contains("/api/v1/verify/ofd");
    }

    private JsonObject verify(VerifierVerticle to, byte[] body, String type) throws Exception {
        HttpResponse<String> response = post(to, body, type);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return new JsonObject(response.body());
    }

    private HttpResponse<String> post(VerifierVerticle to, byte[] body, String type) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + to.port() + "/api/v1/verify/ofd"))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("urn:yinxin:problem:" + slug);
    }

    static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
