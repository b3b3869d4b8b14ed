package cn.yinxin.core.qr;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * One QR code, encoded by ZXing: its modules, and its forms for a page (bit matrix, image, PNG) and for print
 * (size in millimetres; {@link QrStamp} draws it as vectors in a PDF).
 *
 * <p>A text of QR alphanumeric characters only (a {@link QrSigner} text is) is encoded in alphanumeric mode, 5.5
 * bits a character; any other text in byte mode (UTF-8 with an ECI header when it is not ISO-8859-1).
 */
public final class QrSymbol {

    private final String text;
    private final QrOptions options;
    private final int version;
    private final int mask;
    private final ByteMatrix matrix;

    private QrSymbol(String text, QrOptions options, int version, int mask, ByteMatrix matrix) {
        this.text = text;
        this.options = options;
        this.version = version;
        this.mask = mask;
        this.matrix = matrix;
    }

    /**
     * @throws IllegalArgumentException when the text does not fit in a QR code at that error correction level
     */
    public static QrSymbol encode(String text, QrOptions options) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        if (!StandardCharsets.ISO_8859_1.newEncoder().canEncode(text)) {
            hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
        }
        try {
            // ZXing encodes with mask 0 only; MaskChoice ranks the eight masks as ZXing would (by penalty) from that
            // symbol, in a fraction of the time ZXing takes to build and score all eight
            Map<EncodeHintType, Object> withMaskZero = new EnumMap<>(hints);
            withMaskZero.put(EncodeHintType.QR_MASK_PATTERN, 0);
            QRCode first = Encoder.encode(text, options.errorCorrection(), withMaskZero);
            int version = first.getVersion().getVersionNumber();
            if (first.getMatrix().getWidth() > MaskChoice.MAX_MODULES) {
                QRCode zxings = Encoder.encode(text, options.errorCorrection(), hints);
                return new QrSymbol(text, options, version, zxings.getMaskPattern(), zxings.getMatrix());
            }
            MaskChoice.Chosen chosen = readable(text, options, version, first.getMatrix());
            return new QrSymbol(text, options, version, chosen.mask(), chosen.matrix());
        } catch (WriterException e) {
            throw new IllegalArgumentException("the text does not fit in a QR code: " + e.getMessage(), e);
        }
    }

    /**
     * The symbol with the lowest-penalty mask that ZXing's plain reader reads back from its picture
     * ({@link PlainReading}: about 1.5 to 5 % of licence codes with ZXing's own choice of mask did not read, depending on
     * the seal's fixed part of the code), or with ZXing's choice when none does.
     */
    private static MaskChoice.Chosen readable(String text, QrOptions options, int version, ByteMatrix maskedWithZero) {
        int[] masks = MaskChoice.ranked(maskedWithZero, options.errorCorrection(), version);
        for (int mask : masks) {
            ByteMatrix matrix = mask == 0 ? maskedWithZero
                    : MaskChoice.matrix(maskedWithZero, version, options.errorCorrection(), mask);
            if (PlainReading.reads(matrix, options.quietZoneModules(), text)) {
                return new MaskChoice.Chosen(mask, matrix);
            }
        }
        return MaskChoice.choose(maskedWithZero, options.errorCorrection(), version);
    }

    public static QrSymbol encode(String text) {
        return encode(text, QrOptions.DEFAULT);
    }

    public String text() {
        return text;
    }

    public QrOptions options() {
        return options;
    }

    /** QR version 1 to 40. */
    public int version() {
        return version;
    }

    /**
     * The mask pattern (ISO/IEC 18004 table 10): ZXing's own choice, the lowest penalty, unless ZXing's plain reader
     * does not read that symbol back and reads one with another mask.
     */
    public int mask() {
        return mask;
    }

    /** Modules on a side, without the quiet zone (17 + 4 x version). */
    public int modules() {
        return matrix.getWidth();
    }

    /** Modules on a side, with the quiet zone. */
    public int size() {
        return modules() + 2 * options.quietZoneModules();
    }

    /** Whether the module at column {@code x}, row {@code y} (from the top left, quiet zone excluded) is dark. */
    public boolean dark(int x, int y) {
        return matrix.get(x, y) == 1;
    }

    /** The printed side, quiet zone included, at the options' module size. */
    public double sideMm() {
        return size() * options.moduleMm();
    }

    /** The modules with the quiet zone, one bit a module (set = dark). */
    public BitMatrix toBitMatrix() {
        int quiet = options.quietZoneModules();
        BitMatrix bits = new BitMatrix(size());
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                if (matrix.get(x, y) == 1) {
                    bits.set(x + quiet, y + quiet);
                }
            }
        }
        return bits;
    }

    /** A black and white image, {@code pixelsPerModule} pixels a module, quiet zone included. */
    public BufferedImage toImage(int pixelsPerModule) {
        if (pixelsPerModule < 1) {
            throw new IllegalArgumentException("a module needs at least one pixel");
        }
        BitMatrix bits = toBitMatrix();
        int side = bits.getWidth() * pixelsPerModule;
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, bits.get(x / pixelsPerModule, y / pixelsPerModule) ? 0xff000000 : 0xffffffff);
            }
        }
        return image;
    }

    public byte[] toPng(int pixelsPerModule) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(toImage(pixelsPerModule), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
