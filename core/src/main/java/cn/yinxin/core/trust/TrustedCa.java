package cn.yinxin.core.trust;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Set;

/**
 * A CA that the platform recognises, and for what (mutual recognition): its own CAs and other provinces' or
 * commercial CAs registered by an administrator.
 */
public record TrustedCa(String name, X509Certificate certificate, Set<Purpose> trustedFor, Instant validFrom,
                        Instant validUntil, boolean own) {

    /** What a recognised CA's certificates may be used for. */
    public enum Purpose { AGENCY_SEALS, PERSONAL_SIGNATURES, TIME_STAMPS }

    public boolean validAt(Instant when) {
        return !when.isBefore(validFrom) && !when.isAfter(validUntil);
    }
}
