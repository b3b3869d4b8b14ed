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

    public static String number(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s.equals("-0") ? "0" : s;
    }
}
