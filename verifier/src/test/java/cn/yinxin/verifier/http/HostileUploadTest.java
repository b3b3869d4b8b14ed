package cn.yinxin.verifier.http;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.VerificationLimits;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.verifier.config.VerifierConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile uploads at the HTTP edge (issue 17): a compression bomb appended after a genuine seal is answered at once
 * with a verdict that names the limit (never a 500), and a verification over its time limit answers INDETERMINATE
 * and gives its worker back.
 */
class HostileUploadTest {

    private static Vertx vertx;
    private static TestRevocationServer revocation;
    private static VerifierVerticle verifier;
    /** One PDF worker and half a second per verification, with the byte limits lifted: only time stops a bomb. */
    private static VerifierVerticle hurried;
    private static byte[] sealed;
    private static byte[] unsealed;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        revocation = new TestRevocationServer();
        Path keystores = revocation.keystores();
        Path seal = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        SealKey key = SealKey.fromPkcs12(seal.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
        unsealed = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        sealed = new PdfSealer().seal(unsealed, new SealRequest(key,
                new SealAppearance(Files.readAllBytes(seal.resolve("seal.png")), 42, 42),
                new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null, Instant.now()));
        vertx = Vertx.vertx();
        verifier = new VerifierVerticle(new VerifierConfig(0, keystores.resolve("trust"), 20L << 20));
        hurried = new VerifierVerticle(new VerifierConfig(0, keystores.resolve("trust"), 20L << 20)
                .withVerifyLimits(VerificationLimits.DEFAULT.withStreamBytes(1L << 40, 1L << 41)
                        .withMaxTime(Duration.ofMillis(500)), 1));
        vertx.deployVerticle(verifier).await(60, TimeUnit.SECONDS);
        vertx.deployVerticle(hurried).await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        revocation.close();
    }

    @Test
    void aFlateBombAfterAGenuineSealIsIndeterminateNotA500() throws Exception {
        assertThat(verify(verifier, sealed).body().getString("verdict")).isEqualTo("VALID");
        byte[] bomb = contentBomb(sealed, 2048); // 2 MB that inflate to 2 GiB

        long start = System.nanoTime();
        Answer answer = verify(verifier, bomb);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().getString("verdict")).isEqualTo("INDETERMINATE");
        assertThat(answer.body().getString("summary")).contains("limit \"stream-bytes\"");
        assertThat(answer.body().getJsonArray("signatures")).isEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aVerificationOverItsTimeAnswersIndeterminateAndFreesItsWorker() throws Exception {
        byte[] bomb = contentBomb(sealed, 19_000); // 19 GB once inflated: minutes of work without a time limit

        long start = System.nanoTime();
        Answer answer = verify(hurried, bomb);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().getString("verdict")).isEqualTo("INDETERMINATE");
        assertThat(answer.body().getString("summary")).contains("limit \"time\"");
        assertThat(took).isLessThan(Duration.ofSeconds(4));
        // the verifier's only PDF worker is free again: the next document is verified at once
        start = System.nanoTime();
        Answer next = verify(hurried, unsealed);
        assertThat(next.body().getString("verdict")).isEqualTo("NOT_SIGNED");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theLimitsAreSettings() {
        VerifierConfig config = VerifierConfig.from(java.util.Map.of("YINXIN_VERIFY_MAX_FIELDS", "7",
                "YINXIN_VERIFY_MAX_SECONDS", "2.5", "YINXIN_VERIFIER_PDF_WORKERS", "3"));

        assertThat(config.verifyLimits().maxFields()).isEqualTo(7);
        assertThat(config.verifyLimits().maxTime()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.verifyLimits().maxRevisions()).isEqualTo(VerificationLimits.DEFAULT_MAX_REVISIONS);
        assertThat(config.pdfWorkers()).isEqualTo(3);
    }

    private record Answer(int status, JsonObject body) {
    }

    private Answer verify(VerifierVerticle target, byte[] pdf) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + target.port() + "/api/v1/verify/pdf"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pdf)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), new JsonObject(response.body()));
    }

    /**
     * Page 1's content replaced, in an incremental update after the seal, by a stream of zlib data that inflates to
     * {@code megabytes} MiB of zeros (written raw: PDFBox copies it without inflating).
     */
    static byte[] contentBomb(byte[] pdf, int megabytes) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDPage page = document.getPage(0);
            COSStream bomb = document.getDocument().createCOSStream();
            try (OutputStream out = bomb.createRawOutputStream()) {
                out.write(zerosDeflated(megabytes));
            }
            bomb.setItem(COSName.FILTER, COSName.FLATE_DECODE);
            page.getCOSObject().setItem(COSName.CONTENTS, bomb);
            page.getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            return out.toByteArray();
        }
    }

    /** zlib data for {@code megabytes} MiB of zeros: the compressor's output for each further MiB repeats. */
    private static byte[] zerosDeflated(int megabytes) {
        byte[] zeros = new byte[1 << 20];
        byte[] buffer = new byte[1 << 20];
        Deflater deflater = new Deflater(9);
        deflater.setInput(zeros);
        byte[] first = Arrays.copyOf(buffer, deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH));
        deflater.setInput(zeros);
        byte[] again = Arrays.copyOf(buffer, deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH));
        deflater.finish();
        byte[] end = Arrays.copyOf(buffer, deflater.deflate(buffer));
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        for (int i = 1; i < megabytes; i++) {
            out.writeBytes(again);
        }
        out.writeBytes(end);
        return out.toByteArray();
    }
}
