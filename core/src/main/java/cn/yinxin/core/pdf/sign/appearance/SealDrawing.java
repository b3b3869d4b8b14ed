package cn.yinxin.core.pdf.sign.appearance;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.core.pdf.handwriting.HandwritingAppearance;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.util.Matrix;

import java.io.IOException;

import static cn.yinxin.core.pdf.sign.appearance.PageGeometry.POINTS_PER_MM;

/**
 * Draws what a reader sees of a seal: the seal image (or a strip of it, for a seal cut across pages) or a
 * handwritten signature, in the annotation's normal appearance, upright whatever the page's /Rotate.
 */
public final class SealDrawing {

    private SealDrawing() {
    }

    /** Draws strip {@code strip} of {@code strips} of the seal (the whole seal when there is one strip). */
    public static void drawSeal(PDDocument document, PDPage page, PDAnnotation widget, SealAppearance look,
                                SealPlacement placement, int strip, int strips) throws IOException {
        float fullWidth = (float) (look.widthMm() * POINTS_PER_MM);
        float width = fullWidth / strips;
        float height = (float) (look.heightMm() * POINTS_PER_MM);
        int rotation = PageGeometry.rotation(page);
        SealPlacement where = placement;
        if (strips > 1) {
            // the strip's centre sits half a strip in from the outer (right) edge of the page as displayed
            where = new SealPlacement(placement.page(), (PageGeometry.visibleWidth(page) - width / 2) / POINTS_PER_MM,
                    placement.yMm());
        }
        widget.setRectangle(PageGeometry.rectangleOnPage(page, rotation, where, width, height));
        if (look.handwriting() != null) {
            drawHandwriting(document, widget, look.handwriting(), width, height, rotation);
            return;
        }
        int pdfaPart = PdfA.part(document);
        PDImageXObject image = image(document, look, pdfaPart);
        PDAppearanceStream stream = new PDAppearanceStream(document);
        stream.setResources(new PDResources());
        if (pdfaPart > 0 && PdfA.needsDefaultRgb(document)) {
            // the seal image is DeviceRGB, which PDF/A allows only with an RGB output intent (e.g. not with CMYK)
            PdfA.defaultRgbIsSrgb(document, stream.getResources());
        }
        stream.setBBox(new PDRectangle(width, height));
        // The page turns the annotation with it; turn the drawing back so the seal stands upright for the reader.
        if (rotation != 0) {
            Matrix matrix = Matrix.getRotateInstance(Math.toRadians(rotation), 0, 0);
            stream.setMatrix(matrix.createAffineTransform());
        }
        try (PDPageContentStream content = new PDPageContentStream(document, stream)) {
            // the bounding box shows only this strip of the whole image
            content.drawImage(image, -strip * width, 0, fullWidth, height);
        }
        PDAppearanceDictionary appearance = new PDAppearanceDictionary();
        appearance.setNormalAppearance(stream);
        widget.setAppearance(appearance);
    }

    /** The seal image as an image XObject of this document, kept within the document's PDF/A part. */
    private static PDImageXObject image(PDDocument document, SealAppearance look, int pdfaPart) throws IOException {
        PDImageXObject image;
        try {
            image = EncodedImage.into(document, look.image());
        } catch (IOException | IllegalArgumentException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The seal image cannot be read: " + e.getMessage());
        }
        if (pdfaPart == 1) {
            // PDF/A-1 forbids the soft mask that carries the PNG's transparency: a sealed PDF/A-1 would stop being
            // PDF/A. A 1-bit mask keeps the seal's shape within the rules (PDF/A-2 and later allow soft masks).
            PdfA.replaceSoftMask(document, image);
        }
        return image;
    }

    /**
     * A handwritten signature: vector paths, with the capture kept in the appearance form (so the signature of this
     * revision covers it), turned back against the page's rotation like a seal.
     */
    private static void drawHandwriting(PDDocument document, PDAnnotation widget, Handwriting capture, float width,
                                        float height, int rotation) throws IOException {
        PDAppearanceStream stream = new PDAppearanceStream(
                HandwritingAppearance.form(document, capture, width, height).getCOSObject());
        if (rotation != 0) {
            stream.setMatrix(Matrix.getRotateInstance(Math.toRadians(rotation), 0, 0).createAffineTransform());
        }
        PDAppearanceDictionary appearance = new PDAppearanceDictionary();
        appearance.setNormalAppearance(stream);
        widget.setAppearance(appearance);
    }
}
