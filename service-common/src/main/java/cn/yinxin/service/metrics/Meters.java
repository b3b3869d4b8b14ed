package cn.yinxin.service.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The names of Yinxin's own meters, in one place so that docs/operations.md (what to alert on) and the code agree.
 * Prometheus shows them with dots as underscores and counters with {@code _total}: {@code yinxin.calls} is
 * {@code yinxin_calls_seconds_bucket/_count/_sum}, {@code yinxin.stamps} is {@code yinxin_stamps_total}. Tags have
 * few values each (outcome, level, target, ...): never a person, a document or a licence number.
 */
public final class Meters {

    /** Stamps by {@code outcome} (stamped, replayed, refused, failed) and {@code level} (B-B ... B-LTA). */
    public static final String STAMPS = "yinxin.stamps";
    /** Licence lifecycle acts by {@code action} (issue, renew, ...), {@code outcome} (done, refused, failed) and {@code level}. */
    public static final String LICENCES = "yinxin.licences";
    /** Calls to another service by {@code target} (tsa, ocsp, crl, ca, seal-service) and {@code outcome}; a histogram. */
    public static final String CALLS = "yinxin.calls";
    /** Failures to open, create, use or destroy a key in a key store (PKCS#12 or HSM), by {@code operation}. */
    public static final String KEY_STORE_ERRORS = "yinxin.keystore.errors";
    /** Entries appended to the audit chain, by {@code action}. */
    public static final String AUDIT_APPENDS = "yinxin.audit.appends";
    /** Rows of bulk licence imports finished, by {@code outcome} (done, failed, retry). */
    public static final String IMPORT_ROWS = "yinxin.imports.rows";

    private Meters() {
    }

    /** One more of a counter with tags given as name, value, name, value ... */
    public static void count(MeterRegistry registry, String name, String... tags) {
        Counter.builder(name).tags(tags).register(registry).increment();
    }

    /**
     * Runs a call to another service and records how long it took and whether it answered ({@code ok}) or failed
     * ({@code failed}, the exception is thrown on as it was).
     */
    public static <T, E extends Exception> T call(MeterRegistry registry, String target, Call<T, E> call) throws E {
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            T result = call.run();
            outcome = "ok";
            return result;
        } finally {
            callTimer(registry, target, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The timer of calls to {@code target} that ended with {@code outcome}: a histogram, so quantiles can be read. */
    public static Timer callTimer(MeterRegistry registry, String target, String outcome) {
        return Timer.builder(CALLS).description("Calls to other services (TSA, OCSP, CA, seal service)")
                .tag("target", target).tag("outcome", outcome).publishPercentileHistogram().register(registry);
    }

    /** A call that may throw a checked exception of one type. */
    @FunctionalInterface
    public interface Call<T, E extends Exception> {
        T run() throws E;
    }

}
