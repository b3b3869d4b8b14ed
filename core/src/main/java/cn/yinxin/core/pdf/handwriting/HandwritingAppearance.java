package cn.yinxin.core.pdf.handwriting;

import cn.yinxin.core.pdf.verify.DecodeBudget;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.util.DateConverter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * A handwritten signature drawn as vector paths in a signature widget's appearance stream, with the capture
 * itself kept next to it.
 *
 * <p>Drawing: each stroke is a chain of Bézier curves through the midpoints between captured points (the points
 * are the control points of quadratic curves, written as PDF cubic {@code c} operators), in dark blue-black ink with
 * round caps and joins. The line width follows the pen's pressure: a stroke is cut into paths wherever the width,
 * rounded to 0.1 pt, changes. The drawing keeps the pad's proportions and is centred in the box. The same capture
 * in the same box always gives the same bytes, so a verifier can draw it again and compare.
 *
 * <p>Binding: the capture's JSON ({@link Handwriting#toJson()}) is a stream in the appearance form's page-piece
 * dictionary ({@code /PieceInfo << /Yinxin << /LastModified .. /Private stream >> >>}, ISO 32000-1 14.5, the
 * standard place for an application's private data). It is written in the signature's own revision, so the
 * signature covers the strokes, their timing and the hash of the document they were captured for.
 */
public final class HandwritingAppearance {

    /** The page-piece dictionary key under which Yinxin keeps the capture. */
    public static final COSName PIECE = COSName.getPDFName("Yinxin");
    /** The type written into the private stream's dictionary, so a reader knows what it holds. */
    public static final COSName CAPTURE_TYPE = COSName.getPDFName("YinxinHandwriting");
    /** The pen's width in pad units at middle pressure. */
    private static final double PEN = 3.2;

    private HandwritingAppearance() {
    }

    /** The content stream that draws the capture into a box of {@code width} x {@code height} points. */
    public static byte[] draw(Handwriting capture, float width, float height) {
        double scale = Math.min(width / capture.padWidth(), height / capture.padHeight());
        double dx = (width - capture.padWidth() * scale) / 2;
        double dy = (height - capture.padHeight() * scale) / 2;
        StringBuilder out = new StringBuilder("q 0.08 0.1 0.3 RG 1 J 1 j\n");
        for (Handwriting.Stroke stroke : capture.strokes()) {
            List<Handwriting.Point> p = stroke.points();
            double[] xs = new double[p.size()];
            double[] ys = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                xs[i] = dx + p.get(i).x() * scale;
                ys[i] = height - dy - p.get(i).y() * scale;
            }
            if (p.size() == 1) {
                // a dot: a line of no length shows as a round cap
                out.append(number(width(p.get(0), p.get(0), scale))).append(" w ");
                out.append(number(xs[0])).append(' ').append(number(ys[0])).append(" m ")
                        .append(number(xs[0])).append(' ').append(number(ys[0])).append(" l S\n");
                continue;
            }
            double curX = xs[0];
            double curY = ys[0];
            String openWidth = null;
            for (int i = 1; i < p.size(); i++) {
                String w = number(width(p.get(i - 1), p.get(i), scale));
                if (!w.equals(openWidth)) {
                    if (openWidth != null) {
                        out.append(" S\n");
                    }
                    out.append(w).append(" w ").append(number(curX)).append(' ').append(number(curY)).append(" m");
                    openWidth = w;
                }
                if (i == p.size() - 1) {
                    out.append(' ').append(number(xs[i])).append(' ').append(number(ys[i])).append(" l");
                    curX = xs[i];
                    curY = ys[i];
                } else {
                    // a quadratic curve from the current point to the midpoint, with point i as its control
                    double endX = (xs[i] + xs[i + 1]) / 2;
                    double endY = (ys[i] + ys[i + 1]) / 2;
                    out.append(' ').append(number(curX + 2.0 / 3 * (xs[i] - curX))).append(' ')
                            .append(number(curY + 2.0 / 3 * (ys[i] - curY))).append(' ')
                            .append(number(endX + 2.0 / 3 * (xs[i] - endX))).append(' ')
                            .append(number(endY + 2.0 / 3 * (ys[i] - endY))).append(' ')
                            .append(number(endX)).append(' ').append(number(endY)).append(" c");
                    curX = endX;
                    curY = endY;
                }
            }
            out.append(" S\n");
        }
        out.append("Q\n");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Pressure 0..100 gives 40 % .. 160 % of the pen's width; a segment takes its two ends' mean. */
    private static double width(Handwriting.Point a, Handwriting.Point b, double scale) {
        double pressure = (a.pressure() + b.pressure()) / 200.0;
        return Math.max(0.3, PEN * scale * (0.4 + 1.2 * pressure));
    }

    private static String number(double value) {
        String s = String.format(Locale.ROOT, "%.2f", value);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s.equals("-0") ? "0" : s;
    }

    /**
     * Makes the widget's appearance form: the drawing in a {@code width} x {@code height} box, and the capture in
     * its page-piece dictionary.
     */
    public static PDFormXObject form(PDDocument document, Handwriting capture, float width, float height)
            throws IOException {
        PDFormXObject form = new PDFormXObject(document);
        form.setBBox(new PDRectangle(width, height));
        form.setResources(new PDResources());
        try (OutputStream out = form.getContentStream().createOutputStream(COSName.FLATE_DECODE)) {
            out.write(draw(capture, width, height));
        }
        COSStream data = document.getDocument().createCOSStream();
        data.setItem(COSName.TYPE, CAPTURE_TYPE);
        try (OutputStream out = data.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(capture.toJson());
        }
        Calendar now = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        now.setTimeInMillis(capture.capturedAt().toEpochMilli());
        COSDictionary piece = new COSDictionary();
        piece.setItem(COSName.getPDFName("LastModified"), new COSString(DateConverter.toString(now)));
        piece.setItem(COSName.getPDFName("Private"), data);
        COSDictionary pieces = new COSDictionary();
        pieces.setItem(PIECE, piece);
        form.getCOSObject().setItem(COSName.getPDFName("PieceInfo"), pieces);
        form.getCOSObject().setItem(COSName.getPDFName("LastModified"), new COSString(DateConverter.toString(now)));
        return form;
    }

    /** The capture kept in an appearance form, or null when it carries none. */
    public static byte[] captureData(COSStream form) throws IOException {
        return captureData(form, DecodeBudget.defaults());
    }

    /** As {@link #captureData(COSStream)}, decoding within {@code budget} (a capture stream may be a bomb). */
    public static byte[] captureData(COSStream form, DecodeBudget budget) throws IOException {
        COSDictionary pieces = form.getCOSDictionary(COSName.getPDFName("PieceInfo"));
        COSDictionary piece = pieces == null ? null : pieces.getCOSDictionary(PIECE);
        if (piece == null || !(piece.getDictionaryObject(COSName.getPDFName("Private")) instanceof COSStream data)) {
            return null;
        }
        byte[] decoded = budget.decode(data);
        return decoded.length > Handwriting.MAX_POINTS * 40 + 4096
                ? Arrays.copyOf(decoded, Handwriting.MAX_POINTS * 40 + 4096) : decoded;
    }

    /** The decoded content of a form stream (what it draws). */
    public static byte[] content(COSStream form) throws IOException {
        return content(form, DecodeBudget.defaults());
    }

    /** As {@link #content(COSStream)}, decoding within {@code budget}. */
    public static byte[] content(COSStream form, DecodeBudget budget) throws IOException {
        return budget.decode(form);
    }
}
