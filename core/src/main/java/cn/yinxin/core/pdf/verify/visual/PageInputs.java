package cn.yinxin.core.pdf.verify.visual;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNull;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A digest of everything PDFBox's renderer reads to draw one page: the page dictionary with its inherited attributes
 * (resources, boxes, rotation), every object reachable from it (content streams as stored, resources, fonts, images,
 * annotations and their appearances, optional content groups), and the document's optional content configuration
 * (which layers are on) and form defaults. Two pages with the same digest are drawn the same, pixel for pixel, so
 * the visual comparison need not draw them: that is what keeps a 100-page document with one later revision cheap.
 *
 * <p>The digest follows structure, not object numbers (a renumbered object is the same input), and stops at the keys
 * of a page or an annotation that lead away from what is drawn (/Parent, /P, actions and destinations, thumbnails,
 * article beads), so that one page does not take in the whole document. When in doubt it gives no digest
 * ({@code null}) and the page is drawn.
 */
final class PageInputs {

    /**
     * Keys of a page or an annotation (a dictionary with /Rect) that lead to other pages or to what is not drawn;
     * only there (an optional content membership's /P, its visibility policy, is drawn). Everything else counts.
     */
    private static final Set<COSName> NOT_DRAWN = Set.of(COSName.PARENT, COSName.P, COSName.DEST, COSName.A,
            COSName.AA, COSName.getPDFName("PA"), COSName.getPDFName("Thumb"), COSName.B);
    private static final int MAX_DEPTH = 256;
    private static final long MAX_OBJECTS = 200_000;

    private final MessageDigest digest;
    private final Map<COSBase, Integer> seen = new IdentityHashMap<>();
    private final byte[] buffer = new byte[8192];
    private final Set<COSDictionary> leftOut;
    private COSBase annotations;

    private PageInputs(Set<COSDictionary> leftOut) {
        this.leftOut = leftOut;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of what drawing {@code page} of {@code document} reads, or null when it cannot be told. */
    static byte[] of(PDDocument document, PDPage page) {
        return of(document, page, Set.of());
    }

    /**
     * As {@link #of(PDDocument, PDPage)}, as if the annotations {@code leftOut} (dictionaries of this document) were
     * not in the page's /Annots: the widgets of later signatures, whose boxes the comparison leaves out anyway.
     */
    static byte[] of(PDDocument document, PDPage page, Set<COSDictionary> leftOut) {
        PageInputs inputs = new PageInputs(leftOut);
        COSBase annots = page.getCOSObject().getItem(COSName.ANNOTS);
        inputs.annotations = annots instanceof COSObject reference ? reference.getObject() : annots;
        try {
            COSDictionary catalog = document.getDocumentCatalog().getCOSObject();
            inputs.name("OCProperties");
            inputs.value(catalog.getDictionaryObject(COSName.OCPROPERTIES), 0);
            COSDictionary form = catalog.getCOSDictionary(COSName.ACRO_FORM);
            inputs.name("DR");
            inputs.value(form == null ? null : form.getDictionaryObject(COSName.DR), 0);
            inputs.name("DA");
            inputs.value(form == null ? null : form.getDictionaryObject(COSName.DA), 0);
            // what the page inherits from the page tree, as the renderer sees it
            inputs.name("Resources");
            inputs.value(page.getResources() == null ? null : page.getResources().getCOSObject(), 0);
            inputs.box(page.getMediaBox());
            inputs.box(page.getCropBox());
            inputs.number(page.getRotation());
            inputs.name("Page");
            inputs.value(page.getCOSObject(), 0);
            return inputs.digest.digest();
        } catch (IOException | TooMuch | RuntimeException e) {
            return null;
        }
    }

    private static final class TooMuch extends Exception {
        TooMuch() {
            super(null, null, false, false);
        }
    }

    private void value(COSBase value, int depth) throws IOException, TooMuch {
        if (depth > MAX_DEPTH) {
            throw new TooMuch();
        }
        COSBase object = value instanceof COSObject reference ? reference.getObject() : value;
        if (object == null || object instanceof COSNull) {
            tag('0');
            return;
        }
        if (object instanceof COSDictionary || object instanceof COSArray) {
            Integer ordinal = seen.get(object);
            if (ordinal != null) {
                // the same object again (a shared font, a cycle): by its place in the walk, not its number
                tag('R');
                number(ordinal);
                return;
            }
            if (seen.size() >= MAX_OBJECTS) {
                throw new TooMuch();
            }
            seen.put(object, seen.size());
        }
        switch (object) {
            case COSStream stream -> stream(stream, depth);
            case COSDictionary dictionary -> {
                tag('D');
                dictionary(dictionary, depth);
            }
            case COSArray array -> array(array, depth);
            case COSName name -> name(name.getName());
            case COSString string -> {
                tag('T');
                bytes(string.getBytes());
            }
            case COSInteger integer -> {
                tag('I');
                number(integer.longValue());
            }
            case COSFloat real -> {
                tag('F');
                number(Float.floatToIntBits(real.floatValue()));
            }
            case COSBoolean bool -> tag(bool.getValue() ? 't' : 'f');
            default -> {
                tag('?');
                bytes(object.getClass().getName().getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /** A stream: its dictionary, then its raw (still encoded) bytes and their length. */
    private void stream(COSStream stream, int depth) throws IOException, TooMuch {
        tag('S');
        dictionary(stream, depth);
        try (InputStream raw = stream.createRawInputStream()) {
            long length = 0;
            for (int n; (n = raw.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                length += n;
            }
            number(length);
        }
    }

    /** An array: the elements kept (the page's /Annots without the annotations left out), in order. */
    private void array(COSArray array, int depth) throws IOException, TooMuch {
        tag('A');
        boolean pageAnnotations = array == annotations && !leftOut.isEmpty();
        int kept = 0;
        for (int i = 0; i < array.size(); i++) {
            if (!(pageAnnotations && isLeftOut(array.get(i)))) {
                kept++;
            }
        }
        number(kept);
        for (int i = 0; i < array.size(); i++) {
            if (!(pageAnnotations && isLeftOut(array.get(i)))) {
                value(array.get(i), depth + 1);
            }
        }
    }

    private boolean isLeftOut(COSBase element) {
        COSBase object = element instanceof COSObject reference ? reference.getObject() : element;
        return object instanceof COSDictionary dictionary && leftOut.contains(dictionary);
    }

    private void dictionary(COSDictionary dictionary, int depth) throws IOException, TooMuch {
        // keys in order: two writers may list them differently
        Map<String, COSBase> sorted = new TreeMap<>();
        boolean pageOrAnnotation = dictionary.containsKey(COSName.RECT)
                || COSName.PAGE.equals(dictionary.getCOSName(COSName.TYPE));
        for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
            if (!(pageOrAnnotation && NOT_DRAWN.contains(entry.getKey()))) {
                sorted.put(entry.getKey().getName(), entry.getValue());
            }
        }
        number(sorted.size());
        for (Map.Entry<String, COSBase> entry : sorted.entrySet()) {
            name(entry.getKey());
            value(entry.getValue(), depth + 1);
        }
    }

    private void box(PDRectangle box) {
        tag('B');
        if (box != null) {
            number(Float.floatToIntBits(box.getLowerLeftX()));
            number(Float.floatToIntBits(box.getLowerLeftY()));
            number(Float.floatToIntBits(box.getUpperRightX()));
            number(Float.floatToIntBits(box.getUpperRightY()));
        }
    }

    private void name(String name) {
        tag('N');
        bytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private void tag(char tag) {
        digest.update((byte) tag);
    }

    private void bytes(byte[] bytes) {
        number(bytes.length);
        digest.update(bytes);
    }

    private void number(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte) (value >>> shift));
        }
    }
}
