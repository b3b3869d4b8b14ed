package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.CosDigest;
import cn.yinxin.core.pdf.verify.PageList;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDPage;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A page may change only in its list of annotations (and in entries that draw nothing: its place in the structure
 * tree, its tab order). Each annotation added is judged: a widget of a signature or empty signature field the form
 * rule explained takes that rule's level; any other annotation is {@link ModificationLevel#ANNOTATIONS}; a widget
 * that belongs to no field of the form is not allowed (a ghost signature or field). Removing an annotation is
 * {@link ModificationLevel#ANNOTATIONS}, removing a signature's widget is not allowed.
 */
final class PageRule implements ChangeRule {

    private static final Set<COSName> SILENT = Set.of(COSName.ANNOTS, COSName.getPDFName("StructParents"),
            COSName.getPDFName("Tabs"));

    @Override
    public void apply(RevisionDiff diff, Clearance clearance) {
        List<PDPage> before = PageList.of(diff.before());
        List<PDPage> after = PageList.of(diff.after());
        int count = Math.min(before.size(), after.size());
        for (int i = 0; i < count; i++) {
            COSObjectKey signed = before.get(i).getCOSObject().getKey();
            COSObjectKey shown = after.get(i).getCOSObject().getKey();
            if (signed != null && !signed.equals(shown)) {
                clearance.report(Finding.of("PAGE_CONTENT", i + 1, ModificationLevel.OTHER, "page " + (i + 1)
                        + " is now another page object (" + shown + " instead of " + signed + ") than the one signed"));
            }
        }
        int number = 0;
        for (PDPage page : diff.after().getPages()) {
            number++;
            COSDictionary now = page.getCOSObject();
            COSObjectKey key = now.getKey();
            COSObjectKey annotsKey = RevisionDiff.key(now.getItem(COSName.ANNOTS));
            boolean pageRedefined = diff.isRedefined(key);
            boolean annotsRedefined = diff.isRedefined(annotsKey);
            if (!pageRedefined && !annotsRedefined || !(diff.oldObject(key) instanceof COSDictionary was)) {
                continue;
            }
            Set<COSName> changed = RevisionDiff.changedKeys(was, now);
            Set<COSName> silent = new java.util.TreeSet<>(changed);
            silent.retainAll(SILENT);
            silent.remove(COSName.ANNOTS);
            changed.removeAll(SILENT);
            if (!changed.isEmpty()) {
                clearance.report(Finding.of("PAGE_CONTENT", number, ModificationLevel.OTHER, "page " + number
                        + " changed its " + RevisionDiff.names(changed)), key);
                continue;
            }
            if (repeated(now.getDictionaryObject(COSName.ANNOTS)) > repeated(was.getDictionaryObject(COSName.ANNOTS))) {
                clearance.report(Finding.of("PAGE_CONTENT", number, ModificationLevel.OTHER, "page " + number
                        + " lists an annotation twice: readers draw it twice (what has soft edges or shading darkens)"),
                        key, annotsKey);
                continue;
            }
            ModificationLevel level = annotations(diff, clearance, number, annotations(was.getDictionaryObject(COSName.ANNOTS)),
                    annotations(now.getDictionaryObject(COSName.ANNOTS)));
            if (level != ModificationLevel.OTHER && !silent.isEmpty()) {
                // entries that draw nothing (tab order, the structure tree's link) are allowed, and listed: the page
                // was defined anew, and "unchanged since signing" would not be true
                clearance.report(Finding.of("PAGE_CONTENT", number, ModificationLevel.LTA_UPDATES, "page " + number
                        + " changed its " + RevisionDiff.names(silent)));
                level = level.compareTo(ModificationLevel.LTA_UPDATES) >= 0 ? level : ModificationLevel.LTA_UPDATES;
            }
            if (level != ModificationLevel.OTHER) {
                clearance.clear(key, level);
                if (annotsKey != null && annotsKey.equals(RevisionDiff.key(was.getItem(COSName.ANNOTS)))) {
                    clearance.clear(annotsKey, level);
                }
            } else {
                clearance.report(Finding.of("PAGE_CONTENT", number, ModificationLevel.OTHER, "the annotations of page "
                        + number + " changed in a way no rule allows (see above)"), key, annotsKey);
            }
        }
    }

    /** Judges the annotations added and removed; returns the highest level, OTHER when one is not allowed. */
    private static ModificationLevel annotations(RevisionDiff diff, Clearance clearance, int number,
                                                 Map<Object, COSDictionary> was, Map<Object, COSDictionary> is) {
        ModificationLevel level = ModificationLevel.NONE;
        // the order of /Annots is the order they are drawn in: the later one covers the earlier
        List<Object> keptBefore = was.keySet().stream().filter(is::containsKey).toList();
        List<Object> keptAfter = is.keySet().stream().filter(was::containsKey).toList();
        if (!keptBefore.equals(keptAfter)) {
            clearance.report(Finding.of("ANNOTATION_CHANGED", number, ModificationLevel.ANNOTATIONS, "the order in "
                    + "which the annotations of page " + number + " are drawn changed: one may now cover another"));
            level = ModificationLevel.ANNOTATIONS;
        }
        for (Map.Entry<Object, COSDictionary> entry : is.entrySet()) {
            if (was.containsKey(entry.getKey())) {
                continue;
            }
            level = max(level, added(diff, clearance, number, entry.getValue()));
        }
        for (Map.Entry<Object, COSDictionary> entry : was.entrySet()) {
            if (is.containsKey(entry.getKey())) {
                continue;
            }
            COSDictionary annotation = entry.getValue();
            if (FormRule.isWidget(annotation) && COSName.SIG.equals(FormFields.fieldType(annotation))) {
                clearance.report(Finding.of("ANNOTATION_REMOVED", number, ModificationLevel.OTHER,
                        "the widget of a signature was removed from page " + number));
                level = ModificationLevel.OTHER;
            } else {
                clearance.report(Finding.of("ANNOTATION_REMOVED", number, ModificationLevel.ANNOTATIONS, "a "
                        + subtype(annotation) + " annotation was removed from page " + number));
                level = max(level, ModificationLevel.ANNOTATIONS);
            }
        }
        return level;
    }

    /** Judges one annotation added to page {@code number}; returns its level, OTHER when it is not allowed. */
    private static ModificationLevel added(RevisionDiff diff, Clearance clearance, int number,
                                           COSDictionary annotation) {
        ModificationLevel explained = clearance.explainedWidget(annotation.getKey());
        if (explained != null) {
            return explained;
        } else if (FormRule.isWidget(annotation)) {
            boolean looksSigned = COSName.SIG.equals(FormFields.fieldType(annotation))
                    && annotation.getDictionaryObject(COSName.V) != null;
            clearance.report(Finding.of(looksSigned ? "SIGNATURE_GHOST" : "ANNOTATION_ADDED", number,
                    ModificationLevel.OTHER, looksSigned ? "a widget that shows a signature but belongs to no "
                            + "signature of the form was added on page " + number + ": nobody signed there"
                            : "a form widget that belongs to no field of the form was added on page " + number));
            return ModificationLevel.OTHER;
        }
        String beyond = AnnotationTraits.beyondPictures(null, annotation, diff.drawnAlike());
        if (beyond != null) {
            clearance.report(Finding.of("ANNOTATION_ADDED", number, ModificationLevel.OTHER, "a "
                    + subtype(annotation) + " annotation added on page " + number + " " + beyond));
            return ModificationLevel.OTHER;
        } else if (!judgeable(annotation)) {
            clearance.report(Finding.of("ANNOTATION_ADDED", number, ModificationLevel.OTHER, "a "
                    + subtype(annotation) + " annotation without an appearance of its own was added on page "
                    + number + ": each reader draws it its own way (a stamp named Approved is a large APPROVED), "
                    + "so what it shows cannot be judged"));
            return ModificationLevel.OTHER;
        } else {
            String target = AnnotationTraits.webAddress(annotation);
            String words = target == null ? AnnotationTraits.popUpWords(annotation) : null;
            clearance.report(Finding.of("ANNOTATION_ADDED", number, ModificationLevel.ANNOTATIONS, "a "
                    + subtype(annotation) + " annotation " + (target == null ? "" : "leading to " + target + " ")
                    + (words == null ? "" : "whose pop-up reads " + words + " ") + "was added on page " + number));
            clearance.clear(annotation.getKey(), ModificationLevel.ANNOTATIONS);
        }
        return ModificationLevel.ANNOTATIONS;
    }

    /** A page's annotations by object key (direct ones, rare, by their own definition). */
    static Map<Object, COSDictionary> annotations(COSBase annots) {
        Map<Object, COSDictionary> annotations = new LinkedHashMap<>();
        if (!(annots instanceof COSArray array)) {
            return annotations;
        }
        for (int i = 0; i < array.size() && i < RevisionDiff.WALK_LIMIT; i++) {
            COSBase item = array.get(i);
            if (!(array.getObject(i) instanceof COSDictionary annotation)) {
                continue;
            }
            annotations.put(item instanceof COSObject reference ? reference.getKey()
                    : HexFormat.of().formatHex(CosDigest.shallow(annotation)), annotation);
        }
        return annotations;
    }

    /** How many entries of a page's /Annots repeat an earlier one (the same object, or a direct copy of it). */
    static int repeated(COSBase annots) {
        int entries = 0;
        if (annots instanceof COSArray array) {
            for (int i = 0; i < array.size() && i < RevisionDiff.WALK_LIMIT; i++) {
                entries += array.getObject(i) instanceof COSDictionary ? 1 : 0;
            }
        }
        return entries - annotations(annots).size();
    }

    /** The kinds of annotation PDFBox draws without an appearance stream (it has an appearance handler for them). */
    private static final Set<String> DRAWN_WITHOUT_APPEARANCE = Set.of("Caret", "Circle", "FileAttachment",
            "FreeText", "Highlight", "Ink", "Line", "Link", "Polygon", "PolyLine", "Sound", "Square", "Squiggly",
            "StrikeOut", "Text", "Underline");

    /**
     * Whether what an annotation shows can be judged by the visual proof, which draws with PDFBox: it has an
     * appearance of its own, or it is of a kind PDFBox draws without one, or it shows nothing (hidden, or a closed
     * popup). A stamp, watermark or redaction without appearance is drawn by each reader its own way (poppler and
     * Acrobat paint a standard stamp's name) and by PDFBox not at all. Nor is one without appearance that carries rich
     * text (/RC): readers generate a free text's appearance from it (ISO 32000-1 12.5.6.6), PDFBox from /Contents.
     */
    static boolean judgeable(COSDictionary annotation) {
        if (annotation.getDictionaryObject(COSName.AP) instanceof COSDictionary ap
                && ap.getDictionaryObject(COSName.N) != null || !FormFields.visible(annotation)) {
            return true;
        }
        String subtype = subtype(annotation);
        return DRAWN_WITHOUT_APPEARANCE.contains(subtype) && annotation.getItem(RICH_TEXT) == null
                || "Popup".equals(subtype) && !annotation.getBoolean(COSName.getPDFName("Open"), false);
    }

    private static final COSName RICH_TEXT = COSName.getPDFName("RC");

    static String subtype(COSDictionary annotation) {
        COSName subtype = annotation.getCOSName(COSName.SUBTYPE);
        return subtype == null ? "(untyped)" : subtype.getName();
    }

    private static ModificationLevel max(ModificationLevel a, ModificationLevel b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
