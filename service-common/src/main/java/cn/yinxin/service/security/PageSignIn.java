package cn.yinxin.service.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a service's own pages (the signature desk, the holder page) sign a person in. In {@code keycloak} mode they
 * use the authorisation-code flow with PKCE (S256) against the realm, as the public client
 * {@code yinxin.security.page-client-id}, and send the access token as a Bearer token; in {@code development} mode
 * they send the development headers instead. The pages read which from {@value #CONFIG} and share the script
 * {@value #SCRIPT} (core's {@link #SCRIPT_RESOURCE}, which the verifier serves too). Nothing secret is here: the
 * client is public and PKCE binds the code to the page that asked for it.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class PageSignIn {

    public static final String CONFIG = "/sign-in/config.json";
    public static final String SCRIPT = "/sign-in/sign-in.js";
    public static final String SCRIPT_RESOURCE = "/cn/yinxin/core/pages/sign-in.js";
    private static final byte[] SCRIPT_BYTES = readScript();

    private final SecurityProperties properties;

    public PageSignIn(SecurityProperties properties) {
        this.properties = properties;
    }

    @GetMapping(value = CONFIG, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        boolean keycloak = properties.mode() == SecurityProperties.Mode.KEYCLOAK;
        config.put("mode", keycloak ? "keycloak" : "development");
        if (keycloak) {
            config.put("issuer", properties.issuer());
            config.put("clientId", properties.pageClientId());
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(config);
    }

    @GetMapping(value = SCRIPT, produces = "text/javascript")
    ResponseEntity<byte[]> script() {
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(SCRIPT_BYTES);
    }

    private static byte[] readScript() {
        try (var in = PageSignIn.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT_RESOURCE + " is missing from yinxin-core");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
