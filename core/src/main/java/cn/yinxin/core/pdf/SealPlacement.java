package cn.yinxin.core.pdf;

import java.util.List;

/**
 * Where a seal goes: a page (1-based) and the seal's centre in millimetres from the top-left corner of the page
 * as a reader sees it (after /Rotate, inside the CropBox). This is how a clerk measures on paper.
 */
public record SealPlacement(int page, double xMm, double yMm, String anchor, List<Integer> crossPages) {

    public SealPlacement {
        crossPages = crossPages == null ? null : List.copyOf(crossPages);
    }

    public SealPlacement(int page, double xMm, double yMm) {
        this(page, xMm, yMm, null, null);
    }

    /** Centred on a text of the page (or, with page 0, of the first page that has it), found when sealing. */
    public static SealPlacement atText(int page, String anchor) {
        return new SealPlacement(page, 0, 0, anchor, null);
    }

    /**
     * A cross-page seal (骑缝章): the seal image cut into as many vertical strips as {@code pages}, one strip at the
     * outer (right) edge of each page, its centre {@code yMm} from the top; one signature backs all of them.
     */
    public static SealPlacement acrossPages(List<Integer> pages, double yMm) {
        if (pages == null || pages.size() < 2) {
            throw new IllegalArgumentException("a cross-page seal spans two pages or more");
        }
        return new SealPlacement(pages.get(0), 0, yMm, null, pages);
    }
}
