package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDPage;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An annotation the older revision had, defined anew: a change in entries that draw nothing (/P, /Type,
 * /StructParent, /NM, /M) is housekeeping; a new appearance of a filled field's widget is part of the fill; any
 * other change is {@link ModificationLevel#ANNOTATIONS}, and for a signature's widget not allowed at all. An
 * appearance stream of an annotation defined anew counts as a change of that annotation.
 */
final class AnnotationRule implements ChangeRule {

    private static final Set<COSName> SILENT = Set.of(COSName.P, COSName.TYPE, COSName.getPDFName("StructParent"),
            COSName.getPDFName("NM"), COSName.M);

    private record Owner(COSDictionary annotation, int page) {
    }

    @Override
    public void apply(RevisionDiff diff, Clearance clearance) {
        Map<COSObjectKey, Owner> annotations = new HashMap<>();
        Map<COSObjectKey, Owner> appearances = new HashMap<>();
        Set<COSObjectKey> pageContent = new HashSet<>();
        int number = 0;
        for (PDPage page : diff.before().getPages()) {
            number++;
            // what the page itself draws with; an appearance stream shared with it is page content, not the annotation's
            pageContent.addAll(Reach.from(page.getCOSObject().getItem(COSName.CONTENTS), Set.of()).keySet());
            pageContent.addAll(Reach.from(page.getCOSObject().getItem(COSName.RESOURCES), Set.of()).keySet());
            for (COSDictionary annotation : PageRule.annotations(page.getCOSObject().getDictionaryObject(COSName.ANNOTS)).values()) {
                Owner owner = new Owner(annotation, number);
                if (annotation.getKey() != null) {
                    annotations.putIfAbsent(annotation.getKey(), owner);
                }
                for (COSObjectKey stream : Reach.from(annotation.getItem(COSName.AP), Set.of()).keySet()) {
                    appearances.putIfAbsent(stream, owner);
                }
            }
        }
        for (COSObjectKey key : diff.redefined()) {
            if (clearance.isCleared(key) || clearance.isJudged(key)) {
                continue;
            }
            Owner owner = annotations.get(key);
            if (owner != null && diff.newObject(key) instanceof COSDictionary now) {
                Set<COSName> changed = new HashSet<>(RevisionDiff.changedKeys(owner.annotation(), now));
                changed.removeAll(SILENT);
                if (FormRule.isWidget(now)) {
                    changed.removeAll(FormRule.FIELD_KEYS); // a merged field's own entries are the form rule's
                }
                if (changed.isEmpty()) {
                    clearance.clear(key, ModificationLevel.NONE);
                } else if (clearance.isFilledWidget(key) && FormRule.APPEARANCE.containsAll(changed)) {
                    clearance.clear(key, ModificationLevel.FORM_FILLING);
                } else {
                    changed(clearance, key, owner, RevisionDiff.names(changed) + flags(owner.annotation(), now));
                }
                continue;
            }
            Owner drawn = appearances.get(key);
            if (drawn != null && !pageContent.contains(key)) {
                if (clearance.isFilledWidget(drawn.annotation().getKey())) {
                    clearance.clear(key, ModificationLevel.FORM_FILLING);
                } else {
                    changed(clearance, key, drawn, "its appearance stream, object " + key);
                }
            }
        }
    }

    private static void changed(Clearance clearance, COSObjectKey key, Owner owner, String what) {
        COSDictionary annotation = owner.annotation();
        if (FormRule.isWidget(annotation) && COSName.SIG.equals(RevisionDiff.fieldType(annotation))) {
            clearance.report(Finding.of("ANNOTATION_CHANGED", owner.page(), ModificationLevel.OTHER, "the appearance "
                    + "or place of a signature on page " + owner.page() + " was changed (" + what + ")"), key);
        } else {
            clearance.report(Finding.of("ANNOTATION_CHANGED", owner.page(), ModificationLevel.ANNOTATIONS, "a "
                    + PageRule.subtype(annotation) + " annotation on page " + owner.page() + " was changed ("
                    + what + ")"));
            clearance.clear(key, ModificationLevel.ANNOTATIONS);
        }
    }


    private static String flags(COSDictionary before, COSDictionary after) {
        int was = before.getInt(COSName.F, 0);
        int is = after.getInt(COSName.F, 0);
        boolean hiddenBefore = (was & 2) != 0 || (was & 32) != 0;
        boolean hiddenAfter = (is & 2) != 0 || (is & 32) != 0;
        return hiddenBefore && !hiddenAfter ? "; it was hidden when signed and now shows"
                : !hiddenBefore && hiddenAfter ? "; it showed when signed and is now hidden" : "";
    }
}
