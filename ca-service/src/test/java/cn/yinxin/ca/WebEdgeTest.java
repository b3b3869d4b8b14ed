package cn.yinxin.ca;

import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Commands;
import cn.yinxin.testing.SampleKeystores;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * service-common's WebEdge in the real ca-service: the rate limit on public paths, the security headers, the body
 * size limit. A context of its own (its own database and a tight limit), so it does not share CaTestBase's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the CA as a Spring Boot application on an embedded PostgreSQL")
class WebEdgeTest {

    private static final Path KEYSTORES = SampleKeystores.fresh();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_BODY = 4096;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("ca_edge"));
        registry.add("yinxin.ca.ocsp-port", Commands::freePort);
        registry.add("yinxin.ca.keystore.path", () -> KEYSTORES.resolve("ca/ca.p12").toString());
        registry.add("yinxin.ca.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.ca.seal-keys.path", () -> KEYSTORES.resolve("seal-keys.p12").toString());
        registry.add("yinxin.ca.seal-keys.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.ca.import-dir", () -> KEYSTORES.resolve("ca/issued").toString());
        // one request every 2 s after a burst of 3, and small bodies: easy to cross in a test
        registry.add("yinxin.web.rate-limit.per-second", () -> "0.5");
        registry.add("yinxin.web.rate-limit.burst", () -> "3");
        registry.add("yinxin.web.max-body-size", () -> MAX_BODY + "B");
        // loopback is exempt by default: here only IPv6 loopback is, so the test counts as a client over IPv4
        registry.add("yinxin.web.rate-limit.exempt-addresses", () -> "0:0:0:0:0:0:0:1");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void aPublicPathRefusesTheRequestAfterTheBurstWith429AndRetryAfter() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send(at("/api/v1/ca/certificates")).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = send(at("/crl/nosuchca.crl"));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:yinxin:problem:rate-limited");
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        // this occurrence: the request id the answer carries, so a clerk's screenshot leads to the log lines
        assertThat(problem.path("instance").asString())
                .isEqualTo("urn:yinxin:request:" + refused.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
        assertThat(refused.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        // paths that are not public are not limited by address (signed-in callers are limited by who they are)
        assertThat(send(at("/api/v1/certificates/nosuchca/01")).statusCode()).isNotEqualTo(429);
        assertThat(send(at("/actuator/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void anExemptAddressIsNeverLimited() throws Exception {
        boolean ipv6 = true;
        try (var socket = new java.net.Socket("::1", port)) {
            socket.getInetAddress();
        } catch (java.io.IOException e) {
            ipv6 = false;
        }
        Assumptions.assumeTrue(ipv6, "no IPv6 loopback here");
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(
                    URI.create("http://[::1]:" + port + "/api/v1/ca/certificates")));
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        for (String path : List.of("/actuator/health", "/api/v1/certificates/nosuchca/01", "/no/such/thing")) {
            HttpResponse<String> response = send(at(path));
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValue("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(response.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(response.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
            assertThat(response.headers().firstValue("Permissions-Policy")).as(path)
                    .hasValueSatisfying(policy -> assertThat(policy).contains("camera=()"));
            // plain HTTP: no HSTS (none is configured anyway)
            assertThat(response.headers().firstValue("Strict-Transport-Security")).as(path).isEmpty();
        }
    }

    @Test
    void aBodyOverTheLimitGets413WhetherItsLengthIsDeclaredOrChunked() throws Exception {
        String big = "{\"profile\": \"" + "x".repeat(MAX_BODY) + "\"}";
        HttpResponse<String> declared = send(at("/api/v1/enrolments").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(big)));
        assertProblem(declared, 413, "payload-too-large");

        HttpResponse<String> chunked = send(at("/api/v1/enrolments").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))));
        assertProblem(chunked, 413, "payload-too-large");

        // a chunked body within the limit reaches the controller whole (which then judges its content)
        HttpResponse<String> small = send(at("/api/v1/enrolments").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        "{\"profile\": \"NO_SUCH_PROFILE\"}".getBytes()))));
        assertThat(small.statusCode()).as(small.body()).isBetween(400, 422).isNotEqualTo(413);
        assertThat(small.body()).doesNotContain("payload-too-large");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).path("type").asString()).isEqualTo("urn:yinxin:problem:" + slug);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
}
