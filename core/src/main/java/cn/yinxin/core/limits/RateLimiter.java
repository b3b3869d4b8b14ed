package cn.yinxin.core.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per client (an IP address): each client may send {@code burst} requests at once and then
 * {@code perSecond} a second. The table of clients is bounded: past {@code maxClients} the client seen least
 * recently is forgotten (it starts again with a full bucket, which only favours a client that went quiet).
 * Shared by the verifier (Vert.x) and the Spring services' filter, so both refuse the same way.
 */
public final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets;

    /**
     * @param perSecond  sustained requests a second per client; 0 or less switches the limit off
     * @param burst      requests a client may send at once (at least 1)
     * @param maxClients the most clients remembered (memory: ~150 bytes each)
     */
    public RateLimiter(double perSecond, int burst, int maxClients) {
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be at least 1, not " + maxClients);
        }
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.buckets = new LinkedHashMap<>(Math.min(maxClients, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    /**
     * Takes one token from the client's bucket.
     *
     * @return 0 when the request may go on; otherwise the whole seconds (at least 1) until the next token, for
     *         the Retry-After header
     */
    public long acquire(String client, long nowNanos) {
        if (!enabled()) {
            return 0;
        }
        synchronized (buckets) {
            Bucket bucket = buckets.get(client);
            if (bucket == null) {
                bucket = new Bucket(burst, nowNanos);
                buckets.put(client, bucket);
            } else {
                double elapsed = Math.max(0, nowNanos - bucket.updated) / 1e9;
                bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
                bucket.updated = nowNanos;
            }
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
        }
    }

    public long acquire(String client) {
        return acquire(client, System.nanoTime());
    }

    /** How many clients are remembered now (bounded by maxClients). */
    public int clients() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
