package cn.yinxin.core.pdf;

/**
 * Where a seal goes: a page (1-based) and the seal's centre in millimetres from the top-left corner of the page
 * as a reader sees it (after /Rotate, inside the CropBox). This is how a clerk measures on paper.
 */
public record SealPlacement(int page, double xMm, double yMm, String anchor) {

    public SealPlacement(int page, double xMm, double yMm) {
        this(page, xMm, yMm, null);
    }

    /** Centred on a text of the page (or, with page 0, of the first page that has it), found when sealing. */
    public static SealPlacement atText(int page, String anchor) {
        return new SealPlacement(page, 0, 0, anchor);
    }
}
