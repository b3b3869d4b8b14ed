package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.limits.JpegScans;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * How much work one verification may do on a document that may have been made to hurt the verifier: a few
 * megabytes of compressed zeros that inflate to gigabytes (a "Flate bomb"), one stream referenced thousands of
 * times, tens of thousands of fields, annotations or revisions. Past any of these the document is not verified
 * further and the answer is INDETERMINATE with the limit named (never a 500, an OutOfMemoryError or a worker busy
 * for minutes). The defaults leave room for real documents (see docs/operations.md) and keep one verification of
 * any upload under the verifier's 20 MiB limit within 256 MB of heap.
 *
 * @param maxStreamBytes     most bytes one stream may decode to (its filters applied); images are not decoded
 * @param maxDecodedBytes    most bytes all the streams of one document may decode to, together
 * @param maxRevisions       most revisions (incremental updates, %%EOF markers) a document may have
 * @param maxFields          most form fields (signature fields included, nested fields counted)
 * @param maxAnnotationsPerPage most annotations on one page
 * @param maxAnnotations     most annotations on all pages together
 * @param maxDssEntries      most distinct certificates, OCSP responses and CRLs in the document's /DSS
 * @param maxImageScans      most scans one JPEG image may have (each a walk over the whole image when it is drawn)
 * @param maxObjects         most objects the object streams and cross-reference streams declare together (a 7 MB
 *                           upload can pack 1.5 million empty objects into one 27 MB object stream: 250 MB of heap)
 * @param maxTime            how long one verification may take before it answers INDETERMINATE
 */
public record VerificationLimits(long maxStreamBytes, long maxDecodedBytes, int maxRevisions, int maxFields,
                                 int maxAnnotationsPerPage, int maxAnnotations, int maxDssEntries, int maxImageScans,
                                 int maxObjects, Duration maxTime) {

    /** Each limit, with the stable name it has in reports and settings. */
    public enum Limit {
        STREAM_BYTES("stream-bytes"),
        DECODED_BYTES("decoded-bytes"),
        REVISIONS("revisions"),
        FIELDS("fields"),
        ANNOTATIONS_PER_PAGE("annotations-per-page"),
        ANNOTATIONS("annotations"),
        DSS_ENTRIES("dss-entries"),
        /** Scans in one JPEG image (DCTDecode): each a walk over the whole image when the page is drawn. */
        IMAGE_SCANS("image-scans"),
        /**
         * Objects the document's object streams and cross-reference streams declare together: PDFBox parses all of
         * an object stream's objects when one of them is asked for, and keeps a map entry per cross-reference entry.
         */
        OBJECTS("objects"),
        TIME("time");

        private final String slug;

        Limit(String slug) {
            this.slug = slug;
        }

        public String slug() {
            return slug;
        }
    }

    public static final long DEFAULT_MAX_STREAM_BYTES = 32L * 1024 * 1024;
    public static final long DEFAULT_MAX_DECODED_BYTES = 512L * 1024 * 1024;
    public static final int DEFAULT_MAX_REVISIONS = 200;
    public static final int DEFAULT_MAX_FIELDS = 5_000;
    public static final int DEFAULT_MAX_ANNOTATIONS_PER_PAGE = 2_000;
    public static final int DEFAULT_MAX_ANNOTATIONS = 20_000;
    public static final int DEFAULT_MAX_DSS_ENTRIES = 1_000;
    /** A photo has about ten scans (the JDK writes six, libjpeg's default script ten). */
    public static final int DEFAULT_MAX_IMAGE_SCANS = JpegScans.MAX;
    /** A 5,000-page document has some tens of thousands of objects; each costs PDFBox a few hundred bytes. */
    public static final int DEFAULT_MAX_OBJECTS = 200_000;
    public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(30);

    public static final VerificationLimits DEFAULT = new VerificationLimits(DEFAULT_MAX_STREAM_BYTES,
            DEFAULT_MAX_DECODED_BYTES, DEFAULT_MAX_REVISIONS, DEFAULT_MAX_FIELDS, DEFAULT_MAX_ANNOTATIONS_PER_PAGE,
            DEFAULT_MAX_ANNOTATIONS, DEFAULT_MAX_DSS_ENTRIES, DEFAULT_MAX_IMAGE_SCANS, DEFAULT_MAX_OBJECTS,
            DEFAULT_MAX_TIME);

    public VerificationLimits {
        if (maxStreamBytes < 1 || maxDecodedBytes < 1 || maxRevisions < 1 || maxFields < 1
                || maxAnnotationsPerPage < 1 || maxAnnotations < 1 || maxDssEntries < 1 || maxImageScans < 1
                || maxObjects < 1) {
            throw new IllegalArgumentException("verification limits must be positive");
        }
        if (maxTime == null || maxTime.isNegative() || maxTime.isZero()) {
            throw new IllegalArgumentException("the time limit of a verification must be positive");
        }
    }

    public VerificationLimits withMaxTime(Duration time) {
        return new VerificationLimits(maxStreamBytes, maxDecodedBytes, maxRevisions, maxFields, maxAnnotationsPerPage,
                maxAnnotations, maxDssEntries, maxImageScans, maxObjects, time);
    }

    public VerificationLimits withStreamBytes(long perStream, long perDocument) {
        return new VerificationLimits(perStream, perDocument, maxRevisions, maxFields, maxAnnotationsPerPage,
                maxAnnotations, maxDssEntries, maxImageScans, maxObjects, maxTime);
    }

    /**
     * The limits named by settings (environment variables or their -D forms, as the services read them), each
     * falling back to its default: YINXIN_VERIFY_MAX_STREAM_BYTES, YINXIN_VERIFY_MAX_DECODED_BYTES,
     * YINXIN_VERIFY_MAX_REVISIONS, YINXIN_VERIFY_MAX_FIELDS, YINXIN_VERIFY_MAX_ANNOTATIONS_PER_PAGE,
     * YINXIN_VERIFY_MAX_ANNOTATIONS, YINXIN_VERIFY_MAX_DSS_ENTRIES, YINXIN_VERIFY_MAX_IMAGE_SCANS,
     * YINXIN_VERIFY_MAX_OBJECTS, YINXIN_VERIFY_MAX_SECONDS. The verifier and
     * {@code yinxin verify} read the same names, so a document gets the same answer from both.
     *
     * @param setting the value of a setting by name, null when it is not set
     */
    public static VerificationLimits fromSettings(UnaryOperator<String> setting) {
        return new VerificationLimits(
                number(setting, "YINXIN_VERIFY_MAX_STREAM_BYTES", DEFAULT_MAX_STREAM_BYTES),
                number(setting, "YINXIN_VERIFY_MAX_DECODED_BYTES", DEFAULT_MAX_DECODED_BYTES),
                (int) number(setting, "YINXIN_VERIFY_MAX_REVISIONS", DEFAULT_MAX_REVISIONS),
                (int) number(setting, "YINXIN_VERIFY_MAX_FIELDS", DEFAULT_MAX_FIELDS),
                (int) number(setting, "YINXIN_VERIFY_MAX_ANNOTATIONS_PER_PAGE", DEFAULT_MAX_ANNOTATIONS_PER_PAGE),
                (int) number(setting, "YINXIN_VERIFY_MAX_ANNOTATIONS", DEFAULT_MAX_ANNOTATIONS),
                (int) number(setting, "YINXIN_VERIFY_MAX_DSS_ENTRIES", DEFAULT_MAX_DSS_ENTRIES),
                (int) number(setting, "YINXIN_VERIFY_MAX_IMAGE_SCANS", DEFAULT_MAX_IMAGE_SCANS),
                (int) number(setting, "YINXIN_VERIFY_MAX_OBJECTS", DEFAULT_MAX_OBJECTS),
                Duration.ofMillis((long) (Double.parseDouble(text(setting, "YINXIN_VERIFY_MAX_SECONDS",
                        String.valueOf(DEFAULT_MAX_TIME.toSeconds()))) * 1000)));
    }

    /** Environment variables, overridden by system properties of the same name in lower case with dots. */
    public static VerificationLimits fromEnvironment() {
        return fromSettings(name -> {
            String property = System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
            return property != null ? property : System.getenv(name);
        });
    }

    private static long number(UnaryOperator<String> setting, String name, long fallback) {
        String value = text(setting, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number: " + value, e);
        }
    }

    private static String text(UnaryOperator<String> setting, String name, String fallback) {
        String value = setting.apply(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
