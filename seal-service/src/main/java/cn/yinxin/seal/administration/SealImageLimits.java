package cn.yinxin.seal.administration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Configurable bounds ({@code yinxin.seals.image.*}).
 *
 * @param maxBytes             the largest upload accepted
 * @param minPixels            the shortest side of a PNG, in pixels
 * @param maxPixels            the longest side of a PNG, in pixels (bounds decoding memory)
 * @param minPixelsPerMm       below this the printed seal would look blurred (8 px/mm is about 200 dpi)
 * @param minMm                the smallest printed side, in millimetres
 * @param maxMm                the largest printed side, in millimetres
 * @param svgPixelsPerMm       the resolution an SVG is rendered at for stamping (16 px/mm is about 400 dpi)
 * @param svgRenderTimeout     how long an SVG may take to be read and drawn (in a process of its own, started
 *                             and killed within this time); longer is refused as {@code seal-image-too-complex}
 * @param svgConcurrentRenders how many SVGs are drawn at once (each a process with one processor and
 *                             {@code svgRenderHeapMb}); a request finding them all taken is refused at once as
 *                             {@code seal-images-busy}
 * @param svgRenderHeapMb      the drawing process's heap, in MB; more is refused as {@code seal-image-too-complex}
 */
@ConfigurationProperties("yinxin.seals.image")
public record SealImageLimits(@DefaultValue("1048576") int maxBytes, @DefaultValue("64") int minPixels,
                     @DefaultValue("4096") int maxPixels, @DefaultValue("8") double minPixelsPerMm,
                     @DefaultValue("10") double minMm, @DefaultValue("120") double maxMm,
                     @DefaultValue("16") double svgPixelsPerMm, @DefaultValue("PT10S") Duration svgRenderTimeout,
                     @DefaultValue("2") int svgConcurrentRenders, @DefaultValue("256") int svgRenderHeapMb) {

    public static final SealImageLimits DEFAULT = new SealImageLimits(1048576, 64, 4096, 8, 10, 120, 16,
            Duration.ofSeconds(10), 2, 256);

    public SealImageLimits {
        if (svgRenderTimeout == null || svgRenderTimeout.isNegative() || svgRenderTimeout.isZero()
                || svgRenderTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("yinxin.seals.image.svg-render-timeout must be more than 0 and at most "
                    + "PT5M, not " + svgRenderTimeout);
        }
        if (svgConcurrentRenders < 1 || svgConcurrentRenders > 64) {
            throw new IllegalArgumentException("yinxin.seals.image.svg-concurrent-renders must be 1 to 64, not "
                    + svgConcurrentRenders);
        }
        if (svgRenderHeapMb < 64 || svgRenderHeapMb > 4096) {
            throw new IllegalArgumentException("yinxin.seals.image.svg-render-heap-mb must be 64 to 4096, not "
                    + svgRenderHeapMb);
        }
    }
}
