package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.pdf.handwriting.Handwriting;
import java.util.Objects;

/**
 * What a seal looks like on paper: its image (PNG, transparency kept) and its printed size; or, for a personal
 * signature, a handwritten signature drawn as vector paths ({@link #handwritten}) instead of an image.
 */
public record SealAppearance(byte[] image, double widthMm, double heightMm, Handwriting handwriting) {

    public SealAppearance {
        if (handwriting == null && (image == null || image.length == 0)) {
            throw new IllegalArgumentException("a seal appearance needs an image");
        }
        if (handwriting != null && image != null) {
            throw new IllegalArgumentException("an appearance is an image or a handwritten signature, not both");
        }
        if (!(widthMm > 0 && heightMm > 0)) {
            throw new IllegalArgumentException("a seal's printed size must be positive");
        }
    }

    public SealAppearance(byte[] image, double widthMm, double heightMm) {
        this(image, widthMm, heightMm, null);
    }

    /** A handwritten signature in a box of this size, drawn by {@link HandwritingAppearance}. */
    public static SealAppearance handwritten(Handwriting capture, double widthMm, double heightMm) {
        return new SealAppearance(null, widthMm, heightMm, Objects.requireNonNull(capture, "capture"));
    }
}
