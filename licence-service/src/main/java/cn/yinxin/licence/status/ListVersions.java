package cn.yinxin.licence.status;

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
}
