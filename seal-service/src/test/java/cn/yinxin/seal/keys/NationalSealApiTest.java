package cn.yinxin.seal.keys;

import cn.yinxin.seal.registry.Seal;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.ReportMaps;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.core.ses.SesHeader;
import cn.yinxin.core.ses.SesPictureInfo;
import cn.yinxin.core.ses.SesPropertyInfo;
import cn.yinxin.core.ses.SesSealInfo;
import cn.yinxin.core.ses.SesVerifier;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.CaServiceExtension;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * National mode against the real ca-service (its jar in a process): an SM2 seal created through the API gets a
 * GB/T 38540 v4 SESeal from the CA's seal maker with the stamped image, downloadable and verifiable; its stamps
 * carry a GB/T 38540 seal signature next to the PAdES one, which the verifier checks with the seal maker's chain
 * and revocation and the seal's own status.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot), a CA service process, an embedded PostgreSQL")
class NationalSealApiTest {

    // one CA for the seal service's test classes (see CaServiceExtension): each has its own database and key
    // store, and the CA only issues, revokes and makes seals for the seal ids and persons of the class asking
    @RegisterExtension
    static final CaServiceExtension ca = CaServiceExtension.shared("ca_for_seal_tests");
    private static final Path keyStore = ca.sealKeyStore();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("seal_national"));
        registry.add("yinxin.seals.import-dir", () -> ca.keystores().resolve("seals").toString());
        registry.add("yinxin.seals.keystore.path", keyStore::toString);
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.ca-url", ca::url);
        registry.add("yinxin.seals.ca-timeout", () -> "PT5S");
        registry.add("yinxin.stamp.tsa-url", () -> ca.url() + "/tsa");
    }

    @Test
    void anSm2SealGetsADownloadableSESealSignedByTheCasSealMakerWithTheStampedImage() throws Exception {
        var created = createSm2Seal("national-office");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        var download = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/national-office/seseal")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        SESeal seal = SESeal.getInstance(download.body());
        assertThat(seal.der()).as("DER, re-encoded byte for byte").isEqualTo(download.body());
        assertThat(seal.sealInfo().header().version()).isEqualTo(4);
        assertThat(seal.sealInfo().esId()).isEqualTo("national-office");
        assertThat(seal.sealInfo().property().name()).isEqualTo("示例市行政审批服务局公章");
        assertThat(seal.sealInfo().property().type()).as("GB/T 38540: 1 an organisation's seal, 2 a person's")
                .isEqualTo(SealMaker.TYPE_ORGANISATION);
        byte[] stamped = jdbc.sql("SELECT stamp_png FROM seal WHERE id = 'national-office'").query(byte[].class).single();
        assertThat(seal.sealInfo().picture().data()).as("the image stamped").isEqualTo(stamped);
        assertThat(seal.sealInfo().picture().widthMm()).isEqualTo(42);

        List<X509Certificate> chain = Pem.readCertificates(get("/api/v1/seals/national-office/certificate")
                .body().getBytes(StandardCharsets.US_ASCII));
        assertThat(Sm2Signatures.isSm2(chain.get(0).getPublicKey())).isTrue();
        assertThat(seal.sealInfo().property().certs()).containsExactly(chain.get(0).getEncoded());
        X509Certificate maker = Pem.readCertificates(http.send(HttpRequest.newBuilder(
                URI.create(ca.url() + "/api/v1/seal-maker/certificate")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).get(0);
        assertThat(seal.makerCertificate()).isEqualTo(maker.getEncoded());
        assertThat(maker.getSubjectX500Principal().getName()).contains("Yinxin Seal Maker");

        var result = new SesVerifier(List.of(root()), chain).verifySeal(download.body(), Instant.now());
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        // the seal maker knows it made it
        assertThat(caAudit()).contains("seseal made").contains("seseal:national-office");
        assertThat(get("/api/v1/seals/national-office/status").body()).contains("\"status\":\"ACTIVE\"")
                .contains("\"seseal\":true");
    }

    @Test
    void theSealMakerSignsOnlySealsOfItsOwnSm2Certificates() throws Exception {
        // the sample seal's certificate: issued by the seal CA, but a P-256 key
        X509Certificate p256 = Pem.readCertificates(get("/api/v1/seals/" + SamplePki.SEAL_ID + "/certificate").body()
                .getBytes(StandardCharsets.US_ASCII)).get(0);
        Instant now = Instant.now();
        byte[] info = new SesSealInfo(new SesHeader("TEST"), "not-mine", SesPropertyInfo.withCertificates(1, "x",
                List.of(p256.getEncoded()), now, now, now.plus(Duration.ofDays(1))),
                new SesPictureInfo("PNG", png(100), 40, 40), null).getEncoded("DER");
        var refused = http.send(HttpRequest.newBuilder(URI.create(ca.url() + "/api/v1/seseals"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(info))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("invalid-seal-info").contains("SM2");
        var garbage = http.send(HttpRequest.newBuilder(URI.create(ca.url() + "/api/v1/seseals"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray("not DER".getBytes())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(422);
        // and a seal without an SESeal says so
        assertThat(get("/api/v1/seals/" + SamplePki.SEAL_ID + "/seseal").statusCode()).isEqualTo(404);
    }

    @Test
    void aNationalStampCarriesAGbt38540SealSignatureThatTheVerifierChecks() throws Exception {
        sm2Seal("national-stamping");
        var response = stamp("national-stamping", null);
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        byte[] nationalStamp = response.body();

        var report = verifier().verify(nationalStamp);
        var signature = report.signatures().get(0);
        var national = signature.nationalSeal();
        assertThat(national).as("national by default for a seal with an SESeal").isNotNull();
        assertThat(report.verdict()).as(signature.reasons() + " / " + national.reasons()).isEqualTo(Verdict.VALID);
        assertThat(national.valid()).isTrue();
        assertThat(national.esId()).isEqualTo("national-stamping");
        assertThat(national.sealStatus()).isEqualTo("ACTIVE");
        assertThat(national.timeStamped()).as("time-stamped by the CA's TSA").isTrue();
        assertThat(national.maker()).contains("Yinxin Seal Maker");
        assertThat(national.reasons()).anyMatch(r -> r.startsWith("Seal maker chain:") && r.contains("Yinxin Seal Maker")
                && r.contains("was not revoked"));
        assertThat(ReportMaps.toMap(report).toString()).contains("nationalSeal");

        // national=false: a plain PAdES signature; national=true on a P-256 seal: refused
        var plain = stamp("national-stamping", false);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(verifier().verify(plain.body()).signatures().get(0).nationalSeal()).isNull();
        var refused = stamp(SamplePki.SEAL_ID, true);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("seal-not-usable").contains("GB/T 38540");
    }

    @Test
    void aRenewedSm2SealGetsANewKeyAndSESealAndItsEarlierNationalStampStaysValid() throws Exception {
        sm2Seal("national-renewed");
        var before = stamp("national-renewed", null);
        assertThat(before.statusCode()).isEqualTo(200);
        byte[] nationalStamp = before.body();
        byte[] oldSeSeal = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/national-renewed/seseal")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        var renewed = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/national-renewed/renewal"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);

        List<X509Certificate> chain = Pem.readCertificates(get("/api/v1/seals/national-renewed/certificate")
                .body().getBytes(StandardCharsets.US_ASCII));
        assertThat(Sm2Signatures.isSm2(chain.get(0).getPublicKey())).as("still an SM2 seal").isTrue();
        byte[] newSeSeal = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/national-renewed/seseal")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        assertThat(newSeSeal).isNotEqualTo(oldSeSeal);
        SESeal seal = SESeal.getInstance(newSeSeal);
        assertThat(seal.sealInfo().esId()).isEqualTo("national-renewed");
        assertThat(seal.sealInfo().property().certs()).as("the new SESeal names the new certificate")
                .containsExactly(chain.get(0).getEncoded());
        assertThat(SESeal.getInstance(oldSeSeal).sealInfo().property().certs().get(0)).isNotEqualTo(chain.get(0).getEncoded());
        var result = new SesVerifier(List.of(root()), chain).verifySeal(newSeSeal, Instant.now());
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();

        // the national stamp made before the renewal still verifies; a new one carries the new SESeal
        var earlier = verifier().verify(nationalStamp);
        assertThat(earlier.verdict()).as(earlier.signatures().get(0).reasons().toString()).isEqualTo(Verdict.VALID);
        var response = stamp("national-renewed", null);
        assertThat(response.statusCode()).isEqualTo(200);
        var later = verifier().verify(response.body());
        assertThat(later.verdict()).as(later.signatures().get(0).reasons().toString()).isEqualTo(Verdict.VALID);
        assertThat(later.signatures().get(0).nationalSeal().esId()).isEqualTo("national-renewed");
        assertThat(new java.math.BigInteger(later.signatures().get(0).signer().serialNumber(), 16))
                .isEqualTo(chain.get(0).getSerialNumber());
    }

    @Test
    void aSuspendedSealsNationalStampIsNotValid() throws Exception {
        sm2Seal("national-suspended");
        var stamped = stamp("national-suspended", null);
        assertThat(stamped.statusCode()).isEqualTo(200);
        byte[] nationalStamp = stamped.body();
        var suspended = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/national-suspended/suspension"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"reason\":\"lost\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
        var signature = verifier().verify(nationalStamp).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.nationalSeal().problem()).isEqualTo("SEAL_STATUS");
        assertThat(signature.nationalSeal().sealStatus()).isEqualTo("SUSPENDED");
        assertThat(signature.reasons().getLast()).contains("SUSPENDED at its issuer");
    }

    // ---- helpers

    /** Each test makes what it needs: an SM2 seal of its own, so that it passes alone and in any order. */
    private void sm2Seal(String id) throws Exception {
        var created = createSm2Seal(id);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private HttpResponse<String> createSm2Seal(String id) throws Exception {
        return http.send(new Multipart().file("image", "seal.png", "image/png", png(600))
                .field("id", id).field("name", "示例市行政审批服务局公章").field("agency", "示例市行政审批服务局")
                .field("agencyCode", SamplePki.AGENCY_CODE).field("kind", "AGENCY").field("widthMm", 42)
                .field("heightMm", 42).field("keyAlgorithm", "SM2")
                .field("users", "[{\"client\":\"development\",\"levels\":[\"B_B\",\"B_T\"]}]")
                .post(uri("/api/v1/seals")), HttpResponse.BodyHandlers.ofString());
    }

    private PdfVerifier verifier() throws Exception {
        return new PdfVerifier(List.of(root()), new OnlineRevocationSource(Duration.ofSeconds(5)))
                .withSealStatus(id -> {
                    var answer = get("/api/v1/seals/" + id + "/status");
                    return answer.statusCode() == 404 ? null : JSON.readTree(answer.body()).get("status").asString();
                });
    }

    private static X509Certificate root() throws Exception {
        return Pem.readFolder(ca.keystores().resolve("trust")).get(0);
    }

    private HttpResponse<byte[]> stamp(String sealId, Boolean national) throws Exception {
        Multipart form = new Multipart().file("file", "result.pdf", "application/pdf",
                        Files.readAllBytes(ca.keystores().resolve("samples/approval-result.pdf")))
                .field("sealId", sealId).field("page", 1).field("x", 150).field("y", 230);
        if (national != null) {
            form.field("national", national.toString());
        }
        return http.send(form.post(uri("/api/v1/stamp")), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The CA's audit log, read from its database. */
    private static String caAudit() throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(TestDatabase.jdbcUrl(ca.database()),
                "postgres", "");
             var rows = connection.createStatement().executeQuery(
                     "SELECT action, subject, details FROM audit_event ORDER BY id")) {
            StringBuilder text = new StringBuilder();
            while (rows.next()) {
                text.append(rows.getString(1)).append(' ').append(rows.getString(2)).append(' ')
                        .append(rows.getString(3)).append('\n');
            }
            return text.toString();
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static byte[] png(int size) throws Exception {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(220, 0, 0));
        g.setStroke(new BasicStroke(Math.max(2, size / 20f)));
        g.drawOval(size / 20, size / 20, size * 9 / 10, size * 9 / 10);
        g.fillOval(size * 2 / 5, size * 2 / 5, size / 5, size / 5);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
