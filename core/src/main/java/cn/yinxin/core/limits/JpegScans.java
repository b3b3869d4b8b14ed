package cn.yinxin.core.limits;

/**
 * How many scans (SOS segments) a JPEG has, read from its markers without decoding it. A progressive JPEG is a handful
 * of scans (the JDK writes six, libjpeg's default script ten); the JDK's decoder takes any number, each a walk over
 * every block of the image, so a file of thousands of repeated scans keeps a worker busy for hours.
 */
public final class JpegScans {

    /** More scans than this is no photo: refused before decoding. */
    public static final int MAX = 100;

    private JpegScans() {
    }

    /** The scans counted up to {@code MAX + 1} (enough to refuse); a structure that cannot be followed stops the count. */
    public static int count(byte[] jpeg) {
        return count(jpeg, 0, jpeg.length, MAX);
    }

    /**
     * As {@link #count(byte[])}, for the JPEG in {@code jpeg[from, to)} (an image stream inside a PDF), counted up to
     * {@code max + 1}.
     */
    public static int count(byte[] jpeg, int from, int to, int max) {
        int scans = 0;
        int at = from + 2; // after SOI
        int length = Math.min(to, jpeg.length);
        while (at + 1 < length && scans <= max) {
            if ((jpeg[at] & 0xff) != 0xff) {
                return scans;
            }
            int marker = jpeg[at + 1] & 0xff;
            if (marker == 0xff) {
                at++; // a fill byte
                continue;
            }
            if (marker == 0xd9) {
                return scans; // EOI
            }
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd8) {
                at += 2; // no length: TEM, RSTn, SOI
                continue;
            }
            if (at + 3 >= length) {
                return scans;
            }
            at += 2 + (((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff));
            if (marker == 0xda) {
                scans++;
                // the entropy-coded data: up to the next marker that is neither a stuffed 0xff nor a restart
                while (at + 1 < length && !((jpeg[at] & 0xff) == 0xff && (jpeg[at + 1] & 0xff) != 0
                        && ((jpeg[at + 1] & 0xff) < 0xd0 || (jpeg[at + 1] & 0xff) > 0xd7))) {
                    at++;
                }
            }
        }
        return scans;
    }
}
