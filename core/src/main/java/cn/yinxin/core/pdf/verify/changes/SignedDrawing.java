package cn.yinxin.core.pdf.verify.changes;

import cn.yinxin.core.pdf.ContentTokens;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDPage;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Whether the signed revision draws anything with a font dictionary under given names: the content streams that
 * take their fonts from it (a page whose resources name it as /Font, and every appearance stream or form XObject
 * reachable from a page or an annotation whose /Resources /Font is it, or that has no /Resources or no such font
 * of its own, which some viewers fill from the page, an enclosing XObject or the form's defaults) are read token by
 * token (a name written with #xx escapes is the same name). What cannot be read within bounds counts as naming them.
 */
final class SignedDrawing {

    /** At most this many streams read, each at most this many decoded bytes. */
    private static final int MAX_STREAMS = 2_000;
    private static final int MAX_BYTES = 1 << 20;

    private SignedDrawing() {
    }

    /** Whether no stream the signed revision draws with the font dictionary {@code fonts} names one of {@code names}. */
    static boolean namesNone(RevisionDiff diff, COSObjectKey fonts, Set<String> names) {
        Set<COSObjectKey> read = new HashSet<>();
        try {
            for (PDPage page : diff.before().getPages()) {
                COSDictionary resources = page.getResources() == null ? null : page.getResources().getCOSObject();
                if (resources != null && fonts.equals(RevisionDiff.key(resources.getItem(COSName.FONT)))
                        && names(page.getCOSObject().getItem(COSName.CONTENTS), true, fonts, names, read)) {
                    return false;
                }
                if (names(resources, false, fonts, names, read)) { // the page's own or inherited resources
                    return false;
                }
                for (COSDictionary annotation : PageRule.annotations(
                        page.getCOSObject().getDictionaryObject(COSName.ANNOTS)).values()) {
                    if (names(annotation.getItem(COSName.AP), false, fonts, names, read)) {
                        return false;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return true;
    }

    /**
     * Whether a stream reachable from {@code start} that draws with {@code fonts} names one of {@code names}: the page's
     * content streams when {@code pageContents}, form XObjects and appearance streams (a /BBox) otherwise.
     */
    private static boolean names(COSBase start, boolean pageContents, COSObjectKey fonts, Set<String> names,
                                 Set<COSObjectKey> read) throws IOException {
        Set<COSName> notFollowed = pageContents ? Set.of(COSName.RESOURCES) : Set.of(COSName.PARENT, COSName.P);
        Map<COSBase, COSBase> glyphs = pageContents ? Map.of() : glyphs(start, notFollowed);
        Map<COSObjectKey, COSBase> reached = Reach.from(start, notFollowed);
        if (reached.size() > RevisionDiff.WALK_LIMIT) {
            return true; // not read within bounds: counts as naming them
        }
        for (Map.Entry<COSObjectKey, COSBase> entry : reached.entrySet()) {
            if (!(entry.getValue() instanceof COSStream stream) || read.contains(entry.getKey())) {
                continue;
            }
            boolean glyph = glyphs.containsKey(stream);
            Set<String> open = pageContents ? names : notOwnFonts(glyph ? glyphs.get(stream)
                    : stream.getDictionaryObject(COSName.RESOURCES), fonts, names);
            boolean drawing = pageContents || glyph || COSName.FORM.equals(stream.getCOSName(COSName.SUBTYPE))
                    || stream.getItem(COSName.BBOX) != null;
            if (open.isEmpty() || !drawing) {
                continue;
            }
            read.add(entry.getKey());
            if (read.size() > MAX_STREAMS || tokensName(stream, open)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which of {@code names} a stream with the resources {@code own} (a Type 3 glyph: its font's) may take from
     * {@code fonts}: all when its fonts are those, or it has none of its own; otherwise those its own fonts lack, which poppler looks up in the resources of what draws the stream (the
     * page, an enclosing form XObject), and those may be these fonts.
     */
    private static Set<String> notOwnFonts(COSBase own, COSObjectKey fonts, Set<String> names) {
        if (!(own instanceof COSDictionary resources)
                || fonts.equals(RevisionDiff.key(resources.getItem(COSName.FONT)))
                || !(resources.getDictionaryObject(COSName.FONT) instanceof COSDictionary ownFonts)) {
            return names;
        }
        Set<String> open = new HashSet<>();
        for (String name : names) {
            if (ownFonts.getItem(COSName.getPDFName(name)) == null) {
                open.add(name);
            }
        }
        return open;
    }

    /**
     * The glyph procedures of the Type 3 fonts reachable from {@code start} (each to its font's /Resources, or null):
     * they draw in the resources of the text that shows them where the font's own lack a name (poppler).
     */
    private static Map<COSBase, COSBase> glyphs(COSBase start, Set<COSName> notFollowed) {
        Map<COSBase, COSBase> glyphs = new IdentityHashMap<>();
        Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<COSBase> todo = new ArrayDeque<>();
        push(todo, start);
        for (int steps = 0; !todo.isEmpty() && steps < RevisionDiff.WALK_LIMIT; steps++) {
            COSBase next = todo.pop();
            if (next instanceof COSObject reference) {
                next = reference.getObject();
            }
            if (next == null || !seen.add(next)) {
                continue;
            }
            if (next instanceof COSArray array) {
                array.forEach(item -> push(todo, item));
            } else if (next instanceof COSDictionary dictionary) {
                if (COSName.TYPE3.equals(dictionary.getCOSName(COSName.SUBTYPE))
                        && dictionary.getDictionaryObject(COSName.CHAR_PROCS) instanceof COSDictionary procs) {
                    for (COSBase proc : procs.getValues()) {
                        glyphs.put(RevisionDiff.resolve(proc), dictionary.getDictionaryObject(COSName.RESOURCES));
                    }
                }
                dictionary.entrySet().stream().filter(e -> !notFollowed.contains(e.getKey()))
                        .forEach(e -> push(todo, e.getValue()));
            }
        }
        if (!todo.isEmpty()) {
            // not read within bounds: counts as naming them (namesNone answers false), as the class says
            throw new IllegalStateException("the walk for Type 3 glyphs was cut short");
        }
        return glyphs;
    }

    private static void push(ArrayDeque<COSBase> todo, COSBase item) {
        if (item != null) {
            todo.push(item);
        }
    }

    private static boolean tokensName(COSStream stream, Set<String> names) throws IOException {
        byte[] bytes;
        try (InputStream in = stream.createInputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            return true;
        }
        var parser = ContentTokens.parser(bytes);
        for (Object token = parser.parseNextToken(); token != null; token = parser.parseNextToken()) {
            if (token instanceof COSName name && names.contains(name.getName())) {
                return true;
            }
        }
        return false;
    }
}
