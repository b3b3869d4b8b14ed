package cn.yinxin.ca.ocsp;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP side of OCSP shared by both listeners: RFC 5019 GET paths and caching headers. */
final class OcspHttp {

    static final String RESPONSE_TYPE = "application/ocsp-response";
    static final String REQUEST_TYPE = "application/ocsp-request";
    static final int MAX_REQUEST_BYTES = 16 * 1024;

    private OcspHttp() {
    }

    /** The DER request in the part of a GET path after /ocsp/: URL-encoded base64 ('+' kept as '+'). */
    static byte[] fromGetPath(String encoded) {
        try {
            return Base64.getDecoder().decode(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** Headers of an answer at {@code now}: cacheable ones until their nextUpdate (RFC 5019 section 6), others not stored. */
    static Map<String, String> headers(OcspService.Served served, boolean get, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", RESPONSE_TYPE);
        var answer = served.answer();
        if (!get || !answer.cacheable()) {
            headers.put("Cache-Control", "no-store");
            return headers;
        }
        long maxAge = Math.max(0, Duration.between(now, answer.nextUpdate()).toSeconds());
        headers.put("Cache-Control", "max-age=" + maxAge + ", public, no-transform, must-revalidate");
        headers.put("Last-Modified", served.lastModified());
        headers.put("Expires", served.expires());
        headers.put("ETag", served.etag());
        return headers;
    }

    static String date(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
    }
}
