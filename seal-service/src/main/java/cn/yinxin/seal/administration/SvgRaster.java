package cn.yinxin.seal.administration;

import com.github.weisj.jsvg.SVGDocument;
import com.github.weisj.jsvg.parser.LoaderContext;
import com.github.weisj.jsvg.parser.SVGLoader;
import com.github.weisj.jsvg.parser.resources.ResourcePolicy;
import com.github.weisj.jsvg.view.ViewBox;

import javax.imageio.ImageIO;
import java.awt.Component;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The program {@link SvgRendering} runs in a short-lived process of its own to draw a seal administrator's SVG:
 * the SVG on standard input, the pixel width and height as arguments; on standard output the SVG's own width and
 * height (two floats) and then the PNG. A drawing cannot be stopped inside a Java2D call from another thread, a
 * process can: the seal service kills this one at its deadline. Only the JDK and jsvg here, nothing of Spring.
 */
public final class SvgRaster {

    /** The SVG cannot be parsed by jsvg. */
    static final int UNREADABLE = 2;
    /** The JVM's own exit code on OutOfMemoryError with -XX:+ExitOnOutOfMemoryError. */
    static final int OUT_OF_MEMORY = 3;
    /** The SVG has no width or height. */
    static final int NO_SIZE = 4;
    /** jsvg failed while drawing. */
    static final int UNDRAWABLE = 5;
    /** Elements nested deeper than jsvg's recursion goes (a JDK before 24 sets no element depth limit). */
    static final int TOO_DEEP = 6;

    private SvgRaster() {
    }

    public static void main(String[] args) throws IOException {
        try {
            draw(args);
        } catch (StackOverflowError e) {
            exit(TOO_DEEP, "");
        } catch (RuntimeException | Error e) {
            exit(UNDRAWABLE, e.toString());
        }
    }

    private static void draw(String[] args) throws IOException {
        int width = Integer.parseInt(args[0]);
        int height = Integer.parseInt(args[1]);
        byte[] data = System.in.readAllBytes();
        SVGDocument svg = null;
        try {
            LoaderContext context = LoaderContext.builder().externalResourcePolicy(ResourcePolicy.DENY_ALL).build();
            svg = new SVGLoader().load(new ByteArrayInputStream(data), null, context);
        } catch (RuntimeException e) {
            exit(UNREADABLE, e.getMessage());
        }
        if (svg == null) {
            exit(UNREADABLE, "");
        }
        var size = svg.size();
        if (!(size.width > 0 && size.height > 0)) {
            exit(NO_SIZE, "");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            svg.render((Component) null, g, new ViewBox(0, 0, width, height));
        } catch (RuntimeException e) {
            exit(UNDRAWABLE, e.getMessage());
        } finally {
            g.dispose();
        }
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(System.out, 1 << 16));
        out.writeFloat(size.width);
        out.writeFloat(size.height);
        ImageIO.write(image, "png", out);
        out.flush();
        System.exit(0);
    }

    private static void exit(int code, String message) {
        System.err.println();
        System.err.println(message == null ? "" : message.replaceAll("\\s+", " "));
        System.err.flush();
        System.exit(code);
    }
}
