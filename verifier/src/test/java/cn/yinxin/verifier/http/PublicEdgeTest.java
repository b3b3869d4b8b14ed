package cn.yinxin.verifier.http;

import cn.yinxin.testing.SampleKeystores;
import cn.yinxin.verifier.config.VerifierConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits, security headers, CORS and request size limits, over real HTTP against real verifiers. */
class PublicEdgeTest {

    private static final String OTHER_OFFICE = "https://office.example.gov.cn";
    private static Vertx vertx;
    private static Path trust;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        trust = SampleKeystores.fresh().resolve("trust");
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    private static String deploy(EdgeConfig edge) throws Exception {
        VerifierVerticle verticle = new VerifierVerticle(new VerifierConfig(0, trust, 64 * 1024), edge);
        vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + verticle.port();
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Red team 7: in the development login (these tests' mode) the verifier believes X-Dev-Roles, so it listens on
     * this machine only; it used to listen on every interface, an officer's view for anyone on the network.
     */
    @Test
    void theDevelopmentLoginIsNotReachableFromTheNetwork() throws Exception {
        java.net.InetAddress network = java.net.NetworkInterface.networkInterfaces()
                .flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(network != null, "this machine has no network address to try");
        int port = URI.create(deploy(EdgeConfig.DEFAULTS)).getPort();
        assertThat(get("http://127.0.0.1:" + port + "/health").statusCode()).isEqualTo(200);
        try (java.net.Socket remote = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> remote.connect(
                    new java.net.InetSocketAddress(network, port), 2000)).as("reached at " + network)
                    .isInstanceOf(java.net.ConnectException.class);
        }
    }

    /**
     * A client that offers the h2c upgrade (the JDK's HttpClient does by default) is answered in HTTP/1.1 on the
     * same connection, at once, every time: the listener does not take the upgrade.
     */
    @Test
    void anH2cUpgradeOfferIsAnsweredInHttp11() throws Exception {
        String verifier = deploy(EdgeConfig.DEFAULTS.withRateLimit(0, 1));
        for (int i = 0; i < 20; i++) {
            HttpClient offering = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .connectTimeout(java.time.Duration.ofSeconds(5)).build();
            HttpResponse<String> answer = offering.send(HttpRequest.newBuilder(URI.create(verifier + "/health"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void theRequestAfterTheBurstGets429WithRetryAfterAndALargerBurstLetsItThrough() throws Exception {
        String strict = deploy(EdgeConfig.DEFAULTS.withRateLimit(0.5, 3));
        for (int i = 0; i < 3; i++) {
            assertThat(get(strict + "/api/v1/trust-status").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = get(strict + "/api/v1/trust-status");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject problem = new JsonObject(refused.body());
        assertThat(problem.getString("type")).isEqualTo("urn:yinxin:problem:rate-limited");
        assertThat(problem.getInteger("status")).isEqualTo(429);
        // one token every 2 s: the client is told to come back in 1 or 2 s
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
        assertThat(refused.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        // the page, its files and the health check are not counted
        assertThat(get(strict + "/").statusCode()).isEqualTo(200);
        assertThat(get(strict + "/health").statusCode()).isEqualTo(200);

        String roomier = deploy(EdgeConfig.DEFAULTS.withRateLimit(0.5, 4));
        for (int i = 0; i < 4; i++) {
            assertThat(get(roomier + "/api/v1/trust-status").statusCode()).isEqualTo(200);
        }
        String off = deploy(EdgeConfig.DEFAULTS.withRateLimit(0, 1));
        for (int i = 0; i < 50; i++) {
            assertThat(get(off + "/api/v1/trust-status").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aForwardedForHeaderCountsOnlyFromATrustedProxy() throws Exception {
        String direct = deploy(EdgeConfig.DEFAULTS.withRateLimit(0.1, 1));
        assertThat(get(direct + "/api/v1/trust-status", "X-Forwarded-For", "192.0.2.1").statusCode()).isEqualTo(200);
        // a client cannot get a fresh bucket by naming another address itself
        assertThat(get(direct + "/api/v1/trust-status", "X-Forwarded-For", "192.0.2.2").statusCode()).isEqualTo(429);

        String proxied = deploy(EdgeConfig.DEFAULTS.withRateLimit(0.1, 1).withTrustedProxies(Set.of("127.0.0.1")));
        assertThat(get(proxied + "/api/v1/trust-status", "X-Forwarded-For", "192.0.2.1").statusCode()).isEqualTo(200);
        assertThat(get(proxied + "/api/v1/trust-status", "X-Forwarded-For", "192.0.2.1").statusCode()).isEqualTo(429);
        assertThat(get(proxied + "/api/v1/trust-status", "X-Forwarded-For", "192.0.2.2").statusCode()).isEqualTo(200);
        // the proxy appends the peer it saw: what the client wrote further left does not count
        assertThat(get(proxied + "/api/v1/trust-status", "X-Forwarded-For", "198.51.100.7, 192.0.2.2").statusCode())
                .isEqualTo(429);
    }

    @Test
    void thePageAndTheApiCarryTheSecurityHeaders() throws Exception {
        String url = deploy(EdgeConfig.DEFAULTS);
        for (String path : List.of("/", "/d/0f1e2d3c", "/app.js", "/api/v1/trust-status", "/api/v1/no-such-thing")) {
            HttpResponse<String> response = get(url + path);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self';", "frame-ancestors 'none'")
                            .doesNotContain("unsafe-inline"));
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(response.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
            assertThat(response.headers().firstValue("Permissions-Policy")).as(path)
                    .hasValueSatisfying(policy -> assertThat(policy).contains("camera=(self)"));
            assertThat(response.headers().firstValue("Strict-Transport-Security")).as(path).isEmpty();
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
        }
        // HSTS only where the client reached us over HTTPS (here: said by a trusted TLS proxy)
        String behindTls = deploy(EdgeConfig.DEFAULTS.withHsts("max-age=31536000")
                .withTrustedProxies(Set.of("127.0.0.1")));
        assertThat(get(behindTls + "/", "X-Forwarded-Proto", "https").headers()
                .firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        assertThat(get(behindTls + "/").headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void onlyConfiguredOriginsMayCallTheApiFromTheirPages() throws Exception {
        String closed = deploy(EdgeConfig.DEFAULTS);
        assertThat(get(closed + "/api/v1/trust-status", "Origin", OTHER_OFFICE).headers()
                .firstValue("Access-Control-Allow-Origin")).isEmpty();

        String open = deploy(EdgeConfig.DEFAULTS.withCorsOrigins(Set.of(OTHER_OFFICE)));
        HttpResponse<String> allowed = get(open + "/api/v1/trust-status", "Origin", OTHER_OFFICE);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(OTHER_OFFICE);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValue("Retry-After");
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(open + "/api/v1/verify/qr"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", OTHER_OFFICE)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST");
        assertThat(get(open + "/api/v1/trust-status", "Origin", "https://evil.example").headers()
                .firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void oversizeBodiesUrisAndHeadersAreRefused() throws Exception {
        String url = deploy(EdgeConfig.DEFAULTS);
        for (var upload : List.of(
                new Object[]{"/api/v1/verify/pdf", "application/pdf", 64 * 1024 + 1},
                new Object[]{"/api/v1/verify/pdf/report", "application/pdf", 64 * 1024 + 1},
                new Object[]{"/api/v1/verify/ofd", "application/ofd", 64 * 1024 + 1},
                new Object[]{"/api/v1/verify/qr", "text/plain", VerifierVerticle.MAX_QR_REQUEST_BYTES + 1},
                new Object[]{"/api/v1/verify/qr-image", "image/png", (int) VerifierConfig.DEFAULT_MAX_IMAGE_BYTES + 1})) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + upload[0]))
                    .header("Content-Type", (String) upload[1])
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) upload[2]])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as((String) upload[0]).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("urn:yinxin:problem:payload-too-large");
            assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        }
        assertThat(get(url + "/d/" + "a".repeat(5000)).statusCode()).isEqualTo(414);
        assertThat(get(url + "/", "X-Padding", "p".repeat(9000)).statusCode()).isEqualTo(431);
    }
}
