package cn.yinxin.bench;

import java.util.Arrays;
import java.util.List;

/** What every benchmark's command line and summary share. */
final class Runs {

    private Runs() {
    }

    /** The value after {@code name} on the command line, or the fallback. */
    static String option(String[] args, String name, String fallback) {
        int at = Arrays.asList(args).indexOf(name);
        return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
    }

    /** The median of the rounds: one disturbed round (GC, the machine's other work) does not move it. */
    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
