package cn.yinxin.verifier;

import cn.yinxin.core.pdf.RevocationCheck;
import cn.yinxin.core.pki.RevocationSource;
import org.bouncycastle.asn1.x509.Extension;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the certificate that signed a QR code is revoked, asked online of the OCSP responder it names (else its
 * CRL). An answer counts only when signed by the certificate's issuer or by a responder the issuer certified for
 * OCSP signing. Answers are kept for a minute, so a queue of officers scanning codes of one seal asks once.
 * The fetching and checking is core/pdf's RevocationCheck, as for PDF signatures (which look at embedded data first).
 */
final class SignerRevocation {

    enum State { GOOD, REVOKED, UNKNOWN, UNAVAILABLE, NOT_CHECKABLE }

    record Status(State state, Instant revokedAt, String reason, String source, Instant producedAt) {
    }

    static final Duration KEEP = Duration.ofSeconds(60);

    private final RevocationSource online;
    private final Clock clock;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    private record Kept(Status status, Instant until) {
    }

    /** @param online null: the verifier is configured offline, nothing is asked */
    SignerRevocation(RevocationSource online, Clock clock) {
        this.online = online;
        this.clock = clock;
    }

    boolean online() {
        return online != null;
    }

    Status status(X509Certificate certificate, X509Certificate issuer) {
        boolean named = certificate.getExtensionValue(Extension.authorityInfoAccess.getId()) != null
                || certificate.getExtensionValue(Extension.cRLDistributionPoints.getId()) != null;
        if (!named) {
            return new Status(State.NOT_CHECKABLE, null, null, null, null);
        }
        if (online == null) {
            return new Status(State.UNAVAILABLE, null, null, "the verifier is configured offline", null);
        }
        String key = issuer.getSubjectX500Principal().getName() + "#" + certificate.getSerialNumber();
        Kept known = kept.get(key);
        Instant now = clock.instant();
        if (known != null && now.isBefore(known.until())) {
            return known.status();
        }
        Status status = ask(certificate, issuer);
        if (status.state() != State.UNAVAILABLE) {
            kept.put(key, new Kept(status, now.plus(KEEP)));
        }
        return status;
    }

    /** Asks the OCSP responder (else the CRL) through core's RevocationCheck, the one PDF signatures use. */
    private Status ask(X509Certificate certificate, X509Certificate issuer) {
        RevocationCheck.Status found = new RevocationCheck(online).status(certificate, issuer);
        String source = found.source() == null ? null : switch (found.source()) {
            case "OCSP response fetched now" -> "OCSP";
            case "CRL fetched now" -> "CRL";
            default -> found.source();
        };
        return new Status(State.valueOf(found.state().name()), found.revokedAt(), found.reason(), source,
                found.issuedAt());
    }
}
