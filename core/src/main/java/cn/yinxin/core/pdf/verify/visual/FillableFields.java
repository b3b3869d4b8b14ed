package cn.yinxin.core.pdf.verify.visual;

import cn.yinxin.core.pdf.verify.visual.VisualComparison.Exclusion;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The boxes on a page where form filling may show a new value: widgets of fillable fields (/FT /Tx, /Ch or /Btn,
 * not read-only, as signed) that sit on the page with the same /Rect in the signed revision and now. A field is
 * known by its fully qualified name (the /T of its field and parents), so a widget added later under an existing
 * name in another place is not among them.
 */
final class FillableFields {

    private static final int READ_ONLY = 1;
    private static final int MAX_DEPTH = 32;

    private FillableFields() {
    }

    static List<Exclusion> unmoved(PDPage signed, PDPage current, int pageNumber) {
        Map<String, PDRectangle> before = fillable(signed);
        if (before.isEmpty()) {
            return List.of();
        }
        List<Exclusion> boxes = new ArrayList<>();
        for (var entry : fillable(current).entrySet()) {
            PDRectangle was = before.get(entry.getKey());
            if (was != null && same(was, entry.getValue())) {
                boxes.add(new Exclusion(pageNumber, entry.getValue()));
            }
        }
        return boxes;
    }

    /** Name and box of each fillable widget of the page (a name seen twice on one page is left out: ambiguous). */
    private static Map<String, PDRectangle> fillable(PDPage page) {
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
            String name = qualifiedName(widget);
            PDRectangle rect = annotation.getRectangle();
            if (name == null || rect == null) {
                continue;
            }
            if (boxes.put(name, rect) != null) {
                twice.add(name);
            }
        }
        twice.forEach(boxes::remove);
        return boxes;
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
}
