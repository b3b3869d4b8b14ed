package cn.yinxin.core.ofd;

import cn.yinxin.core.pdf.PdfText;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fonts an OFD page's text is drawn with, embedded as subsets (GB/T 33190 section 11.1: a Font with a FontFile):
 * as in {@link cn.yinxin.core.pdf.PdfText}, Liberation Sans (shipped with PDFBox) for Latin text and a CJK TrueType
 * font for the rest, each character drawn with the first font that has it ("?" when none has). Subsets are made
 * with FontBox's TTFSubsetter, the one PDFBox uses: only the glyphs used, with a Unicode cmap so that a reader maps
 * the TextCode characters to them. Not thread-safe: one per document written.
 */
final class OfdFonts {

    private static final String LATIN = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    /** One font: its name, the parsed font, and the code points used so far (what the subset keeps). */
    static final class Face {
        final String name;
        final TrueTypeFont font;
        final CmapLookup cmap;
        final TreeSet<Integer> used = new TreeSet<>();
        final float unitsPerEm;
        int id; // the Font's ID in PublicRes.xml, given when written

        Face(String name, TrueTypeFont font, CmapLookup cmap) throws IOException {
            this.name = name;
            this.font = font;
            this.cmap = cmap;
            this.unitsPerEm = font.getUnitsPerEm();
        }

        boolean has(int codePoint) {
            // the subsetter writes a BMP cmap only (and refuses anything beyond U+FFFF): such a character is drawn
            // as "?" like one no font has, never a failed OFD
            return !Character.isSupplementaryCodePoint(codePoint) && cmap.getGlyphId(codePoint) > 0;
        }

        /** The advance of a character at {@code sizeMm}, in millimetres. */
        double advance(int codePoint, double sizeMm) {
            try {
                return font.getAdvanceWidth(cmap.getGlyphId(codePoint)) / unitsPerEm * sizeMm;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A stretch of text one face draws. */
    record Run(Face face, String text) {
    }

    /**
     * A parsed pair of fonts (Latin, CJK) with their cmaps, used by one writer at a time. Parsing them was 10 % of a
     * licence's CPU in the licence service (docs/benchmarks.md), so a writer that has written its package gives the
     * pair back ({@link #release()}) for the next one, as {@link cn.yinxin.core.pdf.PdfText} does. FontBox's
     * TrueTypeFont reads glyph data by position, so a pair is handed on, never shared.
     */
    private record Parsed(TrueTypeFont latin, CmapLookup latinCmap, TrueTypeFont cjk, CmapLookup cjkCmap) {
    }

    private static final int KEPT = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    private static final Map<Path, BlockingQueue<Parsed>> IDLE =
            new ConcurrentHashMap<>();
    /** The font files' bytes, read once: a parse reads memory, never a file that may change meanwhile. */
    private static final Map<Path, byte[]> FILES = new ConcurrentHashMap<>();

    private final List<Face> faces;
    private final Path cjkFont;
    private Parsed parsed;

    OfdFonts(Path cjkFont) {
        this.cjkFont = cjkFont.toAbsolutePath().normalize();
        try {
            Parsed pair = IDLE.computeIfAbsent(this.cjkFont, k -> new ArrayBlockingQueue<>(KEPT)).poll();
            if (pair == null) {
                pair = parse(this.cjkFont);
            }
            parsed = pair;
            faces = List.of(new Face("LiberationSans", pair.latin(), pair.latinCmap()),
                    new Face(pair.cjk().getName(), pair.cjk(), pair.cjkCmap()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Parsed parse(Path cjkFont) throws IOException {
        byte[] latinBytes = FILES.get(Path.of(LATIN));
        if (latinBytes == null) {
            try (InputStream in = OfdFonts.class.getResourceAsStream(LATIN)) {
                FILES.putIfAbsent(Path.of(LATIN), in.readAllBytes());
            }
            latinBytes = FILES.get(Path.of(LATIN));
        }
        byte[] cjkBytes = FILES.get(cjkFont);
        if (cjkBytes == null) {
            FILES.putIfAbsent(cjkFont, Files.readAllBytes(cjkFont));
            cjkBytes = FILES.get(cjkFont);
        }
        TrueTypeFont latin = new TTFParser().parse(new RandomAccessReadBuffer(latinBytes));
        TrueTypeFont cjk = new TTFParser().parse(new RandomAccessReadBuffer(cjkBytes));
        return new Parsed(latin, latin.getUnicodeCmapLookup(), cjk, cjk.getUnicodeCmapLookup());
    }

    /**
     * Gives the parsed fonts back for the next writer, once the package is written (its subsets made). This object
     * must not be used afterwards.
     */
    void release() {
        if (parsed != null) {
            IDLE.get(cjkFont).offer(parsed);
            parsed = null;
        }
    }

    List<Face> faces() {
        if (parsed == null) {
            throw new IllegalStateException("the fonts were given back: an OfdWriter writes its package once");
        }
        return faces;
    }

    /** The width of {@code text} at {@code sizeMm}, each character in the face that would draw it (nothing noted). */
    double width(String text, double sizeMm) {
        return text.codePoints().mapToDouble(c -> advance(c, sizeMm)).sum();
    }

    /** The advance of one character at {@code sizeMm} in the face that would draw it ("?" when none has it). */
    double advance(int codePoint, double sizeMm) {
        Face face = faceFor(codePoint);
        return face == null ? faces.get(0).advance('?', sizeMm) : face.advance(codePoint, sizeMm);
    }

    /** The first face that has the character, or null. */
    private Face faceFor(int codePoint) {
        for (Face face : faces()) {
            if (face.has(codePoint)) {
                return face;
            }
        }
        return null;
    }

    /** The text cut into runs, each character with the first face that has it; the characters noted as used. */
    List<Run> runs(String text) {
        List<Run> runs = new ArrayList<>();
        Face current = null;
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            Face face = faceFor(c);
            int drawn = c;
            if (face == null) {
                face = faces.get(0);
                drawn = '?';
            }
            if (face != current && !part.isEmpty()) {
                runs.add(new Run(current, part.toString()));
                part.setLength(0);
            }
            current = face;
            part.appendCodePoint(drawn);
            face.used.add(drawn);
        }
        if (!part.isEmpty()) {
            runs.add(new Run(current, part.toString()));
        }
        return runs;
    }

    /** The subset of a face: the glyphs of the characters used, with their Unicode cmap. */
    static byte[] subset(Face face) {
        try {
            TTFSubsetter subsetter = new TTFSubsetter(face.font, PdfText.CUT_TABLES);
            subsetter.addAll(face.used);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            subsetter.writeToStream(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
