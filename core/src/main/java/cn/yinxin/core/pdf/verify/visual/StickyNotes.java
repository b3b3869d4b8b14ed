package cn.yinxin.core.pdf.verify.visual;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sticky notes added where the certifier allowed comments (DocMDP P=3): the note's icon is what a commenting tool
 * (Acrobat, PDFBox, any reader) puts on the page, and every one of them made the certified signature fail on its
 * pictures. A note is left out of the pictures only where it cannot hide or imitate what was signed: a Text annotation
 * (the icon; its words show in a pop-up, not on the page) added after signing, at most {@value #MAX_SIDE} points a
 * side, on what was blank paper when signed. A note drawn at a fixed size whatever the zoom (/NoZoom, Acrobat's
 * notes) covers more of the page when zoomed out: the paper must be blank {@value #NO_ZOOM_REACH} times as far from
 * its top left corner. What a note draws is not judged, so it must also stand apart from what was signed: the paper
 * must be blank {@value #BESIDE} points to its left and right (a note's width: one placed just after "Amount: 100"
 * drawing ",000" read "Amount: 100,000" in poppler and was left out) and {@value #ABOVE_OR_BELOW} points above and
 * below (no stroke added to a glyph). Any other comment (free text, a stamp, a shape), a larger note, or a note over
 * or beside ink is compared as before; whether the note may be added at all (its level, actions, layers) is the
 * change analysis's.
 */
final class StickyNotes {

    static final float MAX_SIDE = 32;
    static final int NO_ZOOM_REACH = 3;
    /** Blank paper a note needs to its left and right, and above and below, in points (user space). */
    static final float BESIDE = MAX_SIDE;
    static final float ABOVE_OR_BELOW = 4;
    private static final int NO_ZOOM = 1 << 3;
    private static final COSName TEXT = COSName.getPDFName("Text");

    private record Note(PDRectangle box, boolean noZoom) {
    }

    private StickyNotes() {
    }

    /**
     * Blanks, on both drawings of the page, the boxes of the notes added since the signed page, where the signed
     * drawing {@code before} was white paper all over the area a note can cover.
     */
    static void leaveOut(PDPage signed, PDPage current, BufferedImage before, BufferedImage after, PageRaster now,
                         int tolerance) {
        for (Note note : added(signed, current)) {
            PDRectangle box = note.box();
            Rectangle drawn = now.toPixels(box.getLowerLeftX(), box.getLowerLeftY(), box.getWidth(), box.getHeight());
            Rectangle reach = now.toPixels(box.getLowerLeftX() - BESIDE, box.getLowerLeftY() - ABOVE_OR_BELOW,
                    box.getWidth() + 2 * BESIDE, box.getHeight() + 2 * ABOVE_OR_BELOW);
            if (note.noZoom()) {
                reach = reach.union(new Rectangle(drawn.x, drawn.y, drawn.width * NO_ZOOM_REACH,
                        drawn.height * NO_ZOOM_REACH));
            }
            if (whitePaper(before, reach.intersection(new Rectangle(0, 0, before.getWidth(), before.getHeight())),
                    tolerance)) {
                Rectangle area = drawn.intersection(new Rectangle(0, 0, before.getWidth(), before.getHeight()));
                for (int y = area.y; y < area.y + area.height; y++) {
                    for (int x = area.x; x < area.x + area.width; x++) {
                        before.setRGB(x, y, 0xffffffff);
                        after.setRGB(x, y, 0xffffffff);
                    }
                }
            }
        }
    }

    /** The boxes of the small Text annotations on the page now that were not on the page as signed. */
    private static List<Note> added(PDPage signed, PDPage current) {
        List<Note> boxes = new ArrayList<>();
        try {
            Set<COSObjectKey> before = new HashSet<>();
            for (PDAnnotation annotation : signed.getAnnotations()) {
                before.add(annotation.getCOSObject().getKey());
            }
            for (PDAnnotation annotation : current.getAnnotations()) {
                COSDictionary note = annotation.getCOSObject();
                PDRectangle box = annotation.getRectangle();
                if (TEXT.equals(note.getCOSName(COSName.SUBTYPE)) && note.getKey() != null
                        && !before.contains(note.getKey()) && box != null && Math.abs(box.getWidth()) <= MAX_SIDE
                        && Math.abs(box.getHeight()) <= MAX_SIDE) {
                    boxes.add(new Note(box, (annotation.getAnnotationFlags() & NO_ZOOM) != 0));
                }
            }
        } catch (IOException e) {
            return List.of(); // annotations that cannot be read: nothing left out
        }
        return boxes;
    }

    private static boolean whitePaper(BufferedImage image, Rectangle area, int tolerance) {
        for (int y = area.y; y < area.y + area.height; y++) {
            for (int x = area.x; x < area.x + area.width; x++) {
                int rgb = image.getRGB(x, y);
                if (255 - ((rgb >> 16) & 0xff) > tolerance || 255 - ((rgb >> 8) & 0xff) > tolerance
                        || 255 - (rgb & 0xff) > tolerance) {
                    return false;
                }
            }
        }
        return true;
    }
}
