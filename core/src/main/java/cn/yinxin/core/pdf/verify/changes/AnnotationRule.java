package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDPage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
        if (diff.redefined().stream().allMatch(key -> clearance.isCleared(key) || clearance.isJudged(key))) {
            return; // nothing left to judge (a DSS or time-stamp revision): no need to walk every page
        }
        Survey survey = survey(diff);
        Map<COSObjectKey, Owner> annotations = survey.annotations();
        Map<COSObjectKey, List<Owner>> appearances = survey.appearances();
        Set<COSObjectKey> ownAppearance = survey.ownAppearance();
        Set<COSObjectKey> pageContent = survey.pageContent();
        for (COSObjectKey key : diff.redefined()) {
            if (clearance.isCleared(key) || clearance.isJudged(key)) {
                continue;
            }
            Owner owner = annotations.get(key);
            if (owner != null && diff.newObject(key) instanceof COSDictionary now) {
                annotationChanged(diff, clearance, key, owner, now);
                continue;
            }
            List<Owner> drawn = appearances.getOrDefault(key, List.of());
            if (!pageContent.contains(key) && shownUnderThePointer(clearance, key, drawn)) {
                continue;
            }
            if (!drawn.isEmpty() && !pageContent.contains(key)) {
                // a fill redraws its own widget's appearance stream; a font or image it shares with another
                // annotation (or the form's defaults) changes what that one shows too
                boolean ownFill = drawn.size() == 1 && ownAppearance.contains(key)
                        && clearance.isFilledWidget(drawn.getFirst().annotation().getKey());
                if (ownFill) {
                    COSObjectKey widget = drawn.getFirst().annotation().getKey();
                    fill(diff, clearance, key, drawn.getFirst(), diff.newObject(widget) instanceof COSDictionary now
                            ? now : drawn.getFirst().annotation());
                } else {
                    for (Owner user : drawn) {
                        appearanceChanged(diff, clearance, key, user);
                    }
                }
            }
        }
    }

    /**
     * What an annotation of the signed revision draws with (its appearance dictionary, a stream, a font) defined anew,
     * the annotation itself untouched: an annotation change, unless the annotation as it now resolves gained an
     * appearance under the pointer or draws under a layer or transfer function, which the pictures cannot judge.
     */
    private static void appearanceChanged(RevisionDiff diff, Clearance clearance, COSObjectKey key, Owner user) {
        COSDictionary was = user.annotation();
        COSDictionary now = was.getKey() != null && diff.newObject(was.getKey()) instanceof COSDictionary d ? d : was;
        if (AnnotationTraits.pointerAppearance(was, now) || AnnotationTraits.drawnOtherwise(now, diff.drawnAlike())) {
            clearance.report(Finding.of("ANNOTATION_CHANGED", user.page(), ModificationLevel.OTHER, "what a "
                    + PageRule.subtype(was) + " annotation on page " + user.page() + " draws with (object " + key
                    + ") was defined anew and it now has an appearance under the pointer (/AP /R, /D), a layer or a "
                    + "transfer function, which the comparison of the pages cannot judge"), key);
        } else {
            changed(clearance, key, user, "what its appearance draws with, object " + key);
        }
    }

    /** An annotation of the signed revision defined anew: judged by what changed in it. */
    private static void annotationChanged(RevisionDiff diff, Clearance clearance, COSObjectKey key, Owner owner,
                                          COSDictionary now) {
        Set<COSName> changed = new HashSet<>(RevisionDiff.changedKeys(owner.annotation(), now));
        changed.removeAll(SILENT);
        if (FormRule.isWidget(now) && isField(owner.annotation())) {
            changed.removeAll(FormRule.FIELD_KEYS); // a merged field's own entries are the form rule's
        }
        if (changed.isEmpty()) {
            clearance.clear(key, ModificationLevel.NONE);
        } else if (clearance.isFilledWidget(key) && FormRule.APPEARANCE.containsAll(changed)) {
            fill(diff, clearance, key, owner, now);
        } else if (!FormRule.isWidget(now) && beyondPictures(diff, owner, now) != null) {
            clearance.report(Finding.of("ANNOTATION_CHANGED", owner.page(), ModificationLevel.OTHER, "a "
                    + PageRule.subtype(now) + " annotation on page " + owner.page() + " was changed ("
                    + RevisionDiff.names(changed) + ") and " + beyondPictures(diff, owner, now)), key);
        } else if (FormRule.isWidget(now) && (AnnotationTraits.pointerAppearance(owner.annotation(), now)
                || AnnotationTraits.drawnOtherwise(now, diff.drawnAlike()))) {
            clearance.report(Finding.of("ANNOTATION_CHANGED", owner.page(), ModificationLevel.OTHER, "a form field's "
                    + "widget on page " + owner.page() + " changed its " + RevisionDiff.names(changed) + " and now has "
                    + "an appearance under the pointer (/AP /R, /D), a layer or a transfer function, which the "
                    + "comparison of the pages cannot judge"), key);
        } else if (FormRule.isWidget(now) && (changed.contains(COSName.MK) || changed.contains(COSName.DA))) {
            clearance.report(Finding.of("ANNOTATION_CHANGED", owner.page(), ModificationLevel.OTHER, "a form "
                    + "field's widget on page " + owner.page() + " changed its " + RevisionDiff.names(changed)
                    + ": readers that draw fields themselves (pdf.js in Firefox) take a field's background, "
                    + "border, caption and font from these, so what it shows there cannot be judged"), key);
        } else if (!FormRule.isWidget(now) && !PageRule.judgeable(now)) {
            clearance.report(Finding.of("ANNOTATION_CHANGED", owner.page(), ModificationLevel.OTHER, "a "
                    + PageRule.subtype(now) + " annotation on page " + owner.page() + " was changed ("
                    + RevisionDiff.names(changed) + ") and has no appearance of its own: each reader draws "
                    + "it its own way, so what it shows cannot be judged"), key);
        } else {
            // new words in a comment's pop-up are what a reader shows a clerk as the comment: quoted, as an added
            // comment's are
            String words = changed.contains(COSName.CONTENTS) || changed.contains(COSName.T)
                    ? AnnotationTraits.popUpWords(now) : null;
            changed(clearance, key, owner, RevisionDiff.names(changed) + flags(owner.annotation(), now), words);
        }
    }

    /**
     * An appearance stream (or what it draws with) that an annotation of the signed revision shows only while the
     * pointer is over it or presses it (/AP /R, /D), defined anew: the pictures never draw it. Reported when so.
     */
    private static boolean shownUnderThePointer(Clearance clearance, COSObjectKey key, List<Owner> drawn) {
        Owner pointer = drawn.stream().filter(o -> AnnotationTraits.pointerOnly(o.annotation(), key)).findFirst()
                .orElse(null);
        if (pointer != null) {
            clearance.report(Finding.of("ANNOTATION_CHANGED", pointer.page(), ModificationLevel.OTHER, "an appearance "
                    + "a " + PageRule.subtype(pointer.annotation()) + " annotation on page " + pointer.page()
                    + " shows only while the pointer is over it or presses it (/AP /R, /D; object " + key + ") was "
                    + "given a new definition: the comparison of the pages never draws it"), key);
        }
        return pointer != null;
    }

    /**
     * A filled field's widget given a new appearance (the widget {@code key}, or its appearance stream): form filling,
     * unless the appearance draws under a transfer function or optional content, which the pictures (PDFBox) draw
     * otherwise than readers do: black painted with /BM /Lighten is nothing to PDFBox, and white over the text the
     * page printed under the field to poppler when a /TR turns black into white.
     */
    private static void fill(RevisionDiff diff, Clearance clearance, COSObjectKey key, Owner owner,
                             COSDictionary widget) {
        if (AnnotationTraits.pointerAppearance(owner.annotation(), widget)) {
            clearance.report(Finding.of("FORM_FIELD_FILLED", owner.page(), ModificationLevel.OTHER, "the new "
                    + "appearance of a filled field's widget on page " + owner.page() + " has a part readers draw "
                    + "while the pointer is over the field or presses it (/AP /R, /D), which the comparison of the "
                    + "pages never draws, so what the fill shows then cannot be judged"), key);
        } else if (AnnotationTraits.drawnOtherwise(widget, diff.drawnAlike())) {
            clearance.report(Finding.of("FORM_FIELD_FILLED", owner.page(), ModificationLevel.OTHER, "the new "
                    + "appearance of a filled field's widget on page " + owner.page() + " draws under optional content "
                    + "(a layer) or a transfer function, which each reader takes its own way, so what the fill shows "
                    + "cannot be judged"), key);
        } else {
            clearance.clear(key, ModificationLevel.FORM_FILLING);
        }
    }

    /** Why an annotation of the signed revision, changed, shows or does what the pictures cannot judge, or null. */
    private static String beyondPictures(RevisionDiff diff, Owner owner, COSDictionary now) {
        return AnnotationTraits.beyondPictures(owner.annotation(), now, diff.drawnAlike());
    }

    /**
     * The signed revision's annotations by object, the appearance streams (and what they draw with) by the
     * annotations that use them, those an annotation names itself, and what the pages draw with themselves.
     */
    private record Survey(Map<COSObjectKey, Owner> annotations, Map<COSObjectKey, List<Owner>> appearances,
                          Set<COSObjectKey> ownAppearance, Set<COSObjectKey> pageContent) {
    }

    private static Survey survey(RevisionDiff diff) {
        Map<COSObjectKey, Owner> annotations = new HashMap<>();
        Map<COSObjectKey, List<Owner>> appearances = new HashMap<>();
        Set<COSObjectKey> ownAppearance = new HashSet<>();
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
                    List<Owner> owners = appearances.computeIfAbsent(stream, k -> new ArrayList<>());
                    if (owners.stream().noneMatch(o -> o.annotation() == annotation)) {
                        owners.add(owner);
                    }
                }
                ownAppearance.addAll(appearanceStreams(annotation));
            }
        }
        return new Survey(annotations, appearances, ownAppearance, pageContent);
    }

    /** The appearance streams an annotation names itself (/AP /N, /R, /D, or their states), not what they use. */
    private static Set<COSObjectKey> appearanceStreams(COSDictionary annotation) {
        Set<COSObjectKey> streams = new HashSet<>();
        if (annotation.getDictionaryObject(COSName.AP) instanceof COSDictionary ap) {
            for (COSName which : List.of(COSName.N, COSName.R, COSName.D)) {
                COSBase entry = ap.getItem(which);
                if (entry instanceof COSObject reference) {
                    streams.add(reference.getKey());
                }
                if (RevisionDiff.resolve(entry) instanceof COSDictionary states && !(states instanceof COSStream)) {
                    for (COSBase state : states.getValues()) {
                        if (state instanceof COSObject reference) {
                            streams.add(reference.getKey());
                        }
                    }
                }
            }
        }
        return streams;
    }

    /** Whether a widget is merged with its field (it holds field entries: a name or a type). */
    private static boolean isField(COSDictionary widget) {
        return widget.getItem(COSName.T) != null || widget.getItem(COSName.FT) != null;
    }

    private static void changed(Clearance clearance, COSObjectKey key, Owner owner, String what) {
        changed(clearance, key, owner, what, null);
    }

    private static void changed(Clearance clearance, COSObjectKey key, Owner owner, String what, String words) {
        COSDictionary annotation = owner.annotation();
        if (FormRule.isWidget(annotation) && COSName.SIG.equals(FormFields.fieldType(annotation))) {
            clearance.report(Finding.of("ANNOTATION_CHANGED", owner.page(), ModificationLevel.OTHER, "the appearance "
                    + "or place of a signature on page " + owner.page() + " was changed (" + what + ")"), key);
        } else {
            clearance.report(Finding.of("ANNOTATION_CHANGED", owner.page(), ModificationLevel.ANNOTATIONS, "a "
                    + PageRule.subtype(annotation) + " annotation on page " + owner.page() + " was changed ("
                    + what + ")" + (words == null ? "" : "; its pop-up now reads " + words)));
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
