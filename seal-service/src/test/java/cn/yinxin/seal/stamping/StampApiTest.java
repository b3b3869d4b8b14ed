package cn.yinxin.seal.stamping;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.DssJudge;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestTsa;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first slice end to end: the real service on a real PostgreSQL stamps a PDF over HTTP, and tools we did not
 * write (poppler's pdfsig and pdftoppm, EU DSS) judge the result.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL")
class StampApiTest {

    private static final int LIMIT_BYTES = 512 * 1024;
    // the sample PKI's certificates point at a real OCSP responder on loopback, so our verifier checks online
    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final Path keystores = revocation.keystores();
    private static final TestTsa tsa = startTsa();
    private static byte[] samplePdf;
    private static X509Certificate root;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
        registry.add("yinxin.seals.import-dir", () -> keystores.resolve("seals").toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.keystore.path", () -> keystores.resolve("seal-service/keys.p12").toString());
        registry.add("yinxin.stamp.max-pdf-size", () -> LIMIT_BYTES + "B");
        registry.add("yinxin.stamp.tsa-url", tsa::url);
        registry.add("yinxin.stamp.service-timeout", () -> "PT2S");
        // documents above 128 KiB are sealed through temporary files in this folder
        registry.add("yinxin.stamp.in-memory-max-size", () -> "128KB");
        registry.add("yinxin.stamp.results-dir", RESULTS::toString);
        registry.add("yinxin.stamp.verification-url", () -> "https://verify.example.gov.cn/d/");
    }

    private static final Path RESULTS = temporaryFolder();

    private static Path temporaryFolder() {
        try {
            return java.nio.file.Files.createTempDirectory("stamp-results");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSealSignsLicenceCodesAndTokensWithoutItsKeyLeaving() throws Exception {
        var claims = cn.yinxin.core.qr.CwtClaims.builder().issuer(SamplePki.AGENCY_CODE)
                .issuedAt(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                .put(-65538, java.util.Map.of(1, "1.2.156.3005.2.test")).build();
        var code = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/" + SamplePki.SEAL_ID + "/codes"))
                .header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(claims.toCbor())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(code.statusCode()).as(code.body()).isEqualTo(200);
        var key = cn.yinxin.core.pki.keys.SealKey.fromPkcs12(keystores.resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        var verified = new cn.yinxin.core.qr.QrVerifier(List.of(key.certificate()), java.time.Clock.systemUTC())
                .verify(code.body());
        assertThat(verified.claims().issuer()).isEqualTo(SamplePki.AGENCY_CODE);

        var statusList = cn.yinxin.core.qr.CwtClaims.builder().subject("http://localhost/api/v1/status-lists/x/y")
                .issuedAt(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                .put(65533, java.util.Map.of("bits", 2L, "lst", new byte[]{1})).build();
        var token = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/" + SamplePki.SEAL_ID + "/tokens"))
                .header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(statusList.toCbor())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.body()[0] & 0xff).as("CBOR tag 18, COSE_Sign1").isEqualTo(0xD2);
        // a status list of 10 million licences, 1 % revoked at random: some 200 KB of claims, past a code's 16 KiB
        var list = cn.yinxin.core.qr.StatusList.of(10_000_000, 2);
        var random = new java.util.SplittableRandom(19);
        for (int i = 0; i < 100_000; i++) {
            list.set(random.nextLong(10_000_000), cn.yinxin.core.qr.StatusList.INVALID);
        }
        byte[] listClaims = cn.yinxin.core.qr.CwtClaims.builder().subject("http://licences.example/api/v1/status-lists/x/y")
                .issuedAt(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                .put(65533, java.util.Map.of("bits", 2, "lst", list.compressed())).build().toCbor();
        assertThat(listClaims.length).isGreaterThan(150_000);
        var bigToken = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/" + SamplePki.SEAL_ID + "/tokens"))
                .header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(listClaims)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bigToken.statusCode()).as(new String(bigToken.body())).isEqualTo(200);
        assertThat(new cn.yinxin.core.qr.QrVerifier(List.of(key.certificate()), java.time.Clock.systemUTC())
                .verifyToken(bigToken.body(), 4 << 20).claims().get(65533)).isNotNull();
        // a code's claims stay small: the same 200 KB to /codes is refused
        var bigCode = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/" + SamplePki.SEAL_ID + "/codes"))
                .header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(listClaims)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bigCode.statusCode()).as(bigCode.body()).isEqualTo(400);

        var garbage = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/" + SamplePki.SEAL_ID + "/codes"))
                .header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{1, 2, 3})).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(400);
        var unknown = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/nope/codes"))
                .header("Content-Type", "application/cbor")
                .POST(HttpRequest.BodyPublishers.ofByteArray(claims.toCbor())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'seal.sign-code'").query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void aKeptStampedDocumentIsStoredWithoutAnotherCompressionAttempt() {
        // a stamped PDF or OFD is compressed already: pglz cost ~1 ms of database CPU per document for nothing (V71)
        assertThat(jdbc.sql("SELECT attstorage FROM pg_attribute WHERE attrelid = 'stamp_idempotency'::regclass "
                + "AND attname = 'result'").query(String.class).single()).isEqualTo("e");
    }

    @Test
    void aQrCodeOnThePageCarriesTheSignedDocumentIdAndReadsBackWithZbar() throws Exception {
        HttpResponse<byte[]> response = stamp(new Multipart()
                .file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("page", 1).field("x", 150).field("y", 230)
                .field("qr", "true"));
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        UUID id = UUID.fromString(response.headers().firstValue("X-Stamp-Id").orElseThrow());
        var report = onlineVerifier().verify(response.body());
        assertThat(report.verdict()).as("the code is inside the signed revision").isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).coverage().coversWholeDocument()).isTrue();

        Path file = Files.createTempFile("sealed-qr", ".pdf");
        Files.write(file, response.body());
        run("pdftoppm", "-r", "150", "-png", "-singlefile", file.toString(), file.toString().replace(".pdf", ""));
        // zbarimg may print D-Bus noise first; the code is its last line
        String[] lines = run("zbarimg", "--raw", "-q", file.toString().replace(".pdf", ".png")).strip().split("\n");
        String text = lines[lines.length - 1];
        assertThat(text).startsWith("YX1:");
        var key = cn.yinxin.core.pki.keys.SealKey.fromPkcs12(keystores.resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        var claims = new cn.yinxin.core.qr.QrVerifier(List.of(key.certificate()), java.time.Clock.systemUTC())
                .verify(text).claims();
        var document = cn.yinxin.core.qr.DocumentQr.from(claims);
        assertThat(document.documentId()).as("the QR names the stamp record").isEqualTo(id);
        assertThat(document.verificationUrl()).isEqualTo("https://verify.example.gov.cn/d/" + id);
        assertThat(document.sealId()).isEqualTo(SamplePki.SEAL_ID);
        assertThat(document.issuer()).isEqualTo(SamplePki.AGENCY_CODE);
    }

    @Test
    void aDocumentAboveTheInMemoryLimitIsSealedThroughTemporaryFilesAndLeavesNothingBehind() throws Exception {
        byte[] large = largePdf();
        assertThat(large.length).isBetween(128 * 1024, LIMIT_BYTES);
        HttpResponse<byte[]> response = stamp(new Multipart()
                .file("file", "large.pdf", "application/pdf", large)
                .field("sealId", SamplePki.SEAL_ID).field("page", 3).field("x", 100).field("y", 100));
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
        assertThat(Arrays.copyOf(response.body(), large.length)).isEqualTo(large);
        assertThat(onlineVerifier().verify(response.body()).verdict()).isEqualTo(Verdict.VALID);
        try (var files = Files.list(RESULTS)) {
            assertThat(files.toList()).as("no upload, revision or result file is kept").isEmpty();
        }

        // with an Idempotency-Key the result file is kept, and a retry gets the same bytes without a new record
        String key = UUID.randomUUID().toString();
        var form = new Multipart().file("file", "large.pdf", "application/pdf", large)
                .field("sealId", SamplePki.SEAL_ID).field("page", 2).field("x", 100).field("y", 100);
        HttpResponse<byte[]> first = http.send(form.post(uri("/api/v1/stamp"), "Idempotency-Key", key),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> again = http.send(form.post(uri("/api/v1/stamp"), "Idempotency-Key", key),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("X-Stamp-Id")).isEqualTo(first.headers().firstValue("X-Stamp-Id"));
        try (var files = Files.list(RESULTS)) {
            assertThat(files.toList()).hasSize(1);
        }
    }

    /** Three pages, each with a noisy (incompressible) image: a few hundred KiB. */
    private static byte[] largePdf() throws Exception {
        try (var document = new org.apache.pdfbox.pdmodel.PDDocument()) {
            var random = new java.util.Random(7);
            for (int p = 0; p < 3; p++) {
                var page = new org.apache.pdfbox.pdmodel.PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.A4);
                document.addPage(page);
                var image = new java.awt.image.BufferedImage(160, 160, java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 160; y++) {
                    for (int x = 0; x < 160; x++) {
                        image.setRGB(x, y, random.nextInt(0xFFFFFF));
                    }
                }
                var xobject = org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(document, image);
                try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, page)) {
                    content.drawImage(xobject, 100, 400, 300, 300);
                }
            }
            var out = new java.io.ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    @BeforeAll
    static void sample() throws Exception {
        samplePdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        root = Pem.readFolder(keystores.resolve("trust")).get(0);
    }

    @Test
    void stampedPdfIsJudgedValidByPdfsigDssAndOurVerifier() throws Exception {
        // the seal's centre 150 mm from the left and 230 mm from the top of the A4 page
        HttpResponse<byte[]> response = stamp(new Multipart()
                .file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("page", 1).field("x", 150).field("y", 230));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(response.headers().firstValue("X-Signature-Level")).hasValue("PAdES-BASELINE-B");
        byte[] sealed = response.body();
        assertThat(Arrays.copyOf(sealed, samplePdf.length)).as("incremental save keeps the original").isEqualTo(samplePdf);

        // the stamp record in PostgreSQL
        UUID id = UUID.fromString(response.headers().firstValue("X-Stamp-Id").orElseThrow());
        var record = jdbc.sql("SELECT seal_id, document_sha256_before, document_sha256_after, caller FROM stamp_record "
                + "WHERE id = :id").param("id", id).query().singleRow();
        assertThat(record.get("seal_id")).isEqualTo(SamplePki.SEAL_ID);
        assertThat(record.get("document_sha256_before")).isEqualTo(sha256(samplePdf));
        assertThat(record.get("document_sha256_after")).isEqualTo(sha256(sealed));
        assertThat((String) record.get("caller")).startsWith("development:development/developer@");

        Path file = Files.createTempFile("sealed", ".pdf");
        Files.write(file, sealed);

        // poppler
        String pdfsig = run("pdfsig", file.toString());
        assertThat(pdfsig).contains("Signature Validation: Signature is Valid.");
        assertThat(pdfsig).contains("Total document signed");
        assertThat(pdfsig).contains("Signature Type: ETSI.CAdES.detached");

        // EU DSS
        DssJudge.Verdict dss = DssJudge.validate(sealed, root);
        assertThat(dss.level()).isEqualTo(SignatureLevel.PAdES_BASELINE_B);
        assertThat(dss.intact()).as("DSS: signed bytes intact").isTrue();
        assertThat(dss.signatureValid()).as("DSS: signature value valid").isTrue();
        assertThat(dss.subIndication()).isNotIn("HASH_FAILURE", "SIG_CRYPTO_FAILURE", "FORMAT_FAILURE");

        // our verifier agrees
        var ours = onlineVerifier().verify(sealed);
        assertThat(ours.verdict()).isEqualTo(Verdict.VALID);
        assertThat(ours.signatures().get(0).indication()).isEqualTo(Indication.TOTAL_PASSED);
        assertThat(ours.signatures().get(0).seal().agencyCode()).isEqualTo(SamplePki.AGENCY_CODE);

        // the seal is where it was asked for: rendered by poppler at 150 dpi
        run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", file.toString(),
                file.toString().replace(".pdf", ""));
        BufferedImage page = ImageIO.read(Path.of(file.toString().replace(".pdf", ".png")).toFile());
        double px = 150 / 25.4;
        assertThat(isSealRed(page, 150 * px, 230 * px)).as("the star at the seal's centre").isTrue();
        assertThat(isSealRed(page, 150 * px, (230 - 19.3) * px)).as("the ring above the centre").isTrue();
        assertThat(isSealRed(page, 150 * px, (230 + 30) * px)).as("below the seal").isFalse();
        assertThat(isSealRed(page, 100 * px, 230 * px)).as("left of the seal").isFalse();
        assertThat(countRed(page)).as("red only around the seal").isLessThan((int) (44 * px * 44 * px));
    }

    @Test
    void aTimeStampedSealIsPadesBaselineT() throws Exception {
        tsa.up(true);
        HttpResponse<byte[]> response = stamp(new Multipart()
                .file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("x", 150).field("y", 230).field("level", "B-T"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Signature-Level")).hasValue("PAdES-BASELINE-T");
        var ours = onlineVerifier().verify(response.body());
        assertThat(ours.verdict()).isEqualTo(Verdict.VALID);
        assertThat(ours.signatures().get(0).format()).isEqualTo("PAdES-BASELINE-T");
        assertThat(DssJudge.validate(response.body(), root).level()).isEqualTo(SignatureLevel.PAdES_BASELINE_T);

        // the seal's next documents reserve the room its values need (core ContentsRoom), not a 10 KiB token guess
        HttpResponse<byte[]> next = stamp(new Multipart()
                .file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("x", 150).field("y", 230).field("level", "B-T"));
        assertThat(unusedContentsBytes(next.body())).isLessThan(1024 + 16);
        assertThat(onlineVerifier().verify(next.body()).verdict()).isEqualTo(Verdict.VALID);
    }

    /** The zero bytes that pad the last signature's /Contents after its value. */
    private static int unusedContentsBytes(byte[] pdf) {
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        int start = text.lastIndexOf("/Contents <") + "/Contents <".length();
        String hex = text.substring(start, text.indexOf('>', start));
        return (hex.length() - hex.replaceAll("(00)+$", "").length()) / 2;
    }

    @Test
    void whenTheTsaIsDownTheRequestFailsUnlessALowerLevelIsAllowed() throws Exception {
        tsa.up(false);
        try {
            assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                    .field("sealId", SamplePki.SEAL_ID).field("x", 150).field("y", 230).field("level", "B-T"),
                    503, "level-unavailable");

            HttpResponse<byte[]> lower = stamp(new Multipart()
                    .file("file", "result.pdf", "application/pdf", samplePdf)
                    .field("sealId", SamplePki.SEAL_ID).field("x", 150).field("y", 230).field("level", "B-LTA")
                    .field("allowLowerLevel", "true"));
            assertThat(lower.statusCode()).isEqualTo(200);
            assertThat(lower.headers().firstValue("X-Signature-Level")).hasValue("PAdES-BASELINE-B");
            assertThat(lower.headers().firstValue("X-Signature-Level-Requested")).hasValue("PAdES-BASELINE-LTA");
            UUID id = UUID.fromString(lower.headers().firstValue("X-Stamp-Id").orElseThrow());
            assertThat(jdbc.sql("SELECT signature_level FROM stamp_record WHERE id = :id").param("id", id)
                    .query(String.class).single()).isEqualTo("PAdES-BASELINE-B");
        } finally {
            tsa.up(true);
        }
    }

    @Test
    void aRetriedRequestWithTheSameIdempotencyKeyGetsTheSameAnswerAndNoSecondRecord() throws Exception {
        String key = "retry-" + UUID.randomUUID();
        long before = jdbc.sql("SELECT count(*) FROM stamp_record").query(Long.class).single();
        HttpResponse<byte[]> first = http.send(request(150).post(uri("/api/v1/stamp"), "Idempotency-Key", key),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> second = http.send(request(150).post(uri("/api/v1/stamp"), "Idempotency-Key", key),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("X-Stamp-Id")).isEqualTo(first.headers().firstValue("X-Stamp-Id"));
        assertThat(first.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(jdbc.sql("SELECT count(*) FROM stamp_record").query(Long.class).single()).isEqualTo(before + 1);

        HttpResponse<String> other = http.send(request(100).post(uri("/api/v1/stamp"), "Idempotency-Key", key),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.body()).contains("urn:yinxin:problem:idempotency-key-reused");
        assertThat(jdbc.sql("SELECT count(*) FROM stamp_record").query(Long.class).single()).isEqualTo(before + 1);
    }

    private Multipart request(double x) {
        return new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("x", x).field("y", 230);
    }

    @Test
    void aDocumentCertifiedWithNoChangesAllowedIsRefusedAndOneAllowingSignaturesIsSealedAgain() throws Exception {
        HttpResponse<byte[]> locked = stamp(request(150).field("certify", 1));
        assertThat(locked.statusCode()).isEqualTo(200);
        assertRefused(new Multipart().file("file", "locked.pdf", "application/pdf", locked.body())
                .field("sealId", SamplePki.SEAL_ID).field("x", 60).field("y", 230), 422, "certified-no-changes");

        HttpResponse<byte[]> open = stamp(request(150).field("certify", 2));
        assertThat(open.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> twice = stamp(new Multipart().file("file", "open.pdf", "application/pdf", open.body())
                .field("sealId", SamplePki.SEAL_ID).field("x", 60).field("y", 230));
        assertThat(twice.statusCode()).isEqualTo(200);
        var ours = onlineVerifier().verify(twice.body());
        assertThat(ours.verdict()).isEqualTo(Verdict.VALID);
        assertThat(ours.signatures()).hasSize(2);
        Path file = Files.createTempFile("certified", ".pdf");
        Files.write(file, twice.body());
        String pdfsig = run("pdfsig", file.toString());
        assertThat(pdfsig).contains("Signature #2").doesNotContain("Signature is Invalid");

        assertRefused(new Multipart().file("file", "open.pdf", "application/pdf", open.body())
                .field("sealId", SamplePki.SEAL_ID).field("x", 60).field("y", 230).field("certify", 2),
                422, "already-signed");
    }

    @Test
    void sealingADocumentSignedByEuDssKeepsThatSignatureValid() throws Exception {
        byte[] signedByDss = cn.yinxin.testing.DssSigner.sign(samplePdf,
                keystores.resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"), SamplePki.PASSWORD);
        HttpResponse<byte[]> response = stamp(new Multipart().file("file", "dss.pdf", "application/pdf", signedByDss)
                .field("sealId", SamplePki.SEAL_ID).field("x", 150).field("y", 230));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Arrays.copyOf(response.body(), signedByDss.length)).isEqualTo(signedByDss);

        var ours = onlineVerifier().verify(response.body());
        assertThat(ours.verdict()).isEqualTo(Verdict.VALID);
        assertThat(ours.signatures()).hasSize(2).allSatisfy(s -> assertThat(s.indication()).isEqualTo(Indication.TOTAL_PASSED));
        assertThat(ours.signatures().get(0).changesAfterSigning()).allSatisfy(c -> assertThat(c.allowed()).isTrue());

        var dss = cn.yinxin.testing.DssJudge.validateAll(response.body(), root);
        assertThat(dss).hasSize(2).allSatisfy(v -> {
            assertThat(v.intact()).isTrue();
            assertThat(v.signatureValid()).isTrue();
        });
    }

    @Test
    void aSealCanBeCentredOnAnAnchorText() throws Exception {
        HttpResponse<byte[]> response = stamp(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("anchor", "Sample City Administrative Approval Bureau"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(onlineVerifier().verify(response.body()).verdict()).isEqualTo(Verdict.VALID);
        assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("anchor", "（盖章）"), 422, "anchor-not-found");
        assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("anchor", "Decision").field("x", 10).field("y", 10),
                400, "invalid-request");
    }

    @Test
    void aCrossPageSealSpansThePagesWithOneSignature() throws Exception {
        byte[] threePages;
        try (PDDocument document = new PDDocument()) {
            for (int i = 0; i < 3; i++) {
                document.addPage(new PDPage(PDRectangle.A4));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            threePages = out.toByteArray();
        }
        HttpResponse<byte[]> response = stamp(new Multipart().file("file", "three.pdf", "application/pdf", threePages)
                .field("sealId", SamplePki.SEAL_ID).field("crossPages", "all").field("y", 150));
        assertThat(response.statusCode()).isEqualTo(200);
        Path file = Files.createTempFile("cross", ".pdf");
        Files.write(file, response.body());
        assertThat(run("pdfsig", file.toString())).contains("Signature Validation: Signature is Valid.")
                .doesNotContain("Signature #2");
        DssJudge.Verdict dss = DssJudge.validate(response.body(), root);
        assertThat(dss.intact()).isTrue();
        assertThat(dss.signatureValid()).isTrue();
        assertRefused(new Multipart().file("file", "three.pdf", "application/pdf", threePages)
                .field("sealId", SamplePki.SEAL_ID).field("crossPages", "1,9").field("y", 150), 422, "page-out-of-range");
    }

    @Test
    void severalSealsInOneRequestAreOneSignatureEach() throws Exception {
        tsa.up(true);
        String seals = "[{\"sealId\":\"" + SamplePki.SEAL_ID + "\",\"page\":1,\"x\":60,\"y\":240},"
                + "{\"sealId\":\"" + SamplePki.SEAL_ID + "\",\"anchor\":\"Sample City Administrative Approval Bureau\"}]";
        long before = jdbc.sql("SELECT count(*) FROM stamp_record").query(Long.class).single();
        HttpResponse<byte[]> response = stamp(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("seals", seals).field("level", "B-T"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Stamp-Id").orElseThrow().split(",")).hasSize(2);
        assertThat(jdbc.sql("SELECT count(*) FROM stamp_record").query(Long.class).single()).isEqualTo(before + 2);

        var ours = onlineVerifier().verify(response.body());
        assertThat(ours.verdict()).isEqualTo(Verdict.VALID);
        assertThat(ours.signatures()).hasSize(2)
                .allSatisfy(sig -> assertThat(sig.format()).isEqualTo("PAdES-BASELINE-T"));
        assertThat(DssJudge.validateAll(response.body(), root)).hasSize(2)
                .allSatisfy(v -> assertThat(v.intact() && v.signatureValid()).isTrue());

        assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("seals", "[{\"page\":1}]"), 400, "invalid-request");
        assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("seals", "not json"), 400, "invalid-request");
        assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("seals", "[{\"sealId\":\"" + SamplePki.SEAL_ID + "\",\"x\":10,\"y\":10},"
                        + "{\"sealId\":\"nope\",\"x\":10,\"y\":10}]"), 404, "unknown-seal");
    }

    @Test
    void anUnknownLevelIsRefused() throws Exception {
        assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("x", 150).field("y", 230).field("level", "B-X"),
                400, "invalid-request");
    }

    private static TestTsa startTsa() {
        try {
            var vault = new cn.yinxin.core.pki.keys.Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray());
            return new TestTsa(vault.get(cn.yinxin.core.pki.ca.CaHierarchy.TSA));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void notAPdfIsRefusedAndNothingStored() throws Exception {
        assertRefused(new Multipart().file("file", "x.txt", "text/plain", "hello".getBytes())
                .field("sealId", SamplePki.SEAL_ID).field("x", 100).field("y", 100), 415, "not-a-pdf");
    }

    @Test
    void emptyBodyIsRefused() throws Exception {
        assertRefused(new Multipart().file("file", "empty.pdf", "application/pdf", new byte[0])
                .field("sealId", SamplePki.SEAL_ID).field("x", 100).field("y", 100), 400, "empty-body");
    }

    @Test
    void truncatedPdfIsRefused() throws Exception {
        assertRefused(new Multipart().file("file", "cut.pdf", "application/pdf",
                        Arrays.copyOf(samplePdf, samplePdf.length * 2 / 3))
                .field("sealId", SamplePki.SEAL_ID).field("x", 100).field("y", 100), 422, "truncated-pdf");
    }

    @Test
    void encryptedPdfIsRefused() throws Exception {
        byte[] encrypted;
        try (PDDocument document = Loader.loadPDF(samplePdf)) {
            document.protect(new StandardProtectionPolicy("owner", "", new AccessPermission()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            encrypted = out.toByteArray();
        }
        assertRefused(new Multipart().file("file", "locked.pdf", "application/pdf", encrypted)
                .field("sealId", SamplePki.SEAL_ID).field("x", 100).field("y", 100), 422, "encrypted-pdf");
    }

    @Test
    void unknownSealIsRefused() throws Exception {
        assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", "no-such-seal").field("x", 100).field("y", 100), 404, "unknown-seal");
    }

    @Test
    void aRefusalsTitleIsChineseUnlessEnglishIsAskedForAndItsTypeStays() throws Exception {
        // a refusal of the service (ProblemHandler) ...
        HttpResponse<String> zh = http.send(unknownSeal().post(uri("/api/v1/stamp")), HttpResponse.BodyHandlers.ofString());
        assertThat(zh.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(zh.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:unknown-seal");
        assertThat(JSON.readTree(zh.body()).get("title").asString()).isEqualTo("没有这枚印章");
        assertThat(zh.headers().firstValue("Content-Language")).hasValue("zh-CN");
        HttpResponse<String> en = http.send(unknownSeal().post(uri("/api/v1/stamp"), "Accept-Language", "en-US,en;q=0.8"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(en.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:unknown-seal");
        assertThat(JSON.readTree(en.body()).get("title").asString()).isEqualTo("No such seal");
        assertThat(en.headers().firstValue("Content-Language")).hasValue("en");
        // ... and one of the access rules, written by a filter before Spring MVC (ProblemResponses)
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/" + SamplePki.SEAL_ID + "/renewal"))
                .header("X-Dev-Roles", "approval-system").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(denied.body()).get("title").asString()).isEqualTo("无权执行此操作");
        HttpResponse<String> deniedEn = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/" + SamplePki.SEAL_ID + "/renewal"))
                .header("X-Dev-Roles", "approval-system").header("Accept-Language", "en")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(deniedEn.body()).get("title").asString()).isEqualTo("This caller may not do this");
    }

    private Multipart unknownSeal() {
        return new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", "no-such-seal").field("x", 100).field("y", 100);
    }

    @Test
    void pageOutOfRangeIsRefused() throws Exception {
        assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID).field("page", 3).field("x", 100).field("y", 100),
                422, "page-out-of-range");
    }

    @Test
    void bodyOverTheConfiguredLimitIsRefused() throws Exception {
        assertRefused(new Multipart().file("file", "big.pdf", "application/pdf", bigPdf())
                .field("sealId", SamplePki.SEAL_ID).field("x", 100).field("y", 100), 413, "payload-too-large");
    }

    @Test
    void missingPositionIsRefused() throws Exception {
        assertRefused(new Multipart().file("file", "result.pdf", "application/pdf", samplePdf)
                .field("sealId", SamplePki.SEAL_ID), 400, "invalid-request");
    }

    private void assertRefused(Multipart request, int status, String slug) throws Exception {
        long before = jdbc.sql("SELECT count(*) FROM stamp_record").query(Long.class).single();
        HttpResponse<String> response = http.send(request.post(uri("/api/v1/stamp")),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"type\":\"urn:yinxin:problem:" + slug + "\"");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        long after = jdbc.sql("SELECT count(*) FROM stamp_record").query(Long.class).single();
        assertThat(after).as("nothing stored for a refused request").isEqualTo(before);
    }

    /** A valid PDF over the configured limit: a page with a large incompressible image-like stream. */
    private static byte[] bigPdf() throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            byte[] noise = new byte[LIMIT_BYTES * 2];
            new java.util.Random(1).nextBytes(noise);
            try (PDPageContentStream content = new PDPageContentStream(document, page,
                    PDPageContentStream.AppendMode.OVERWRITE, false)) {
                content.addComment(HexFormat.of().formatHex(noise));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    private HttpResponse<byte[]> stamp(Multipart request) throws Exception {
        return http.send(request.post(uri("/api/v1/stamp")), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static PdfVerifier onlineVerifier() {
        return new PdfVerifier(List.of(root), new cn.yinxin.core.pki.revocation.OnlineRevocationSource(java.time.Duration.ofSeconds(5)));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static boolean isSealRed(BufferedImage image, double x, double y) {
        int rgb = image.getRGB((int) x, (int) y);
        return isRed(rgb);
    }

    private static boolean isRed(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return r > 150 && g < 100 && b < 100;
    }

    private static int countRed(BufferedImage image) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (isRed(image.getRGB(x, y))) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
