package cn.yinxin.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Lines no wider than a width, for the PDF ({@code PdfText}) and the OFD ({@code OfdWriter}) alike, so that a licence
 * breaks its lines in the same places in both files: at the last space where there is one, else between any two
 * characters (Chinese has no spaces; a long token is cut too).
 */
public final class LineBreaks {

    private LineBreaks() {
    }

    /**
     * {@code text} in lines whose width (the sum of each character's {@code advance}, in the caller's unit) is at most
     * {@code maxWidth}. The width of the line being filled is kept as a running sum: measuring the whole line again
     * after every character cost the square of the line's length (a few percent of drawing a licence, and a long
     * business scope without spaces would cost far more).
     */
    public static List<String> wrap(String text, double maxWidth, IntToDoubleFunction advance) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        double width = 0;
        int lastSpace = -1;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            current.appendCodePoint(codePoint);
            width += advance.applyAsDouble(codePoint);
            if (codePoint == ' ') {
                lastSpace = current.length() - 1;
            }
            if (width > maxWidth) {
                if (lastSpace > 0) {
                    lines.add(current.substring(0, lastSpace));
                    current.delete(0, lastSpace + 1);
                } else {
                    int cut = current.length() - Character.charCount(codePoint);
                    lines.add(current.substring(0, cut));
                    current.delete(0, cut);
                }
                lastSpace = current.indexOf(" ");
                width = current.codePoints().mapToDouble(advance).sum();
            }
            i += Character.charCount(codePoint);
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }
}
