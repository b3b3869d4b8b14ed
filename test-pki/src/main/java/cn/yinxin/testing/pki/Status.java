package cn.yinxin.testing.pki;

/**
 * What a relying party must find out about an identity's certificate: the cases a seal verifier has to tell apart.
 * The times are relative to the test PKI's clock when it is built.
 */
public enum Status {
    /** Valid now, not revoked, issued by the issuing CA. */
    GOOD,
    /** Revoked for keyCompromise (RFC 5280 reason 1) an hour before the PKI was built. */
    REVOKED,
    /** Suspended: certificateHold (reason 6) two hours before the PKI was built; {@link TestPki#lift} ends it. */
    ON_HOLD,
    /** Its validity ended a day before the PKI was built; the CA still answers GOOD for it (RFC 6960 allows). */
    EXPIRED,
    /** Issued by a self-signed CA outside the PKI, which no relying party trusts and the responder does not serve. */
    UNKNOWN_ISSUER,
    /** Its CRL and OCSP pointers name a closed port, and the in-memory responder does not answer for it. */
    OCSP_DOWN
}
