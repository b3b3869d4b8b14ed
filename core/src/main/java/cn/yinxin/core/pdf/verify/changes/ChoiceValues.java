package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;

import java.util.HashSet;
import java.util.Set;

/**
 * A choice field (list or combo box) filled as form fillers fill it: its value (/V) with, as they also write them,
 * the list's top index (/TI: which option a scrolling list shows first) and the selected options' indices (/I, which
 * PDFBox writes for a list box with several selections). No value is hidden in them: /I must select exactly the
 * options /V names (ISO 32000-1 12.7.4.4), so a viewer that shows the selection by index shows the same options as one
 * that reads the value.
 */
final class ChoiceValues {

    private static final COSName TOP_INDEX = COSName.getPDFName("TI");
    private static final int MAX_OPTIONS = 10_000;

    private ChoiceValues() {
    }

    /** Whether {@code changed} (the field's entries that changed) is a choice field's fill. */
    static boolean filled(COSDictionary field, Set<COSName> changed) {
        if (!COSName.CH.equals(FormFields.fieldType(field)) || !changed.contains(COSName.V)
                || !Set.of(COSName.V, TOP_INDEX, COSName.I).containsAll(changed)) {
            return false;
        }
        return !changed.contains(COSName.I) || indicesSelectTheValue(field);
    }

    private static boolean indicesSelectTheValue(COSDictionary field) {
        Set<String> values = strings(field.getDictionaryObject(COSName.V));
        COSBase indices = field.getDictionaryObject(COSName.I);
        if (indices == null) {
            return true; // the indices were removed: viewers go by the value
        }
        if (values == null || !(indices instanceof COSArray selected)
                || !(inherited(field, COSName.OPT) instanceof COSArray options) || options.size() > MAX_OPTIONS) {
            return false;
        }
        Set<String> chosen = new HashSet<>();
        int previous = -1;
        for (int i = 0; i < selected.size(); i++) {
            if (!(selected.getObject(i) instanceof COSInteger index) || index.intValue() <= previous
                    || index.intValue() >= options.size()) {
                return false; // not ascending, or past the options
            }
            previous = index.intValue();
            String export = export(options.getObject(previous));
            if (export == null) {
                return false;
            }
            chosen.add(export);
        }
        return chosen.equals(values) && chosen.size() == selected.size();
    }

    /** An option's export value: the option itself, or the first of its pair [export, shown]. */
    private static String export(COSBase option) {
        if (option instanceof COSString text) {
            return text.getString();
        }
        return option instanceof COSArray pair && pair.size() == 2 && pair.getObject(0) instanceof COSString text
                ? text.getString() : null;
    }

    private static Set<String> strings(COSBase value) {
        Set<String> strings = new HashSet<>();
        if (value instanceof COSString text) {
            strings.add(text.getString());
            return strings;
        }
        if (!(value instanceof COSArray array) || array.size() > MAX_OPTIONS) {
            return null;
        }
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getObject(i) instanceof COSString text)) {
                return null;
            }
            strings.add(text.getString());
        }
        return strings;
    }

    private static COSBase inherited(COSDictionary field, COSName key) {
        COSDictionary node = field;
        for (int depth = 0; node != null && depth < 32; depth++) {
            if (node.getDictionaryObject(key) != null) {
                return node.getDictionaryObject(key);
            }
            node = node.getCOSDictionary(COSName.PARENT);
        }
        return null;
    }
}
