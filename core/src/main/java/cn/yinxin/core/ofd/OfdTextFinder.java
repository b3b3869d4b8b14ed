package cn.yinxin.core.ofd;

import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds where a text stands on an OFD page, so that a seal can be centred on it (the way a clerk stamps "（盖章）").
 * Glyph positions come from each TextObject's Boundary, its TextCode X/Y and DeltaX (GB/T 33190 section 11.3,
 * including the "g N v" repeat form); a glyph without DeltaX is taken to advance by the font size (a CJK glyph's
 * em). TextObject CTMs and page templates are not applied: text so placed may be found a little off.
 */
public final class OfdTextFinder {

    /** A found text: its centre in page millimetres (from the top-left corner). */
    public record Found(double xMm, double yMm) {
    }

    private record Glyph(int codePoint, double x, double baseline, double size, double advance) {
    }

    private OfdTextFinder() {
    }

    /** The first occurrence of {@code text} on the page, or null. */
    public static Found find(OfdDocument document, OfdDocument.Page page, String text, OfdLimits limits) {
        Element root = OfdXml.parse(document.pack().get(page.content()), page.content(), limits).getDocumentElement();
        List<Glyph> glyphs = new ArrayList<>();
        for (Element object : OfdXml.descendants(root, "TextObject")) {
            glyphs(object, glyphs);
        }
        StringBuilder all = new StringBuilder();
        List<Integer> glyphAt = new ArrayList<>(); // char index -> glyph index
        for (int i = 0; i < glyphs.size(); i++) {
            int before = all.length();
            all.appendCodePoint(glyphs.get(i).codePoint());
            for (int k = before; k < all.length(); k++) {
                glyphAt.add(i);
            }
        }
        int at = all.indexOf(text.strip());
        if (at < 0) {
            return null;
        }
        Glyph first = glyphs.get(glyphAt.get(at));
        Glyph last = glyphs.get(glyphAt.get(at + text.strip().length() - 1));
        double left = first.x();
        double right = last.x() + last.advance();
        return new Found((left + right) / 2, first.baseline() - first.size() * 0.35);
    }

    private static void glyphs(Element object, List<Glyph> glyphs) {
        double[] boundary;
        double size;
        try {
            boundary = OfdBoxes.parse(object.getAttribute("Boundary"), "TextObject");
            size = Double.parseDouble(object.getAttribute("Size"));
        } catch (RuntimeException e) {
            return; // a text object we cannot place is not where an anchor is looked for
        }
        double x = 0;
        double y = 0;
        for (Element code : OfdXml.children(object, "TextCode")) {
            x = number(code.getAttribute("X"), x);
            y = number(code.getAttribute("Y"), y);
            List<Double> deltas = deltas(code.getAttribute("DeltaX"));
            int[] points = code.getTextContent().codePoints().toArray();
            for (int i = 0; i < points.length; i++) {
                double advance = i < deltas.size() ? deltas.get(i) : size;
                glyphs.add(new Glyph(points[i], boundary[0] + x, boundary[1] + y, size, advance));
                x += advance;
            }
        }
    }

    /** DeltaX values, with "g N v" meaning v repeated N times. */
    static List<Double> deltas(String text) {
        List<Double> values = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return values;
        }
        String[] parts = text.strip().split("\\s+");
        try {
            for (int i = 0; i < parts.length && values.size() < 100_000; i++) {
                if (parts[i].equals("g") && i + 2 < parts.length) {
                    int count = Math.min(Integer.parseInt(parts[i + 1]), 100_000);
                    double v = Double.parseDouble(parts[i + 2]);
                    for (int k = 0; k < count; k++) {
                        values.add(v);
                    }
                    i += 2;
                } else {
                    values.add(Double.parseDouble(parts[i]));
                }
            }
        } catch (NumberFormatException e) {
            return values;
        }
        return values;
    }

    private static double number(String text, double fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
