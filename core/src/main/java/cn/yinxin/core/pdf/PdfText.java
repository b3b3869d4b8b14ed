package cn.yinxin.core.pdf;

import cn.yinxin.core.text.LineBreaks;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chinese and Latin text in a PDF with embedded font subsets: CJK fallback fonts often lack Latin letters (and the
 * reverse), so each character is drawn with the first font that has it (Liberation Sans from PDFBox, then the CJK
 * TrueType font), and a character no font has becomes "?" rather than a failure.
 */
public final class PdfText implements AutoCloseable {

    /** TrueType fonts with Chinese glyphs, tried in order when none is configured (Debian packages). */
    public static final List<Path> CJK_FONTS = List.of(
            Path.of("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
            Path.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
            Path.of("/usr/share/fonts/truetype/arphic/uming.ttc"));
    private static final String LATIN = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private record Face(PDFont font, CmapLookup cmap) {
        boolean has(int codePoint) {
            return cmap.getGlyphId(codePoint) > 0;
        }
    }

    /** A stretch of text one font can draw. */
    private record Run(Face face, String text) {
    }

    /**
     * A parsed pair of fonts, used by one document at a time. Parsing the CJK font (cmap and metrics of some 30,000
     * glyphs) was ~70 % of the CPU of a one-page licence (docs/benchmarks.md); a document that {@linkplain #close()
     * closes} its PdfText after saving gives the pair back for the next document. PDFBox's TrueTypeFont is not meant
     * to be read by two documents at once (its subsetter reads the font's data by position), so a pair is never
     * shared, only handed on.
     */
    private record Parsed(TrueTypeFont latin, CmapLookup latinCmap, TrueTypeFont cjk, CmapLookup cjkCmap) {
    }

    /** Pairs not in use, per CJK font file; at most {@link #KEPT} each (the rest are left to the garbage collector). */
    private static final Map<Path, BlockingQueue<Parsed>> IDLE =
            new ConcurrentHashMap<>();
    static final int KEPT = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    /** The files' bytes, read once: every parse reads from memory, never from a file that may change meanwhile. */
    private static final Map<Path, byte[]> FILES = new ConcurrentHashMap<>();

    private final List<Face> faces;
    private final Path cjkFont;
    private Parsed parsed;
    /** The code points this document may draw, when they were told in advance ({@link #forText}); else null. */
    private final Set<Integer> declared;

    private PdfText(List<Face> faces, Path cjkFont, Parsed parsed, Set<Integer> declared) {
        this.faces = faces;
        this.cjkFont = cjkFont;
        this.parsed = parsed;
        this.declared = declared;
    }

    /** The first of {@link #CJK_FONTS} that exists, or a clear error naming the package to install. */
    public static Path defaultCjkFont() {
        return CJK_FONTS.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new IllegalStateException(
                "no CJK TrueType font found; install fonts-droid-fallback (apt-get install fonts-droid-fallback) "
                        + "or configure one"));
    }

    /**
     * Fonts for {@code document}: Liberation Sans and the CJK font {@code cjkFont}, both embedded as subsets. Close
     * the result once the document is saved (not before: the subsets are made while saving), so that the next
     * document reuses the parsed fonts; one left open only costs a parse.
     */
    public static PdfText load(PDDocument document, Path cjkFont) throws IOException {
        Path key = cjkFont.toAbsolutePath().normalize();
        Parsed parsed = take(key);
        return new PdfText(List.of(new Face(PDType0Font.load(document, parsed.latin(), true), parsed.latinCmap()),
                new Face(PDType0Font.load(document, parsed.cjk(), true), parsed.cjkCmap())), key, parsed, null);
    }

    /**
     * Fonts for {@code document} when every text it will draw is known now ({@code texts}; any part of them may be
     * drawn or measured, and nothing else: drawing another character is refused). Each font is cut down to the
     * glyphs of these characters before PDFBox sees it: {@link #load} hands PDFBox the whole CJK font, whose
     * embedding builds and reads back a width table of all its ~30,000 glyphs for every document (2.8 MB of small
     * objects, the largest part of a licence PDF's garbage in a profile, docs/benchmarks.md) only to subset it when
     * saving. The parsed fonts go back for the next document at once. Close the result after saving, as with
     * {@link #load}: a text with a character beyond U+FFFF is given the whole fonts.
     */
    public static PdfText forText(PDDocument document, Path cjkFont, Collection<String> texts) throws IOException {
        Set<Integer> codePoints = new TreeSet<>();
        texts.forEach(text -> text.codePoints().forEach(codePoints::add));
        if (codePoints.stream().anyMatch(Character::isSupplementaryCodePoint)) {
            // the subsetter writes a BMP cmap only and refuses a character beyond U+FFFF (𠮷 in a name, say): such a
            // text gets the whole fonts, which PDFBox subsets without a cmap (close the result after saving)
            return load(document, cjkFont);
        }
        Path key = cjkFont.toAbsolutePath().normalize();
        Parsed parsed = take(key);
        try {
            TTFSubsetter latin = new TTFSubsetter(parsed.latin(), CUT_TABLES);
            TTFSubsetter cjk = new TTFSubsetter(parsed.cjk(), CUT_TABLES);
            // the cut fonts are embedded as they are (PDFBox subsetting them again when saving was a quarter of
            // drawing a licence PDF), so they carry the subset tag PDF 9.6.4 asks of a subset in their own names
            String tag = tag(codePoints);
            latin.setPrefix(tag);
            cjk.setPrefix(tag);
            latin.add('?');   // what a character no font has becomes
            for (int c : codePoints) {
                if (parsed.latinCmap().getGlyphId(c) > 0) {
                    latin.add(c);
                } else if (parsed.cjkCmap().getGlyphId(c) > 0) {
                    cjk.add(c);
                }
            }
            TrueTypeFont latinCut = cut(latin);
            TrueTypeFont cjkCut = cut(cjk);
            return new PdfText(List.of(new Face(PDType0Font.load(document, latinCut, false), latinCut.getUnicodeCmapLookup()),
                    new Face(PDType0Font.load(document, cjkCut, false), cjkCut.getUnicodeCmapLookup())), key, null,
                    Set.copyOf(codePoints));
        } finally {
            giveBack(key, parsed);
        }
    }

    /** An idle parsed pair of this CJK font, or a new one. */
    private static Parsed take(Path key) throws IOException {
        Parsed parsed = IDLE.computeIfAbsent(key, k -> new ArrayBlockingQueue<>(KEPT)).poll();
        return parsed != null ? parsed : parse(key);
    }

    /** The pair back for the next document (dropped when {@link #KEPT} wait already). */
    private static void giveBack(Path key, Parsed parsed) {
        IDLE.get(key).offer(parsed);
    }

    /**
     * The tables a cut font keeps: those PDFBox embeds of a subset, and what reading the cut font back needs (cmap,
     * name, OS/2, post; an OFD reader finds glyphs through the cmap). Without a list the subsetter copies every other
     * table whole (the fonts' kerning, glyph positioning and substitution tables, more bytes than a licence's glyphs).
     */
    public static final List<String> CUT_TABLES = List.of("head", "hhea", "loca", "maxp", "cvt ", "prep", "glyf",
            "hmtx", "fpgm", "gasp", "cmap", "name", "OS/2", "post");

    /** Six capital letters and "+" (PDF 9.6.4), from the characters a subset holds: the same text, the same tag. */
    static String tag(Set<Integer> codePoints) {
        long hash = 1125899906842597L;
        for (int c : codePoints) {
            hash = 31 * hash + c;
        }
        StringBuilder tag = new StringBuilder(7);
        for (int i = 0; i < 6; i++) {
            tag.append((char) ('A' + Math.floorMod(hash, 26)));
            hash /= 26;
        }
        return tag.append('+').toString();
    }

    private static TrueTypeFont cut(TTFSubsetter subsetter) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        subsetter.writeToStream(out);
        return new TTFParser().parse(new RandomAccessReadBuffer(out.toByteArray()));
    }

    private static Parsed parse(Path cjkFont) throws IOException {
        TrueTypeFont latin = new TTFParser().parse(new RandomAccessReadBuffer(bytes(Path.of(LATIN), true)));
        TrueTypeFont cjk = new TTFParser().parse(new RandomAccessReadBuffer(bytes(cjkFont, false)));
        return new Parsed(latin, latin.getUnicodeCmapLookup(), cjk, cjk.getUnicodeCmapLookup());
    }

    private static byte[] bytes(Path file, boolean resource) throws IOException {
        byte[] known = FILES.get(file);
        if (known != null) {
            return known;
        }
        byte[] read;
        if (resource) {
            try (InputStream in = PdfText.class.getResourceAsStream(file.toString())) {
                read = in.readAllBytes();
            }
        } else {
            read = Files.readAllBytes(file);
        }
        FILES.putIfAbsent(file, read);
        return FILES.get(file);
    }

    /** Number of parsed font pairs waiting for a document (for tests). */
    static int idle(Path cjkFont) {
        var idle = IDLE.get(cjkFont.toAbsolutePath().normalize());
        return idle == null ? 0 : idle.size();
    }

    /**
     * Gives the parsed fonts back for the next document. Only after the document was saved or given up: the
     * document's fonts read them until then.
     */
    @Override
    public void close() {
        if (parsed != null) {
            giveBack(cjkFont, parsed);
            parsed = null;
        }
        PdfNames.forget(); // the subset-tagged font names of this document
    }

    /** Draws {@code text} with its baseline starting at (x, y); the caller has set the colour. */
    public void show(PDPageContentStream content, String text, float size, float x, float y) throws IOException {
        List<Run> runs = runs(text);   // before the text object begins: a refused character leaves the stream as it was
        content.beginText();
        content.newLineAtOffset(x, y);
        for (Run run : runs) {
            content.setFont(run.face().font(), size);
            content.showText(run.text());
        }
        content.endText();
    }

    public float width(String text, float size) throws IOException {
        float width = 0;
        for (Run run : runs(text)) {
            width += run.face().font().getStringWidth(run.text()) / 1000 * size;
        }
        return width;
    }

    /** Lines no wider than {@code maxWidth}: broken at spaces where it can, anywhere in CJK text or long tokens. */
    public List<String> wrap(String text, float size, float maxWidth) throws IOException {
        Map<Integer, Float> advances = new HashMap<>();
        try {
            return LineBreaks.wrap(text, maxWidth, c -> advances.computeIfAbsent(c, this::advance) / 1000 * size);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A character's advance in the face that draws it, in thousandths of the font size (as getStringWidth). */
    private float advance(int codePoint) {
        refuseUndeclared(codePoint);
        Face face = faceFor(codePoint);
        try {
            return face == null ? faces.get(0).font().getStringWidth("?")
                    : face.font().getStringWidth(new String(Character.toChars(codePoint)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first face that has the character, or null. */
    private Face faceFor(int codePoint) {
        for (Face face : faces) {
            if (face.has(codePoint)) {
                return face;
            }
        }
        return null;
    }

    private void refuseUndeclared(int codePoint) {
        if (declared != null && !declared.contains(codePoint)) {
            throw new IllegalArgumentException("U+" + Integer.toHexString(codePoint).toUpperCase()
                    + " was not among the texts this document's fonts were cut for");
        }
    }

    private List<Run> runs(String text) {
        List<Run> runs = new ArrayList<>();
        Face current = null;
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            refuseUndeclared(c);
            Face face = faceFor(c);
            String s = new String(Character.toChars(c));
            if (face == null) {
                face = faces.get(0);
                s = "?";
            }
            if (face != current && !part.isEmpty()) {
                runs.add(new Run(current, part.toString()));
                part.setLength(0);
            }
            current = face;
            part.append(s);
            i += Character.charCount(c);
        }
        if (!part.isEmpty()) {
            runs.add(new Run(current, part.toString()));
        }
        return runs;
    }
}
