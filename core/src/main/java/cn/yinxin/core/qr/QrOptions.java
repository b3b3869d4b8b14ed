package cn.yinxin.core.qr;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.util.Objects;

/**
 * How a QR code is made and printed.
 *
 * @param errorCorrection  Q (25 % of the code words may be lost) by default, as the EU DCC asks
 * @param quietZoneModules the white margin around the code, in modules; ISO/IEC 18004 asks for 4
 * @param moduleMm         the printed size of one module; 0.34 mm reads well with phone cameras and office
 *                         printers, and puts a ~470-character signed code (version 17) at ~31.6 mm with its margin
 */
public record QrOptions(ErrorCorrectionLevel errorCorrection, int quietZoneModules, double moduleMm) {

    public static final QrOptions DEFAULT = new QrOptions(ErrorCorrectionLevel.Q, 4, 0.34);

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
