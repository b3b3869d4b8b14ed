package cn.yinxin.core.ses;

import java.security.cert.X509Certificate;
import java.util.List;

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

    /**
     * The signer certificates the issuer made seal {@code esId} for, every one it has had (a renewal gives the seal a
     * new certificate; documents sealed before keep the old one), or null when this source cannot tell. A seal in a
     * document is only as true as its maker: a seal maker (SesVerifier requires its key purpose) can make a GB/T
     * 38540 seal naming one agency's esID, name and picture for another's certificate.
     *
     * @throws Exception when they cannot be learnt now
     */
    default List<X509Certificate> certificates(String esId) throws Exception {
        return null;
    }
}
