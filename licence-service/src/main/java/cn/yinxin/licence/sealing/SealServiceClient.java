package cn.yinxin.licence.sealing;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.licence.LicenceProperties;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import jakarta.annotation.PreDestroy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import cn.yinxin.service.audit.SigningRecord;
import cn.yinxin.service.metrics.OutgoingCalls;
import cn.yinxin.service.security.ServiceTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@link SealService} over HTTP: the seal service's API, with the licence service's own token, the request id and
 * the signing source on every call, each call timed. A refusal (4xx) is {@link SealService.Refused}, an outage or no
 * answer a 503 problem, and the licence change it belonged to is not made.
 */
@Component
public class SealServiceClient implements SealService {

    /** Connections to the seal service at most by default (issuance threads, import workers, side-by-side parts). */
    static final int MAX_CONNECTIONS = 64;
    private final RestClient http;
    private final CloseableHttpClient client;

    public SealServiceClient(LicenceProperties properties, ServiceTokens tokens, MeterRegistry meters) {
        this(properties, tokens, meters, MAX_CONNECTIONS, AGENCY_KEPT);
    }

    /**
     * @param connections connections to the seal service at most ({@code yinxin.licence.seal-service-connections})
     * @param agencyKept  how long a seal's agency is kept ({@code yinxin.licence.seal-agency-kept}; zero: asked
     *                    every time)
     */
    @Autowired
    public SealServiceClient(LicenceProperties properties, ServiceTokens tokens, MeterRegistry meters,
                             @Value("${yinxin.licence.seal-service-connections:64}") int connections,
                             @Value("${yinxin.licence.seal-agency-kept:PT60S}") Duration agencyKept) {
        if (connections < 1 || agencyKept.isNegative()) {
            // fail closed: a pool of no connection or a negative keeping time is a mistake, not a setting
            throw new IllegalStateException("yinxin.licence.seal-service-connections must be at least 1 and "
                    + "yinxin.licence.seal-agency-kept not negative (were " + connections + ", " + agencyKept + ")");
        }
        this.agencyKept = agencyKept;
        // Apache HttpClient: a pool of kept-alive connections with TCP_NODELAY, blocking calls on the caller's thread.
        // The JDK's HttpClient handed every call through its selector thread and a chain of futures (~10 % of
        // issuing a licence in a profile, and a cancelled timeout future per answer); HttpURLConnection streams a
        // body after its headers, which Nagle holds back for the headers' acknowledgement, and keeps 5 connections
        Timeout timeout = Timeout.of(properties.sealServiceTimeout());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                        .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).setSoTimeout(timeout).build())
                        // a kept connection idle for 100 ms is checked before use (a 1 ms read at most): one the seal
                        // service closed (a restart, Tomcat's keep-alive timeout) is dropped instead of failing the
                        // call
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).setValidateAfterInactivity(TimeValue.ofMilliseconds(100))
                                .build())
                        .build())
                // no proxy (no system properties read), no redirect, no cookies; a read (GET) whose connection broke
                // before any answer is sent once more (a connection closed just before it was checked, as under
                // load); a stamp or a code (POST) never: it must not be made twice
                .setRetryStrategy(new ReadsOnceMore())
                .disableRedirectHandling().disableCookieManagement().build();
        var factory = new HttpComponentsClientHttpRequestFactory(client);
        factory.setConnectionRequestTimeout(properties.sealServiceTimeout());
        factory.setReadTimeout(properties.sealServiceTimeout());
        this.http = RestClient.builder().baseUrl(properties.sealServiceUrl().toString()).requestFactory(factory)
                .requestInterceptor(tokens.interceptor())
                // the request id into the seal service's logs; each call timed as yinxin.calls{target=seal-service}
                .requestInterceptor(OutgoingCalls.to(meters, "seal-service"))
                .requestInterceptor((request, body, execution) -> {
                    // the seal service writes it into the signing record of each stamp and code
                    request.getHeaders().set(SigningRecord.SOURCE_HEADER, SigningSource.current());
                    return execution.execute(request, body);
                }).build();
    }

    @PreDestroy
    void close() {
        client.close(CloseMode.GRACEFUL);
    }

    /** How long a seal's agency is taken from {@link #agencies} before it is asked again, by default. */
    static final Duration AGENCY_KEPT = Duration.ofSeconds(60);
    private final Duration agencyKept;
    private record Kept(SealInfo seal, long until) {
    }
    private final Map<String, Kept> agencies = new ConcurrentHashMap<>();

    /** One round trip less per licence (its issuer's name and code, asked for every issuance before). */
    @Override
    public SealInfo agencyOf(String sealId) {
        long now = System.nanoTime();
        Kept kept = agencies.get(sealId);
        if (kept != null && now - kept.until() < 0) {
            return kept.seal();
        }
        SealInfo seal = seal(sealId);
        agencies.put(sealId, new Kept(seal, now + agencyKept.toNanos()));
        return seal;
    }

    @Override
    public SealInfo seal(String sealId) {
        return call("read seal " + sealId, () -> http.get().uri("/api/v1/seals/{id}", sealId).retrieve()
                .body(SealInfo.class));
    }

    @Override
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

    @Override
    public byte[] stampOfd(String sealId, byte[] ofd, int page, double xMm, double yMm, String level, String reason) {
        return stampFile("licence.ofd", "seal the licence OFD", sealId, ofd, page, xMm, yMm, level, reason);
    }

    @Override
    public String signCode(String sealId, CwtClaims claims) {
        return call("sign a QR code", () -> http.post().uri("/api/v1/seals/{id}/codes", sealId)
                .contentType(MediaType.parseMediaType("application/cbor")).body(claims.toCbor()).retrieve()
                .body(String.class));
    }

    @Override
    public byte[] signToken(String sealId, CwtClaims claims) {
        return call("sign a status list", () -> http.post().uri("/api/v1/seals/{id}/tokens", sealId)
                .contentType(MediaType.parseMediaType("application/cbor")).body(claims.toCbor()).retrieve()
                .body(byte[].class));
    }

    @Override
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

    /**
     * HttpClient's retry rule for idempotent requests (GET) only, once, at once, when no answer came (the connection
     * broke; its own list of exceptions not worth a retry); never on an answer's status, never for a POST.
     */
    static final class ReadsOnceMore extends DefaultHttpRequestRetryStrategy {

        ReadsOnceMore() {
            super(1, TimeValue.ZERO_MILLISECONDS);
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false; // a 429 or 503 is the seal service's answer: the caller decides, as for any status
        }
    }
}
