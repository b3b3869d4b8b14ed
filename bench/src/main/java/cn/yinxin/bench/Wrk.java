package cn.yinxin.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk run through bash, whose {@code times} then reports the CPU time wrk itself used (its children's user and system
 * time), with our Lua scripts' result line ({@code yinxin-wrk key=value ...}) read back: requests, latencies, errors,
 * and {@code wrk_cpu_us}, wrk's own CPU per request (left out of the service's CPU).
 */
final class Wrk {

    private static final Pattern WRK_LINE = Pattern.compile("yinxin-wrk (.*)");
    private static final Pattern TIMES = Pattern.compile("(?m)^(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s$");

    private Wrk() {
    }

    /** {@code wrk <arguments>} with {@code env} for the script, for {@code seconds} (+ 60 s before it is given up). */
    static Map<String, Double> run(List<String> arguments, Map<String, String> env, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "wrk \"$@\"; code=$?; times; exit $code", "wrk"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        Matcher line = WRK_LINE.matcher(output);
        if (!line.find()) {
            throw new IllegalStateException("wrk printed no result line:\n" + output);
        }
        Map<String, Double> values = new HashMap<>();
        for (String pair : line.group(1).trim().split("\\s+")) {
            String[] kv = pair.split("=");
            values.put(kv[0], Double.parseDouble(kv[1]));
        }
        values.put("errors", values.get("connect_errors") + values.get("read_errors") + values.get("write_errors")
                + values.get("timeouts"));
        Matcher times = TIMES.matcher(output);
        double wrkCpu = 0;
        for (int n = 0; times.find(); n++) {
            if (n == 1) { // the second line of `times`: the children (wrk)
                wrkCpu = seconds(times.group(1), times.group(2)) + seconds(times.group(3), times.group(4));
            }
        }
        values.put("wrk_cpu_us", wrkCpu * 1e6 / Math.max(1, values.get("requests")));
        return values;
    }

    private static double seconds(String minutes, String seconds) {
        return Integer.parseInt(minutes) * 60 + Double.parseDouble(seconds);
    }
}
