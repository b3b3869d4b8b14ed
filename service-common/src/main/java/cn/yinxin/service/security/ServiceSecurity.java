package cn.yinxin.service.security;

import cn.yinxin.core.Problem;
import jakarta.servlet.DispatcherType;
import cn.yinxin.service.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Sign-in and authorisation for a Spring service: the service declares its {@link RouteRules}, this turns them into
 * Spring Security's filter chain. In {@code keycloak} mode a call must carry a Keycloak access token (JWT) whose
 * signature (realm keys), issuer, expiry and audience check; realm roles become authorities. In {@code development}
 * mode every call is a marked development caller ({@link DevelopmentLogin}); that mode refuses the
 * {@code production} profile. Refusals are problem+json: 401 {@code not-signed-in} / {@code token-invalid},
 * 403 {@code access-denied}. No sessions and no cookies: each call proves itself, so CSRF cannot apply.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSecurity
public class ServiceSecurity {

    private static final Logger log = LoggerFactory.getLogger(ServiceSecurity.class);

    @Bean
    SecurityFilterChain yinxinSecurity(HttpSecurity http, RouteRules rules, SecurityProperties properties,
                                       Environment environment) throws Exception {
        if (properties.mode() == SecurityProperties.Mode.DEVELOPMENT) {
            if (environment.acceptsProfiles(Profiles.of("production"))) {
                throw new IllegalStateException("Refusing to start: the production profile needs sign-in through "
                        + "Keycloak (yinxin.security.mode=keycloak and yinxin.security.issuer), not the development login.");
            }
            log.warn("DEVELOPMENT LOGIN: no sign-in; every call acts as a development caller with every role. "
                    + "Set yinxin.security.mode=keycloak for real use.");
            http.addFilterBefore(new DevelopmentLogin(), AnonymousAuthenticationFilter.class);
        } else {
            http.oauth2ResourceServer(resource -> resource
                    .jwt(jwt -> jwt.decoder(decoder(properties)).jwtAuthenticationConverter(ServiceSecurity::authentication))
                    .authenticationEntryPoint((request, response, e) -> refuse(request, response,
                            request.getHeader("Authorization") == null ? Problem.NOT_SIGNED_IN : Problem.TOKEN_INVALID,
                            request.getHeader("Authorization") == null ? "This call needs an access token (Bearer)."
                                    : "The access token was refused: " + e.getMessage())));
        }
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> refuse(request, response, Problem.NOT_SIGNED_IN,
                                "This call needs an access token (Bearer)."))
                        .accessDeniedHandler((request, response, ex) -> refuse(request, response, Problem.ACCESS_DENIED,
                                "Your roles do not allow " + request.getMethod() + " " + request.getRequestURI() + ".")))
                .authorizeHttpRequests(authorize -> {
                    // error pages, forwards to static pages and the async writing of a streamed answer continue a
                    // request already decided
                    authorize.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD, DispatcherType.ASYNC).permitAll();
                    authorize.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll();
                    rules.applyTo(authorize);
                });
        return http.build();
    }

    /**
     * OCSP over GET (RFC 6960 appendix A.1) carries URL-encoded base64 in the path: its '/' arrive as %2F, and once
     * decoded two of them side by side read as "//", which the strict firewall refuses as a path that is not
     * normalised (400, depending on the request's bytes). Such a path of only base64 and percent characters is let
     * through as it is; every other request meets the strict firewall unchanged.
     */
    @Bean
    WebSecurityCustomizer ocspGetPaths() {
        StrictHttpFirewall strict = new StrictHttpFirewall();
        Pattern ocspGet = Pattern.compile("/ocsp/[A-Za-z0-9%+=]{1,4096}");
        HttpFirewall firewall = new HttpFirewall() {
            @Override
            public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
                if ("GET".equals(request.getMethod()) && request.getContextPath().isEmpty()
                        && ocspGet.matcher(request.getRequestURI()).matches()) {
                    return new FirewalledRequest(request) {
                        @Override
                        public void reset() {
                        }
                    };
                }
                return strict.getFirewalledRequest(request);
            }

            @Override
            public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
                return strict.getFirewalledResponse(response);
            }
        };
        return web -> web.httpFirewall(firewall);
    }

    /** The development login listens on this machine only ({@link DevelopmentListener}); Keycloak mode anywhere. */
    @Bean
    WebServerFactoryCustomizer<AbstractConfigurableWebServerFactory> developmentListener(SecurityProperties properties) {
        return properties.mode() == SecurityProperties.Mode.DEVELOPMENT ? new DevelopmentListener() : factory -> { };
    }

    /**
     * A request the firewall refuses (an encoded slash or dot segment, a path parameter, a double slash...) is a
     * problem document like every other refusal; it was Spring Boot's own error JSON, which echoed the path.
     */
    @Bean
    RequestRejectedHandler problemForRejectedRequests() {
        return (request, response, e) -> refuse(request, response, Problem.INVALID_REQUEST,
                "The request's address is not one this service takes: no encoded slashes, dot segments, path "
                        + "parameters or empty segments.");
    }

    /** A service with a controller route that no rule covers does not start. */
    @Bean
    ApplicationListener<ContextRefreshedEvent> everyRouteHasARule(RouteRules rules) {
        return event -> {
            var context = event.getApplicationContext();
            for (RequestMappingHandlerMapping mappings : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
                var missing = rules.uncovered(mappings);
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("Routes without an access rule (add them to the service's RouteRules): " + missing);
                }
            }
        };
    }

    static JwtDecoder decoder(SecurityProperties properties) {
        // the key set is fetched at the first token, so a service starts before Keycloak is up
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
        OAuth2TokenValidator<Jwt> audience = jwt -> jwt.getAudience() != null && jwt.getAudience().contains(properties.audience())
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                "The token is not meant for " + properties.audience() + " (aud " + jwt.getAudience() + ").", null));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(Duration.ofSeconds(properties.clockSkewSeconds())),
                new JwtIssuerValidator(properties.issuer()), audience));
        return decoder;
    }

    static AbstractAuthenticationToken authentication(Jwt jwt) {
        Caller caller = Caller.fromToken(jwt);
        return new JwtAuthenticationToken(jwt, caller.authorities().stream().map(SimpleGrantedAuthority::new).toList(),
                caller.client() == null ? jwt.getSubject() : caller.client());
    }

    static void refuse(HttpServletRequest request, HttpServletResponse response, Problem problem, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (problem.status() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"yinxin\"");
        }
        ProblemResponses.send(request, response, problem, detail);
    }
}
