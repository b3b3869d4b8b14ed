package cn.yinxin.verifier.http;

import cn.yinxin.core.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The verifier's metrics, in Prometheus's text format at {@code GET /metrics} for callers with the monitoring role
 * (anonymous 401, any other role 403: the verifier faces the internet, and its traffic is nobody else's business).
 * Micrometer directly (no Spring here): the HTTP routes as a histogram ({@code http.server.requests}, as the Spring
 * services name theirs), verifications by kind, verdict and problem type ({@code yinxin.verifications}), how old the
 * oldest kept status list is ({@code yinxin.verifier.status.list.age}), the JVM. Tags have few values: never a
 * document, a code or a person.
 */
final class VerifierMetrics {

    static final String MONITORING = "monitoring";
    static final String PATH = "/metrics";
    static final String VERIFICATIONS = "yinxin.verifications";
    static final String STATUS_LIST_AGE = "yinxin.verifier.status.list.age";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    VerifierMetrics() {
        registry.config().commonTags("application", "verifier");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Seconds since the oldest kept status list was last confirmed by its server (NaN while none is kept). */
    void statusListAge(Supplier<Double> seconds) {
        Gauge.builder(STATUS_LIST_AGE, () -> seconds.get()).baseUnit("seconds")
                .description("Time since the oldest status list the verifier keeps was last confirmed by its server")
                .register(registry);
    }

    /** A first handler: times each request until its answer is written, by route (its pattern) and status. */
    void timeRequests(RoutingContext ctx) {
        long start = System.nanoTime(); // a duration, not a time of day: monotonic, not the verifier's Clock
        ctx.addEndHandler(done -> {
            String route = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "other"
                    : ctx.currentRoute().getPath();
            int status = ctx.response().getStatusCode();
            Timer.builder("http.server.requests").tag("method", ctx.request().method().name()).tag("uri", route)
                    .tag("status", String.valueOf(status)).tag("outcome", outcome(status))
                    .publishPercentileHistogram().register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
        ctx.next();
    }

    private static String outcome(int status) {
        return status >= 500 ? "SERVER_ERROR" : status >= 400 ? "CLIENT_ERROR" : status >= 300 ? "REDIRECTION" : "SUCCESS";
    }

    /** One verification answered: its kind (pdf, ofd, qr, qr-image, presentation), verdict and problem type. */
    void verified(String kind, String verdict, String problem) {
        Counter.builder(VERIFICATIONS).description("Verifications answered, by kind, verdict and problem type")
                .tag("kind", kind).tag("verdict", verdict == null ? "none" : verdict)
                .tag("problem", problem == null ? "none" : problem.replace(Problem.TYPE_PREFIX, ""))
                .register(registry).increment();
    }

    /** A PDF report (ReportMaps' shape): its verdict, and the first signature's sub-indication as its problem. */
    void verifiedPdf(JsonObject report) {
        verifiedDocument("pdf", report);
    }

    /** An OFD report: the PDF report's shape, counted as kind "ofd". */
    void verifiedOfd(JsonObject report) {
        verifiedDocument("ofd", report);
    }

    private void verifiedDocument(String kind, JsonObject report) {
        String problem = null;
        if (report.getValue("signatures") instanceof JsonArray signatures) {
            for (Object signature : signatures) {
                if (signature instanceof JsonObject one && one.getValue("subIndication") instanceof String sub) {
                    problem = sub;
                    break;
                }
            }
        }
        verified(kind, report.getString("verdict"), problem);
    }

    /** A QR answer (code, photo, presentation): its verdict and problem. */
    void verified(String kind, JsonObject answer) {
        verified(kind, answer.getString("verdict"), answer.getValue("problem") instanceof String p ? p : null);
    }

    /** GET /metrics: the scrape for the monitoring role; anyone else is refused, as on the Spring services. */
    void scrape(RoutingContext ctx) {
        SignIn.Caller caller = SignIn.caller(ctx);
        if (caller == SignIn.Caller.ANONYMOUS) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"yinxin\"");
            Problems.send(ctx, Problem.NOT_SIGNED_IN, "The metrics are for the monitoring role: send its access token.");
            return;
        }
        if (!caller.roles().contains(MONITORING)) {
            Problems.send(ctx, Problem.ACCESS_DENIED, "Your roles do not allow GET " + PATH + " (it needs monitoring).");
            return;
        }
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(registry.scrape());
    }
}
