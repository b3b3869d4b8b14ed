package cn.yinxin.core.pdf.verify.visual;

import cn.yinxin.core.pdf.verify.CosDigest;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The quick way to know a page is drawn as signed: every object it reaches (the page, the page-tree nodes it
 * inherits from, its content, resources, annotations and their appearances, and the layer configuration) is the very
 * definition the signed revision has: the same cross-reference entry, so the same bytes. Objects are never changed
 * in place in an incremental file, only defined anew. No stream is read or digested, which made the page-by-page
 * digest ({@link PageInputs}) most of a 100-page document's verification; when any definition differs, the digest
 * still decides (it can leave a later signature's widget out).
 */
final class SameDefinitions {

    private static final Set<COSName> BACK_LINKS = Set.of(COSName.PARENT, COSName.P, COSName.getPDFName("Pg"));
    private static final int LIMIT = 200_000;
    private static final Set<COSName> FORM_DEFAULTS = Set.of(COSName.DR, COSName.DA, COSName.NEED_APPEARANCES);
    private static final Set<COSName> INHERITED = Set.of(COSName.RESOURCES, COSName.MEDIA_BOX, COSName.CROP_BOX,
            COSName.ROTATE);

    private SameDefinitions() {
    }

    /**
     * What one comparison of two documents has already found: the objects proven unchanged with everything they
     * reach (pages share their resources, fonts and layers: each page walked them again, 7 % of a 100-page
     * verification), and the answer for the layers and form defaults, which is the same for every page.
     */
    static final class Proven {
        private final Set<COSBase> items = Collections.newSetFromMap(new IdentityHashMap<>());
        private Boolean catalogSame;
        private List<COSBase> catalogItems;

        /** Whether {@code item} was walked whole, and all it reaches found unchanged, for an earlier page. */
        boolean contains(COSBase item) {
            return items.contains(item);
        }
    }

    /** As {@link #page(PDDocument, PDPage, PDDocument, PDPage, Proven)} for one page alone. */
    static boolean page(PDDocument signed, PDPage signedPage, PDDocument current, PDPage currentPage) {
        return page(signed, signedPage, current, currentPage, new Proven());
    }

    /**
     * @param proven what earlier pages of the same two documents proved: an object in it is not walked again (all
     *               it reaches was found at its signed entry); what this page proves is added to it
     */
    static boolean page(PDDocument signed, PDPage signedPage, PDDocument current, PDPage currentPage, Proven proven) {
        Map<COSObjectKey, Long> was = signed.getDocument().getXrefTable();
        Map<COSObjectKey, Long> is = current.getDocument().getXrefTable();
        COSDictionary page = currentPage.getCOSObject();
        COSObjectKey key = page.getKey();
        if (key == null || !key.equals(signedPage.getCOSObject().getKey())) {
            return false;
        }
        ArrayDeque<COSBase> todo = new ArrayDeque<>();
        if (!same(was, is, key)) {
            return false;
        }
        todo.push(page);
        return inherited(page, was, is, todo) && layersAndFormDefaults(signed, current, todo, proven)
                && reachableUnchanged(was, is, todo, proven);
    }

    /** {@link #layersAndFormDefaults} once per comparison: it reads the two catalogs only, never the page. */
    private static boolean layersAndFormDefaults(PDDocument signed, PDDocument current, ArrayDeque<COSBase> todo,
                                                 Proven proven) {
        if (proven.catalogSame == null) {
            ArrayDeque<COSBase> items = new ArrayDeque<>();
            proven.catalogSame = layersAndFormDefaults(signed, current, items);
            proven.catalogItems = List.copyOf(items);
        }
        for (COSBase item : proven.catalogItems.reversed()) {
            todo.push(item);
        }
        return proven.catalogSame;
    }

    /** The page's parents unchanged, and what the page inherits from them (never their /Kids) to be followed. */
    private static boolean inherited(COSDictionary page, Map<COSObjectKey, Long> was, Map<COSObjectKey, Long> is,
                                     ArrayDeque<COSBase> todo) {
        COSDictionary parent = page.getCOSDictionary(COSName.PARENT);
        for (int depth = 0; parent != null && depth < 64; depth++) {
            if (parent.getKey() == null || !same(was, is, parent.getKey())) {
                return false;
            }
            // only what a page inherits: its /Kids lead to every other page
            for (COSName inherited : INHERITED) {
                if (parent.getItem(inherited) != null) {
                    todo.push(parent.getItem(inherited));
                }
            }
            parent = parent.getCOSDictionary(COSName.PARENT);
        }
        return true;
    }

    /** The same optional content (layers) and form defaults in both, to be followed too. */
    private static boolean layersAndFormDefaults(PDDocument signed, PDDocument current, ArrayDeque<COSBase> todo) {
        COSDictionary catalog = current.getDocumentCatalog().getCOSObject();
        COSDictionary signedCatalog = signed.getDocumentCatalog().getCOSObject();
        COSBase layers = catalog.getItem(COSName.getPDFName("OCProperties"));
        if (!Objects.equals(key(layers), key(signedCatalog.getItem(COSName.getPDFName("OCProperties"))))
                || key(layers) == null && layers != null) {
            return false; // a direct layer configuration: let the digest compare it
        }
        if (layers != null) {
            todo.push(layers);
        }
        // what widgets and annotations without an appearance of their own are drawn with: the form's defaults
        COSDictionary form = catalog.getCOSDictionary(COSName.ACRO_FORM);
        COSDictionary signedForm = signedCatalog.getCOSDictionary(COSName.ACRO_FORM);
        for (COSName entry : FORM_DEFAULTS) {
            COSBase now = form == null ? null : form.getItem(entry);
            COSBase then = signedForm == null ? null : signedForm.getItem(entry);
            if (!CosDigest.same(CosDigest.shallow(now), CosDigest.shallow(then))) {
                return false;
            }
            if (now != null) {
                todo.push(now);
            }
        }
        return true;
    }

    /** Every object reachable from {@code todo} has the same cross-reference entry in both (up to a limit). */
    private static boolean reachableUnchanged(Map<COSObjectKey, Long> was, Map<COSObjectKey, Long> is,
                                              ArrayDeque<COSBase> todo, Proven proven) {
        Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long items = 0;
        while (!todo.isEmpty()) {
            COSBase item = todo.pop();
            if (item instanceof COSObject reference) {
                if (!same(was, is, reference.getKey())) {
                    return false;
                }
                item = reference.getObject();
            }
            // everything taken from the stack counts towards the limit (names and numbers too, as before), but a
            // name, number or string holds nothing further: only arrays and dictionaries are walked and kept
            if (item == null || proven.contains(item)) {
                continue;
            }
            if (++items > LIMIT) {
                return false;
            }
            if (!(item instanceof COSArray || item instanceof COSDictionary) || !seen.add(item)) {
                continue;
            }
            if (item instanceof COSArray array) {
                for (int i = 0; i < array.size(); i++) {
                    if (array.get(i) != null) {
                        todo.push(array.get(i));
                    }
                }
            } else if (item instanceof COSDictionary dictionary) {
                // a page's and an annotation's back-links lead to the whole document; anywhere else (an optional
                // content policy /P) they are what the dictionary means
                boolean backLinks = COSName.PAGE.equals(dictionary.getCOSName(COSName.TYPE))
                        || dictionary.getItem(COSName.SUBTYPE) != null && dictionary.getItem(COSName.RECT) != null;
                for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
                    if (!(backLinks && BACK_LINKS.contains(entry.getKey())) && entry.getValue() != null) {
                        todo.push(entry.getValue());
                    }
                }
            }
        }
        // only now, the walk finished: everything it saw was followed to its end and found at its signed entry (a
        // walk that stopped at a change leaves objects half followed, which another page must walk again)
        proven.items.addAll(seen);
        return true;
    }

    /** The same cross-reference entry in both (an object in an object stream: that stream unchanged as well). */
    private static boolean same(Map<COSObjectKey, Long> was, Map<COSObjectKey, Long> is, COSObjectKey key) {
        Long before = was.get(key);
        if (before == null || !before.equals(is.get(key))) {
            return false;
        }
        if (before < 0) {
            COSObjectKey stream = new COSObjectKey(-before, 0);
            return Objects.equals(was.get(stream), is.get(stream));
        }
        return true;
    }

    private static COSObjectKey key(COSBase item) {
        return item instanceof COSObject reference ? reference.getKey() : null;
    }
}
