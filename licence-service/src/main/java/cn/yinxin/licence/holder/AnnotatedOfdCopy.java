package cn.yinxin.licence.holder;

import cn.yinxin.core.ofd.OfdWriter;
import cn.yinxin.core.ofd.verify.OfdCopies;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.licence.licences.Licence;
import cn.yinxin.licence.licences.LicenceOfd;
import cn.yinxin.licence.types.LicenceType;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * A 加注件 in OFD before sealing, as {@link AnnotatedCopy} makes it in PDF: a new one-page OFD that draws the licence
 * (the same layout and QR code as the licence OFD) with the red annotation box "仅供<purpose>使用，<office>，有效期至
 * <date>" over its lower right, and the sealed original licence OFD attached byte for byte
 * ({@code original-licence.ofd}, GB/T 33190 Attachments). The seal service then seals the copy over the box.
 *
 * <p>Unlike the PDF copy it does not draw the original's seal picture: an OFD seal is a StampAnnot of its own
 * signature, and a picture of it without that signature would look like a seal no verifier can check. The copy
 * carries no GB/T 36903 licence metadata: it is not the licence file (the original, attached, is).
 */
final class AnnotatedOfdCopy {

    /** The annotation box in mm from the page's top-left (the PDF copy's box, in the OFD's units). */
    static final double BOX_X = LicenceOfd.pt(AnnotatedCopy.BOX_X);
    static final double BOX_Y = LicenceOfd.HEIGHT - LicenceOfd.pt(AnnotatedCopy.BOX_Y + AnnotatedCopy.BOX_H);
    static final double BOX_W = LicenceOfd.pt(AnnotatedCopy.BOX_W);
    static final double BOX_H = LicenceOfd.pt(AnnotatedCopy.BOX_H);
    private static final int[] RED = LicenceOfd.rgb(new Color(0xb2, 0x22, 0x22));

    private AnnotatedOfdCopy() {
    }

    /** The seal's centre (mm from the top-left): the middle of the box, as for the PDF copy. */
    static double sealXMm() {
        return BOX_X + BOX_W / 2;
    }

    static double sealYMm() {
        return BOX_Y + BOX_H / 2;
    }

    static byte[] make(LicenceType type, Licence licence, byte[] sealedOfd, String annotation, String title, Path font,
                       LocalDate today) {
        // the annotation stated where a verifier reads it (a GB/T 38540 seal has no reason): core OfdCopies
        OfdWriter writer = new OfdWriter(font).title(title).created(today).customData(OfdCopies.ANNOTATION, annotation)
                .attachment(OfdCopies.ORIGINAL, sealedOfd);
        OfdWriter.PageBuilder page = writer.page(LicenceOfd.WIDTH, LicenceOfd.HEIGHT);
        LicenceOfd.draw(writer, page, type, licence, QrSymbol.encode(licence.qrText()));
        page.rectangle(BOX_X, BOX_Y, BOX_W, BOX_H, LicenceOfd.pt(1.5), RED, new int[] {255, 255, 255});
        // the whole text inside the box, the office and end date included, whatever the purpose's length (as the PDF)
        AnnotationFit.Fitted fitted;
        try {
            fitted = AnnotationFit.fit(annotation, AnnotatedCopy.BOX_W, AnnotatedCopy.BOX_H, (points, width) ->
                    writer.wrap(annotation, LicenceOfd.pt(points), LicenceOfd.pt(width)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double size = LicenceOfd.pt(fitted.size());
        double y = BOX_Y + LicenceOfd.pt(fitted.first());
        for (String line : fitted.lines()) {
            page.text(BOX_X + LicenceOfd.pt(8), y, size, line, RED);
            y += LicenceOfd.pt(fitted.leading());
        }
        return writer.write();
    }
}
