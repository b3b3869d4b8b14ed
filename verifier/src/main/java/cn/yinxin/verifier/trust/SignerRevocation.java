package cn.yinxin.verifier.trust;

import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pki.revocation.RevocationSource;
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
public final class SignerRevocation {

    public enum State { GOOD, REVOKED, UNKNOWN, UNAVAILABLE, NOT_CHECKABLE }

    public record Status(State state, Instant revokedAt, String reason, String source, Instant producedAt) {
    }

    static final Duration KEEP = Duration.ofSeconds(60);

    private final RevocationSource online;
    private final Clock clock;
    /** By the signer's certificate (equal by its encoding; its hash code is kept by the certificate object). */
    private final Map<X509Certificate, Kept> kept = new ConcurrentHashMap<>();

    private record Kept(Status status, Instant until) {
    }

    /** @param online null: the verifier is configured offline, nothing is asked */
    public SignerRevocation(RevocationSource online, Clock clock) {
        this.online = online;
        this.clock = clock;
    }

    boolean online() {
        return online != null;
    }

    public Status status(X509Certificate certificate, X509Certificate issuer) {
        Status known = known(certificate);
        if (known != null) {
            return known;
        }
        Instant now = clock.instant();
        Status status = ask(certificate, issuer);
        if (status.state() != State.UNAVAILABLE) {
            kept.put(certificate, new Kept(status, now.plus(KEEP)));
        }
        return status;
    }

    /**
     * The status when it can be told without asking anyone (the certificate names no responder, the verifier is
     * offline, or an answer of the last minute is kept); null when {@link #status} would go online.
     */
    public Status known(X509Certificate certificate) {
        Kept known = kept.get(certificate);
        if (known != null && clock.instant().isBefore(known.until())) {
            return known.status();
        }
        boolean named = certificate.getExtensionValue(Extension.authorityInfoAccess.getId()) != null
                || certificate.getExtensionValue(Extension.cRLDistributionPoints.getId()) != null;
        if (!named) {
            return NOT_CHECKABLE;
        }
        if (online == null) {
            return OFFLINE;
        }
        return null;
    }

    private static final Status NOT_CHECKABLE = new Status(State.NOT_CHECKABLE, null, null, null, null);
    private static final Status OFFLINE = new Status(State.UNAVAILABLE, null, null, "the verifier is configured offline", null);

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
