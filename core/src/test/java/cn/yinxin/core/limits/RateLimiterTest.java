package cn.yinxin.core.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstPassesThenTheNextWaitsForItsToken() {
        RateLimiter limiter = new RateLimiter(2, 3, 100);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("10.0.0.1", 0)).isZero();
        }
        assertThat(limiter.acquire("10.0.0.1", 0)).isEqualTo(1);
        // another client has its own bucket
        assertThat(limiter.acquire("10.0.0.2", 0)).isZero();
        // half a second at 2 a second gives one token back
        assertThat(limiter.acquire("10.0.0.1", SECOND / 2)).isZero();
        assertThat(limiter.acquire("10.0.0.1", SECOND / 2)).isEqualTo(1);
    }

    @Test
    void retryAfterCountsWholeSecondsAtASlowRate() {
        RateLimiter limiter = new RateLimiter(0.1, 1, 100);
        assertThat(limiter.acquire("a", 0)).isZero();
        assertThat(limiter.acquire("a", 0)).isEqualTo(10);
        assertThat(limiter.acquire("a", 4 * SECOND)).isEqualTo(6);
    }

    @Test
    void theTableForgetsTheClientSeenLeastRecentlyPastItsCap() {
        RateLimiter limiter = new RateLimiter(1, 1, 2);
        limiter.acquire("a", 0);
        limiter.acquire("b", 0);
        assertThat(limiter.acquire("a", 0)).isPositive(); // a is now the most recent
        limiter.acquire("c", 0);                          // b goes
        assertThat(limiter.clients()).isEqualTo(2);
        assertThat(limiter.acquire("a", 0)).isPositive(); // a was kept, still empty
        assertThat(limiter.acquire("b", 0)).isZero();     // b was forgotten: a full bucket again
    }

    @Test
    void noRateMeansNoLimit() {
        RateLimiter limiter = new RateLimiter(0, 1, 1);
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire("a", 0)).isZero();
        }
        assertThat(limiter.clients()).isZero();
    }
}
