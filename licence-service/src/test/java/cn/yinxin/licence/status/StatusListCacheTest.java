package cn.yinxin.licence.status;

import cn.yinxin.licence.LicenceProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list read while a status change committed is served to the request that built it, but not kept: kept, it would
 * answer for half its time-to-live with a licence shown valid that was revoked while it was read. And a change made
 * by another instance on the same database replaces the list this instance kept.
 */
class StatusListCacheTest {

    private final LicenceProperties properties = new LicenceProperties(null, null, "http://localhost",
            Duration.ofMinutes(10), null, false, null, null);

    @Test
    void aListReadWhileAStatusChangedIsNotKept() {
        AtomicInteger builds = new AtomicInteger();
        StatusLists lists = new StatusLists(null, null, null, properties, new InMemoryVersions(), java.time.Clock.systemUTC()) {
            @Override
            Token build(String issuerCode, String typeCode, Instant now) {
                if (builds.incrementAndGet() == 1) {
                    changed(issuerCode, typeCode); // a revocation commits while this list is being read
                }
                return new Token(new byte[]{(byte) builds.get()}, "\"" + builds.get() + "\"", now);
            }
        };
        assertThat(lists.token("A", "T").etag()).isEqualTo("\"1\"");
        // the list from before the change was not kept: the next request reads the list again
        assertThat(lists.token("A", "T").etag()).isEqualTo("\"2\"");
        // that one is kept (nothing changed while it was read)
        assertThat(lists.token("A", "T").etag()).isEqualTo("\"2\"");
        assertThat(builds).hasValue(2);
    }

    @Test
    void aChangeMadeByAnotherInstanceReplacesTheKeptList() {
        ListVersions database = new InMemoryVersions();
        AtomicInteger builds = new AtomicInteger();
        StatusLists first = counting(database, builds);
        StatusLists second = counting(database, builds);
        String kept = second.token("A", "T").etag();
        assertThat(second.token("A", "T").etag()).as("kept while nothing changed").isEqualTo(kept);
        first.changed("A", "T");   // a revocation on the other instance
        assertThat(second.token("A", "T").etag()).isNotEqualTo(kept);
        assertThat(first.token("B", "T").etag()).as("another list is not touched").isNotNull();
        String other = first.token("B", "T").etag();
        first.changed("A", "T");
        assertThat(first.token("B", "T").etag()).isEqualTo(other);
    }

    private StatusLists counting(ListVersions database, AtomicInteger builds) {
        return new StatusLists(null, null, null, properties, database, java.time.Clock.systemUTC()) {
            @Override
            Token build(String issuerCode, String typeCode, Instant now) {
                int n = builds.incrementAndGet();
                return new Token(new byte[]{(byte) n}, "\"" + n + "\"", now);
            }
        };
    }

    /** One map standing in for the database that several instances share. */
    static final class InMemoryVersions implements ListVersions {
        private final java.util.Map<String, Long> versions = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public long current(String issuerCode, String typeCode) {
            return versions.getOrDefault(issuerCode + "/" + typeCode, 0L);
        }

        @Override
        public void bump(String issuerCode, String typeCode) {
            versions.merge(issuerCode + "/" + typeCode, 1L, Long::sum);
        }
    }
}
