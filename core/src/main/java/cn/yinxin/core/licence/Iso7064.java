package cn.yinxin.core.licence;

/** ISO/IEC 7064 MOD 37,36 (hybrid system over 0-9 A-Z): the check character of licence identifiers. */
public final class Iso7064 {

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int M = 36;

    private Iso7064() {
    }

    /** The check character for {@code text} (digits and upper-case letters only). */
    public static char mod3736(String text) {
        int p = M;
        for (int i = 0; i < text.length(); i++) {
            int value = ALPHABET.indexOf(text.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("'" + text.charAt(i) + "' is not 0-9 or A-Z");
            }
            int s = (p + value) % M;
            if (s == 0) {
                s = M;
            }
            p = (s * 2) % (M + 1);
        }
        return ALPHABET.charAt((M + 1 - p) % M);
    }
}
