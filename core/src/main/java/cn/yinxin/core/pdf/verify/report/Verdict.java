package cn.yinxin.core.pdf.verify.report;

/** The answer for a whole document, for the clerk who asked. */
public enum Verdict {
    /** Every signature passed and nothing was changed after signing that is not allowed. */
    VALID(0),
    /** A signature failed, or the document was changed after it was sealed. */
    INVALID(1),
    /** Nothing proves it wrong, but something needed to prove it right is missing (for example a trusted chain). */
    INDETERMINATE(2),
    /** The document carries no signature at all. */
    NOT_SIGNED(1);

    private final int exitCode;

    Verdict(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The command-line exit code: 0 valid, 1 invalid, 2 cannot tell. */
    public int exitCode() {
        return exitCode;
    }
}
