package cn.yinxin.core.pdf.verify.visual;

import cn.yinxin.core.pdf.verify.changes.FormFields;
import cn.yinxin.core.pdf.verify.visual.VisualComparison.Exclusion;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.rendering.PDFRenderer;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The boxes on a page where form filling may show a new value: widgets of fillable fields (/FT /Tx, /Ch or /Btn,
 * not read-only, as signed) that sit on the page with the same /Rect in the signed revision and now, and that were
 * empty when signed (no value, and an appearance that shows none: {@link AppearanceInk}), unless the signed
 * revision is certified with DocMDP P=2 or 3 (the certifier allowed values to be changed; what the page itself prints
 * under such a field is still compared: {@link Boxes#printUnder}). A value the signer saw
 * is part of what was signed: replacing it, or only its appearance (the "replace" shadow attack), is a visible
 * change. A field is known by its fully qualified name (the /T of its field
 * and parents), so a widget added later under an existing name in another place is not among them.
 */
final class FillableFields {

    private static final int READ_ONLY = 1;
    private static final int MAX_DEPTH = 32;
    /** Between a field's name and its box in the keys of {@link #fillable} (the last in a key: numbers never hold it). */
    private static final String BOX = "\u0000@";

    private FillableFields() {
    }

    /**
     * The fillable boxes of a page, and the names of their fields (whose widgets are left out to draw what the page
     * prints under them).
     */
    record Boxes(List<Exclusion> boxes, Set<String> names) {

        /**
         * The signed page drawn into {@code image} without the widgets of these fields: what the page itself prints
         * under them (its text, other annotations), which no fill may cover, even where a certification lets values
         * change.
         */
        BufferedImage printUnder(PDFRenderer renderer, int index, PageRaster raster, BufferedImage image)
                throws IOException {
            renderer.setAnnotationsFilter(annotation -> !(COSName.WIDGET.equals(annotation.getCOSObject()
                    .getCOSName(COSName.SUBTYPE)) && names.contains(qualifiedName(annotation.getCOSObject()))));
            try {
                VisualComparison.draw(renderer, index, raster, image);
            } finally {
                renderer.setAnnotationsFilter(annotation -> true);
            }
            return image;
        }
    }

    static Boxes unmoved(PDPage signed, PDPage current, int pageNumber, boolean certifiedForFilling) {
        Map<String, PDRectangle> before = fillable(signed, !certifiedForFilling);
        if (before.isEmpty()) {
            return new Boxes(List.of(), Set.of());
        }
        List<Exclusion> boxes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (var entry : fillable(current, false).entrySet()) {
            PDRectangle was = before.get(entry.getKey());
            if (was != null && same(was, entry.getValue())) {
                boxes.add(new Exclusion(pageNumber, entry.getValue()));
                names.add(entry.getKey().substring(0, entry.getKey().lastIndexOf(BOX)));
            }
        }
        return new Boxes(boxes, names);
    }

    /**
     * Blanks what the signer allowed on page {@code index}: fills (a fill may write into a blank box, never cover
     * what was there when signed; P=2/3: what the page prints) and, under P=3, sticky notes on blank paper.
     * {@code images} are the drawings before and after and the reusable print image; the print image is returned,
     * never the drawing before (which the next page would otherwise reuse as its print image and draw over).
     */
    static BufferedImage leaveOutAllowed(PDPage signedPage, PDPage currentPage, int index, DrawingCopy signedCopy,
                                         PageRaster was, PageRaster now, BufferedImage[] images,
                                         boolean certifiedForFilling, boolean commentsAllowed, int tolerance)
            throws IOException {
        BufferedImage before = images[0];
        BufferedImage after = images[1];
        Boxes fillable = unmoved(signedPage, currentPage, index + 1, certifiedForFilling);
        BufferedImage print = certifiedForFilling && !fillable.boxes().isEmpty()
                ? fillable.printUnder(signedCopy.renderer(), index, was, VisualComparison.fitting(images[2], now))
                : before;
        blankWhereBlank(print, before, after, now, fillable.boxes(), tolerance);
        if (commentsAllowed) {
            StickyNotes.leaveOut(signedPage, currentPage, before, after, now, tolerance);
        }
        return print == before ? images[2] : print;
    }

    /**
     * Name and box of each fillable widget of the page, keyed by both: the widgets of a radio group (or of any field
     * shown in several places) share the field's name, each in its own box; a name seen twice in the same box on one
     * page is left out (ambiguous), and a widget added later in another box under an existing name has a key the
     * signed page did not.
     */
    private static Map<String, PDRectangle> fillable(PDPage page, boolean emptyOnly) {
        Map<String, PDRectangle> boxes = new HashMap<>();
        List<String> twice = new ArrayList<>();
        List<PDAnnotation> annotations;
        try {
            annotations = page.getAnnotations();
        } catch (IOException e) {
            return Map.of();
        }
        for (PDAnnotation annotation : annotations) {
            COSDictionary widget = annotation.getCOSObject();
            if (!COSName.WIDGET.equals(widget.getCOSName(COSName.SUBTYPE))) {
                continue;
            }
            COSName type = (COSName) inherited(widget, COSName.FT, COSName.class);
            COSNumber flags = (COSNumber) inherited(widget, COSName.FF, COSNumber.class);
            if (type == null || COSName.SIG.equals(type) || flags != null && (flags.intValue() & READ_ONLY) != 0) {
                continue;
            }
            // empty to the signer: no value, and an appearance that shows none (a value kept only as appearance
            // was seen all the same)
            if (emptyOnly && (!empty(inherited(widget, COSName.V, COSBase.class))
                    || AppearanceInk.showsSomething(annotation, COSName.BTN.equals(type)))) {
                continue;
            }
            String name = qualifiedName(widget);
            PDRectangle rect = annotation.getRectangle();
            if (name == null || rect == null) {
                continue;
            }
            String key = name + BOX + rect.getLowerLeftX() + " " + rect.getLowerLeftY() + " " + rect.getUpperRightX()
                    + " " + rect.getUpperRightY();
            if (boxes.put(key, rect) != null) {
                twice.add(key);
            }
        }
        twice.forEach(boxes::remove);
        return boxes;
    }

    private static boolean empty(COSBase value) {
        return FormFields.empty(value);
    }

    /** Whether the document is certified (DocMDP) with P=2 or 3: form filling allowed by the certifier. */
    static boolean certifiedForFilling(PDDocument document) {
        return FormFields.certifiedForFilling(document.getDocumentCatalog().getCOSObject());
    }

    private static COSBase inherited(COSDictionary node, COSName key, Class<? extends COSBase> type) {
        COSDictionary at = node;
        for (int depth = 0; at != null && depth < MAX_DEPTH; depth++) {
            COSBase value = at.getDictionaryObject(key);
            if (type.isInstance(value)) {
                return value;
            }
            at = at.getCOSDictionary(COSName.PARENT);
        }
        return null;
    }

    private static String qualifiedName(COSDictionary widget) {
        StringBuilder name = new StringBuilder();
        COSDictionary at = widget;
        for (int depth = 0; at != null && depth < MAX_DEPTH; depth++) {
            if (at.getDictionaryObject(COSName.T) instanceof COSString part) {
                name.insert(0, name.isEmpty() ? part.getString() : part.getString() + ".");
            }
            at = at.getCOSDictionary(COSName.PARENT);
        }
        return name.isEmpty() ? null : name.toString();
    }

    private static boolean same(PDRectangle a, PDRectangle b) {
        return a.getLowerLeftX() == b.getLowerLeftX() && a.getLowerLeftY() == b.getLowerLeftY()
                && a.getUpperRightX() == b.getUpperRightX() && a.getUpperRightY() == b.getUpperRightY();
    }

    /**
     * Blanks, on both drawings, the pixels of the boxes {@code fillable} that were blank in {@code print}: paper
     * (within {@code tolerance} of white) or the box's own background there (its commonest colour, a form's tint).
     * {@code print} is the page as signed ({@code before}: what the signer saw drawn in the box, the page's print
     * under an empty field or the field's frame, is still compared), or, under a certification that lets values
     * change, the signed page drawn without the fields (the old values may go, the page's own print may not).
     */
    static void blankWhereBlank(BufferedImage print, BufferedImage before, BufferedImage after, PageRaster now,
                                List<Exclusion> fillable, int tolerance) {
        for (Exclusion box : fillable) {
            Rectangle area = now.toPixels(box.area().getLowerLeftX(), box.area().getLowerLeftY(),
                    box.area().getWidth(), box.area().getHeight());
            int background = commonest(print, area);
            for (int y = area.y; y < area.y + area.height; y++) {
                for (int x = area.x; x < area.x + area.width; x++) {
                    int rgb = print.getRGB(x, y);
                    if (near(rgb, 0xffffff, tolerance) || near(rgb, background, tolerance)) {
                        before.setRGB(x, y, 0xffffffff);
                        after.setRGB(x, y, 0xffffffff);
                    }
                }
            }
        }
    }

    /** The commonest colour of {@code area} in {@code image} (white for an empty area). */
    private static int commonest(BufferedImage image, Rectangle area) {
        Map<Integer, Integer> counts = new HashMap<>();
        int best = 0xffffff;
        int most = 0;
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int count = counts.merge(rgb, 1, Integer::sum);
                if (count > most) {
                    most = count;
                    best = rgb;
                }
            }
        }
        return best;
    }

    private static boolean near(int rgb, int colour, int tolerance) {
        return Math.abs(((rgb >> 16) & 0xff) - ((colour >> 16) & 0xff)) <= tolerance
                && Math.abs(((rgb >> 8) & 0xff) - ((colour >> 8) & 0xff)) <= tolerance
                && Math.abs((rgb & 0xff) - (colour & 0xff)) <= tolerance;
    }
}
