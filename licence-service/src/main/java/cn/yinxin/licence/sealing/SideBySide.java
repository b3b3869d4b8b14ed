package cn.yinxin.licence.sealing;

import jakarta.annotation.PreDestroy;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one part of a licence act beside the caller's thread (the OFD drawn and sealed while the PDF is), so that a
 * licence issued as both files waits for the longer of the two, not their sum. The part carries the caller's
 * request id (logs) and signing source (the seal service's signing records) and touches no database: the caller's
 * transaction stays on the caller's thread. When no pool thread is idle the part runs on the caller's thread (never
 * queued behind other requests' work, never refused), so under load it is what it was before: one after the other.
 */
@Component
public class SideBySide {

    private final ThreadPoolExecutor pool;

    public SideBySide() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        // no queue: a part no idle thread takes at once runs on the caller's thread, also once the pool is shut down
        // (CallerRunsPolicy drops it then, and its future would never end: a caller waiting for ever in its
        // transaction while the service stops)
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                work -> {
                    Thread thread = new Thread(work, "side-by-side-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, (work, executor) -> work.run());
        pool.allowCoreThreadTimeOut(true);
    }

    /** The part's result, to be {@linkplain #join joined} by the caller. */
    public <T> CompletableFuture<T> start(Supplier<T> part) {
        String source = SigningSource.current();
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        return CompletableFuture.supplyAsync(() -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            setContext(logContext);
            try {
                return SigningSource.from(source, part);
            } finally {
                setContext(before);
            }
        }, pool);
    }

    /** The part's result, or what it threw, as it threw it (a refusal stays the same refusal). */
    public static <T> T join(CompletableFuture<T> part) {
        try {
            return part.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static void setContext(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdown();
    }
}
