package cn.yinxin.verifier.qr;

import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.core.trust.TrustedCa;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.verifier.SealServiceStub;
import cn.yinxin.verifier.VerifierMain;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.QrAnswers;
import cn.yinxin.verifier.http.VerifierVerticle;
import cn.yinxin.verifier.report.ReportTexts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/v1/verify/qr over real HTTP: codes signed with the sample seal's key, whose certificate the verifier
 * learns from a seal service (stub) and checks against its trust anchors, with OCSP answered by a real responder on
 * loopback. A verdict about a code is a 200 whatever it says; only an unreadable request is a 4xx.
 */
class QrVerifyTest {

    private static Vertx vertx;
    private static TestRevocationServer revocation;
    private static SealServiceStub sealService;
    private static VerifierVerticle verticle;
    private static SealKey seal;
    private static CaHierarchy hierarchy;
    private static Path keystores;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        revocation = new TestRevocationServer();
        keystores = revocation.keystores();
        hierarchy = revocation.hierarchy();
        seal = SealKey.fromPkcs12(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        sealService = new SealServiceStub().put(sampleSeal("ACTIVE", null));
        vertx = VerifierMain.newVertx(); // the transport the verifier runs on
        verticle = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                .withSeals(sealService.url(), Files.createTempDirectory("verifier").resolve("seals.json")));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        sealService.close();
        revocation.close();
    }

    static SealServiceStub.StubSeal sampleSeal(String status, Instant changed) {
        return new SealServiceStub.StubSeal(SamplePki.SEAL_ID, SamplePki.SEAL_NAME, SamplePki.AGENCY,
                SamplePki.AGENCY_CODE, status, changed, seal.chain());
    }

    /** The sample seal after a renewal at {@code renewedAt}: {@code current} now, {@code earlier} before. */
    static SealServiceStub.StubSeal renewedSample(List<X509Certificate> current, List<X509Certificate> earlier,
                                                  Instant renewedAt) {
        return new SealServiceStub.StubSeal(SamplePki.SEAL_ID, SamplePki.SEAL_NAME, SamplePki.AGENCY,
                SamplePki.AGENCY_CODE, "ACTIVE", null, current, List.of(earlier), renewedAt);
    }

    static VerifierVerticle deploy(VerifierConfig config) throws Exception {
        VerifierVerticle verifier = new VerifierVerticle(config);
        vertx.deployVerticle(verifier).await(60, TimeUnit.SECONDS);
        return verifier;
    }

    static String documentCode(SealKey key, UUID id, Instant issuedAt) throws Exception {
        return new QrSigner(key).sign(new DocumentQr(id, DocumentQr.verificationUrl("https://verify.example/d/", id),
                SamplePki.SEAL_ID, SamplePki.AGENCY_CODE, issuedAt).toClaims());
    }

    @Test
    void runsOnEpollOnLinux() {
        // the native epoll library must load, or the verifier silently falls back to NIO: Netty's jars and the
        // native file are pinned to one version in the parent pom, and a mismatch shows here
        if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertThat(vertx.isNativeTransportEnabled())
                    .as("native transport: %s", vertx.unavailableNativeTransportCause()).isTrue();
        } else {
            assertThat(vertx.isNativeTransportEnabled()).isFalse();
        }
    }

    @Test
    void aGenuineDocumentCodeIsValidWithItsClaimsAndSigner() throws Exception {
        UUID id = UUID.randomUUID();
        Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JsonObject answer = verify(verticle, documentCode(seal, id, issued));
        assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("VALID");
        assertThat(answer.getString("problem")).isNull();
        assertThat(answer.getString("kind")).isEqualTo("document");
        JsonObject claims = answer.getJsonObject("claims");
        assertThat(claims.getString("documentId")).isEqualTo(id.toString());
        assertThat(claims.getString("verificationUrl")).isEqualTo("https://verify.example/d/" + id);
        assertThat(claims.getString("sealId")).isEqualTo(SamplePki.SEAL_ID);
        assertThat(claims.getString("issuer")).isEqualTo(SamplePki.AGENCY_CODE);
        assertThat(claims.getString("issuedAt")).isEqualTo(issued.toString());
        assertThat(answer.getJsonObject("signer").getString("subject")).contains(SamplePki.AGENCY_CODE);
        assertThat(answer.getJsonObject("signer").getString("kid")).hasSize(16);
        assertThat(answer.getJsonObject("seal").getString("name")).isEqualTo(SamplePki.SEAL_NAME);
        assertThat(answer.getJsonObject("seal").getString("agency")).isEqualTo(SamplePki.AGENCY);
        assertThat(answer.getJsonObject("revocation").getString("state")).as("asked the OCSP responder").isEqualTo("GOOD");
        assertThat(answer.getJsonArray("reasons")).isNotEmpty();
        assertThat(answer.getJsonObject("trust").getBoolean("stale")).isFalse();

        // the same as text/plain, with the line break a paste brings
        var plain = http.send(HttpRequest.newBuilder(uri(verticle, "/api/v1/verify/qr"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(documentCode(seal, id, issued) + "\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(plain.body()).getString("verdict")).isEqualTo("VALID");
    }

    /**
     * After the seal is renewed (a new key and certificate), codes printed before still verify with its earlier
     * certificate, which the seal service keeps publishing; codes signed with the new key verify too; a code that
     * claims to be made with the old key after the renewal is invalid; and a verifier that starts offline knows both
     * from its cache. An earlier certificate vouches only for its own subject. A seal service from before renewals
     * (which refuses {@code /certificates}) still gives the current certificate.
     */
    @Test
    void afterARenewalCodesSignedWithTheEarlierCertificateStillVerify() throws Exception {
        SealKey newKey = sealKeyFor(SamplePki.AGENCY_CODE);
        Instant renewedAt = Instant.now().minus(Duration.ofMinutes(10));
        String before = documentCode(seal, UUID.randomUUID(), renewedAt.minus(Duration.ofMinutes(10)));
        String after = documentCode(newKey, UUID.randomUUID(), Instant.now());
        String lateWithOldKey = documentCode(seal, UUID.randomUUID(), Instant.now());
        Path cache = Files.createTempDirectory("verifier-renewal").resolve("seals.json");
        try (SealServiceStub stub = new SealServiceStub().put(renewedSample(newKey.chain(), seal.chain(), renewedAt))) {
            VerifierVerticle online = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(stub.url(), cache));
            for (String code : List.of(before, after)) {
                JsonObject answer = verify(online, code);
                assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("VALID");
                assertThat(answer.getJsonObject("seal").getString("id")).isEqualTo(SamplePki.SEAL_ID);
            }
            JsonObject earlier = verify(online, before);
            assertThat(earlier.getJsonObject("signer").getString("kid"))
                    .isEqualTo(HexFormat.of().formatHex(QrSigner.kid(seal.certificate())));
            assertThat(earlier.getJsonObject("signer").getString("replacedAt")).isEqualTo(renewedAt.toString());
            assertThat(earlier.getJsonArray("reasons").encode()).contains("earlier certificate");
            JsonObject current = verify(online, after);
            assertThat(current.getJsonObject("signer").getString("kid"))
                    .isEqualTo(HexFormat.of().formatHex(QrSigner.kid(newKey.certificate())));
            assertThat(current.getJsonObject("signer").getString("replacedAt")).isNull();
            JsonObject late = verify(online, lateWithOldKey);
            assertThat(late.getString("verdict")).as(late.encodePrettily()).isEqualTo("INVALID");
            assertThat(late.getString("problem")).isEqualTo("urn:yinxin:problem:qr-signer-replaced");

            // offline: a verifier started with the seal service down knows both certificates from the cache
            stub.up(false);
            VerifierVerticle offline = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(stub.url(), cache));
            assertThat(verify(offline, before).getString("verdict")).isEqualTo("VALID");
            assertThat(verify(offline, after).getString("verdict")).isEqualTo("VALID");
            assertThat(verify(offline, lateWithOldKey).getString("problem")).isEqualTo("urn:yinxin:problem:qr-signer-replaced");
            stub.up(true);

            // a seal service from before renewals: the current certificate only
            stub.listsCertificates(false);
            VerifierVerticle older = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(stub.url(), Files.createTempDirectory("verifier-older").resolve("seals.json")));
            assertThat(verify(older, after).getString("verdict")).isEqualTo("VALID");
            JsonObject unknown = verify(older, before);
            assertThat(unknown.getString("verdict")).isEqualTo("INDETERMINATE");
            assertThat(unknown.getString("problem")).isEqualTo("urn:yinxin:problem:unknown-qr-signer");
        }
    }

    /**
     * The seal list comes over plain HTTP: a trusted certificate of another agency listed as an earlier certificate
     * of this seal speaks for that agency only, so its codes cannot pass as this agency's.
     */
    @Test
    void anEarlierCertificateVouchesForItsOwnAgencyOnly() throws Exception {
        String otherAgency = "91350100M000100Y43";
        SealKey other = sealKeyFor(otherAgency);
        String posing = documentCode(other, UUID.randomUUID(), Instant.now().minus(Duration.ofHours(1)));
        try (SealServiceStub stub = new SealServiceStub().put(renewedSample(seal.chain(), other.chain(), Instant.now()))) {
            VerifierVerticle verifier = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(stub.url(), Files.createTempDirectory("verifier-posing").resolve("seals.json")));
            JsonObject answer = verify(verifier, posing);
            assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INVALID");
            assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:qr-claims-mismatch");
            assertThat(answer.getJsonObject("seal").getString("agencyCode")).isEqualTo(otherAgency);
        }
    }

    /**
     * The same root vouches for people's signing certificates: one listed as a seal's (current or earlier) is not
     * taken as a seal certificate, so a person's key cannot sign codes for the seal.
     */
    @Test
    void aPersonsCertificateListedAsASealsSignsNoCodes() throws Exception {
        KeyPair keys = CertificateMaker.newEcKeyPair();
        var person = CertificateMaker.issue(CertificateMaker.personSubject("李四", "11010519491231002X"),
                keys.getPublic(), Profile.PERSONAL, hierarchy.personalCa(), Instant.now().minus(Duration.ofDays(1)),
                Duration.ofDays(30), KeyCeremony.pointers(revocation.url(), revocation.url() + "/ocsp",
                        CaHierarchy.PERSONAL_CA));
        List<X509Certificate> chain = new java.util.ArrayList<>(List.of(person));
        chain.addAll(hierarchy.personalCa().chain());
        SealKey posing = new SealKey(keys.getPrivate(), chain);
        String code = documentCode(posing, UUID.randomUUID(), Instant.now().minus(Duration.ofHours(1)));
        for (var listing : List.of(
                new SealServiceStub.StubSeal(SamplePki.SEAL_ID, SamplePki.SEAL_NAME, SamplePki.AGENCY,
                        SamplePki.AGENCY_CODE, "ACTIVE", null, chain),
                renewedSample(seal.chain(), chain, Instant.now()))) {
            try (SealServiceStub stub = new SealServiceStub().put(listing)) {
                VerifierVerticle verifier = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                        .withSeals(stub.url(), Files.createTempDirectory("verifier-person").resolve("seals.json")));
                JsonObject answer = verify(verifier, code);
                assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INDETERMINATE");
                assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:unknown-qr-signer");
                assertThat(answer.getJsonArray("reasons").encode()).contains("not a seal certificate");
            }
        }
    }

    /** A cache written before renewals existed (no "previous") is still read. */
    @Test
    void aSealCacheFromBeforeRenewalsIsRead() throws Exception {
        Path cache = Files.createTempDirectory("verifier-old-cache").resolve("seals.json");
        String pem = seal.chain().stream().map(cn.yinxin.core.pki.Pem::encode).reduce("", String::concat);
        Files.writeString(cache, new JsonObject().put("fetchedAt", Instant.now().toString()).put("source", "old")
                .put("seals", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", SamplePki.SEAL_ID)
                        .put("name", SamplePki.SEAL_NAME).put("agency", SamplePki.AGENCY)
                        .put("agencyCode", SamplePki.AGENCY_CODE).put("status", "ACTIVE").put("chain", pem))).encode());
        try (SealServiceStub down = new SealServiceStub()) {
            down.up(false);
            VerifierVerticle offline = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(down.url(), cache));
            JsonObject answer = verify(offline, documentCode(seal, UUID.randomUUID(), Instant.now()));
            assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("VALID");
        }
    }

    /** A new P-256 seal key certified by the sample Agency Seal CA for {@code agencyCode} (with OCSP pointers). */
    private static SealKey sealKeyFor(String agencyCode) throws Exception {
        KeyPair keys = CertificateMaker.newEcKeyPair();
        var certificate = CertificateMaker.issue(CertificateMaker.sealSubject(SamplePki.SEAL_NAME, SamplePki.AGENCY,
                        agencyCode), keys.getPublic(), Profile.AGENCY_SEAL, hierarchy.sealCa(),
                Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30),
                KeyCeremony.pointers(revocation.url(), revocation.url() + "/ocsp", CaHierarchy.SEAL_CA));
        List<X509Certificate> chain = new java.util.ArrayList<>(List.of(certificate));
        chain.addAll(hierarchy.sealCa().chain());
        return new SealKey(keys.getPrivate(), chain);
    }

    /**
     * Codes are checked on the event loop only when nothing has to be waited for; until the seal's OCSP answer is
     * kept, the check goes to a worker. Both give the same verdict, and the listeners on every event loop answer.
     */
    @Test
    void aCodeIsCheckedWithoutWaitingOnlyOnceTheSealsStatusIsKeptAndBothWaysAgree() throws Exception {
        VerifierVerticle fresh = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                .withSeals(sealService.url(), Files.createTempDirectory("verifier").resolve("seals.json")));
        String code = documentCode(seal, UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        assertThat(fresh.qrCheck().checkWithoutWaiting(code)).as("OCSP not asked yet: a worker must").isNull();

        JsonObject onWorker = verify(fresh, code);
        assertThat(onWorker.getString("verdict")).as(onWorker.encodePrettily()).isEqualTo("VALID");
        QrResult checkedOnLoop = fresh.qrCheck().checkWithoutWaiting(code);
        assertThat(checkedOnLoop).as("the OCSP answer is kept now").isNotNull();
        JsonObject onLoop = QrAnswers.json(checkedOnLoop);
        onWorker.remove("validationTime");
        onLoop.remove("validationTime");
        // the HTTP answer carries the clerk's words too (Chinese: the request named no language)
        assertThat(ReportTexts.add(new JsonObject(onLoop.encode()), cn.yinxin.core.text.Language.ZH)).isEqualTo(onWorker);

        // a forged signature is caught on the event loop too
        String forged = new QrSigner(seal).sign(new DocumentQr(UUID.randomUUID(), "https://verify.example/d/x",
                SamplePki.SEAL_ID, SamplePki.AGENCY_CODE, Instant.now().minusSeconds(5)).toClaims());
        byte[] packed = cn.yinxin.core.qr.Base45.decode(forged.substring(4));
        byte[] raw = packed[0] == 0x78 ? inflate(packed) : packed;
        raw[raw.length - 1] ^= 1; // the signature's last byte
        String tampered = "YX1:" + cn.yinxin.core.qr.Base45.encode(raw);
        QrResult caughtOnLoop = fresh.qrCheck().checkWithoutWaiting(tampered);
        assertThat(caughtOnLoop).isNotNull();
        JsonObject caught = QrAnswers.json(caughtOnLoop);
        assertThat(caught.getString("verdict")).isEqualTo("INVALID");
        assertThat(caught.getString("problem")).isEqualTo("urn:yinxin:problem:qr-signature-invalid");

        // many connections at once (spread over the listeners of every event loop): all answered, all alike
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(uri(fresh, "/api/v1/verify/qr"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(code)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var answer : answers) {
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(response.body()).getString("verdict")).isEqualTo("VALID");
        }
    }

    private static byte[] inflate(byte[] zlib) throws Exception {
        var inflater = new java.util.zip.Inflater();
        inflater.setInput(zlib);
        byte[] out = new byte[16 * 1024];
        int n = inflater.inflate(out);
        inflater.end();
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * A status list server on loopback: the first {@code size} of {@code statuses} (2 bits each) signed by
     * {@code signer} on every request, which it counts.
     */
    record StatusListServer(com.sun.net.httpserver.HttpServer server, String uri,
                            java.util.concurrent.atomic.AtomicReference<SealKey> signer,
                            java.util.concurrent.atomic.AtomicInteger size,
                            java.util.concurrent.atomic.AtomicInteger requests) implements AutoCloseable {

        static StatusListServer start(SealKey signer, int[] statuses) throws java.io.IOException {
            var signing = new java.util.concurrent.atomic.AtomicReference<>(signer);
            var size = new java.util.concurrent.atomic.AtomicInteger(statuses.length);
            var requests = new java.util.concurrent.atomic.AtomicInteger();
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/status-lists/"
                    + SamplePki.AGENCY_CODE + "/11410000MB00001749002";
            server.createContext("/api/v1/status-lists/", exchange -> {
                requests.incrementAndGet();
                byte[] bits = new byte[(size.get() * 2 + 7) / 8];
                for (int i = 0; i < size.get(); i++) {
                    bits[i / 4] |= (byte) (statuses[i] << ((i % 4) * 2));
                }
                var deflater = new java.util.zip.Deflater();
                deflater.setInput(bits);
                deflater.finish();
                byte[] zipped = new byte[64 + bits.length * 2];
                zipped = java.util.Arrays.copyOf(zipped, deflater.deflate(zipped));
                deflater.end();
                byte[] token;
                try {
                    token = new QrSigner(signing.get()).coseSign1(CwtClaims.builder().subject(uri)
                            .issuedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS)).put(65534, 1L)
                            .put(65533, java.util.Map.of("bits", 2, "lst", zipped)).build());
                } catch (java.security.GeneralSecurityException e) {
                    throw new java.io.IOException(e);
                }
                exchange.getResponseHeaders().add("Content-Type", "application/statuslist+cwt");
                exchange.sendResponseHeaders(200, token.length);
                exchange.getResponseBody().write(token);
                exchange.close();
            });
            server.start();
            return new StatusListServer(server, uri, signing, size, requests);
        }

        /** A verifier that fetches status lists from this server (only). */
        VerifierConfig allowedIn(VerifierConfig config) {
            return config.withLists(config.lists().withStatusListAddresses(uri));
        }

        /** A licence code of the sample agency, signed by {@code key}, whose status is entry {@code index} of this list. */
        String licenceCode(SealKey key, int index) throws java.security.GeneralSecurityException {
            return licenceCode(key, index, SamplePki.AGENCY_CODE);
        }

        String licenceCode(SealKey key, int index, String issuer) throws java.security.GeneralSecurityException {
            return new QrSigner(key).sign(new cn.yinxin.core.qr.LicenceQr("1.2.156.3005.2.x." + index,
                    "11410000MB00001749002", "李四", "110105********002X", java.time.LocalDate.now().minusYears(1),
                    null, issuer, Instant.now().truncatedTo(ChronoUnit.SECONDS), null,
                    new CwtClaims.StatusReference(index, uri)).toClaims());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * The seal was renewed after the verifier fetched the seals, and the licence service now signs its status lists
     * with the new key: the verifier asks the seal service again and checks the licence at once.
     */
    @Test
    void aStatusListSignedWithARenewedSealsNewKeyIsCheckedAtOnce() throws Exception {
        SealKey newKey = sealKeyFor(SamplePki.AGENCY_CODE);
        int[] statuses = {0, 0, 0, 0};
        try (SealServiceStub stub = new SealServiceStub().put(sampleSeal("ACTIVE", null));
             StatusListServer lists = StatusListServer.start(newKey, statuses)) {
            VerifierVerticle verifier = deploy(lists.allowedIn(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(stub.url(), Files.createTempDirectory("verifier-lists").resolve("seals.json"))));
            String code = lists.licenceCode(seal, 1);
            stub.put(renewedSample(newKey.chain(), seal.chain(), Instant.now()));
            JsonObject answer = verify(verifier, code);
            assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("VALID");
            assertThat(answer.getJsonArray("reasons").encode()).contains("valid according to the status list");
        }
    }

    /**
     * The same with a list already kept: once its time-to-live (1 s here) has passed, the new list, signed with the
     * renewed seal's new key, is fetched and checked, rather than the kept list answering "from before".
     */
    @Test
    void aKeptStatusListGivesWayToOneSignedWithARenewedSealsNewKey() throws Exception {
        SealKey newKey = sealKeyFor(SamplePki.AGENCY_CODE);
        int[] statuses = {0, 0, 0, 0};
        try (SealServiceStub stub = new SealServiceStub().put(sampleSeal("ACTIVE", null));
             StatusListServer lists = StatusListServer.start(seal, statuses)) {
            VerifierVerticle verifier = deploy(lists.allowedIn(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(stub.url(), Files.createTempDirectory("verifier-kept").resolve("seals.json"))));
            String code = lists.licenceCode(seal, 1);
            assertThat(verify(verifier, code).getString("verdict")).isEqualTo("VALID");
            // renewed, and the licence is withdrawn; the list is now signed with the new key
            stub.put(renewedSample(newKey.chain(), seal.chain(), Instant.now()));
            lists.signer().set(newKey);
            statuses[1] = 1;
            // time itself must pass: the verticle's status-list ages run on the system clock (not injectable here;
            // StatusListFreshnessTest moves a clock for StatusLists itself)
            Thread.sleep(1100); // past the list's time-to-live
            JsonObject answer = verify(verifier, code);
            assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INVALID");
            assertThat(answer.getString("problem")).endsWith("licence-withdrawn");
            assertThat(answer.getJsonArray("reasons").encode()).doesNotContain("kept from before");
        }
    }

    /**
     * Any seal's user can have the seal service sign a token, and lists travel over plain HTTP: a status list signed
     * by another agency's (trusted) seal does not answer for this agency's licences, also not from the kept lists.
     */
    @Test
    void aStatusListSignedByAnotherAgencysSealDoesNotCount() throws Exception {
        String otherAgency = "91350100M000100Y43";
        SealKey other = sealKeyFor(otherAgency);
        int[] statuses = {0, 0, 0, 0};
        try (SealServiceStub stub = new SealServiceStub().put(sampleSeal("ACTIVE", null))
                .put(new SealServiceStub.StubSeal("other-agency-seal", "其他单位专用章", "其他单位", otherAgency, "ACTIVE",
                        null, other.chain()));
             StatusListServer lists = StatusListServer.start(other, statuses)) {
            VerifierVerticle verifier = deploy(lists.allowedIn(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(stub.url(), Files.createTempDirectory("verifier-other-list").resolve("seals.json"))));
            JsonObject answer = verify(verifier, lists.licenceCode(seal, 1));
            assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INDETERMINATE");
            assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:licence-status-unchecked");
            assertThat(answer.getJsonArray("reasons").encode()).contains("not by a seal of the licence's issuer");
            // a licence of the other agency naming the same list gets it kept; it still does not answer for ours
            JsonObject theirs = verify(verifier, lists.licenceCode(other, 2, otherAgency));
            assertThat(theirs.getJsonArray("reasons").encode()).contains("valid according to the status list");
            JsonObject again = verify(verifier, lists.licenceCode(seal, 1));
            assertThat(again.getString("problem")).as(again.encodePrettily())
                    .isEqualTo("urn:yinxin:problem:licence-status-unchecked");
        }
    }

    @Test
    void aLicenceCodeIsCheckedAgainstItsSignedStatusListAndTheKeptListServesOffline() throws Exception {
        int[] statuses = {0, 0, 0, 0, 0, 0, 0, 0};
        StatusListServer lists = StatusListServer.start(seal, statuses);
        var server = lists.server();
        VerifierVerticle verticle = deploy(lists.allowedIn(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                .withSeals(sealService.url(), Files.createTempDirectory("verifier-offline-list").resolve("seals.json"))));
        try {
            java.util.function.IntFunction<String> licence = index -> {
                try {
                    return lists.licenceCode(seal, index);
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            };
            statuses[3] = 2;
            statuses[5] = 1;
            JsonObject valid = verify(verticle, licence.apply(1));
            assertThat(valid.getString("verdict")).as(valid.encodePrettily()).isEqualTo("VALID");
            assertThat(valid.getString("kind")).isEqualTo("licence");
            assertThat(valid.getJsonArray("reasons").encode()).contains("valid according to the status list");
            assertThat(verify(verticle, licence.apply(3)).getString("problem")).endsWith("licence-suspended");
            JsonObject withdrawn = verify(verticle, licence.apply(5));
            assertThat(withdrawn.getString("verdict")).isEqualTo("INVALID");
            assertThat(withdrawn.getString("problem")).endsWith("licence-withdrawn");
            // the list server goes away: the kept list (fresh enough) still answers, and says so
            server.stop(0);
            Thread.sleep(1100); // time itself must pass: the kept list is to be at least a second old (system clock)
            JsonObject offline = verify(verticle, licence.apply(1));
            assertThat(offline.getString("verdict")).as(offline.encodePrettily()).isEqualTo("VALID");
            // and how old the kept list is, in the reasons and in the answer
            assertThat(offline.getJsonArray("reasons").encode()).contains("kept from before")
                    .containsPattern("last confirmed current at [^,]+, \\d+ seconds? old");
            JsonObject kept = offline.getJsonObject("claims").getJsonObject("status").getJsonObject("list");
            assertThat(kept.getBoolean("fromCache")).isTrue();
            assertThat(kept.getLong("ageSeconds")).isGreaterThanOrEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    /**
     * A code may name only status-list addresses of the configured issuers: one naming another host is not fetched
     * (the list server sees no request), and the code is not VALID.
     */
    @Test
    void aCodeNamingAStatusListOfAnUnconfiguredHostIsNotFetched() throws Exception {
        try (StatusListServer lists = StatusListServer.start(seal, new int[] {0, 0, 0, 0})) {
            // the licence service configured is another address than the one the code names
            VerifierVerticle verifier = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(sealService.url(), Files.createTempDirectory("verifier-foreign-list").resolve("seals.json"))
                    .withLicences("http://licences.invalid"));
            JsonObject answer = verify(verifier, lists.licenceCode(seal, 1));
            assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INDETERMINATE");
            assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:licence-status-unchecked");
            assertThat(answer.getJsonArray("reasons").encode()).contains("not under this verifier's status-list addresses")
                    .contains("it was not fetched");
            assertThat(lists.requests().get()).as("no request reached the named server").isZero();
        }
    }

    /**
     * A licence issued since the kept list was fetched names an index beyond it: the verifier asks for the list
     * again before answering, and the new licence is VALID at once (not "index outside the status list"); a
     * revocation shows as soon as the kept list's short online life has passed.
     */
    @Test
    void aLicenceIssuedSinceTheKeptListVerifiesAtOnceAndARevocationShowsWithinSeconds() throws Exception {
        int[] statuses = new int[400];
        try (StatusListServer lists = StatusListServer.start(seal, statuses)) {
            lists.size().set(4);
            VerifierConfig config = lists.allowedIn(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(sealService.url(), Files.createTempDirectory("verifier-new-licence").resolve("seals.json")));
            VerifierVerticle verifier = deploy(config.withLists(config.lists()
                    .withStatusListAges(Duration.ofSeconds(1), Duration.ofHours(1))));
            assertThat(verify(verifier, lists.licenceCode(seal, 1)).getString("verdict")).isEqualTo("VALID");
            lists.size().set(400); // a few hundred issuances later
            JsonObject fresh = verify(verifier, lists.licenceCode(seal, 399));
            assertThat(fresh.getString("verdict")).as(fresh.encodePrettily()).isEqualTo("VALID");
            assertThat(lists.requests().get()).isEqualTo(2);

            statuses[1] = 1; // revoked
            // time itself must pass: past the kept list's online life (1 s here, 5 s by default), on the system clock
            Thread.sleep(1100);
            JsonObject revoked = verify(verifier, lists.licenceCode(seal, 1));
            assertThat(revoked.getString("verdict")).as(revoked.encodePrettily()).isEqualTo("INVALID");
            assertThat(revoked.getString("problem")).endsWith("licence-withdrawn");
        }
    }

    @Test
    void aTamperedCodeIsInvalid() throws Exception {
        String code = documentCode(seal, UUID.randomUUID(), Instant.now());
        // change one character in the middle (the payload), keeping the Base45 alphabet
        int at = code.length() / 2;
        char changed = code.charAt(at) == 'A' ? 'B' : 'A';
        String tampered = code.substring(0, at) + changed + code.substring(at + 1);
        JsonObject answer = verify(verticle, tampered);
        assertThat(answer.getString("verdict")).isEqualTo("INVALID");
        assertThat(answer.getString("problem")).isIn("urn:yinxin:problem:qr-signature-invalid", "urn:yinxin:problem:qr-invalid");
        assertThat(answer.getValue("claims")).as("claims of a code that did not verify are not shown").isNull();
    }

    @Test
    void aCodeSignedWithAnotherKeyUnderTheSealsKeyIdIsForged() throws Exception {
        KeyPair forger = CertificateMaker.newEcKeyPair();
        QrSigner signer = new QrSigner(forger.getPrivate(), seal.certificate(), null, QrSigner.DEFAULT_PREFIX,
                QrSigner.Compression.WHEN_SMALLER);
        UUID id = UUID.randomUUID();
        String forged = signer.sign(new DocumentQr(id, "https://verify.example/d/" + id, SamplePki.SEAL_ID,
                SamplePki.AGENCY_CODE, Instant.now()).toClaims());
        JsonObject answer = verify(verticle, forged);
        assertThat(answer.getString("verdict")).isEqualTo("INVALID");
        assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:qr-signature-invalid");
    }

    @Test
    void aSealCertificateThatDoesNotChainToTheTrustAnchorsSignsNothing() throws Exception {
        // someone publishes (or the seal service is tricked into publishing) a self-made "seal" certificate
        KeyPair fakeRootKeys = CertificateMaker.newEcKeyPair();
        var fakeRoot = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Yinxin Root CA"), fakeRootKeys,
                Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
        KeyPair keys = CertificateMaker.newEcKeyPair();
        var certificate = CertificateMaker.issue(CertificateMaker.sealSubject(SamplePki.SEAL_NAME, SamplePki.AGENCY,
                        SamplePki.AGENCY_CODE), keys.getPublic(), Profile.AGENCY_SEAL, fakeRoot, fakeRootKeys.getPrivate(),
                Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(30));
        sealService.put(new SealServiceStub.StubSeal("impostor", SamplePki.SEAL_NAME, SamplePki.AGENCY,
                SamplePki.AGENCY_CODE, "ACTIVE", null, List.of(certificate, fakeRoot)));
        try {
            assertThat(verticle.refreshSeals().await(30, TimeUnit.SECONDS)).isTrue();
            SealKey impostor = new SealKey(keys.getPrivate(), List.of(certificate, fakeRoot));
            JsonObject answer = verify(verticle, documentCode(impostor, UUID.randomUUID(), Instant.now()));
            assertThat(answer.getString("verdict")).isEqualTo("INDETERMINATE");
            assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:unknown-qr-signer");
            assertThat(answer.getJsonArray("reasons").encode()).contains("impostor").contains("does not chain to a trusted root");
        } finally {
            sealService.remove("impostor");
            verticle.refreshSeals().await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anExpiredCodeIsInvalidAndACodeFromTheFutureCannotBeConfirmed() throws Exception {
        Instant now = Instant.now();
        UUID id = UUID.randomUUID();
        String expired = new QrSigner(seal).sign(new DocumentQr(id, "https://verify.example/d/" + id,
                SamplePki.SEAL_ID, SamplePki.AGENCY_CODE, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)))
                .toClaims());
        JsonObject answer = verify(verticle, expired);
        assertThat(answer.getString("verdict")).isEqualTo("INVALID");
        assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:qr-expired");
        assertThat(answer.getString("summary")).contains("expired");

        JsonObject future = verify(verticle, documentCode(seal, id, now.plus(Duration.ofHours(1))));
        assertThat(future.getString("verdict")).isEqualTo("INDETERMINATE");
        assertThat(future.getString("problem")).isEqualTo("urn:yinxin:problem:qr-not-yet-valid");
    }

    @Test
    void aCodeNamingAnotherAgencyThanItsSealIsInvalid() throws Exception {
        UUID id = UUID.randomUUID();
        String code = new QrSigner(seal).sign(new DocumentQr(id, "https://verify.example/d/" + id, SamplePki.SEAL_ID,
                "91350100M000100Y43", Instant.now()).toClaims());
        JsonObject answer = verify(verticle, code);
        assertThat(answer.getString("verdict")).isEqualTo("INVALID");
        assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:qr-claims-mismatch");
    }

    @Test
    void aSignedCodeWithNeitherDocumentNorLicenceClaimsCannotBeConfirmed() throws Exception {
        String code = new QrSigner(seal).sign(CwtClaims.builder().issuer(SamplePki.AGENCY_CODE)
                .issuedAt(Instant.now()).build());
        JsonObject answer = verify(verticle, code);
        assertThat(answer.getString("verdict")).isEqualTo("INDETERMINATE");
        assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:qr-unknown-content");
    }

    @Test
    void textThatIsNoSignedCodeIsAnInvalidVerdictNotARefusal() throws Exception {
        JsonObject answer = verify(verticle, "https://example.com/not-our-code");
        assertThat(answer.getString("verdict")).isEqualTo("INVALID");
        assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:qr-invalid");
        JsonObject garbage = verify(verticle, "YX1:%%%%");
        assertThat(garbage.getString("verdict")).isEqualTo("INVALID");
        assertThat(garbage.getString("problem")).isEqualTo("urn:yinxin:problem:qr-invalid");
    }

    @Test
    void malformedRequestsAreRefused() throws Exception {
        assertProblem(post(verticle, "application/json", ""), 400, "empty-body");
        assertProblem(post(verticle, "application/json", "{\"code\": \"YX1:\"}"), 400, "invalid-request");
        assertProblem(post(verticle, "application/json", "{not json"), 400, "invalid-request");
        assertProblem(post(verticle, "application/json", "{\"text\": \"   \"}"), 400, "empty-body");
        assertProblem(post(verticle, "application/xml", "<text/>"), 415, "unsupported-media-type");
        assertProblem(post(verticle, "text/plain", "Y".repeat(VerifierVerticle.MAX_QR_REQUEST_BYTES + 1)), 413,
                "payload-too-large");
    }

    @Test
    void aSealTheSealServiceCreatedAfterTheLastFetchIsFoundByFetchingAgain() throws Exception {
        SealServiceStub stub = new SealServiceStub();
        try {
            VerifierVerticle fresh = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                    .withSeals(stub.url(), Files.createTempDirectory("verifier").resolve("seals.json")));
            stub.put(sampleSeal("ACTIVE", null));
            JsonObject answer = verify(fresh, documentCode(seal, UUID.randomUUID(), Instant.now()));
            assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("VALID");
            assertThat(stub.listCalls.get()).isEqualTo(2);
        } finally {
            stub.close();
        }
    }

    @Test
    void aSuspendedOrRevokedSealAsPublishedCountsWhenOffline() throws Exception {
        SealServiceStub stub = new SealServiceStub().put(sampleSeal("SUSPENDED", Instant.now().minus(Duration.ofMinutes(5))));
        try {
            VerifierConfig offline = new VerifierConfig(0, keystores.resolve("trust"), 1 << 20, null, null, 300, false, 2)
                    .withSeals(stub.url(), Files.createTempDirectory("verifier").resolve("seals.json"));
            VerifierVerticle verifier = deploy(offline);
            JsonObject suspended = verify(verifier, documentCode(seal, UUID.randomUUID(), Instant.now()));
            assertThat(suspended.getString("verdict")).isEqualTo("INDETERMINATE");
            assertThat(suspended.getString("problem")).isEqualTo("urn:yinxin:problem:qr-signer-suspended");

            Instant revokedAt = Instant.now().minus(Duration.ofMinutes(1));
            stub.put(sampleSeal("REVOKED", revokedAt));
            verifier.refreshSeals().await(30, TimeUnit.SECONDS);
            JsonObject after = verify(verifier, documentCode(seal, UUID.randomUUID(), Instant.now()));
            assertThat(after.getString("verdict")).isEqualTo("INVALID");
            assertThat(after.getString("problem")).isEqualTo("urn:yinxin:problem:qr-signer-revoked");
            JsonObject before = verify(verifier, documentCode(seal, UUID.randomUUID(), revokedAt.minus(Duration.ofHours(1))));
            assertThat(before.getString("verdict")).as("made before the revocation, but nothing proves it")
                    .isEqualTo("INDETERMINATE");

            stub.put(sampleSeal("ACTIVE", null));
            verifier.refreshSeals().await(30, TimeUnit.SECONDS);
            JsonObject active = verify(verifier, documentCode(seal, UUID.randomUUID(), Instant.now()));
            assertThat(active.getString("verdict")).as(active.encodePrettily()).isEqualTo("VALID");
            assertThat(active.getJsonObject("revocation").getString("state")).isEqualTo("UNAVAILABLE");
            assertThat(active.getJsonArray("reasons").encode()).contains("listed the seal as ACTIVE");
        } finally {
            stub.close();
        }
    }

    @Test
    void aSealCertificateRevokedAtItsCaIsCaughtOnline() throws Exception {
        // a PKI of its own: the revocation is not to leak into the other tests
        try (TestRevocationServer own = new TestRevocationServer();
             SealServiceStub stub = new SealServiceStub()) {
            SealKey key = SealKey.fromPkcs12(own.keystores().resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                    SamplePki.PASSWORD.toCharArray());
            stub.put(new SealServiceStub.StubSeal(SamplePki.SEAL_ID, SamplePki.SEAL_NAME, SamplePki.AGENCY,
                    SamplePki.AGENCY_CODE, "ACTIVE", null, key.chain()));
            VerifierVerticle verifier = deploy(new VerifierConfig(0, own.keystores().resolve("trust"), 1 << 20)
                    .withSeals(stub.url(), Files.createTempDirectory("verifier").resolve("seals.json")));
            own.revoke(key.certificate().getSerialNumber(), Instant.now().minus(Duration.ofMinutes(10)), 1);
            JsonObject answer = verify(verifier, documentCode(key, UUID.randomUUID(), Instant.now()));
            assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INVALID");
            assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:qr-signer-revoked");
            assertThat(answer.getJsonObject("revocation").getString("state")).isEqualTo("REVOKED");
            assertThat(answer.getJsonObject("revocation").getString("reason")).isEqualTo("keyCompromise");
        }
    }

    @Test
    void withoutASealServiceNoCodeCanBeConfirmed() throws Exception {
        VerifierVerticle bare = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20));
        JsonObject answer = verify(bare, documentCode(seal, UUID.randomUUID(), Instant.now()));
        assertThat(answer.getString("verdict")).isEqualTo("INDETERMINATE");
        assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:unknown-qr-signer");
        assertThat(answer.getJsonArray("reasons").encode()).contains("YINXIN_SEALS_URL");
    }

    /**
     * The verifier cannot reach the ca-service and its cached trust list is older than the staleness limit: a
     * genuine code is no longer VALID but INDETERMINATE, "trust data too old"; with a longer limit it is VALID.
     */
    @Test
    void trustDataOlderThanTheLimitMakesAGenuineCodeIndeterminate() throws Exception {
        Instant tenDaysAgo = Instant.now().minus(Duration.ofDays(10));
        TrustedCa own = new TrustedCa("Yinxin Root CA", hierarchy.root().certificate(), EnumSet.allOf(TrustedCa.Purpose.class),
                tenDaysAgo, Instant.now().plus(Duration.ofDays(100)), true);
        String oldList = new TrustList(7, tenDaysAgo, tenDaysAgo.plus(Duration.ofDays(1)), List.of(own))
                .sign(hierarchy.trustListSigner());
        Path cache = Files.createTempDirectory("verifier").resolve("trust-list.jws");
        Files.writeString(cache, oldList);
        Path seals = Files.createTempDirectory("verifier").resolve("seals.json");
        VerifierConfig unreachable = new VerifierConfig(0, keystores.resolve("trust"), 1 << 20,
                "http://127.0.0.1:1/api/v1/trust-list", cache, 300, true, 2).withSeals(sealService.url(), seals);

        VerifierVerticle strict = deploy(unreachable.withMaxStaleness(7 * 24 * 3600));
        String code = documentCode(seal, UUID.randomUUID(), Instant.now());
        JsonObject answer = verify(strict, code);
        assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INDETERMINATE");
        assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:trust-data-too-old");
        assertThat(answer.getString("summary")).startsWith("Trust data too old").contains("sequence 7");
        assertThat(answer.getJsonObject("trust").getBoolean("stale")).isTrue();
        assertThat(answer.getJsonObject("claims").getString("sealId")).as("the code itself is genuine").isEqualTo(SamplePki.SEAL_ID);
        JsonObject status = get(strict, "/api/v1/trust-status");
        assertThat(status.getBoolean("stale")).isTrue();
        assertThat(status.getJsonObject("trustList").getLong("sequence")).isEqualTo(7);
        assertThat(status.getJsonObject("trustList").getString("source")).isEqualTo("the cached copy");
        assertThat(status.getLong("maxStalenessSeconds")).isEqualTo(7 * 24 * 3600);

        // nextUpdate was 9 days ago: only a limit and a grace that both reach back that far let the list count
        VerifierVerticle lenient = deploy(unreachable.withMaxStaleness(30L * 24 * 3600).withLists(unreachable.lists()
                .withTrustList(java.util.Set.of(), new cn.yinxin.core.trust.TrustListRules(Duration.ofDays(30), 1000,
                        Duration.ofMinutes(5)))));
        assertThat(verify(deploy(unreachable.withMaxStaleness(30L * 24 * 3600)), code).getString("summary"))
                .as("the default grace of a day does not").contains("due to be replaced");
        assertThat(verify(lenient, code).getString("verdict")).isEqualTo("VALID");
    }

    @Test
    void sealCertificatesSurviveARestartWithoutTheSealService() throws Exception {
        Path cache = Files.createTempDirectory("verifier").resolve("seals.json");
        SealServiceStub stub = new SealServiceStub().put(sampleSeal("ACTIVE", null));
        deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20).withSeals(stub.url(), cache));
        stub.close();
        assertThat(cache).exists();
        VerifierVerticle offline = deploy(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                .withSeals(stub.url(), cache));
        JsonObject answer = verify(offline, documentCode(seal, UUID.randomUUID(), Instant.now()));
        assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("VALID");
        JsonObject status = get(offline, "/api/v1/trust-status");
        assertThat(status.getJsonObject("seals").getString("source")).isEqualTo("the cached copy");
        assertThat(status.getJsonObject("seals").getString("lastError")).isNotBlank();
        JsonObject signers = get(offline, "/api/v1/qr-signers");
        assertThat(signers.getJsonArray("signers")).hasSize(1);
        assertThat(signers.getJsonArray("signers").getJsonObject(0).getString("kid"))
                .isEqualTo(java.util.HexFormat.of().formatHex(QrSigner.kid(seal.certificate())));
    }

    /**
     * Development login, no X-Dev-Roles: an anonymous caller, who sees a licence code's holder masked, whether the
     * code is checked on the event loop (a code without a status list, its seal known) or on a worker. An officer
     * (X-Dev-Roles: officer) without a purpose sees the same; with one but no licence service to disclose and record
     * it, still masked.
     */
    @Test
    void theDevelopmentLoginShowsAnAnonymousCallerALicenceHolderMasked() throws Exception {
        String code = new QrSigner(seal).sign(new cn.yinxin.core.qr.LicenceQr("1.2.156.3005.2.x.99",
                "11410000MB00001749002", "李四", "110105********002X", java.time.LocalDate.now().minusYears(1),
                null, SamplePki.AGENCY_CODE, Instant.now().truncatedTo(ChronoUnit.SECONDS), null, null).toClaims());
        for (int i = 0; i < 2; i++) { // the first may wait for the seals on a worker, the second is at hand
            var anonymous = post(verticle, "application/json", new JsonObject().put("text", code).encode());
            assertThat(anonymous.headers().firstValue("X-Yinxin-Login")).hasValue("development");
            JsonObject answer = new JsonObject(anonymous.body());
            assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("VALID");
            assertThat(answer.getJsonObject("claims").getString("holderName")).isEqualTo("李*");
            assertThat(anonymous.body()).doesNotContain("李四");
            assertThat(answer.getString("personalData")).as("no officer without X-Dev-Roles").contains("sign in as an officer");
        }
        for (JsonObject extra : List.of(new JsonObject(), new JsonObject().put("purpose", "路面检查").put("caseNumber", "A-1"))) {
            var officer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(verticle, "/api/v1/verify/qr"))
                    .header("Content-Type", "application/json").header("X-Dev-Roles", "officer")
                    .POST(HttpRequest.BodyPublishers.ofString(extra.put("text", code).encode())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(officer.statusCode()).isEqualTo(200);
            assertThat(officer.body()).doesNotContain("李四");
            assertThat(new JsonObject(officer.body()).getString("personalData")).as(officer.body())
                    .containsAnyOf("用证事由", "no licence service configured");
        }
    }

    static JsonObject verify(VerifierVerticle verifier, String text) throws Exception {
        HttpResponse<String> response = post(verifier, "application/json", new JsonObject().put("text", text).encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return new JsonObject(response.body());
    }

    static HttpResponse<String> post(VerifierVerticle verifier, String type, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(verifier, "/api/v1/verify/qr"))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject get(VerifierVerticle verifier, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(verifier, path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("urn:yinxin:problem:" + slug);
    }

    static URI uri(VerifierVerticle verifier, String path) {
        return URI.create("http://localhost:" + verifier.port() + path);
    }
}
