package cn.yinxin.core.qr;

/**
 * One row or column of a QR symbol as the bits of two longs (module i at bit i, set = dark), and the penalty rules
 * of ISO/IEC 18004 7.8.3 that look along it, as ZXing's {@code MaskUtil} scores them ({@link MaskChoice}).
 * "down(k)" is the line moved k modules towards its start (bit i holds module i + k), "up(k)" towards its end.
 */
final class Line {

    private final long keepLo;
    private final long keepHi;
    private final long pairLo;
    private final long pairHi;

    /** @param dim modules in the line, at most {@link MaskChoice#MAX_MODULES} */
    Line(int dim) {
        this.keepLo = below(dim, 0);
        this.keepHi = below(dim, 1);
        this.pairLo = below(dim - 1, 0);
        this.pairHi = below(dim - 1, 1);
    }

    /** The bits below {@code n} in word {@code word}. */
    private static long below(int n, int word) {
        int bits = n - 64 * word;
        return bits >= 64 ? -1L : bits <= 0 ? 0 : (1L << bits) - 1;
    }

    private static long downLo(long lo, long hi, int k) {
        return (lo >>> k) | (hi << (64 - k));
    }

    private static long upHi(long lo, long hi, int k) {
        return (hi << k) | (lo >>> (64 - k));
    }

    /** Rule 1: each run of five or more modules alike, 3 + (length - 5). */
    int runs(long[] line) {
        long lo = line[0];
        long hi = line[1];
        // module i alike module i + 1
        long sameLo = ~(lo ^ downLo(lo, hi, 1)) & pairLo;
        long sameHi = ~(hi ^ (hi >>> 1)) & pairHi;
        // modules i to i + 4 alike
        long fiveLo = sameLo & downLo(sameLo, sameHi, 1) & downLo(sameLo, sameHi, 2) & downLo(sameLo, sameHi, 3);
        long fiveHi = sameHi & (sameHi >>> 1) & (sameHi >>> 2) & (sameHi >>> 3);
        // a run of L alike holds L - 4 such starts, the first of them not preceded by one: (L - 4) + 2
        long firstLo = fiveLo & ~(fiveLo << 1);
        long firstHi = fiveHi & ~upHi(fiveLo, fiveHi, 1);
        return Long.bitCount(fiveLo) + Long.bitCount(fiveHi) + 2 * (Long.bitCount(firstLo) + Long.bitCount(firstHi));
    }

    /** Rule 2: 2 x 2 blocks alike, this line and the next. */
    int blocks(long[] line, long[] next) {
        long lo = line[0];
        long hi = line[1];
        long nLo = next[0];
        long nHi = next[1];
        long lo2 = ~(lo ^ nLo) & ~(lo ^ downLo(lo, hi, 1)) & ~(nLo ^ downLo(nLo, nHi, 1)) & pairLo;
        long hi2 = ~(hi ^ nHi) & ~(hi ^ (hi >>> 1)) & ~(nHi ^ (nHi >>> 1)) & pairHi;
        return Long.bitCount(lo2) + Long.bitCount(hi2);
    }

    /** Rule 3: dark, light, dark, dark, dark, light, dark with four light modules inside the line before or after. */
    int finderLike(long[] line) {
        long dLo = line[0];
        long dHi = line[1];
        long lLo = ~dLo & keepLo;
        long lHi = ~dHi & keepHi;
        long patternLo = dLo & downLo(lLo, lHi, 1) & downLo(dLo, dHi, 2) & downLo(dLo, dHi, 3) & downLo(dLo, dHi, 4)
                & downLo(lLo, lHi, 5) & downLo(dLo, dHi, 6);
        long patternHi = dHi & (lHi >>> 1) & (dHi >>> 2) & (dHi >>> 3) & (dHi >>> 4) & (lHi >>> 5) & (dHi >>> 6);
        long beforeLo = (lLo << 1) & (lLo << 2) & (lLo << 3) & (lLo << 4);
        long beforeHi = upHi(lLo, lHi, 1) & upHi(lLo, lHi, 2) & upHi(lLo, lHi, 3) & upHi(lLo, lHi, 4);
        long afterLo = downLo(lLo, lHi, 7) & downLo(lLo, lHi, 8) & downLo(lLo, lHi, 9) & downLo(lLo, lHi, 10);
        long afterHi = (lHi >>> 7) & (lHi >>> 8) & (lHi >>> 9) & (lHi >>> 10);
        return Long.bitCount(patternLo & (beforeLo | afterLo)) + Long.bitCount(patternHi & (beforeHi | afterHi));
    }
}
