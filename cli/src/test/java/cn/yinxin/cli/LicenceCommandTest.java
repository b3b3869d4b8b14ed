package cn.yinxin.cli;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.keystores.SamplePki;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The licence and QR commands through picocli against a stand-in licence service on loopback (its answers are the
 * documented API's): what they send, what they print, their exit codes. The QR code is signed with the sample seal
 * and checked offline with core's QrVerifier.
 */
class LicenceCommandTest {

    private static final String ID = "1.2.156.3005.2.11410000MB00001749002.11410000MB0000174X.20260000001.001.K";

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();
    private volatile String liveStatus = "VALID";
    private volatile JsonNode issued;
    @RegisterExtension
    final Console console = new Console();
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().toString();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + path + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
        String licence = "{\"identifier\":\"" + ID + "\",\"status\":\"%s\"}";
        if (method.equals("POST") && path.equals("/api/v1/licences")) {
            issued = Json.read(body);
            reply(exchange, 201, licence.formatted("VALID"));
        } else if (path.equals("/api/v1/licences/" + ID + "/pdf")) {
            reply(exchange, 200, "%PDF-1.7 sealed");
        } else if (path.equals("/api/v1/licences/" + ID + "/revocation")) {
            assertThat(Json.read(body).get("reason").asString()).isEqualTo("吊销");
            reply(exchange, 200, licence.formatted("REVOKED"));
        } else if (method.equals("DELETE") && path.equals("/api/v1/licences/" + ID + "/suspension")) {
            reply(exchange, 200, licence.formatted("VALID"));
        } else if (path.equals("/api/v1/licences/" + ID + "/status")) {
            reply(exchange, 200, "{\"identifier\":\"" + ID + "\",\"status\":\"" + liveStatus + "\",\"since\":\"2026-01-01T00:00:00Z\"}");
        } else if (method.equals("POST") && path.startsWith("/api/v1/imports?type=")) {
            assertThat(body).startsWith("holderName,");
            reply(exchange, 202, "{\"id\":\"job-1\",\"total\":3,\"done\":0,\"failed\":0,\"status\":\"RUNNING\"}");
        } else if (path.equals("/api/v1/imports/job-1")) {
            int n = polls.incrementAndGet();
            reply(exchange, 200, n < 3 ? "{\"id\":\"job-1\",\"total\":3,\"done\":" + (n - 1) + ",\"failed\":0,\"status\":\"RUNNING\"}"
                    : "{\"id\":\"job-1\",\"total\":3,\"done\":2,\"failed\":1,\"status\":\"FINISHED\"}");
        } else if (path.equals("/api/v1/imports/job-1/errors")) {
            reply(exchange, 200, "[{\"line\":3,\"error\":\"'110105194912310020' is not a valid resident ID number\"}]");
        } else {
            reply(exchange, 404, "{\"type\":\"urn:yinxin:problem:not-found\",\"title\":\"No such resource\",\"detail\":\"" + path + "\"}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private int run(String... args) {
        console.reset();
        return new CommandLine(new Yinxin()).execute(args);
    }

    @Test
    void issueWritesThePdfAndPrintsTheIdentifier() throws Exception {
        Path pdf = dir.resolve("licence.pdf");
        int code = run("licence", "issue", "--url", url(), "--type", "11410000MB00001749002", "--holder-name", "李四",
                "--holder-id", "11010519491231002X", "--field", "vehicleClass=C1", "--field", "sex=男",
                "--field", "points:=12", "--valid-until", "2032-01-01", "--physical-number", "DP-7", "--out", pdf.toString());
        assertThat(code).as(console.err()).isZero();
        assertThat(console.out().strip()).isEqualTo(ID);
        assertThat(Files.readString(pdf)).startsWith("%PDF");
        assertThat(issued.get("holder").get("kind").asString()).as("a valid resident ID: a person").isEqualTo("PERSON");
        assertThat(issued.get("fields").get("vehicleClass").asString()).isEqualTo("C1");
        assertThat(issued.get("fields").get("points").asInt()).isEqualTo(12);
        assertThat(issued.get("validUntil").asString()).isEqualTo("2032-01-01");
        assertThat(issued.get("physicalNumber").asString()).isEqualTo("DP-7");
    }

    @Test
    void lifecycleCommandsAndTheirExitCodes() {
        assertThat(run("licence", "revoke", ID, "--reason", "吊销", "--url", url())).isZero();
        assertThat(console.out()).contains(ID + " REVOKED");
        assertThat(run("licence", "restore", ID, "--url", url())).isZero();
        assertThat(run("licence", "suspend", "1.2.3", "--url", url())).as("refused").isEqualTo(1);
        assertThat(console.err()).contains("No such resource");
        assertThat(run("licence", "cancel", ID, "--url", "http://127.0.0.1:1")).as("no service").isEqualTo(2);
    }

    @Test
    void importShowsProgressUntilTheJobEndsThenTheFailedRows() throws Exception {
        Path csv = dir.resolve("old.csv");
        Files.writeString(csv, "holderName,holderNumber,physicalNumber\n张三,11010519491231002X,P-1\n");
        int code = run("licence", "import", csv.toString(), "--type", "11410000MB00001749002", "--url", url(),
                "--interval", "PT0.05S");
        assertThat(code).as("a row failed").isEqualTo(1);
        assertThat(console.err()).contains("[##########--------------------]  33%  1/3").contains("100%  3/3");
        assertThat(console.out()).contains("2 issued, 1 failed").contains("line 3: '110105194912310020' is not a valid");
        assertThat(requests).anyMatch(r -> r.startsWith("POST /api/v1/imports?type=11410000MB00001749002 text/csv"));
    }

    @Test
    void qrVerifyChecksTheSignatureOfflineAndTheLiveStatus() throws Exception {
        TrustedSeal trusted = TrustedSeal.in(dir);
        SealKey seal = trusted.key();
        Path trust = trusted.trust();
        String code = new QrSigner(seal).sign(new LicenceQr(ID, "11410000MB00001749002", "李四", "110105********002X",
                LocalDate.now().minusYears(1), LocalDate.now().plusYears(5), SamplePki.AGENCY_CODE,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), null,
                new CwtClaims.StatusReference(3, "https://licences.example/api/v1/status-lists/x")).toClaims());

        assertThat(run("qr", "verify", "--text", code, "--trust", trust.toString(), "--licence-url", url())).as(console.out() + console.err()).isZero();
        assertThat(console.out()).contains("Licence:   " + ID).contains("Status:    VALID").contains("VALID");

        Path png = dir.resolve("code.png");
        MatrixToImageWriter.writeToPath(new QRCodeWriter().encode(code, BarcodeFormat.QR_CODE, 600, 600), "PNG", png);
        assertThat(run("qr", "verify", "--image", png.toString(), "--trust", trust.toString(), "--licence-url", url()))
                .as(console.out() + console.err()).isZero();

        liveStatus = "REVOKED";
        assertThat(run("qr", "verify", "--text", code, "--trust", trust.toString(), "--licence-url", url())).isEqualTo(1);
        assertThat(console.out()).contains("INVALID: the licence is REVOKED");

        assertThat(run("qr", "verify", "--text", code, "--trust", trust.toString(), "--licence-url", "http://127.0.0.1:1"))
                .as("status unknown").isEqualTo(2);
        assertThat(run("qr", "verify", "--text", code, "--trust", trust.toString(), "--offline")).isZero();

        String forged = code.substring(0, code.length() - 6) + (code.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
        assertThat(run("qr", "verify", "--text", forged, "--trust", trust.toString(), "--offline")).isEqualTo(1);
        assertThat(console.out()).contains("INVALID");

        Path other = Files.createDirectories(dir.resolve("other-trust"));
        Path otherPki = dir.resolve("pki2");
        SamplePki.create(otherPki);
        Files.write(other.resolve("seal.cer"), SealKey.fromPkcs12(otherPki.resolve("seals/" + SamplePki.SEAL_ID + "/seal.p12"),
                SamplePki.PASSWORD.toCharArray()).certificate().getEncoded());
        assertThat(run("qr", "verify", "--text", code, "--trust", other.toString(), "--offline")).as("unknown signer").isEqualTo(1);

        Path notQr = dir.resolve("blank.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(50, 50, java.awt.image.BufferedImage.TYPE_INT_RGB), "PNG", notQr.toFile());
        assertThat(run("qr", "verify", "--image", notQr.toString(), "--trust", trust.toString())).isEqualTo(2);
    }

    /**
     * Red team 5: a licence issued ahead of its start. Offline the code was VALID (only validUntil was read); online
     * the licence service's NOT_YET_VALID was printed as INVALID 'licence-withdrawn', a reason a clerk acts on by
     * turning the holder away. Both now say it cannot be relied on yet (qr-not-yet-valid, exit 2).
     */
    @Test
    void aLicenceNotYetInForceIsNeitherValidNorWithdrawn() throws Exception {
        TrustedSeal trusted = TrustedSeal.in(dir);
        SealKey seal = trusted.key();
        Path trust = trusted.trust();
        LocalDate nextMonth = LocalDate.now().plusMonths(1);
        String code = new QrSigner(seal).sign(new LicenceQr(ID, "11410000MB00001749002", "李四", "110105********002X",
                nextMonth, nextMonth.plusYears(5), SamplePki.AGENCY_CODE, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                null, new CwtClaims.StatusReference(3, "https://licences.example/api/v1/status-lists/x")).toClaims());

        assertThat(run("qr", "verify", "--text", code, "--trust", trust.toString(), "--offline")).as(console.out()).isEqualTo(2);
        assertThat(console.out()).contains("CANNOT TELL: the licence is valid from " + nextMonth).doesNotContain("VALID (");

        liveStatus = "NOT_YET_VALID";
        LocalDate today = LocalDate.now();
        String started = new QrSigner(seal).sign(new LicenceQr(ID, "11410000MB00001749002", "李四", "110105********002X",
                today, today.plusYears(5), SamplePki.AGENCY_CODE, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                null, new CwtClaims.StatusReference(3, "https://licences.example/api/v1/status-lists/x")).toClaims());
        // the issuer's clock (China's day) may be ahead of the code's date here: its word decides
        assertThat(run("qr", "verify", "--text", started, "--trust", trust.toString(), "--licence-url", url(), "--json"))
                .as(console.out()).isEqualTo(2);
        JsonNode answer = Json.read(console.out());
        assertThat(answer.path("verdict").asString()).isEqualTo("INDETERMINATE");
        assertThat(answer.path("problem").asString()).isEqualTo("urn:yinxin:problem:qr-not-yet-valid");

        liveStatus = "ON_HOLD_2027";
        assertThat(run("qr", "verify", "--text", started, "--trust", trust.toString(), "--licence-url", url()))
                .as("a status not known names no reason").isEqualTo(2);
        assertThat(console.out()).doesNotContain("withdrawn").contains("does not know: ON_HOLD_2027");
    }
}
