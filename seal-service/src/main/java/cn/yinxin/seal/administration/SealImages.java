package cn.yinxin.seal.administration;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Checks that an uploaded seal image is what a seal administrator meant: a real PNG with transparency (so the
 * seal does not hide the text under it) or a plain SVG drawing, of a sane size in pixels and in millimetres, in
 * the proportions of its printed size. An SVG is rendered once, to the PNG that is stamped, in a process of its
 * own with a deadline ({@link SvgRendering}); scripts, external references and DTDs are refused before any
 * renderer sees the file.
 */
public final class SealImages {

    public static final String PNG = "image/png";
    public static final String SVG = "image/svg+xml";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Set<String> FORBIDDEN_SVG_ELEMENTS = Set.of("script", "foreignobject", "iframe", "image",
            "use", "feimage", "animate", "set", "animatemotion", "animatetransform");

    /** The image as uploaded, its type, and the PNG that is drawn on documents. */
    public record Checked(byte[] original, String type, byte[] stampPng) {
    }

    private SealImages() {
    }

    public static Checked check(byte[] data, double widthMm, double heightMm, SealImageLimits limits) {
        if (data == null || data.length == 0) {
            throw invalid("The seal image is missing.");
        }
        if (data.length > limits.maxBytes()) {
            throw invalid("The seal image has " + data.length + " bytes; at most " + limits.maxBytes() + " are accepted.");
        }
        for (double mm : new double[]{widthMm, heightMm}) {
            if (!(mm >= limits.minMm() && mm <= limits.maxMm())) {
                throw invalid(String.format(Locale.ROOT, "A seal is printed %.0f to %.0f mm wide and high; %.1f x %.1f mm was given.",
                        limits.minMm(), limits.maxMm(), widthMm, heightMm));
            }
        }
        if (data.length >= 8 && Arrays.equals(Arrays.copyOf(data, 8), PNG_SIGNATURE)) {
            return new Checked(data, PNG, checkPng(data, widthMm, heightMm, limits));
        }
        if (looksLikeXml(data)) {
            return new Checked(data, SVG, renderSvg(data, widthMm, heightMm, limits));
        }
        throw invalid("The seal image is neither a PNG nor an SVG.");
    }

    private static byte[] checkPng(byte[] data, double widthMm, double heightMm, SealImageLimits limits) {
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // the header's size first: a tiny file can claim a huge canvas (decompression bomb)
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (Math.min(width, height) < limits.minPixels() || Math.max(width, height) > limits.maxPixels()) {
                    throw invalid("The seal image is " + width + " x " + height + " pixels; each side must be "
                            + limits.minPixels() + " to " + limits.maxPixels() + " pixels.");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RejectedException rejected) {
                throw rejected;
            }
            throw invalid("The PNG cannot be decoded: " + e.getMessage());
        }
        if (!image.getColorModel().hasAlpha()) {
            throw invalid("The PNG has no transparency: a seal must let the text under it show through.");
        }
        checkProportions(image.getWidth(), image.getHeight(), widthMm, heightMm);
        double pixelsPerMm = Math.min(image.getWidth() / widthMm, image.getHeight() / heightMm);
        if (pixelsPerMm < limits.minPixelsPerMm()) {
            throw invalid(String.format(Locale.ROOT, "The PNG has %.1f pixels per mm at the printed size; at least %.0f "
                    + "are needed for a sharp seal.", pixelsPerMm, limits.minPixelsPerMm()));
        }
        checkInk(image);
        return data;
    }

    private static byte[] renderSvg(byte[] data, double widthMm, double heightMm, SealImageLimits limits) {
        checkSvgMarkup(data);
        int width = (int) Math.round(widthMm * limits.svgPixelsPerMm());
        int height = (int) Math.round(heightMm * limits.svgPixelsPerMm());
        // jsvg reads and draws in a process of its own, stopped at the deadline (SvgRendering)
        SvgRendering.Drawn drawn = SvgRendering.draw(data, width, height, limits);
        checkProportions(drawn.width(), drawn.height(), widthMm, heightMm);
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(drawn.png()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (image == null || image.getWidth() != width || image.getHeight() != height) {
            throw new IllegalStateException("the SVG renderer answered another picture than asked for");
        }
        checkInk(image);
        return drawn.png();
    }

    /** A seal SVG is a drawing: no DTD (entity expansion), no script, no external reference, no embedded page. */
    private static void checkSvgMarkup(byte[] data) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            factory.setXIncludeAware(false);
            document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(data));
        } catch (Exception e) {
            throw invalid("The SVG is not well-formed XML without a DTD: " + e.getMessage());
        }
        Element root = document.getDocumentElement();
        if (!"svg".equals(root.getLocalName()) || !"http://www.w3.org/2000/svg".equals(root.getNamespaceURI())) {
            throw invalid("The XML is not an SVG (root element svg in the SVG namespace).");
        }
        NodeList all = document.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            String name = (element.getLocalName() == null ? element.getTagName() : element.getLocalName()).toLowerCase(Locale.ROOT);
            if (FORBIDDEN_SVG_ELEMENTS.contains(name)) {
                throw invalid("The SVG contains <" + name + ">; a seal image is a plain drawing.");
            }
            NamedNodeMap attributes = element.getAttributes();
            for (int a = 0; a < attributes.getLength(); a++) {
                String attribute = attributes.item(a).getLocalName() == null ? attributes.item(a).getNodeName()
                        : attributes.item(a).getLocalName();
                String value = attributes.item(a).getNodeValue().trim();
                if (attribute.toLowerCase(Locale.ROOT).startsWith("on")) {
                    throw invalid("The SVG has an event handler (" + attribute + "); a seal image is a plain drawing.");
                }
                if (attribute.equals("href") && !value.startsWith("#")
                        || value.toLowerCase(Locale.ROOT).contains("url(") && !value.replace(" ", "").startsWith("url(#")) {
                    throw invalid("The SVG refers to something outside itself (" + value + ").");
                }
            }
        }
    }

    private static void checkProportions(double widthPx, double heightPx, double widthMm, double heightMm) {
        double imageRatio = widthPx / heightPx;
        double printedRatio = widthMm / heightMm;
        if (Math.abs(imageRatio / printedRatio - 1) > 0.05) {
            throw invalid(String.format(Locale.ROOT, "The image's proportions (%.2f) differ from the printed size's "
                    + "(%.1f x %.1f mm = %.2f): the seal would be distorted.", imageRatio, widthMm, heightMm, printedRatio));
        }
    }

    /** Something must be visible: an image of only transparent pixels would stamp nothing. */
    private static void checkInk(BufferedImage image) {
        int visible = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                if ((image.getRGB(x, y) >>> 24) > 32) {
                    visible++;
                }
            }
        }
        if (visible * 4L < (long) image.getWidth() * image.getHeight() / 200) {
            throw invalid("The seal image is (almost) entirely transparent.");
        }
    }

    private static boolean looksLikeXml(byte[] data) {
        String start = new String(data, 0, Math.min(data.length, 512), StandardCharsets.UTF_8).stripLeading();
        if (start.startsWith("\uFEFF")) {
            start = start.substring(1);
        }
        return start.startsWith("<");
    }

    static RejectedException invalid(String message) {
        return new RejectedException(Problem.INVALID_SEAL_IMAGE, message);
    }
}
