package cn.yinxin.licence.sealing;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.licence.LicenceProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificates of seals (the first of the seal service's PEM chain), kept for ten minutes: what the licence
 * service needs to check the codes its seals signed (presentation codes). A seal renewed meanwhile signs with a new
 * key: {@link #forgetAll} lets a code with an unknown key id bring the new certificate at once.
 */
@Component
public class SealCertificates {

    private static final Duration KEEP = Duration.ofMinutes(10);

    private record Kept(X509Certificate certificate, Instant until) {
    }

    private final RestClient http;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private Instant lastForgotten = Instant.EPOCH;

    public SealCertificates(LicenceProperties properties) {
        this.http = RestClient.builder().baseUrl(properties.sealServiceUrl().toString()).build();
    }

    /**
     * Forgets every kept certificate, so the next {@link #of} asks the seal service again; at most once per
     * {@code interval}, so a flood of codes with unknown key ids cannot flood the seal service. Whether it did.
     */
    public synchronized boolean forgetAll(Duration interval) {
        Instant now = Instant.now();
        if (now.isBefore(lastForgotten.plus(interval))) {
            return false;
        }
        lastForgotten = now;
        kept.clear();
        return true;
    }

    public X509Certificate of(String sealId) {
        Kept k = kept.get(sealId);
        if (k != null && Instant.now().isBefore(k.until())) {
            return k.certificate();
        }
        try {
            String pem = http.get().uri("/api/v1/seals/{id}/certificate", sealId).retrieve().body(String.class);
            List<X509Certificate> chain = Pem.readCertificates(pem == null ? new byte[0] : pem.getBytes(StandardCharsets.US_ASCII));
            if (chain.isEmpty()) {
                throw new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, "The seal service gave no certificate for " + sealId + ".");
            }
            kept.put(sealId, new Kept(chain.get(0), Instant.now().plus(KEEP)));
            return chain.get(0);
        } catch (RestClientException | GeneralSecurityException e) {
            throw new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, "The certificate of seal " + sealId
                    + " cannot be read from the seal service: " + e.getMessage());
        }
    }
}
