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

    static boolean page(PDDocument signed, PDPage signedPage, PDDocument current, PDPage currentPage) {
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
        return inherited(page, was, is, todo) && layersAndFormDefaults(signed, current, todo)
                && reachableUnchanged(was, is, todo);
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
                                              ArrayDeque<COSBase> todo) {
        Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            COSBase item = todo.pop();
            if (item instanceof COSObject reference) {
                if (!same(was, is, reference.getKey())) {
                    return false;
                }
                item = reference.getObject();
            }
            if (item == null || !seen.add(item)) {
                continue;
            }
            if (seen.size() > LIMIT) {
                return false;
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
