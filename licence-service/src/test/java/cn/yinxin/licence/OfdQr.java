package cn.yinxin.licence;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the QR code an OFD page draws as a filled PathObject of module rectangles (OfdWriter.qr): our own drawing of
 * its AbbreviatedData, module by module on white, read by ZXing; the path is found by its being the only filled path
 * whose data is all "M x y L ... C" rectangles.
 */
final class OfdQr {

    private static final Pattern PATH = Pattern.compile("<ofd:PathObject([^>]*)>(.*?)</ofd:PathObject>", Pattern.DOTALL);
    private static final Pattern BOUNDARY = Pattern.compile("Boundary=\"([^\"]+)\"");
    private static final Pattern DATA = Pattern.compile("<ofd:AbbreviatedData>([^<]*)</ofd:AbbreviatedData>");

    private static final int PIXELS = 6;

    private OfdQr() {
    }

    static String decode(byte[] contentXml) throws Exception {
        Matcher m = PATH.matcher(new String(contentXml, StandardCharsets.UTF_8));
        String boundary = null;
        String data = null;
        while (m.find()) {
            if (m.group(1).contains("Fill=\"true\"")) {
                Matcher b = BOUNDARY.matcher(m.group(1));
                Matcher d = DATA.matcher(m.group(2));
                if (b.find() && d.find()) {
                    boundary = b.group(1);
                    data = d.group(1);
                }
            }
        }
        if (boundary == null) {
            throw new AssertionError("no filled path (QR code) on the page");
        }
        // each rectangle drawn on a whole-pixel grid of PIXELS a module, the quiet zone included (the Boundary is the
        // symbol's side with it): the picture QrSymbol checks every code against (PlainReading), read by ZXing as a
        // phone app built on it reads, without PURE_BARCODE (until 2026-12-08 its finder search missed 2 to 5 % of
        // our codes, QrPlainReadingTest)
        String[] t = data.trim().split("\\s+");
        double module = Double.parseDouble(t[8]) - Double.parseDouble(t[2]);
        String[] box = boundary.trim().split("\\s+");
        int px = (int) Math.round(Double.parseDouble(box[2]) / module) * PIXELS;
        BufferedImage image = new BufferedImage(px, px, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, px, px);
        g.setColor(Color.BLACK);
        for (int i = 0; i + 12 < t.length + 1; ) {
            // M l t L r t L r b L l b C
            if (!t[i].equals("M")) {
                throw new AssertionError("unexpected path data at " + i + ": " + t[i].toUpperCase(Locale.ROOT));
            }
            int left = cell(t[i + 1], module);
            int top = cell(t[i + 2], module);
            int right = cell(t[i + 4], module);
            int bottom = cell(t[i + 8], module);
            g.fillRect(left * PIXELS, top * PIXELS, (right - left) * PIXELS, (bottom - top) * PIXELS);
            i += 13;
        }
        g.dispose();
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
                .getText();
    }

    /** A coordinate as a whole number of modules; the drawing's numbers are rounded to thousandths of a mm. */
    private static int cell(String coordinate, double module) {
        double cells = Double.parseDouble(coordinate) / module;
        long rounded = Math.round(cells);
        if (Math.abs(cells - rounded) > 0.05) {
            throw new AssertionError("a module edge off the grid: " + coordinate + " mm, modules of " + module + " mm");
        }
        return (int) rounded;
    }
}
