package cn.yinxin.licence.sealing;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.licence.LicenceProperties;
import cn.yinxin.service.metrics.OutgoingCalls;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import cn.yinxin.service.security.ServiceTokens;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The licence service's calls to the seal service, which holds the keys: the seal's owner, a signed QR code, a
 * signed status list, a sealed PDF. A refusal or an outage is a clear problem, and the licence change it belonged
 * to is not made.
 */
@Component
public class SealService {

    /** What the licence service needs to know of a seal. */
    public record SealInfo(String id, String name, String agency, String agencyCode, String status) {
    }

    private final RestClient http;

    public SealService(LicenceProperties properties, ServiceTokens tokens, MeterRegistry meters) {
        var factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(properties.sealServiceTimeout()).build());
        factory.setReadTimeout(properties.sealServiceTimeout());
        this.http = RestClient.builder().baseUrl(properties.sealServiceUrl().toString()).requestFactory(factory)
                .requestInterceptor(tokens.interceptor())
                // the request id into the seal service's logs; each call timed as yinxin.calls{target=seal-service}
                .requestInterceptor(OutgoingCalls.to(meters, "seal-service"))
                .requestInterceptor((request, body, execution) -> {
                    // the seal service writes it into the signing record of each stamp and code
                    request.getHeaders().set(SOURCE_HEADER, SOURCE.get());
                    return execution.execute(request, body);
                }).build();
    }

    /** The header the seal service reads the source of a signing from (service-common SigningRecord). */
    static final String SOURCE_HEADER = "X-Yinxin-Source";
    /** What this thread's seal-service calls are made for: the licence API by default, or one bulk import row. */
    private static final ThreadLocal<String> SOURCE = ThreadLocal.withInitial(() -> "licence-service");

    /** Runs {@code work} with its seal-service calls labelled {@code source} (letters, digits and {@code ._:/-}). */
    public static <T> T from(String source, Supplier<T> work) {
        String before = SOURCE.get();
        SOURCE.set(source);
        try {
            return work.get();
        } finally {
            SOURCE.set(before);
        }
    }

    public SealInfo seal(String sealId) {
        return call("read seal " + sealId, () -> http.get().uri("/api/v1/seals/{id}", sealId).retrieve()
                .body(SealInfo.class));
    }

    /** Whether the seal has a GB/T 38540 seal (an SM2 seal created or imported with one): it can seal an OFD. */
    public boolean hasNationalSeal(String sealId) {
        try {
            http.get().uri("/api/v1/seals/{id}/seseal", sealId).retrieve().toBodilessEntity();
            return true;
        } catch (RestClientResponseException e) {
            if (e.getStatusCode().value() == 404) {
                return false;
            }
            return call("read the GB/T 38540 seal of " + sealId, () -> {
                throw e;
            });
        } catch (RestClientException e) {
            return call("read the GB/T 38540 seal of " + sealId, () -> {
                throw e;
            });
        }
    }

    /**
     * The OFD sealed with the seal's GB/T 38540 seal, its centre at (x, y) mm from the top-left of the page; {@code
     * level} B_B (OFD-SES-B) or B_T (OFD-SES-T, with a time-stamp).
     */
    public byte[] stampOfd(String sealId, byte[] ofd, int page, double xMm, double yMm, String level, String reason) {
        return stampFile("licence.ofd", "seal the licence OFD", sealId, ofd, page, xMm, yMm, level, reason);
    }

    /** The printable text of a QR code carrying {@code claims}, signed with the seal's key. */
    public String signCode(String sealId, CwtClaims claims) {
        return call("sign a QR code", () -> http.post().uri("/api/v1/seals/{id}/codes", sealId)
                .contentType(MediaType.parseMediaType("application/cbor")).body(claims.toCbor()).retrieve()
                .body(String.class));
    }

    /** A COSE_Sign1 token over {@code claims} (a status list), signed with the seal's key. */
    public byte[] signToken(String sealId, CwtClaims claims) {
        return call("sign a status list", () -> http.post().uri("/api/v1/seals/{id}/tokens", sealId)
                .contentType(MediaType.parseMediaType("application/cbor")).body(claims.toCbor()).retrieve()
                .body(byte[].class));
    }

    /** The PDF sealed with the seal, its centre at (x, y) mm from the top-left of the page. */
    public byte[] stamp(String sealId, byte[] pdf, int page, double xMm, double yMm, String level, String reason) {
        return stampFile("licence.pdf", "seal the licence PDF", sealId, pdf, page, xMm, yMm, level, reason);
    }

    /** {@code POST /api/v1/stamp} with one file: the seal service tells a PDF from an OFD by its bytes. */
    private byte[] stampFile(String fileName, String what, String sealId, byte[] file, int page, double xMm, double yMm,
                             String level, String reason) {
        var form = new LinkedMultiValueMap<String, Object>();
        form.add("file", new ByteArrayResource(file) {
            @Override
            public String getFilename() {
                return fileName;
            }
        });
        form.add("sealId", sealId);
        form.add("page", String.valueOf(page));
        form.add("x", String.valueOf(xMm));
        form.add("y", String.valueOf(yMm));
        form.add("level", level);
        form.add("reason", reason);
        return call(what, () -> http.post().uri("/api/v1/stamp")
                .contentType(MediaType.MULTIPART_FORM_DATA).body(form).retrieve().body(byte[].class));
    }

    /**
     * The seal service refused the request itself (a 4xx answer): the same request would be refused again, so
     * it is not an outage to wait out. Callers of the licence API see the same problem type as before.
     */
    public static final class Refused extends RejectedException {
        Refused(String detail) {
            super(Problem.SEAL_SERVICE_UNAVAILABLE, detail);
        }
    }

    private static <T> T call(String what, Supplier<T> request) {
        try {
            T answer = request.get();
            if (answer == null) {
                throw new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, "The seal service gave no answer when asked to " + what + ".");
            }
            return answer;
        } catch (RestClientResponseException e) {
            String detail = "The seal service refused to " + what + " (HTTP " + e.getStatusCode().value() + "): "
                    + e.getResponseBodyAsString(StandardCharsets.UTF_8);
            int status = e.getStatusCode().value();
            // a 4xx is the seal service's answer to this very request (not permitted, seal not usable, bad input):
            // asking again gives the same answer; 408 and 429 only say "not now"
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                throw new Refused(detail);
            }
            throw new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, detail);
        } catch (RestClientException e) {
            throw new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, "The seal service cannot be reached to " + what
                    + ": " + e.getMessage());
        }
    }
}
