package cn.yinxin.core.pdf;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDTerminalField;

import java.util.ArrayList;
import java.util.List;

/**
 * A field's widgets, read without changing the document. PDFBox's {@code PDTerminalField.getWidgets()} wraps the
 * field (when it has no kids) or each of its kids in a {@code PDAnnotationWidget}, whose constructor writes
 * {@code /Subtype /Widget} into the dictionary: reading a document under verification through it rewrote what the
 * change analysis then compared, so a seal's widget given another subtype after sealing (a /Popup: viewers no
 * longer draw the seal) read as unchanged (ChangeFuzzTest found it). Only what already is a widget is listed here.
 */
public final class Widgets {

    /** At most this many kids are looked at (a field has a widget per place it is shown). */
    private static final int MAX_KIDS = 1000;

    private Widgets() {
    }

    public static List<PDAnnotationWidget> of(PDTerminalField field) {
        COSDictionary dictionary = field.getCOSObject();
        List<PDAnnotationWidget> widgets = new ArrayList<>();
        COSArray kids = dictionary.getCOSArray(COSName.KIDS);
        if (kids == null) {
            add(dictionary, widgets);
            return widgets;
        }
        for (int i = 0; i < kids.size() && i < MAX_KIDS; i++) {
            if (kids.getObject(i) instanceof COSDictionary kid) {
                add(kid, widgets);
            }
        }
        return widgets;
    }

    private static void add(COSDictionary candidate, List<PDAnnotationWidget> widgets) {
        // the constructor would also write /Type /Annot where it is missing: optional for annotations, and the
        // change rules take no account of it
        if (COSName.WIDGET.equals(candidate.getCOSName(COSName.SUBTYPE))) {
            widgets.add(new PDAnnotationWidget(candidate));
        }
    }
}
