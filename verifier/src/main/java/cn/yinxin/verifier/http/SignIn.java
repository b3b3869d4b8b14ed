package cn.yinxin.verifier.http;

import cn.yinxin.core.Problem;
import cn.yinxin.verifier.config.VerifierConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who calls the verifier, and the rule of every route. Verification is open to anyone (a citizen, a clerk, a
 * police officer at the roadside); a caller who signs in with a Keycloak access token and holds the officer role
 * also sees the personal data a licence code points to. So every route is public, a token is optional, and a
 * token that is sent must be valid: an expired or forged one gets 401 {@code token-invalid}, never a silent
 * downgrade to anonymous.
 * <p>
 * Modes as in the Spring services ({@code YINXIN_SECURITY_MODE}, required: without it the verifier does not start,
 * as it used to start in the development login): {@code keycloak} checks tokens against the realm's
 * keys (fetched from {@code YINXIN_KEYCLOAK_ISSUER} at start, and again when a token names a key not yet known, so a
 * rotated realm key is picked up and a retired one is no longer accepted; such fetches at most once every
 * {@code YINXIN_SECURITY_JWKS_REFETCH_SECONDS}, 30 s by default, so tokens with made-up key ids cannot make the
 * verifier hammer Keycloak), issuer, audience {@code yinxin} and expiry;
 * {@code development} treats every call as a development caller with the roles of {@code X-Dev-Roles} (none when
 * the header is absent: an anonymous caller is anonymous in this mode too, and sees no personal data), of the office
 * of {@code X-Dev-Office}.
 */
public final class SignIn {

    public static final String OFFICER = "officer";
    private static final String CALLER = "yinxin.caller";

    /**
     * A signed-in (or development) caller; {@link #ANONYMOUS} when no token was sent. {@code office}: the office a
     * development caller says it acts for (X-Dev-Office); with a token the licence service reads it from the token.
     */
    public record Caller(String subject, String client, Set<String> roles, String bearer, boolean development, String office) {
        static final Caller ANONYMOUS = new Caller("anonymous", null, Set.of(), null, false, null);

        Caller(String subject, String client, Set<String> roles, String bearer, boolean development) {
            this(subject, client, roles, bearer, development, null);
        }

        public boolean officer() {
            return roles.contains(OFFICER);
        }
    }

    /** Every route the verifier serves and who may call it: a new route without an entry fails the start. */
    static final Map<String, String> RULES = Map.ofEntries(
            Map.entry("GET /health", "anyone"),
            Map.entry("GET /api/v1/trust-status", "anyone"),
            Map.entry("GET /api/v1/qr-signers", "anyone"),
            Map.entry("POST /api/v1/verify/pdf", "anyone"),
            Map.entry("POST /api/v1/verify/pdf/report", "anyone"),
            Map.entry("POST /api/v1/verify/ofd/report", "anyone"),
            Map.entry("POST /api/v1/verify/ofd", "anyone"),
            Map.entry("POST /api/v1/verify/qr", "anyone; officers who give a purpose (用证事由 and case number) also see "
                    + "the licence holder's personal data, recorded by the licence service"),
            Map.entry("POST /api/v1/verify/qr-image", "anyone; officers who give a purpose (用证事由 and case number) "
                    + "also see the licence holder's personal data, recorded by the licence service"),
            Map.entry("GET /openapi.yaml", "anyone"),
            Map.entry("GET /metrics", "monitoring (the Prometheus scrape; anonymous 401, other roles 403)"),
            Map.entry("GET /sign-in/config.json", "anyone (how the page signs an officer in)"),
            Map.entry("GET /sign-in/sign-in.js", "anyone (the page's sign-in script)"),
            Map.entry("GET /", "anyone"),
            Map.entry("GET /d/:documentId", "anyone"),
            Map.entry("GET /*", "anyone (the page and its files)"));

    private final boolean keycloak;
    private final Vertx vertx;
    private final String issuer;
    private final JWTOptions checks;
    private final long refetchNanos;
    /**
     * System.nanoTime() of the last fetch of the keys; guarded by this. Not the verifier's Clock: this only spaces
     * fetches apart (a monotonic interval, which a wall clock set back could not stop); whether a token has expired
     * is checked by Vert.x's JWTAuth against the system clock, with the configured leeway.
     */
    private long lastFetch;
    private volatile Keys keys = new Keys(null, Set.of());
    private Future<Keys> fetching;
    private String pageClientId = "yinxin-officer-page";

    /** The realm's signature keys as a JWT checker, and their key ids. */
    private record Keys(JWTAuth jwt, Set<String> ids) {
    }

    private SignIn(boolean keycloak, Vertx vertx, String issuer, JWTOptions checks, Duration refetchAfter) {
        this.keycloak = keycloak;
        this.vertx = vertx;
        this.issuer = issuer;
        this.checks = checks;
        this.refetchNanos = refetchAfter.toNanos();
    }

    static SignIn development() {
        return new SignIn(false, null, null, null, Duration.ZERO);
    }

    /** The sentence a verifier that was not told its mode stops with. */
    static final String MODE_MISSING = "Refusing to start: say how callers sign in, YINXIN_SECURITY_MODE=keycloak "
            + "(with YINXIN_KEYCLOAK_ISSUER) or development (no sign-in, X-Dev-* headers; for a first try on this "
            + "machine only).";

    /** From YINXIN_SECURITY_MODE / YINXIN_KEYCLOAK_ISSUER (or the matching system properties). Blocking. */
    static SignIn fromEnvironment(Vertx vertx) {
        String mode = setting("YINXIN_SECURITY_MODE", "").strip();
        if (!mode.equalsIgnoreCase("keycloak") && !mode.equalsIgnoreCase("development")) {
            // no guess: a forgotten or mistyped setting must not open the development login
            throw new IllegalStateException(mode.isEmpty() ? MODE_MISSING
                    : "Refusing to start: YINXIN_SECURITY_MODE is '" + mode + "', not keycloak or development.");
        }
        if (mode.equalsIgnoreCase("development")) {
            if (setting("YINXIN_PROFILE", "").equals("production")) {
                throw new IllegalStateException("Refusing to start: the production profile needs sign-in through "
                        + "Keycloak (YINXIN_SECURITY_MODE=keycloak), not the development login.");
            }
            return development();
        }
        String issuer = setting("YINXIN_KEYCLOAK_ISSUER", "").replaceAll("/+$", "");
        if (issuer.isBlank()) {
            throw new IllegalStateException("YINXIN_SECURITY_MODE=keycloak needs YINXIN_KEYCLOAK_ISSUER");
        }
        SignIn signIn = keycloak(vertx, issuer, setting("YINXIN_SECURITY_AUDIENCE", "yinxin"),
                Long.parseLong(setting("YINXIN_SECURITY_CLOCK_SKEW_SECONDS", "30")),
                Duration.ofSeconds(Long.parseLong(setting("YINXIN_SECURITY_JWKS_REFETCH_SECONDS", "30"))));
        signIn.pageClientId = setting("YINXIN_PAGE_CLIENT_ID", signIn.pageClientId);
        return signIn;
    }

    /**
     * How the verification page signs an officer in ({@code GET /sign-in/config.json}, read by core's shared
     * sign-in.js): the realm and the page's public client (PKCE), or the development login.
     */
    JsonObject pageConfig() {
        return keycloak ? new JsonObject().put("mode", "keycloak").put("issuer", issuer).put("clientId", pageClientId)
                : new JsonObject().put("mode", "development");
    }

    /** Whether this is the development login: every X-Dev-* header believed. */
    boolean developmentLogin() {
        return !keycloak;
    }

    /** The realm's scheme, host and port (the page redeems its code there), or null in development mode. */
    String issuerOrigin() {
        if (!keycloak) {
            return null;
        }
        URI uri = URI.create(issuer);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** Fetches the realm's keys now (blocking); a realm that cannot be reached fails the start. */
    static SignIn keycloak(Vertx vertx, String issuer, String audience, long leewaySeconds, Duration refetchAfter) {
        SignIn signIn = new SignIn(true, vertx, issuer, new JWTOptions().setIssuer(issuer)
                .setAudience(List.of(audience)).setLeeway((int) leewaySeconds), refetchAfter);
        signIn.lastFetch = System.nanoTime();
        signIn.keys = signIn.checker(signingKeys(issuer));
        return signIn;
    }

    private Keys checker(JsonArray jwks) {
        var options = new JWTAuthOptions().setJWTOptions(checks);
        Set<String> ids = new HashSet<>();
        for (Object key : jwks) {
            options.addJwk((JsonObject) key);
            ids.add(((JsonObject) key).getString("kid"));
        }
        return new Keys(JWTAuth.create(vertx, options), Set.copyOf(ids));
    }

    /**
     * The keys to check this token with: the known ones, or (for a key id not known, and no fetch in the last
     * refetch interval) the realm's keys fetched anew on a worker. Calls in flight share one fetch.
     */
    private synchronized Future<Keys> keysFor(String kid) {
        Keys known = keys;
        if (kid == null || known.ids().contains(kid)) {
            return Future.succeededFuture(known);
        }
        if (fetching != null) {
            return fetching;
        }
        if (System.nanoTime() - lastFetch < refetchNanos) {
            return Future.succeededFuture(known);
        }
        lastFetch = System.nanoTime();
        fetching = vertx.executeBlocking(() -> checker(signingKeys(issuer)), false)
                .map(fresh -> keys = fresh)
                .recover(e -> Future.succeededFuture(known))
                .onComplete(done -> {
                    synchronized (this) {
                        fetching = null;
                    }
                });
        return fetching;
    }

    /** The key id in a JWT's header, or null. */
    static String keyId(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
                    StandardCharsets.UTF_8)).getString("kid");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The realm's signature keys (not its encryption keys). */
    private static JsonArray signingKeys(String issuer) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/certs"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak's keys: HTTP " + response.statusCode());
            }
            JsonArray keys = new JsonObject(response.body()).getJsonArray("keys");
            JsonArray signing = new JsonArray();
            keys.stream().map(JsonObject.class::cast).filter(k -> !"enc".equals(k.getString("use"))).forEach(signing::add);
            return signing;
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak cannot be reached for its keys (" + issuer + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The first handler of every route: finds the caller, or refuses a bad token. */
    void handle(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (!keycloak) {
            ctx.response().putHeader("X-Yinxin-Login", "development");
            // no header, no role: the officer's view (personal data) is only for a caller that asks for it
            String roles = ctx.request().getHeader("X-Dev-Roles");
            Set<String> chosen = roles == null ? Set.of()
                    : Arrays.stream(roles.split(",")).map(String::strip).filter(r -> !r.isEmpty()).collect(Collectors.toSet());
            String client = ctx.request().getHeader("X-Dev-Client");
            ctx.put(CALLER, new Caller("developer", client == null || client.isBlank() ? "development" : client.strip(),
                    chosen, null, true, ctx.request().getHeader("X-Dev-Office")));
            ctx.next();
            return;
        }
        if (authorization == null) {
            ctx.put(CALLER, Caller.ANONYMOUS);
            ctx.next();
            return;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(ctx, "Only Bearer tokens are accepted.");
            return;
        }
        String token = authorization.substring(7).strip();
        Future<User> user = keysFor(keyId(token))
                .compose(known -> known.jwt().authenticate(new TokenCredentials(token)));
        user.onSuccess(u -> {
            JsonObject claims = u.principal();
            JsonObject access = claims.getJsonObject("realm_access", new JsonObject());
            Set<String> roles = access.getJsonArray("roles", new JsonArray()).stream().map(String::valueOf)
                    .collect(Collectors.toSet());
            ctx.put(CALLER, new Caller(claims.getString("sub"), claims.getString("azp"), roles, token, false));
            ctx.next();
        }).onFailure(e -> refuse(ctx, "The access token was refused: " + e.getMessage()));
    }

    private static void refuse(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"yinxin\"");
        Problems.send(ctx, Problem.TOKEN_INVALID, detail);
    }

    static Caller caller(RoutingContext ctx) {
        Caller caller = ctx.get(CALLER);
        return caller == null ? Caller.ANONYMOUS : caller;
    }

    /** Routes of the router that {@link #RULES} does not name (filters without a path are not routes). */
    static List<String> undeclared(Router router) {
        List<String> missing = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            // filters (no path, or a path but no method: headers, CORS, rate limit) are not endpoints
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            String path = (route.getPath() + (route.isExactPath() ? "" : "*")).replace("/**", "/*");
            for (HttpMethod method : route.methods()) {
                if (!RULES.containsKey(method.name() + " " + path)) {
                    missing.add(method.name() + " " + path);
                }
            }
        }
        return missing;
    }

    private static String setting(String name, String fallback) {
        return VerifierConfig.value(System.getenv(), name, fallback);
    }
}
