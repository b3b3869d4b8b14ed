package cn.yinxin.licence;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the QR code an OFD page draws as a filled PathObject of module rectangles (OfdWriter.qr): our own drawing of
 * its AbbreviatedData, at 12 px per mm on white, read by ZXing; the path is found by its being the only filled path
 * whose data is all "M x y L ... C" rectangles.
 */
final class OfdQr {

    private static final Pattern PATH = Pattern.compile("<ofd:PathObject([^>]*)>(.*?)</ofd:PathObject>", Pattern.DOTALL);
    private static final Pattern BOUNDARY = Pattern.compile("Boundary=\"([^\"]+)\"");
    private static final Pattern DATA = Pattern.compile("<ofd:AbbreviatedData>([^<]*)</ofd:AbbreviatedData>");

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
        String[] box = boundary.trim().split("\\s+");
        double side = Double.parseDouble(box[2]);
        double scale = 12;
        int px = (int) Math.ceil(side * scale) + 40;
        BufferedImage image = new BufferedImage(px, px, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, px, px);
        g.setColor(Color.BLACK);
        String[] t = data.trim().split("\\s+");
        for (int i = 0; i + 12 < t.length + 1; ) {
            // M l t L r t L r b L l b C
            if (!t[i].equals("M")) {
                throw new AssertionError("unexpected path data at " + i + ": " + t[i].toUpperCase(Locale.ROOT));
            }
            double left = Double.parseDouble(t[i + 1]);
            double top = Double.parseDouble(t[i + 2]);
            double right = Double.parseDouble(t[i + 4]);
            double bottom = Double.parseDouble(t[i + 8]);
            g.fill(new java.awt.geom.Rectangle2D.Double(20 + left * scale, 20 + top * scale, (right - left) * scale,
                    (bottom - top) * scale));
            i += 13;
        }
        g.dispose();
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
                Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    }
}
