package cn.yinxin.core.qr;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Version;
import com.google.zxing.qrcode.encoder.ByteMatrix;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mask pattern ZXing's encoder chooses (ISO/IEC 18004 7.8: the one of eight with the lowest penalty), found from
 * the symbol ZXing made with mask 0, and the symbol with the chosen mask.
 *
 * <p>Why: ZXing builds the whole matrix eight times and scores each one module by module; for a signed licence code
 * (version 17, 85 x 85 modules) that was 14 % of the licence service's CPU (JFR, 2026-12-07). Here each of the eight
 * matrices is the first with the data modules flipped where the two masks differ and the format information of its
 * mask, every row and column held as the bits of two longs; the four penalty rules are scored as ZXing's
 * {@code MaskUtil} scores them (runs of five or more alike, 2 x 2 blocks alike, 1:1:3:1:1 beside four light modules
 * inside the symbol, the dark share), 64 modules an operation. Symbols wider than 128 modules (version 28 and up) are
 * left to ZXing. {@code MaskChoiceTest}: for every mask the matrix is ZXing's with that mask, and the choice is
 * ZXing's on random codes of every version up to 27.
 */
final class MaskChoice {

    /** The widest symbol chosen here: two longs a row. */
    static final int MAX_MODULES = 128;

    private static final int[][] FORMAT_COORDINATES = {{8, 0}, {8, 1}, {8, 2}, {8, 3}, {8, 4}, {8, 5}, {8, 7}, {8, 8},
            {7, 8}, {5, 8}, {4, 8}, {3, 8}, {2, 8}, {1, 8}, {0, 8}};
    private static final Map<Integer, Layout> LAYOUTS = new ConcurrentHashMap<>();

    private MaskChoice() {
    }

    /** The mask chosen and the symbol's matrix with it. */
    record Chosen(int mask, ByteMatrix matrix) {
    }

    /**
     * What a version's symbols share: for each mask the data modules it flips (function patterns never), as rows
     * and as columns ({@code [mask][index][word]}).
     */
    private record Layout(int dim, long[][][] maskRows, long[][][] maskColumns) {
    }

    /** The lowest-penalty mask (the first of equals, as ZXing) for the symbol {@code maskedWithZero}. */
    static Chosen choose(ByteMatrix maskedWithZero, ErrorCorrectionLevel level, int version) {
        int best = ranked(maskedWithZero, level, version)[0];
        return new Chosen(best, best == 0 ? maskedWithZero : matrix(maskedWithZero, version, level, best));
    }

    /**
     * The eight masks from the lowest penalty to the highest (equals in mask order, so the first is ZXing's choice):
     * the order in which {@link QrSymbol} tries them when a reader has to read the symbol back.
     */
    static int[] ranked(ByteMatrix maskedWithZero, ErrorCorrectionLevel level, int version) {
        Layout layout = LAYOUTS.computeIfAbsent(version, MaskChoice::layout);
        int dim = layout.dim();
        long[][] rows = new long[dim][2];
        long[][] columns = new long[dim][2];
        byte[][] in = maskedWithZero.getArray();
        for (int y = 0; y < dim; y++) {
            for (int x = 0; x < dim; x++) {
                if (in[y][x] == 1) {
                    rows[y][x >> 6] |= 1L << (x & 63);
                    columns[x][y >> 6] |= 1L << (y & 63);
                }
            }
        }
        // penalty x 8 + mask: sorting these sorts by penalty, then by mask
        long[] keys = new long[8];
        long[][] maskedRows = new long[dim][2];
        long[][] maskedColumns = new long[dim][2];
        for (int mask = 0; mask < 8; mask++) {
            remask(rows, layout.maskRows(), mask, maskedRows);
            remask(columns, layout.maskColumns(), mask, maskedColumns);
            writeFormat(maskedRows, maskedColumns, dim, formatBits(level, mask));
            keys[mask] = (long) penalty(maskedRows, maskedColumns, dim) * 8 + mask;
        }
        Arrays.sort(keys);
        int[] order = new int[8];
        for (int i = 0; i < 8; i++) {
            order[i] = (int) (keys[i] & 7);
        }
        return order;
    }

    private static void remask(long[][] withZero, long[][][] masks, int mask, long[][] out) {
        for (int i = 0; i < withZero.length; i++) {
            for (int w = 0; w < 2; w++) {
                out[i][w] = withZero[i][w] ^ masks[0][i][w] ^ masks[mask][i][w];
            }
        }
    }

    private static void writeFormat(long[][] rows, long[][] columns, int dim, int format) {
        for (int i = 0; i < 15; i++) {
            boolean dark = (format >> i & 1) == 1;
            set(rows, columns, FORMAT_COORDINATES[i][0], FORMAT_COORDINATES[i][1], dark);
            if (i < 8) {
                set(rows, columns, dim - i - 1, 8, dark);
            } else {
                set(rows, columns, 8, dim - 7 + (i - 8), dark);
            }
        }
    }

    private static void set(long[][] rows, long[][] columns, int x, int y, boolean dark) {
        long rowBit = 1L << (x & 63);
        long columnBit = 1L << (y & 63);
        if (dark) {
            rows[y][x >> 6] |= rowBit;
            columns[x][y >> 6] |= columnBit;
        } else {
            rows[y][x >> 6] &= ~rowBit;
            columns[x][y >> 6] &= ~columnBit;
        }
    }

    /** The symbol with {@code mask}: data modules flipped where masks 0 and {@code mask} differ, its format bits. */
    static ByteMatrix matrix(ByteMatrix maskedWithZero, int version, ErrorCorrectionLevel level, int mask) {
        long[][][] flipped = LAYOUTS.computeIfAbsent(version, MaskChoice::layout).maskRows();
        int dim = maskedWithZero.getWidth();
        ByteMatrix out = new ByteMatrix(dim, dim);
        byte[][] in = maskedWithZero.getArray();
        for (int y = 0; y < dim; y++) {
            for (int x = 0; x < dim; x++) {
                long bit = 1L << (x & 63);
                boolean flip = ((flipped[0][y][x >> 6] ^ flipped[mask][y][x >> 6]) & bit) != 0;
                out.set(x, y, flip ? in[y][x] ^ 1 : in[y][x]);
            }
        }
        int format = formatBits(level, mask);
        for (int i = 0; i < 15; i++) {
            int bit = (format >> i) & 1;
            out.set(FORMAT_COORDINATES[i][0], FORMAT_COORDINATES[i][1], bit);
            out.set(i < 8 ? dim - i - 1 : 8, i < 8 ? 8 : dim - 7 + (i - 8), bit);
        }
        return out;
    }

    private static Layout layout(int version) {
        int dim = 17 + 4 * version;
        if (dim > MAX_MODULES) {
            throw new IllegalArgumentException("version " + version + " is wider than " + MAX_MODULES + " modules");
        }
        boolean[] f = new boolean[dim * dim];
        region(f, dim, 0, 0, 9, 9);
        region(f, dim, dim - 8, 0, 8, 9);
        region(f, dim, 0, dim - 8, 9, 8);
        int[] centers = Version.getVersionForNumber(version).getAlignmentPatternCenters();
        int last = centers.length - 1;
        for (int i = 0; i <= last; i++) {
            for (int j = 0; j <= last; j++) {
                if (!(i == 0 && (j == 0 || j == last) || i == last && j == 0)) {
                    region(f, dim, centers[i] - 2, centers[j] - 2, 5, 5);
                }
            }
        }
        region(f, dim, 6, 9, 1, dim - 17);
        region(f, dim, 9, 6, dim - 17, 1);
        if (version > 6) {
            region(f, dim, dim - 11, 0, 3, 6);
            region(f, dim, 0, dim - 11, 6, 3);
        }
        long[][][] maskRows = new long[8][dim][2];
        long[][][] maskColumns = new long[8][dim][2];
        for (int mask = 0; mask < 8; mask++) {
            for (int y = 0; y < dim; y++) {
                for (int x = 0; x < dim; x++) {
                    if (!f[y * dim + x] && flips(mask, x, y)) {
                        maskRows[mask][y][x >> 6] |= 1L << (x & 63);
                        maskColumns[mask][x][y >> 6] |= 1L << (y & 63);
                    }
                }
            }
        }
        return new Layout(dim, maskRows, maskColumns);
    }

    private static void region(boolean[] f, int dim, int left, int top, int width, int height) {
        for (int y = top; y < top + height; y++) {
            for (int x = left; x < left + width; x++) {
                f[y * dim + x] = true;
            }
        }
    }

    /** Whether mask {@code mask} flips the data module at column x, row y (ISO/IEC 18004 table 10). */
    static boolean flips(int mask, int x, int y) {
        int product = x * y;
        int value = switch (mask) {
            case 0 -> (y + x) & 1;
            case 1 -> y & 1;
            case 2 -> x % 3;
            case 3 -> (y + x) % 3;
            case 4 -> ((y / 2) + (x / 3)) & 1;
            case 5 -> (product & 1) + (product % 3);
            case 6 -> ((product & 1) + (product % 3)) & 1;
            case 7 -> ((product % 3) + ((y + x) & 1)) & 1;
            default -> throw new IllegalArgumentException("mask " + mask);
        };
        return value == 0;
    }

    /** The 15 format bits (BCH(15,5) of level and mask, XOR 0x5412), bit i for the i-th position. */
    static int formatBits(ErrorCorrectionLevel level, int mask) {
        int info = (level.getBits() << 3) | mask;
        int bch = info << 10;
        for (int top = 14; top >= 10; top--) {
            if ((bch >> top & 1) != 0) {
                bch ^= 0x537 << (top - 10);
            }
        }
        return ((info << 10) | bch) ^ 0x5412;
    }

    /** The four penalty rules on the rows and the columns, as ZXing's MaskUtil scores them. */
    static int penalty(long[][] rows, long[][] columns, int dim) {
        Line line = new Line(dim);
        int penalty = 0;
        int dark = 0;
        for (int i = 0; i < dim; i++) {
            penalty += line.runs(rows[i]) + line.runs(columns[i]);
            penalty += 40 * (line.finderLike(rows[i]) + line.finderLike(columns[i]));
            dark += Long.bitCount(rows[i][0]) + Long.bitCount(rows[i][1]);
            if (i + 1 < dim) {
                penalty += 3 * line.blocks(rows[i], rows[i + 1]);
            }
        }
        int total = dim * dim;
        return penalty + Math.abs(dark * 2 - total) * 10 / total * 10;
    }
}
