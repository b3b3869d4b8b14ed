package cn.yinxin.core.pdf.verify.visual;

import cn.yinxin.core.pdf.verify.changes.FormFields;
import cn.yinxin.core.pdf.verify.PageList;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.RenderDestination;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Visual proof, as defence in depth behind the object-by-object change analysis: every page of the signed revision
 * and of the document as it is now is drawn with PDFBox at a low resolution, and the two pictures are compared pixel
 * by pixel. Whatever the objects say, a page that now shows something the signer did not see is found here.
 *
 * <p>A page whose rendering inputs are the same as signed ({@link PageInputs}: the page, everything it reaches,
 * the layers' configuration) is drawn the same and is not drawn at all; only pages something changed for are.
 *
 * <p>Bounded: one page at a time into two reused images, each of at most {@link Settings#maxPixelsPerPage()}
 * pixels (a huge page is drawn at a lower scale), at most {@link Settings#maxPages()} pages and
 * {@link Settings#budget()} of time; past a bound the result says it is {@linkplain Result#incomplete()
 * incomplete} rather than "no difference".
 *
 * <p>Annotations are drawn as the reader would show them (widget appearances included), and also those shown only
 * on paper (printed but /NoView): a clerk prints.
 *
 * <p>Beyond the areas the caller leaves out, form filling is left out: the box of a form field the signer saw as
 * fillable and empty (see {@link FillableFields}), where it was blank paper when signed: a fill may write into the
 * box, never cover what the page printed under it (under a certification with P=2 or 3, the whole box). A widget's
 * appearance is clipped to its box; whether it may be filled (DocMDP P=1, FieldMDP locks) is for the change analysis.
 */
public final class VisualComparison {

    /**
     * @param dpi               resolution of the comparison (small text changes stay visible at 50)
     * @param maxPixelsPerPage  most pixels of one rendering; bounds memory whatever the page size
     * @param maxPages          most pages compared; beyond, the result is incomplete
     * @param budget            most time for one comparison; beyond, the result is incomplete
     * @param tolerance         largest colour-channel difference (0-255) taken for the same colour
     * @param maxRegionsPerPage most regions reported per page (the smallest beyond are merged)
     * @param pictureDpi        resolution of the pictures shown to a clerk
     * @param maxPicturePages   most pages pictured per signature (the payload stays small)
     */
    public record Settings(float dpi, long maxPixelsPerPage, int maxPages, Duration budget, int tolerance,
                           int maxRegionsPerPage, float pictureDpi, int maxPicturePages) {

        public static final Settings DEFAULT = new Settings(50, 2_000_000, 2_000, Duration.ofSeconds(60), 40, 8, 60, 3);

        public Settings {
            if (dpi <= 0 || maxPixelsPerPage < 1 || maxPages < 1 || budget == null || budget.isNegative()
                    || tolerance < 0 || tolerance > 255 || maxRegionsPerPage < 1 || pictureDpi <= 0
                    || maxPicturePages < 0) {
                throw new IllegalArgumentException("visual comparison settings out of range");
            }
        }

        public Settings withDpi(float value) {
            return new Settings(value, maxPixelsPerPage, maxPages, budget, tolerance, maxRegionsPerPage, pictureDpi,
                    maxPicturePages);
        }

        public Settings withBudget(Duration value) {
            return new Settings(dpi, maxPixelsPerPage, maxPages, value, tolerance, maxRegionsPerPage, pictureDpi,
                    maxPicturePages);
        }

        public Settings withMaxPages(int value) {
            return new Settings(dpi, maxPixelsPerPage, value, budget, tolerance, maxRegionsPerPage, pictureDpi,
                    maxPicturePages);
        }
    }

    /**
     * An area of a page (1-based, in the document as it is now) left out of the comparison; when it is the box of an
     * annotation added after signing ({@code annotation}, in the document the caller passes as it is now, else
     * null), that annotation is left out of the page's inputs too: a page that differs from the signed one only by
     * it is not drawn (an annotation draws inside its box).
     */
    public record Exclusion(int page, PDRectangle area, COSDictionary annotation) {

        public Exclusion(int page, PDRectangle area) {
            this(page, area, null);
        }
    }

    /**
     * A region of page {@code page} (1-based) that looks different now, in PDF user-space units of the page (x, y
     * its bottom left corner); {@code fraction} is the share of the page's pixels that differ in it (1 for a page
     * added, removed or resized).
     */
    public record VisualDifference(int page, float x, float y, float w, float h, double fraction) {
    }

    /**
     * What the comparison found.
     *
     * @param incomplete why not every page was compared (a bound, a page that cannot be drawn), or null
     */
    public record Result(int signedPages, int currentPages, List<VisualDifference> differences, String incomplete) {

        public boolean pageCountDiffers() {
            return signedPages != currentPages;
        }

        public boolean same() {
            return differences.isEmpty() && incomplete == null;
        }
    }

    /** A page as signed and as it is now, as PNG, the changed regions outlined in red; null for a missing page. */
    public record PicturePair(int page, byte[] signedPng, byte[] nowPng) {
    }

    private static final Color MARK = new Color(220, 0, 0);
    private static final long MAX_PICTURE_PIXELS = 600_000;

    private final Settings settings;
    private final Clock clock;

    public VisualComparison(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public VisualComparison() {
        this(Settings.DEFAULT, Clock.systemUTC());
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Compares every page of the revision that ends at byte {@code signedEnd} with the whole document {@code pdf}.
     * The documents are opened here, not shared with the caller: drawing an annotation without appearance makes
     * PDFBox add one to the document, which the caller's change analysis must not see.
     */
    public Result compare(byte[] pdf, long signedEnd, List<Exclusion> excluded) {
        try (PDDocument current = Loader.loadPDF(pdf)) {
            return compare(pdf, signedEnd, current, excluded);
        } catch (IOException e) {
            return new Result(0, 0, List.of(), "the document cannot be read for drawing: " + e.getMessage());
        }
    }

    /**
     * As {@link #compare(byte[], long, List)}, with the document as it is now already opened by the caller
     * ({@code current}, parsed from {@code pdf}): it is only read here (page count, boxes, what each page reaches);
     * pages are drawn from a private copy, opened only when a page must be drawn.
     */
    public Result compare(byte[] pdf, long signedEnd, PDDocument current, List<Exclusion> excluded) {
        try (PDDocument signed = Loader.loadPDF(Arrays.copyOf(pdf, (int) signedEnd))) {
            return compare(pdf, signedEnd, signed, current, excluded);
        } catch (IOException e) {
            return new Result(0, 0, List.of(), "the signed revision cannot be read for drawing: " + e.getMessage());
        }
    }

    /**
     * As {@link #compare(byte[], long, PDDocument, List)}, with the signed revision also opened by the caller
     * ({@code signed}, the file up to {@code signedEnd}) and only read here: the pages that must be drawn are drawn
     * from private copies of both, opened only then.
     */
    public Result compare(byte[] pdf, long signedEnd, PDDocument signed, PDDocument current, List<Exclusion> excluded) {
        Instant deadline = clock.instant().plus(settings.budget());
        try (DrawingCopy signedCopy = new DrawingCopy(pdf, signedEnd);
             DrawingCopy copy = new DrawingCopy(pdf, pdf.length)) {
            return comparePages(signed, current, excluded, signedCopy, copy, deadline);
        } catch (IOException | RuntimeException e) {
            // a page tree PDFBox cannot walk, a broken object: no verdict from the pictures, never a crash
            return new Result(0, 0, List.of(), "the signed revision or the document cannot be read for drawing: "
                    + e.getMessage());
        } catch (OutOfMemoryError e) {
            // a page whose images PDFBox cannot hold: no verdict from the pictures, and the worker lives on
            return new Result(0, 0, List.of(), "a page is too large to be drawn");
        }
    }

    /** Page by page, within the page limit and the time budget: what is drawn differently, and pages added or gone. */
    private Result comparePages(PDDocument signed, PDDocument current, List<Exclusion> excluded,
                                DrawingCopy signedCopy, DrawingCopy copy, Instant deadline) throws IOException {
        // each document's pages listed once (getPage(i) walks the page tree from its root every time)
        List<PDPage> signedList = PageList.of(signed);
        List<PDPage> currentList = PageList.of(current);
        int signedPages = signedList.size();
        int currentPages = currentList.size();
        List<VisualDifference> differences = new ArrayList<>();
        BufferedImage before = null;
        BufferedImage after = null;
        BufferedImage print = null;
        int common = Math.min(signedPages, currentPages);
        boolean certifiedForFilling = FillableFields.certifiedForFilling(signed);
        boolean commentsAllowed = FormFields.certifiedForComments(signed.getDocumentCatalog().getCOSObject());
        SameDefinitions.Proven proven = new SameDefinitions.Proven();
        for (int i = 0; i < common; i++) {
            if (i >= settings.maxPages()) {
                return new Result(signedPages, currentPages, differences, "only the first "
                        + settings.maxPages() + " pages were compared (the limit of the visual check)");
            }
            if (clock.instant().isAfter(deadline)) {
                return new Result(signedPages, currentPages, differences, "the visual check ran out of time ("
                        + settings.budget().toSeconds() + " s) after " + i + " of " + common + " pages");
            }
            if (sameInputs(signed, signedList.get(i), current, currentList.get(i), i, excluded, proven)) {
                // everything the renderer reads for this page is as signed: it is drawn as signed
                continue;
            }
            PageRaster was = PageRaster.of(signedList.get(i), settings.dpi(), settings.maxPixelsPerPage());
            PageRaster now = PageRaster.of(currentList.get(i), settings.dpi(), settings.maxPixelsPerPage());
            if (!was.sameSizeAs(now)) {
                differences.add(wholePage(currentList.get(i).getCropBox(), i + 1));
                continue;
            }
            before = fitting(before, now);
            after = fitting(after, now);
            boolean blind;
            try {
                blind = drawBoth(signedCopy, copy, i, was, now, before, after);
            } catch (IOException | RuntimeException e) {
                return new Result(signedPages, currentPages, differences, "page " + (i + 1)
                        + " cannot be drawn: " + e.getMessage());
            }
            blankExcluded(before, after, now, excluded, i + 1);
            print = FillableFields.leaveOutAllowed(signedList.get(i), currentList.get(i), i, signedCopy, was, now,
                    new BufferedImage[] {before, after, print}, certifiedForFilling, commentsAllowed,
                    settings.tolerance());
            List<VisualDifference> found = differences(before, after, now, i + 1);
            if (found.isEmpty() && blind) {
                return new Result(signedPages, currentPages, differences, "page " + (i + 1) + " shows an image this "
                        + "verifier cannot draw (JPEG 2000, JBIG2, damaged or too large) that it did not show when signed");
            }
            differences.addAll(found);
        }
        addedOrGone(signedList, currentList, common, differences);
        return new Result(signedPages, currentPages, differences, null);
    }

    /** Pages added after signing, or signed pages that are gone: each a difference of the whole page. */
    private static void addedOrGone(List<PDPage> signedList, List<PDPage> currentList, int common,
                                    List<VisualDifference> differences) {
        for (int i = common; i < currentList.size(); i++) {
            differences.add(wholePage(currentList.get(i).getCropBox(), i + 1));
        }
        for (int i = common; i < signedList.size(); i++) {
            differences.add(wholePage(signedList.get(i).getCropBox(), i + 1));
        }
    }

    /**
     * Draws page {@code index} as signed and as now: whether it now asks for an image PDFBox draws nothing for (no
     * JPEG 2000 or JBIG2 decoder here, damaged data, a fax raster too large to decode) that it did not ask for in the
     * same place when signed, where other readers draw it.
     */
    private static boolean drawBoth(DrawingCopy signedCopy, DrawingCopy copy, int index, PageRaster was,
                                    PageRaster now, BufferedImage before, BufferedImage after) throws IOException {
        draw(signedCopy.renderer(), index, was, before);
        List<String> blind = new ArrayList<>(signedCopy.renderer().undrawnImages());
        draw(copy.renderer(), index, now, after);
        for (String image : copy.renderer().undrawnImages()) {
            if (!blind.remove(image)) {
                return true;
            }
        }
        return false;
    }

    /** Blanks, on both drawings of page {@code page}, the areas left out of the comparison. */
    private static void blankExcluded(BufferedImage before, BufferedImage after, PageRaster now,
                                      List<Exclusion> leftOut, int page) {
        for (Exclusion exclusion : leftOut) {
            if (exclusion.page() == page) {
                blank(before, after, now.toPixels(exclusion.area().getLowerLeftX(),
                        exclusion.area().getLowerLeftY(), exclusion.area().getWidth(),
                        exclusion.area().getHeight()));
            }
        }
    }

    /**
     * The pages with differences (at most {@link Settings#maxPicturePages()}), as signed and as now, at the picture
     * resolution, each difference outlined in red on both.
     */
    public List<PicturePair> pictures(byte[] pdf, long signedEnd, List<VisualDifference> differences) {
        Map<Integer, List<VisualDifference>> byPage = new LinkedHashMap<>();
        for (VisualDifference d : differences) {
            if (byPage.size() < settings.maxPicturePages() || byPage.containsKey(d.page())) {
                byPage.computeIfAbsent(d.page(), p -> new ArrayList<>()).add(d);
            }
        }
        if (byPage.isEmpty()) {
            return List.of();
        }
        try (PDDocument signed = Loader.loadPDF(Arrays.copyOf(pdf, (int) signedEnd));
             PDDocument current = Loader.loadPDF(pdf)) {
            List<PicturePair> pairs = new ArrayList<>();
            for (var entry : byPage.entrySet()) {
                int index = entry.getKey() - 1;
                pairs.add(new PicturePair(entry.getKey(), picture(signed, index, entry.getValue()),
                        picture(current, index, entry.getValue())));
            }
            return pairs;
        } catch (IOException e) {
            throw new UncheckedIOException("the pages cannot be pictured", e);
        }
    }

    private byte[] picture(PDDocument document, int index, List<VisualDifference> marks) throws IOException {
        if (index >= document.getNumberOfPages()) {
            return null;
        }
        PageRaster raster = PageRaster.of(document.getPage(index), settings.pictureDpi(), MAX_PICTURE_PIXELS);
        BufferedImage image = new BufferedImage(raster.width(), raster.height(), BufferedImage.TYPE_INT_RGB);
        draw(new DrawingCopy.Renderer(document), index, raster, image);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(MARK);
            g.setStroke(new BasicStroke(2f));
            for (VisualDifference d : marks) {
                Rectangle box = raster.toPixels(d.x(), d.y(), d.w(), d.h());
                g.drawRect(box.x, box.y, Math.max(1, box.width - 1), Math.max(1, box.height - 1));
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private List<VisualDifference> differences(BufferedImage before, BufferedImage after, PageRaster raster,
                                               int page) {
        int[] a = ((DataBufferInt) before.getRaster().getDataBuffer()).getData();
        int[] b = ((DataBufferInt) after.getRaster().getDataBuffer()).getData();
        // the reused images may be larger than this page: compare only its rows and columns
        int stride = before.getWidth();
        int[] pa = a;
        int[] pb = b;
        if (stride != raster.width() || before.getHeight() != raster.height()) {
            pa = crop(a, stride, raster.width(), raster.height());
            pb = crop(b, stride, raster.width(), raster.height());
        }
        double pagePixels = (double) raster.width() * raster.height();
        List<VisualDifference> found = new ArrayList<>();
        for (PixelDifference.Region region : PixelDifference.regions(pa, pb, raster.width(), raster.height(),
                settings.tolerance(), settings.maxRegionsPerPage())) {
            Rectangle r = region.pixels();
            float[] user = raster.toUser(r.x, r.y, r.width, r.height);
            found.add(new VisualDifference(page, user[0], user[1], user[2], user[3], region.differing() / pagePixels));
        }
        return found;
    }

    private static int[] crop(int[] data, int stride, int width, int height) {
        int[] out = new int[width * height];
        for (int y = 0; y < height; y++) {
            System.arraycopy(data, y * stride, out, y * width, width);
        }
        return out;
    }

    private static boolean sameInputs(PDDocument signed, PDPage signedPage, PDDocument current, PDPage currentPage,
                                      int index, List<Exclusion> excluded, SameDefinitions.Proven proven) {
        if (SameDefinitions.page(signed, signedPage, current, currentPage, proven)) {
            return true;
        }
        Set<COSDictionary> added =
                Collections.newSetFromMap(new IdentityHashMap<>());
        for (Exclusion exclusion : excluded) {
            if (exclusion.page() == index + 1 && exclusion.annotation() != null) {
                added.add(exclusion.annotation());
            }
        }
        byte[] before = PageInputs.of(signed, signedPage, Set.of());
        return before != null && Arrays.equals(before, PageInputs.of(current, currentPage, added));
    }

    /** A reused image at least as large as the page's rendering; a new one only when the page needs more. */
    static BufferedImage fitting(BufferedImage image, PageRaster raster) {
        if (image != null && image.getWidth() == raster.width() && image.getHeight() == raster.height()) {
            return image;
        }
        if (image != null && image.getWidth() >= raster.width() && image.getHeight() >= raster.height()
                && (long) image.getWidth() * image.getHeight() <= 2L * raster.width() * raster.height()) {
            return image;
        }
        return new BufferedImage(raster.width(), raster.height(), BufferedImage.TYPE_INT_RGB);
    }

    static void draw(PDFRenderer renderer, int index, PageRaster raster, BufferedImage image)
            throws IOException {
        Graphics2D g = image.createGraphics();
        try {
            g.setBackground(Color.WHITE);
            g.clearRect(0, 0, image.getWidth(), image.getHeight());
            g.setClip(0, 0, raster.width(), raster.height());
            renderer.renderPageToGraphics(index, g, raster.scale(), raster.scale(), RenderDestination.VIEW);
        } finally {
            g.dispose();
        }
    }

    private static void blank(BufferedImage before, BufferedImage after, Rectangle area) {
        if (area.isEmpty()) {
            return;
        }
        for (BufferedImage image : new BufferedImage[]{before, after}) {
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(area.x, area.y, area.width, area.height);
            g.dispose();
        }
    }

    private static VisualDifference wholePage(PDRectangle crop, int page) {
        return new VisualDifference(page, crop.getLowerLeftX(), crop.getLowerLeftY(), crop.getWidth(),
                crop.getHeight(), 1.0);
    }
}
