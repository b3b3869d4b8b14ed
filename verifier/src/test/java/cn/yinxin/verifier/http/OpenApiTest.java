package cn.yinxin.verifier.http;

import cn.yinxin.testing.SampleKeystores;
import cn.yinxin.verifier.config.VerifierConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document and the router agree: every route the verifier has is documented, every documented
 * operation exists, and every problem type the verifier can answer or name in a verdict is listed.
 */
class OpenApiTest {

    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static Vertx vertx;
    private static VerifierVerticle verticle;
    private static Map<String, Object> document;
    private static String served;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        verticle = new VerifierVerticle(new VerifierConfig(0, SampleKeystores.fresh().resolve("trust"), 1 << 20));
        vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + verticle.port() + "/openapi.yaml")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        served = response.body();
        document = new Yaml().load(served);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void everyRouteHasAnAccessRuleAndANewRouteWithoutOneIsFound() {
        assertThat(SignIn.undeclared(verticle.router())).isEmpty();
        Route extra = verticle.router().post("/api/v1/unguarded").handler(ctx -> ctx.end());
        try {
            assertThat(SignIn.undeclared(verticle.router())).containsExactly("POST /api/v1/unguarded");
        } finally {
            extra.remove();
        }
    }

    @Test
    void itIsOpenApi31() {
        assertThat(document.get("openapi")).isEqualTo("3.1.0");
        assertThat(served).isEqualTo(resource());
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
        Set<String> routes = new TreeSet<>();
        for (Route route : verticle.router().getRoutes()) {
            // the catch-alls (static files of the page, not-found, failures) are not operations
            if (route.getPath() == null || !route.isExactPath()) {
                continue;
            }
            String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            assertThat(route.methods()).as("route %s names its methods", path).isNotEmpty();
            for (HttpMethod method : route.methods()) {
                routes.add(method.name() + " " + path);
            }
        }
        Set<String> documented = new TreeSet<>();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        paths.forEach((path, item) -> item.keySet().stream().filter(OPERATIONS::contains)
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));
        assertThat(routes).as("routes").isNotEmpty();
        assertThat(documented).isEqualTo(routes);
    }

    @Test
    void everyProblemTypeTheVerifierAnswersIsListed() throws Exception {
        String yaml = resource();
        Set<String> refusals = new TreeSet<>();
        Set<String> verdictProblems = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                collect(source, "Problems\\.send\\(ctx, \"([a-z-]+)\"", refusals);
                collect(source, "new Refused\\(\"([a-z-]+)\"", refusals);
                collect(source, "Problem\\.([A-Z_]+)", refusals);
                collect(source, "new Finding\\(Verdict\\.[A-Z]+, \"([a-z-]+)\"", verdictProblems);
            }
        }
        // core's Problem constants named in the verifier's sources: only those sent as refusals count
        refusals.removeIf(name -> name.equals("TYPE_PREFIX") || name.startsWith("QR_") || name.equals("UNKNOWN_QR_SIGNER"));
        assertThat(refusals).isNotEmpty();
        // the pattern above must still find the QR verdicts' problems (it read nothing once the code was rewritten)
        assertThat(verdictProblems).as("problems of QR findings found in the sources")
                .contains("qr-claims-mismatch", "qr-signer-revoked", "licence-withdrawn");
        for (String refusal : refusals) {
            String slug = refusal.matches("[A-Z_]+") ? cn.yinxin.core.Problem.valueOf(refusal).type()
                    .substring(cn.yinxin.core.Problem.TYPE_PREFIX.length()) : refusal;
            assertThat(yaml).as("refusal %s is in the Problem enum", slug).contains("- urn:yinxin:problem:" + slug + "\n");
        }
        for (String slug : verdictProblems) {
            assertThat(yaml).as("verdict problem %s is described", slug).contains("`" + slug + "`");
        }
    }

    private static void collect(String source, String regex, Set<String> into) {
        Matcher matcher = Pattern.compile(regex).matcher(source);
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }

    private static String resource() {
        try (var in = OpenApiTest.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
