package cn.yinxin.core.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A third hostile read (2026-12-07) of the QR photo reader (POST /api/v1/verify/qr-image, anyone).
 */
public class QrImageRedTeamTest {

    /**
     * A progressive JPEG within every limit (2,000 x 2,000 pixels, 60 KB) whose last AC refinement scan (with its
     * Huffman table) is repeated 1,000 times: the JDK's libjpeg takes each scan as it comes (a repeated refinement is a
     * warning, not an error) and walks every block's 63 coefficients once per scan: seconds here, and at the limits (40
     * million pixels, 10 MiB: about 190,000 scans) hours of a QR image worker for one upload; a few such uploads and
     * no photo is read any more. A JPEG with more scans than any encoder writes is refused before it is decoded.
     */
    @Test
    void aProgressiveJpegWithThousandsOfScansIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = repeatLastScan(progressiveWhiteJpeg(2000), 1000);

        RejectedException refused = catchThrowableOfType(RejectedException.class,
                () -> new QrImages(40_000_000L, QrSigner.DEFAULT_PREFIX).read(bomb));
        assertThat(refused).isNotNull();
        assertThat(refused.problem()).isEqualTo(Problem.UNREADABLE_IMAGE);
        assertThat(refused.getMessage()).contains("scans");
    }

    /** A white square, written by the JDK's JPEG writer in progressive mode (six scans). */
    public static byte[] progressiveWhiteJpeg(int side) throws Exception {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        var g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, side, side);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The JPEG with its last Huffman table and scan (just before EOI) repeated {@code times} more. */
    public static byte[] repeatLastScan(byte[] jpeg, int times) {
        int eoi = jpeg.length - 2;
        int table = -1;
        for (int i = eoi - 2; i > 1; i--) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc4) {
                table = i;
                break;
            }
        }
        assertThat(table).isPositive();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, eoi);
        for (int i = 0; i < times; i++) {
            out.write(jpeg, table, eoi - table);
        }
        out.write(jpeg, eoi, 2);
        return out.toByteArray();
    }
}
