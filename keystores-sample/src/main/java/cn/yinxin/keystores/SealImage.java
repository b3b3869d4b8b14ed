package cn.yinxin.keystores;

import java.awt.geom.Rectangle2D;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Draws the sample seal: a red ring with a five-pointed star, on a transparent background. Shapes only, so it
 * draws the same on a machine without fonts.
 */
final class SealImage {

    static final Color SEAL_RED = new Color(0xD0, 0x10, 0x10);

    private SealImage() {
    }

    static byte[] png(int size) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(SEAL_RED);
            float ring = size * 0.04f;
            g.setStroke(new BasicStroke(ring));
            g.draw(new Ellipse2D.Float(ring, ring, size - 2 * ring, size - 2 * ring));
            g.setStroke(new BasicStroke(ring / 3));
            float inner = size * 0.12f;
            g.draw(new Ellipse2D.Float(inner, inner, size - 2 * inner, size - 2 * inner));
            g.fill(star(size / 2.0, size / 2.0, size * 0.22, size * 0.09));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * The SM2 licence seal: the agency's red ring and star with a bar beneath the star (where a real 电子证照专用章
     * has its name line), so that the two sample seals are told apart on a page.
     */
    static byte[] licencePng(int size) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png(size)));
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(SEAL_RED);
            g.fill(new Rectangle2D.Double(size * 0.3, size * 0.72, size * 0.4, size * 0.05));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /**
     * The verification-report seal: a blue double ring with a dot, so that a report is not mistaken for an agency's
     * red seal at a glance.
     */
    static byte[] reportPng(int size) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(30, 80, 170));
            float ring = size * 0.04f;
            g.setStroke(new BasicStroke(ring));
            g.draw(new Ellipse2D.Float(ring, ring, size - 2 * ring, size - 2 * ring));
            g.setStroke(new BasicStroke(ring / 3));
            float inner = size * 0.13f;
            g.draw(new Ellipse2D.Float(inner, inner, size - 2 * inner, size - 2 * inner));
            float dot = size * 0.065f;
            g.fill(new Ellipse2D.Float(size / 2f - dot, size / 2f - dot, 2 * dot, 2 * dot));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static Path2D star(double cx, double cy, double outer, double inner) {
        Path2D path = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double radius = i % 2 == 0 ? outer : inner;
            double angle = Math.PI / 2 + i * Math.PI / 5;
            double x = cx + radius * Math.cos(angle);
            double y = cy - radius * Math.sin(angle);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        path.closePath();
        return path;
    }
}
