package cn.yinxin.core.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When an authentic trust list may be used, and when it may replace the one kept. A signature alone does not
 * settle that: an old genuine list replayed, or a genuine list kept long after its {@code nextUpdate}, would keep
 * a CA recognised after it was dropped; a list whose {@code sequence} is far ahead (a slip of the signer, or a key
 * misused once) would lock every later genuine list out for good, as lists only move forward.
 *
 * @param grace           how long after its {@code nextUpdate} a list may still be used, when no newer one can be
 *                        had (an offline verifier); after that it is not used at all (fail closed)
 * @param maxSequenceJump how far ahead of the kept list's sequence a new one may be
 * @param allowedSkew     how far the signer's clock may run ahead of ours ({@code issuedAt} in the future)
 */
public record TrustListRules(Duration grace, long maxSequenceJump, Duration allowedSkew) {

    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    public static final long DEFAULT_MAX_SEQUENCE_JUMP = 1000;
    public static final TrustListRules DEFAULTS = new TrustListRules(DEFAULT_GRACE, DEFAULT_MAX_SEQUENCE_JUMP,
            Duration.ofMinutes(5));

    public TrustListRules {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(allowedSkew, "allowedSkew");
        if (grace.isNegative() || allowedSkew.isNegative() || maxSequenceJump < 1) {
            throw new IllegalArgumentException("grace and skew are not negative, the sequence jump is at least 1");
        }
    }

    /** The first instant at which {@code list} is no longer used. */
    public Instant usableUntil(TrustList list) {
        return list.nextUpdate().plus(grace);
    }

    /** Whether {@code list} may be used at {@code now}: not after its nextUpdate plus the grace. */
    public boolean usable(TrustList list, Instant now) {
        return now.isBefore(usableUntil(list));
    }

    /**
     * Why {@code candidate} (authentic) may not replace {@code kept} (null: none) at {@code now}, or null when it
     * may. An equal sequence is allowed (the same list fetched again).
     */
    public String refusal(TrustList candidate, TrustList kept, Instant now) {
        if (candidate.sequence() < 0) {
            return "its sequence " + candidate.sequence() + " is negative";
        }
        if (candidate.nextUpdate().isBefore(candidate.issuedAt())) {
            return "its nextUpdate " + candidate.nextUpdate() + " is before its issuedAt " + candidate.issuedAt();
        }
        if (candidate.issuedAt().isAfter(now.plus(allowedSkew))) {
            return "it says it was issued at " + candidate.issuedAt() + ", in the future";
        }
        if (!usable(candidate, now)) {
            return "it was due to be replaced at " + candidate.nextUpdate() + " and is past the grace of "
                    + grace.toSeconds() + " s";
        }
        if (kept != null) {
            if (candidate.sequence() < kept.sequence()) {
                return "its sequence " + candidate.sequence() + " is older than the kept list's " + kept.sequence();
            }
            // both are not negative here (the kept one passed this check), so the difference cannot overflow
            if (candidate.sequence() - kept.sequence() > maxSequenceJump) {
                return "its sequence " + candidate.sequence() + " jumps more than " + maxSequenceJump
                        + " ahead of the kept list's " + kept.sequence();
            }
        }
        return null;
    }
}
