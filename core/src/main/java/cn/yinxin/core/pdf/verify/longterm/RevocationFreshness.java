package cn.yinxin.core.pdf.verify.longterm;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * When revocation data a document carries (its DSS dictionary) says anything about a signature (ETSI EN 319 102-1
 * revocation freshness): an OCSP answer or a CRL proves only what its issuer knew when it was issued, so one issued
 * before the signature's best-signature-time (the time a verified signature time-stamp proves, else the validation
 * time) cannot show a revocation in between. It counts only when issued no earlier than {@code window} before that
 * time. A revocation is final, so a REVOKED answer counts whatever its age.
 *
 * <p>Why a window at all: the clocks of a TSA and of an OCSP responder or CA differ by seconds, and the data carry
 * whole seconds. Why small by default: a forger who keeps an answer fetched while the seal was good could otherwise
 * use it for as long as the window lasts after the seal is revoked. A deployment that must accept long-term
 * documents whose CRLs were issued before their time-stamp (a CA publishing CRLs daily) may widen it to the CA's
 * publication interval, knowing that a revocation within that interval before a signature then goes unseen
 * offline.
 *
 * @param window how long before the best-signature-time embedded data may be issued and still count; not negative
 */
public record RevocationFreshness(Duration window) {

    /** One minute: clock differences between a TSA and a responder, no more. */
    public static final RevocationFreshness DEFAULT = new RevocationFreshness(Duration.ofMinutes(1));

    public RevocationFreshness {
        if (window == null || window.isNegative()) {
            throw new IllegalArgumentException("the revocation freshness window must be zero or more, not " + window);
        }
    }

    /** From YINXIN_VERIFY_REVOCATION_FRESHNESS_SECONDS (60 when not set), read through {@code setting}. */
    public static RevocationFreshness fromSettings(UnaryOperator<String> setting) {
        String value = setting.apply("YINXIN_VERIFY_REVOCATION_FRESHNESS_SECONDS");
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            return new RevocationFreshness(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("YINXIN_VERIFY_REVOCATION_FRESHNESS_SECONDS is not a whole number of "
                    + "seconds: " + value, e);
        }
    }
}
