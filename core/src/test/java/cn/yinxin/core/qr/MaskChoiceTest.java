package cn.yinxin.core.qr;

import com.google.zxing.EncodeHintType;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The mask and the symbol MaskChoice gives are ZXing's own, without ZXing building and scoring eight matrices. */
class MaskChoiceTest {

    private static final String ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static final ErrorCorrectionLevel[] LEVELS = ErrorCorrectionLevel.values();

    @Test
    void everyMaskGivesZxingsMatrixAndTheChoiceIsZxings() throws Exception {
        Random random = new Random(18004);
        Set<Integer> versions = new HashSet<>();
        Set<Integer> masks = new HashSet<>();
        for (int n = 0; n < 300; n++) {
            ErrorCorrectionLevel level = LEVELS[random.nextInt(LEVELS.length)];
            String text = text(random, 1 + random.nextInt(n % 3 == 0 ? 60 : 1400));
            QRCode own = Encoder.encode(text, level);
            int version = own.getVersion().getVersionNumber();
            if (own.getMatrix().getWidth() > MaskChoice.MAX_MODULES) {
                continue;
            }
            versions.add(version);
            ByteMatrix zero = Encoder.encode(text, level, Map.of(EncodeHintType.QR_MASK_PATTERN, 0)).getMatrix();
            for (int mask = 0; mask < 8; mask++) {
                ByteMatrix zxing = Encoder.encode(text, level, Map.of(EncodeHintType.QR_MASK_PATTERN, mask)).getMatrix();
                assertThat(MaskChoice.matrix(zero, version, level, mask).getArray())
                        .as("version %d, level %s, mask %d", version, level, mask).isEqualTo(zxing.getArray());
            }
            MaskChoice.Chosen chosen = MaskChoice.choose(zero, level, version);
            assertThat(chosen.mask()).as("version %d, level %s: %s", version, level, text).isEqualTo(own.getMaskPattern());
            assertThat(chosen.matrix().getArray()).isEqualTo(own.getMatrix().getArray());
            masks.add(chosen.mask());
        }
        // the draw covered small and large symbols (one and two longs a row) and more than a few masks
        assertThat(versions).contains(1, 2, 7, 11, 12, 17, 27);
        assertThat(masks).hasSizeGreaterThan(5);
    }

    @Test
    void aSymbolIsZxingsAlsoForTextInUtf8AndBeyondWhatIsChosenHere() {
        for (String text : new String[] {"HC1:6BFOXN*TS0BI$ZD-PHQ7I9AD66V5B22CH9M9ESI9XBHXK-%69LQOGI.*V76GCV4*XUA2P-FHT-HNTI4L6N$Q",
                "豫A12345 营业执照 统一社会信用代码 91410000MA00000000", "x".repeat(1200)}) {
            QrSymbol symbol = QrSymbol.encode(text, QrOptions.DEFAULT);
            try {
                Map<EncodeHintType, Object> hints = StandardCharsets.ISO_8859_1.newEncoder().canEncode(text) ? Map.of()
                        : Map.of(EncodeHintType.CHARACTER_SET, "UTF-8");
                ByteMatrix zxing = Encoder.encode(text, QrOptions.DEFAULT.errorCorrection(), hints).getMatrix();
                assertThat(symbol.modules()).isEqualTo(zxing.getWidth());
                assertThat(symbol.modules() > MaskChoice.MAX_MODULES).isEqualTo(text.length() == 1200);
                for (int y = 0; y < zxing.getHeight(); y++) {
                    for (int x = 0; x < zxing.getWidth(); x++) {
                        assertThat(symbol.dark(x, y)).as("(%d, %d) of %s", x, y, text).isEqualTo(zxing.get(x, y) == 1);
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private static String text(Random random, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return b.toString();
    }
}
