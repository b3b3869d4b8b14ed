package cn.yinxin.licence.holder;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.io.IOException;
import java.util.List;

/**
 * The size at which a 加注件's box text "仅供<purpose>使用，<office>，有效期至<date>" fits inside its box, for the PDF and the
 * OFD copy alike. The office and the end date are what limit a copy and come last: drawn on at one size whatever the
 * number of lines, a long purpose (the holder's consent text, up to 200 characters) would push them under the box and
 * off the page, and the sealed copy would show no limit at all. So the text is made smaller until every line is in
 * the box (11 pt, as before, for up to four lines), and refused when even the smallest size does not hold it.
 */
final class AnnotationFit {

    static final float LARGEST = 11;
    static final float SMALLEST = 4;

    /** Wraps the text at a size (points) to a width (points). */
    interface Wrap {
        List<String> lines(float size, float width) throws IOException;
    }

    /**
     * @param size in points; lines' baselines are {@link #first()} below the box's top, then {@link #leading()} apart
     */
    record Fitted(float size, List<String> lines) {
        float first() {
            return size * 20 / LARGEST;
        }

        float leading() {
            return size * 15 / LARGEST;
        }
    }

    private AnnotationFit() {
    }

    /**
     * The largest size from 11 pt down (half points) whose lines fit a box of this width and height (points), with
     * 8 points of margin left and right.
     */
    static Fitted fit(String annotation, float boxWidth, float boxHeight, Wrap wrap) throws IOException {
        for (float size = LARGEST; size >= SMALLEST; size -= 0.5f) {
            Fitted fitted = new Fitted(size, wrap.lines(size, boxWidth - 16));
            // the last baseline plus a descender stays above the box's bottom border
            float bottom = fitted.first() + (fitted.lines().size() - 1) * fitted.leading() + 0.25f * size;
            if (bottom <= boxHeight - 2) {
                return fitted;
            }
        }
        throw new RejectedException(Problem.PURPOSE_INVALID, "The purpose and the office's name are too long for "
                + "the copy's box (加注件): give a shorter purpose.");
    }
}
