package cn.yinxin.ca;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator of the CA relies on (issue 22): the request id of each answer, also in its problem documents,
 * and the Prometheus metrics, which only the monitoring role reads.
 */
class OperationsTest extends CaTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpResponse<String> send(String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(URL + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGoodRequestIdIsKeptAndABadOneReplaced() throws Exception {
        var kept = send("/api/v1/ca/certificates", "X-Request-Id", "edge-7f3a9c01.lb:2");
        assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("edge-7f3a9c01.lb:2");

        for (String bad : new String[]{"short", "<script>alert(1)</script>", "x".repeat(65), "a b c d e f g h",
                "forged%0A2026-12-06 INFO x"}) {
            var replaced = send("/api/v1/ca/certificates", "X-Request-Id", bad);
            assertThat(replaced.headers().firstValue("X-Request-Id").orElseThrow()).as(bad)
                    .isNotEqualTo(bad).matches("[0-9a-f-]{36}");
        }
        var made = send("/api/v1/ca/certificates");
        assertThat(made.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
        assertThat(send("/api/v1/ca/certificates").headers().firstValue("X-Request-Id"))
                .isNotEqualTo(made.headers().firstValue("X-Request-Id"));
    }

    @Test
    void problemDocumentsNameTheRequestAsTheirInstance() throws Exception {
        // refused in the security filter chain (ProblemResponses)
        var refused = send("/api/v1/trust-list/cas", "X-Dev-Roles", "officer", "X-Request-Id", "refusal-0000001");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("instance").asString()).isEqualTo("urn:yinxin:request:refusal-0000001");
        // refused by a controller (ProblemHandler)
        var notFound = send("/api/v1/certificates/seal-ca/0badc0de", "X-Request-Id", "handler-0000001");
        assertThat(notFound.statusCode()).as(notFound.body()).isEqualTo(404);
        JsonNode problem = JSON.readTree(notFound.body());
        assertThat(problem.path("type").asString()).startsWith("urn:yinxin:problem:");
        assertThat(problem.path("instance").asString()).isEqualTo("urn:yinxin:request:handler-0000001");
        assertThat(notFound.headers().firstValue("X-Request-Id")).hasValue("handler-0000001");
    }

    @Test
    void metricsAreForTheMonitoringRoleOnly() throws Exception {
        for (String roles : new String[]{"ca-admin", "auditor", "officer", "seal-service-client", ""}) {
            var refused = send("/actuator/prometheus", "X-Dev-Roles", roles);
            assertThat(refused.statusCode()).as(roles).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("yinxin_").doesNotContain("jvm_");
        }
        // nor any other actuator endpoint than health, whatever the role
        assertThat(send("/actuator/env", "X-Dev-Roles", "monitoring").statusCode()).isIn(403, 404);
        assertThat(send("/actuator/info", "X-Dev-Roles", "ca-admin").statusCode()).isEqualTo(403);

        // a public read and a published trust list: the HTTP histogram and the audit appends move
        String before = scrape();
        assertThat(send("/api/v1/ca/certificates").statusCode()).isEqualTo(200);
        var published = http.send(HttpRequest.newBuilder(URI.create(URL + "/api/v1/trust-list/publications"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isBetween(200, 299);
        String after = scrape();
        assertThat(sample(after, "http_server_requests_seconds_count", "uri=\"/api/v1/ca/certificates\""))
                .isEqualTo(sample(before, "http_server_requests_seconds_count", "uri=\"/api/v1/ca/certificates\"") + 1);
        assertThat(after).contains("http_server_requests_seconds_bucket{").contains("application=\"ca-service\"");
        assertThat(sample(after, "yinxin_audit_appends_total", "")).isGreaterThan(sample(before, "yinxin_audit_appends_total", ""));
    }

    private String scrape() throws Exception {
        var metrics = send("/actuator/prometheus", "X-Dev-Roles", "monitoring");
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    /** The sum of the samples of a metric whose labels contain {@code label} (0 when there is none). */
    static double sample(String scrape, String metric, String label) {
        return scrape.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .filter(l -> l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
