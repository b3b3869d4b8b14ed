package cn.yinxin.core.licence;

/** Where a verifier learns a licence's live status (the licence service's /status, or a status list it keeps). */
@FunctionalInterface
public interface LicenceStatusSource {

    /**
     * The status (VALID, SUSPENDED, REVOKED, CANCELLED, EXPIRED, SUPERSEDED), or null when the licence is unknown.
     *
     * @throws Exception when the status cannot be learnt now (the verdict is then "cannot tell")
     */
    String status(String identifier) throws Exception;
}
