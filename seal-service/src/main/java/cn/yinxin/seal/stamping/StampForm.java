package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SignatureLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * What the form fields of {@code POST /api/v1/stamp} mean, the same for a PDF and an OFD: which seals go where
 * (one {@code sealId} with page/x/y, an anchor text or {@code crossPages}; or {@code seals}, a JSON list), the
 * level, and the certification. How many pages a document has ({@code crossPages=all}) is asked of the format's own
 * reader, which applies its limits ({@link StampDocuments#pages}, {@link OfdStamping#pages}).
 */
final class StampForm {

    private StampForm() {
    }

    /** The seals of the request, in order; {@code pageCount} is asked only for {@code crossPages=all}. */
    static List<StampService.SealOrder> seals(String sealId, String sealsJson, Integer page, Double xMm, Double yMm,
                                              String anchor, String crossPages, IntSupplier pageCount) {
        if (sealsJson != null) {
            if (sealId != null || xMm != null || yMm != null || anchor != null || crossPages != null) {
                throw new RejectedException(Problem.INVALID_REQUEST,
                        "Give either seals (a JSON list) or one sealId with its placement, not both.");
            }
            return SealsParameter.parse(sealsJson);
        }
        if (sealId == null) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Name the seal: sealId, or seals for several.");
        }
        SealPlacement where = crossPages == null ? placement(page, xMm, yMm, anchor)
                : acrossPages(crossPages, yMm, pageCount);
        return List.of(new StampService.SealOrder(sealId, where));
    }

    /** Either x and y in mm on a page (default 1), or an anchor text (on the page given, else the first with it). */
    static SealPlacement placement(Integer page, Double xMm, Double yMm, String anchor) {
        if (anchor != null) {
            if (xMm != null || yMm != null) {
                throw new RejectedException(Problem.INVALID_REQUEST, "Give either x and y, or an anchor text, not both.");
            }
            return SealPlacement.atText(page == null ? 0 : page, anchor);
        }
        if (xMm == null || yMm == null) {
            throw new RejectedException(Problem.INVALID_REQUEST,
                    "Say where the seal goes: x and y in millimetres from the top-left of the page, or an anchor text.");
        }
        return new SealPlacement(page == null ? 1 : page, xMm, yMm);
    }

    /** "all" or a list such as "1,2,5": the pages of a cross-page seal, its centre y mm from the top. */
    static SealPlacement acrossPages(String pages, Double yMm, IntSupplier pageCount) {
        if (yMm == null) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A cross-page seal needs y, its centre in mm from the top.");
        }
        List<Integer> numbers = new ArrayList<>();
        if ("all".equalsIgnoreCase(pages.strip())) {
            int count = pageCount.getAsInt();
            for (int i = 1; i <= count; i++) {
                numbers.add(i);
            }
        } else {
            try {
                for (String part : pages.split(",")) {
                    numbers.add(Integer.parseInt(part.strip()));
                }
            } catch (NumberFormatException e) {
                throw new RejectedException(Problem.INVALID_REQUEST, "crossPages is \"all\" or page numbers such as 1,2,3.");
            }
        }
        if (numbers.size() < 2) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A cross-page seal spans two pages or more.");
        }
        if (numbers.stream().distinct().count() != numbers.size()) {
            // "1,1" put both strips on one page: a cross-page seal that ties no second page to the first
            throw new RejectedException(Problem.INVALID_REQUEST, "A cross-page seal puts one strip on each of its pages; "
                    + "crossPages names a page twice.");
        }
        return SealPlacement.acrossPages(numbers, yMm);
    }

    /** The DocMDP permission of a certification, 1 to 3, or null for none. */
    static Integer certification(Integer certify) {
        if (certify != null && (certify < 1 || certify > 3)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "certify is the DocMDP permission: 1 (no changes), "
                    + "2 (form filling and signatures) or 3 (also annotations).");
        }
        return certify;
    }

    /** B-B, B-T, B-LT, B-LTA (or the full names, PAdES-BASELINE-T ...); null for the default. */
    static SignatureLevel level(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return SignatureLevel.parse(name);
    }
}
