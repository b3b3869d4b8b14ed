package cn.yinxin.core.pdf.verify.changes;

import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A signature or a document time-stamp added in this revision, to a field of the form (ISO 32000-1 12.8, ETSI EN
 * 319 142-1 5.4 for document time-stamps). Allowed only when all of these hold:
 * <ul>
 *   <li>its signature dictionary is new in this revision and no other field of the form shows it;</li>
 *   <li>its /ByteRange ends exactly where this revision ends (it signs this very revision, not an older one whose
 *   dictionary was copied);</li>
 *   <li>its value verifies over those bytes (asked of the verifier through {@link SignatureIntegrity}); one that
 *   does not fails on its own, so the document is not valid, and its widget stays in the visual comparison;</li>
 *   <li>its widgets changed nothing but what signing draws; a document time-stamp whose widget is visible is
 *   judged as visible content ({@link ModificationLevel#ANNOTATIONS}), an invisible one as
 *   {@link ModificationLevel#LTA_UPDATES}; a signature is {@link ModificationLevel#FORM_FILLING}.</li>
 * </ul>
 * A widget that merely looks like a signature (/FT /Sig, a /V) but belongs to no field of the form is not a
 * signature: the page rule judges it as the annotation it is.
 */
final class SignatureAdditionRule {

    /** What signing may change on a field's widget besides the value: its appearance, place and housekeeping. */
    private static final Set<COSName> SIGNING_KEYS = Set.of(COSName.V, COSName.AP, COSName.AS, COSName.RECT, COSName.F,
            COSName.MK, COSName.DA, COSName.P, COSName.getPDFName("StructParent"), COSName.TYPE, COSName.M,
            COSName.getPDFName("NM"));

    /**
     * The entries a signature field new in this revision, and each new widget of it, may carry: what a field states
     * and what a widget draws (the signing products of the foreign corpus also write /DR, /SM and a vendor's own
     * second-class names such as /AR.SigFieldData, which standard readers ignore), nothing that runs (/A, /AA: a
     * script a reader runs on opening the page or formatting a field may rewrite what every other field shows) or
     * shows it by another rule (/OC). Anything else is judged as the change it is.
     */
    static final Set<COSName> NEW_FIELD_KEYS = union(SIGNING_KEYS, Set.of(COSName.FT, COSName.FF, COSName.T,
            COSName.TU, COSName.TM, COSName.KIDS, COSName.PARENT, COSName.getPDFName("Lock"), COSName.SV,
            COSName.SUBTYPE, COSName.BORDER, COSName.BS, COSName.C, COSName.CONTENTS, COSName.H, COSName.DR,
            COSName.getPDFName("SM")));

    private final SignatureIntegrity integrity;

    SignatureAdditionRule(SignatureIntegrity integrity) {
        this.integrity = integrity;
    }

    /**
     * @param old the field in the older revision (an empty signature field), or null when the field is new
     * @return whether the signing is allowed (the findings say why not)
     */
    boolean judge(RevisionDiff diff, Clearance clearance, String name, COSDictionary field, COSDictionary old) {
        COSBase valueItem = field.getItem(COSName.V);
        COSDictionary value = (COSDictionary) RevisionDiff.resolve(valueItem);
        boolean timeStamp = COSName.DOC_TIME_STAMP.equals(value.getCOSName(COSName.TYPE))
                || COSName.getPDFName("ETSI.RFC3161").equals(value.getCOSName(COSName.SUB_FILTER));
        String what = timeStamp ? "a document time-stamp" : "a signature";
        Integer page = FormRule.pageOf(diff, field);
        List<String> problems = new ArrayList<>();
        if (!diff.isNewOrDirect(valueItem)) {
            problems.add("its signature dictionary (object " + RevisionDiff.key(valueItem) + ") was not made in this "
                    + "revision");
        }
        int shown = shownBy(diff, value);
        if (shown > 1) {
            problems.add("its signature dictionary is shown by " + shown + " fields");
        }
        long[] range = FormFields.byteRange(value);
        if (range == null || !endsHere(diff, range)) {
            problems.add("its /ByteRange does not end where its revision ends, so it does not sign this revision");
        }
        // a signature that does not verify fails on its own (the document is not valid); for the signatures before
        // it, it is a signing like any other, but its widget is not left out of the visual comparison
        boolean verified = range != null && Boolean.TRUE.equals(integrity.verifies(range));
        List<COSDictionary> widgets = FormFields.widgets(field);
        boolean visible = widgets.stream().anyMatch(FormFields::visible);
        problems.addAll(widgetChanges(diff, widgets, old));
        problems.addAll(newEntries(old == null ? field : null, widgets, old));
        problems.addAll(coverage(diff, widgets));
        if (!problems.isEmpty()) {
            clearance.report(new Finding(timeStamp ? "DOCUMENT_TIMESTAMP_ADDED" : "SIGNATURE_ADDED", page,
                    ModificationLevel.OTHER, name, what + " was added in field \"" + name + "\" that is not one: "
                    + String.join("; ", problems), 0), field.getKey());
            return false;
        }
        ModificationLevel level = !timeStamp ? ModificationLevel.FORM_FILLING
                : visible ? ModificationLevel.ANNOTATIONS : ModificationLevel.LTA_UPDATES;
        clearance.report(new Finding(timeStamp ? "DOCUMENT_TIMESTAMP_ADDED" : "SIGNATURE_ADDED", page, level, name,
                (old == null ? what + " was added" : "the empty signature field \"" + name + "\" was signed")
                        + (timeStamp && visible ? "; its widget is visible on the page" : "")
                        + (verified ? "" : "; its own value does not verify (see that signature)"), 0));
        clearance.clear(field.getKey(), level);
        clearance.clear(RevisionDiff.key(valueItem), level);
        for (COSDictionary widget : widgets) {
            clearance.explainWidget(widget.getKey(), level);
            clearance.clear(widget.getKey(), level);
            if (FormFields.visible(widget)) {
                Integer on = RevisionDiff.pageNumber(diff.after(), widget.getItem(COSName.P));
                if (on == null) {
                    on = RevisionDiff.page(diff.shownAfter(), widget.getKey());
                }
                float[] r = box(widget);
                if (on != null) {
                    clearance.signatureWidget(new SignatureWidget(on, r[0], r[1], r[2], r[3], verified));
                }
            }
        }
        return true;
    }

    /**
     * A seal or signature mark is small: a widget that covers more than {@value #MAX_PAGE_SHARE} of its page, or
     * most of an earlier signature's widget, is not a mark added to the document but a page or a seal painted over.
     */
    private static List<String> coverage(RevisionDiff diff, List<COSDictionary> widgets) {
        List<String> problems = new ArrayList<>();
        Map<String, FormFields.Signed> earlierSignatures = FormFields.signatures(diff.fieldsBefore());
        // what all its widgets on a page cover together: one mark, however many boxes it is split into
        Map<Integer, Double> shares = new java.util.TreeMap<>();
        for (COSDictionary widget : widgets) {
            if (!FormFields.visible(widget)) {
                continue;
            }
            float[] r = box(widget);
            Integer page = RevisionDiff.pageNumber(diff.after(), widget.getItem(COSName.P));
            if (page == null) {
                page = RevisionDiff.page(diff.shownAfter(), widget.getKey());
            }
            if (page == null) {
                continue;
            }
            var media = diff.after().getPage(page - 1).getCropBox();
            double pageArea = (double) media.getWidth() * media.getHeight();
            shares.merge(page, pageArea <= 0 ? 1 : area(r) / pageArea, Double::sum);
            for (var earlier : earlierSignatures.entrySet()) {
                for (COSDictionary seal : FormFields.widgets(earlier.getValue().field())) {
                    if (FormFields.visible(seal) && Objects.equals(page,
                            RevisionDiff.pageNumber(diff.before(), seal.getItem(COSName.P)))) {
                        float[] s = box(seal);
                        double overlap = area(new float[]{Math.max(r[0], s[0]), Math.max(r[1], s[1]),
                                Math.min(r[2], s[2]), Math.min(r[3], s[3])});
                        if (area(s) > 0 && overlap / area(s) > 0.5) {
                            problems.add("its appearance covers most of the signature of field \"" + earlier.getKey()
                                    + "\"");
                        }
                    }
                }
            }
        }
        shares.forEach((page, share) -> {
            if (share > MAX_PAGE_SHARE) {
                problems.add(String.format(Locale.ROOT, "its appearance covers %.0f%% of page %d (a seal or "
                        + "signature mark covers at most %.0f%%)", share * 100, page, MAX_PAGE_SHARE * 100));
            }
        });
        return problems;
    }

    /** Share of a page above which a widget is not a seal or signature mark (an A4 page: about 150 x 105 mm). */
    static final double MAX_PAGE_SHARE = 0.125;

    private static float[] box(COSDictionary widget) {
        var rect = widget.getCOSArray(COSName.RECT);
        if (rect == null || rect.size() < 4) {
            return new float[]{0, 0, 1e6f, 1e6f}; // a box that cannot be read is taken to cover everything
        }
        float[] r = rect.toFloatArray();
        return new float[]{Math.min(r[0], r[2]), Math.min(r[1], r[3]), Math.max(r[0], r[2]), Math.max(r[1], r[3])};
    }

    private static double area(float[] r) {
        return r[2] > r[0] && r[3] > r[1] ? (double) (r[2] - r[0]) * (r[3] - r[1]) : 0;
    }

    /** What changed on widgets the older revision had, beyond what signing draws. */
    private static List<String> widgetChanges(RevisionDiff diff, List<COSDictionary> widgets, COSDictionary old) {
        List<String> problems = new ArrayList<>();
        if (old == null) {
            return problems;
        }
        Set<COSObjectKey> before = new HashSet<>();
        for (COSDictionary widget : FormFields.widgets(old)) {
            before.add(widget.getKey());
        }
        for (COSDictionary widget : widgets) {
            COSObjectKey key = widget.getKey();
            if (key == null || !before.contains(key) || !diff.isRedefined(key)) {
                continue;
            }
            COSBase was = diff.oldObject(key);
            if (was instanceof COSDictionary previous) {
                Set<COSName> changed = new HashSet<>(RevisionDiff.changedKeys(previous, widget));
                changed.removeAll(SIGNING_KEYS);
                changed.removeAll(Set.of(COSName.KIDS, COSName.PARENT));
                if (!changed.isEmpty()) {
                    problems.add("its widget changed its " + String.join(", ", changed.stream()
                            .map(k -> "/" + k.getName()).sorted().toList()));
                }
            }
        }
        return problems;
    }

    /**
     * The entries beyond {@link #NEW_FIELD_KEYS} of a new signature field ({@code field}, or null when the field is
     * not new) and of its widgets that the older revision's field ({@code old}, or null) did not have.
     */
    static List<String> newEntries(COSDictionary field, List<COSDictionary> widgets, COSDictionary old) {
        Set<COSObjectKey> before = new HashSet<>();
        for (COSDictionary widget : old == null ? List.<COSDictionary>of() : FormFields.widgets(old)) {
            before.add(widget.getKey());
        }
        Set<String> entries = new java.util.TreeSet<>();
        List<COSDictionary> judged = new ArrayList<>();
        if (field != null) {
            judged.add(field);
        }
        widgets.stream().filter(w -> w.getKey() == null || !before.contains(w.getKey())).forEach(judged::add);
        for (COSDictionary dictionary : judged) {
            for (COSName key : dictionary.keySet()) {
                if (!NEW_FIELD_KEYS.contains(key) && key.getName().indexOf('.') <= 0) {
                    entries.add("/" + key.getName());
                }
            }
        }
        return entries.isEmpty() ? List.of() : List.of("its field or widget carries " + String.join(", ", entries)
                + ", which a signature field has no need of (/A and /AA are actions readers run)");
    }

    private static Set<COSName> union(Set<COSName> a, Set<COSName> b) {
        Set<COSName> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** How many fields of the form show this signature dictionary. */
    private static int shownBy(RevisionDiff diff, COSDictionary value) {
        int count = 0;
        for (Map.Entry<String, COSDictionary> entry : diff.fieldsAfter().entrySet()) {
            if (RevisionDiff.resolve(entry.getValue().getItem(COSName.V)) == value) {
                count++;
            }
        }
        return count;
    }

    /** The signed bytes end at this revision's end (what follows, if anything, is the end-of-line after %%EOF). */
    private static boolean endsHere(RevisionDiff diff, long[] range) {
        long end = range[2] + range[3];
        return end > diff.start() && end <= diff.end() && diff.end() - end <= 2;
    }
}
