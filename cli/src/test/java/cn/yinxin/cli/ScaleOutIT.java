package cn.yinxin.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out on existing engines (issue 19): {@code ./yinxin up --instances=2} runs two instances of the seal
 * service, the licence service and the verifier on one PostgreSQL behind nginx (Debian package). What must hold
 * whichever instance answers, each step sent to a named instance (instance k listens on public port + 10000 k):
 * a retried stamp with the same Idempotency-Key, a presentation code shown twice, a renewal and a revocation seen
 * by the other instances and by both verifiers, the audit chains, and stamps through nginx when one instance is
 * killed. Runs the packaged jars (failsafe).
 */
@cn.yinxin.testing.Slow("./yinxin up --instances=2: two instances of each service behind nginx")
class ScaleOutIT {

    private static final Path ROOT = Path.of(System.getProperty("yinxin.root", "..")).toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String HOLDER = "11010519491231002X";
    private static final String OFFICE = "11410000MB00001749";
    // public ports (nginx); instance k of a scaled service listens on port + 10000 k. All below 32768, Linux's
    // ephemeral range (33082 was once held by an outgoing connection when nginx started, and nginx could not listen
    // on it), and outside 20000-27999, where the tests' Commands.freePort picks (instances at 19180.. and 29180..)
    private static final int VERIFIER = 9180;
    private static final int SEAL = 9182;
    private static final int LICENCE = 9183;
    private static Path home;
    private static Map<String, String> env;

    record Result(int exit, String output) {
    }

    @BeforeAll
    static void upWithTwoInstances() throws Exception {
        home = Files.createTempDirectory("yinxin-scale");
        env = Map.of("YINXIN_HOME", home.toString(), "YINXIN_NO_BUILD", "1",
                "YINXIN_VERIFIER_PORT", String.valueOf(VERIFIER), "YINXIN_CA_PORT", "9181",
                "YINXIN_SEAL_PORT", String.valueOf(SEAL), "YINXIN_LICENCE_PORT", String.valueOf(LICENCE),
                "YINXIN_DB_PORT", "9432", "YINXIN_OCSP_PORT", "9191",
                "YINXIN_SEAL_URL", "http://localhost:" + SEAL, "YINXIN_VERIFIER_URL", "http://localhost:" + VERIFIER);
        Result up = yinxin("up", "--instances=2");
        assertThat(up.exit()).as(up.output()).isZero();
        assertThat(up.output()).contains("instances           2 of seal-service licence-service verifier behind nginx");
    }

    @AfterAll
    static void down() throws Exception {
        Result down = yinxin("down");
        assertThat(down.output()).contains("stopped nginx").contains("stopped licence-service-2");
        TestHomes.removeWhenDown(home, down.exit());
    }

    @Test
    void twoInstancesOfEachServiceOnOnePostgresqlAgree() throws Exception {
        Result status = yinxin("status");
        assertThat(status.exit()).as(status.output()).isZero();
        for (String name : List.of("nginx", "seal-service", "seal-service-2", "licence-service", "licence-service-2",
                "verifier", "verifier-2")) {
            assertThat(status.output()).containsPattern("(?m)^  " + name + "\\s+running, healthy");
        }

        // a retried stamp reaches the other instance: the first answer, nothing stored twice
        byte[] sample = Files.readAllBytes(home.resolve("keystores/samples/approval-result.pdf"));
        String key = "scale-out-" + UUID.randomUUID();
        HttpResponse<byte[]> first = stamp(instance(SEAL, 1), sample, key);
        HttpResponse<byte[]> retried = stamp(instance(SEAL, 2), sample, key);
        assertThat(first.statusCode()).as(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(retried.statusCode()).as(new String(retried.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(retried.headers().firstValue("X-Stamp-Id")).isEqualTo(first.headers().firstValue("X-Stamp-Id"));
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retried.body()).isEqualTo(first.body());
        assertThat(count("seal", "SELECT count(*) FROM stamp_record WHERE id = '"
                + first.headers().firstValue("X-Stamp-Id").orElseThrow() + "'")).isEqualTo(1);

        // a licence issued through nginx; its presentation code is accepted once, by either instance
        var permit = post(publicUrl(LICENCE) + "/api/v1/licences", "application/json", ("{\"type\":\"11410000MB00001749002\","
                + "\"holder\":{\"kind\":\"PERSON\",\"name\":\"李四\",\"number\":\"" + HOLDER + "\"},"
                + "\"fields\":{\"vehicleClass\":\"C1\",\"sex\":\"男\",\"birthDate\":\"1949-12-31\",\"firstIssued\":\"2010-03-15\"},"
                + "\"physicalNumber\":\"DP-SCALE-1\"}"));
        assertThat(permit.statusCode()).as(permit.body()).isEqualTo(201);
        String identifier = Json.read(permit.body()).path("identifier").asString();
        String code = present(instance(LICENCE, 1), identifier);
        assertThat(checkPresentation(instance(LICENCE, 1), code)).as("first scan").isEqualTo("VALID");
        String replay = post(instance(LICENCE, 2) + "/api/v1/presentations/verify", "application/json",
                "{\"text\":\"" + code + "\"}").body();
        assertThat(Json.read(replay).path("verdict").asString()).as(replay).isEqualTo("INVALID");
        assertThat(Json.read(replay).path("replayed").asBoolean()).as(replay).isTrue();

        // renewed on one instance, superseded on the other
        var renewed = post(instance(LICENCE, 2) + "/api/v1/licences/" + identifier + "/renewal", "application/json",
                "{\"validUntil\":\"2036-01-01\"}");
        assertThat(renewed.statusCode()).as(renewed.body()).isBetween(200, 201);
        String next = Json.read(renewed.body()).path("identifier").asString();
        String nextCode = Json.read(renewed.body()).path("qr").asString();
        String old = get(instance(LICENCE, 1) + "/api/v1/licences/" + identifier + "/status");
        assertThat(Json.read(old).path("status").asString()).as(old).isEqualTo("SUPERSEDED");
        assertThat(Json.read(old).path("supersededBy").asString()).isEqualTo(next);

        // both verifiers accept the new licence's code, then refuse it once one instance revoked the licence
        for (int k = 1; k <= 2; k++) {
            assertThat(verdict(instance(VERIFIER, k), nextCode)).as("verifier %d before the revocation", k).isEqualTo("VALID");
        }
        // the status list the other instance kept is replaced when this one revokes (it kept it for 30 minutes before)
        String list = "/api/v1/status-lists/" + OFFICE + "/11410000MB00001749002";
        String keptByTheOther = etag(instance(LICENCE, 2) + list);
        assertThat(etag(instance(LICENCE, 2) + list)).as("kept while nothing changed").isEqualTo(keptByTheOther);
        var revoked = post(instance(LICENCE, 1) + "/api/v1/licences/" + next + "/revocation", "application/json",
                "{\"reason\":\"scale-out test\"}");
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(etag(instance(LICENCE, 2) + list)).as("the other instance's list after the revocation")
                .isNotEqualTo(keptByTheOther);
        for (int k = 1; k <= 2; k++) {
            // a verifier asks again for a list it confirmed more than 4 s ago (api.md): within 5 s, and some slack
            long until = System.nanoTime() + 20_000_000_000L;
            String after = verdict(instance(VERIFIER, k), nextCode);
            while (after.equals("VALID") && System.nanoTime() < until) {
                Thread.sleep(500); // the poll interval: the loop awaits the verdict, up to its deadline
                after = verdict(instance(VERIFIER, k), nextCode);
            }
            assertThat(after).as("verifier %d after the revocation", k).isNotEqualTo("VALID");
        }

        // one seal-service instance killed (kill -9): nginx sends new stamps to the other, none lost
        long pid = Long.parseLong(Files.readString(home.resolve("run/seal-service-2.pid")).strip());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThat(ProcessHandle.of(pid).orElseThrow().onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        for (int i = 0; i < 4; i++) {
            HttpResponse<byte[]> through = stamp(publicUrl(SEAL), sample, null);
            assertThat(through.statusCode()).as("stamp %d through nginx: %s", i, new String(through.body(), StandardCharsets.UTF_8))
                    .isEqualTo(200);
        }

        // entries appended by both instances of each service make one whole chain
        Result audit = yinxin("audit", "verify");
        assertThat(audit.exit()).as(audit.output()).isZero();
        assertThat(audit.output()).contains("/seal: ").contains("/licence: ").doesNotContain("BROKEN");

        // each service runs with a bounded heap; what its process holds after the run is written down
        StringBuilder memory = new StringBuilder("process  heap limit  RSS now  RSS peak (VmHWM)\n");
        for (String name : List.of("ca-service", "seal-service", "licence-service", "licence-service-2", "verifier",
                "verifier-2")) {
            long service = Long.parseLong(Files.readString(home.resolve("run/" + name + ".pid")).strip());
            String command = Files.readString(Path.of("/proc/" + service + "/cmdline")).replace('\0', ' ');
            assertThat(command).as(name).contains("-Xmx512m");
            String procStatus = Files.readString(Path.of("/proc/" + service + "/status"));
            memory.append(String.format("%-18s 512m  %s  %s%n", name, field(procStatus, "VmRSS"), field(procStatus, "VmHWM")));
        }
        System.out.println(memory);
        Files.writeString(ROOT.resolve("cli/target/scale-out-memory.txt"), memory);
    }

    private static String field(String procStatus, String name) {
        return procStatus.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElse("?");
    }

    private static String instance(int publicPort, int k) {
        return "http://localhost:" + (publicPort + 10000 * k);
    }

    private static String publicUrl(int port) {
        return "http://localhost:" + port;
    }

    /** POST /api/v1/stamp, multipart: the file, the sample seal and where it goes. */
    private static HttpResponse<byte[]> stamp(String url, byte[] pdf, String idempotencyKey) throws Exception {
        String boundary = "scale-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"sealId\"\r\n\r\nsample-agency-seal\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n150\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"y\"\r\n\r\n230\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"result.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(pdf);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/api/v1/stamp"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String present(String licenceUrl, String identifier) throws Exception {
        var shown = HTTP.send(HttpRequest.newBuilder(URI.create(licenceUrl + "/api/v1/holder/licences/" + identifier
                        + "/presentations")).header("Content-Type", "application/json").header("X-Dev-Holder", HOLDER)
                .POST(HttpRequest.BodyPublishers.ofString("{\"fields\":[\"vehicleClass\"],\"seconds\":60}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(201);
        return Json.read(shown.body()).path("code").asString();
    }

    private static String checkPresentation(String licenceUrl, String code) throws Exception {
        var checked = post(licenceUrl + "/api/v1/presentations/verify", "application/json", "{\"text\":\"" + code + "\"}");
        assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
        return Json.read(checked.body()).path("verdict").asString();
    }

    private static String verdict(String verifierUrl, String code) throws Exception {
        var answer = post(verifierUrl + "/api/v1/verify/qr", "text/plain", code);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.read(answer.body()).path("verdict").asString();
    }

    private static long count(String database, String sql) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:9432/" + database,
                "postgres", ""); var rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String etag(String url) throws Exception {
        var answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.headers().firstValue("ETag").orElseThrow();
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A POST as the issuing office's development login (every role, the sample agency's office). */
    private static HttpResponse<String> post(String url, String type, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .header("X-Dev-Office", OFFICE).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Result yinxin(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("yinxin").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = Files.createTempFile(home, "yinxin-", ".out");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
