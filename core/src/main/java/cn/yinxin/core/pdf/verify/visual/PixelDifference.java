package cn.yinxin.core.pdf.verify.visual;

import java.awt.Rectangle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where two renderings of one page differ: pixels whose colour differs by more than a tolerance (both renderings
 * come from the same renderer, so only real changes and their anti-aliased edges differ), grouped into regions by
 * cells of {@value #CELL} pixels that touch each other.
 */
final class PixelDifference {

    /** Cells this wide and high group differing pixels; neighbouring cells make one region. */
    static final int CELL = 8;

    /** A region in pixels and how many of its pixels differ. */
    record Region(Rectangle pixels, long differing) {
    }

    private PixelDifference() {
    }

    /**
     * @param a         one rendering, packed RGB, {@code width * height} (row by row)
     * @param b         the other, same size
     * @param tolerance largest difference of a colour channel (0-255) still taken for the same colour
     * @param most      most regions reported; the smallest beyond are merged into one
     */
    static List<Region> regions(int[] a, int[] b, int width, int height, int tolerance, int most) {
        int cellsX = (width + CELL - 1) / CELL;
        int cellsY = (height + CELL - 1) / CELL;
        int[] counts = cellCounts(a, b, width, height, tolerance, cellsX, cellsY);
        if (counts == null) {
            return List.of();
        }
        List<Region> regions = new ArrayList<>();
        boolean[] seen = new boolean[counts.length];
        for (int start = 0; start < counts.length; start++) {
            if (counts[start] == 0 || seen[start]) {
                continue;
            }
            regions.add(region(start, counts, seen, cellsX, cellsY, width, height));
        }
        regions.sort(Comparator.comparingLong(Region::differing).reversed());
        if (regions.size() > most) {
            // many scattered changes: the largest ones as they are, the rest as one box around them all
            List<Region> kept = new ArrayList<>(regions.subList(0, most - 1));
            Rectangle rest = null;
            long restCount = 0;
            for (Region r : regions.subList(most - 1, regions.size())) {
                rest = rest == null ? new Rectangle(r.pixels()) : rest.union(r.pixels());
                restCount += r.differing();
            }
            kept.add(new Region(rest, restCount));
            return kept;
        }
        return regions;
    }

    /** How many pixels differ in each cell of {@code CELL} x {@code CELL}, row by row; null when none does. */
    private static int[] cellCounts(int[] a, int[] b, int width, int height, int tolerance, int cellsX, int cellsY) {
        int[] counts = new int[cellsX * cellsY];
        boolean any = false;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int cellRow = (y / CELL) * cellsX;
            for (int x = 0; x < width; x++) {
                int p = a[row + x];
                int q = b[row + x];
                if (p != q && differs(p, q, tolerance)) {
                    counts[cellRow + x / CELL]++;
                    any = true;
                }
            }
        }
        return any ? counts : null;
    }

    /** The cells with differences touching cell {@code start} (8-neighbours), as one box in pixels. */
    private static Region region(int start, int[] counts, boolean[] seen, int cellsX, int cellsY, int width,
                                 int height) {
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        long differing = 0;
        seen[start] = true;
        queue.add(start);
        while (!queue.isEmpty()) {
            int cell = queue.poll();
            int cx = cell % cellsX;
            int cy = cell / cellsX;
            differing += counts[cell];
            minX = Math.min(minX, cx);
            minY = Math.min(minY, cy);
            maxX = Math.max(maxX, cx);
            maxY = Math.max(maxY, cy);
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = cx + dx;
                    int ny = cy + dy;
                    if (nx >= 0 && ny >= 0 && nx < cellsX && ny < cellsY) {
                        int next = ny * cellsX + nx;
                        if (counts[next] > 0 && !seen[next]) {
                            seen[next] = true;
                            queue.add(next);
                        }
                    }
                }
            }
        }
        Rectangle box = new Rectangle(minX * CELL, minY * CELL, (maxX - minX + 1) * CELL, (maxY - minY + 1) * CELL)
                .intersection(new Rectangle(0, 0, width, height));
        return new Region(box, differing);
    }

    static boolean differs(int p, int q, int tolerance) {
        return Math.abs(((p >> 16) & 0xff) - ((q >> 16) & 0xff)) > tolerance
                || Math.abs(((p >> 8) & 0xff) - ((q >> 8) & 0xff)) > tolerance
                || Math.abs((p & 0xff) - (q & 0xff)) > tolerance;
    }
}
