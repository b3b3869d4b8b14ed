package cn.yinxin.core.ofd;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import java.util.Locale;

/** ST_Box (GB/T 33190 section 5.3): "x y width height" in millimetres. */
public final class OfdBoxes {

    private OfdBoxes() {
    }

    public static double[] parse(String text, String part) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 4) {
            throw new RejectedException(Problem.DAMAGED_OFD, "\"" + text + "\" in \"" + part + "\" is not a box.");
        }
        double[] box = new double[4];
        try {
            for (int i = 0; i < 4; i++) {
                box[i] = Double.parseDouble(parts[i]);
                if (!Double.isFinite(box[i])) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new RejectedException(Problem.DAMAGED_OFD, "\"" + text + "\" in \"" + part + "\" is not a box.");
        }
        return box;
    }

    /** Writes a box with at most three decimals (0.001 mm). */
    public static String format(double x, double y, double width, double height) {
        return number(x) + " " + number(y) + " " + number(width) + " " + number(height);
    }

    /**
     * {@code v} with at most three decimals and no trailing zeros ("12.5", "3", "0.001"). Written for every module of
     * a QR code and every glyph's advance, so without String.format and regular expressions (they were 15 % of a
     * licence's CPU in the licence service's profile, docs/benchmarks.md).
     */
    public static String number(double v) {
        if (!Double.isFinite(v) || Math.abs(v) >= 1e12) {
            String s = String.format(Locale.ROOT, "%.3f", v);
            s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
            return s.equals("-0") ? "0" : s;
        }
        long thousandths = Math.round(Math.abs(v) * 1000);
        if (thousandths == 0) {
            return "0";
        }
        StringBuilder out = new StringBuilder(16);
        if (v < 0) {
            out.append('-');
        }
        out.append(thousandths / 1000);
        int fraction = (int) (thousandths % 1000);
        if (fraction != 0) {
            out.append('.');
            if (fraction < 100) {
                out.append('0');
            }
            if (fraction < 10) {
                out.append('0');
            }
            while (fraction % 10 == 0) {
                fraction /= 10;
            }
            out.append(fraction);
        }
        return out.toString();
    }
}
