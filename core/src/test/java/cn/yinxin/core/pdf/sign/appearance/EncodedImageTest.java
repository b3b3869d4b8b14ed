package cn.yinxin.core.pdf.sign.appearance;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seal image kept for stamping ({@link EncodedImage}) draws exactly the pixels PDFBox's own encoding of the PNG
 * draws (every visible pixel's colour and every pixel's opacity), in fewer bytes.
 */
class EncodedImageTest {

    @Test
    void aSealImageDrawsThePixelsPdfBoxDrawsInFewerBytes() throws Exception {
        byte[] png = sealLikePng();
        try (PDDocument document = new PDDocument()) {
            PDImageXObject pdfbox = PDImageXObject.createFromByteArray(document, png, "seal");
            PDImageXObject ours = EncodedImage.into(document, png);

            BufferedImage expected = pdfbox.getImage();
            BufferedImage actual = ours.getImage();
            assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
            assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
            int visible = 0;
            for (int y = 0; y < expected.getHeight(); y++) {
                for (int x = 0; x < expected.getWidth(); x++) {
                    int e = expected.getRGB(x, y);
                    int a = actual.getRGB(x, y);
                    assertThat(a >>> 24).as("opacity at %d,%d", x, y).isEqualTo(e >>> 24);
                    if (e >>> 24 != 0) {
                        visible++;
                        assertThat(a & 0xFFFFFF).as("colour at %d,%d", x, y).isEqualTo(e & 0xFFFFFF);
                    }
                }
            }
            assertThat(visible).isGreaterThan(10_000);
            long before = bytes(pdfbox.getCOSObject()) + bytes(pdfbox.getSoftMask().getCOSObject());
            long after = bytes(ours.getCOSObject()) + bytes(ours.getSoftMask().getCOSObject());
            assertThat(after).as("bytes of colour and mask: %d before", before).isLessThan(before * 3 / 4);
            assertThat(ours.getCOSObject().getDictionaryObject(COSName.DECODE_PARMS)).isNull();
        }
    }

    private static long bytes(COSStream stream) throws IOException {
        try (InputStream in = stream.createRawInputStream()) {
            return in.readAllBytes().length;
        }
    }

    /** A red seal as agencies draw theirs: a ring, a star and text, anti-aliased, on a transparent ground. */
    private static byte[] sealLikePng() throws IOException {
        BufferedImage image = new BufferedImage(600, 600, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(208, 16, 16));
        g.setStroke(new BasicStroke(18));
        g.drawOval(20, 20, 560, 560);
        int[] xs = new int[10];
        int[] ys = new int[10];
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? 90 : 36;
            double angle = Math.PI / 2 + i * Math.PI / 5;
            xs[i] = (int) Math.round(300 + r * Math.cos(angle));
            ys[i] = (int) Math.round(300 - r * Math.sin(angle));
        }
        g.fillPolygon(xs, ys, 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 44));
        g.drawString("APPROVAL SEAL 2026", 95, 470);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
