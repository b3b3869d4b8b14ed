package cn.yinxin.verifier.report;

import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.SignIn;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

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
import java.util.Map;

/**
 * How the verifier identifies itself to the seal service when it asks for a report to be sealed: its own client
 * (YINXIN_VERIFIER_CLIENT_ID, {@value #DEFAULT_CLIENT_ID}), whose only role is {@value #ROLE}. Modes as in
 * {@link SignIn}: {@code keycloak} gets an access token by client credentials (YINXIN_VERIFIER_CLIENT_SECRET) at the
 * realm's token endpoint and keeps it until shortly before it expires; {@code development} names the client and
 * the role in the development login's {@code X-Dev-Client} / {@code X-Dev-Roles} headers (the seal service is in
 * development mode too). The client secret can do nothing but ask for report stamps, which the seal service audits;
 * it is no signing key.
 */
public final class ServiceCredentials {

    static final String DEFAULT_CLIENT_ID = "yinxin-verifier";
    static final String ROLE = "report-sealer";
    private static final Duration MARGIN = Duration.ofSeconds(30);

    /** No token can be had now (Keycloak down, credentials refused or missing). */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final String clientId;
    private final String secret;
    private final String tokenUri;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token; // guarded by this
    private Instant expires = Instant.EPOCH; // guarded by this

    private ServiceCredentials(String clientId, String secret, String tokenUri, Clock clock) {
        this.clientId = clientId;
        this.secret = secret;
        this.tokenUri = tokenUri;
        this.clock = clock;
    }

    /** The development login: the client and its one role in headers, no token. */
    static ServiceCredentials development(String clientId, Clock clock) {
        return new ServiceCredentials(clientId, null, null, clock);
    }

    static ServiceCredentials keycloak(String issuer, String clientId, String secret, Clock clock) {
        return new ServiceCredentials(clientId, secret, issuer.replaceAll("/+$", "") + "/protocol/openid-connect/token",
                clock);
    }

    /** From YINXIN_SECURITY_MODE, YINXIN_KEYCLOAK_ISSUER, YINXIN_VERIFIER_CLIENT_ID and _SECRET (or -D properties). */
    public static ServiceCredentials fromEnvironment(Clock clock) {
        String clientId = setting("YINXIN_VERIFIER_CLIENT_ID", DEFAULT_CLIENT_ID);
        if (!setting("YINXIN_SECURITY_MODE", "development").equalsIgnoreCase("keycloak")) {
            return development(clientId, clock);
        }
        String secret = setting("YINXIN_VERIFIER_CLIENT_SECRET", "");
        // no secret: the verifier still starts (verification needs none); sealed reports answer 503
        return keycloak(setting("YINXIN_KEYCLOAK_ISSUER", ""), clientId, secret.isBlank() ? null : secret,
                clock);
    }

    String clientId() {
        return clientId;
    }

    /** The headers that authenticate one call to the seal service. Blocking (may fetch a token). */
    synchronized Map<String, String> headers() throws Unavailable {
        if (tokenUri == null) {
            return Map.of("X-Dev-Client", clientId, "X-Dev-Roles", ROLE);
        }
        if (secret == null) {
            throw new Unavailable("this verifier has no client secret for the seal service (YINXIN_VERIFIER_CLIENT_SECRET)");
        }
        if (token == null || clock.instant().plus(MARGIN).isAfter(expires)) {
            fetch();
        }
        return Map.of("Authorization", "Bearer " + token);
    }

    private void fetch() throws Unavailable {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(secret);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tokenUri))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                // the body may echo the request; the status is enough to act on
                throw new Unavailable("Keycloak refused the verifier's client credentials (HTTP " + response.statusCode() + ")");
            }
            JsonObject body = new JsonObject(response.body());
            String accessToken = body.getString("access_token");
            if (accessToken == null) {
                throw new Unavailable("Keycloak's answer has no access token");
            }
            token = accessToken;
            expires = clock.instant().plusSeconds(body.getLong("expires_in", 60L));
        } catch (IOException | DecodeException | ClassCastException e) {
            throw new Unavailable("Keycloak cannot be reached for the verifier's token: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while asking Keycloak for a token");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String setting(String name, String fallback) {
        return VerifierConfig.value(System.getenv(), name, fallback);
    }
}
