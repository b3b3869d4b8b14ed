package cn.yinxin.verifier;

import java.nio.file.Path;
import java.util.Map;

/**
 * The verifier's settings, each with a usable default, read from the environment (or -D system properties of the
 * same name in lower case with dots: YINXIN_TRUST_DIR = yinxin.trust.dir).
 *
 * @param port        HTTP port (YINXIN_VERIFIER_PORT, 8080)
 * @param trustDir    folder of trusted root certificates (YINXIN_TRUST_DIR, var/keystores/trust)
 * @param maxPdfBytes largest PDF accepted (YINXIN_VERIFIER_MAX_PDF_BYTES, 20 MiB)
 * @param trustListUrl the ca-service's signed trust list (YINXIN_TRUST_LIST_URL; none: only the trust folder)
 * @param trustListCache where the last authentic list is kept for offline starts
 *                       (YINXIN_TRUST_LIST_CACHE, var/verifier/trust-list.jws)
 * @param trustListRefreshSeconds how often the list is fetched again (YINXIN_TRUST_LIST_REFRESH_SECONDS, 300)
 * @param onlineRevocation whether OCSP responders and CRLs are asked when a document carries no revocation data
 *                         (YINXIN_VERIFIER_REVOCATION: online, the default, or offline)
 * @param revocationTimeoutSeconds how long an OCSP or CRL fetch may take (YINXIN_VERIFIER_REVOCATION_TIMEOUT_SECONDS, 5)
 */
public record VerifierConfig(int port, Path trustDir, long maxPdfBytes, String trustListUrl, Path trustListCache,
                             long trustListRefreshSeconds, boolean onlineRevocation, int revocationTimeoutSeconds) {

    public VerifierConfig(int port, Path trustDir, long maxPdfBytes) {
        this(port, trustDir, maxPdfBytes, null, null, 300, true, 5);
    }

    public static VerifierConfig fromEnvironment() {
        return from(System.getenv());
    }

    static VerifierConfig from(Map<String, String> env) {
        return new VerifierConfig(
                Integer.parseInt(value(env, "YINXIN_VERIFIER_PORT", "8080")),
                Path.of(value(env, "YINXIN_TRUST_DIR", "var/keystores/trust")),
                Long.parseLong(value(env, "YINXIN_VERIFIER_MAX_PDF_BYTES", String.valueOf(20L * 1024 * 1024))),
                value(env, "YINXIN_TRUST_LIST_URL", null),
                Path.of(value(env, "YINXIN_TRUST_LIST_CACHE", "var/verifier/trust-list.jws")),
                Long.parseLong(value(env, "YINXIN_TRUST_LIST_REFRESH_SECONDS", "300")),
                !"offline".equalsIgnoreCase(value(env, "YINXIN_VERIFIER_REVOCATION", "online")),
                Integer.parseInt(value(env, "YINXIN_VERIFIER_REVOCATION_TIMEOUT_SECONDS", "5")));
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String property = System.getProperty(name.toLowerCase().replace('_', '.'));
        if (property != null) {
            return property;
        }
        return env.getOrDefault(name, fallback);
    }
}
