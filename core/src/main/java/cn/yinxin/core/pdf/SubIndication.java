package cn.yinxin.core.pdf;

/** ETSI EN 319 102-1 sub-indications used by Yinxin (more arrive with revocation and time-stamps). */
public enum SubIndication {
    FORMAT_FAILURE,
    HASH_FAILURE,
    SIG_CRYPTO_FAILURE,
    NO_SIGNING_CERTIFICATE_FOUND,
    NO_CERTIFICATE_CHAIN_FOUND,
    OUT_OF_BOUNDS_NO_POE,
    NOT_YET_VALID
}
