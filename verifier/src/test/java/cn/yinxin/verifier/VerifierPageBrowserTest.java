package cn.yinxin.verifier;

import cn.yinxin.core.pki.CertificateMaker;
import cn.yinxin.core.pki.SealKey;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
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
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The verification page in a real browser: Debian's chromium, headless, driven by playwright-core (npm, installed
 * by this test into a cache folder with {@code npm ci} from src/test/browser's lock file). A clerk uploads a sealed
 * PDF, a tampered one, a phone photo of the QR code and a picture without one, types a genuine and a forged code,
 * takes a picture with the (fake) camera, opens the printed verification address, and then checks a code with the
 * network gone (service worker and on-device COSE check), also once the saved trust data is older than the limit. What is asserted is the big verdict text a person reads;
 * screenshots of each step and what was read are left in target/browser-test.
 *
 * <p>Nothing is skipped: without chromium, node or npm the test fails and says what to install.
 */
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
        Path chromium = chromium();
        Path playwright = playwrightCore();

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
                .put("photo", photoJpeg.toString()).put("noCodePhoto", noCode.toString())
                .put("cameraVideo", camera.toString())
                .put("screenshots", Files.createDirectories(Path.of("target/browser-test")).toAbsolutePath().toString())
                .put("code", code).put("forgedCode", forged).put("documentId", documentId.toString())
                .encodePrettily());

        JsonObject seen = run(List.of("node", BROWSER_DIR.resolve("verify-page.mjs").toAbsolutePath().toString(),
                cases.toString()), playwright, 300);
        assertThat(seen.getString("error")).as("the page run: " + seen.encodePrettily()).isNull();
        Files.writeString(Path.of("target/browser-test/seen.json"), seen.encodePrettily());

        assertThat(seen.getString("freshness")).contains("印章证书 Seal certificates: 1");
        assertVerdict(seen, "sealedPdf", "有效 Valid");
        assertThat(seen.getJsonObject("sealedPdf").getString("details")).contains(SamplePki.SEAL_NAME)
                .contains(SamplePki.AGENCY_CODE).contains("PAdES-BASELINE-B");
        assertVerdict(seen, "tamperedPdf", "无效 Not valid");
        assertVerdict(seen, "photo", "有效 Valid");
        assertThat(seen.getJsonObject("photo").getString("details")).contains(documentId.toString());
        assertThat(seen.getJsonObject("noCodePhoto").getString("verdict")).isNull();
        assertThat(seen.getJsonObject("noCodePhoto").getString("problem")).contains("未找到二维码").contains("No QR code");
        assertVerdict(seen, "text", "有效 Valid");
        assertVerdict(seen, "forgedText", "无效 Not valid");
        assertThat(seen.getJsonObject("forgedText").getString("details")).contains("qr-signature-invalid");
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
        assertVerdict(seen, "offlineStale", "无法确认 Cannot tell");
        assertThat(seen.getJsonObject("offlineStale").getString("summary")).startsWith("Trust data too old");
        assertThat(seen.getString("offlineDocumentBanner")).contains(documentId.toString());
    }

    private static void assertVerdict(JsonObject seen, String step, String expected) {
        JsonObject outcome = seen.getJsonObject(step);
        assertThat(outcome).as(step + " ran: " + seen.encodePrettily()).isNotNull();
        assertThat(outcome.getString("verdict")).as(step + ": " + outcome.encodePrettily()).isEqualTo(expected);
    }

    /** Debian's chromium (or YINXIN_CHROMIUM); the test fails, never skips, without it. */
    private static Path chromium() {
        String configured = System.getenv("YINXIN_CHROMIUM");
        Path chromium = Path.of(configured != null ? configured : "/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            fail("The browser test needs Chromium at " + chromium + ": apt-get install -y chromium "
                    + "(.ci/run installs it), or set YINXIN_CHROMIUM to a Chromium executable.");
        }
        return chromium;
    }

    /** playwright-core from src/test/browser's lock file, installed once into a cache folder outside the repository. */
    private static Path playwrightCore() throws Exception {
        for (String tool : new String[] {"node", "npm"}) {
            try {
                run(List.of(tool, "--version"), Path.of("."), 60);
            } catch (AssertionError | IOException e) {
                fail("The browser test needs " + tool + " (Node.js 18 or later): apt-get install -y nodejs npm "
                        + "(.ci/run installs them). " + e.getMessage());
            }
        }
        byte[] lock = Files.readAllBytes(BROWSER_DIR.resolve("package-lock.json"));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lock)).substring(0, 12);
        String configured = System.getenv("YINXIN_BROWSER_CACHE");
        Path base = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "yinxin", "browser-test");
        Path dir = base.resolve("playwright-" + hash);
        if (!Files.isRegularFile(dir.resolve("node_modules/playwright-core/package.json"))) {
            Files.createDirectories(dir);
            Files.copy(BROWSER_DIR.resolve("package.json"), dir.resolve("package.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.write(dir.resolve("package-lock.json"), lock);
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"), dir, 300);
        }
        return dir;
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

    /** Runs a command; its standard output is JSON when it is the page script. */
    private static JsonObject run(List<String> command, Path directory, int seconds) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Path errors = Files.createTempFile("browser-test", ".log");
        builder.redirectError(errors.toFile());
        Process process = builder.start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        String stderr = Files.readString(errors);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output + stderr);
        }
        String trimmed = output.trim();
        return trimmed.startsWith("{") ? new JsonObject(trimmed) : new JsonObject().put("output", trimmed);
    }
}
