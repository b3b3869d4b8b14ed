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
 */
public record VerifierConfig(int port, Path trustDir, long maxPdfBytes) {

    public static VerifierConfig fromEnvironment() {
        return from(System.getenv());
    }

    static VerifierConfig from(Map<String, String> env) {
        return new VerifierConfig(
                Integer.parseInt(value(env, "YINXIN_VERIFIER_PORT", "8080")),
                Path.of(value(env, "YINXIN_TRUST_DIR", "var/keystores/trust")),
                Long.parseLong(value(env, "YINXIN_VERIFIER_MAX_PDF_BYTES", String.valueOf(20L * 1024 * 1024))));
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String property = System.getProperty(name.toLowerCase().replace('_', '.'));
        if (property != null) {
            return property;
        }
        return env.getOrDefault(name, fallback);
    }
}
