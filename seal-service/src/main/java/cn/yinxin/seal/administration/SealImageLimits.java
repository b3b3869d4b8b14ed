package cn.yinxin.seal.administration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configurable bounds ({@code yinxin.seals.image.*}).
 *
 * @param maxBytes        the largest upload accepted
 * @param minPixels       the shortest side of a PNG, in pixels
 * @param maxPixels       the longest side of a PNG, in pixels (bounds decoding memory)
 * @param minPixelsPerMm  below this the printed seal would look blurred (8 px/mm is about 200 dpi)
 * @param minMm           the smallest printed side, in millimetres
 * @param maxMm           the largest printed side, in millimetres
 * @param svgPixelsPerMm  the resolution an SVG is rendered at for stamping (16 px/mm is about 400 dpi)
 */
@ConfigurationProperties("yinxin.seals.image")
public record SealImageLimits(@DefaultValue("1048576") int maxBytes, @DefaultValue("64") int minPixels,
                     @DefaultValue("4096") int maxPixels, @DefaultValue("8") double minPixelsPerMm,
                     @DefaultValue("10") double minMm, @DefaultValue("120") double maxMm,
                     @DefaultValue("16") double svgPixelsPerMm) {

    public static final SealImageLimits DEFAULT = new SealImageLimits(1048576, 64, 4096, 8, 10, 120, 16);
}
