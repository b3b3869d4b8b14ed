package cn.yinxin.verifier.report;

import cn.yinxin.core.pdf.verify.report.ReportDocument;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.verifier.http.RequestIds;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Turns a verification report into a PDF (core's ReportDocument: verdict in Chinese and English, document hash,
 * each signature's findings) and has the seal service seal it with the verification-report seal, through its stamp
 * API ({@code POST /api/v1/stamp}), at the bottom of the first page. The verifier faces the internet, so it holds no
 * seal key: a break-in there cannot take the seal away, and every report sealed is a stamp record the seal service
 * keeps. When the seal service is not configured, cannot be reached or refuses, the report is not made
 * ({@link Unavailable}): an unsealed report is never handed out in its place.
 */
public final class ReportSealer {

    /** Where the seal goes: its centre in mm from the top-left of page 1 (bottom right of an A4 page). */
    static final int PAGE = 1;
    static final double X_MM = 160;
    static final double Y_MM = 255;
    static final String REASON = "验证报告 verification report";
    /** A sealed report is the rendered one plus a signature; anything far larger is not an answer to trust. */
    private static final long MAX_GROWTH_BYTES = 8L * 1024 * 1024;

    /** No sealed report can be made now; the detail says why, for the 503 problem document. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private final URI stamp;
    private final String sealId;
    private final ServiceCredentials credentials;
    private final Duration timeout;
    private final HttpClient http;

    public ReportSealer(String sealsUrl, String sealId, ServiceCredentials credentials, Duration timeout) {
        this.stamp = URI.create(sealsUrl.replaceAll("/+$", "") + "/api/v1/stamp");
        this.sealId = sealId;
        this.credentials = credentials;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Blocking: call on a worker thread. */
    public byte[] report(VerificationReport report, String documentName, byte[] document) {
        byte[] pdf = ReportDocument.render(report, documentName, sha256(document), ReportDocument.defaultFont());
        return seal(pdf);
    }

    /** The report PDF sealed by the seal service, or {@link Unavailable}. */
    byte[] seal(byte[] pdf) {
        var headers = headers();
        String boundary = "yinxin-" + UUID.randomUUID();
        HttpRequest.Builder request = RequestIds.on(HttpRequest.newBuilder(stamp)).timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/pdf, application/problem+json")
                // named in the seal service's signing record of this stamp (service-common SigningRecord)
                .header("X-Yinxin-Source", "verifier:report")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form(boundary, pdf)));
        headers.forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Unavailable("The seal service cannot be reached to seal the report (" + e.getMessage() + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("Interrupted while the seal service sealed the report.");
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, pdf.length + MAX_GROWTH_BYTES + 1));
        } catch (IOException e) {
            throw new Unavailable("The seal service's answer broke off (" + e.getMessage() + ").");
        }
        if (response.statusCode() != 200) {
            throw new Unavailable("The seal service refused to seal the report with seal '" + sealId + "' (HTTP "
                    + response.statusCode() + refusal(body) + ").");
        }
        if (body.length > pdf.length + MAX_GROWTH_BYTES || !startsWithPdfHeader(body)) {
            throw new Unavailable("The seal service's answer is not a sealed report.");
        }
        return body;
    }

    private Map<String, String> headers() {
        try {
            return credentials.headers();
        } catch (ServiceCredentials.Unavailable e) {
            throw new Unavailable("The verifier cannot sign in at the seal service: " + e.getMessage() + ".");
        }
    }

    /** The stamp API's form: the PDF, the seal, where it goes, why; the level is the seal's default. */
    private byte[] form(String boundary, byte[] pdf) {
        var out = new ByteArrayOutputStream(pdf.length + 1024);
        field(out, boundary, "sealId", sealId);
        field(out, boundary, "page", String.valueOf(PAGE));
        field(out, boundary, "x", String.valueOf(X_MM));
        field(out, boundary, "y", String.valueOf(Y_MM));
        field(out, boundary, "reason", REASON);
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"verification-report.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(pdf);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String boundary, String name, String value) {
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The refusal's problem type, when the seal service sent a problem document. Its detail (which client, which
     * seal list) is the seal service's business, not the public's: it goes to the log only.
     */
    private static String refusal(byte[] body) {
        try {
            JsonObject problem = new JsonObject(new String(body, StandardCharsets.UTF_8));
            String type = problem.getString("type", "");
            String detail = problem.getString("detail", "");
            if (!detail.isEmpty()) {
                // the logger named as before the packages were split (issue 21)
                Logger.getLogger("cn.yinxin.verifier.ReportSealer").warning(
                        "The seal service refused a report stamp: " + detail);
            }
            return type.isEmpty() ? "" : " " + type.replaceFirst("^urn:yinxin:problem:", "");
        } catch (DecodeException | ClassCastException e) {
            return "";
        }
    }

    private static boolean startsWithPdfHeader(byte[] body) {
        return body.length > 5 && new String(body, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-");
    }

    private static String sha256(byte[] document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
