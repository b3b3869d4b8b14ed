package cn.yinxin.core.pdf.sign.appearance;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.QrCode;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.qr.QrStamp;
import cn.yinxin.core.qr.QrSymbol;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

import java.io.IOException;

import static cn.yinxin.core.pdf.sign.appearance.PageGeometry.POINTS_PER_MM;

/** A QR code written in the same revision as the seal's signature, so that the signature covers it. */
public final class QrCodeDrawing {

    private QrCodeDrawing() {
    }

    /**
     * The QR code at its natural size (module size of {@link cn.yinxin.core.qr.QrOptions#DEFAULT}), centred where
     * asked or in the bottom-left corner, as a locked stamp annotation of this revision.
     */
    public static void addQrCode(PDDocument document, PDPage page, int pageNumber, QrCode qr) throws IOException {
        QrSymbol symbol;
        try {
            symbol = QrSymbol.encode(qr.text());
        } catch (RuntimeException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The QR code cannot be made: " + e.getMessage());
        }
        PDRectangle natural = QrStamp.naturalRectangle(symbol, qr.caption(), 0, 0);
        int rotation = PageGeometry.rotation(page);
        double x = qr.xMm() != null ? qr.xMm() : QrCode.MARGIN_MM + natural.getWidth() / POINTS_PER_MM / 2;
        double y;
        if (qr.yMm() != null) {
            y = qr.yMm();
        } else {
            y = PageGeometry.visibleHeight(page) / POINTS_PER_MM - QrCode.MARGIN_MM
                    - natural.getHeight() / POINTS_PER_MM / 2;
        }
        PDRectangle where = PageGeometry.rectangleOnPage(page, rotation, new SealPlacement(pageNumber, x, y),
                natural.getWidth(), natural.getHeight());
        QrStamp.addTo(document, page, symbol, where, qr.caption());
    }
}
