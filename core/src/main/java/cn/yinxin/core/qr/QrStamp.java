package cn.yinxin.core.qr;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationRubberStamp;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.util.Matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a QR code on a PDF page as vectors: a printed, locked stamp annotation whose appearance fills one rectangle
 * per run of dark modules (crisp at any zoom and printer resolution, a few kilobytes), on a white square that
 * includes the quiet zone, with an optional caption line below (e.g. the document id).
 *
 * <p>Independent of the sealer: the caller adds the stamp, then signs. Added in the same incremental revision as a
 * seal's signature, before signing, the signature covers it. The stamp keeps a PDF/A document PDF/A: only
 * DeviceGray fills, no transparency, and the caption's font (Liberation Sans, shipped inside PDFBox) embedded as a
 * subset.
 */
public final class QrStamp {

    public static final float POINTS_PER_MM = 72f / 25.4f;
    /** The largest caption size; a long caption is set smaller so it stays within the code's width. */
    static final float CAPTION_MAX_POINTS = 7f;
    /** The caption line's height is this many times its font size (room for descenders and a gap). */
    static final float CAPTION_LINE = 1.5f;
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private QrStamp() {
    }

    /** A stamp of the text with the default options and no caption, filling {@code rectangle} (user space). */
    public static PDAnnotationRubberStamp addTo(PDDocument document, PDPage page, String text, PDRectangle rectangle)
            throws IOException {
        return addTo(document, page, QrSymbol.encode(text), rectangle, null);
    }

    /**
     * Adds the stamp to the page and returns it. The code is drawn as the largest square that fits in the
     * rectangle above the caption, centred; on a page with {@code /Rotate} the drawing is turned back, so code and
     * caption stand upright for the reader (the rectangle is in unrotated user space, as every annotation's).
     *
     * @param caption a line of text under the code, or null
     */
    public static PDAnnotationRubberStamp addTo(PDDocument document, PDPage page, QrSymbol symbol, PDRectangle rectangle,
                                                String caption) throws IOException {
        int rotation = ((page.getRotation() % 360) + 360) % 360;
        boolean sideways = rotation == 90 || rotation == 270;
        float width = sideways ? rectangle.getHeight() : rectangle.getWidth();
        float height = sideways ? rectangle.getWidth() : rectangle.getHeight();
        PDAppearanceStream stream = appearance(document, symbol, width, height, caption);
        if (rotation != 0) {
            stream.setMatrix(Matrix.getRotateInstance(Math.toRadians(rotation), 0, 0).createAffineTransform());
        }
        PDAnnotationRubberStamp stamp = new PDAnnotationRubberStamp();
        stamp.setRectangle(rectangle);
        stamp.setPrinted(true);
        stamp.setLocked(true);
        stamp.setReadOnly(true);
        // the alternate description (PDF/UA, screen readers) and what a viewer shows on hover
        stamp.setContents(caption == null ? "QR code" : "QR code " + caption);
        stamp.setPage(page);
        PDAppearanceDictionary appearance = new PDAppearanceDictionary();
        appearance.setNormalAppearance(stream);
        stamp.setAppearance(appearance);
        List<PDAnnotation> annotations = new ArrayList<>(page.getAnnotations());
        annotations.add(stamp);
        page.setAnnotations(annotations);
        return stamp;
    }

    /**
     * The rectangle of a stamp at its natural size (the options' module size, plus the caption line), with its
     * lower left corner at ({@code x}, {@code y}) in points, for an unrotated page.
     */
    public static PDRectangle naturalRectangle(QrSymbol symbol, String caption, float x, float y) {
        float side = (float) (symbol.sideMm() * POINTS_PER_MM);
        return new PDRectangle(x, y, side, side + (caption == null ? 0 : captionBand(captionSize(caption, side))));
    }

    /**
     * The appearance alone, {@code width} x {@code height} points, upright: for callers that make their own
     * annotation or widget.
     */
    public static PDAppearanceStream appearance(PDDocument document, QrSymbol symbol, float width, float height,
                                                String caption) throws IOException {
        PDFont font = caption == null ? null : font(document);
        float fontSize = caption == null ? 0 : captionSize(font, caption, width);
        float side = Math.min(width, height - captionBand(fontSize));
        if (caption != null && side < width) {
            fontSize = Math.min(fontSize, captionSize(font, caption, side));
        }
        if (side <= 0) {
            throw new IllegalArgumentException("the rectangle leaves no room for the code");
        }
        float module = side / symbol.size();
        float left = (width - side) / 2;
        float bottom = height - side; // the code at the top, the caption in the band below

        PDAppearanceStream stream = new PDAppearanceStream(document);
        stream.setResources(new PDResources());
        stream.setBBox(new PDRectangle(width, height));
        // compressed: the module rectangles are ~60 KB as text, ~5 KB deflated
        try (PDPageContentStream content = new PDPageContentStream(document, stream,
                stream.getStream().createOutputStream(COSName.FLATE_DECODE))) {
            content.setNonStrokingColor(1f); // DeviceGray white: the quiet zone stays white on any background
            content.addRect(left, bottom, side, side);
            content.fill();
            // one unit = one module, origin at the code's lower left corner: short integer coordinates
            int quiet = symbol.options().quietZoneModules();
            int modules = symbol.modules();
            content.saveGraphicsState();
            content.transform(new Matrix(module, 0, 0, module, left + quiet * module, bottom + quiet * module));
            content.setNonStrokingColor(0f);
            for (int y = 0; y < modules; y++) {
                int x = 0;
                while (x < modules) {
                    if (!symbol.dark(x, y)) {
                        x++;
                        continue;
                    }
                    int run = x;
                    while (run < modules && symbol.dark(run, y)) {
                        run++;
                    }
                    // one rectangle per run: no hairline seams between neighbours in anti-aliased renderers
                    content.addRect(x, modules - 1 - y, run - x, 1);
                    x = run;
                }
            }
            content.fill();
            content.restoreGraphicsState();
            if (caption != null) {
                float textWidth = font.getStringWidth(caption) / 1000 * fontSize;
                content.setNonStrokingColor(0f);
                content.beginText();
                content.setFont(font, fontSize);
                content.newLineAtOffset((width - textWidth) / 2, bottom - fontSize * 1.1f);
                content.showText(caption);
                content.endText();
            }
        }
        return stream;
    }

    private static float captionBand(float fontSize) {
        return fontSize * CAPTION_LINE;
    }

    private static float captionSize(String caption, float width) {
        try (PDDocument scratch = new PDDocument()) {
            return captionSize(font(scratch), caption, width);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float captionSize(PDFont font, String caption, float width) {
        try {
            float perPoint = font.getStringWidth(caption) / 1000;
            return perPoint == 0 ? CAPTION_MAX_POINTS : Math.min(CAPTION_MAX_POINTS, width * 0.96f / perPoint);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the caption cannot be set in Liberation Sans: " + e.getMessage(), e);
        }
    }

    private static PDFont font(PDDocument document) throws IOException {
        try (InputStream in = QrStamp.class.getResourceAsStream(FONT)) {
            if (in == null) {
                throw new IOException("Liberation Sans is missing from the PDFBox jar (" + FONT + ")");
            }
            return PDType0Font.load(document, in, true);
        }
    }
}
