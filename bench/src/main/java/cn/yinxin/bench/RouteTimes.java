package cn.yinxin.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the wall time of a phase went inside a service, read from its own Prometheus text (the development login's
 * monitoring role): the time per call of every HTTP route it served ({@code http_server_requests_seconds}) and of
 * every call it made ({@code yinxin_calls_seconds}), as the difference of two readings.
 */
final class RouteTimes {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LINE = Pattern.compile(
            "^(http_server_requests_seconds|yinxin_calls_seconds)_(sum|count)\\{(.*)} ([0-9.eE+-]+)$");
    private static final Pattern TAG = Pattern.compile("(method|uri|target|status)=\"([^\"]*)\"");

    private final Map<String, double[]> sums;

    private RouteTimes(Map<String, double[]> sums) {
        this.sums = sums;
    }

    /** One reading of the service at {@code url}. */
    static RouteTimes read(String url) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/actuator/prometheus"))
                .header("X-Dev-Roles", "monitoring").build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            StringBuilder key = new StringBuilder(m.group(1).startsWith("http") ? "served " : "called ");
            Matcher tag = TAG.matcher(m.group(3));
            while (tag.find()) {
                key.append(tag.group(2)).append(' ');
            }
            double[] v = sums.computeIfAbsent(key.toString().trim(), k -> new double[2]);
            v[m.group(2).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(4));
        }
        return new RouteTimes(sums);
    }

    /** The lines "route: n calls, mean ms" of what happened between {@code before} and this reading. */
    String since(RouteTimes before, String service) {
        StringBuilder out = new StringBuilder();
        sums.forEach((key, v) -> {
            double[] b = before.sums.getOrDefault(key, new double[2]);
            double n = v[1] - b[1];
            if (n >= 1) {
                out.append(String.format("  %-14s %-60s %6.0f calls, %7.2f ms each%n", service, key, n,
                        (v[0] - b[0]) * 1000 / n));
            }
        });
        return out.toString();
    }
}
