package cn.yinxin.core.ofd.seal;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.ofd.OfdTextFinder;
import cn.yinxin.core.pdf.sign.SealPlacement;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a seal's appearance goes: one StampAnnot (GB/T 33190 section 18.2.3: PageRef, Boundary in the page's
 * millimetres, optional Clip) per page it shows on. A cross-page seal (骑缝章) is cut into as many vertical strips as
 * pages, strip k at the right edge of the k-th page: each page's StampAnnot has the whole seal's Boundary, shifted so
 * that strip k ends at the page edge, and a Clip (relative to the Boundary) that keeps only that strip.
 */
final class StampAnnots {

    /** One StampAnnot: the page, the seal's box, and the clip inside the box (null: the whole box). */
    record Stamp(OfdDocument.Page page, double[] boundary, double[] clip) {
    }

    private StampAnnots() {
    }

    static List<Stamp> place(OfdDocument document, SealPlacement placement, double width, double height,
                             OfdLimits limits) {
        if (placement.crossPages() != null) {
            return across(document, placement, width, height);
        }
        OfdDocument.Page page;
        double x;
        double y;
        if (placement.anchor() != null) {
            if (placement.anchor().isBlank()) {
                throw new RejectedException(Problem.INVALID_REQUEST, "The anchor text is empty.");
            }
            OfdTextFinder.Found found = null;
            page = null;
            List<OfdDocument.Page> candidates = placement.page() == 0 ? document.pages()
                    : List.of(existing(document, placement.page()));
            for (OfdDocument.Page candidate : candidates) {
                found = OfdTextFinder.find(document, candidate, placement.anchor(), limits);
                if (found != null) {
                    page = candidate;
                    break;
                }
            }
            if (found == null) {
                throw new RejectedException(Problem.ANCHOR_NOT_FOUND, "\"" + placement.anchor() + "\" is not on "
                        + (placement.page() == 0 ? "any page" : "page " + placement.page()) + ".");
            }
            x = found.xMm();
            y = found.yMm();
        } else {
            page = existing(document, placement.page());
            x = placement.xMm();
            y = placement.yMm();
        }
        double[] box = {x - width / 2, y - height / 2, width, height};
        if (box[0] < 0 || box[1] < 0 || box[0] + width > page.widthMm() || box[1] + height > page.heightMm()) {
            throw new RejectedException(Problem.PLACEMENT_OUTSIDE_PAGE, "A " + width + " x " + height
                    + " mm seal centred at (" + x + ", " + y + ") mm would not lie on page " + page.number() + " ("
                    + page.widthMm() + " x " + page.heightMm() + " mm).");
        }
        return List.of(new Stamp(page, box, null));
    }

    private static List<Stamp> across(OfdDocument document, SealPlacement placement, double width, double height) {
        List<Integer> numbers = placement.crossPages();
        double strip = width / numbers.size();
        List<Stamp> stamps = new ArrayList<>();
        for (int k = 0; k < numbers.size(); k++) {
            OfdDocument.Page page = existing(document, numbers.get(k));
            double top = placement.yMm() - height / 2;
            if (top < 0 || top + height > page.heightMm() || strip > page.widthMm()) {
                throw new RejectedException(Problem.PLACEMENT_OUTSIDE_PAGE, "The cross-page seal at " + placement.yMm()
                        + " mm from the top would not lie on page " + page.number() + ".");
            }
            double left = page.widthMm() - (k + 1) * strip;
            stamps.add(new Stamp(page, new double[] {left, top, width, height},
                    new double[] {k * strip, 0, strip, height}));
        }
        return stamps;
    }

    private static OfdDocument.Page existing(OfdDocument document, int number) {
        OfdDocument.Page page = document.page(number);
        if (page == null) {
            throw new RejectedException(Problem.PAGE_OUT_OF_RANGE, "Page " + number + " was asked for; the document "
                    + "has " + document.pages().size() + " page(s).");
        }
        return page;
    }
}
