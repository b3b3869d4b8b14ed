package cn.yinxin.service.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * This service's own access token, for the calls it makes to other Yinxin services (the seal service enrolling a
 * seal's key at the CA, the licence service stamping a licence). Client credentials at Keycloak's token endpoint,
 * kept until shortly before it expires. In development mode there is no token: the other side is in development
 * mode too.
 */
@Component
public class ServiceTokens {

    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final SecurityProperties properties;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private Instant expires = Instant.EPOCH;
    private final Clock clock;

    /** In a service: its Clock bean when it has one (when the token is renewed depends on it), else the system's. */
    @Autowired
    public ServiceTokens(SecurityProperties properties, ObjectProvider<Clock> clock) {
        this(properties, clock.getIfAvailable(Clock::systemUTC));
    }

    /** Outside a service's context (a test that calls a service directly): the system clock. */
    public ServiceTokens(SecurityProperties properties) {
        this(properties, Clock.systemUTC());
    }

    private ServiceTokens(SecurityProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** The Authorization header value for a call to another service, or null in development mode. */
    public synchronized String authorization() {
        if (properties.mode() != SecurityProperties.Mode.KEYCLOAK) {
            return null;
        }
        if (token == null || clock.instant().plus(MARGIN).isAfter(expires)) {
            fetch();
        }
        return "Bearer " + token;
    }

    /**
     * Adds this service's token to every request of a RestClient. A failure to get one is an I/O failure of the
     * call, so callers treat Keycloak being down like the other service being down.
     */
    public ClientHttpRequestInterceptor interceptor() {
        return (request, body, execution) -> {
            try {
                String authorization = authorization();
                if (authorization != null) {
                    request.getHeaders().set("Authorization", authorization);
                }
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
            return execution.execute(request, body);
        };
    }

    private void fetch() {
        if (properties.clientId() == null || properties.clientSecret() == null) {
            throw new IllegalStateException("This service calls another one and needs its own client: set "
                    + "yinxin.security.client-id and yinxin.security.client-secret");
        }
        String form = "grant_type=client_credentials&client_id=" + encode(properties.clientId())
                + "&client_secret=" + encode(properties.clientSecret());
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(properties.tokenUri()))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused this service's client credentials: HTTP "
                        + response.statusCode() + " " + response.body());
            }
            JsonNode body = JsonMapper.builder().build().readTree(response.body());
            token = body.get("access_token").asString();
            expires = clock.instant().plusSeconds(body.path("expires_in").asLong(60));
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak cannot be reached for a service token: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking Keycloak for a service token", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
