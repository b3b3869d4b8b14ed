package cn.yinxin.verifier.http;

import cn.yinxin.verifier.config.VerifierConfig;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the verifier faces the internet, read like {@link VerifierConfig} (environment, or -D properties of the same
 * name in lower case with dots). Kept apart from VerifierConfig because it is about the edge, not verification.
 *
 * @param ratePerSecond   API requests a second per client address, sustained (YINXIN_VERIFIER_RATE_PER_SECOND, 20;
 *                        0 switches the limit off, e.g. for the bench)
 * @param rateBurst       API requests a client may send at once (YINXIN_VERIFIER_RATE_BURST, 40)
 * @param rateClients     client addresses remembered at most; past that the one seen least recently is forgotten
 *                        (YINXIN_VERIFIER_RATE_CLIENTS, 100000, ~15 MB)
 * @param trustedProxies  addresses of reverse proxies whose X-Forwarded-For names the client
 *                        (YINXIN_VERIFIER_TRUSTED_PROXIES, comma-separated; none: the TCP peer is the client)
 * @param corsOrigins     other sites' origins whose pages may call /api/* from the browser
 *                        (YINXIN_VERIFIER_CORS_ORIGINS, comma-separated, e.g. https://office.example.gov.cn; none)
 * @param hsts            the Strict-Transport-Security value, sent when the verifier is reached over HTTPS (by its
 *                        TLS proxy) (YINXIN_VERIFIER_HSTS, e.g. max-age=31536000; none)
 * @param maxRequestLineBytes longest request line (method, URI, version) (YINXIN_VERIFIER_MAX_REQUEST_LINE_BYTES,
 *                            4096; longer: 414)
 * @param maxHeaderBytes  largest request header block (YINXIN_VERIFIER_MAX_HEADER_BYTES, 8192; larger: 431)
 * @param idleTimeoutSeconds a connection that sends and receives nothing this long is closed
 *                           (YINXIN_VERIFIER_IDLE_TIMEOUT_SECONDS, 60)
 */
public record EdgeConfig(double ratePerSecond, int rateBurst, int rateClients, Set<String> trustedProxies,
                         Set<String> corsOrigins, String hsts, int maxRequestLineBytes, int maxHeaderBytes,
                         int idleTimeoutSeconds) {

    /** What a verifier uses unless told otherwise. */
    public static final EdgeConfig DEFAULTS = from(Map.of());

    public EdgeConfig {
        trustedProxies = Set.copyOf(trustedProxies);
        corsOrigins = Set.copyOf(corsOrigins);
        hsts = hsts == null || hsts.isBlank() ? null : hsts.strip();
    }

    public EdgeConfig withRateLimit(double perSecond, int burst) {
        return new EdgeConfig(perSecond, burst, rateClients, trustedProxies, corsOrigins, hsts, maxRequestLineBytes,
                maxHeaderBytes, idleTimeoutSeconds);
    }

    public EdgeConfig withCorsOrigins(Set<String> origins) {
        return new EdgeConfig(ratePerSecond, rateBurst, rateClients, trustedProxies, origins, hsts,
                maxRequestLineBytes, maxHeaderBytes, idleTimeoutSeconds);
    }

    public EdgeConfig withTrustedProxies(Set<String> proxies) {
        return new EdgeConfig(ratePerSecond, rateBurst, rateClients, proxies, corsOrigins, hsts,
                maxRequestLineBytes, maxHeaderBytes, idleTimeoutSeconds);
    }

    public EdgeConfig withHsts(String value) {
        return new EdgeConfig(ratePerSecond, rateBurst, rateClients, trustedProxies, corsOrigins, value,
                maxRequestLineBytes, maxHeaderBytes, idleTimeoutSeconds);
    }

    public static EdgeConfig fromEnvironment() {
        return from(System.getenv());
    }

    static EdgeConfig from(Map<String, String> env) {
        return new EdgeConfig(
                Double.parseDouble(VerifierConfig.value(env, "YINXIN_VERIFIER_RATE_PER_SECOND", "20")),
                Integer.parseInt(VerifierConfig.value(env, "YINXIN_VERIFIER_RATE_BURST", "40")),
                Integer.parseInt(VerifierConfig.value(env, "YINXIN_VERIFIER_RATE_CLIENTS", "100000")),
                list(VerifierConfig.value(env, "YINXIN_VERIFIER_TRUSTED_PROXIES", "")),
                list(VerifierConfig.value(env, "YINXIN_VERIFIER_CORS_ORIGINS", "")),
                VerifierConfig.value(env, "YINXIN_VERIFIER_HSTS", null),
                Integer.parseInt(VerifierConfig.value(env, "YINXIN_VERIFIER_MAX_REQUEST_LINE_BYTES", "4096")),
                Integer.parseInt(VerifierConfig.value(env, "YINXIN_VERIFIER_MAX_HEADER_BYTES", "8192")),
                Integer.parseInt(VerifierConfig.value(env, "YINXIN_VERIFIER_IDLE_TIMEOUT_SECONDS", "60")));
    }

    private static Set<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
