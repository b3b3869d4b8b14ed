package cn.yinxin.verifier.qr;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.verifier.SealServiceStub;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.VerifierVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/v1/verify/qr-image with real pictures: a sealed PDF whose signed revision prints the document's QR code
 * (version 13, 0.508 mm a module), rendered by poppler at 150 dpi (3 pixels a module), then photographed the
 * way phones do it: tilted, turned, skewed, small, a noisy JPEG at quality 0.6. A phone's photo of a page has more
 * pixels than a 150 dpi render (12 MP over an A4 page is about 340 dpi), so the tilted, skewed and noisy photos
 * are made from the render of the code's corner enlarged 2.5 times; the small one shrinks the whole render until
 * the code is 120 pixels wide (1.6 pixels a module). Every one is read and verified; a picture without a code, a
 * decompression bomb and something that is no picture are refused with their problem types.
 */
class QrImageTest {

    private static Vertx vertx;
    private static TestRevocationServer revocation;
    private static SealServiceStub sealService;
    private static VerifierVerticle verticle;
    private static String code;
    private static BufferedImage page;
    private static BufferedImage unsealedPage;
    private static double qrPixels;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        revocation = new TestRevocationServer();
        Path keystores = revocation.keystores();
        SealKey seal = SealKey.fromPkcs12(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        code = QrVerifyTest.documentCode(seal, UUID.randomUUID(), Instant.now());
        page = QrPhotos.render(QrPhotos.sealedWithQr(keystores, seal, code));
        unsealedPage = QrPhotos.render(Files.readAllBytes(keystores.resolve("samples/approval-result.pdf")));
        qrPixels = QrSymbol.encode(code).sideMm() / 25.4 * 150;
        sealService = new SealServiceStub().put(new SealServiceStub.StubSeal(SamplePki.SEAL_ID, SamplePki.SEAL_NAME,
                SamplePki.AGENCY, SamplePki.AGENCY_CODE, "ACTIVE", null, seal.chain()));
        vertx = Vertx.vertx();
        verticle = new VerifierVerticle(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20)
                .withSeals(sealService.url(), Files.createTempDirectory("verifier").resolve("seals.json"))
                .withImageLimits(4L * 1024 * 1024, 20_000_000));
        vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        sealService.close();
        revocation.close();
    }

    @Test
    void thePageAsRenderedIsReadAndTheCodeVerified() throws Exception {
        assertValid(QrPhotos.png(page), "image/png");
    }

    @Test
    void aPhotoTiltedBySevenDegrees() throws Exception {
        assertValid(QrPhotos.jpeg(QrPhotos.rotate(phoneResolution(), 7), 0.85f), "image/jpeg");
    }

    @Test
    void aPhotoTurnedAQuarter() throws Exception {
        assertValid(QrPhotos.png(QrPhotos.rotate(page, 90)), "image/png");
    }

    @Test
    void aSkewedPhoto() throws Exception {
        assertValid(QrPhotos.jpeg(QrPhotos.skew(phoneResolution(), 0.15, 0.05), 0.85f), "image/jpeg");
    }

    @Test
    void aSmallPhotoWhoseCodeIsAbout120PixelsWide() throws Exception {
        BufferedImage small = QrPhotos.scale(page, 120 / qrPixels);
        JsonObject answer = assertValid(QrPhotos.png(small), "image/png");
        assertThat(answer.getJsonObject("image").getInteger("width")).isEqualTo(small.getWidth());
    }

    @Test
    void aNoisyPhoneJpegOfTheCornerTiltedAndSkewed() throws Exception {
        BufferedImage photo = QrPhotos.skew(QrPhotos.rotate(phoneResolution(), -7), 0.1, -0.04);
        assertValid(QrPhotos.phoneJpeg(photo, 0.6f, 12, 42), "image/jpeg");
    }

    @Test
    void aMultipartUploadToo() throws Exception {
        var response = http.send(new Multipart().file("file", "photo.jpg", "image/jpeg",
                QrPhotos.phoneJpeg(QrPhotos.rotate(phoneResolution(), 7), 0.6f, 8, 7)).post(uri()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("verdict")).isEqualTo("VALID");
    }

    @Test
    void aPictureWithoutACodeIsRefusedWithNoQrCode() throws Exception {
        var response = post(QrPhotos.jpeg(unsealedPage, 0.8f), "image/jpeg");
        QrVerifyTest.assertProblem(response, 422, "no-qr-code");
        assertThat(new JsonObject(response.body()).getString("detail")).contains("No QR code could be read");
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() throws Exception {
        long started = System.nanoTime();
        var response = post(pngClaiming(60_000, 60_000), "image/png");
        QrVerifyTest.assertProblem(response, 413, "image-too-large");
        assertThat(new JsonObject(response.body()).getString("detail")).contains("60000 x 60000");
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms: refused before decoding").isLessThan(5_000);
    }

    @Test
    void whatIsNoPngOrJpegIsRefused() throws Exception {
        QrVerifyTest.assertProblem(post("not a picture".getBytes(StandardCharsets.UTF_8), "image/png"), 415, "not-an-image");
        ByteArrayOutputStream gif = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(QrPhotos.scale(page, 0.2), "gif", gif);
        QrVerifyTest.assertProblem(post(gif.toByteArray(), "image/gif"), 415, "not-an-image");
        QrVerifyTest.assertProblem(post(new byte[0], "image/png"), 400, "empty-body");
        QrVerifyTest.assertProblem(post(new byte[5 * 1024 * 1024], "image/png"), 413, "payload-too-large");
    }

    /** The bottom-left part of the page, where the code is, at the resolution of a phone's photo. */
    private static BufferedImage phoneResolution() {
        return QrPhotos.scale(QrPhotos.corner(page, 0.45), 2.5);
    }

    private JsonObject assertValid(byte[] image, String type) throws Exception {
        HttpResponse<String> response = post(image, type);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject answer = new JsonObject(response.body());
        assertThat(answer.getString("text")).isEqualTo(code);
        assertThat(answer.getString("verdict")).as(answer.encodePrettily()).isEqualTo("VALID");
        assertThat(answer.getString("kind")).isEqualTo("document");
        assertThat(answer.getJsonObject("image").getString("foundBy")).isNotBlank();
        return answer;
    }

    private HttpResponse<String> post(byte[] body, String type) throws Exception {
        return http.send(HttpRequest.newBuilder(uri()).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri() {
        return URI.create("http://localhost:" + verticle.port() + "/api/v1/verify/qr-image");
    }

    /** A tiny PNG whose header claims a huge grey image (its data would inflate to gigabytes). */
    static byte[] pngClaiming(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(header);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0});
        chunk(out, "IHDR", header.toByteArray());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[64 * 1024]);
        deflater.finish();
        byte[] buffer = new byte[4096];
        int n = deflater.deflate(buffer);
        byte[] data = java.util.Arrays.copyOf(buffer, n);
        chunk(out, "IDAT", data);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        d.write(name);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
