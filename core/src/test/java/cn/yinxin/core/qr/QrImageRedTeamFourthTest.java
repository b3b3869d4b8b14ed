package cn.yinxin.core.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A fourth hostile read (2026-12-07) of the QR photo reader (POST /api/v1/verify/qr-image, anyone).
 */
class QrImageRedTeamFourthTest {

    private static final QrImages READER = new QrImages(40_000_000L, QrSigner.DEFAULT_PREFIX);

    /**
     * A paper whose printed code is not genuine, with a small genuine code of another document printed beside it (in
     * the seal's picture, a footer): the clerk photographs the paper, the reader found both and took whichever came
     * first with our prefix, and the answer was a verdict about a code the clerk did not mean, VALID for another
     * document's code. A picture showing two different signed codes does not say which one is meant.
     */
    @Test
    void aPictureShowingTwoDifferentSignedCodesIsNotReadAsEitherOne() throws Exception {
        byte[] photo = png(QrSigner.DEFAULT_PREFIX + "6BFOXN*TS0BI$ZD.P9UOL97O4-2HH77HRM3DSPTHA", QrSigner.DEFAULT_PREFIX
                + "6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEXWK G2EP4J0B3KL6QM5/OVGA/MAT%ZSZ");

        RejectedException refused = catchThrowableOfType(RejectedException.class, () -> READER.read(photo));
        assertThat(refused).as("read as one code").isNotNull();
        assertThat(refused.problem()).isEqualTo(Problem.QR_CODES_AMBIGUOUS);
    }

    /** The rule's other side: our code beside a code of something else (a shop's payment code) is still read. */
    @Test
    void ourCodeBesideAnotherKindOfCodeIsStillRead() throws Exception {
        String ours = QrSigner.DEFAULT_PREFIX + "6BFOXN*TS0BI$ZD.P9UOL97O4-2HH77HRM3DSPTHA";
        assertThat(READER.read(png("https://pay.example/shop/42", ours)).text()).isEqualTo(ours);
    }

    /** Two codes side by side on white, each 300 pixels. */
    private static byte[] png(String left, String right) throws Exception {
        BufferedImage image = new BufferedImage(760, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        draw(g, left, 40);
        draw(g, right, 420);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void draw(Graphics2D g, String text, int x) throws Exception {
        BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 300, 300);
        g.setColor(Color.BLACK);
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int i = 0; i < matrix.getWidth(); i++) {
                if (matrix.get(i, y)) {
                    g.fillRect(x + i, 50 + y, 1, 1);
                }
            }
        }
    }
}
