package cn.yinxin.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Lines no wider than a width, for the PDF ({@code PdfText}) and the OFD ({@code OfdWriter}) alike, so that a licence
 * breaks its lines in the same places in both files: at the last space where there is one, else between any two
 * characters (Chinese has no spaces; a long token is cut too).
 */
public final class LineBreaks {

    private LineBreaks() {
    }

    /** {@code text} in lines whose {@code width} (in the caller's unit) is at most {@code maxWidth}. */
    public static List<String> wrap(String text, double maxWidth, ToDoubleFunction<String> width) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int lastSpace = -1;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            current.appendCodePoint(codePoint);
            if (codePoint == ' ') {
                lastSpace = current.length() - 1;
            }
            if (width.applyAsDouble(current.toString()) > maxWidth) {
                if (lastSpace > 0) {
                    lines.add(current.substring(0, lastSpace));
                    current.delete(0, lastSpace + 1);
                } else {
                    int cut = current.length() - Character.charCount(codePoint);
                    lines.add(current.substring(0, cut));
                    current.delete(0, cut);
                }
                lastSpace = current.indexOf(" ");
            }
            i += Character.charCount(codePoint);
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }
}
