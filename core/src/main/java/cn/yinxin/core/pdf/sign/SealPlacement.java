package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.util.List;

/**
 * Where a seal goes: a page (1-based) and the seal's centre in millimetres from the top-left corner of the page
 * as a reader sees it (after /Rotate, inside the CropBox). This is how a clerk measures on paper. Or an empty
 * signature field that the document's author prepared ({@link #inField}).
 */
public record SealPlacement(int page, double xMm, double yMm, String anchor, List<Integer> crossPages, String field) {

    public SealPlacement {
        // NaN passes every "less than 0 / greater than the page" bound: a seal at x=NaN was sealed with a /Rect of
        // NaN that no reader draws (an invisible seal); an infinite centre is off every page
        if (!Double.isFinite(xMm) || !Double.isFinite(yMm)) {
            throw new RejectedException(Problem.PLACEMENT_OUTSIDE_PAGE, "The centre (" + xMm + " mm, " + yMm
                    + " mm) is not a place on a page: give finite millimetres.");
        }
        crossPages = crossPages == null ? null : List.copyOf(crossPages);
    }

    public SealPlacement(int page, double xMm, double yMm, String anchor, List<Integer> crossPages) {
        this(page, xMm, yMm, anchor, crossPages, null);
    }

    public SealPlacement(int page, double xMm, double yMm) {
        this(page, xMm, yMm, null, null, null);
    }

    /** Centred on a text of the page (or, with page 0, of the first page that has it), found when sealing. */
    public static SealPlacement atText(int page, String anchor) {
        return new SealPlacement(page, 0, 0, anchor, null, null);
    }

    /**
     * In the empty signature field of this name (its fully qualified name): the signature fills that field, centred
     * on its widget; a handwritten signature takes the widget's size. The page and centre are found when sealing.
     */
    public static SealPlacement inField(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name the signature field");
        }
        return new SealPlacement(0, 0, 0, null, null, name);
    }

    /**
     * A cross-page seal (骑缝章): the seal image cut into as many vertical strips as {@code pages}, one strip at the
     * outer (right) edge of each page, its centre {@code yMm} from the top; one signature backs all of them.
     */
    public static SealPlacement acrossPages(List<Integer> pages, double yMm) {
        if (pages == null || pages.size() < 2) {
            throw new IllegalArgumentException("a cross-page seal spans two pages or more");
        }
        return new SealPlacement(pages.get(0), 0, yMm, null, pages, null);
    }
}
