package cn.yinxin.core.pdf.verify;

/**
 * A document asked for more work than {@link VerificationLimits} allow (a stream that inflates too far, too many
 * fields, too long a verification...). Unchecked so that it crosses PDFBox's callbacks and our own loops alike; the
 * verifier turns it into an INDETERMINATE answer that names the limit, never into a failure of its own.
 */
public final class LimitExceededException extends RuntimeException {

    private final VerificationLimits.Limit limit;

    public LimitExceededException(VerificationLimits.Limit limit, String detail) {
        super(detail, null, false, false);
        this.limit = limit;
    }

    /** Which limit was reached (its {@link VerificationLimits.Limit#slug() slug} is stable). */
    public VerificationLimits.Limit limit() {
        return limit;
    }
}
