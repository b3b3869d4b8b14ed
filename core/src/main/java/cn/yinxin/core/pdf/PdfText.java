package cn.yinxin.core.pdf;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chinese and Latin text in a PDF with embedded font subsets: CJK fallback fonts often lack Latin letters (and the
 * reverse), so each character is drawn with the first font that has it (Liberation Sans from PDFBox, then the CJK
 * TrueType font), and a character no font has becomes "?" rather than a failure.
 */
public final class PdfText {

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

    private final List<Face> faces;

    private PdfText(List<Face> faces) {
        this.faces = faces;
    }

    /** The first of {@link #CJK_FONTS} that exists, or a clear error naming the package to install. */
    public static Path defaultCjkFont() {
        return CJK_FONTS.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new IllegalStateException(
                "no CJK TrueType font found; install fonts-droid-fallback (apt-get install fonts-droid-fallback) "
                        + "or configure one"));
    }

    /** Fonts for {@code document}: Liberation Sans and the CJK font {@code cjkFont}, both embedded as subsets. */
    public static PdfText load(PDDocument document, Path cjkFont) throws IOException {
        TrueTypeFont latin;
        try (InputStream in = PdfText.class.getResourceAsStream(LATIN)) {
            latin = new TTFParser().parse(new RandomAccessReadBuffer(in));
        }
        TrueTypeFont cjk = new TTFParser().parse(new RandomAccessReadBufferedFile(cjkFont.toFile()));
        return new PdfText(List.of(face(document, latin), face(document, cjk)));
    }

    private static Face face(PDDocument document, TrueTypeFont ttf) throws IOException {
        return new Face(PDType0Font.load(document, ttf, true), ttf.getUnicodeCmapLookup());
    }

    /** Draws {@code text} with its baseline starting at (x, y); the caller has set the colour. */
    public void show(PDPageContentStream content, String text, float size, float x, float y) throws IOException {
        content.beginText();
        content.newLineAtOffset(x, y);
        for (Run run : runs(text)) {
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
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int lastSpace = -1;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            current.appendCodePoint(codePoint);
            if (codePoint == ' ') {
                lastSpace = current.length() - 1;
            }
            if (width(current.toString(), size) > maxWidth) {
                if (lastSpace > 0) {
                    lines.add(current.substring(0, lastSpace));
                    current.delete(0, lastSpace + 1);
                } else {
                    int cut = current.length() - Character.charCount(codePoint);
                    lines.add(current.substring(0, cut));
                    current.delete(0, cut);
                }
                lastSpace = current.indexOf(" ");
            }
            i += Character.charCount(codePoint);
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    private List<Run> runs(String text) {
        List<Run> runs = new ArrayList<>();
        Face current = null;
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            Face face = faces.stream().filter(f -> f.has(c)).findFirst().orElse(null);
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
