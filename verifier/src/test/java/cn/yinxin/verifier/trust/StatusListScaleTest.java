package cn.yinxin.verifier.trust;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.StatusList;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.verifier.SealServiceStub;
import cn.yinxin.verifier.VerifierMain;
import cn.yinxin.verifier.config.ListSettings;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.VerifierVerticle;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Status lists of a province's licences at the real verifier (POST /api/v1/verify/qr): a list far past the 16 KiB
 * a code's payload may have (200,000 licences, some revoked and suspended at random, so it does not compress to
 * nothing) verifies codes; a compressed "bomb" (a small token that inflates to far more than the limit) is refused
 * with a reason, INDETERMINATE, neither inflated in full nor a 500.
 */
class StatusListScaleTest {

    private static Vertx vertx;
    private static TestRevocationServer revocation;
    private static SealServiceStub sealService;
    private static SealKey seal;
    private static Path keystores;

    /** The token the list server answers with, whatever is asked. */
    private static final AtomicReference<byte[]> served = new AtomicReference<>();
    private static HttpServer lists;
    private static String uri;

    @BeforeAll
    static void start() throws Exception {
        revocation = new TestRevocationServer();
        keystores = revocation.keystores();
        seal = SealKey.fromPkcs12(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        sealService = new SealServiceStub().put(new SealServiceStub.StubSeal(SamplePki.SEAL_ID, SamplePki.SEAL_NAME,
                SamplePki.AGENCY, SamplePki.AGENCY_CODE, "ACTIVE", null, seal.chain()));
        vertx = VerifierMain.newVertx();
        lists = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        uri = "http://127.0.0.1:" + lists.getAddress().getPort() + "/api/v1/status-lists/" + SamplePki.AGENCY_CODE
                + "/11410000MB00001749002";
        lists.createContext("/api/v1/status-lists/", exchange -> {
            byte[] token = served.get();
            exchange.getResponseHeaders().add("Content-Type", "application/statuslist+cwt");
            exchange.sendResponseHeaders(200, token.length);
            exchange.getResponseBody().write(token);
            exchange.close();
        });
        lists.start();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        lists.stop(0);
        sealService.close();
        revocation.close();
    }

    private static VerifierVerticle deploy(ListSettings.StatusListSizes sizes) throws Exception {
        VerifierConfig config = new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                .withSeals(sealService.url(), Files.createTempDirectory("verifier-scale").resolve("seals.json"));
        config = config.withLists(config.lists().withStatusListAddresses(uri).withStatusListSizes(sizes));
        VerifierVerticle verifier = new VerifierVerticle(config);
        vertx.deployVerticle(verifier).await(60, TimeUnit.SECONDS);
        return verifier;
    }

    private static byte[] token(byte[] lst) throws Exception {
        return new QrSigner(seal).coseSign1(CwtClaims.builder().subject(uri)
                .issuedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS)).put(65534, 60L)
                .put(65533, Map.of("bits", 2, "lst", lst)).build());
    }

    private static String licenceCode(long index) throws Exception {
        return new QrSigner(seal).sign(new LicenceQr("1.2.156.3005.2.x." + index, "11410000MB00001749002", "李四",
                "110105********002X", LocalDate.now().minusYears(1), null, SamplePki.AGENCY_CODE,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), null, new CwtClaims.StatusReference(index, uri))
                .toClaims());
    }

    private static JsonObject verify(VerifierVerticle verifier, String code) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + verifier.port() + "/api/v1/verify/qr"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("text", code).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    @Test
    void aListOf200000LicencesFarPast16KiBVerifiesCodes() throws Exception {
        StatusList list = StatusList.of(200_000, 2);
        Random random = new Random(19);
        for (int i = 0; i < 30_000; i++) { // some 14 % not valid, spread at random: what a real register looks like
            list.set(random.nextInt(200_000), random.nextBoolean() ? StatusList.INVALID : StatusList.SUSPENDED);
        }
        list.set(199_998, StatusList.VALID);
        list.set(199_999, StatusList.INVALID);
        list.set(7, StatusList.SUSPENDED);
        served.set(token(list.compressed()));
        assertThat(served.get().length).as("the signed list").isGreaterThan(16 * 1024);

        VerifierVerticle verifier = deploy(ListSettings.StatusListSizes.DEFAULTS);
        JsonObject valid = verify(verifier, licenceCode(199_998));
        assertThat(valid.getString("verdict")).as(valid.encodePrettily()).isEqualTo("VALID");
        assertThat(valid.getJsonArray("reasons").encode()).contains("valid according to the status list");
        JsonObject withdrawn = verify(verifier, licenceCode(199_999));
        assertThat(withdrawn.getString("problem")).as(withdrawn.encodePrettily()).endsWith("licence-withdrawn");
        assertThat(verify(verifier, licenceCode(7)).getString("problem")).endsWith("licence-suspended");
    }

    @Test
    void aCompressedBombIsRefusedWithAReasonNotInflated() throws Exception {
        // 64 MiB of zeros: about 64 KiB of zlib, a well-formed signed list by the right seal
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        byte[] buffer = new byte[1 << 16];
        for (int i = 0; i < 64; i++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                zipped.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            zipped.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        served.set(token(zipped.toByteArray()));
        assertThat(served.get().length).isLessThan(ListSettings.StatusListSizes.DEFAULTS.maxTokenBytes());

        VerifierVerticle verifier = deploy(ListSettings.StatusListSizes.DEFAULTS);
        JsonObject answer = verify(verifier, licenceCode(1));
        assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INDETERMINATE");
        assertThat(answer.getString("problem")).isEqualTo("urn:yinxin:problem:licence-status-unchecked");
        assertThat(answer.getJsonArray("reasons").encode()).contains("inflates to more than 16777216 bytes");
    }

    @Test
    void aListLargerThanTheConfiguredLimitIsNotRead() throws Exception {
        StatusList list = StatusList.of(200_000, 2);
        Random random = new Random(20);
        for (int i = 0; i < 30_000; i++) {
            list.set(random.nextInt(200_000), StatusList.INVALID);
        }
        list.set(3, StatusList.VALID);
        served.set(token(list.compressed()));
        assertThat(served.get().length).isGreaterThan(16 * 1024);
        VerifierVerticle verifier = deploy(new ListSettings.StatusListSizes(16 * 1024, 16 << 20));
        JsonObject answer = verify(verifier, licenceCode(3));
        assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("INDETERMINATE");
        assertThat(answer.getJsonArray("reasons").encode()).contains("YINXIN_VERIFIER_STATUS_LIST_MAX_BYTES");
    }
}
