package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.visual.AppearanceInk;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether a field's new value is form filling or replaces what the signer saw: a read-only field's value, a value
 * viewers drew themselves, a value stated or drawn when signed. What the signer saw is signed content; only a field
 * empty when signed fills in, unless a certification (DocMDP P=2/3) lets values change.
 */
final class SeenValues {

    private SeenValues() {
    }

    /** Why a field's new value is not form filling (read-only, or a value the signer saw), or null when it is. */
    static String refused(RevisionDiff diff, String name, COSDictionary old, COSDictionary field, String values) {
        if ((flags(old) & 1) != 0) {
            return "the read-only form field \"" + name + "\" was given another value: " + values
                    + " (a read-only field keeps the value it was signed with)";
        }
        if (seenValueRedrawn(diff, old, field)) {
            return "the form field \"" + name + "\" was given another value: " + values + " while viewers draw its "
                    + "value themselves (/NeedAppearances, or a widget without an appearance of its own): they "
                    + "showed the signer the old value and show the new one now";
        }
        // elsewhere too: pdf.js (Firefox) shows a text field's value, not its stored appearance, which the pictures
        // compare; a form's data is its values. Sealed, only fields empty when signed fill in (and may be filled
        // again); P=1 refuses any fill by its level, P=2/3 let values change
        if (diff.seenWhenSigned().contains(name) && !FormFields.certified(diff.oldCatalog())) {
            return "the form field \"" + name + "\" was given another value: " + values + " after the signer saw the "
                    + "old one: viewers that show a field's value rather than its stored appearance (pdf.js, "
                    + "Firefox) and whoever reads the form's data take the new one";
        }
        return null;
    }

    /**
     * A value the signer saw (not empty when signed) given another one where viewers draw the value themselves, not
     * the stored appearance: under the form's /NeedAppearances, or for a widget without an appearance of its own. The
     * visual proof draws the stored appearance, which such a change may leave as it was (it showed 100 and still
     * does, viewers show 1,000,000), so only this rule sees it. Allowed only where the signed revision is certified
     * for filling (DocMDP P=2 or 3: the certifier let values change).
     */
    private static boolean seenValueRedrawn(RevisionDiff diff, COSDictionary old, COSDictionary field) {
        if (!valueSeen(diff, old, field)) {
            return false; // nothing the signer saw, values the certifier let change, or a field no viewer shows
        }
        return needAppearances(diff.oldCatalog()) || needAppearances(diff.newCatalog())
                || FormFields.widgets(old).stream().anyMatch(widget -> !FormRule.hasAppearance(widget))
                || FormFields.widgets(field).stream().anyMatch(widget -> !FormRule.hasAppearance(widget));
    }

    /** A value not empty when signed, of a field some viewer shows, where no certification lets values change. */
    private static boolean valueSeen(RevisionDiff diff, COSDictionary old, COSDictionary field) {
        return !FormFields.empty(FormFields.value(old)) && !FormFields.certifiedForFilling(diff.oldCatalog())
                && Stream.concat(FormFields.widgetsUnder(old).stream(), FormFields.widgetsUnder(field).stream())
                        .anyMatch(FormFields::visible);
    }

    /**
     * The fields of a signed revision whose value its signer saw: a value stated (its own or inherited) or drawn by
     * the appearance (a /V empty but an appearance drawing 100 was seen all the same), on a visible widget.
     */
    static Set<String> seen(PDDocument signed) {
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, COSDictionary> entry : FormFields.fields(signed).entrySet()) {
            COSDictionary field = entry.getValue();
            if (COSName.SIG.equals(FormFields.fieldType(field))) {
                continue;
            }
            List<COSDictionary> shown = FormFields.widgetsUnder(field).stream().filter(FormFields::visible).toList();
            if (!shown.isEmpty() && (!FormFields.empty(FormFields.value(field)) || shown.stream().anyMatch(widget ->
                    AppearanceInk.showsSomething(new PDAnnotationWidget(widget),
                            COSName.BTN.equals(FormFields.fieldType(widget)))))) {
                seen.add(entry.getKey());
            }
        }
        return seen;
    }

    private static boolean needAppearances(COSDictionary catalog) {
        return catalog.getDictionaryObject(COSName.ACRO_FORM) instanceof COSDictionary form
                && form.getBoolean(COSName.NEED_APPEARANCES, false);
    }

    private static int flags(COSDictionary field) {
        COSDictionary node = field;
        for (int depth = 0; node != null && depth < 32; depth++) {
            if (node.getItem(COSName.FF) != null) {
                return node.getInt(COSName.FF, 0);
            }
            node = node.getCOSDictionary(COSName.PARENT);
        }
        return 0;
    }
}
