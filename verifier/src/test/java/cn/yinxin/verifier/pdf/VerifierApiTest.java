package cn.yinxin.verifier.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.VerifierVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The verification API over real HTTP, on PDFs sealed with the sample seal of keystores-sample. */
class VerifierApiTest {

    private static final long LIMIT = 256 * 1024;
    private static Vertx vertx;
    private static VerifierVerticle verticle;
    private static byte[] sealed;
    private static java.security.cert.X509Certificate root;
    private static TestRevocationServer revocation;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        // the sample PKI's certificates point at a real OCSP responder on loopback: the verifier checks online
        revocation = new TestRevocationServer();
        Path keystores = revocation.keystores();
        Path seal = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        SealKey key = SealKey.fromPkcs12(seal.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
        byte[] document = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        sealed = new PdfSealer().seal(document, new SealRequest(key,
                new SealAppearance(Files.readAllBytes(seal.resolve("seal.png")), 42, 42),
                new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null, Instant.now()));

        vertx = Vertx.vertx();
        verticle = new VerifierVerticle(new VerifierConfig(0, keystores.resolve("trust"), LIMIT));
        root = cn.yinxin.core.pki.Pem.readFolder(keystores.resolve("trust")).get(0);
        vertx.deployVerticle(verticle).await(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        revocation.close();
    }

    @Test
    void aSealedPdfGetsAValidReportWithEveryField() throws Exception {
        JsonObject report = verify(sealed, 200);
        assertThat(report.getString("verdict")).isEqualTo("VALID");
        JsonObject signature = report.getJsonArray("signatures").getJsonObject(0);
        assertThat(signature.getString("indication")).isEqualTo("TOTAL_PASSED");
        assertThat(signature.getString("subIndication")).isNull();
        assertThat(signature.getString("format")).isEqualTo("PAdES-BASELINE-B");
        assertThat(signature.getJsonArray("reasons")).isNotEmpty();
        assertThat(signature.getJsonObject("seal").getString("agencyCode")).isEqualTo(SamplePki.AGENCY_CODE);
        assertThat(signature.getJsonObject("seal").getString("name")).isEqualTo(SamplePki.SEAL_NAME);
        assertThat(signature.getJsonObject("signer").getString("issuer")).contains("Yinxin Agency Seal CA");
        assertThat(signature.getString("claimedSigningTime")).isNotBlank();
        JsonObject coverage = signature.getJsonObject("coverage");
        assertThat(coverage.getJsonArray("byteRange")).hasSize(4);
        assertThat(coverage.getBoolean("coversWholeDocument")).isTrue();
        assertThat(coverage.getLong("bytesAppendedAfter")).isZero();
        assertThat(signature.getBoolean("modifiedAfterSigning")).isFalse();
    }

    @Test
    void aChangedByteMakesItInvalid() throws Exception {
        byte[] tampered = sealed.clone();
        int at = indexOf(tampered, "/MediaBox") + 12;
        tampered[at] = (byte) (tampered[at] == '1' ? '2' : '1');
        JsonObject report = verify(tampered, 200);
        assertThat(report.getString("verdict")).isEqualTo("INVALID");
        JsonObject signature = report.getJsonArray("signatures").getJsonObject(0);
        assertThat(signature.getString("indication")).isEqualTo("TOTAL_FAILED");
        assertThat(signature.getString("subIndication")).isEqualTo("HASH_FAILURE");
        // the page said "Unchanged since signing" under "the signed bytes were changed": the change is inside
        // what was signed
        assertThat(signature.getBoolean("modifiedAfterSigning")).isTrue();
    }

    @Test
    void contentAddedInALaterRevisionIsReportedAsAChangeAfterSigning() throws Exception {
        byte[] changed;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            try (PDPageContentStream content = new PDPageContentStream(document, document.getPage(0),
                    PDPageContentStream.AppendMode.APPEND, false)) {
                content.addRect(300, 300, 100, 20);
                content.fill();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            changed = out.toByteArray();
        }
        JsonObject report = verify(changed, 200);
        assertThat(report.getString("verdict")).isEqualTo("INVALID");
        JsonObject signature = report.getJsonArray("signatures").getJsonObject(0);
        assertThat(signature.getBoolean("modifiedAfterSigning")).isTrue();
        assertThat(signature.getJsonObject("coverage").getBoolean("coversWholeDocument")).isFalse();
        assertThat(signature.getJsonArray("changesAfterSigning").getJsonObject(0).getString("kind"))
                .isEqualTo("PAGE_CONTENT");
    }

    @Test
    void theReportSpeaksChineseUnlessEnglishIsAskedForAndKeepsTheCodesForExperts() throws Exception {
        byte[] tampered = sealed.clone();
        int at = indexOf(tampered, "/MediaBox") + 12;
        tampered[at] = (byte) (tampered[at] == '1' ? '2' : '1');

        HttpResponse<String> chinese = post(tampered, null);
        assertThat(chinese.headers().firstValue("Content-Language")).hasValue("zh-CN");
        JsonObject zh = new JsonObject(chinese.body());
        assertThat(zh.getString("verdict")).isEqualTo("INVALID");
        assertThat(zh.getString("language")).isEqualTo("zh-CN");
        assertThat(zh.getString("verdictText")).isEqualTo("无效");
        assertThat(zh.getString("summaryText")).isEqualTo("1 个签章中有 1 个无效：请勿采信此文件。");
        assertThat(zh.getString("summary")).as("the English summary stays for experts and scripts")
                .isEqualTo("1 of 1 signature(s) failed: do not accept this document.");
        JsonObject signature = zh.getJsonArray("signatures").getJsonObject(0);
        assertThat(signature.getString("subIndication")).isEqualTo("HASH_FAILURE");
        assertThat(signature.getString("outcomeText")).isEqualTo("盖章后文件内容被改动");
        assertThat(signature.getJsonArray("reasonTexts")).hasSameSizeAs(signature.getJsonArray("reasons"));
        assertThat(signature.getJsonArray("reasonTexts").stream().map(String::valueOf))
                .anyMatch(text -> text.matches("盖章后文件内容被改动：其 SHA-?256 摘要与签署时的不再一致。"));
        assertThat(signature.getJsonArray("reasonKeys").stream().filter(k -> k != null)
                .map(k -> ((JsonObject) k).getString("key"))).contains("reason.cms.changed");
        for (int i = 0; i < signature.getJsonArray("reasons").size(); i++) {
            assertThat(signature.getJsonArray("reasonKeys").getValue(i))
                    .as("a catalogue entry for: " + signature.getJsonArray("reasons").getString(i)).isNotNull();
        }

        HttpResponse<String> english = post(tampered, "en-GB,en;q=0.9,zh;q=0.5");
        assertThat(english.headers().firstValue("Content-Language")).hasValue("en");
        JsonObject en = new JsonObject(english.body());
        assertThat(en.getString("verdictText")).isEqualTo("Not valid");
        assertThat(en.getString("summaryText")).isEqualTo(en.getString("summary"));
        JsonObject enSignature = en.getJsonArray("signatures").getJsonObject(0);
        assertThat(enSignature.getString("outcomeText")).isEqualTo("The document's content was changed after sealing.");
        assertThat(enSignature.getJsonArray("reasonTexts")).isEqualTo(enSignature.getJsonArray("reasons"));
    }

    @Test
    void aProblemsTitleFollowsAcceptLanguageAndItsTypeDoesNot() throws Exception {
        HttpResponse<String> chinese = post("not a pdf".getBytes(), null);
        assertProblem(chinese, 415, "not-a-pdf");
        assertThat(new JsonObject(chinese.body()).getString("title")).isEqualTo("不是 PDF 文件");
        assertThat(chinese.headers().firstValue("Content-Language")).hasValue("zh-CN");
        HttpResponse<String> english = post("not a pdf".getBytes(), "en");
        assertProblem(english, 415, "not-a-pdf");
        assertThat(new JsonObject(english.body()).getString("title")).isEqualTo("The document is not a PDF");
    }

    @Test
    void aMultipartUploadIsVerifiedToo() throws Exception {
        String boundary = "b" + System.nanoTime();
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes());
        body.writeBytes(sealed);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
        var response = http.send(HttpRequest.newBuilder(uri("/api/v1/verify/pdf"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("verdict")).isEqualTo("VALID");
    }

    @Test
    void refusalsAreProblemDocuments() throws Exception {
        assertProblem(post("not a pdf".getBytes()), 415, "not-a-pdf");
        assertProblem(post(new byte[0]), 400, "empty-body");
        assertProblem(post(Arrays.copyOf(sealed, sealed.length / 2)), 422, "truncated-pdf");
        assertProblem(post(new byte[(int) LIMIT + 1]), 413, "payload-too-large");
        var unknown = http.send(HttpRequest.newBuilder(uri("/api/v1/nothing")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(unknown, 404, "not-found");
    }

    @Test
    void theVerificationPageIsServed() throws Exception {
        var page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("api/v1/verify/pdf").contains("<input type=\"file\"");
    }

    @Test
    void withoutASealServiceTheSealedReportIsAProblemNotAnUnsealedPdf() throws Exception {
        // the sealed report itself, through a real seal service: SealedReportTest
        var response = http.send(HttpRequest.newBuilder(uri("/api/v1/verify/pdf/report"))
                .header("Content-Type", "application/pdf").POST(HttpRequest.BodyPublishers.ofByteArray(sealed)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(response, 503, "report-unavailable");
        assertThat(new JsonObject(response.body()).getString("detail")).contains("YINXIN_SEALS_URL");
    }

    /**
     * A sealed portfolio (the twelfth read): readers open it on its attached file, not on the sealed page. The API's
     * answer stays VALID and says so in both languages: summaryText (Chinese unless English is asked for), which the
     * page and the sealed report show.
     */
    @Test
    void aSealedPortfolioIsValidAndTheAnswerSaysReadersShowItsAttachedFileInstead() throws Exception {
        Path keystores = revocation.keystores();
        Path seal = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        SealKey key = SealKey.fromPkcs12(seal.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
        byte[] portfolio;
        try (PDDocument document = Loader.loadPDF(Files.readAllBytes(keystores.resolve("samples/approval-result.pdf")))) {
            var file = new org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile(document,
                    new java.io.ByteArrayInputStream("another decision".getBytes()), org.apache.pdfbox.cos.COSName.FLATE_DECODE);
            var spec = new org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification();
            spec.setFile("decision.txt");
            spec.setEmbeddedFile(file);
            var tree = new org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode();
            tree.setNames(java.util.Map.of("decision.txt", spec));
            var names = new org.apache.pdfbox.pdmodel.PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            document.getDocumentCatalog().setNames(names);
            var collection = new org.apache.pdfbox.cos.COSDictionary();
            collection.setString(org.apache.pdfbox.cos.COSName.D, "decision.txt");
            document.getDocumentCatalog().getCOSObject().setItem(org.apache.pdfbox.cos.COSName.getPDFName("Collection"),
                    collection);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            portfolio = new PdfSealer().seal(out.toByteArray(), new SealRequest(key,
                    new SealAppearance(Files.readAllBytes(seal.resolve("seal.png")), 42, 42),
                    new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null, Instant.now()));
        }

        JsonObject zh = new JsonObject(post(portfolio, null).body());

        assertThat(zh.getString("verdict")).isEqualTo("VALID");
        assertThat(zh.getString("summary")).contains("portfolio").contains("\"decision.txt\"");
        assertThat(zh.getString("summaryText")).contains("请注意").contains("文件包").contains("\"decision.txt\"");
    }

    private JsonObject verify(byte[] pdf, int status) throws Exception {
        HttpResponse<String> response = post(pdf);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return new JsonObject(response.body());
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return post(body, null);
    }

    private HttpResponse<String> post(byte[] body, String acceptLanguage) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/v1/verify/pdf"))
                .header("Content-Type", "application/pdf");
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("urn:yinxin:problem:" + slug);
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + verticle.port() + path);
    }

    private static int indexOf(byte[] data, String text) {
        String s = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf(text);
        assertThat(at).isNotNegative();
        return at;
    }
}
