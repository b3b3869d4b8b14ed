package cn.yinxin.cli;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product as a newcomer runs it: ./yinxin up on a fresh state folder, seal and verify with the command line,
 * status, down, offline verification, and a second up that keeps the data. Runs the packaged jars (failsafe, after
 * the reactor has packaged every module).
 */
@cn.yinxin.testing.Slow("./yinxin up: PostgreSQL and the four services")
class YinxinUpIT {

    private static final Path ROOT = Path.of(System.getProperty("yinxin.root", "..")).toAbsolutePath().normalize();
    private static Path home;
    private static Map<String, String> env;

    record Result(int exit, String output) {
    }

    /**
     * The sealed PDF report: rendered by the verifier, stamped by the seal service with the verification-report seal
     * (the verifier asks as its own client, development login here); the verifier process has no key store open and
     * none named in its environment.
     */
    private static void theVerifiersReportIsSealedByTheSealServiceAndTheVerifierHoldsNoKey(Path sealed) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var report = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://localhost:18080/api/v1/verify/pdf/report")).header("Content-Type", "application/pdf")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofFile(sealed)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(report.statusCode()).as(new String(report.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(200);
        try (var document = org.apache.pdfbox.Loader.loadPDF(report.body())) {
            assertThat(document.getSignatureDictionaries()).hasSize(1);
            assertThat(document.getSignatureDictionaries().get(0).getName())
                    .isEqualTo(cn.yinxin.keystores.SamplePki.REPORT_SEAL_NAME);
        }
        long pid = Long.parseLong(Files.readString(home.resolve("run/verifier.pid")).strip());
        assertThat(Files.readString(Path.of("/proc/" + pid + "/environ"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(".p12").doesNotContain("YINXIN_VERIFIER_SEAL").doesNotContain("yinxin-dev-only");
        try (var open = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : open.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (java.io.IOException gone) {
                    continue;
                }
                assertThat(target).as("a file the verifier has open").doesNotEndWith(".p12");
            }
        }
    }

    @BeforeAll
    static void freshState() throws Exception {
        home = Files.createTempDirectory("yinxin-home");
        env = Map.of(
                "YINXIN_HOME", home.toString(),
                "YINXIN_NO_BUILD", "1",
                "YINXIN_VERIFIER_PORT", "18080",
                "YINXIN_CA_PORT", "18081",
                "YINXIN_SEAL_PORT", "18082",
                "YINXIN_LICENCE_PORT", "18083",
                "YINXIN_DB_PORT", "18432",
                "YINXIN_OCSP_PORT", "18091",
                "YINXIN_SEAL_URL", "http://localhost:18082",
                "YINXIN_VERIFIER_URL", "http://localhost:18080");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        TestHomes.removeWhenDown(home, yinxin("down").exit());
    }

    @Test
    void upSealVerifyDownAndUpAgain() throws Exception {
        Result up = yinxin("up");
        assertThat(up.exit()).as(up.output()).isZero();
        assertThat(up.output()).contains("Yinxin runs").contains("http://localhost:18080/");
        // the development login is stated, and the services it opens to everyone listen on the loopback only
        assertThat(up.output()).contains("DEVELOPMENT LOGIN (YINXIN_SECURITY_MODE=development)")
                .contains("listens on 127.0.0.1 only");
        for (int port : new int[] {18080, 18082, 18083}) {
            assertThat(listensBeyondLoopback(port)).as("port %d on a non-loopback address", port).isFalse();
        }

        Result status = yinxin("status");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).containsPattern("seal-service\\s+running, healthy")
                .containsPattern("verifier\\s+running, healthy");

        Path sample = home.resolve("keystores/samples/approval-result.pdf");
        Path sealed = home.resolve("sealed.pdf");
        Result seal = yinxin("seal", sample.toString(), sealed.toString(), "--page", "1", "--x", "150", "--y", "230");
        assertThat(seal.exit()).as(seal.output()).isZero();
        Path sealedLta = home.resolve("sealed-lta.pdf");
        Result lta = yinxin("seal", sample.toString(), sealedLta.toString(), "--level", "B-LTA");
        assertThat(lta.exit()).as(lta.output()).isZero();
        assertThat(lta.output()).contains("PAdES-BASELINE-LTA");
        // every service's audit log is one whole hash chain (sealing wrote to the seal service's)
        Result audit = yinxin("audit", "verify");
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.output()).contains("/seal: ").contains("the chain is whole");

        Result verify = yinxin("verify", sealed.toString());
        assertThat(verify.exit()).as(verify.output()).isZero();
        assertThat(verify.output()).startsWith("VALID").contains("PAdES-BASELINE-B");

        Result json = yinxin("verify", sealed.toString(), "--json");
        assertThat(json.exit()).isZero();
        assertThat(Json.read(json.output()).path("signatures").get(0).path("indication").asString())
                .isEqualTo("TOTAL_PASSED");

        Path tampered = home.resolve("tampered.pdf");
        byte[] bytes = Files.readAllBytes(sealed);
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("/MediaBox") + 12;
        bytes[at] = (byte) (bytes[at] == '1' ? '2' : '1');
        Files.write(tampered, bytes);
        assertThat(yinxin("verify", tampered.toString()).exit()).as("tampered: invalid").isEqualTo(1);

        Result refused = yinxin("seal", sample.toString(), home.resolve("x.pdf").toString(), "--seal", "nope");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.output()).contains("urn:yinxin:problem:unknown-seal");

        assertThat(yinxin("down").exit()).isZero();
        assertThat(yinxin("status").exit()).as("nothing runs after down").isEqualTo(1);

        // offline: the trusted roots are all a PAdES-BASELINE-LTA document needs (it carries its revocation data);
        // a B-B document carries none, so offline it cannot be confirmed
        Path trust = home.resolve("keystores/trust");
        Result offline = yinxin("verify", sealedLta.toString(), "--trust", trust.toString());
        assertThat(offline.exit()).as(offline.output()).isZero();
        Result offlineB = yinxin("verify", sealed.toString(), "--trust", trust.toString());
        assertThat(offlineB.exit()).as(offlineB.output()).isEqualTo(2);
        assertThat(offlineB.output()).contains("TRY_LATER");
        Path strangers = Files.createDirectories(home.resolve("other-trust"));
        Files.writeString(strangers.resolve("other.pem"), Pem.encode(CertificateMaker.selfSignedRoot(
                CertificateMaker.caSubject("Another Root"), CertificateMaker.newEcKeyPair(), Instant.now(),
                Duration.ofDays(10))));
        assertThat(yinxin("verify", sealed.toString(), "--trust", strangers.toString()).exit())
                .as("unknown root: cannot tell").isEqualTo(2);
        assertThat(yinxin("verify", sealed.toString()).exit()).as("verifier down, online: cannot tell").isEqualTo(2);

        // a second up keeps the database
        Result again = yinxin("up");
        assertThat(again.exit()).as(again.output()).isZero();
        try (var connection = DriverManager.getConnection("jdbc:postgresql://localhost:18432/seal", "postgres", "");
             var rs = connection.createStatement().executeQuery("SELECT count(*) FROM stamp_record")) {
            rs.next();
            assertThat(rs.getInt(1)).as("stamp records kept across down/up").isEqualTo(2);
        }
        theVerifiersReportIsSealedByTheSealServiceAndTheVerifierHoldsNoKey(sealed);

        renewingTheSampleSealKeepsWhatItSignedVerifiable(sealed);
    }

    /**
     * 续期 across the real services: the seal service renews the sample seal with a new key certified by the
     * ca-service; the verifier learns the new certificate when it meets a code signed with it, and still accepts
     * a code signed before with the earlier one; the document sealed before stays valid, and a new stamp is valid.
     */
    private void renewingTheSampleSealKeepsWhatItSignedVerifiable(Path sealedBefore) throws Exception {
        String seal = "http://localhost:18082/api/v1/seals/sample-agency-seal";
        String before = signCode(seal);
        // a driving permit issued before, its printed code, and a 亮证 presentation the licence service checked (so it
        // holds the seal's certificate of then)
        String holder = "11010519491231002X";
        var permit = post("http://localhost:18083/api/v1/licences", "application/json", ("{\"type\":\"11410000MB00001749002\","
                + "\"holder\":{\"kind\":\"PERSON\",\"name\":\"李四\",\"number\":\"" + holder + "\"},"
                + "\"fields\":{\"vehicleClass\":\"C1\",\"sex\":\"男\",\"birthDate\":\"1949-12-31\",\"firstIssued\":\"2010-03-15\"},"
                + "\"physicalNumber\":\"DP-RENEWAL-1\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(permit.statusCode()).as(permit.body()).isEqualTo(201);
        String identifier = Json.read(permit.body()).path("identifier").asString();
        String printed = Json.read(permit.body()).path("qr").asString();
        assertThat(presentAndCheck(identifier, holder)).as("before the renewal").isEqualTo("VALID");
        // out of the box the sample types issue the national-standard OFD too (the SM2 licence seal of
        // keystores-sample), and the verifier judges it with its own trust and the licence's live status
        byte[] ofd = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:18083/api/v1/licences/" + identifier + "/ofd")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        var ofdVerdict = post("http://localhost:18080/api/v1/verify/ofd", "application/ofd", ofd);
        assertThat(ofdVerdict.statusCode()).as(ofdVerdict.body()).isEqualTo(200);
        assertThat(Json.read(ofdVerdict.body()).path("verdict").asString()).as(ofdVerdict.body()).isEqualTo("VALID");
        assertThat(Json.read(ofdVerdict.body()).path("licence").path("status").asString()).isEqualTo("VALID");

        String oldSerial = Json.read(get(seal)).path("certificate").path("serial").asString();
        // a seal administrator's routine: which seals end within 400 days (the sample's 730 do not), then renew
        Result none = yinxin("seals", "expiring", "--days", "400");
        assertThat(none.exit()).as(none.output()).isZero();
        assertThat(none.output()).doesNotContain("sample-agency-seal");
        Result renew = yinxin("seals", "renew", "sample-agency-seal", "--validity-days", "365");
        assertThat(renew.exit()).as(renew.output()).isZero();
        assertThat(renew.output()).startsWith("sample-agency-seal  ACTIVE  serial ").doesNotContain(oldSerial);
        JsonNode renewed = Json.read(get(seal));
        assertThat(renewed.path("keyStore").asString()).as("moved into the key store").startsWith("key store alias");
        Result soon = yinxin("seals", "expiring", "--days", "400");
        assertThat(soon.output()).contains("sample-agency-seal  ACTIVE  serial " + renewed.path("certificate").path("serial").asString());
        Result refusedRenewal = yinxin("seals", "renew", "no-such-seal");
        assertThat(refusedRenewal.exit()).isEqualTo(1);
        assertThat(refusedRenewal.output()).contains("urn:yinxin:problem:unknown-seal");
        String after = signCode(seal);
        assertThat(after).isNotEqualTo(before);

        for (String code : List.of(after, before, printed)) {
            var answer = post("http://localhost:18080/api/v1/verify/qr", "text/plain", code.getBytes());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Json.read(answer.body()).path("verdict").asString()).as(answer.body()).isEqualTo("VALID");
        }
        // the command line asks the same verifier, with no trust folder of its own (YINXIN_VERIFIER_URL)
        Result qr = yinxin("qr", "verify", "--text", printed);
        assertThat(qr.exit()).as(qr.output()).isZero();
        assertThat(qr.output()).startsWith("VALID").contains("Licence:   " + identifier);
        Path picture = home.resolve("printed-code.png");
        com.google.zxing.client.j2se.MatrixToImageWriter.writeToPath(new com.google.zxing.qrcode.QRCodeWriter().encode(
                printed, com.google.zxing.BarcodeFormat.QR_CODE, 600, 600), "PNG", picture);
        Result qrJson = yinxin("qr", "verify", "--image", picture.toString(), "--json");
        assertThat(qrJson.exit()).as(qrJson.output()).isZero();
        assertThat(Json.read(qrJson.output()).path("claims").path("identifier").asString()).isEqualTo(identifier);
        Result forgedQr = yinxin("qr", "verify", "--text", printed.substring(0, printed.length() - 6)
                + (printed.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA"));
        assertThat(forgedQr.exit()).as(forgedQr.output()).isEqualTo(1);
        Result expiringJson = yinxin("seals", "expiring", "--days", "400", "--json");
        assertThat(Json.read(expiringJson.output()).isArray()).as(expiringJson.output()).isTrue();
        var signers = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:18080/api/v1/qr-signers")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(Json.read(signers.body()).path("signers").valueStream()
                .filter(s -> s.path("seal").path("id").asString().equals("sample-agency-seal")).count())
                .as("the current and the earlier certificate").isEqualTo(2);

        // the licence service, which held the earlier certificate, checks a new presentation, signed with the new key
        assertThat(presentAndCheck(identifier, holder)).as("after the renewal").isEqualTo("VALID");

        Result old = yinxin("verify", sealedBefore.toString());
        assertThat(old.exit()).as(old.output()).isZero();
        Path sealedAfter = home.resolve("sealed-after-renewal.pdf");
        Path sample = home.resolve("keystores/samples/approval-result.pdf");
        assertThat(yinxin("seal", sample.toString(), sealedAfter.toString()).exit()).isZero();
        Result fresh = yinxin("verify", sealedAfter.toString(), "--json");
        assertThat(fresh.exit()).as(fresh.output()).isZero();
        assertThat(Json.read(fresh.output()).path("signatures").get(0).path("signer").path("serialNumber").asString())
                .as("signed with the new certificate")
                .isEqualTo(renewed.path("certificate").path("serial").asString());
    }

    /** Whether something answers on {@code port} at one of this machine's non-loopback IPv4 addresses. */
    private static boolean listensBeyondLoopback(int port) throws Exception {
        for (var network : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (var address : java.util.Collections.list(network.getInetAddresses())) {
                if (address.isLoopbackAddress() || !(address instanceof java.net.Inet4Address)) {
                    continue;
                }
                try (var socket = new java.net.Socket()) {
                    socket.connect(new java.net.InetSocketAddress(address, port), 1000);
                    return true;
                } catch (java.io.IOException refused) {
                    // not listening there: as it should be
                }
            }
        }
        return false;
    }

    /** The holder shows a presentation code, and the licence service checks it; its verdict. */
    private static String presentAndCheck(String identifier, String holder) throws Exception {
        var shown = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://localhost:18083/api/v1/holder/licences/" + identifier + "/presentations"))
                .header("Content-Type", "application/json").header("X-Dev-Holder", holder)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"fields\":[\"vehicleClass\"],\"seconds\":60}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(201);
        String code = Json.read(shown.body()).path("code").asString();
        var checked = post("http://localhost:18083/api/v1/presentations/verify", "application/json",
                ("{\"text\":\"" + code + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
        return Json.read(checked.body()).path("verdict").asString() + (Json.read(checked.body()).path("verdict")
                .asString().equals("VALID") ? "" : ": " + checked.body());
    }

    /**
     * A licence code (no status entry) signed with the sample seal's key by the seal service, as the licence service
     * has them signed (the development login holds its role; document codes are signed only when stamping).
     */
    private static String signCode(String seal) throws Exception {
        byte[] claims = new cn.yinxin.core.qr.LicenceQr("11410000MB00001749002-" + java.util.UUID.randomUUID(),
                "11410000MB00001749002", "李四", "110105********002X", java.time.LocalDate.of(2020, 1, 1), null,
                cn.yinxin.keystores.SamplePki.AGENCY_CODE, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                null, null).toClaims().toCbor();
        var signed = post(seal + "/codes", "application/cbor", claims);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        return signed.body().strip();
    }

    private static String get(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static java.net.http.HttpResponse<String> post(String url, String type, byte[] body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Content-Type", type).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theScriptFindsAJdk21EvenWhenJavaHomeIsOlderAndMavenRefusesAnOlderJdk() throws Exception {
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jdk17.resolve("bin/java")),
                "needs the machine's JDK 17 to play the older JDK");
        Map<String, String> old = new java.util.HashMap<>(env);
        old.put("JAVA_HOME", jdk17.toString());
        old.put("PATH", jdk17.resolve("bin") + ":" + System.getenv("PATH"));
        old.put("MAVEN_OPTS", ""); // ./yinxin test sets JDK 25-only options for Maven; JDK 17 would refuse them
        Result version = run(old, ROOT.resolve("yinxin").toString(), "--version");
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output()).contains("yinxin 0.1.0");

        Result maven = run(old, "mvn", "-B", "-N", "-q", "validate");
        assertThat(maven.exit()).isNotZero();
        assertThat(maven.output()).contains("Yinxin needs a JDK 21 or newer; this build runs on 17");
    }

    private static Result yinxin(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(ROOT.resolve("yinxin").toString());
        command.addAll(List.of(args));
        return run(env, command.toArray(String[]::new));
    }

    private static Result run(Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path log = Files.createTempFile(home, "yinxin-", ".out");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
