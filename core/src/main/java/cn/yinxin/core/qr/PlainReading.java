package cn.yinxin.core.qr;

import com.google.zxing.Binarizer;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.BitArray;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.encoder.ByteMatrix;

/**
 * Whether ZXing's {@link QRCodeReader}, called as phone apps built on ZXing call it (HybridBinarizer, no hints: no
 * PURE_BARCODE, no TRY_HARDER), reads a symbol back from its own clean picture: pictures at 6 and 3 pixels a module
 * ({@link #PIXELS_PER_MODULE}), black on white, with the quiet zone.
 *
 * <p>Why a symbol may not read: ZXing's finder-pattern search scans the picture's rows from the top and stops as soon
 * as three candidates, each seen on two rows, agree in module size. Data modules that read 1:1:3:1:1 across and down
 * within its tolerance (a "false finder" of module size 1) lying above the bottom-left finder end the search before
 * the real one is reached; the three points then make no QR code (NotFoundException) or a wrong grid
 * (FormatException). The encoder's mask is its free choice (ISO/IEC 18004 7.8: any mask is a valid symbol; the
 * penalty only ranks them), so {@link QrSymbol} takes the lowest-penalty mask this reader reads. zbar finds finder
 * patterns otherwise and read every symbol either way (QrPlainReadingTest).
 */
final class PlainReading {

    /**
     * The product's pictures of a code: the PNG (6 pixels a module, {@link QrSymbol#toPng}, and the printed 0.508 mm
     * module at 300 dpi) and the printed module at 150 dpi (3 pixels). Either alone is not enough: of 4,500 licence
     * codes whose mask was chosen to read at 6 pixels, 5 did not read at 3 (a false finder seen on more rows there).
     */
    static final int[] PIXELS_PER_MODULE = {6, 3};

    private PlainReading() {
    }

    /** Whether the plain reader gives back {@code text} from each picture of {@code matrix}. */
    static boolean reads(ByteMatrix matrix, int quietZoneModules, String text) {
        for (int pixels : PIXELS_PER_MODULE) {
            try {
                var bitmap = new BinaryBitmap(new Drawn(picture(matrix, quietZoneModules, pixels)));
                if (!new QRCodeReader().decode(bitmap).getText().equals(text)) {
                    return false;
                }
            } catch (ReaderException e) {
                return false;
            }
        }
        return true;
    }

    /** The picture, {@code pixels} a module on a side, dark bits set. */
    static BitMatrix picture(ByteMatrix matrix, int quiet, int pixels) {
        int modules = matrix.getWidth();
        BitMatrix picture = new BitMatrix((modules + 2 * quiet) * pixels);
        byte[][] dark = matrix.getArray();
        for (int y = 0; y < modules; y++) {
            for (int x = 0; x < modules; x++) {
                if (dark[y][x] == 1) {
                    picture.setRegion((x + quiet) * pixels, (y + quiet) * pixels, pixels, pixels);
                }
            }
        }
        return picture;
    }

    /**
     * A picture that is black and white already: ZXing's HybridBinarizer gives back exactly these bits from its grey
     * image (QrPlainReadingTest reads the PNG through it), so the check skips making and thresholding the grey one.
     */
    private static final class Drawn extends Binarizer {

        private final BitMatrix picture;

        Drawn(BitMatrix picture) {
            super(new Blank(picture.getWidth(), picture.getHeight()));
            this.picture = picture;
        }

        @Override
        public BitArray getBlackRow(int y, BitArray row) {
            return picture.getRow(y, row);
        }

        @Override
        public BitMatrix getBlackMatrix() {
            return picture;
        }

        @Override
        public Binarizer createBinarizer(LuminanceSource source) {
            throw new UnsupportedOperationException("a drawn picture is not thresholded");
        }
    }

    /** The size of the picture, which the QR reader asks of its source; it never reads grey levels from it. */
    private static final class Blank extends LuminanceSource {

        Blank(int width, int height) {
            super(width, height);
        }

        @Override
        public byte[] getRow(int y, byte[] row) {
            throw new UnsupportedOperationException("no grey levels");
        }

        @Override
        public byte[] getMatrix() {
            throw new UnsupportedOperationException("no grey levels");
        }
    }
}
