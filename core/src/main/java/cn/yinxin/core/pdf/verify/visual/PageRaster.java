package cn.yinxin.core.pdf.verify.visual;

import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Rectangle2D;

/**
 * How one page maps onto pixels at a scale: the image size and the transform from PDF user space (the page's
 * coordinates, origin bottom left) to image pixels (origin top left), exactly as PDFBox's renderer applies it (crop
 * box, /Rotate, y flipped), so that a region found in pixels is reported in the page's own units and a widget's
 * /Rect is masked where it is drawn.
 */
record PageRaster(int width, int height, float scale, AffineTransform userToPixel) {

    /**
     * @param dpi       wanted resolution
     * @param maxPixels most pixels the image may have: a huge MediaBox gets a lower scale, never a huge image
     */
    static PageRaster of(PDPage page, float dpi, long maxPixels) {
        PDRectangle crop = page.getCropBox();
        float widthPt = Math.max(1f, Math.abs(crop.getWidth()));
        float heightPt = Math.max(1f, Math.abs(crop.getHeight()));
        float scale = dpi / 72f;
        double pixels = (double) widthPt * heightPt * scale * scale;
        if (pixels > maxPixels) {
            scale = (float) Math.sqrt(maxPixels / ((double) widthPt * heightPt));
        }
        int rotation = normalised(page.getRotation());
        int w = Math.max(1, (int) Math.floor(widthPt * scale));
        int h = Math.max(1, (int) Math.floor(heightPt * scale));
        if (rotation == 90 || rotation == 270) {
            int swap = w;
            w = h;
            h = swap;
        }
        // the same steps as PDFRenderer.transform and PageDrawer.drawPage
        AffineTransform t = new AffineTransform();
        t.scale(scale, scale);
        switch (rotation) {
            case 90 -> t.translate(crop.getHeight(), 0);
            case 270 -> t.translate(0, crop.getWidth());
            case 180 -> t.translate(crop.getWidth(), crop.getHeight());
            default -> {
            }
        }
        if (rotation != 0) {
            t.rotate(Math.toRadians(rotation));
        }
        t.translate(0, crop.getHeight());
        t.scale(1, -1);
        t.translate(-crop.getLowerLeftX(), -crop.getLowerLeftY());
        return new PageRaster(w, h, scale, t);
    }

    /** PDFBox renders /Rotate as given when it is a multiple of 90 (negative ones turned positive). */
    static int normalised(int rotation) {
        int r = ((rotation % 360) + 360) % 360;
        return r - r % 90;
    }

    /** The pixels a user-space rectangle covers, widened by one pixel for anti-aliased edges. */
    Rectangle toPixels(float x, float y, float w, float h) {
        Rectangle2D box = userToPixel.createTransformedShape(new Rectangle2D.Float(x, y, w, h)).getBounds2D();
        int x0 = (int) Math.floor(box.getMinX()) - 1;
        int y0 = (int) Math.floor(box.getMinY()) - 1;
        int x1 = (int) Math.ceil(box.getMaxX()) + 1;
        int y1 = (int) Math.ceil(box.getMaxY()) + 1;
        return new Rectangle(x0, y0, x1 - x0, y1 - y0).intersection(new Rectangle(0, 0, width, height));
    }

    /** A pixel box back in user space: x, y (bottom left), width, height. */
    float[] toUser(int x, int y, int w, int h) {
        try {
            Rectangle2D box = userToPixel.createInverse().createTransformedShape(new Rectangle2D.Float(x, y, w, h))
                    .getBounds2D();
            return new float[]{(float) box.getMinX(), (float) box.getMinY(), (float) box.getWidth(),
                    (float) box.getHeight()};
        } catch (NoninvertibleTransformException e) {
            return new float[]{0, 0, 0, 0};
        }
    }

    boolean sameSizeAs(PageRaster other) {
        return width == other.width && height == other.height;
    }
}
