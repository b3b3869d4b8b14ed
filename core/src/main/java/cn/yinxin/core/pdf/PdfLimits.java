package cn.yinxin.core.pdf;

/**
 * How large a document may be in pages and objects before it is refused: a bound on the work and memory one
 * request can cause. The byte size is bounded at the HTTP edge.
 */
public record PdfLimits(int maxPages, int maxObjects) {

    public static final PdfLimits DEFAULT = new PdfLimits(5_000, 2_000_000);

    public PdfLimits {
        if (maxPages < 1 || maxObjects < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
