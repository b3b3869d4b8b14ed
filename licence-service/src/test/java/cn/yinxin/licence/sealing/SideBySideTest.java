package cn.yinxin.licence.sealing;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OFD's part of an issuance runs beside the PDF's with the caller's signing source and request id, its refusal
 * comes back as the same refusal, and a full pool runs the part on the caller's thread instead of refusing it.
 */
class SideBySideTest {

    private final SideBySide sideBySide = new SideBySide();

    @AfterEach
    void stop() {
        sideBySide.stop();
        MDC.clear();
    }

    @Test
    void thePartCarriesTheCallersSigningSourceAndRequestId() {
        MDC.put("requestId", "req-42");
        String[] seen = SealService.from("licence-service:bulk-import:job/3", () -> SideBySide.join(
                sideBySide.start(() -> new String[] {SigningSource.current(), MDC.get("requestId"),
                        Thread.currentThread().getName()})));
        assertThat(seen[0]).isEqualTo("licence-service:bulk-import:job/3");
        assertThat(seen[1]).isEqualTo("req-42");
        assertThat(seen[2]).startsWith("side-by-side-");
        MDC.put("requestId", "req-43");
        String[] next = SideBySide.join(sideBySide.start(() -> new String[] {SigningSource.current(), MDC.get("requestId")}));
        assertThat(next).as("the next part: the next caller's").containsExactly("licence-service", "req-43");
    }

    @Test
    void aRefusalComesBackAsTheSameRefusal() {
        RejectedException refusal = new RejectedException(Problem.SEAL_SERVICE_UNAVAILABLE, "down");
        CompletableFuture<Object> part = sideBySide.start(() -> {
            throw refusal;
        });
        assertThatThrownBy(() -> SideBySide.join(part)).isSameAs(refusal);
    }

    /**
     * A part started once the pool is shut down (the service stopping while an import worker or a request is still
     * issuing) still ends, on the caller's thread: a dropped part's future would never end (review finding).
     */
    @Test
    void aPartStartedWhileTheServiceStopsStillEnds() {
        SideBySide stopped = new SideBySide();
        stopped.stop();
        CompletableFuture<String> part = stopped.start(() -> Thread.currentThread().getName());
        assertThat(part).succeedsWithin(java.time.Duration.ofSeconds(10)).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aFullPoolRunsThePartOnTheCallersThread() throws Exception {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<String>> busy = new ArrayList<>();
        for (int i = 0; i < threads; i++) {   // every thread busy (there is no queue)
            busy.add(sideBySide.start(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Thread.currentThread().getName();
            }));
        }
        String caller = Thread.currentThread().getName();
        assertThat(SideBySide.join(sideBySide.start(() -> Thread.currentThread().getName()))).isEqualTo(caller);
        release.countDown();
        busy.forEach(SideBySide::join);
    }
}
