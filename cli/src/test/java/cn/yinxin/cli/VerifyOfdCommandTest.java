package cn.yinxin.cli;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.testing.OfdTestPki;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code yinxin verify x.ofd}: offline with --trust (a real OFD verification), and online it asks the verifier's OFD
 * route (a recording stub; the route itself is tested in the verifier's OfdVerifyTest and AuthorisationMatrixIT).
 */
class VerifyOfdCommandTest {

    private static OfdTestPki pki;
    private static byte[] sealed;
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    @RegisterExtension
    final Console console = new Console();
    @TempDir
    Path dir;

    @BeforeAll
    static void material() {
        pki = new OfdTestPki();
        sealed = pki.sealedOfd();
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                    + " " + body.length);
            byte[] answer = ("{\"verdict\":\"VALID\",\"summary\":\"All 1 seal(s) are valid\",\"signatures\":[{"
                    + "\"field\":\"1\",\"indication\":\"TOTAL_PASSED\",\"subIndication\":null,"
                    + "\"format\":\"OFD GB/T 38540 seal\",\"seal\":{\"name\":\"测试局OFD专用章\",\"agency\":\"测试局\","
                    + "\"agencyCode\":\"91350100M000100Y43\"},\"claimedSigningTime\":null,\"coverage\":null,"
                    + "\"reasons\":[],\"changesAfterSigning\":[]}]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anOfdIsSentToTheVerifiersOfdRouteByNameOrByMagic() throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Path ofd = Files.write(dir.resolve("批文.ofd"), sealed);
        assertThat(run("verify", ofd.toString(), "--url", url)).as(all()).isZero();
        assertThat(requests).containsExactly("/api/v1/verify/ofd application/ofd " + sealed.length);
        assertThat(printed()).startsWith("VALID").contains("测试局OFD专用章").contains("OFD GB/T 38540 seal");

        Path unnamed = Files.write(dir.resolve("download.bin"), sealed);
        assertThat(run("verify", unnamed.toString(), "--url", url, "--json")).as(all()).isZero();
        assertThat(requests).last().isEqualTo("/api/v1/verify/ofd application/ofd " + sealed.length);
        assertThat(Json.read(printed()).path("verdict").asString()).isEqualTo("VALID");

        Path pdf = Files.writeString(dir.resolve("in.pdf"), "%PDF-1.7 test");
        run("verify", pdf.toString(), "--url", url);
        assertThat(requests).last().asString().startsWith("/api/v1/verify/pdf application/pdf");
    }

    @Test
    void offlineItVerifiesAgainstTheTrustFolderAndNamesAChangedFile() throws Exception {
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.writeString(trust.resolve("root.pem"), Pem.encode(pki.root));
        Files.writeString(trust.resolve("ca.pem"), Pem.encode(pki.ca));
        Path ofd = Files.write(dir.resolve("sealed.ofd"), sealed);
        assertThat(run("verify", ofd.toString(), "--trust", trust.toString())).as(all()).isZero();
        assertThat(printed()).startsWith("VALID").contains(OfdTestPki.SEAL_NAME);
        assertThat(requests).isEmpty();

        Map<String, byte[]> entries = entries(sealed);
        String page = entries.keySet().stream().filter(n -> n.endsWith("Content.xml")).findFirst().orElseThrow();
        entries.put(page, new String(entries.get(page), StandardCharsets.UTF_8).replace("准予许可", "不予许可")
                .getBytes(StandardCharsets.UTF_8));
        Path tampered = Files.write(dir.resolve("tampered.ofd"), zip(entries));
        assertThat(run("verify", tampered.toString(), "--trust", trust.toString())).as(all()).isEqualTo(1);
        assertThat(printed()).startsWith("INVALID").contains("CHANGED AFTER SIGNING: \"/" + page + "\"");
        assertThat(run("verify", tampered.toString(), "--trust", trust.toString(), "--json")).isEqualTo(1);
        assertThat(Json.read(printed()).path("verdict").asString()).isEqualTo("INVALID");

        // the seal carries no CA certificate: with the root alone the chain cannot be built
        Files.delete(trust.resolve("ca.pem"));
        assertThat(run("verify", ofd.toString(), "--trust", trust.toString())).as(all()).isEqualTo(2);
        assertThat(printed()).startsWith("INDETERMINATE");
    }

    /**
     * Offline, whoever holds a key the trust folder vouches for (here the seal's own key) made itself a GB/T 38540
     * seal as its "maker" under the seal's esID, name and picture: that was VALID, naming the seal. Only a seal
     * maker's certificate (the seal-making key purpose) makes a seal believable now; the genuine seal stays VALID
     * ({@link #offlineItVerifiesAgainstTheTrustFolderAndNamesAChangedFile}).
     */
    @Test
    void offlineASealMadeByAKeyThatIsNoSealMakerIsNotValidUnlessNamedAsOne() throws Exception {
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.writeString(trust.resolve("root.pem"), Pem.encode(pki.root));
        Files.writeString(trust.resolve("ca.pem"), Pem.encode(pki.ca));
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var forged = new cn.yinxin.core.ses.SealMaker(pki.sealKey, "TEST").make(new cn.yinxin.core.ses.SealMaker
                .SealSpec(OfdTestPki.SEAL_ID, cn.yinxin.core.ses.SealMaker.TYPE_ORGANISATION, OfdTestPki.SEAL_NAME,
                pki.sealImage, 40, 40, List.of(pki.sealKey.certificate()), now.minus(java.time.Duration.ofDays(1)),
                now.plus(java.time.Duration.ofDays(30))), now);
        byte[] ofd = new cn.yinxin.core.ofd.seal.OfdSealer(null).seal(OfdTestPki.unsealedOfd(),
                new cn.yinxin.core.ofd.seal.OfdSealRequest(forged, pki.sealKey,
                        new cn.yinxin.core.pdf.sign.SealPlacement(1, 130, 180), now));
        Path file = Files.write(dir.resolve("forged.ofd"), ofd);

        assertThat(run("verify", file.toString(), "--trust", trust.toString(), "--json")).as(all()).isEqualTo(2);
        var report = Json.read(printed());
        assertThat(report.path("verdict").asString()).isEqualTo("INDETERMINATE");
        var seal = report.path("signatures").get(0).path("nationalSeal");
        assertThat(seal.path("problem").asString()).isEqualTo("MAKER_CERTIFICATE");
        assertThat(seal.path("reasons").toString()).contains("does not carry the seal-making key purpose");
        assertThat(requests).isEmpty();

        // named as a seal maker (another product's, as a trust list's SEAL_MAKING entry): believed
        Path maker = Files.writeString(dir.resolve("maker.pem"), Pem.encode(pki.sealKey.certificate()));
        assertThat(run("verify", file.toString(), "--trust", trust.toString(), "--seal-maker", maker.toString(),
                "--json")).as(all()).isEqualTo(0);
        assertThat(Json.read(printed()).path("verdict").asString()).isEqualTo("VALID");
        assertThat(run("verify", file.toString(), "--trust", trust.toString(), "--seal-maker",
                dir.resolve("missing.pem").toString())).as(all()).isEqualTo(2);
        assertThat(all()).contains("No certificate in");
    }

    @Test
    void aDamagedOfdIsNotVerifiableOffline() throws Exception {
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.writeString(trust.resolve("root.pem"), Pem.encode(pki.root));
        Path broken = Files.write(dir.resolve("broken.ofd"), "PK\3\4 not really".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(run("verify", broken.toString(), "--trust", trust.toString(), "--json")).isEqualTo(1);
        assertThat(Json.read(printed()).path("type").asString()).startsWith("urn:yinxin:problem:")
                .containsAnyOf("not-an-ofd", "damaged-ofd");
    }

    private int run(String... args) {
        console.reset();
        return new CommandLine(new Yinxin()).execute(args);
    }

    private String printed() {
        return console.out();
    }

    private String all() {
        return printed() + console.err() + requests;
    }

    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
