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

    /**
     * What a recognised CA's certificates may be used for. SEAL_MAKING is another kind of entry: not a CA but one
     * seal maker's own certificate (another product's or province's), whose GB/T 38540 seals are then believed
     * although it carries no seal-making key purpose of ours; it is never a trust anchor.
     */
    public enum Purpose {
        AGENCY_SEALS, PERSONAL_SIGNATURES, TIME_STAMPS, SEAL_MAKING;

        /** What a CA may be trusted for (SEAL_MAKING names a maker's certificate, not a CA). */
        public static final java.util.Set<Purpose> OF_A_CA = java.util.EnumSet.of(AGENCY_SEALS, PERSONAL_SIGNATURES,
                TIME_STAMPS);
    }

    public boolean validAt(Instant when) {
        return !when.isBefore(validFrom) && !when.isAfter(validUntil);
    }
}
