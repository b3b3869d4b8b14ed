package cn.yinxin.verifier.qr;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.QrCode;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Commands;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Sealed PDFs with a printed QR code, rendered by poppler (pdftoppm, 150 dpi) and turned into what a phone makes
 * of them: tilted, turned, skewed, small, noisy JPEGs.
 */
public final class QrPhotos {

    private QrPhotos() {
    }

    /** The sample document sealed by {@code key}, its QR code printed in the signed revision. */
    public static byte[] sealedWithQr(Path keystores, SealKey key, String text) throws Exception {
        Path seal = keystores.resolve("seals").resolve(SamplePki.SEAL_ID);
        byte[] document = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        return new PdfSealer().seal(document, new SealRequest(key,
                new SealAppearance(Files.readAllBytes(seal.resolve("seal.png")), 42, 42),
                new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null, Instant.now())
                .withQr(new QrCode(text, UUID.randomUUID().toString(), null, null)));
    }

    /** Page 1 at 150 dpi, as poppler draws it. */
    public static BufferedImage render(byte[] pdf) throws IOException {
        Path folder = Files.createTempDirectory("qr-photo");
        Path file = folder.resolve("sealed.pdf");
        Files.write(file, pdf);
        Commands.ok(folder, "pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", file.toString(),
                folder.resolve("page").toString());
        return ImageIO.read(folder.resolve("page.png").toFile());
    }

    /** Turned by {@code degrees} about its centre on a grey table, the canvas grown to hold it. */
    public static BufferedImage rotate(BufferedImage image, double degrees) {
        if (degrees % 90 == 0) {
            return quarterTurns(image, (int) Math.floorMod((long) (degrees / 90), 4));
        }
        double radians = Math.toRadians(degrees);
        double sin = Math.abs(Math.sin(radians));
        double cos = Math.abs(Math.cos(radians));
        int w = (int) Math.round(image.getWidth() * cos + image.getHeight() * sin);
        int h = (int) Math.round(image.getWidth() * sin + image.getHeight() * cos);
        BufferedImage out = canvas(w, h);
        Graphics2D g = graphics(out);
        g.translate(w / 2.0, h / 2.0);
        g.rotate(radians);
        g.drawImage(image, -image.getWidth() / 2, -image.getHeight() / 2, null);
        g.dispose();
        return out;
    }

    /** Turned clockwise by whole quarters, pixel for pixel (as a phone's sensor orientation does it). */
    static BufferedImage quarterTurns(BufferedImage image, int quarters) {
        BufferedImage out = image;
        for (int q = 0; q < quarters; q++) {
            BufferedImage turned = new BufferedImage(out.getHeight(), out.getWidth(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < out.getHeight(); y++) {
                for (int x = 0; x < out.getWidth(); x++) {
                    turned.setRGB(out.getHeight() - 1 - y, x, out.getRGB(x, y));
                }
            }
            out = turned;
        }
        return out;
    }

    /** A skew as a phone held at an angle gives (an affine shear both ways, slightly squeezed). */
    static BufferedImage skew(BufferedImage image, double shearX, double shearY) {
        AffineTransform transform = new AffineTransform(0.95, shearY, shearX, 1.0, 0, 0);
        int w = (int) Math.ceil(image.getWidth() * 0.95 + Math.abs(shearX) * image.getHeight()) + 40;
        int h = (int) Math.ceil(image.getHeight() + Math.abs(shearY) * image.getWidth()) + 40;
        BufferedImage out = canvas(w, h);
        Graphics2D g = graphics(out);
        g.translate(20 + (shearX < 0 ? -shearX * image.getHeight() : 0), 20 + (shearY < 0 ? -shearY * image.getWidth() : 0));
        g.drawImage(image, transform, null);
        g.dispose();
        return out;
    }

    public static BufferedImage scale(BufferedImage image, double factor) {
        int w = (int) Math.round(image.getWidth() * factor);
        int h = (int) Math.round(image.getHeight() * factor);
        BufferedImage out = canvas(w, h);
        Graphics2D g = graphics(out);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** The part of the page around the QR code (bottom-left corner), as a phone aimed at the code sees it. */
    public static BufferedImage corner(BufferedImage page, double fraction) {
        int w = (int) (page.getWidth() * fraction);
        int h = (int) (page.getHeight() * fraction * 0.7);
        return copy(page.getSubimage(0, page.getHeight() - h, w, h));
    }

    /** Uneven light (a shadow across), sensor noise, then JPEG at the given quality. */
    public static byte[] phoneJpeg(BufferedImage image, float quality, double noise, long seed) throws IOException {
        BufferedImage out = copy(image);
        Graphics2D g = out.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0, 0, 0, 70), out.getWidth(), out.getHeight(), new Color(255, 255, 230, 20)));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.dispose();
        Random random = new Random(seed);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int rgb = out.getRGB(x, y);
                int n = (int) Math.round(random.nextGaussian() * noise);
                out.setRGB(x, y, clamp((rgb >> 16 & 0xff) + n) << 16 | clamp((rgb >> 8 & 0xff) + n) << 8
                        | clamp((rgb & 0xff) + n));
            }
        }
        return jpeg(out, quality);
    }

    public static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(copy(image), null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    /** An RGB copy (JPEG writers want no alpha). */
    static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static BufferedImage canvas(int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(120, 115, 105));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return out;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
