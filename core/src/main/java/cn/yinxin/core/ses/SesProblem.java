package cn.yinxin.core.ses;

/** Why a seal or a seal signature is not valid. */
public enum SesProblem {
    /** Not a DER structure of GB/T 38540 v4 or GM/T 0031-2014 v1 (wrong header, version, layout, timeInfo). */
    FORMAT,
    /** The seal maker's signature does not verify. */
    MAKER_SIGNATURE,
    /**
     * The maker's certificate does not chain to a trusted root, may not sign, or is not a seal maker's (no
     * seal-making key purpose): who made the seal is not known, so the seal cannot be confirmed.
     */
    MAKER_CERTIFICATE,
    /** The seal is outside its validity window (validStart..validEnd) at the time that counts. */
    SEAL_NOT_VALID,
    /** The signer's signature over TBS_Sign does not verify. */
    SIGNATURE,
    /** The signer's certificate is not in the seal's certList (as certificate or digest). */
    SIGNER_NOT_IN_CERT_LIST,
    /** The signer's certificate does not chain to a trusted root, or was not valid at the signing time. */
    SIGNER_CERTIFICATE,
    /** dataHash is not the hash of the data. */
    DATA_HASH,
    /** The time-stamp does not verify, is not over the signature, or comes from an untrusted TSA. */
    TIME_STAMP
}
