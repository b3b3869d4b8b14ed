package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.CosDigest;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSString;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The interactive form (ISO 32000-1 12.7): filling in fields (ISO 32000-1 12.8.2.2, DocMDP P>=2), signing a field
 * (see {@link SignatureAdditionRule}), adding an empty signature field, and the form dictionary's own entries. A field
 * removed, a field added that is not a signature field, a signature replaced, a read-only field given another value
 * or a field's definition changed is not allowed. A field's widgets change with it only in their appearance (/AP,
 * /AS); a widget judged here is left to the annotation rule otherwise.
 */
final class FormRule implements ChangeRule {

    /** The entries of a field dictionary (ISO 32000-1 12.7.3); the rest of a merged field and widget is the widget's. */
    static final Set<COSName> FIELD_KEYS = Set.of(COSName.FT, COSName.FF, COSName.V, COSName.DV, COSName.T,
            COSName.TU, COSName.TM, COSName.OPT, COSName.DA, COSName.Q, COSName.MAX_LEN, COSName.KIDS,
            COSName.PARENT, COSName.getPDFName("Lock"), COSName.getPDFName("SV"), COSName.I, COSName.getPDFName("TI"),
            COSName.getPDFName("RV"), COSName.DS, COSName.AA);
    /** What filling in a field redraws on its widgets. */
    static final Set<COSName> APPEARANCE = Set.of(COSName.AP, COSName.AS);
    private static final COSName XFA = COSName.getPDFName("XFA");

    private final SignatureAdditionRule signing;

    FormRule(SignatureIntegrity integrity) {
        this.signing = new SignatureAdditionRule(integrity);
    }

    @Override
    public void apply(RevisionDiff diff, Clearance clearance) {
        Map<String, COSDictionary> before = diff.fieldsBefore();
        Map<String, COSDictionary> after = diff.fieldsAfter();
        boolean fieldsAllowed = true;
        for (Map.Entry<String, COSDictionary> entry : before.entrySet()) {
            if (!after.containsKey(entry.getKey())) {
                fieldsAllowed = false;
                clearance.report(Finding.of("FORM_FIELD_REMOVED", null, ModificationLevel.OTHER,
                        "the form field \"" + entry.getKey() + "\" was removed"), entry.getValue().getKey());
            }
        }
        // a field given the name of another: the revision's fields keep the first, a reader may take the other
        Map<String, Integer> repeatedBefore = FormFields.repeatedNames(diff.before());
        for (Map.Entry<String, Integer> repeated : FormFields.repeatedNames(diff.after()).entrySet()) {
            if (repeated.getValue() > repeatedBefore.getOrDefault(repeated.getKey(), 0)) {
                fieldsAllowed = false;
                clearance.report(Finding.of("FORM_FIELD_ADDED", null, ModificationLevel.OTHER, "a form field named \""
                        + repeated.getKey() + "\" like another was added: readers that look a field up by its name may "
                        + "take either"));
            }
        }
        for (Map.Entry<String, COSDictionary> entry : after.entrySet()) {
            COSDictionary old = before.get(entry.getKey());
            boolean ok = old == null ? added(diff, clearance, entry.getKey(), entry.getValue())
                    : kept(diff, clearance, entry.getKey(), old, entry.getValue());
            fieldsAllowed &= ok;
        }
        form(diff, clearance, fieldsAllowed);
    }

    /** A field the older revision did not have: a signed or an empty signature field only. */
    private boolean added(RevisionDiff diff, Clearance clearance, String name, COSDictionary field) {
        if (!COSName.SIG.equals(FormFields.fieldType(field))) {
            clearance.report(Finding.of("FORM_FIELD_ADDED", pageOf(diff, field), ModificationLevel.OTHER,
                    "a form field \"" + name + "\" was added"), field.getKey());
            return false;
        }
        if (field.getDictionaryObject(COSName.V) instanceof COSDictionary) {
            return signing.judge(diff, clearance, name, field, null);
        }
        List<String> entries = SignatureAdditionRule.newEntries(field, FormFields.widgets(field), null);
        if (entries.isEmpty() && FormFields.widgets(field).stream().anyMatch(w -> AnnotationTraits.pointerAppearance(
                null, w))) {
            entries = List.of("its widget has an appearance readers draw while the pointer is over it or presses it "
                    + "(/AP /R, /D), which the comparison of the pages never draws");
        }
        if (!entries.isEmpty()) {
            clearance.report(Finding.of("SIGNATURE_FIELD_ADDED", pageOf(diff, field), ModificationLevel.OTHER,
                    "an empty signature field \"" + name + "\" was added: " + entries.getFirst()), field.getKey());
            return false;
        }
        boolean visible = FormFields.widgets(field).stream().anyMatch(FormFields::visible);
        ModificationLevel level = visible ? ModificationLevel.ANNOTATIONS : ModificationLevel.FORM_FILLING;
        clearance.report(new Finding("SIGNATURE_FIELD_ADDED", pageOf(diff, field), level, name,
                "an empty signature field \"" + name + "\" was added" + (visible ? "; its appearance can cover the page"
                        : ""), 0));
        clearance.clear(field.getKey(), level);
        for (COSDictionary widget : FormFields.widgets(field)) {
            clearance.explainWidget(widget.getKey(), level);
            clearance.clear(widget.getKey(), level);
        }
        return true;
    }

    /** A field both revisions have: filled in, signed, or unchanged. */
    private boolean kept(RevisionDiff diff, Clearance clearance, String name, COSDictionary old, COSDictionary field) {
        String adopted = adoptedKids(old, field);
        if (adopted != null) {
            clearance.report(Finding.of("FORM_FIELD_CHANGED", pageOf(diff, field), ModificationLevel.OTHER,
                    "the form field \"" + name + "\" " + adopted), field.getKey());
            return false;
        }
        if (!RevisionDiff.sameShallow(old.getItem(COSName.PARENT), field.getItem(COSName.PARENT))) {
            // the same name under another parent: its kind, value and font are inherited from there now, and readers
            // that follow /Parent (pdf.js) show the parent's value in a field whose own entries did not change
            clearance.report(Finding.of("FORM_FIELD_CHANGED", pageOf(diff, field), ModificationLevel.OTHER,
                    "the form field \"" + name + "\" was put under another parent field, whose value, kind and font "
                            + "it inherits"), field.getKey());
            return false;
        }
        Set<COSName> changed = fieldKeys(old, field);
        if (changed.isEmpty()) {
            // a field that is no widget, then or now, defined anew without a difference; a widget's own entries
            // (or a widget that stopped being one: the signature's, its seal no longer drawn as a field) are judged
            // as an annotation
            if (diff.isRedefined(field.getKey()) && !isWidget(field) && !isWidget(old)
                    && RevisionDiff.changedKeys(old, field).isEmpty()) {
                clearance.clear(field.getKey(), ModificationLevel.NONE);
            }
            return true;
        }
        boolean signature = COSName.SIG.equals(FormFields.fieldType(field));
        if (signature) {
            if (old.getDictionaryObject(COSName.V) == null && changed.equals(Set.of(COSName.V))) {
                return signing.judge(diff, clearance, name, field, old);
            }
            clearance.report(Finding.of("FORM_FIELD_CHANGED", pageOf(diff, field), ModificationLevel.OTHER,
                    changed.contains(COSName.V) ? "the signature in field \"" + name + "\" was replaced or removed"
                            : "the signature field \"" + name + "\" changed its " + RevisionDiff.names(changed)),
                    field.getKey());
            return false;
        }
        if (!changed.equals(Set.of(COSName.V)) && !ChoiceValues.filled(field, changed)) {
            clearance.report(Finding.of("FORM_FIELD_CHANGED", pageOf(diff, field), ModificationLevel.OTHER,
                    "the form field \"" + name + "\" changed its " + RevisionDiff.names(changed)), field.getKey());
            return false;
        }
        String values = "\"" + shorten(old.getDictionaryObject(COSName.V)) + "\" -> \""
                + shorten(field.getDictionaryObject(COSName.V)) + "\"";
        String refused = SeenValues.refused(diff, name, old, field, values);
        if (refused != null) {
            clearance.report(Finding.of("FORM_FIELD_FILLED", pageOf(diff, field), ModificationLevel.OTHER, refused),
                    field.getKey());
            return false;
        }
        clearance.report(new Finding("FORM_FIELD_FILLED", pageOf(diff, field), ModificationLevel.FORM_FILLING, name,
                "the form field \"" + name + "\" was filled in: " + values, 0));
        if (!isWidget(field)) {
            clearance.clear(field.getKey(), ModificationLevel.FORM_FILLING);
        }
        for (COSDictionary widget : FormFields.widgets(field)) {
            clearance.filledWidget(widget.getKey());
        }
        return true;
    }

    /** The form dictionary: its fields (judged above), signature flags, defaults for drawing values. */
    private void form(RevisionDiff diff, Clearance clearance, boolean fieldsAllowed) {
        COSBase itemBefore = diff.oldCatalog().getItem(COSName.ACRO_FORM);
        COSBase itemAfter = diff.newCatalog().getItem(COSName.ACRO_FORM);
        COSDictionary before = RevisionDiff.resolve(itemBefore) instanceof COSDictionary d ? d : new COSDictionary();
        COSDictionary after = RevisionDiff.resolve(itemAfter) instanceof COSDictionary d ? d : null;
        if (after == null) {
            if (itemBefore != null) {
                clearance.report(Finding.of("FORM_CHANGED", null, ModificationLevel.OTHER,
                        "the interactive form was removed"));
            }
            return;
        }
        boolean allowed = true;
        for (COSName key : RevisionDiff.changedKeys(before, after)) {
            if (COSName.FIELDS.equals(key)) {
                allowed &= fieldsAllowed;
            } else if ((COSName.DR.equals(key) || COSName.DA.equals(key)) && (redrawn(before) || drawnFromDefaults(diff))) {
                allowed = false;
                clearance.report(Finding.of("FORM_CHANGED", null, ModificationLevel.OTHER, "the interactive form's /"
                        + key.getName() + " changed while viewers draw the fields from it (/NeedAppearances, or a "
                        + "field without an appearance of its own): the values now show otherwise"),
                        RevisionDiff.key(itemAfter));
            } else if (COSName.DA.equals(key) && anyWidget(before, FormRule::drawsTextFromTheFormsDefault)) {
                allowed = false;
                clearance.report(Finding.of("FORM_CHANGED", null, ModificationLevel.OTHER, "the interactive form's "
                        + "/DA changed while a text or choice field takes its font, size and colour from it: pdf.js "
                        + "(Firefox) draws such a field's value itself, with those, so it now shows otherwise"),
                        RevisionDiff.key(itemAfter));
            } else if (COSName.SIG_FLAGS.equals(key) || COSName.DR.equals(key) || COSName.DA.equals(key)) {
                clearance.report(Finding.of("FORM_CHANGED", null, ModificationLevel.LTA_UPDATES, "the interactive "
                        + "form's signature flags or defaults for drawing field values (/" + key.getName() + ") changed"));
            } else if (COSName.NEED_APPEARANCES.equals(key) && !after.getBoolean(COSName.NEED_APPEARANCES, false)) {
                allowed &= needAppearancesCleared(clearance, before, itemAfter);
            } else {
                allowed = false;
                clearance.report(Finding.of("FORM_CHANGED", null, ModificationLevel.OTHER, "the interactive form's /"
                        + key.getName() + " changed" + (COSName.NEED_APPEARANCES.equals(key) ? ": viewers would redraw "
                        + "every field instead of showing what was signed" : XFA.equals(key)
                        ? ": an XFA form shows its own content in some viewers" : "")), RevisionDiff.key(itemAfter));
            }
        }
        if (!allowed) {
            return;
        }
        clearance.clear(RevisionDiff.key(itemAfter), ModificationLevel.LTA_UPDATES);
        if (listedTwice(after) > listedTwice(before)) {
            // the same fields, one of them listed again: nothing a reader draws, but not "unchanged" either
            clearance.report(Finding.of("FORM_CHANGED", null, ModificationLevel.LTA_UPDATES,
                    "the form's list of fields (/Fields) names a field more than once"));
        }
        COSBase fields = after.getItem(COSName.FIELDS);
        if (fieldsAllowed && before.getItem(COSName.FIELDS) != null
                && RevisionDiff.key(before.getItem(COSName.FIELDS)) != null
                && Objects.equals(RevisionDiff.key(before.getItem(COSName.FIELDS)), RevisionDiff.key(fields))) {
            clearance.clear(RevisionDiff.key(fields), ModificationLevel.LTA_UPDATES);
        }
        defaultResources(diff, clearance, before, after);
    }

    /** How many entries of the form's /Fields repeat an earlier one (the same field dictionary). */
    private static int listedTwice(COSDictionary form) {
        COSArray fields = form.getCOSArray(COSName.FIELDS);
        Set<COSBase> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        int twice = 0;
        for (int i = 0; fields != null && i < fields.size() && i < RevisionDiff.WALK_LIMIT; i++) {
            if (!seen.add(fields.getObject(i))) {
                twice++;
            }
        }
        return twice;
    }

    /** The default resources, as the form keeps them (fonts a page also draws with are not cleared). */
    private static void defaultResources(RevisionDiff diff, Clearance clearance, COSDictionary before,
                                         COSDictionary after) {
        COSObjectKey resources = RevisionDiff.key(after.getItem(COSName.DR));
        if (resources != null && resources.equals(RevisionDiff.key(before.getItem(COSName.DR)))
                && !diff.isShown(resources)) {
            clearance.clear(resources, ModificationLevel.LTA_UPDATES);
        }
        // a signature's widget is never drawn from the defaults: an empty signature field without appearance counts not
        if (!before.getBoolean(COSName.NEED_APPEARANCES, false) && !drawnFromDefaults(diff) && !anyWidget(before,
                widget -> !COSName.SIG.equals(FormFields.fieldType(widget)) && !hasAppearance(widget))) {
            DefaultFonts.clearAddedNames(diff, clearance, before, after);
        }
    }

    /**
     * /NeedAppearances cleared: viewers that drew each field's value themselves when it was signed now show the
     * widgets' stored appearance streams, which may show something else (a stale or prepared appearance: /V 100, the
     * stream 900). Harmless only when no field but a signature (which viewers never redraw) has a stored appearance.
     */
    private static boolean needAppearancesCleared(Clearance clearance, COSDictionary before, COSBase itemAfter) {
        if (anyWidget(before, widget -> !COSName.SIG.equals(FormFields.fieldType(widget)) && hasAppearance(widget))) {
            clearance.report(Finding.of("FORM_CHANGED", null, ModificationLevel.OTHER, "the interactive form's "
                    + "/NeedAppearances was cleared: viewers drew the fields' values themselves when it was signed, and "
                    + "now show the fields' stored appearances instead, which may show other values"),
                    RevisionDiff.key(itemAfter));
            return false;
        }
        clearance.report(Finding.of("FORM_CHANGED", null, ModificationLevel.LTA_UPDATES,
                "the interactive form's /NeedAppearances was cleared"));
        return true;
    }

    /**
     * How a field's kids changed, other than by new child fields (which are judged by their names): a widget
     * taken into the field (it would be redrawn as this field's value) or one dropped. Null when none.
     */
    private static String adoptedKids(COSDictionary old, COSDictionary field) {
        Set<Object> before = kids(old);
        Set<Object> after = kids(field);
        for (Object kid : before) {
            if (!after.contains(kid)) {
                return "lost one of its widgets or child fields";
            }
        }
        COSArray now = field.getCOSArray(COSName.KIDS);
        for (int i = 0; now != null && i < now.size(); i++) {
            if (now.getObject(i) instanceof COSDictionary kid && !before.contains(identity(now.get(i), kid))
                    && kid.getItem(COSName.T) == null) {
                return "took in a widget that was not its own when signed";
            }
        }
        return null;
    }

    private static Set<Object> kids(COSDictionary field) {
        Set<Object> kids = new HashSet<>();
        COSArray array = field.getCOSArray(COSName.KIDS);
        for (int i = 0; array != null && i < array.size() && i < RevisionDiff.WALK_LIMIT; i++) {
            if (array.getObject(i) instanceof COSDictionary kid) {
                kids.add(identity(array.get(i), kid));
            }
        }
        return kids;
    }

    private static Object identity(COSBase item, COSDictionary kid) {
        COSObjectKey key = RevisionDiff.key(item);
        return key != null ? key : HexFormat.of().formatHex(CosDigest.shallow(kid));
    }

    /** Whether an annotation of the older revision has no appearance of its own and names a /DA to be drawn with. */
    private static boolean drawnFromDefaults(RevisionDiff diff) {
        for (var page : diff.before().getPages()) {
            for (COSDictionary annotation : PageRule.annotations(page.getCOSObject().getDictionaryObject(COSName.ANNOTS))
                    .values()) {
                if (annotation.getItem(COSName.DA) != null && !(annotation.getDictionaryObject(COSName.AP)
                        instanceof COSDictionary ap && ap.getDictionaryObject(COSName.N) != null)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A text or choice field's widget with no /DA of its own or of its fields: it takes the form's. */
    private static boolean drawsTextFromTheFormsDefault(COSDictionary widget) {
        COSName type = FormFields.fieldType(widget);
        if (!COSName.TX.equals(type) && !COSName.CH.equals(type)) {
            return false;
        }
        COSDictionary node = widget;
        for (int depth = 0; node != null && depth < 32; depth++) {
            if (node.getItem(COSName.DA) != null) {
                return false;
            }
            node = node.getCOSDictionary(COSName.PARENT);
        }
        return true;
    }

    /** Whether viewers draw the form's fields from its defaults: /NeedAppearances, or a widget without /AP /N. */
    private static boolean redrawn(COSDictionary form) {
        return form.getBoolean(COSName.NEED_APPEARANCES, false)
                || anyWidget(form, widget -> !hasAppearance(widget) && !signedOutOfSight(widget));
    }

    /**
     * A signed signature field's widget that no viewer shows (no area, or hidden), as node-signpdf writes it without
     * an appearance: nothing of it is drawn, from the form's defaults or otherwise.
     */
    private static boolean signedOutOfSight(COSDictionary widget) {
        return COSName.SIG.equals(FormFields.fieldType(widget))
                && FormFields.value(widget) instanceof COSDictionary && !FormFields.visible(widget);
    }

    static boolean hasAppearance(COSDictionary widget) {
        return widget.getDictionaryObject(COSName.AP) instanceof COSDictionary ap && ap.getDictionaryObject(COSName.N) != null;
    }

    /** Whether a widget of the form's field tree is {@code such} (true too when the tree is too large to tell). */
    private static boolean anyWidget(COSDictionary form, Predicate<COSDictionary> such) {
        return FormFields.anyNode(form, node -> isWidget(node) && such.test(node));
    }

    /** The field's own entries that changed (for a field merged with its widget, not the widget's). */
    static Set<COSName> fieldKeys(COSDictionary old, COSDictionary field) {
        Set<COSName> changed = new HashSet<>(RevisionDiff.changedKeys(old, field));
        changed.remove(COSName.KIDS); // kids are fields of their own, judged by name
        changed.remove(COSName.PARENT);
        if (isWidget(old) || isWidget(field)) {
            changed.retainAll(FIELD_KEYS);
        }
        return changed;
    }

    static boolean isWidget(COSDictionary dictionary) {
        return COSName.WIDGET.equals(dictionary.getCOSName(COSName.SUBTYPE));
    }

    static Integer pageOf(RevisionDiff diff, COSDictionary field) {
        List<COSDictionary> widgets = FormFields.widgets(field);
        for (COSDictionary widget : widgets) {
            Integer page = RevisionDiff.pageNumber(diff.after(), widget.getItem(COSName.P));
            if (page != null) {
                return page;
            }
            Integer shown = RevisionDiff.page(diff.shownAfter(), widget.getKey());
            if (shown != null) {
                return shown;
            }
        }
        return null;
    }

    private static String shorten(COSBase value) {
        String text = value instanceof COSString s ? s.getString()
                : value instanceof COSName n ? n.getName() : value instanceof COSArray ? "[...]"
                : value == null ? "" : value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
