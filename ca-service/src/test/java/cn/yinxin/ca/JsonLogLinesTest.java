package cn.yinxin.ca;

import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Commands;
import cn.yinxin.testing.SampleKeystores;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.LoggingSystem;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON log lines for a log collector, as an operator switches them on (logging.structured.format.console=ecs): one
 * JSON object per line, the request id a field of it. A context of its own (its own log format).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.structured.format.console=ecs",
        // a line per request, so the test has a line of a request to read
        "logging.level.org.springframework.web.servlet.DispatcherServlet=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
@cn.yinxin.testing.Slow("the CA as a Spring Boot application on an embedded PostgreSQL")
class JsonLogLinesTest {

    private static final Path KEYSTORES = SampleKeystores.fresh();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("ca_json_logs"));
        registry.add("yinxin.ca.ocsp-port", Commands::freePort);
        registry.add("yinxin.ca.keystore.path", () -> KEYSTORES.resolve("ca/ca.p12").toString());
        registry.add("yinxin.ca.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.ca.seal-keys.path", () -> KEYSTORES.resolve("seal-keys.p12").toString());
        registry.add("yinxin.ca.seal-keys.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.ca.import-dir", () -> KEYSTORES.resolve("ca/issued").toString());
    }

    /**
     * Logback is one per JVM and Spring Boot sets it up once: a context of another test class still cached (not
     * closed) had set it up with the plain format, and this context's ECS format was then skipped (the test failed
     * whenever it did not start the JVM's first context). Set up afresh for this context, and again for the next.
     */
    @BeforeAll
    @AfterAll
    static void loggingSetUpAfresh() {
        LoggingSystem.get(JsonLogLinesTest.class.getClassLoader()).cleanUp();
    }

    @Test
    void eachLineIsOneJsonObjectNamingItsRequest(CapturedOutput output) throws Exception {
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/ca/certificates")).header("X-Request-Id", "json-log-0001").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        var lines = output.getOut().lines().filter(l -> l.contains("json-log-0001")).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.path("requestId").asString()).as(line).isEqualTo("json-log-0001");
            assertThat(event.path("@timestamp").isMissingNode()).as(line).isFalse();
        }
    }
}
