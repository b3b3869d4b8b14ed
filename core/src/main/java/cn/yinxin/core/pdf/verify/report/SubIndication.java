package cn.yinxin.core.pdf.verify.report;

/**
 * ETSI EN 319 102-1 sub-indications used by Yinxin. The revocation ones are listed from the most to the least
 * serious (a signature reports the most serious its chain has).
 */
public enum SubIndication {
    FORMAT_FAILURE,
    HASH_FAILURE,
    SIG_CRYPTO_FAILURE,
    NO_SIGNING_CERTIFICATE_FOUND,
    NO_CERTIFICATE_CHAIN_FOUND,
    /**
     * The signature is not what a PDF signature may be, though nothing in it is broken: more than one SignerInfo
     * (which of them the signer meant cannot be told).
     */
    SIG_CONSTRAINTS_FAILURE,
    /**
     * The signer's certificate is not for signing documents: a time-stamping authority's, an OCSP responder's or
     * a trust-list signer's certificate (its key purpose says so).
     */
    CHAIN_CONSTRAINTS_FAILURE,
    /**
     * The signature is intact, but made with an algorithm or key size no longer trusted to prove anything (SHA-1,
     * MD5, RSA under 2048 bits): a forger could have made it.
     */
    CRYPTO_CONSTRAINTS_FAILURE,
    OUT_OF_BOUNDS_NO_POE,
    NOT_YET_VALID,
    /** The signer's certificate expired before the time-stamp that proves when the signature was made. */
    EXPIRED,
    /** A certificate of the chain was revoked, and a time-stamp proves the signature was made after that. */
    REVOKED,
    /** A certificate of the chain was revoked, and nothing proves the signature was made before. */
    REVOKED_NO_POE,
    /** No revocation information could be had (offline, or the services did not answer): ask again later. */
    TRY_LATER
}
