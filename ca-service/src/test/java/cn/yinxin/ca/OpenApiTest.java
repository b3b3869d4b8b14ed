package cn.yinxin.ca;

import cn.yinxin.service.web.OpenApiDocument;
import cn.yinxin.testing.OpenApiRoutes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CA's OpenAPI document is served to anyone and agrees with the controllers: every route is documented, every
 * documented operation is a route, and every problem type the CA's sources raise is listed.
 */
class OpenApiTest extends CaTestBase {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theDocumentIsPublicAndItsRoutesAreTheControllersRoutes() throws Exception {
        HttpResponse<String> served = http.send(HttpRequest.newBuilder(URI.create(URL + "/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        assertThat(served.body()).isEqualTo(OpenApiRoutes.resource());

        assertThat(OpenApiRoutes.version(served.body())).isEqualTo("3.1.0");
        assertThat(OpenApiRoutes.documented(served.body())).isEqualTo(OpenApiDocument.operations(mappings));
        assertThat(OpenApiDocument.operations(mappings)).contains("GET /openapi.yaml", "GET /ocsp/{path}", "POST /api/v1/enrolments");
    }

    @Test
    void everyProblemTheCaRaisesIsListed() throws Exception {
        assertThat(OpenApiRoutes.unlistedProblems(OpenApiRoutes.resource(), "src/main/java", "../service-common/src/main/java"))
                .isEmpty();
    }
}
