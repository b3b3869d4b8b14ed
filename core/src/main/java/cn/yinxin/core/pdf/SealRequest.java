package cn.yinxin.core.pdf;

import cn.yinxin.core.pki.SealKey;

import java.time.Instant;
import java.util.Objects;

/**
 * One seal to put on one PDF: whose key signs, what the reader sees and where, and the claimed signing time
 * that goes into the signature dictionary's /M.
 */
public record SealRequest(SealKey key, SealAppearance appearance, SealPlacement placement,
                          String sealName, String reason, Instant signingTime, SignatureLevel level) {

    /** A PAdES-BASELINE-B seal. */
    public SealRequest(SealKey key, SealAppearance appearance, SealPlacement placement, String sealName, String reason,
                       Instant signingTime) {
        this(key, appearance, placement, sealName, reason, signingTime, SignatureLevel.B_B);
    }

    public SealRequest {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(appearance, "appearance");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(sealName, "sealName");
        Objects.requireNonNull(signingTime, "signingTime");
    }
}
