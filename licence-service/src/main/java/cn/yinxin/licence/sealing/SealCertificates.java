package cn.yinxin.licence.sealing;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.licence.LicenceProperties;
import cn.yinxin.service.metrics.OutgoingCalls;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificates of seals ({@code GET /api/v1/seals/{id}/certificates}: the current one, then those it had before
 * renewals), kept for ten minutes: what the licence service needs to check the codes its seals signed
 * (presentation codes). A seal renewed meanwhile signs with a new key: {@link #forgetAll} lets a code with an
 * unknown key id bring the new certificate at once.
 */
@Component
public class SealCertificates {

    private static final Duration KEEP = Duration.ofMinutes(10);

    /** One of a seal's certificates; {@code replacedAt} is null for the current one. */
    public record SealCertificate(X509Certificate certificate, Instant replacedAt) {
    }

    private record Kept(List<SealCertificate> certificates, Instant until) {
    }

    private final RestClient http;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private Instant lastForgotten = Instant.EPOCH;

    /** The service's clock (LicenceServiceApplication): what decides a date or an expiry. */
    private final Clock clock;

    public SealCertificates(LicenceProperties properties, MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.http = RestClient.builder().baseUrl(properties.sealServiceUrl().toString())
                .requestInterceptor(OutgoingCalls.to(meters, "seal-service")).build();
    }

    /**
     * Forgets every kept certificate, so the next {@link #of} asks the seal service again; at most once per
     * {@code interval}, so a flood of codes with unknown key ids cannot flood the seal service. Whether it did.
     */
    public synchronized boolean forgetAll(Duration interval) {
        Instant now = clock.instant();
        if (now.isBefore(lastForgotten.plus(interval))) {
            return false;
        }
        lastForgotten = now;
        kept.clear();
        return true;
    }

    /** The seal's certificates, the current one first. */
    public List<SealCertificate> of(String sealId) {
        Kept k = kept.get(sealId);
        if (k != null && clock.instant().isBefore(k.until())) {
            return k.certificates();
        }
        try {
            JsonNode list = http.get().uri("/api/v1/seals/{id}/certificates", sealId).retrieve().body(JsonNode.class);
            List<SealCertificate> certificates = new ArrayList<>();
            for (JsonNode entry : list == null ? List.<JsonNode>of() : list.valueStream().toList()) {
                List<X509Certificate> chain = Pem.readCertificates(entry.path("chain").asString("")
                        .getBytes(StandardCharsets.US_ASCII));
                if (chain.isEmpty()) {
                    continue;
                }
                boolean current = entry.path("current").asBoolean(false);
                String replaced = entry.path("replacedAt").asString(null);
                if (current) {
                    certificates.addFirst(new SealCertificate(chain.get(0), null));
                } else if (replaced != null) {
                    certificates.add(new SealCertificate(chain.get(0), Instant.parse(replaced)));
                }
            }
            if (certificates.isEmpty() || certificates.get(0).replacedAt() != null) {
                throw new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, "The seal service gave no current "
                        + "certificate for " + sealId + ".");
            }
            List<SealCertificate> result = List.copyOf(certificates);
            kept.put(sealId, new Kept(result, clock.instant().plus(KEEP)));
            return result;
        } catch (RestClientException | GeneralSecurityException | DateTimeParseException e) {
            throw new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, "The certificates of seal " + sealId
                    + " cannot be read from the seal service: " + e.getMessage());
        }
    }
}
