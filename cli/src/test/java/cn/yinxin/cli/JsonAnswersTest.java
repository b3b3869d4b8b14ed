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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --json} on every command that answers, against a stand-in verifier, seal service and licence service on
 * loopback (their answers are the documented API's): standard output is one JSON document, the answer or, when
 * there is none, a problem document; and {@code yinxin qr verify} without --trust asks the verifier.
 */
class JsonAnswersTest {

    private static final String ID = "1.2.156.3005.2.11410000MB00001749002.11410000MB0000174X.20260000001.001.K";

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private volatile String qrVerdict = "VALID";
    private volatile String form = "";
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
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.add(method + " " + path + " " + type);
        String licence = "{\"identifier\":\"" + ID + "\",\"status\":\"%s\"}";
        String seal = "{\"id\":\"sample-agency-seal\",\"name\":\"测试专用章\",\"status\":\"ACTIVE\","
                + "\"certificate\":{\"serial\":\"1a2b\",\"validUntil\":\"2028-01-01T00:00:00Z\"}}";
        if (path.equals("/api/v1/verify/qr") && type.startsWith("text/plain")) {
            String text = new String(body, StandardCharsets.UTF_8);
            reply(exchange, 200, verdict(text.startsWith("YX1:") ? qrVerdict : "INVALID"));
        } else if (path.equals("/api/v1/verify/qr-image") && type.equals("image/png")) {
            reply(exchange, body.length > 200 ? 200 : 422, body.length > 200 ? verdict(qrVerdict)
                    : problem("no-qr-code", "No QR code in the image"));
        } else if (path.equals("/api/v1/verify/pdf")) {
            reply(exchange, 200, "{\"verdict\":\"VALID\",\"summary\":\"1 seal, valid\",\"signatures\":[]}");
        } else if (path.equals("/api/v1/stamp")) {
            form = new String(body, StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Signature-Level", "PAdES-BASELINE-T");
            exchange.getResponseHeaders().add("X-Stamp-Id", "stamp-7");
            exchange.sendResponseHeaders(200, 9);
            exchange.getResponseBody().write("%PDF-1.7".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().write('\n');
            exchange.close();
        } else if (path.startsWith("/api/v1/seals?expiringWithinDays=")) {
            reply(exchange, 200, "[" + seal + "]");
        } else if (path.equals("/api/v1/seals/sample-agency-seal/renewal")) {
            reply(exchange, 200, seal);
        } else if (method.equals("POST") && path.equals("/api/v1/licences")) {
            reply(exchange, 201, licence.formatted("VALID"));
        } else if (path.equals("/api/v1/licences/" + ID + "/pdf")) {
            reply(exchange, 200, "%PDF-1.7 sealed");
        } else if (path.equals("/api/v1/licences/" + ID + "/revocation")) {
            reply(exchange, 200, licence.formatted("REVOKED"));
        } else if (path.equals("/api/v1/licences/" + ID + "/status")) {
            reply(exchange, 200, "{\"identifier\":\"" + ID + "\",\"status\":\"VALID\",\"since\":\"2026-01-01T00:00:00Z\"}");
        } else if (method.equals("POST") && path.startsWith("/api/v1/imports?type=")) {
            reply(exchange, 202, "{\"id\":\"job-1\",\"total\":2,\"done\":0,\"failed\":0,\"status\":\"RUNNING\"}");
        } else if (path.equals("/api/v1/imports/job-1")) {
            reply(exchange, 200, "{\"id\":\"job-1\",\"total\":2,\"done\":1,\"failed\":1,\"status\":\"FINISHED\"}");
        } else if (path.equals("/api/v1/imports/job-1/errors")) {
            reply(exchange, 200, "[{\"line\":3,\"error\":\"missing holderName\"}]");
        } else {
            reply(exchange, 404, problem("not-found", "No such resource"));
        }
    }

    private static String verdict(String verdict) {
        return "{\"verdict\":\"" + verdict + "\",\"problem\":" + (verdict.equals("VALID") ? "null"
                : "\"urn:yinxin:problem:qr-signature-invalid\"") + ",\"summary\":\"有效 Valid\",\"reasons\":[],"
                + "\"kind\":\"licence\",\"claims\":{\"identifier\":\"" + ID + "\",\"holderName\":\"李四\","
                + "\"maskedHolderNumber\":\"110105********002X\",\"validFrom\":\"2025-01-01\",\"validUntil\":null},"
                + "\"signer\":{\"subject\":\"CN=测试专用章\"}}";
    }

    private static String problem(String slug, String title) {
        return "{\"type\":\"urn:yinxin:problem:" + slug + "\",\"title\":\"" + title + "\",\"status\":404}";
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status == 200 || status == 201 || status == 202
                ? "application/json" : "application/problem+json");
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

    /** Standard output, which must be exactly one JSON document. */
    private JsonNode json() {
        String printed = console.out();
        JsonNode node = Json.read(printed);
        assertThat(printed.strip()).as("one JSON document and nothing else").isEqualTo(Json.pretty(node).strip());
        return node;
    }

    private String all() {
        return console.out() + console.err();
    }

    @Test
    void qrVerifyAsksTheVerifierWithoutTrust() throws Exception {
        String code = sampleCode();
        assertThat(run("qr", "verify", "--text", code, "--url", url())).as(all()).isZero();
        assertThat(console.out()).startsWith("VALID").contains("Licence:   " + ID)
                .contains("Signer:    CN=测试专用章");
        assertThat(requests).contains("POST /api/v1/verify/qr text/plain; charset=utf-8");

        assertThat(run("qr", "verify", "--text", code, "--url", url(), "--json")).isZero();
        assertThat(json().path("claims").path("identifier").asString()).isEqualTo(ID);

        qrVerdict = "INDETERMINATE";
        assertThat(run("qr", "verify", "--text", code, "--url", url())).as("cannot tell").isEqualTo(2);
        assertThat(run("qr", "verify", "--text", "not a code", "--url", url(), "--json")).as("invalid").isEqualTo(1);
        assertThat(json().path("verdict").asString()).isEqualTo("INVALID");
        qrVerdict = "VALID";

        Path png = dir.resolve("code.png");
        MatrixToImageWriter.writeToPath(new QRCodeWriter().encode(code, BarcodeFormat.QR_CODE, 600, 600), "PNG", png);
        assertThat(run("qr", "verify", "--image", png.toString(), "--url", url(), "--json")).as(all()).isZero();
        assertThat(json().path("verdict").asString()).isEqualTo("VALID");
        assertThat(requests).contains("POST /api/v1/verify/qr-image image/png");

        Path blank = dir.resolve("blank.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(10, 10, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "PNG", blank.toFile());
        assertThat(run("qr", "verify", "--image", blank.toString(), "--url", url(), "--json")).as("no code").isEqualTo(2);
        assertThat(json().path("type").asString()).isEqualTo("urn:yinxin:problem:no-qr-code");

        assertThat(run("qr", "verify", "--text", code, "--url", "http://127.0.0.1:1", "--json")).as("no verifier")
                .isEqualTo(2);
        assertThat(json().path("type").asString()).isEqualTo("urn:yinxin:cli:unreachable");
        assertThat(console.err()).contains("--trust DIR");
        assertThat(run("qr", "verify", "--text", code, "--offline")).as("--offline needs --trust").isEqualTo(2);
    }

    @Test
    void qrVerifyOfflineAnswersInJsonToo() throws Exception {
        TrustedSeal trusted = TrustedSeal.in(dir);
        SealKey seal = trusted.key();
        Path trust = trusted.trust();
        String code = sampleCode(seal);
        assertThat(run("qr", "verify", "--text", code, "--trust", trust.toString(), "--licence-url", url(), "--json"))
                .as(all()).isZero();
        JsonNode answer = json();
        assertThat(answer.path("verdict").asString()).isEqualTo("VALID");
        assertThat(answer.path("checkedBy").asString()).isEqualTo("offline");
        assertThat(answer.path("claims").path("identifier").asString()).isEqualTo(ID);
        assertThat(answer.path("status").path("status").asString()).isEqualTo("VALID");

        String forged = code.substring(0, code.length() - 6) + (code.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
        assertThat(run("qr", "verify", "--text", forged, "--trust", trust.toString(), "--offline", "--json")).isEqualTo(1);
        assertThat(json().path("verdict").asString()).isEqualTo("INVALID");
    }

    @Test
    void everyOtherCommandThatAnswersPrintsOneJsonDocument() throws Exception {
        Path pdf = dir.resolve("in.pdf");
        Files.writeString(pdf, "%PDF-1.7 test");
        assertThat(run("verify", pdf.toString(), "--url", url(), "--json")).as(all()).isZero();
        assertThat(json().path("verdict").asString()).isEqualTo("VALID");
        assertThat(run("verify", dir.resolve("none.pdf").toString(), "--json")).isEqualTo(2);
        assertThat(json().path("type").asString()).isEqualTo("urn:yinxin:cli:no-such-file");

        assertThat(run("seal", pdf.toString(), dir.resolve("out.pdf").toString(), "--url", url(), "--json")).as(all()).isZero();
        assertThat(json().path("stampId").asString()).isEqualTo("stamp-7");
        // a quote or line break in the file's name would end the form's header early
        Path odd = Files.writeString(dir.resolve("批文\"\r\nX-Evil: 1.pdf"), "%PDF-1.7 test");
        assertThat(run("seal", odd.toString(), dir.resolve("out2.pdf").toString(), "--url", url())).as(all()).isZero();
        assertThat(form).contains("filename=\"批文___X-Evil: 1.pdf\"\r\nContent-Type: application/pdf");
        assertThat(run("seal", pdf.toString(), dir.resolve("out.pdf").toString(), "--url", "http://127.0.0.1:1", "--json"))
                .isEqualTo(3);
        assertThat(json().path("type").asString()).isEqualTo("urn:yinxin:cli:unreachable");

        assertThat(run("seals", "expiring", "--url", url(), "--json")).isZero();
        assertThat(json().get(0).path("id").asString()).isEqualTo("sample-agency-seal");
        assertThat(run("seals", "renew", "sample-agency-seal", "--url", url(), "--json")).isZero();
        assertThat(json().path("certificate").path("serial").asString()).isEqualTo("1a2b");
        assertThat(run("seals", "renew", "no-such-seal", "--url", url(), "--json")).as("refused").isEqualTo(1);
        assertThat(json().path("type").asString()).as("the service's problem").isEqualTo("urn:yinxin:problem:not-found");

        assertThat(run("licence", "issue", "--url", url(), "--type", "11410000MB00001749002", "--holder-name", "李四",
                "--holder-id", "11010519491231002X", "--physical-number", "DP-7", "--out", dir.resolve("l.pdf").toString(),
                "--json")).as(all()).isZero();
        assertThat(json().path("identifier").asString()).isEqualTo(ID);
        assertThat(run("licence", "revoke", ID, "--url", url(), "--json")).isZero();
        assertThat(json().path("status").asString()).isEqualTo("REVOKED");
        assertThat(run("licence", "suspend", "1.2.3", "--url", url(), "--json")).isEqualTo(1);
        assertThat(json().path("type").asString()).isEqualTo("urn:yinxin:problem:not-found");
        Path csv = dir.resolve("old.csv");
        Files.writeString(csv, "holderName,holderNumber,physicalNumber\n张三,11010519491231002X,P-1\n");
        assertThat(run("licence", "import", csv.toString(), "--type", "11410000MB00001749002", "--url", url(),
                "--interval", "PT0.01S", "--json")).isEqualTo(1);
        JsonNode job = json();
        assertThat(job.path("failed").asInt()).isEqualTo(1);
        assertThat(job.path("errors").get(0).path("line").asInt()).isEqualTo(3);
    }

    private static String sampleCode() throws Exception {
        return "YX1:stand-in";
    }

    private static String sampleCode(SealKey seal) throws Exception {
        return new QrSigner(seal).sign(new LicenceQr(ID, "11410000MB00001749002", "李四", "110105********002X",
                LocalDate.now().minusYears(1), LocalDate.now().plusYears(5), SamplePki.AGENCY_CODE,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), null,
                new CwtClaims.StatusReference(3, "https://licences.example/api/v1/status-lists/x")).toClaims());
    }
}
