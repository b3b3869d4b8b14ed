package cn.yinxin.service.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * The person a service-to-service call is made for. A service's own credential says only which service calls; a
 * stolen one would do whatever that service may do, for anybody. So where a call acts for a person (the seal service
 * enrolling a seal's key at the CA because a seal administrator created the seal), the calling service relays that
 * person's own access token in {@value #HEADER}, and the called service checks it like any token (realm keys, issuer,
 * audience, expiry) and decides with both: the service may call, and the person may have this done.
 *
 * <p>In development mode there are no tokens: the development headers {@code X-Dev-On-Behalf-Roles},
 * {@code X-Dev-On-Behalf-Office} and {@code X-Dev-On-Behalf-Person-Id} name the person instead (tests use them).
 */
@Component
public class OnBehalfOf {

    public static final String HEADER = "X-Yinxin-On-Behalf-Of";

    private final SecurityProperties properties;
    private volatile JwtDecoder decoder;

    public OnBehalfOf(SecurityProperties properties) {
        this.properties = properties;
    }

    /**
     * Adds the access token of the person this thread's request came from, when there is one (keycloak mode, a
     * person's or client's token), so that the called service can check whom the call is for.
     */
    public static ClientHttpRequestInterceptor relay() {
        return (request, body, execution) -> {
            if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token) {
                request.getHeaders().set(HEADER, token.getToken().getTokenValue());
            }
            return execution.execute(request, body);
        };
    }

    /** The person the request says it is made for, checked; null when it names nobody or its token does not check. */
    public Caller person(HttpServletRequest request) {
        if (properties.mode() == SecurityProperties.Mode.DEVELOPMENT) {
            String roles = request.getHeader("X-Dev-On-Behalf-Roles");
            if (roles == null) {
                return null;
            }
            var chosen = Arrays.stream(roles.split(",")).map(String::strip).filter(Roles.ALL::contains)
                    .collect(Collectors.toSet());
            String person = Caller.upper(request.getHeader("X-Dev-On-Behalf-Person-Id"));
            return new Caller(person == null ? "developer" : person, DevelopmentLogin.DEFAULT_CLIENT, chosen, null,
                    person, null, Caller.upper(request.getHeader("X-Dev-On-Behalf-Office")), true);
        }
        String token = request.getHeader(HEADER);
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return Caller.fromToken(decoder().decode(token.strip()));
        } catch (JwtException e) {
            return null;
        }
    }

    private JwtDecoder decoder() {
        if (decoder == null) {
            decoder = ServiceSecurity.decoder(properties);
        }
        return decoder;
    }
}
