package cn.yinxin.core.ses;

/**
 * Where a verifier asks a GB/T 38540 seal's own status at its issuer (a revoked or suspended seal is not a valid
 * seal, whatever its signatures say): for Yinxin's seals the seal service's registry, by esID (the seal's id).
 */
@FunctionalInterface
public interface SealStatusSource {

    /**
     * The status (ACTIVE, SUSPENDED, REVOKED, EXPIRED), or null when the issuer does not know the seal.
     *
     * @throws Exception when the status cannot be learnt now (the verdict is then "cannot tell")
     */
    String status(String esId) throws Exception;
}
