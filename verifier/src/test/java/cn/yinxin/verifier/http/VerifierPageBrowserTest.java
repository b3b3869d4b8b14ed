package cn.yinxin.verifier.http;

import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.BrowserHarness;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.verifier.SealServiceStub;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.qr.QrPhotos;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verification page in a real browser: Debian's chromium, headless, driven by playwright-core (test-support's
 * {@link BrowserHarness}). A clerk uploads a sealed
 * PDF, a tampered one, a phone photo of the QR code and a picture without one, types a genuine and a forged code,
 * takes a picture with the (fake) camera, opens the printed verification address, and then checks a code with the
 * network gone (service worker and on-device COSE check), also once the saved trust data is older than the limit. What is asserted is the big verdict text a person reads;
 * screenshots of each step and what was read are left in target/browser-test.
 *
 * <p>Nothing is skipped: without chromium, node or npm the test fails and says what to install.
 */
@cn.yinxin.testing.Slow("a browser")
class VerifierPageBrowserTest {

    private static final Path BROWSER_DIR = Path.of("src/test/browser");
    private static Vertx vertx;
    private static TestRevocationServer revocation;
    private static SealServiceStub sealService;
    private static VerifierVerticle verticle;

    @BeforeAll
    static void start() throws Exception {
        revocation = new TestRevocationServer();
        Path keystores = revocation.keystores();
        SealKey seal = SealKey.fromPkcs12(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        sealService = new SealServiceStub().put(new SealServiceStub.StubSeal(SamplePki.SEAL_ID, SamplePki.SEAL_NAME,
                SamplePki.AGENCY, SamplePki.AGENCY_CODE, "ACTIVE", null, seal.chain()));
        vertx = Vertx.vertx();
        verticle = new VerifierVerticle(new VerifierConfig(0, keystores.resolve("trust"), 4 << 20)
                .withSeals(sealService.url(), Files.createTempDirectory("verifier").resolve("seals.json")));
        vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
        if (sealService != null) {
            sealService.close();
        }
        if (revocation != null) {
            revocation.close();
        }
    }

    @Test
    void aPersonReadsTheRightVerdictForEachDocumentAndCode() throws Exception {
        Path chromium = BrowserHarness.chromium();
        Path playwright = BrowserHarness.playwrightCore();

        Path keystores = revocation.keystores();
        SealKey seal = SealKey.fromPkcs12(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        UUID documentId = UUID.randomUUID();
        String code = new QrSigner(seal).sign(new DocumentQr(documentId,
                DocumentQr.verificationUrl("http://localhost:" + verticle.port() + "/d/", documentId),
                SamplePki.SEAL_ID, SamplePki.AGENCY_CODE, Instant.now()).toClaims());
        KeyPair forger = CertificateMaker.newEcKeyPair();
        String forged = new QrSigner(forger.getPrivate(), seal.certificate(), null, QrSigner.DEFAULT_PREFIX,
                QrSigner.Compression.WHEN_SMALLER).sign(new DocumentQr(documentId, "https://verify.example/d/" + documentId,
                SamplePki.SEAL_ID, SamplePki.AGENCY_CODE, Instant.now()).toClaims());

        byte[] sealed = QrPhotos.sealedWithQr(keystores, seal, code);
        byte[] tampered = sealed.clone();
        String latin = new String(tampered, StandardCharsets.ISO_8859_1);
        int at = latin.indexOf("/MediaBox") + 12;
        tampered[at] = (byte) (tampered[at] == '1' ? '2' : '1');
        BufferedImage page = QrPhotos.render(sealed);
        BufferedImage photo = QrPhotos.rotate(QrPhotos.scale(QrPhotos.corner(page, 0.45), 2.5), 7);

        Path folder = Files.createTempDirectory("verifier-browser");
        Path sealedPdf = Files.write(folder.resolve("sealed.pdf"), sealed);
        Path tamperedPdf = Files.write(folder.resolve("tampered.pdf"), tampered);
        Path paintedPdf = Files.write(folder.resolve("painted.pdf"), paintedOver(sealed));
        Path handwrittenPdf = Files.write(folder.resolve("handwritten.pdf"), handwrittenThenSealed(keystores, seal));
        Path photoJpeg = Files.write(folder.resolve("photo.jpg"), QrPhotos.phoneJpeg(photo, 0.6f, 8, 3));
        Path noCode = Files.write(folder.resolve("no-code.jpg"),
                QrPhotos.jpeg(QrPhotos.render(Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"))), 0.8f));
        // the camera is held over the code: it fills about 40 % of the frame's height
        Path camera = Files.write(folder.resolve("camera.mjpeg"),
                cameraVideo(QrPhotos.rotate(QrPhotos.scale(QrPhotos.corner(page, 0.3), 2.5), 4)));
        Path cases = folder.resolve("cases.json");
        Files.writeString(cases, new JsonObject()
                .put("baseUrl", "http://localhost:" + verticle.port())
                .put("chromium", chromium.toString())
                .put("playwrightDir", playwright.toString())
                .put("sealedPdf", sealedPdf.toString()).put("tamperedPdf", tamperedPdf.toString())
                .put("paintedPdf", paintedPdf.toString())
                .put("handwrittenPdf", handwrittenPdf.toString())
                .put("photo", photoJpeg.toString()).put("noCodePhoto", noCode.toString())
                .put("cameraVideo", camera.toString())
                .put("screenshots", Files.createDirectories(Path.of("target/browser-test")).toAbsolutePath().toString())
                .put("code", code).put("forgedCode", forged).put("documentId", documentId.toString())
                .encodePrettily());

        JsonObject seen = new JsonObject(BrowserHarness.node(BROWSER_DIR.resolve("verify-page.mjs"), cases, 300));
        assertThat(seen.getString("error")).as("the page run: " + seen.encodePrettily()).isNull();
        Files.writeString(Path.of("target/browser-test/seen.json"), seen.encodePrettily());

        assertThat(seen.getString("freshness")).contains("印章证书 Seal certificates: 1");
        assertVerdict(seen, "sealedPdf", "有效 Valid");
        assertThat(seen.getJsonObject("sealedPdf").getString("details")).contains(SamplePki.SEAL_NAME)
                .contains(SamplePki.AGENCY_CODE).contains("PAdES-BASELINE-B")
                // B-B: no time-stamp, so the time shown is the signer's claim, and says so (red team 12)
                .contains("签署者声明的时间 Signing time claimed by the signer").doesNotContain("时间戳证明的时间");
        assertVerdict(seen, "tamperedPdf", "无效 Not valid");
        // Chinese first: the clerk reads why in plain Chinese words, the English sentence beneath, the ETSI code kept
        assertThat(seen.getJsonObject("tamperedPdf").getString("details"))
                .containsPattern("盖章后文件内容被改动：其 SHA-?256 摘要与签署时的不再一致")
                .containsPattern("The signed bytes were changed: their SHA-?256 digest no longer matches the one that was signed.")
                .contains("HASH_FAILURE");
        assertThat(seen.getJsonObject("tamperedPdf").getString("summary"))
                .startsWith("1 个签章中有 1 个无效：请勿采信此文件。").contains("1 of 1 signature(s) failed");
        // red team 6: a failed signature's seal name heads its card as the certificate's claim, not as the seal found
        assertThat(seen.getJsonObject("tamperedPdf").getString("details"))
                .contains(SamplePki.SEAL_NAME + "（所称，未确认 as claimed, NOT confirmed）");
        assertThat(seen.getJsonObject("sealedPdf").getString("details")).doesNotContain("未确认");
        // the page said "Unchanged since signing" right under "the signed bytes were changed"
        assertThat(seen.getJsonObject("tamperedPdf").getString("details")).doesNotContain("签署后未改动")
                .contains("签署的内容本身被改动");
        assertThat(seen.getJsonObject("sealedPdf").getString("details")).contains("签署后未改动");

        // a box painted over the sealed page after sealing: the clerk sees the page as sealed beside the page now
        assertVerdict(seen, "paintedPdf", "无效 Not valid");
        // what changed, in Chinese, each change on its own (a visible change's own "; " does not cut it in two)
        assertThat(seen.getJsonObject("paintedPdf").getString("details"))
                .contains("盖章后文件内容被改动，且改动不被签章允许：第 1 页上增加了一个 Square 批注（盖章文件只允许填写表单和签名）；第 1 页区域（")
                .contains("不允许的改动：第 1 页上增加了一个 Square 批注")
                .contains("NOT ALLOWED: a Square annotation was added on page 1");
        assertThat(seen.getJsonArray("pagePictures")).as("as signed and now").hasSize(2);
        assertThat(seen.getJsonArray("pagePictures").getJsonObject(0).getString("alt")).contains("签署时 As signed");
        assertThat(seen.getJsonArray("pagePictures").getJsonObject(1).getString("alt")).contains("现在 Now");
        for (Object picture : seen.getJsonArray("pagePictures")) {
            assertThat(((JsonObject) picture).getInteger("naturalWidth")).as("the PNG was drawn").isPositive();
        }

        // a person's handwritten e-signature, then the agency's seal: the clerk reads who signed and sees the
        // handwriting as it was captured
        assertVerdict(seen, "handwrittenPdf", "有效 Valid");
        JsonObject hand = seen.getJsonObject("handwrittenPdf");
        assertThat(hand.getString("details")).contains("个人签名 Personal signature: 张三")
                .contains("签名人 Signed by张三 (110105********002X)")
                .contains("已绑定本文件 bound to this document: 2 笔 strokes")
                .contains(SamplePki.SEAL_NAME).doesNotContain("11010519491231002X");
        assertThat(seen.getJsonArray("handwritingImages")).as("one picture: the seal's signature has no handwriting")
                .hasSize(1);
        JsonObject image = seen.getJsonArray("handwritingImages").getJsonObject(0);
        assertThat(image.getInteger("naturalWidth")).as("the SVG was drawn").isPositive();
        BufferedImage shown = javax.imageio.ImageIO.read(Path.of(image.getString("screenshot")).toFile());
        assertThat(inkColumns(shown, 0, shown.getWidth() / 2)).as("the wave on the left half").isGreaterThan(10);
        assertThat(inkColumns(shown, shown.getWidth() / 2, shown.getWidth())).as("the line on the right half")
                .isGreaterThan(10);
        assertVerdict(seen, "photo", "有效 Valid");
        assertThat(seen.getJsonObject("photo").getString("details")).contains(documentId.toString());
        assertThat(seen.getJsonObject("noCodePhoto").getString("verdict")).isNull();
        assertThat(seen.getJsonObject("noCodePhoto").getString("problem")).contains("未找到二维码").contains("No QR code");
        assertVerdict(seen, "text", "有效 Valid");
        assertVerdict(seen, "forgedText", "无效 Not valid");
        assertThat(seen.getJsonObject("forgedText").getString("details")).contains("qr-signature-invalid")
                .contains("二维码签名无效（伪造或损坏）").contains("签名与密钥标识为");
        assertVerdict(seen, "camera", "有效 Valid");

        assertThat(seen.getString("manifestType")).startsWith("application/manifest+json");
        assertThat(seen.getString("serviceWorker")).isEqualTo("activated");
        assertThat(seen.getString("documentBanner")).contains(documentId.toString()).contains("We keep no documents");
        assertVerdict(seen, "documentText", "有效 Valid");
        assertThat(seen.getJsonObject("documentText").getString("details")).doesNotContain("另一份文件");

        assertThat(seen.getString("offlineFreshness")).contains("离线 Offline");
        assertVerdict(seen, "offlineText", "有效 Valid");
        assertThat(seen.getJsonObject("offlineText").getString("details")).contains("离线验证");
        assertVerdict(seen, "offlineForged", "无效 Not valid");
        assertVerdict(seen, "offlineReplaced", "无效 Not valid");
        assertThat(seen.getJsonObject("offlineReplaced").getString("summary"))
                .contains("signed with a certificate the seal replaced at");
        assertVerdict(seen, "offlineStale", "无法确认 Cannot tell");
        assertThat(seen.getJsonObject("offlineStale").getString("summary")).startsWith("Trust data too old");
        assertThat(seen.getString("offlineDocumentBanner")).contains(documentId.toString());
    }

    /**
     * The sample approval result signed by 张三 with a handwritten appearance (a certificate of the sample PKI's
     * personal CA, checked online against the test's OCSP responder), then sealed by the agency.
     */
    private static byte[] handwrittenThenSealed(Path keystores, SealKey seal) throws Exception {
        byte[] document = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        KeyPair keys = CertificateMaker.newEcKeyPair();
        var personalCa = revocation.hierarchy().personalCa();
        X509Certificate certificate = CertificateMaker.issue(CertificateMaker.personSubject("张三", "11010519491231002X"),
                keys.getPublic(), Profile.PERSONAL, personalCa, Instant.now().minus(Duration.ofDays(1)),
                Duration.ofDays(365), KeyCeremony.pointers(revocation.url(), revocation.url() + "/ocsp", CaHierarchy.PERSONAL_CA));
        List<X509Certificate> chain = new ArrayList<>(List.of(certificate));
        chain.addAll(personalCa.chain());
        // a wave across the left half of the pad, a straight line across the right half
        List<Handwriting.Point> wave = new ArrayList<>();
        for (int i = 0; i <= 30; i++) {
            wave.add(new Handwriting.Point(20 + i * 8, 120 + (int) (70 * Math.sin(i / 3.0)), 40 + i, i * 16L));
        }
        List<Handwriting.Point> line = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            line.add(new Handwriting.Point(320 + i * 25, 60 + i * 12, 60, 900 + i * 16L));
        }
        Handwriting capture = new Handwriting("browser-test", Instant.now(), HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(document)), document.length, 600, 240,
                List.of(new Handwriting.Stroke(wave), new Handwriting.Stroke(line)));
        byte[] signed = new PdfSealer().seal(document, new SealRequest(new SealKey(keys.getPrivate(), chain),
                SealAppearance.handwritten(capture, 50, 20), new SealPlacement(1, 60, 250), "张三", "申请人签名",
                Instant.now()));
        Path sealDir = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        return new PdfSealer().seal(signed, new SealRequest(seal,
                new SealAppearance(Files.readAllBytes(sealDir.resolve("seal.png")), 42, 42),
                new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null, Instant.now()));
    }

    /** Columns of the picture, between x0 and x1, holding a dark (ink) pixel. */
    private static int inkColumns(BufferedImage image, int x0, int x1) {
        int columns = 0;
        for (int x = x0; x < x1; x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) < 120 && ((rgb >> 8) & 0xff) < 120) {
                    columns++;
                    break;
                }
            }
        }
        return columns;
    }

    /** The sealed PDF with a filled box drawn over its page in an incremental update (a square annotation). */
    private static byte[] paintedOver(byte[] sealed) throws Exception {
        try (var document = org.apache.pdfbox.Loader.loadPDF(sealed)) {
            var page = document.getPage(0);
            var box = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationSquare();
            box.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(60, 600, 300, 150));
            box.setInteriorColor(new org.apache.pdfbox.pdmodel.graphics.color.PDColor(new float[]{0, 0, 0},
                    org.apache.pdfbox.pdmodel.graphics.color.PDDeviceRGB.INSTANCE));
            box.setColor(box.getInteriorColor());
            box.setPrinted(true);
            box.constructAppearances(document);
            page.getAnnotations().add(box);
            page.getCOSObject().setNeedToBeUpdated(true);
            box.getCOSObject().setNeedToBeUpdated(true);
            var out = new java.io.ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    private static void assertVerdict(JsonObject seen, String step, String expected) {
        JsonObject outcome = seen.getJsonObject(step);
        assertThat(outcome).as(step + " ran: " + seen.encodePrettily()).isNotNull();
        assertThat(outcome.getString("verdict")).as(step + ": " + outcome.encodePrettily()).isEqualTo(expected);
    }

    /** A few seconds of "video" for chromium's fake camera: the picture filling a 1280 x 720 frame, as MJPEG. */
    private static byte[] cameraVideo(BufferedImage photo) throws IOException {
        BufferedImage frame = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        g.setColor(new Color(90, 90, 90));
        g.fillRect(0, 0, 1280, 720);
        double scale = Math.min(1280.0 / photo.getWidth(), 720.0 / photo.getHeight());
        int w = (int) (photo.getWidth() * scale);
        int h = (int) (photo.getHeight() * scale);
        g.drawImage(photo, (1280 - w) / 2, (720 - h) / 2, w, h, null);
        g.dispose();
        byte[] jpeg = QrPhotos.jpeg(frame, 0.92f);
        ByteArrayOutputStream video = new ByteArrayOutputStream();
        for (int i = 0; i < 30; i++) {
            video.writeBytes(jpeg);
        }
        return video.toByteArray();
    }
}
