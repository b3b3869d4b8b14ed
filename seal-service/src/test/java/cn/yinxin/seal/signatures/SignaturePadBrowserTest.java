package cn.yinxin.seal.signatures;

import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.core.pdf.handwriting.HandwritingCheck;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.BrowserHarness;
import cn.yinxin.testing.CaServiceExtension;
import cn.yinxin.testing.Commands;
import cn.yinxin.testing.DssJudge;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static cn.yinxin.seal.signatures.PersonalSignatureApiTest.headers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The desk page and the signature pad in a real browser (Debian's headless chromium through test-support's
 * {@link BrowserHarness}): the desk shows the pad's QR code, zbar reads it from a screenshot, a phone-sized page
 * opens it and synthetic pointer events draw a signature (mouse strokes, a stray stroke undone, a pen stroke with
 * pressure), the pad submits it, and the desk signs and downloads the document. The PDF verifies
 * (our verifier, EU DSS), the capture is bound, and poppler's rendering shows the ink where the signature was
 * placed and nowhere around it. An expired session's pad says so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot), a CA service process, an embedded PostgreSQL, a browser")
class SignaturePadBrowserTest {

    // one CA for the seal service's test classes (see CaServiceExtension): each has its own database and key
    // store, and the CA only issues, revokes and makes seals for the seal ids and persons of the class asking
    @RegisterExtension
    static final CaServiceExtension ca = CaServiceExtension.shared("ca_for_seal_tests");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final PersonalSignatureApiTest.Person WANG =
            new PersonalSignatureApiTest.Person(PersonalSignatureApiTest.residentId("440305199208080", "31"), "王小明");

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("seal_signature_pad"));
        registry.add("yinxin.seals.import-dir", () -> ca.keystores().resolve("seals").toString());
        registry.add("yinxin.seals.keystore.path", () -> ca.sealKeyStore().toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.ca-url", ca::url);
        registry.add("yinxin.stamp.tsa-url", () -> ca.url() + "/tsa");
        registry.add("yinxin.development-login", () -> "true");
    }

    @Test
    void aSignatureDrawnOnThePadLandsOnTheDocumentAsVectorsAndVerifies() throws Exception {
        Path chromium = BrowserHarness.chromium();
        Path playwright = BrowserHarness.playwrightCore();
        assertThat(post("/api/v1/personal-signatures", null).statusCode()).isEqualTo(201);
        byte[] pdf = Files.readAllBytes(ca.keystores().resolve("samples/approval-result.pdf"));
        Path pdfFile = Files.write(Files.createTempDirectory("pad").resolve("approval-result.pdf"), pdf);
        JsonNode expired = openCapture(pdf, 1L);
        // time itself must pass: the capture expires by the seal service's system clock (no clock to inject)
        Thread.sleep(1200);

        Path screenshots = Files.createDirectories(Path.of("target/browser-test")).toAbsolutePath();
        Path cases = Files.createTempFile("pad-cases", ".json");
        Files.writeString(cases, JSON.writeValueAsString(java.util.Map.of(
                "chromium", chromium.toString(), "playwrightDir", playwright.toString(),
                "deskUrl", "http://localhost:" + port + "/sign/desk.html", "expiredPadUrl", expired.get("padUrl").asString(),
                "personId", WANG.id(), "personName", WANG.name(), "pdf", pdfFile.toString(),
                "signedPdf", screenshots.resolve("pad-signed.pdf").toString(), "screenshots", screenshots.toString())));
        JsonNode seen = JSON.readTree(BrowserHarness.node(Path.of("src/test/browser/pad.mjs"), cases, 180));
        Files.writeString(screenshots.resolve("pad-seen.json"), seen.toPrettyString());
        assertThat(seen.path("error").isMissingNode()).as(seen.toPrettyString()).isTrue();

        assertThat(seen.get("expired").get("document").asString()).contains("expired");
        assertThat(seen.get("deskSignature").asString()).contains("王小明").contains("ACTIVE");
        assertThat(seen.get("scanned").asString()).as("the desk's QR code, read by zbar")
                .startsWith("http://localhost:" + port + "/sign/pad.html#");
        assertThat(seen.get("document").asString()).contains("approval-result.pdf")
                .contains(PersonalSignatureApiTest.sha256(pdf).substring(0, 16));
        assertThat(seen.get("previewAfterStray").asInt()).isEqualTo(1);
        assertThat(seen.get("previewAfterUndo").asInt()).isZero();
        assertThat(seen.get("previewStrokes").asInt()).isEqualTo(4);
        assertThat(seen.get("state").asString()).as(seen.get("status").asString()).isEqualTo("captured");
        assertThat(seen.get("submitEnabledAfter").asBoolean()).isFalse();

        // the desk signed with the captured signature, 50 x 20 mm centred 60 mm from the left, 240 mm from the top
        assertThat(seen.get("deskCapture").asString()).contains("已收到签名");
        assertThat(seen.get("deskResult").asString()).contains("PAdES-BASELINE-T");
        assertThat(seen.get("deskUses").asInt()).isEqualTo(1);
        Path file = screenshots.resolve("pad-signed.pdf");
        byte[] signedPdf = Files.readAllBytes(file);

        X509Certificate root = Pem.readFolder(ca.keystores().resolve("trust")).get(0);
        var report = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5))).verify(signedPdf);
        assertThat(report.signatures()).singleElement().satisfies(s -> {
            assertThat(s.indication()).as(s.reasons().toString()).isEqualTo(Indication.TOTAL_PASSED);
            assertThat(s.format()).isEqualTo("PAdES-BASELINE-T");
        });
        assertThat(DssJudge.validateOnline(signedPdf, root).indication()).isEqualTo("TOTAL_PASSED");
        assertThat(Commands.ok(file.getParent(), "pdfsig", file.toString())).contains("Signature is Valid");

        var bound = HandwritingCheck.check(signedPdf, report.signatures().get(0).field(), signedPdf.length);
        assertThat(bound.bound()).as(bound.explanation()).isTrue();
        Handwriting drawn = bound.capture();
        assertThat(drawn.strokes()).as("the stray stroke was undone").hasSize(4);
        assertThat(drawn.strokes().get(3).points()).extracting(Handwriting.Point::pressure)
                .as("the pen's pressure is kept").contains(20).anyMatch(p -> p >= 85);
        assertThat(drawn.strokes().get(0).points()).extracting(Handwriting.Point::pressure).containsOnly(50);
        assertThat(drawn.strokes().get(0).points().size()).isGreaterThan(30);
        List<Long> times = drawn.strokes().stream().flatMap(s -> s.points().stream()).map(Handwriting.Point::t).toList();
        assertThat(times).isSorted();
        assertThat(times.get(times.size() - 1)).isPositive();

        // poppler renders the page: the ink (blue-black, unlike the black text and the red seal) lies in the box
        assertThat(Commands.ok(file.getParent(), "pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", "-singlefile",
                file.toString(), file.getParent().resolve("pad-signed-page").toString()))
                .as("poppler reads every operator of the appearance").doesNotContain("Error");
        BufferedImage page = ImageIO.read(file.getParent().resolve("pad-signed-page.png").toFile());
        double mm = 72 / 25.4;
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        int minY = Integer.MAX_VALUE;
        int maxY = -1;
        // the box and 25 mm around it
        for (int y = (int) (205 * mm); y < (int) (275 * mm); y++) {
            for (int x = (int) (10 * mm); x < (int) (110 * mm); x++) {
                int rgb = page.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int b = rgb & 0xff;
                if (b > r + 25 && r < 140) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        assertThat(maxX).as("ink on the page").isPositive();
        assertThat(minX / mm).isBetween(34.0, 86.0);
        assertThat(maxX / mm).isBetween(34.0, 86.0);
        assertThat(minY / mm).isBetween(229.0, 251.0);
        assertThat(maxY / mm).isBetween(229.0, 251.0);
        assertThat((maxX - minX) / mm).as("the signature spans most of the box's width").isGreaterThan(30);
    }

    JsonNode openCapture(byte[] pdf, Long seconds) throws Exception {
        Multipart form = new Multipart().file("file", "approval-result.pdf", "application/pdf", pdf);
        if (seconds != null) {
            form.field("validitySeconds", seconds);
        }
        var opened = http.send(form.post(uri("/api/v1/personal-signatures/mine/captures"), headers(WANG)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        return JSON.readTree(opened.body());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).POST(body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        String[] h = headers(WANG);
        for (int i = 0; i < h.length; i += 2) {
            builder.header(h[i], h[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
