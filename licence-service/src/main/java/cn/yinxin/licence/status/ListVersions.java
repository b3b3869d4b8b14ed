package cn.yinxin.licence.status;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current version of each status list, shared by every instance of the licence service: a status change bumps
 * it (in its own transaction, so the bump commits with the change), and a kept list is served only while its
 * version is still the current one.
 */
public interface ListVersions {

    /** The current version of the list (0 before any change). */
    long current(String issuerCode, String typeCode);

    /** A status in the list changed, in the caller's transaction. */
    void bump(String issuerCode, String typeCode);

    /** For tests: one map standing in for the database that several instances share. */
    final class InMemory implements ListVersions {
        private final Map<String, Long> versions = new ConcurrentHashMap<>();

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
