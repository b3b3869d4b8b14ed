package cn.yinxin.licence.access;

import cn.yinxin.service.web.OpenApiDocument;
import cn.yinxin.testing.OpenApiRoutes;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The licence service's OpenAPI document is served to anyone and agrees with the controllers: every route is
 * documented, every documented operation is a route, and every problem type the service's sources raise is listed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the licence service (Spring Boot) on an embedded PostgreSQL")
class OpenApiTest {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("licence_openapi"));
        // nothing here calls the seal service: the document and the routes need none
        registry.add("yinxin.licence.seal-service-url", () -> "http://localhost:9");
    }

    @Test
    void theDocumentIsPublicAndItsRoutesAreTheControllersRoutes() throws Exception {
        HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/openapi.yaml")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        assertThat(served.body()).isEqualTo(OpenApiRoutes.resource());

        assertThat(OpenApiRoutes.version(served.body())).isEqualTo("3.1.0");
        assertThat(OpenApiRoutes.documented(served.body())).isEqualTo(OpenApiDocument.operations(mappings));
        assertThat(OpenApiDocument.operations(mappings)).contains("GET /openapi.yaml", "POST /api/v1/licences", "GET /holder/");
    }

    @Test
    void everyProblemTheLicenceServiceRaisesIsListed() {
        assertThat(OpenApiRoutes.unlistedProblems(OpenApiRoutes.resource(), "src/main/java", "../service-common/src/main/java"))
                .isEmpty();
    }
}
