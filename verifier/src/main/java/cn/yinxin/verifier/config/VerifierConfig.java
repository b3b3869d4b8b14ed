package cn.yinxin.verifier.config;

import cn.yinxin.core.pdf.verify.VerificationLimits;

import java.nio.file.Path;
import java.util.List;
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
 * @param trustListRefreshSeconds how often the list (and the seal certificates) are fetched again
 *                                (YINXIN_TRUST_LIST_REFRESH_SECONDS, 300)
 * @param onlineRevocation whether OCSP responders and CRLs are asked when a document carries no revocation data
 *                         (YINXIN_VERIFIER_REVOCATION: online, the default, or offline)
 * @param revocationTimeoutSeconds how long an OCSP or CRL fetch may take (YINXIN_VERIFIER_REVOCATION_TIMEOUT_SECONDS, 5)
 * @param sealsUrl    the seal service whose published seal certificates may sign QR codes (YINXIN_SEALS_URL, e.g.
 *                    http://localhost:8082; none: no QR code can be confirmed). Only certificates that chain to the
 *                    trust anchors count; also asked for the own status of GB/T 38540 seals (national mode)
 * @param sealsCache  where the last fetched seal certificates and statuses are kept for offline starts
 *                    (YINXIN_SEALS_CACHE, var/verifier/seals.json)
 * @param maxImageBytes largest QR photo accepted (YINXIN_VERIFIER_MAX_IMAGE_BYTES, 10 MiB)
 * @param maxImagePixels largest QR photo decoded, in pixels, read from the header before decoding
 *                       (YINXIN_VERIFIER_MAX_IMAGE_PIXELS, 40,000,000)
 * @param maxStalenessSeconds how old the trust list and the seal statuses may be before a QR verdict cannot be
 *                            VALID any more (YINXIN_VERIFIER_MAX_STALENESS_SECONDS, 604800 = 7 days)
 * @param licencesUrl the licence service (YINXIN_LICENCES_URL): a licence PDF's live status joins its verdict
 * @param reportSealId the seal the seal service (at {@code sealsUrl}) seals the PDF reports with, at the verifier's
 *                     request (YINXIN_VERIFIER_REPORT_SEAL_ID, verification-report-seal; empty: no sealed reports).
 *                     The verifier holds no seal key: it asks with its own client (ServiceCredentials), which may
 *                     stamp with a verification-report seal and nothing else
 * @param reportTimeoutSeconds how long the seal service may take to seal a report
 *                             (YINXIN_VERIFIER_REPORT_TIMEOUT_SECONDS, 30)
 * @param verifyLimits how much work one PDF verification may do: decoded bytes per stream and per document,
 *                     revisions, fields, annotations, DSS entries, time (YINXIN_VERIFY_MAX_*, see
 *                     {@link VerificationLimits#fromSettings}; the same names as {@code yinxin verify} reads)
 * @param pdfWorkers   how many PDFs are verified at once (YINXIN_VERIFIER_PDF_WORKERS, the number of cores, at
 *                     least 2): more wait their turn, so the heap needed is bounded whatever the traffic
 * @param lists      who may sign the trust list and how long it counts; status lists' freshness and addresses
 *                   ({@link ListSettings})
 */
public record VerifierConfig(int port, Path trustDir, long maxPdfBytes, String trustListUrl, Path trustListCache,
                             long trustListRefreshSeconds, boolean onlineRevocation, int revocationTimeoutSeconds,
                             String sealsUrl, Path sealsCache, long maxImageBytes, long maxImagePixels,
                             long maxStalenessSeconds, String licencesUrl, String reportSealId,
                             int reportTimeoutSeconds, VerificationLimits verifyLimits, int pdfWorkers,
                             ListSettings lists) {

    public static final long DEFAULT_MAX_IMAGE_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 40_000_000L;
    public static final long DEFAULT_MAX_STALENESS_SECONDS = 7L * 24 * 3600;
    public static final String DEFAULT_REPORT_SEAL_ID = "verification-report-seal";
    public static final int DEFAULT_REPORT_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_PDF_WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    public VerifierConfig {
        reportSealId = reportSealId == null || reportSealId.isBlank() ? null : reportSealId.strip();
        if (reportTimeoutSeconds < 1) {
            throw new IllegalArgumentException("YINXIN_VERIFIER_REPORT_TIMEOUT_SECONDS is at least 1, not "
                    + reportTimeoutSeconds);
        }
    }

    public VerifierConfig(int port, Path trustDir, long maxPdfBytes) {
        this(port, trustDir, maxPdfBytes, null, null, 300, true, 5);
    }

    public VerifierConfig(int port, Path trustDir, long maxPdfBytes, String trustListUrl, Path trustListCache,
                          long trustListRefreshSeconds, boolean onlineRevocation, int revocationTimeoutSeconds) {
        this(port, trustDir, maxPdfBytes, trustListUrl, trustListCache, trustListRefreshSeconds, onlineRevocation,
                revocationTimeoutSeconds, null, null, DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_IMAGE_PIXELS,
                DEFAULT_MAX_STALENESS_SECONDS, null, DEFAULT_REPORT_SEAL_ID, DEFAULT_REPORT_TIMEOUT_SECONDS,
                VerificationLimits.DEFAULT, DEFAULT_PDF_WORKERS, ListSettings.DEFAULTS);
    }

    /** These settings with the seal service (and the cache of its certificates) at the given places. */
    public VerifierConfig withSeals(String url, Path cache) {
        return new VerifierConfig(port, trustDir, maxPdfBytes, trustListUrl, trustListCache, trustListRefreshSeconds,
                onlineRevocation, revocationTimeoutSeconds, url, cache, maxImageBytes, maxImagePixels,
                maxStalenessSeconds, licencesUrl, reportSealId, reportTimeoutSeconds, verifyLimits, pdfWorkers, lists);
    }

    public VerifierConfig withImageLimits(long bytes, long pixels) {
        return new VerifierConfig(port, trustDir, maxPdfBytes, trustListUrl, trustListCache, trustListRefreshSeconds,
                onlineRevocation, revocationTimeoutSeconds, sealsUrl, sealsCache, bytes, pixels,
                maxStalenessSeconds, licencesUrl, reportSealId, reportTimeoutSeconds, verifyLimits, pdfWorkers, lists);
    }

    public VerifierConfig withMaxStaleness(long seconds) {
        return new VerifierConfig(port, trustDir, maxPdfBytes, trustListUrl, trustListCache, trustListRefreshSeconds,
                onlineRevocation, revocationTimeoutSeconds, sealsUrl, sealsCache, maxImageBytes, maxImagePixels,
                seconds, licencesUrl, reportSealId, reportTimeoutSeconds, verifyLimits, pdfWorkers, lists);
    }

    /** These settings with the licence service (live licence status, presentations, officers' lookups). */
    public VerifierConfig withLicences(String licences) {
        return new VerifierConfig(port, trustDir, maxPdfBytes, trustListUrl, trustListCache, trustListRefreshSeconds,
                onlineRevocation, revocationTimeoutSeconds, sealsUrl, sealsCache, maxImageBytes, maxImagePixels,
                maxStalenessSeconds, licences, reportSealId, reportTimeoutSeconds, verifyLimits, pdfWorkers, lists);
    }

    /** These settings with reports sealed by the seal service with seal {@code sealId} (null: no sealed reports). */
    public VerifierConfig withReportSeal(String sealId, int timeoutSeconds) {
        return new VerifierConfig(port, trustDir, maxPdfBytes, trustListUrl, trustListCache, trustListRefreshSeconds,
                onlineRevocation, revocationTimeoutSeconds, sealsUrl, sealsCache, maxImageBytes, maxImagePixels,
                maxStalenessSeconds, licencesUrl, sealId, timeoutSeconds, verifyLimits, pdfWorkers, lists);
    }

    /** These settings with other limits on one PDF verification, and {@code workers} verifications at once. */
    public VerifierConfig withVerifyLimits(VerificationLimits limits, int workers) {
        return new VerifierConfig(port, trustDir, maxPdfBytes, trustListUrl, trustListCache, trustListRefreshSeconds,
                onlineRevocation, revocationTimeoutSeconds, sealsUrl, sealsCache, maxImageBytes, maxImagePixels,
                maxStalenessSeconds, licencesUrl, reportSealId, reportTimeoutSeconds, limits, workers, lists);
    }

    /** These settings with other rules for the trust list and the status lists. */
    public VerifierConfig withLists(ListSettings settings) {
        return new VerifierConfig(port, trustDir, maxPdfBytes, trustListUrl, trustListCache, trustListRefreshSeconds,
                onlineRevocation, revocationTimeoutSeconds, sealsUrl, sealsCache, maxImageBytes, maxImagePixels,
                maxStalenessSeconds, licencesUrl, reportSealId, reportTimeoutSeconds, verifyLimits, pdfWorkers, settings);
    }

    /** The status-list addresses a licence code may name (see {@link ListSettings#statusListAddresses}). */
    public List<String> statusListAddresses() {
        return lists.statusListAddresses(licencesUrl);
    }

    public static VerifierConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static VerifierConfig from(Map<String, String> env) {
        return new VerifierConfig(
                Integer.parseInt(value(env, "YINXIN_VERIFIER_PORT", "8080")),
                Path.of(value(env, "YINXIN_TRUST_DIR", "var/keystores/trust")),
                Long.parseLong(value(env, "YINXIN_VERIFIER_MAX_PDF_BYTES", String.valueOf(20L * 1024 * 1024))),
                value(env, "YINXIN_TRUST_LIST_URL", null),
                Path.of(value(env, "YINXIN_TRUST_LIST_CACHE", "var/verifier/trust-list.jws")),
                Long.parseLong(value(env, "YINXIN_TRUST_LIST_REFRESH_SECONDS", "300")),
                !"offline".equalsIgnoreCase(value(env, "YINXIN_VERIFIER_REVOCATION", "online")),
                Integer.parseInt(value(env, "YINXIN_VERIFIER_REVOCATION_TIMEOUT_SECONDS", "5")),
                value(env, "YINXIN_SEALS_URL", null),
                Path.of(value(env, "YINXIN_SEALS_CACHE", "var/verifier/seals.json")),
                Long.parseLong(value(env, "YINXIN_VERIFIER_MAX_IMAGE_BYTES", String.valueOf(DEFAULT_MAX_IMAGE_BYTES))),
                Long.parseLong(value(env, "YINXIN_VERIFIER_MAX_IMAGE_PIXELS", String.valueOf(DEFAULT_MAX_IMAGE_PIXELS))),
                Long.parseLong(value(env, "YINXIN_VERIFIER_MAX_STALENESS_SECONDS",
                        String.valueOf(DEFAULT_MAX_STALENESS_SECONDS))),
                value(env, "YINXIN_LICENCES_URL", null),
                value(env, "YINXIN_VERIFIER_REPORT_SEAL_ID", DEFAULT_REPORT_SEAL_ID),
                Integer.parseInt(value(env, "YINXIN_VERIFIER_REPORT_TIMEOUT_SECONDS",
                        String.valueOf(DEFAULT_REPORT_TIMEOUT_SECONDS))),
                VerificationLimits.fromSettings(name -> value(env, name, null)),
                Integer.parseInt(value(env, "YINXIN_VERIFIER_PDF_WORKERS", String.valueOf(DEFAULT_PDF_WORKERS))),
                ListSettings.from(env));
    }

    public static String value(Map<String, String> env, String name, String fallback) {
        String property = System.getProperty(name.toLowerCase().replace('_', '.'));
        if (property != null) {
            return property;
        }
        return env.getOrDefault(name, fallback);
    }
}
