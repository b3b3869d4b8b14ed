package cn.yinxin.core.pdf.sign.appearance;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SealPlacement;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * Where things go on a page as a reader sees it: callers give millimetres from the visible top-left corner (after
 * /Rotate and within the crop box, ISO 32000-1 8.3.2.3 and 14.11.2); PDF wants points in unrotated user space.
 */
public final class PageGeometry {

    public static final double POINTS_PER_MM = 72 / 25.4;

    private PageGeometry() {
    }

    /** The page's /Rotate as 0, 90, 180 or 270. */
    public static int rotation(PDPage page) {
        return ((page.getRotation() % 360) + 360) % 360;
    }

    /** The visible width in points (the crop box's height when the page is turned sideways). */
    public static float visibleWidth(PDPage page) {
        PDRectangle crop = page.getCropBox();
        int rotation = rotation(page);
        return rotation == 90 || rotation == 270 ? crop.getHeight() : crop.getWidth();
    }

    /** The visible height in points. */
    public static float visibleHeight(PDPage page) {
        PDRectangle crop = page.getCropBox();
        int rotation = rotation(page);
        return rotation == 90 || rotation == 270 ? crop.getWidth() : crop.getHeight();
    }

    /** The widget rectangle in unrotated user space for a centre given in millimetres from the visible top-left. */
    public static PDRectangle rectangleOnPage(PDPage page, int rotation, SealPlacement placement, float width,
                                              float height) {
        PDRectangle crop = page.getCropBox();
        boolean sideways = rotation == 90 || rotation == 270;
        float visibleWidth = sideways ? crop.getHeight() : crop.getWidth();
        float visibleHeight = sideways ? crop.getWidth() : crop.getHeight();
        float dx = (float) (placement.xMm() * POINTS_PER_MM);
        float dy = (float) (placement.yMm() * POINTS_PER_MM);
        if (dx < 0 || dy < 0 || dx > visibleWidth || dy > visibleHeight) {
            throw new RejectedException(Problem.PLACEMENT_OUTSIDE_PAGE, String.format(
                    "The seal centre (%.1f mm, %.1f mm) is outside the page, which is %.1f mm x %.1f mm.",
                    placement.xMm(), placement.yMm(), visibleWidth / POINTS_PER_MM, visibleHeight / POINTS_PER_MM));
        }
        float cx;
        float cy;
        switch (rotation) {
            case 90 -> {
                cx = crop.getLowerLeftX() + dy;
                cy = crop.getLowerLeftY() + dx;
            }
            case 180 -> {
                cx = crop.getUpperRightX() - dx;
                cy = crop.getLowerLeftY() + dy;
            }
            case 270 -> {
                cx = crop.getUpperRightX() - dy;
                cy = crop.getUpperRightY() - dx;
            }
            default -> {
                cx = crop.getLowerLeftX() + dx;
                cy = crop.getUpperRightY() - dy;
            }
        }
        float w = sideways ? height : width;
        float h = sideways ? width : height;
        return new PDRectangle(cx - w / 2, cy - h / 2, w, h);
    }

    /**
     * The inverse of {@link #rectangleOnPage}: a rectangle of unrotated user space as a reader measures it, its centre
     * in millimetres from the visible top-left and its visible width and height in millimetres, as
     * {@code {x, y, width, height}}.
     */
    public static double[] visibleMm(PDPage page, PDRectangle rect) {
        PDRectangle crop = page.getCropBox();
        int rotation = rotation(page);
        float cx = rect.getLowerLeftX() + rect.getWidth() / 2;
        float cy = rect.getLowerLeftY() + rect.getHeight() / 2;
        double dx;
        double dy;
        switch (rotation) {
            case 90 -> {
                dy = cx - crop.getLowerLeftX();
                dx = cy - crop.getLowerLeftY();
            }
            case 180 -> {
                dx = crop.getUpperRightX() - cx;
                dy = cy - crop.getLowerLeftY();
            }
            case 270 -> {
                dy = crop.getUpperRightX() - cx;
                dx = crop.getUpperRightY() - cy;
            }
            default -> {
                dx = cx - crop.getLowerLeftX();
                dy = crop.getUpperRightY() - cy;
            }
        }
        boolean sideways = rotation == 90 || rotation == 270;
        double width = (sideways ? rect.getHeight() : rect.getWidth()) / POINTS_PER_MM;
        double height = (sideways ? rect.getWidth() : rect.getHeight()) / POINTS_PER_MM;
        return new double[] {dx / POINTS_PER_MM, dy / POINTS_PER_MM, width, height};
    }
}
