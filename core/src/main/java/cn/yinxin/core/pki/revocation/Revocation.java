package cn.yinxin.core.pki.revocation;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A revoked or suspended certificate of one CA. The reason is an RFC 5280 CRLReason code; 6 (certificateHold)
 * is a suspension that may be released.
 */
public record Revocation(BigInteger serial, Instant revokedAt, int reason) {

    public static final int CERTIFICATE_HOLD = 6;

    /** RFC 5280 5.3.1 reason names, by code (7 is not used). */
    public static final String[] REASONS = {"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
        "superseded", "cessationOfOperation", "certificateHold", null, "removeFromCRL", "privilegeWithdrawn",
        "aACompromise"};

    /** The code of a reason name; -1 if there is no such reason (or it cannot be asked for, as removeFromCRL). */
    public static int reasonCode(String name) {
        for (int i = 0; i < REASONS.length; i++) {
            if (REASONS[i] != null && REASONS[i].equals(name) && i != 8) {
                return i;
            }
        }
        return -1;
    }
}
