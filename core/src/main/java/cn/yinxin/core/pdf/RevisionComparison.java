package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.VerificationReport.Change;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between a signed revision and the document as it is now, and whether the signature allows it.
 *
 * <p>Which later changes are allowed follows the certification of the signed revision (DocMDP, ISO 32000-1
 * 12.8.2.2, the permissions P): P=1 allows none; P=2 allows filling in form fields and signing; P=3 also allows
 * creating, changing and removing annotations. A document without certification is held to P=2: ISO 32000 leaves
 * the changes after an approval signature to the verifier, and a sealed official document has no business with
 * comments, which can also cover what was sealed (the "evil annotation" attack). Validation data (a DSS
 * dictionary) and document time-stamps are allowed at every level, as PAdES and EU DSS treat them.
 *
 * <p>The comparison is made twice over: by meaning (pages, their content and every resource they draw with,
 * annotations, form fields, catalog entries), and by object: an object of the signed revision that a later
 * revision defines anew is reported unless it is one of those compared by meaning. That second look catches the
 * shadow attacks, where what the signer saw is switched for something prepared before signing without touching
 * the page content itself (a font, an image or a form XObject redefined, a layer turned on, the page tree swapped).
 */
final class RevisionComparison {

    /** The entries of a field dictionary (ISO 32000-1 12.7.3); the rest of a merged field and widget is the annotation's. */
    private static final Set<COSName> FIELD_KEYS = Set.of(COSName.FT, COSName.FF, COSName.V, COSName.DV, COSName.T,
            COSName.TU, COSName.TM, COSName.OPT, COSName.DA, COSName.Q, COSName.MAX_LEN, COSName.KIDS,
            COSName.PARENT, COSName.getPDFName("Lock"), COSName.getPDFName("SV"), COSName.I, COSName.getPDFName("TI"),
            COSName.getPDFName("RV"), COSName.DS);
    /** What filling in a field changes on its widgets: the appearance drawn for the new value. */
    private static final Set<COSName> FILL_APPEARANCE = Set.of(COSName.AP, COSName.AS);
    private static final Set<COSName> PAGE_OWN_CHECKS = Set.of(COSName.ANNOTS, COSName.PARENT, COSName.CONTENTS,
            COSName.RESOURCES, COSName.TYPE);
    private static final Set<COSName> FORM_ALLOWED_KEYS = Set.of(COSName.FIELDS, COSName.SIG_FLAGS);
    private static final COSName OC_PROPERTIES = COSName.getPDFName("OCProperties");
    private static final COSName EXTENSIONS = COSName.getPDFName("Extensions");

    private final PDDocument signed;
    private final PDDocument current;
    private final Integer docMdp;
    private final CosDigest signedDigest = new CosDigest();
    private final CosDigest currentDigest = new CosDigest();
    private final List<Change> changes = new ArrayList<>();
    /** Objects whose changes the comparison by meaning has judged; the object check leaves them alone. */
    private final Set<COSObjectKey> judged = new HashSet<>();
    /** Widgets (of the current document) of fields filled in after signing: their new appearance is part of the fill. */
    private final Set<COSDictionary> filledWidgets = Collections.newSetFromMap(new IdentityHashMap<>());

    private RevisionComparison(PDDocument signed, PDDocument current) {
        this.signed = signed;
        this.current = current;
        this.docMdp = docMdp(signed);
    }

    static List<Change> changes(byte[] pdf, long revisionEnd, PDDocument current) {
        try (PDDocument signed = Loader.loadPDF(Arrays.copyOf(pdf, (int) revisionEnd))) {
            return new RevisionComparison(signed, current).compare();
        } catch (IOException | RuntimeException e) {
            // a later revision crafted to trip the comparison must not pass for unchanged
            return List.of(new Change("UNREADABLE_REVISION", null, false,
                    "the signed revision and the document as it is cannot be compared: " + e.getMessage()));
        }
    }

    private List<Change> compare() throws IOException {
        compareForm();
        comparePages();
        compareCatalog();
        compareObjects();
        return changes;
    }

    // ---- permissions ------------------------------------------------------------------------------------------

    /** The DocMDP permissions of the certification signature of the signed revision, or null if not certified. */
    static Integer docMdp(PDDocument document) {
        COSDictionary perms = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.PERMS);
        COSDictionary signature = perms == null ? null : perms.getCOSDictionary(COSName.DOCMDP);
        if (signature == null) {
            return null;
        }
        COSArray references = signature.getCOSArray(COSName.getPDFName("Reference"));
        for (int i = 0; references != null && i < references.size(); i++) {
            if (references.getObject(i) instanceof COSDictionary reference
                    && COSName.DOCMDP.equals(reference.getCOSName(COSName.getPDFName("TransformMethod")))) {
                COSDictionary parameters = reference.getCOSDictionary(COSName.getPDFName("TransformParams"));
                int p = parameters == null ? 2 : parameters.getInt(COSName.P, 2);
                // a value outside 1..3 is read as the strictest
                return p >= 1 && p <= 3 ? p : 1;
            }
        }
        return 2;
    }

    private boolean signingAllowed() {
        return docMdp == null || docMdp >= 2;
    }

    private boolean annotationsAllowed() {
        return docMdp != null && docMdp == 3;
    }

    private String forbiddenBy() {
        return docMdp == null ? "a sealed document allows form filling and signing only"
                : "the certification (DocMDP P=" + docMdp + ") allows "
                + (docMdp == 1 ? "no change" : docMdp == 2 ? "form filling and signing only"
                : "form filling, signing and annotations only");
    }

    /** A change that some certification level allows: when this one does not, say which level forbids it. */
    private void add(String kind, Integer page, boolean allowed, String description) {
        changes.add(new Change(kind, page, allowed, allowed ? description : description + " (" + forbiddenBy() + ")"));
    }

    /** A change no signature allows, whatever its certification level. */
    private void forbid(String kind, Integer page, String description) {
        changes.add(new Change(kind, page, false, description));
    }

    // ---- form fields ------------------------------------------------------------------------------------------

    private void compareForm() throws IOException {
        PDAcroForm before = signed.getDocumentCatalog().getAcroForm(null);
        PDAcroForm after = current.getDocumentCatalog().getAcroForm(null);
        Map<String, PDField> fieldsBefore = fields(before);
        Map<String, PDField> fieldsAfter = fields(after);
        for (Map.Entry<String, PDField> entry : fieldsBefore.entrySet()) {
            PDField now = fieldsAfter.get(entry.getKey());
            if (now == null) {
                forbid("FORM_FIELD_REMOVED", null, "the form field \"" + entry.getKey() + "\" was removed");
            } else {
                compareField(entry.getKey(), entry.getValue(), now);
            }
        }
        for (Map.Entry<String, PDField> entry : fieldsAfter.entrySet()) {
            if (!fieldsBefore.containsKey(entry.getKey()) && !(entry.getValue() instanceof PDSignatureField)) {
                // added signature fields are judged by their widget on the page
                forbid("FORM_FIELD_ADDED", null, "a form field \"" + entry.getKey() + "\" was added");
            }
        }
        if (before != null) {
            judge(signed.getDocumentCatalog().getCOSObject().getItem(COSName.ACRO_FORM));
            judge(before.getCOSObject().getItem(COSName.FIELDS));
        }
        if (after != null) {
            judge(current.getDocumentCatalog().getCOSObject().getItem(COSName.ACRO_FORM));
            judge(after.getCOSObject().getItem(COSName.FIELDS));
        }
        Set<String> formKeys = changedKeys(before == null ? new COSDictionary() : before.getCOSObject(),
                after == null ? new COSDictionary() : after.getCOSObject(), FORM_ALLOWED_KEYS);
        Set<String> defaults = new TreeSet<>(formKeys);
        defaults.retainAll(Set.of("/DR", "/DA"));
        formKeys.removeAll(defaults);
        if (!defaults.isEmpty()) {
            // fonts and defaults for drawing field values, as signing and form-filling tools add them
            add("FORM_CHANGED", null, signingAllowed(), "the interactive form's default resources or appearance ("
                    + String.join(", ", defaults) + ") changed");
        }
        if (!formKeys.isEmpty()) {
            boolean needAppearances = after != null && after.getCOSObject().getBoolean(COSName.NEED_APPEARANCES, false);
            forbid("FORM_CHANGED", null, "the interactive form's " + String.join(", ", formKeys) + " changed"
                    + (needAppearances ? "; /NeedAppearances asks viewers to redraw every field instead of "
                    + "showing what was signed" : ""));
        }
    }

    private Map<String, PDField> fields(PDAcroForm form) {
        Map<String, PDField> fields = new LinkedHashMap<>();
        if (form == null) {
            return fields;
        }
        for (PDField field : form.getFieldTree()) {
            String name = field.getFullyQualifiedName();
            fields.putIfAbsent(name == null ? "(unnamed)" : name, field);
            judge(field.getCOSObject());
            judge(field.getCOSObject().getItem(COSName.KIDS));
        }
        return fields;
    }

    private void compareField(String name, PDField before, PDField after) {
        COSDictionary was = before.getCOSObject();
        COSDictionary is = after.getCOSObject();
        Set<COSName> skip = new HashSet<>(Set.of(COSName.KIDS, COSName.PARENT));
        if (isWidget(was) || isWidget(is)) {
            // a field merged with its widget: only the field's own entries here, the rest is the annotation's
            for (COSName key : union(was, is)) {
                if (!FIELD_KEYS.contains(key)) {
                    skip.add(key);
                }
            }
        }
        Set<String> changed = changedKeys(was, is, skip);
        if (changed.remove("/V")) {
            valueChanged(name, before, after);
        }
        if (!changed.isEmpty()) {
            forbid("FORM_FIELD_CHANGED", null, "the form field \"" + name + "\" changed its "
                    + String.join(", ", changed));
        }
    }

    private void valueChanged(String name, PDField before, PDField after) {
        if (after instanceof PDSignatureField || before instanceof PDSignatureField) {
            if (before.getCOSObject().getDictionaryObject(COSName.V) == null) {
                boolean timeStamp = isDocumentTimeStamp(after.getCOSObject().getDictionaryObject(COSName.V));
                add(timeStamp ? "DOCUMENT_TIMESTAMP_ADDED" : "SIGNATURE_ADDED", pageOf(after), timeStamp || signingAllowed(),
                        "the empty signature field \"" + name + "\" was signed");
                // signing draws the signature's appearance into the field's widget
                for (var widget : after.getWidgets()) {
                    filledWidgets.add(widget.getCOSObject());
                }
            } else {
                forbid("FORM_FIELD_CHANGED", null, "the signature in field \"" + name + "\" was replaced");
            }
            return;
        }
        boolean readOnly = before.isReadOnly();
        String values = "\"" + shorten(before.getValueAsString()) + "\" -> \"" + shorten(after.getValueAsString()) + "\"";
        if (readOnly) {
            changes.add(new Change("FORM_FIELD_FILLED", pageOf(after), false, "the read-only form field \"" + name
                    + "\" was given another value: " + values + " (a read-only field keeps the value it was signed with)"));
        } else {
            add("FORM_FIELD_FILLED", pageOf(after), signingAllowed(), "the form field \"" + name + "\" was filled in: " + values);
        }
        // the new appearance of its widgets is part of the fill, reported with it
        for (var widget : after.getWidgets()) {
            filledWidgets.add(widget.getCOSObject());
        }
    }

    /** The page (1-based) of the current document that shows the field's first widget, if any. */
    private Integer pageOf(PDField field) {
        for (var widget : field.getWidgets()) {
            if (widget.getCOSObject().getDictionaryObject(COSName.P) instanceof COSDictionary page) {
                int index = current.getPages().indexOf(new PDPage(page));
                if (index >= 0) {
                    return index + 1;
                }
            }
        }
        return null;
    }

    // ---- pages and annotations --------------------------------------------------------------------------------

    private void comparePages() throws IOException {
        int before = signed.getNumberOfPages();
        int after = current.getNumberOfPages();
        if (after > before) {
            forbid("PAGES_ADDED", null, (after - before) + " page(s) added");
        } else if (after < before) {
            forbid("PAGES_REMOVED", null, (before - after) + " page(s) removed");
        }
        judgePageTree(signed);
        judgePageTree(current);
        for (int i = 0; i < Math.min(before, after); i++) {
            comparePage(i + 1, signed.getPage(i), current.getPage(i));
        }
    }

    private void judgePageTree(PDDocument document) {
        for (PDPage page : document.getPages()) {
            COSDictionary node = page.getCOSObject();
            for (int depth = 0; node != null && depth < 64; depth++) {
                judge(node);
                judge(node.getItem(COSName.KIDS));
                node = node.getCOSDictionary(COSName.PARENT);
            }
        }
    }

    private void comparePage(int number, PDPage before, PDPage after) throws IOException {
        if (!Arrays.equals(content(before), content(after))) {
            forbid("PAGE_CONTENT", number, "the content of page " + number + " was changed");
        }
        if (!CosDigest.same(signedDigest.deep(inherited(before, COSName.RESOURCES), Set.of()),
                currentDigest.deep(inherited(after, COSName.RESOURCES), Set.of()))) {
            forbid("PAGE_CONTENT", number, "the fonts, images or forms page " + number + " draws with (its "
                    + "resources) were changed: the same content now shows something else");
        }
        Set<String> properties = changedKeys(before.getCOSObject(), after.getCOSObject(), PAGE_OWN_CHECKS);
        // the geometry as it takes effect: inherited from the page tree, with its defaults
        properties.removeAll(Set.of("/MediaBox", "/CropBox", "/Rotate"));
        if (!Arrays.equals(before.getMediaBox().getCOSArray().toFloatArray(), after.getMediaBox().getCOSArray().toFloatArray())) {
            properties.add("/MediaBox");
        }
        if (!Arrays.equals(before.getCropBox().getCOSArray().toFloatArray(), after.getCropBox().getCOSArray().toFloatArray())) {
            properties.add("/CropBox");
        }
        if (before.getRotation() != after.getRotation()) {
            properties.add("/Rotate");
        }
        if (!properties.isEmpty()) {
            forbid("PAGE_CONTENT", number, "page " + number + " changed its " + String.join(", ", properties));
        }
        compareAnnotations(number, before, after);
    }

    private void compareAnnotations(int number, PDPage before, PDPage after) {
        judge(before.getCOSObject().getItem(COSName.ANNOTS));
        judge(after.getCOSObject().getItem(COSName.ANNOTS));
        Map<Object, COSDictionary> was = annotations(before, signedDigest);
        Map<Object, COSDictionary> is = annotations(after, currentDigest);
        for (Map.Entry<Object, COSDictionary> entry : is.entrySet()) {
            COSDictionary annotation = entry.getValue();
            COSDictionary old = was.get(entry.getKey());
            if (old == null) {
                added(number, annotation);
                continue;
            }
            Set<COSName> skip = new HashSet<>(FIELD_KEYS);
            skip.add(COSName.P);
            if (filledWidgets.contains(annotation)) {
                skip.addAll(FILL_APPEARANCE);
                if (isSignatureWidget(annotation) && !visible(annotation)) {
                    // an invisible signature in a field made for it: the signing tool folds the widget away
                    skip.add(COSName.RECT);
                }
            }
            if (!CosDigest.same(signedDigest.deep(old, skip), currentDigest.deep(annotation, skip))) {
                Set<String> keys = changedKeysDeep(old, annotation, skip);
                if (isSignatureWidget(annotation)) {
                    forbid("ANNOTATION_CHANGED", number, "the appearance or place of a signature on page "
                            + number + " was changed (" + String.join(", ", keys) + ")");
                } else {
                    add("ANNOTATION_CHANGED", number, annotationsAllowed(), "a " + subtype(annotation)
                            + " annotation on page " + number + " was changed (" + String.join(", ", keys) + ")"
                            + flags(old, annotation));
                }
            }
        }
        for (Map.Entry<Object, COSDictionary> entry : was.entrySet()) {
            if (!is.containsKey(entry.getKey())) {
                if (isSignatureWidget(entry.getValue())) {
                    forbid("ANNOTATION_REMOVED", number, "the widget of a signature was removed from page " + number);
                } else {
                    add("ANNOTATION_REMOVED", number, annotationsAllowed(), "a " + subtype(entry.getValue())
                            + " annotation was removed from page " + number);
                }
            }
        }
    }

    private void added(int number, COSDictionary annotation) {
        if (isSignatureWidget(annotation)) {
            COSBase value = field(annotation).getDictionaryObject(COSName.V);
            if (isDocumentTimeStamp(value)) {
                add("DOCUMENT_TIMESTAMP_ADDED", number, true, "a document time-stamp was added");
            } else if (value instanceof COSDictionary) {
                add("SIGNATURE_ADDED", number, signingAllowed(), "a signature field was added on page " + number);
            } else {
                add("SIGNATURE_FIELD_ADDED", number, annotationsAllowed() || !visible(annotation),
                        "an empty signature field was added on page " + number
                                + (visible(annotation) ? "; its appearance can cover the page" : ""));
            }
        } else {
            add("ANNOTATION_ADDED", number, annotationsAllowed(), "a " + subtype(annotation)
                    + " annotation was added on page " + number);
        }
    }

    /** The annotations of a page by object key (or, for the rare direct ones, by what they hold). */
    private Map<Object, COSDictionary> annotations(PDPage page, CosDigest digest) {
        Map<Object, COSDictionary> annotations = new LinkedHashMap<>();
        COSArray array = page.getCOSObject().getCOSArray(COSName.ANNOTS);
        for (int i = 0; array != null && i < array.size(); i++) {
            COSBase item = array.get(i);
            if (!(array.getObject(i) instanceof COSDictionary annotation)) {
                continue;
            }
            if (item instanceof COSObject reference) {
                annotations.put(reference.getKey(), annotation);
                judge(reference);
            } else {
                annotations.put(List.of(Arrays.hashCode(digest.deep(annotation, Set.of(COSName.P)))), annotation);
            }
            // what an annotation draws is compared with it: its appearance streams are judged there
            judgeReachable(annotation.getItem(COSName.AP), 0);
        }
        return annotations;
    }

    // ---- catalog ----------------------------------------------------------------------------------------------

    private void compareCatalog() {
        COSDictionary before = signed.getDocumentCatalog().getCOSObject();
        COSDictionary after = current.getDocumentCatalog().getCOSObject();
        COSObjectKey beforeKey = key(signed.getDocument().getTrailer().getItem(COSName.ROOT));
        COSObjectKey afterKey = key(current.getDocument().getTrailer().getItem(COSName.ROOT));
        judge(signed.getDocument().getTrailer().getItem(COSName.ROOT));
        judge(current.getDocument().getTrailer().getItem(COSName.ROOT));
        if (!Objects.equals(beforeKey, afterKey)) {
            forbid("CATALOG_CHANGED", null, "the trailer names another catalog (object " + afterKey
                    + " instead of " + beforeKey + ")");
        }
        COSObjectKey pagesBefore = key(before.getItem(COSName.PAGES));
        COSObjectKey pagesAfter = key(after.getItem(COSName.PAGES));
        if (!Objects.equals(pagesBefore, pagesAfter)) {
            forbid("CATALOG_CHANGED", null, "the catalog points at another page tree (object " + pagesAfter
                    + " instead of " + pagesBefore + "): the pages shown are not the pages signed");
        }
        COSBase dssBefore = before.getDictionaryObject(LongTermValidation.DSS);
        COSBase dssAfter = after.getDictionaryObject(LongTermValidation.DSS);
        judgeReachable(before.getItem(LongTermValidation.DSS), 0);
        judgeReachable(after.getItem(LongTermValidation.DSS), 0);
        if (dssAfter != null && !CosDigest.same(signedDigest.deep(dssBefore, Set.of()), currentDigest.deep(dssAfter, Set.of()))) {
            changes.add(new Change("DSS_ADDED", null, true, dssBefore == null
                    ? "validation data (a DSS dictionary) was added" : "validation data was added to the DSS dictionary"));
        } else if (dssBefore != null && dssAfter == null) {
            forbid("CATALOG_CHANGED", null, "the validation data (DSS dictionary) was removed");
        }
        Set<COSName> skip = Set.of(COSName.ACRO_FORM, COSName.PAGES, LongTermValidation.DSS, COSName.TYPE);
        for (COSName key : union(before, after)) {
            if (skip.contains(key) || CosDigest.same(signedDigest.deep(before.getItem(key), Set.of()),
                    currentDigest.deep(after.getItem(key), Set.of()))) {
                continue;
            }
            if (COSName.METADATA.equals(key)) {
                judge(before.getItem(key));
                judge(after.getItem(key));
                changes.add(new Change("METADATA_CHANGED", null, true, "the document's XMP metadata changed"));
            } else if (EXTENSIONS.equals(key) || COSName.VERSION.equals(key)) {
                // what the file declares it uses (PDF version, developer extensions such as ESIC for PAdES)
                judge(before.getItem(key));
                judge(after.getItem(key));
                changes.add(new Change("CATALOG_CHANGED", null, true, "the PDF version or extensions the document "
                        + "declares (/" + key.getName() + ") changed"));
            } else {
                forbid("CATALOG_CHANGED", null, catalogEntry(key));
            }
        }
        COSBase infoBefore = signed.getDocument().getTrailer().getItem(COSName.INFO);
        COSBase infoAfter = current.getDocument().getTrailer().getItem(COSName.INFO);
        judge(infoBefore);
        judge(infoAfter);
        if (!CosDigest.same(signedDigest.deep(infoBefore, Set.of()), currentDigest.deep(infoAfter, Set.of()))) {
            changes.add(new Change("METADATA_CHANGED", null, true,
                    "the document information (title, author, dates) changed"));
        }
    }

    private static String catalogEntry(COSName key) {
        if (OC_PROPERTIES.equals(key)) {
            return "the optional content (layer) settings changed: content hidden when the document was signed "
                    + "may now show, or the reverse";
        }
        if (COSName.OPEN_ACTION.equals(key) || COSName.AA.equals(key)) {
            return "the actions run when the document is opened or used (/" + key.getName() + ") changed";
        }
        if (COSName.NAMES.equals(key)) {
            return "the document's name tree (/Names: scripts, embedded files, page templates) changed";
        }
        if (COSName.PERMS.equals(key)) {
            return "the document's permissions (/Perms, the certification) changed";
        }
        return "the catalog entry /" + key.getName() + " changed";
    }

    // ---- objects ----------------------------------------------------------------------------------------------

    /** Every object of the signed revision that a later revision defined anew, unless judged above. */
    private void compareObjects() throws IOException {
        Map<COSObjectKey, Long> before = signed.getDocument().getXrefTable();
        Map<COSObjectKey, Long> after = current.getDocument().getXrefTable();
        Set<Long> rewrittenStreams = new HashSet<>();
        for (Map.Entry<COSObjectKey, Long> entry : before.entrySet()) {
            if (!Objects.equals(after.get(entry.getKey()), entry.getValue())) {
                rewrittenStreams.add(entry.getKey().getNumber());
            }
        }
        for (Map.Entry<COSObjectKey, Long> entry : new java.util.TreeMap<>(before).entrySet()) {
            COSObjectKey key = entry.getKey();
            Long was = entry.getValue();
            Long is = after.get(key);
            // an object inside an object stream (negative offset) moves when its stream is defined anew
            boolean moved = !Objects.equals(is, was) || was != null && was < 0 && rewrittenStreams.contains(-was);
            if (!moved || judged.contains(key)) {
                continue;
            }
            COSBase old = signed.getDocument().getObjectFromPool(key).getObject();
            COSBase now = current.getDocument().getObjectFromPool(key).getObject();
            if (isObjectStream(old) || CosDigest.same(CosDigest.shallow(old), CosDigest.shallow(now))) {
                continue;
            }
            forbid("OBJECT_REDEFINED", null, "object " + key.getNumber() + " " + key.getGeneration() + " ("
                    + describe(old) + ") of the signed revision was " + (now == null ? "removed" : "given a new "
                    + "definition" + (describe(now).equals(describe(old)) ? "" : " (now " + describe(now) + ")"))
                    + " after signing");
        }
    }

    private static boolean isObjectStream(COSBase object) {
        return object instanceof COSStream stream && COSName.OBJ_STM.equals(stream.getCOSName(COSName.TYPE));
    }

    private static String describe(COSBase object) {
        if (object == null || object instanceof org.apache.pdfbox.cos.COSNull) {
            return "nothing";
        }
        if (object instanceof COSDictionary dictionary) {
            COSName type = dictionary.getCOSName(COSName.TYPE);
            COSName subtype = dictionary.getCOSName(COSName.SUBTYPE);
            String kind = dictionary instanceof COSStream ? "stream" : "dictionary";
            if (type == null && subtype == null) {
                return "a " + kind;
            }
            return "a " + (type == null ? "" : "/" + type.getName()) + (subtype == null ? "" : " /" + subtype.getName())
                    + " " + kind;
        }
        if (object instanceof COSArray) {
            return "an array";
        }
        return "a " + object.getClass().getSimpleName().replace("COS", "").toLowerCase(java.util.Locale.ROOT);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private void judge(COSBase item) {
        if (item instanceof COSObject reference) {
            judged.add(reference.getKey());
        } else if (item != null && item.getKey() != null) {
            judged.add(item.getKey());
        }
    }

    /** Judges everything reachable from {@code item}, a few levels down (appearance dictionaries, DSS arrays). */
    private void judgeReachable(COSBase item, int depth) {
        if (item == null || depth > 8) {
            return;
        }
        if (item instanceof COSObject reference) {
            if (!judged.add(reference.getKey())) {
                return;
            }
            item = reference.getObject();
        }
        if (item instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                judgeReachable(array.get(i), depth + 1);
            }
        } else if (item instanceof COSDictionary dictionary) {
            for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
                if (!COSName.PARENT.equals(entry.getKey()) && !COSName.P.equals(entry.getKey())) {
                    judgeReachable(entry.getValue(), depth + 1);
                }
            }
        }
    }

    /** The keys whose values (followed through references) differ, as "/Name". */
    private Set<String> changedKeys(COSDictionary before, COSDictionary after, Set<COSName> skip) {
        Set<String> changed = new TreeSet<>();
        for (COSName key : union(before, after)) {
            if (!skip.contains(key) && !CosDigest.same(signedDigest.deep(before.getItem(key), Set.of()),
                    currentDigest.deep(after.getItem(key), Set.of()))) {
                changed.add("/" + key.getName());
            }
        }
        return changed;
    }

    private Set<String> changedKeysDeep(COSDictionary before, COSDictionary after, Set<COSName> skip) {
        Set<String> keys = changedKeys(before, after, skip);
        if (keys.isEmpty()) {
            keys.add("what it refers to");
        }
        return keys;
    }

    private static Set<COSName> union(COSDictionary a, COSDictionary b) {
        Set<COSName> keys = new HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static String flags(COSDictionary before, COSDictionary after) {
        int was = before.getInt(COSName.F, 0);
        int is = after.getInt(COSName.F, 0);
        if (was == is) {
            return "";
        }
        boolean hiddenBefore = (was & 2) != 0 || (was & 32) != 0;
        boolean hiddenAfter = (is & 2) != 0 || (is & 32) != 0;
        return hiddenBefore && !hiddenAfter ? "; it was hidden when signed and now shows"
                : !hiddenBefore && hiddenAfter ? "; it showed when signed and is now hidden" : "";
    }

    private static COSBase inherited(PDPage page, COSName key) {
        COSDictionary node = page.getCOSObject();
        for (int depth = 0; node != null && depth < 64; depth++) {
            COSBase value = node.getItem(key);
            if (value != null) {
                return value;
            }
            node = node.getCOSDictionary(COSName.PARENT);
        }
        return null;
    }

    private static COSObjectKey key(COSBase item) {
        return item instanceof COSObject reference ? reference.getKey() : item == null ? null : item.getKey();
    }

    private static boolean isWidget(COSDictionary dictionary) {
        return COSName.WIDGET.equals(dictionary.getCOSName(COSName.SUBTYPE));
    }

    private static boolean isSignatureWidget(COSDictionary annotation) {
        return isWidget(annotation) && COSName.SIG.equals(field(annotation).getCOSName(COSName.FT));
    }

    /** The field a widget belongs to: itself when merged, else its parent. */
    private static COSDictionary field(COSDictionary widget) {
        if (widget.getDictionaryObject(COSName.FT) == null
                && widget.getDictionaryObject(COSName.PARENT) instanceof COSDictionary parent) {
            return parent;
        }
        return widget;
    }

    private static boolean isDocumentTimeStamp(COSBase value) {
        return value instanceof COSDictionary signature
                && (COSName.DOC_TIME_STAMP.equals(signature.getCOSName(COSName.TYPE))
                || LongTermValidation.ETSI_RFC3161.equals(signature.getCOSName(COSName.SUB_FILTER)));
    }

    /** Whether a widget can show anything: not hidden, and a rectangle with some area. */
    private static boolean visible(COSDictionary annotation) {
        int flags = annotation.getInt(COSName.F, 0);
        COSArray rect = annotation.getCOSArray(COSName.RECT);
        if ((flags & 2) != 0 || (flags & 32) != 0 || rect == null || rect.size() != 4) {
            return false;
        }
        float[] r = rect.toFloatArray();
        return Math.abs(r[2] - r[0]) > 0 && Math.abs(r[3] - r[1]) > 0;
    }

    private static String subtype(COSDictionary annotation) {
        COSName subtype = annotation.getCOSName(COSName.SUBTYPE);
        return subtype == null ? "(untyped)" : subtype.getName();
    }

    private static String shorten(String value) {
        return value == null ? "" : value.length() > 60 ? value.substring(0, 57) + "..." : value;
    }

    private static byte[] content(PDPage page) throws IOException {
        try (InputStream in = page.getContents()) {
            return in.readAllBytes();
        }
    }
}
