package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.verify.CosDigest;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One revision next to the one before it: both as PDFBox reads them, the objects the newer one defines anew (an
 * object of the older one given another definition or freed) and the objects it adds. Only the redefined ones need
 * a rule: an added object can matter only through an object that now refers to it, and that object is redefined.
 */
final class RevisionDiff {

    /** How many objects a walk from the pages (or the structure tree) visits at most; beyond, all is "shown". */
    static final int WALK_LIMIT = 200_000;

    private final PDDocument before;
    private final PDDocument after;
    private final int number;
    private final long start;
    private final long end;
    private final Set<COSObjectKey> redefined = new TreeSet<>();
    private final Set<COSObjectKey> added = new HashSet<>();
    private Map<COSObjectKey, Integer> shownBefore;
    /** References the older revision makes to objects it does not define. */
    private final Set<COSObjectKey> danglingBefore = new HashSet<>();
    private Map<COSObjectKey, Integer> shownAfter;
    private Map<String, COSDictionary> fieldsBefore;
    private final Set<String> seenWhenSigned;
    /** What annotations' appearances draw with, walked and found to be drawn alike by every reader. */
    private final Set<COSBase> drawnAlike = Collections.newSetFromMap(new IdentityHashMap<>());
    private Map<String, COSDictionary> fieldsAfter;

    RevisionDiff(PDDocument before, PDDocument after, int number, long start, long end, Set<String> seenWhenSigned) {
        this.seenWhenSigned = seenWhenSigned;
        this.before = before;
        this.after = after;
        this.number = number;
        this.start = start;
        this.end = end;
        Map<COSObjectKey, Long> was = before.getDocument().getXrefTable();
        Map<COSObjectKey, Long> is = after.getDocument().getXrefTable();
        Set<Long> rewrittenStreams = new HashSet<>();
        for (Map.Entry<COSObjectKey, Long> entry : is.entrySet()) {
            if (!Objects.equals(was.get(entry.getKey()), entry.getValue())) {
                rewrittenStreams.add(entry.getKey().getNumber());
            }
        }
        for (Map.Entry<COSObjectKey, Long> entry : was.entrySet()) {
            Long now = is.get(entry.getKey());
            Long then = entry.getValue();
            // an object inside an object stream (negative offset) moves when its stream is defined anew
            if (!Objects.equals(now, then) || then != null && then < 0 && rewrittenStreams.contains(-then)) {
                redefined.add(entry.getKey());
            }
        }
        for (COSObjectKey key : is.keySet()) {
            if (!was.containsKey(key)) {
                added.add(key);
            }
        }
        if (!added.isEmpty()) {
            // an object the older revision already referred to without defining it (a reference prepared before
            // signing to be filled later): defining it now changes what that reference shows
            shownBefore();
            for (COSObjectKey key : danglingBefore) {
                if (added.remove(key)) {
                    redefined.add(key);
                }
            }
        }
    }

    PDDocument before() {
        return before;
    }

    PDDocument after() {
        return after;
    }

    /** The revision's number (1-based) among the file's revisions. */
    int number() {
        return number;
    }

    /** Where this revision's bytes start and end in the file. */
    long start() {
        return start;
    }

    long end() {
        return end;
    }

    /** The objects of the older revision this one defines anew (or frees). */
    Set<COSObjectKey> redefined() {
        return redefined;
    }

    boolean isRedefined(COSObjectKey key) {
        return key != null && redefined.contains(key);
    }

    boolean isAdded(COSObjectKey key) {
        return key != null && added.contains(key);
    }

    /** Whether an object is new in this revision or direct (then it is part of the object that holds it). */
    boolean isNewOrDirect(COSBase item) {
        COSObjectKey key = key(item);
        return key == null || added.contains(key);
    }

    COSBase oldObject(COSObjectKey key) {
        COSObject object = before.getDocument().getObjectFromPool(key);
        return object == null ? null : object.getObject();
    }

    COSBase newObject(COSObjectKey key) {
        COSObject object = after.getDocument().getObjectFromPool(key);
        return object == null ? null : object.getObject();
    }

    COSDictionary oldCatalog() {
        return before.getDocumentCatalog().getCOSObject();
    }

    COSDictionary newCatalog() {
        return after.getDocumentCatalog().getCOSObject();
    }

    /**
     * The objects each revision draws its pages with (pages, their content, resources, annotations and their
     * appearances), with the page (1-based) that reaches each first. No housekeeping rule may clear one of these.
     */
    Map<COSObjectKey, Integer> shownBefore() {
        if (shownBefore == null) {
            shownBefore = shown(before, danglingBefore);
        }
        return shownBefore;
    }

    Map<COSObjectKey, Integer> shownAfter() {
        if (shownAfter == null) {
            shownAfter = shown(after, new HashSet<>());
        }
        return shownAfter;
    }

    /** The fields (fully qualified names) that showed a value on a visible widget in the earliest signed revision. */
    Set<String> seenWhenSigned() {
        return seenWhenSigned;
    }

    /** Objects of the newer revision an appearance draws with that name no layer or transfer function. */
    Set<COSBase> drawnAlike() {
        return drawnAlike;
    }

    /** The older revision's form fields by fully qualified name (read once per revision, for every rule). */
    Map<String, COSDictionary> fieldsBefore() {
        if (fieldsBefore == null) {
            fieldsBefore = FormFields.fields(before);
        }
        return fieldsBefore;
    }

    /** The newer revision's form fields by fully qualified name. */
    Map<String, COSDictionary> fieldsAfter() {
        if (fieldsAfter == null) {
            fieldsAfter = FormFields.fields(after);
        }
        return fieldsAfter;
    }

    /** Whether an object draws (or held) part of a page, in either revision. */
    boolean isShown(COSObjectKey key) {
        return shownBefore().containsKey(key) || shownAfter().containsKey(key);
    }

    /** The entries whose values differ between two dictionaries, compared without following references. */
    static Set<COSName> changedKeys(COSDictionary was, COSDictionary is) {
        Set<COSName> keys = new HashSet<>(was.keySet());
        keys.addAll(is.keySet());
        Set<COSName> changed = new TreeSet<>(Comparator.comparing(COSName::getName));
        for (COSName key : keys) {
            if (!sameShallow(was.getItem(key), is.getItem(key))) {
                changed.add(key);
            }
        }
        if (was instanceof COSStream || is instanceof COSStream) {
            if (!(was instanceof COSStream) || !(is instanceof COSStream)
                    || !CosDigest.same(CosDigest.shallow(was), CosDigest.shallow(is))) {
                changed.add(COSName.getPDFName("stream data"));
            }
            changed.remove(COSName.LENGTH);
        }
        return changed;
    }

    static boolean sameShallow(COSBase a, COSBase b) {
        if (isNothing(a) && isNothing(b)) {
            return true;
        }
        if (isNothing(a) || isNothing(b)) {
            return false;
        }
        return CosDigest.same(CosDigest.shallow(a), CosDigest.shallow(b));
    }

    private static boolean isNothing(COSBase item) {
        return item == null || item instanceof COSNull
                || item instanceof COSObject reference && reference.getObject() == null;
    }

    static COSObjectKey key(COSBase item) {
        if (item instanceof COSObject reference) {
            return reference.getKey();
        }
        return item == null ? null : item.getKey();
    }

    static COSBase resolve(COSBase item) {
        return item instanceof COSObject reference ? reference.getObject() : item;
    }

    /** How people read a key set: "/AP, /Rect". */
    static String names(Set<COSName> keys) {
        List<String> names = new ArrayList<>();
        for (COSName key : keys) {
            names.add("/" + key.getName());
        }
        return String.join(", ", names);
    }

    /** The 1-based index of a page dictionary among the revision's pages, or null. */
    static Integer pageNumber(PDDocument document, COSBase page) {
        COSBase resolved = resolve(page);
        if (!(resolved instanceof COSDictionary dictionary)) {
            return null;
        }
        int index = document.getPages().indexOf(new PDPage(dictionary));
        return index < 0 ? null : index + 1;
    }

    /** Catalog entries that only describe the file (and are judged by the housekeeping rule). */
    private static final Set<COSName> DESCRIPTIVE = Set.of(COSName.TYPE, COSName.PAGES, COSName.getPDFName("DSS"),
            COSName.METADATA, COSName.STRUCT_TREE_ROOT, COSName.MARK_INFO, COSName.LANG, COSName.VERSION,
            COSName.getPDFName("Extensions"));

    /** What a page inherits from the page tree nodes above it (ISO 32000-1 7.7.3.4). */
    private static final List<COSName> INHERITED = List.of(COSName.RESOURCES, COSName.MEDIA_BOX, COSName.CROP_BOX,
            COSName.ROTATE);

    private static Map<COSObjectKey, Integer> shown(PDDocument document, Set<COSObjectKey> dangling) {
        Map<COSObjectKey, Integer> reached = new LinkedHashMap<>();
        Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int number = 0;
        for (var page : document.getPages()) {
            number++;
            COSDictionary node = page.getCOSObject();
            mark(reached, node.getKey(), number);
            // the page tree nodes above it and what the page inherits from them (its resources, boxes and rotation:
            // an indirect box is what the page is), without walking the whole tree again
            COSDictionary parent = node.getCOSDictionary(COSName.PARENT);
            for (int depth = 0; parent != null && depth < 64; depth++) {
                mark(reached, parent.getKey(), number);
                for (COSName inherited : INHERITED) {
                    walk(parent.getItem(inherited), number, reached, seen, dangling);
                }
                parent = parent.getCOSDictionary(COSName.PARENT);
            }
            for (Map.Entry<COSName, COSBase> entry : node.entrySet()) {
                if (!COSName.PARENT.equals(entry.getKey())) {
                    walk(entry.getValue(), number, reached, seen, dangling);
                }
            }
            if (reached.size() > WALK_LIMIT) {
                break;
            }
        }
        // what else decides what is shown or done: layers, the form, actions, names, outlines (page 0: no page)
        for (Map.Entry<COSName, COSBase> entry : document.getDocumentCatalog().getCOSObject().entrySet()) {
            if (!DESCRIPTIVE.contains(entry.getKey()) && entry.getValue() != null) {
                walk(entry.getValue(), 0, reached, seen, dangling);
            }
        }
        return reached;
    }

    /** The page (1-based) that shows an object, or null when none does (or it is reached from the catalog only). */
    static Integer page(Map<COSObjectKey, Integer> shown, COSObjectKey key) {
        Integer page = shown.get(key);
        return page == null || page == 0 ? null : page;
    }

    private static void mark(Map<COSObjectKey, Integer> reached, COSObjectKey key, int page) {
        if (key != null) {
            reached.putIfAbsent(key, page);
        }
    }

    private static final COSName PG = COSName.getPDFName("Pg");

    /** Everything an item reaches, except back-links to pages and parents (which lead to the whole document). */
    private static void walk(COSBase item, int page, Map<COSObjectKey, Integer> reached, Set<COSBase> seen,
                             Set<COSObjectKey> dangling) {
        ArrayDeque<COSBase> todo = new ArrayDeque<>();
        todo.push(item == null ? COSNull.NULL : item);
        while (!todo.isEmpty() && reached.size() <= WALK_LIMIT) {
            COSBase next = todo.pop();
            if (next instanceof COSObject reference) {
                mark(reached, reference.getKey(), page);
                next = reference.getObject();
                if ((next == null || next instanceof COSNull) && reference.getKey() != null) {
                    dangling.add(reference.getKey());
                }
            }
            // a name, number or string holds nothing further: only arrays and dictionaries are walked (and
            // remembered; every number of every page went into the seen set before)
            if (!(next instanceof COSArray || next instanceof COSDictionary) || !seen.add(next)) {
                continue;
            }
            if (next instanceof COSArray array) {
                for (int i = array.size() - 1; i >= 0; i--) {
                    todo.push(array.get(i) == null ? COSNull.NULL : array.get(i));
                }
            } else if (next instanceof COSDictionary dictionary) {
                // /P is a back-link to the page in an annotation (and /Pg in a structure element); anywhere else
                // (an optional content membership's visibility policy) it is part of what is drawn
                boolean annotation = dictionary.getItem(COSName.SUBTYPE) != null
                        && dictionary.getItem(COSName.RECT) != null;
                for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
                    COSName name = entry.getKey();
                    if (!COSName.PARENT.equals(name) && !(annotation && COSName.P.equals(name))
                            && !PG.equals(name) && entry.getValue() != null) {
                        todo.push(entry.getValue());
                    }
                }
            }
        }
    }

    static Map<COSObjectKey, Integer> emptyShown() {
        return new HashMap<>();
    }
}
