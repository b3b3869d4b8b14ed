package cn.yinxin.core.pdf.sign;

import java.util.Objects;

/**
 * A QR code to print on the page of a seal, in the same revision as the seal's signature (so the signature covers
 * it): its text (for Yinxin, a signed document code from {@code core/qr}), an optional caption line under it, and
 * where its centre goes, in millimetres from the top-left of the page as displayed. Without a position it goes to
 * the bottom-left corner, {@value #MARGIN_MM} mm in from the edges.
 */
public record QrCode(String text, String caption, Double xMm, Double yMm) {

    public static final double MARGIN_MM = 12;

    public QrCode {
        Objects.requireNonNull(text, "text");
        if ((xMm == null) != (yMm == null)) {
            throw new IllegalArgumentException("give both x and y of the QR code, or neither");
        }
    }
}
