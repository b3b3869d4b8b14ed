package cn.yinxin.core.pdf.handwriting;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A handwritten signature as it was captured on a signature pad, bound to the document it was captured for.
 *
 * <p>The pad is a rectangle of {@code padWidth} x {@code padHeight} units (y downwards, as on a screen); each stroke
 * is the pen's path from touching to lifting, each point its position, its pressure (0 to 100; a mouse reports 50)
 * and the milliseconds since the capture's first point. {@code documentSha256} and {@code documentLength} name the
 * document as it was when the person signed: the bytes the signature's own revision is appended to.
 *
 * <p>It travels as compact JSON (version 1, {@link #toJson()}), stored inside the signed revision of the PDF (see
 * {@link HandwritingAppearance}), so the signature covers it: the strokes and the document they were given for
 * cannot be changed or moved to another document without breaking the signature.
 */
public record Handwriting(String captureId, Instant capturedAt, String documentSha256, long documentLength,
                          int padWidth, int padHeight, List<Stroke> strokes) {

    /** The most a capture may hold: bounds the work of drawing and checking it. */
    public static final int MAX_STROKES = 300;
    public static final int MAX_POINTS = 20_000;
    public static final int MAX_PAD = 4000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One pen movement: the points from pen down to pen up. */
    public record Stroke(List<Point> points) {
        public Stroke {
            points = List.copyOf(points);
        }
    }

    /** A pen position in pad units, its pressure (0..100) and its time in milliseconds from the capture's start. */
    public record Point(int x, int y, int pressure, long t) {
    }

    public Handwriting {
        Objects.requireNonNull(captureId, "captureId");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(documentSha256, "documentSha256");
        strokes = List.copyOf(strokes);
    }

    /**
     * The strokes as an SVG picture (pad units, y downwards; wider where the pen pressed harder), so a verifier can
     * show the person's handwriting as it was captured: the check has proved the PDF's appearance draws exactly these.
     */
    public String toSvg() {
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(padWidth).append(' ').append(padHeight)
                .append("\"><g stroke=\"#1a1a6e\" stroke-linecap=\"round\" fill=\"none\">");
        double unit = padWidth / 200.0;
        for (Stroke stroke : strokes) {
            List<Point> points = stroke.points();
            for (int i = 1; i < points.size(); i++) {
                Point a = points.get(i - 1);
                Point b = points.get(i);
                double width = unit * (0.6 + (a.pressure() + b.pressure()) / 200.0);
                svg.append("<line x1=\"").append(a.x()).append("\" y1=\"").append(a.y()).append("\" x2=\"")
                        .append(b.x()).append("\" y2=\"").append(b.y()).append("\" stroke-width=\"")
                        .append(String.format(Locale.ROOT, "%.2f", width)).append("\"/>");
            }
        }
        return svg.append("</g></svg>").toString();
    }

    /** The points of all strokes. */
    public int pointCount() {
        return strokes.stream().mapToInt(s -> s.points().size()).sum();
    }

    /**
     * Refuses what is not a usable drawing: no stroke, nothing but a dot or two, points off the pad, times running
     * backwards, or more than the limits. The message says what is wrong in words a person understands.
     */
    public static void checkDrawing(int padWidth, int padHeight, List<Stroke> strokes) {
        if (padWidth < 10 || padHeight < 10 || padWidth > MAX_PAD || padHeight > MAX_PAD) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The pad is 10 to " + MAX_PAD + " units wide and high.");
        }
        if (strokes == null || strokes.isEmpty()) {
            throw new RejectedException(Problem.EMPTY_SIGNATURE, "Nothing was drawn: sign on the pad first.");
        }
        if (strokes.size() > MAX_STROKES) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A signature has at most " + MAX_STROKES + " strokes.");
        }
        int points = 0;
        double length = 0;
        long last = -1;
        for (Stroke stroke : strokes) {
            if (stroke.points().isEmpty()) {
                throw new RejectedException(Problem.INVALID_REQUEST, "A stroke without points.");
            }
            points += stroke.points().size();
            Point previous = null;
            for (Point p : stroke.points()) {
                if (p.x() < 0 || p.y() < 0 || p.x() > padWidth || p.y() > padHeight || p.pressure() < 0
                        || p.pressure() > 100 || p.t() < last) {
                    throw new RejectedException(Problem.INVALID_REQUEST, "A point lies off the pad, has a pressure "
                            + "outside 0..100, or goes back in time: " + p + ".");
                }
                last = p.t();
                if (previous != null) {
                    length += Math.hypot(p.x() - previous.x(), p.y() - previous.y());
                }
                previous = p;
            }
        }
        if (points > MAX_POINTS) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A signature has at most " + MAX_POINTS + " points.");
        }
        // a tap or a slip of the finger is not a signature: the pen must travel at least 5 % of the pad's width
        if (length < padWidth * 0.05) {
            throw new RejectedException(Problem.EMPTY_SIGNATURE, "The drawing is too small to be a signature: sign on "
                    + "the pad with your name.");
        }
    }

    /** Compact JSON, the same bytes for the same capture: {"v":1,"capture":..,"document":{..},"pad":[w,h],"strokes":[[x,y,p,t,...],..]}. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("v", 1);
        root.put("capture", captureId);
        root.put("capturedAt", capturedAt.toString());
        ObjectNode document = root.putObject("document");
        document.put("sha256", documentSha256);
        document.put("length", documentLength);
        root.putArray("pad").add(padWidth).add(padHeight);
        ArrayNode all = root.putArray("strokes");
        for (Stroke stroke : strokes) {
            ArrayNode flat = all.addArray();
            for (Point p : stroke.points()) {
                flat.add(p.x()).add(p.y()).add(p.pressure()).add(p.t());
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    /** Reads {@link #toJson()}'s form back; malformed data is an {@link IllegalArgumentException}. */
    public static Handwriting fromJson(byte[] json) {
        try {
            JsonNode root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
            if (root.path("v").asInt(0) != 1) {
                throw new IllegalArgumentException("not a version 1 handwriting capture");
            }
            String sha256 = root.path("document").path("sha256").asString();
            HexFormat.of().parseHex(sha256);
            if (sha256.length() != 64) {
                throw new IllegalArgumentException("the document hash is not a SHA-256");
            }
            return new Handwriting(root.path("capture").asString(), Instant.parse(root.path("capturedAt").asString()),
                    sha256, root.path("document").path("length").asLong(-1),
                    root.path("pad").path(0).asInt(0), root.path("pad").path(1).asInt(0), strokes(root.path("strokes")));
        } catch (JacksonException | DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException("the handwriting data cannot be read: " + e.getMessage(), e);
        }
    }

    /** Strokes from their flat form: [[x, y, pressure, t, x, y, pressure, t, ...], ...]. */
    public static List<Stroke> strokes(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("strokes are an array of arrays of numbers");
        }
        List<Stroke> strokes = new ArrayList<>();
        for (JsonNode flat : array) {
            if (!flat.isArray() || flat.size() % 4 != 0) {
                throw new IllegalArgumentException("a stroke is a flat array of x, y, pressure, t");
            }
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < flat.size(); i += 4) {
                for (int k = 0; k < 4; k++) {
                    if (!flat.get(i + k).isNumber()) {
                        throw new IllegalArgumentException("stroke values are numbers");
                    }
                }
                points.add(new Point((int) Math.round(flat.get(i).asDouble()), (int) Math.round(flat.get(i + 1).asDouble()),
                        (int) Math.round(flat.get(i + 2).asDouble()), Math.round(flat.get(i + 3).asDouble())));
            }
            strokes.add(new Stroke(points));
        }
        return strokes;
    }
}
