package cn.yinxin.core.pdf;

/** What a seal looks like on paper: its image (PNG, transparency kept) and its printed size. */
public record SealAppearance(byte[] image, double widthMm, double heightMm) {

    public SealAppearance {
        if (image == null || image.length == 0) {
            throw new IllegalArgumentException("a seal appearance needs an image");
        }
        if (!(widthMm > 0 && heightMm > 0)) {
            throw new IllegalArgumentException("a seal's printed size must be positive");
        }
    }
}
