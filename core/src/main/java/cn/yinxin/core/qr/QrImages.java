package cn.yinxin.core.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.Binarizer;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.PlanarYUVLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.Result;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import cn.yinxin.core.limits.JpegScans;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds the QR code in a photo or scan (PNG or JPEG) with ZXing: TRY_HARDER, not a pure barcode, the image as it
 * is, then turned 90, 180 and 270 degrees, then scaled up twice (small codes) or down (huge photos), first with
 * the HybridBinarizer (local thresholds: shadows, uneven light), then all again with the GlobalHistogramBinarizer
 * (low-contrast or blurred prints). The image's size is read from its header and refused above the pixel limit
 * before any pixel is decoded. The one reader of QR code pictures: the verifier's photo route and the command line's
 * {@code yinxin qr verify --image} (tests that judge our printed codes keep ZXing's plain reading on purpose: a phone
 * app reads that way, and a judge must not share our tricks). Refusals are {@link RejectedException}s: no-qr-code,
 * image-too-large, unreadable-image, not-an-image.
 */
public final class QrImages {

    /** A code found: its text, and which attempt found it. */
    public record Found(String text, String attempt, int width, int height) {
    }

    static final Set<String> FORMATS = Set.of("png", "jpeg");
    /** Photos above this many pixels on their longer side get a scaled-down attempt too. */
    static final int LARGE_SIDE = 2000;
    /** Photos above this many pixels on their longer side also get a 2x scaled-down attempt (noise averaged out). */
    static final int SMALL_SIDE = 1000;
    /**
     * Images up to this many pixels get an attempt scaled up twice (bilinear): a code printed at 0.34 mm a module
     * and scanned at 150 dpi has 2 pixels a module, too few for ZXing's detector once tilted or blurred.
     */
    static final long MAX_SCALE_UP_PIXELS = 12_000_000;

    /**
     * The pixel limit times this is the most pixels a JPEG's scans may walk together: libjpeg writes ten scans, the
     * JDK six. A 36-million-pixel JPEG in 100 scans (within both limits) took seconds of a worker per upload.
     */
    static final int MAX_WALKS_PER_PIXEL_LIMIT = 10;

    private final long maxPixels;
    private final String preferredPrefix;

    public QrImages(long maxPixels, String preferredPrefix) {
        this.maxPixels = maxPixels;
        this.preferredPrefix = preferredPrefix;
    }

    public Found read(byte[] bytes) {
        Grey grey = decode(bytes);
        List<Attempt> attempts = new ArrayList<>();
        List<Function<Grey, Grey>> turns = List.of(g -> g, Grey::rotate90, g -> g.rotate90().rotate90(),
                g -> g.rotate90().rotate90().rotate90());
        String[] turnNames = {"as is", "turned 90 degrees", "turned 180 degrees", "turned 270 degrees"};
        for (String binarizer : new String[] {"hybrid", "global histogram"}) {
            for (int i = 0; i < turns.size(); i++) {
                attempts.add(new Attempt(turnNames[i], binarizer, turns.get(i)));
            }
            int longer = Math.max(grey.width, grey.height);
            long pixels = (long) grey.width * grey.height;
            if (pixels <= MAX_SCALE_UP_PIXELS) {
                attempts.add(new Attempt("scaled up 2x", binarizer, g -> g.scaleUp(2)));
            }
            if (pixels * 9 <= MAX_SCALE_UP_PIXELS * 4) {
                attempts.add(new Attempt("scaled up 3x", binarizer, g -> g.scaleUp(3)));
            }
            attempts.add(new Attempt("smoothed", binarizer, Grey::smooth));
            if (longer > LARGE_SIDE) {
                int factor = (longer + LARGE_SIDE - 1) / LARGE_SIDE;
                attempts.add(new Attempt("scaled down " + factor + "x", binarizer, g -> g.scaleDown(factor)));
            } else if (longer > SMALL_SIDE) {
                attempts.add(new Attempt("scaled down 2x", binarizer, g -> g.scaleDown(2)));
            }
        }
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        hints.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        hints.put(DecodeHintType.ALSO_INVERTED, Boolean.TRUE);
        for (Attempt attempt : attempts) {
            Grey variant = attempt.transform().apply(grey);
            LuminanceSource source = new PlanarYUVLuminanceSource(variant.pixels, variant.width, variant.height, 0, 0,
                    variant.width, variant.height, false);
            Binarizer binarizer = attempt.binarizer().equals("hybrid") ? new HybridBinarizer(source)
                    : new GlobalHistogramBinarizer(source);
            String text = decode(new BinaryBitmap(binarizer), hints);
            if (text != null) {
                return new Found(text, attempt.transformName() + ", " + attempt.binarizer() + " binarizer",
                        grey.width, grey.height);
            }
        }
        throw new RejectedException(Problem.NO_QR_CODE,
                "No QR code could be read in the " + grey.width + " x " + grey.height + " image (tried "
                        + attempts.size() + " ways). Photograph the code straight on, filling about a third of "
                        + "the picture, in even light, or type the text under it.");
    }

    private record Attempt(String transformName, String binarizer, Function<Grey, Grey> transform) {
    }

    /**
     * The code in one bitmap: ours if there is one, else the first; null if none.
     *
     * @throws RejectedException (qr-codes-ambiguous) when it shows two different codes of ours
     */
    private String decode(BinaryBitmap bitmap, Map<DecodeHintType, Object> hints) {
        List<String> texts = new ArrayList<>();
        try {
            for (Result result : new QRCodeMultiReader().decodeMultiple(bitmap, hints)) {
                texts.add(result.getText());
            }
        } catch (ReaderException | RuntimeException e) {
            // none found this way
        }
        if (texts.isEmpty()) {
            try {
                texts.add(new QRCodeReader().decode(bitmap, hints).getText());
            } catch (ReaderException | RuntimeException e) {
                return null;
            }
        }
        // two different codes of ours: which one the caller photographed cannot be told, and answering for either
        // could be a verdict on another document's code than the one on the paper
        List<String> ours = texts.stream().filter(t -> t.startsWith(preferredPrefix)).distinct().toList();
        if (ours.size() > 1) {
            throw new RejectedException(Problem.QR_CODES_AMBIGUOUS, "The image shows " + ours.size()
                    + " different signed codes: photograph only the code to check, or type the text under it.");
        }
        return ours.isEmpty() ? texts.get(0) : ours.getFirst();
    }

    private Grey decode(byte[] bytes) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw notAnImage("The upload is not an image this verifier reads (PNG or JPEG).");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!FORMATS.contains(format)) {
                    throw notAnImage("The upload is a " + format.toUpperCase(Locale.ROOT)
                            + " image; send a PNG or JPEG photo.");
                }
                int scans = format.equals("jpeg") ? JpegScans.count(bytes) : 1;
                if (scans > JpegScans.MAX) {
                    throw new RejectedException(Problem.UNREADABLE_IMAGE, "The JPEG has more than " + JpegScans.MAX
                            + " scans (a photo has about ten); it is not decoded.");
                }
                reader.setInput(input, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new RejectedException(Problem.IMAGE_TOO_LARGE,
                            "The image is " + width + " x " + height + " pixels, more than the " + maxPixels
                                    + " this verifier decodes. Send a smaller photo.");
                }
                // the decoder walks the whole image once per scan: a photo at the pixel limit has about ten
                if (width * height * Math.max(1, scans) > maxPixels * MAX_WALKS_PER_PIXEL_LIMIT) {
                    throw new RejectedException(Problem.UNREADABLE_IMAGE, "The JPEG is " + width + " x " + height
                            + " pixels in " + scans + " scans: more than a photo of the " + maxPixels + " pixels this "
                            + "verifier decodes takes (" + MAX_WALKS_PER_PIXEL_LIMIT + " scans); it is not decoded.");
                }
                BufferedImage image = reader.read(0);
                return Grey.of(image);
            } finally {
                reader.dispose();
            }
        } catch (RejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new RejectedException(Problem.UNREADABLE_IMAGE, "The image cannot be decoded: " + e.getMessage());
        }
    }

    private static RejectedException notAnImage(String detail) {
        return new RejectedException(Problem.NOT_AN_IMAGE, detail);
    }

    /** An 8-bit grey image, row by row. */
    static final class Grey {
        final byte[] pixels;
        final int width;
        final int height;

        Grey(byte[] pixels, int width, int height) {
            this.pixels = pixels;
            this.width = width;
            this.height = height;
        }

        static Grey of(BufferedImage image) {
            int width = image.getWidth();
            int height = image.getHeight();
            byte[] pixels = new byte[width * height];
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    int argb = row[x];
                    int alpha = argb >>> 24;
                    int r = (argb >> 16) & 0xff;
                    int g = (argb >> 8) & 0xff;
                    int b = argb & 0xff;
                    int luminance = (r * 306 + g * 601 + b * 117) >> 10;
                    // transparent pixels count as white paper
                    luminance = (luminance * alpha + 255 * (255 - alpha)) / 255;
                    pixels[y * width + x] = (byte) luminance;
                }
            }
            return new Grey(pixels, width, height);
        }

        /** Turned a quarter clockwise. */
        Grey rotate90() {
            byte[] turned = new byte[pixels.length];
            int newWidth = height;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    turned[x * newWidth + (height - 1 - y)] = pixels[y * width + x];
                }
            }
            return new Grey(turned, newWidth, width);
        }

        /** {@code factor} times as large, bilinear: small codes get modules of several pixels. */
        Grey scaleUp(int factor) {
            int w = width * factor;
            int h = height * factor;
            byte[] scaled = new byte[w * h];
            for (int y = 0; y < h; y++) {
                double sy = Math.max(0, (y + 0.5) / factor - 0.5);
                int y0 = Math.min((int) sy, height - 1);
                int y1 = Math.min(y0 + 1, height - 1);
                double fy = sy - y0;
                for (int x = 0; x < w; x++) {
                    double sx = Math.max(0, (x + 0.5) / factor - 0.5);
                    int x0 = Math.min((int) sx, width - 1);
                    int x1 = Math.min(x0 + 1, width - 1);
                    double fx = sx - x0;
                    double top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
                    double bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
                    scaled[y * w + x] = (byte) Math.round(top * (1 - fy) + bottom * fy);
                }
            }
            return new Grey(scaled, w, h);
        }

        /** Smaller by an integer factor, averaging each block (also smooths sensor noise). */
        Grey scaleDown(int factor) {
            int w = Math.max(1, width / factor);
            int h = Math.max(1, height / factor);
            byte[] scaled = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            sum += at(x * factor + dx, y * factor + dy);
                        }
                    }
                    scaled[y * w + x] = (byte) (sum / (factor * factor));
                }
            }
            return new Grey(scaled, w, h);
        }

        /** A 3 x 3 median: takes out sensor noise and JPEG speckle that break the finder patterns' runs. */
        Grey smooth() {
            byte[] out = new byte[pixels.length];
            int[] window = new int[9];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int n = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        int yy = Math.min(height - 1, Math.max(0, y + dy));
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = Math.min(width - 1, Math.max(0, x + dx));
                            window[n++] = pixels[yy * width + xx] & 0xff;
                        }
                    }
                    Arrays.sort(window);
                    out[y * width + x] = (byte) window[4];
                }
            }
            return new Grey(out, width, height);
        }

        private int at(int x, int y) {
            return pixels[y * width + x] & 0xff;
        }
    }
}
