package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The signatures a document's form shows, found by walking the field tree itself: every field whose type (inherited)
 * is /Sig and whose value is a dictionary, terminal or not. PDFBox's typed view takes a signature field with titled
 * kids for a non-terminal field and lists no signature there; a verifier that trusted it would skip a signature the
 * change analysis counts (or hide an earlier seal).
 */
public final class FormFields {

    private FormFields() {
    }

    /**
     * Whether a node of the form's field tree (a field, a kid, a widget) is {@code such}: each node once, at most
     * {@link RevisionDiff#WALK_LIMIT} of them. A tree larger than that answers true, "cannot tell": every caller
     * refuses to clear a change when a node is such, so a tree too large to walk is never cleared.
     */
    static boolean anyNode(COSDictionary form, Predicate<COSDictionary> such) {
        ArrayDeque<COSDictionary> todo = new ArrayDeque<>();
        COSArray fields = form.getCOSArray(COSName.FIELDS);
        for (int i = 0; fields != null && i < fields.size(); i++) {
            if (fields.getObject(i) instanceof COSDictionary field) {
                todo.push(field);
            }
        }
        Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            COSDictionary node = todo.pop();
            if (seen.size() >= RevisionDiff.WALK_LIMIT) {
                return true;
            }
            if (!seen.add(node)) {
                continue;
            }
            if (such.test(node)) {
                return true;
            }
            COSArray kids = node.getCOSArray(COSName.KIDS);
            for (int i = 0; kids != null && i < kids.size(); i++) {
                if (kids.getObject(i) instanceof COSDictionary kid) {
                    todo.push(kid);
                }
            }
        }
        return false;
    }

    /** Each field showing a signature dictionary, by fully qualified name, with that dictionary. */
    public static Map<String, Signed> signatures(PDDocument document) {
        return signatures(fields(document));
    }

    /** The signatures among {@code fields} (a revision's fields by fully qualified name). */
    static Map<String, Signed> signatures(Map<String, COSDictionary> fields) {
        Map<String, Signed> signatures = new LinkedHashMap<>();
        for (Map.Entry<String, COSDictionary> entry : fields.entrySet()) {
            COSDictionary field = entry.getValue();
            if (COSName.SIG.equals(fieldType(field))
                    && field.getDictionaryObject(COSName.V) instanceof COSDictionary value) {
                signatures.put(entry.getKey(), new Signed(field, value));
            }
        }
        return signatures;
    }

    /** A signature dictionary's /ByteRange: four whole numbers, or null. */
    public static long[] byteRange(COSDictionary signature) {
        if (!(signature.getDictionaryObject(COSName.BYTERANGE) instanceof COSArray array)
                || array.size() != 4) {
            return null;
        }
        long[] range = new long[4];
        for (int i = 0; i < 4; i++) {
            if (!(array.getObject(i) instanceof COSNumber number)) {
                return null;
            }
            range[i] = number.longValue();
        }
        return range;
    }

    /** A signature field and the signature dictionary it shows. */
    public record Signed(COSDictionary field, COSDictionary signature) {
    }

    /** The form's fields, by fully qualified name, walking /Fields and /Kids (bounded). */
    static Map<String, COSDictionary> fields(PDDocument document) {
        Map<String, COSDictionary> fields = new LinkedHashMap<>();
        COSDictionary form = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM);
        if (form == null) {
            return fields;
        }
        collect(form.getCOSArray(COSName.FIELDS), "", fields, new HashSet<>(), 0, new HashMap<>());
        return fields;
    }

    /**
     * The fully qualified names that more than one field dictionary of the form bears, with how many more: the
     * revision's {@link #fields} keeps the first of them only, a reader that looks a field up by name may take any.
     */
    static Map<String, Integer> repeatedNames(PDDocument document) {
        Map<String, Integer> repeated = new HashMap<>();
        COSDictionary form = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.ACRO_FORM);
        if (form != null) {
            collect(form.getCOSArray(COSName.FIELDS), "", new LinkedHashMap<>(), new HashSet<>(), 0, repeated);
        }
        return repeated;
    }

    private static void collect(COSArray kids, String prefix, Map<String, COSDictionary> fields,
                                Set<COSDictionary> seen, int depth, Map<String, Integer> repeated) {
        if (kids == null || depth > 32) {
            return;
        }
        for (int i = 0; i < kids.size() && fields.size() < RevisionDiff.WALK_LIMIT; i++) {
            if (!(kids.getObject(i) instanceof COSDictionary kid) || !seen.add(kid)) {
                continue;
            }
            String partial = kid.getString(COSName.T);
            boolean widgetOnly = partial == null && kid.getDictionaryObject(COSName.FT) == null
                    && kid.getDictionaryObject(COSName.V) == null && kid.getCOSArray(COSName.KIDS) == null;
            if (widgetOnly) {
                continue; // a widget of its parent field, not a field
            }
            String name = partial == null ? prefix.isEmpty() ? "(unnamed " + i + ")" : prefix
                    : prefix.isEmpty() ? partial : prefix + "." + partial;
            if (fields.putIfAbsent(name, kid) != null) {
                repeated.merge(name, 1, Integer::sum);
            }
            collect(kid.getCOSArray(COSName.KIDS), name, fields, seen, depth + 1, repeated);
        }
    }

    /** A field's widgets: itself when it is merged with its only widget, else its /Kids that are widgets. */
    static List<COSDictionary> widgets(COSDictionary field) {
        List<COSDictionary> widgets = new ArrayList<>();
        if (COSName.WIDGET.equals(field.getCOSName(COSName.SUBTYPE))) {
            widgets.add(field);
        }
        COSArray kids = field.getCOSArray(COSName.KIDS);
        for (int i = 0; kids != null && i < kids.size() && i < 1000; i++) {
            if (kids.getObject(i) instanceof COSDictionary kid
                    && COSName.WIDGET.equals(kid.getCOSName(COSName.SUBTYPE))) {
                widgets.add(kid);
            }
        }
        return widgets;
    }

    /** The field type, inherited through /Parent. */
    static COSName fieldType(COSDictionary field) {
        COSDictionary node = field;
        for (int depth = 0; node != null && depth < 32; depth++) {
            COSName type = node.getCOSName(COSName.FT);
            if (type != null) {
                return type;
            }
            node = node.getCOSDictionary(COSName.PARENT);
        }
        return null;
    }

    /**
     * Whether the annotation's flags (/F) are absent or a whole number from 0 to 2^31 - 1, read alike by every reader.
     * Anything else is read three ways (the second read, 2026-12-08): pdf.js takes 2.0 and 2^32 + 2 by their low
     * 32 bits and -2 as no flags, poppler -2 by its low bits (Hidden) and the others as no flags, PDFBox its own way.
     */
    public static boolean wholeFlags(COSDictionary annotation) {
        COSBase flags = annotation.getDictionaryObject(COSName.F);
        return flags == null || flags instanceof COSInteger f && f.longValue() >= 0 && f.longValue() <= Integer.MAX_VALUE;
    }

    /**
     * Whether an annotation can show anything, on screen or on paper: not Hidden, not NoView unless it prints
     * (Print) or can be toggled into view (ToggleNoView) (ISO 32000-1 12.5.3), and a rectangle with some area.
     */
    static boolean visible(COSDictionary annotation) {
        // flags count only as a whole number that fits 32 bits: readers that take 6.5, 2^32 + 2 or -2 (PDFBox: its
        // low bits, 2 = Hidden), as "no flags" draw what PDFBox hides
        int flags = wholeFlags(annotation) && annotation.getDictionaryObject(COSName.F) instanceof COSInteger f
                ? (int) f.longValue() : 0;
        boolean hidden = (flags & 2) != 0;
        boolean noView = (flags & 32) != 0 && (flags & 4) == 0 && (flags & 256) == 0;
        if (hidden || noView) {
            return false;
        }
        COSArray rect = annotation.getCOSArray(COSName.RECT);
        if (rect == null || rect.size() != 4) {
            return true; // a malformed box: some readers take its first four numbers and draw it
        }
        float[] r = rect.toFloatArray();
        return Math.abs(r[2] - r[0]) > 0.01 && Math.abs(r[3] - r[1]) > 0.01;
    }

    /** A field value that shows nothing: none, an empty text, an empty choice, or a check box or radio button off. */
    public static boolean empty(COSBase value) {
        return value == null || value instanceof COSNull
                || value instanceof COSString text && text.getString().isEmpty()
                || value instanceof COSArray choices && choices.size() == 0
                || COSName.Off.equals(value);
    }

    /**
     * Whether the document whose catalog this is is certified (DocMDP) with P=2 or 3: the certifier allowed values
     * to be filled in and changed. The certification signature is named by the catalog's /Perms /DocMDP; P defaults
     * to 2.
     */
    public static boolean certifiedForFilling(COSDictionary catalog) {
        Integer p = docMdp(catalog);
        return p != null && (p == 2 || p == 3);
    }

    /** Whether the document whose catalog this is is certified (DocMDP) with P=3: the certifier allowed comments. */
    public static boolean certifiedForComments(COSDictionary catalog) {
        Integer p = docMdp(catalog);
        return p != null && p == 3;
    }

    /** Whether the document whose catalog this is is certified (DocMDP), whatever its P. */
    static boolean certified(COSDictionary catalog) {
        return docMdp(catalog) != null;
    }

    /** The P of the certification the catalog's /Perms /DocMDP names (2 when unstated), or null when none. */
    private static Integer docMdp(COSDictionary catalog) {
        COSDictionary perms = catalog.getCOSDictionary(COSName.PERMS);
        COSDictionary signature = perms == null ? null : perms.getCOSDictionary(COSName.DOCMDP);
        if (signature == null || !(signature.getDictionaryObject(COSName.REFERENCE) instanceof COSArray refs)) {
            return null;
        }
        for (int i = 0; i < refs.size(); i++) {
            if (refs.getObject(i) instanceof COSDictionary reference
                    && COSName.DOCMDP.equals(reference.getCOSName(COSName.TRANSFORM_METHOD))) {
                COSDictionary params = reference.getCOSDictionary(COSName.TRANSFORM_PARAMS);
                return params == null ? 2 : params.getInt(COSName.P, 2);
            }
        }
        return null;
    }

    /** A field's value, its own or inherited from the fields above it (/V is inheritable, ISO 32000-1 12.7.3.1). */
    static COSBase value(COSDictionary field) {
        COSDictionary node = field;
        for (int depth = 0; node != null && depth < 32; depth++) {
            COSBase value = node.getDictionaryObject(COSName.V);
            if (value != null) {
                return value;
            }
            node = node.getCOSDictionary(COSName.PARENT);
        }
        return null;
    }

    /** The widgets of a field and of the fields under it (bounded): a value a parent holds shows in all of them. */
    static List<COSDictionary> widgetsUnder(COSDictionary field) {
        List<COSDictionary> widgets = new ArrayList<>();
        ArrayDeque<COSDictionary> todo = new ArrayDeque<>(List.of(field));
        Set<COSDictionary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty() && seen.size() < 1000) {
            COSDictionary node = todo.pop();
            if (!seen.add(node)) {
                continue;
            }
            if (COSName.WIDGET.equals(node.getCOSName(COSName.SUBTYPE))) {
                widgets.add(node);
            }
            COSArray kids = node.getCOSArray(COSName.KIDS);
            for (int i = 0; kids != null && i < kids.size() && i < 1000; i++) {
                if (kids.getObject(i) instanceof COSDictionary kid) {
                    todo.push(kid);
                }
            }
        }
        return widgets;
    }
}
