package cn.yinxin.core.qr;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.util.Objects;

/**
 * How a QR code is made and printed.
 *
 * @param errorCorrection  Q (25 % of the code words may be lost) by default, as the EU DCC asks
 * @param quietZoneModules the white margin around the code, in modules; ISO/IEC 18004 asks for 4
 * @param moduleMm         the printed size of one module; 0.508 mm is exactly 3 pixels at 150 dpi, so a page
 *                         rendered or scanned at 150 dpi still reads reliably (at 0.34 mm, 2 pixels a module,
 *                         zbarimg missed a code now and then); a ~470-character signed code (version 17) is then
 *                         ~47 mm wide with its margin
 */
public record QrOptions(ErrorCorrectionLevel errorCorrection, int quietZoneModules, double moduleMm) {

    public static final QrOptions DEFAULT = new QrOptions(ErrorCorrectionLevel.Q, 4, 0.508);

    public QrOptions {
        Objects.requireNonNull(errorCorrection, "errorCorrection");
        if (quietZoneModules < 0 || moduleMm <= 0) {
            throw new IllegalArgumentException("a quiet zone is not negative and a module has a size");
        }
    }

    public QrOptions withErrorCorrection(ErrorCorrectionLevel level) {
        return new QrOptions(level, quietZoneModules, moduleMm);
    }

    public QrOptions withModuleMm(double mm) {
        return new QrOptions(errorCorrection, quietZoneModules, mm);
    }
}
