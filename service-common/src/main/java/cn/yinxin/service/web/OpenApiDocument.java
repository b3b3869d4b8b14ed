package cn.yinxin.service.web;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The service's OpenAPI 3.1 description ({@code openapi.yaml} at the root of the service's own class path), public
 * like the verifier's. Each service imports this next to its route rules, which name {@code GET /openapi.yaml} for
 * anyone; a service without the document does not start (it is read once, at start).
 */
@RestController
public class OpenApiDocument {

    public static final String PATH = "/openapi.yaml";
    static final MediaType YAML = MediaType.parseMediaType("application/yaml;charset=UTF-8");

    private final byte[] document;

    public OpenApiDocument() {
        this.document = read();
    }

    @GetMapping(PATH)
    ResponseEntity<byte[]> document() {
        return ResponseEntity.ok().contentType(YAML).cacheControl(CacheControl.noCache()).body(document);
    }

    /**
     * The controller routes as OpenAPI names them ({@code METHOD /path}), for the test that the document and the
     * service agree. A catch-all ({@code /ocsp/**}) becomes one path parameter ({@code /ocsp/{path}}); Spring's own
     * handlers (the error page) are left out, as {@link cn.yinxin.service.security.RouteRules#uncovered} does.
     */
    public static Set<String> operations(RequestMappingHandlerMapping mappings) {
        Set<String> operations = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (handler.getBeanType().getName().startsWith("org.springframework.")) {
                return;
            }
            // a route without a method would answer every method: OpenAPI has no name for that, so it shows as "ANY"
            List<String> methods = info.getMethodsCondition().getMethods().isEmpty() ? List.of("ANY")
                    : info.getMethodsCondition().getMethods().stream().map(Enum::name).toList();
            for (String pattern : info.getPatternValues()) {
                for (String method : methods) {
                    operations.add(method + " " + pattern.replace("/**", "/{path}"));
                }
            }
        });
        return operations;
    }

    private static byte[] read() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the service's class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
