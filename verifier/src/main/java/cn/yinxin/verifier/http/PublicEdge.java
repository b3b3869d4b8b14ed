package cn.yinxin.verifier.http;

import cn.yinxin.core.Problem;
import cn.yinxin.core.limits.RateLimiter;
import cn.yinxin.verifier.config.VerifierConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * What every request meets before the verification: security headers on every answer, CORS for the origins
 * allowed to call the API from their pages, a rate limit per client address on the API, and the limits of the
 * HTTP listener itself (request line, headers, idle connections). Request bodies are bounded per route by the
 * BodyHandlers in {@link VerifierVerticle}.
 */
final class PublicEdge {

    /**
     * The page runs only its own files (no inline script), may use the camera, and is framed by no one. The same
     * policy on API answers does no harm and covers a JSON answer opened as a page.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; "
            + "manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    /** The camera for the page's own QR scanning; nothing else a page could ask the browser for. */
    static final String PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()";
    private static final String CORS_METHODS = "GET, POST";
    private static final String CORS_HEADERS = "Content-Type, Authorization";

    // encoded once (US-ASCII), not on every answer
    private static final CharSequence CSP = HttpHeaders.createOptimized("Content-Security-Policy");
    private static final CharSequence NOSNIFF_NAME = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence FRAME_OPTIONS_NAME = HttpHeaders.createOptimized("X-Frame-Options");
    private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
    private static final CharSequence REFERRER_POLICY_NAME = HttpHeaders.createOptimized("Referrer-Policy");
    private static final CharSequence NO_REFERRER = HttpHeaders.createOptimized("no-referrer");
    private static final CharSequence PERMISSIONS_POLICY_NAME = HttpHeaders.createOptimized("Permissions-Policy");
    private static final CharSequence PERMISSIONS = HttpHeaders.createOptimized(PERMISSIONS_POLICY);

    private final EdgeConfig config;
    private final RateLimiter limiter;
    private volatile CharSequence contentSecurityPolicy = HttpHeaders.createOptimized(CONTENT_SECURITY_POLICY);

    PublicEdge(EdgeConfig config) {
        this.config = config;
        this.limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst(), config.rateClients());
    }

    /** The page may also connect to the sign-in server (it redeems its code and refreshes its token there). */
    void allowSignInAt(String origin) {
        if (origin != null) {
            contentSecurityPolicy = HttpHeaders.createOptimized(
                    CONTENT_SECURITY_POLICY.replace("connect-src 'self'", "connect-src 'self' " + origin));
        }
    }

    /**
     * Where to listen (YINXIN_VERIFIER_HOST, every interface by default). The development login believes any caller's
     * X-Dev-Roles (an officer sees holders' data), so in that mode the verifier listens on this machine only: unset
     * is 127.0.0.1, an address beyond it stops the start (it used to listen on every interface unless ./yinxin up
     * said otherwise). Blocking: a host name is looked up.
     */
    void listenFor(boolean developmentLogin) throws java.net.UnknownHostException {
        String asked = VerifierConfig.value(System.getenv(), "YINXIN_VERIFIER_HOST", null);
        if (!developmentLogin) {
            host = asked == null ? "0.0.0.0" : asked;
        } else if (asked == null) {
            host = "127.0.0.1";
        } else if (!java.net.InetAddress.getByName(asked).isLoopbackAddress()) {
            throw new IllegalStateException("Refusing to start: the development login (X-Dev-* headers believed) "
                    + "listens on this machine only, not on " + asked + " (YINXIN_VERIFIER_HOST). Leave it unset or "
                    + "127.0.0.1, or sign in through Keycloak (YINXIN_SECURITY_MODE=keycloak).");
        } else {
            host = asked;
        }
    }

    private String host = "0.0.0.0";

    /** The listener's own limits: what a client may send before any route sees it. */
    HttpServerOptions serverOptions(int port) {
        return new HttpServerOptions().setPort(port).setHost(host)
                .setMaxInitialLineLength(config.maxRequestLineBytes())
                .setMaxHeaderSize(config.maxHeaderBytes())
                .setIdleTimeout(config.idleTimeoutSeconds())
                // HTTP/1.1 on the cleartext listener: no browser asks for h2c, and the JDK's HttpClient (what Java
                // approval systems call with) asks by default, an upgrade seen to hang until the idle timeout now
                // and then (one CI run in six). HTTP/2 belongs behind the TLS proxy.
                .setHttp2ClearTextEnabled(false)
                // no WebSocket is served: without these the pipeline has no WebSocket extension handler, which
                // otherwise looks at every request and answer
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
    }

    /** On every route, first: the answers carry these headers whatever they turn out to be (errors too). */
    void headers(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.putHeader(CSP, contentSecurityPolicy)
                .putHeader(NOSNIFF_NAME, NOSNIFF)
                .putHeader(FRAME_OPTIONS_NAME, DENY)
                .putHeader(REFERRER_POLICY_NAME, NO_REFERRER)
                .putHeader(PERMISSIONS_POLICY_NAME, PERMISSIONS);
        if (config.hsts() != null && (ctx.request().isSSL() || "https".equalsIgnoreCase(forwardedProto(ctx.request())))) {
            response.putHeader("Strict-Transport-Security", config.hsts());
        }
        if (ctx.request().path().endsWith(".webmanifest")) {
            ctx.addHeadersEndHandler(v -> response.putHeader("Content-Type", "application/manifest+json"));
        }
        ctx.next();
    }

    /**
     * CORS on /api/*: only the configured origins may read answers from their pages, without credentials (the API
     * uses no cookies). Any other origin gets no CORS headers, so its browser keeps the answer from it.
     */
    void cors(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin == null || !config.corsOrigins().contains(origin)) {
            ctx.next();
            return;
        }
        HttpServerResponse response = ctx.response();
        // Retry-After is not among the headers a page may read without being named
        response.putHeader("Access-Control-Allow-Origin", origin).putHeader("Vary", "Origin")
                .putHeader("Access-Control-Expose-Headers", "Retry-After");
        if (ctx.request().method() == HttpMethod.OPTIONS && ctx.request().getHeader("Access-Control-Request-Method") != null) {
            response.putHeader("Access-Control-Allow-Methods", CORS_METHODS)
                    .putHeader("Access-Control-Allow-Headers", CORS_HEADERS)
                    .putHeader("Access-Control-Max-Age", "600")
                    .setStatusCode(204).end();
            return;
        }
        ctx.next();
    }

    /** On /api/*: a token bucket per client address; an empty bucket gets 429 and when to come back. */
    void rateLimit(RoutingContext ctx) {
        long retryAfter = limiter.acquire(client(ctx.request()));
        if (retryAfter == 0) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
        Problems.send(ctx, Problem.RATE_LIMITED, "This address sent more than " + config.rateBurst()
                + " requests at once or " + format(config.ratePerSecond()) + " a second; try again in " + retryAfter
                + " s.");
    }

    /**
     * The client's address: the TCP peer, unless the peer is a trusted proxy, then the nearest address in
     * X-Forwarded-For that is not one (addresses further left were written by the client and could be anything).
     */
    String client(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (!config.trustedProxies().contains(peer)) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !config.trustedProxies().contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private String forwardedProto(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        return config.trustedProxies().contains(peer) ? request.getHeader("X-Forwarded-Proto") : null;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
