package cn.yinxin.verifier.trust;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.core.trust.TrustedCa.Purpose;
import cn.yinxin.core.trust.TrustedCa;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.VerifierVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutual recognition in the verifier: a seal certified by another province's CA verifies once the signed trust list
 * names that CA, and stops verifying when a later list drops it; a forged list is ignored; the last authentic list
 * survives a restart without network.
 */
class RecognisedCaTest {

    private static Vertx vertx;
    private static HttpServer listServer;
    private static final AtomicReference<String> served = new AtomicReference<>("");
    private static CaHierarchy hierarchy;
    private static TrustedCa ownRoot;
    private static TrustedCa otherRoot;
    private static SealKey otherRootKey;
    private static byte[] sealedByOtherProvince;
    private static Path keystores;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void setUp() throws Exception {
        keystores = Files.createTempDirectory("yinxin-keystores");
        SamplePki.create(keystores);
        hierarchy = CaHierarchy.load(new Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray()));
        Instant now = Instant.now();
        // another province's PKI: its root, its seal CA and one of its agencies' seals
        TestPki otherProvince = TestPki.builder().root("Other Province Root CA").issuingCa("Other Province Seal CA")
                .revocationPointers(false).notBefore(now.minus(Duration.ofHours(1))).validity(Duration.ofDays(30))
                .seal("外省某局专用章", "外省某局", "91350100M000100Y43", Status.GOOD).build();
        var other = otherProvince.root().certificate();
        otherRootKey = new SealKey(otherProvince.root().privateKey(), otherProvince.root().chain());
        Identity seal = otherProvince.identity("外省某局专用章");
        byte[] pdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        sealedByOtherProvince = new PdfSealer().seal(pdf, new SealRequest(new SealKey(seal.privateKey(), seal.chain()),
                new SealAppearance(Files.readAllBytes(keystores.resolve("seals/" + SamplePki.SEAL_ID + "/seal.png")), 40, 40),
                new SealPlacement(1, 100, 100), "外省某局专用章", null, now));
        ownRoot = new TrustedCa("Yinxin Root CA", hierarchy.root().certificate(), EnumSet.allOf(Purpose.class),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(100)), true);
        otherRoot = new TrustedCa("Other Province Root CA", other, EnumSet.of(Purpose.AGENCY_SEALS),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), false);

        vertx = Vertx.vertx();
        listServer = vertx.createHttpServer().requestHandler(request -> request.response()
                .putHeader("Content-Type", "application/jose").end(served.get())).listen(0).await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void tearDown() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void aRecognisedCaCountsWhileTheSignedListNamesIt() throws Exception {
        Path cache = Files.createTempDirectory("verifier").resolve("trust-list.jws");
        served.set(list(1, ownRoot, otherRoot).sign(hierarchy.trustListSigner()));
        VerifierVerticle verifier = start(cache);
        assertThat(verdict(verifier)).isEqualTo("VALID");

        served.set(list(2, ownRoot).sign(hierarchy.trustListSigner()));
        assertThat(verifier.refreshTrust().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(verdict(verifier)).as("dropped from the list").isEqualTo("INDETERMINATE");

        // a list signed by someone else is not believed, whatever it says
        served.set(list(3, ownRoot, otherRoot).sign(otherRootKey));
        assertThat(verifier.refreshTrust().await(10, TimeUnit.SECONDS)).isFalse();
        assertThat(verdict(verifier)).isEqualTo("INDETERMINATE");
    }

    @Test
    void withoutAListOnlyTheTrustFolderCounts() throws Exception {
        VerifierVerticle verifier = new VerifierVerticle(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20));
        vertx.deployVerticle(verifier).await(30, TimeUnit.SECONDS);
        assertThat(verdict(verifier)).isEqualTo("INDETERMINATE");
    }

    @Test
    void theCachedListIsUsedWhenTheCaServiceCannotBeReached() throws Exception {
        Path cache = Files.createTempDirectory("verifier").resolve("trust-list.jws");
        served.set(list(5, ownRoot, otherRoot).sign(hierarchy.trustListSigner()));
        start(cache);
        assertThat(cache).exists();

        VerifierVerticle offline = new VerifierVerticle(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20,
                "http://localhost:1/unreachable", cache, 300, true, 2));
        vertx.deployVerticle(offline).await(30, TimeUnit.SECONDS);
        assertThat(verdict(offline)).isEqualTo("VALID");
        var health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + offline.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(new JsonObject(health.body()).getLong("trustListSequence")).isEqualTo(5);
    }

    /**
     * Ninth hostile read: the PDF route's verifier was made when the list changed, with the anchors (and seal makers)
     * of that moment, and kept until the list changed again. A CA (or a SEAL_MAKING maker) past its entry's
     * validUntil, or a whole list past nextUpdate + grace while the ca-service cannot be reached, still counted for
     * PDFs (VALID) though the OFD route and the QR check had dropped it: the entries of the moment count for PDFs too.
     */
    @Test
    void aRecognisedCaPastItsEntrysWindowNoLongerCountsForPdfsThoughTheListIsUnchanged() throws Exception {
        Instant now = Instant.now();
        TrustedCa briefly = new TrustedCa("Other Province Root CA", otherRoot.certificate(),
                EnumSet.of(Purpose.AGENCY_SEALS), now.minus(Duration.ofDays(1)), now.plusSeconds(4), false);
        served.set(list(21, ownRoot, briefly).sign(hierarchy.trustListSigner()));
        VerifierVerticle verifier = start(Files.createTempDirectory("verifier").resolve("trust-list.jws"));
        assertThat(verdict(verifier)).isEqualTo("VALID");

        Thread.sleep(Duration.between(Instant.now(), now.plusSeconds(5)).toMillis());
        assertThat(verdict(verifier)).as("past the entry's validUntil, the list unchanged").isEqualTo("INDETERMINATE");
    }

    /**
     * Another province's OFD seal: its own SM2 PKI and its own seal maker (no seal-making key purpose of ours). With
     * the province's root on the list the seal's keys chain, but its name and picture are its maker's word:
     * INDETERMINATE. Once the list also names that maker's certificate (SEAL_MAKING) it is VALID; a later list
     * without the maker takes it back.
     */
    @Test
    void anotherProvincesSealMakerCountsWhileTheSignedListNamesIt() throws Exception {
        Instant now = Instant.now();
        TestPki province = TestPki.builder().keyType(cn.yinxin.testing.pki.KeyType.SM2).root("Other Province SM2 Root")
                .issuingCa("Other Province SM2 Seal CA").revocationPointers(false).notBefore(now.minus(Duration.ofHours(1)))
                .validity(Duration.ofDays(30)).seal("外省某局电子印章", "外省某局", "11430000006122244L", Status.GOOD)
                .identity("Other Province Seal Maker", Status.GOOD).build();
        Identity signer = province.identity("外省某局电子印章");
        Identity maker = province.identity("Other Province Seal Maker");
        Instant made = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var seal = new cn.yinxin.core.ses.SealMaker(new SealKey(maker.privateKey(), maker.chain()), "OTHER")
                .make(new cn.yinxin.core.ses.SealMaker.SealSpec("other-province-1", cn.yinxin.core.ses.SealMaker.TYPE_ORGANISATION,
                        "外省某局电子印章", Files.readAllBytes(keystores.resolve("seals/" + SamplePki.SEAL_ID + "/seal.png")),
                        40, 40, List.of(signer.certificate()), made.minus(Duration.ofDays(1)),
                        made.plus(Duration.ofDays(20))), made);
        var writer = new cn.yinxin.core.ofd.OfdWriter().title("通知").created(java.time.LocalDate.of(2026, 12, 6));
        writer.page(210, 297).text(20, 70, 4.5, "经审核，同意办理。");
        byte[] ofd = new cn.yinxin.core.ofd.seal.OfdSealer(null).seal(writer.write(),
                new cn.yinxin.core.ofd.seal.OfdSealRequest(seal, new SealKey(signer.privateKey(), signer.chain()),
                        new SealPlacement(1, 100, 100), now));
        // the province's seal CA is registered (an OFD seal carries only the signer's and the maker's certificates)
        TrustedCa provinceRoot = new TrustedCa("Other Province SM2 Seal CA", province.issuingCa().certificate(),
                EnumSet.of(Purpose.AGENCY_SEALS), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), false);
        TrustedCa provinceMaker = new TrustedCa("Other Province Seal Maker", maker.certificate(),
                EnumSet.of(Purpose.SEAL_MAKING), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10)), false);

        served.set(list(11, ownRoot, provinceRoot).sign(hierarchy.trustListSigner()));
        VerifierVerticle verifier = start(Files.createTempDirectory("verifier").resolve("trust-list.jws"));
        JsonObject unknown = ofdReport(verifier, ofd);
        assertThat(unknown.getString("verdict")).as(unknown.encodePrettily()).isEqualTo("INDETERMINATE");
        assertThat(unknown.encode()).contains("MAKER_CERTIFICATE").contains("does not carry the seal-making key purpose");

        served.set(list(12, ownRoot, provinceRoot, provinceMaker).sign(hierarchy.trustListSigner()));
        assertThat(verifier.refreshTrust().await(10, TimeUnit.SECONDS)).isTrue();
        JsonObject known = ofdReport(verifier, ofd);
        assertThat(known.getString("verdict")).as(known.encodePrettily()).isEqualTo("VALID");

        served.set(list(13, ownRoot, provinceRoot).sign(hierarchy.trustListSigner()));
        assertThat(verifier.refreshTrust().await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ofdReport(verifier, ofd).getString("verdict")).as("the maker dropped from the list")
                .isEqualTo("INDETERMINATE");
    }

    private JsonObject ofdReport(VerifierVerticle verifier, byte[] ofd) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + verifier.port()
                        + "/api/v1/verify/ofd")).header("Content-Type", "application/ofd")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ofd)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private VerifierVerticle start(Path cache) throws Exception {
        VerifierVerticle verifier = new VerifierVerticle(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20,
                "http://localhost:" + listServer.actualPort() + "/api/v1/trust-list", cache, 300, true, 2));
        vertx.deployVerticle(verifier).await(30, TimeUnit.SECONDS);
        return verifier;
    }

    private static TrustList list(long sequence, TrustedCa... cas) {
        Instant now = Instant.now();
        return new TrustList(sequence, now, now.plus(Duration.ofDays(1)), List.of(cas));
    }

    private String verdict(VerifierVerticle verifier) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + verifier.port()
                        + "/api/v1/verify/pdf")).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(sealedByOtherProvince)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new JsonObject(response.body()).getString("verdict");
    }
}
