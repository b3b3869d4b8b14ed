package cn.yinxin.verifier.report;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Commands;
import cn.yinxin.testing.DssJudge;
import cn.yinxin.testing.SealServiceExtension;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.VerifierVerticle;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sealed PDF report with no key in the verifier: the real seal service (its jar, in a process of its own, on the
 * sample PKI) seals it with the verification-report seal at the verifier's request; the verifier is given a folder
 * with the trusted root certificate and nothing else. EU DSS and our own verifier judge the report.
 */
@cn.yinxin.testing.Slow("a seal service process and an embedded PostgreSQL")
class SealedReportTest {

    private static final long LIMIT = 256 * 1024;
    private static final TestRevocationServer revocation = new TestRevocationServer();
    @RegisterExtension
    static final SealServiceExtension sealService = new SealServiceExtension("seal_for_reports",
            revocation.keystores(), revocation.url() + "/tsa");
    private static Vertx vertx;
    private static Path verifierHome;
    private static VerifierVerticle verifier;
    private static X509Certificate root;
    private static byte[] sealed;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path keystores = revocation.keystores();
        root = Pem.readFolder(keystores.resolve("trust")).get(0);

        // everything the verifier is given: the trusted root, and the seal service's address
        verifierHome = Files.createTempDirectory("verifier-home");
        Path trust = Files.createDirectories(verifierHome.resolve("trust"));
        Files.writeString(trust.resolve("root.pem"), Pem.encode(root));
        vertx = Vertx.vertx();
        verifier = deploy(new VerifierConfig(0, trust, LIMIT)
                .withSeals(sealService.url(), verifierHome.resolve("seals.json")));

        // a document to verify, sealed by the test with the sample agency seal
        Path seal = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        SealKey key = SealKey.fromPkcs12(seal.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
        sealed = new PdfSealer().seal(Files.readAllBytes(keystores.resolve("samples/approval-result.pdf")),
                new SealRequest(key, new SealAppearance(Files.readAllBytes(seal.resolve("seal.png")), 42, 42),
                        new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null, Instant.now()));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        revocation.close();
    }

    @Test
    void aClerkGetsTheVerdictAsAPdfSealedByTheSealServiceWithTheReportSeal() throws Exception {
        var response = report(verifier, sealed);
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pdf");
        byte[] report = response.body();

        try (var document = Loader.loadPDF(report)) {
            assertThat(document.getSignatureDictionaries()).as("the report is sealed, once").hasSize(1);
        }
        // EU DSS: one intact, valid PAdES signature, chaining to our root ...
        DssJudge.Verdict dss = DssJudge.validate(report, root);
        assertThat(dss.level()).isEqualTo(SignatureLevel.PAdES_BASELINE_B);
        assertThat(dss.intact()).as("DSS: signed bytes intact").isTrue();
        assertThat(dss.signatureValid()).as("DSS: signature value valid").isTrue();
        // ... made with the report seal's certificate, as the seal service publishes it
        assertThat(signerOf(report)).isEqualTo(reportSealCertificate());
        // pdfsig agrees
        Path file = Files.createTempFile("report", ".pdf");
        Files.write(file, report);
        assertThat(Commands.run(file.getParent(), "pdfsig", file.toString()).output())
                .contains("Signature Validation: Signature is Valid.").contains("Total document signed");

        var ours = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5))).verify(report);
        assertThat(ours.verdict()).as(ours.toString()).isEqualTo(Verdict.VALID);
        assertThat(ours.signatures().get(0).seal().name()).isEqualTo(SamplePki.REPORT_SEAL_NAME);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sealed));
        assertThat(text(report)).contains("有效", "Valid", sha256, SamplePki.SEAL_NAME);
        // the seal service's signing record of the report names the verifier as its source
        String reportSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(report));
        try (var connection = java.sql.DriverManager.getConnection(cn.yinxin.testing.TestDatabase.jdbcUrl("seal_for_reports"));
             var statement = connection.prepareStatement("SELECT count(*) FROM audit_event WHERE action = 'stamp' "
                     + "AND details LIKE ? AND details LIKE '% source=api:verifier:report %'")) {
            statement.setString(1, "% result=" + reportSha256 + " %");
            try (var rs = statement.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }

        byte[] tampered = sealed.clone();
        int at = new String(tampered, StandardCharsets.ISO_8859_1).indexOf("/MediaBox") + 12;
        tampered[at] = (byte) (tampered[at] == '1' ? '2' : '1');
        var bad = report(verifier, tampered);
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(text(bad.body())).contains("无效", "Not valid");
    }

    /**
     * An OFD's verification as the same sealed PDF report: an OFD sealed with the sample SM2 licence seal's GB/T 38540
     * seal is reported valid, with its SHA-256; the same OFD with a changed page is reported not valid.
     */
    @Test
    void anOfdsVerificationComesAsTheSameSealedReport() throws Exception {
        Path folder = revocation.keystores().resolve("seals").resolve(SamplePki.LICENCE_SEAL_ID);
        SealKey key = SealKey.fromPkcs12(folder.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
        var seseal = cn.yinxin.core.ses.SESeal.getInstance(Files.readAllBytes(folder.resolve("seal.esl")));
        var writer = new cn.yinxin.core.ofd.OfdWriter().title("行政许可决定书").created(java.time.LocalDate.of(2026, 12, 6));
        writer.page(210, 297).text(30, 40, 6, "准予行政许可决定书 第2026-118号");
        byte[] ofd = new cn.yinxin.core.ofd.seal.OfdSealer(null).seal(
                writer.write(), new cn.yinxin.core.ofd.seal.OfdSealRequest(seseal, key, new SealPlacement(1, 150, 230),
                        Instant.now()));

        var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + verifier.port()
                        + "/api/v1/verify/ofd/report")).header("Content-Type", "application/ofd")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ofd)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pdf");
        byte[] report = response.body();
        assertThat(signerOf(report)).isEqualTo(reportSealCertificate());
        var ours = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5))).verify(report);
        assertThat(ours.verdict()).as(ours.toString()).isEqualTo(Verdict.VALID);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ofd));
        assertThat(text(report)).contains("有效", "Valid", sha256, SamplePki.LICENCE_SEAL_NAME);

        var pack = cn.yinxin.core.ofd.OfdPackage.read(ofd, cn.yinxin.core.ofd.OfdLimits.DEFAULT);
        String page = "Doc_0/Pages/Page_0/Content.xml";
        String content = new String(pack.get(page), StandardCharsets.UTF_8);
        assertThat(content).contains("2026-118");
        byte[] changed = pack.with(page, content.replace("2026-118", "2026-119").getBytes(StandardCharsets.UTF_8)).toZip();
        var bad = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + verifier.port()
                        + "/api/v1/verify/ofd/report")).header("Content-Type", "application/ofd")
                .POST(HttpRequest.BodyPublishers.ofByteArray(changed)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(text(bad.body())).contains("无效", "Not valid");
    }

    /**
     * Red team (issue 20): hostile packages sent to the sealed-report route get the JSON route's problem documents
     * (never a 500, never a sealed report of something unread): empty, not a ZIP, a zip bomb, a DTD, an entry climbing
     * out of the package, more than the upload limit.
     */
    @Test
    void hostileOfdPackagesSentForASealedReportAreProblemDocuments() throws Exception {
        java.util.Map<String, byte[]> attacks = new java.util.LinkedHashMap<>();
        attacks.put("empty", new byte[0]);
        attacks.put("not a zip", "PK\u0003\u0004 not a zip at all".getBytes(StandardCharsets.ISO_8859_1));
        attacks.put("zip bomb", zip("OFD.xml", new byte[20 << 20]));
        attacks.put("doctype", zip("OFD.xml", ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
                + "<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\">&a;</ofd:OFD>").getBytes(StandardCharsets.UTF_8)));
        attacks.put("climbs out", zip("../OFD.xml", "<x/>".getBytes(StandardCharsets.UTF_8)));
        attacks.put("too large", new byte[(int) LIMIT + 1]);
        for (var attack : attacks.entrySet()) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + verifier.port()
                            + "/api/v1/verify/ofd/report")).header("Content-Type", "application/ofd")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(attack.getValue())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as(attack.getKey() + ": " + body).isBetween(400, 499);
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as(attack.getKey()).startsWith("application/problem+json");
            assertThat(new JsonObject(body).getString("type")).as(attack.getKey()).isNotBlank();
        }
    }

    private static byte[] zip(String name, byte[] data) throws java.io.IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(name));
            zip.write(data);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void theVerifierHoldsNoKeyStoreAndHasNoSettingForOne() throws Exception {
        // what the verifier above was given holds no private key of any kind
        try (Stream<Path> files = Files.walk(verifierHome)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString().toLowerCase();
                assertThat(name).as(file.toString()).doesNotEndWith(".p12").doesNotEndWith(".pfx")
                        .doesNotEndWith(".jks").doesNotEndWith(".key");
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain("PRIVATE KEY");
            }
        }
        // and its settings have no place for one: no key store, key file or password
        for (var component : VerifierConfig.class.getRecordComponents()) {
            assertThat(component.getName().toLowerCase()).as("VerifierConfig." + component.getName())
                    .doesNotContain("key").doesNotContain("password").doesNotContain("pkcs");
            assertThat(component.getType()).as("VerifierConfig." + component.getName()).isNotEqualTo(char[].class);
        }
    }

    @Test
    void withoutTheSealServiceTheReportIsAProblemNeverAnUnsealedPdfAndTheJsonVerdictStillComes() throws Exception {
        // configured, but not there
        VerifierVerticle cut = deploy(new VerifierConfig(0, verifierHome.resolve("trust"), LIMIT)
                .withSeals("http://127.0.0.1:" + Commands.freePort(), Files.createTempDirectory("v").resolve("s.json")));
        assertUnavailable(report(cut, sealed), "cannot be reached");
        var json = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + cut.port() + "/api/v1/verify/pdf"))
                .header("Content-Type", "application/pdf").POST(HttpRequest.BodyPublishers.ofByteArray(sealed)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertThat(new JsonObject(json.body()).getString("verdict")).isEqualTo("VALID");

        // there, but refusing: the verifier's client may not stamp with an agency's seal
        VerifierVerticle wrongSeal = deploy(new VerifierConfig(0, verifierHome.resolve("trust"), LIMIT)
                .withSeals(sealService.url(), Files.createTempDirectory("v").resolve("s.json"))
                .withReportSeal(SamplePki.SEAL_ID, 30));
        var refused = report(wrongSeal, sealed);
        assertUnavailable(refused, "HTTP 403 seal-not-permitted");
        // the seal service's own words (which client, which seals) stay in the verifier's log, not the public answer
        assertThat(new JsonObject(new String(refused.body(), StandardCharsets.UTF_8)).getString("detail"))
                .doesNotContain("yinxin-verifier").doesNotContain("client");
    }

    private void assertUnavailable(HttpResponse<byte[]> response, String because) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body.substring(0, Math.min(300, body.length()))).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject problem = new JsonObject(body);
        assertThat(problem.getString("type")).isEqualTo("urn:yinxin:problem:report-unavailable");
        assertThat(problem.getString("detail")).contains(because);
    }

    private static VerifierVerticle deploy(VerifierConfig config) throws Exception {
        VerifierVerticle verticle = new VerifierVerticle(config);
        vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
        return verticle;
    }

    private HttpResponse<byte[]> report(VerifierVerticle to, byte[] pdf) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + to.port() + "/api/v1/verify/pdf/report"))
                .header("Content-Type", "application/pdf").POST(HttpRequest.BodyPublishers.ofByteArray(pdf)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The report seal's current certificate, as the seal service publishes it to anyone. */
    private X509Certificate reportSealCertificate() throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(sealService.url() + "/api/v1/seals/"
                + SamplePki.REPORT_SEAL_ID + "/certificate")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Pem.readCertificates(response.body().getBytes(StandardCharsets.US_ASCII)).get(0);
    }

    private static X509Certificate signerOf(byte[] pdf) throws Exception {
        try (var document = Loader.loadPDF(pdf)) {
            var signature = document.getSignatureDictionaries().get(0);
            CMSSignedData cms = new CMSSignedData(signature.getContents());
            var signer = cms.getSignerInfos().getSigners().iterator().next();
            @SuppressWarnings("unchecked")
            X509CertificateHolder holder = (X509CertificateHolder) cms.getCertificates().getMatches(signer.getSID())
                    .iterator().next();
            return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    private static String text(byte[] pdf) throws Exception {
        try (var document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
