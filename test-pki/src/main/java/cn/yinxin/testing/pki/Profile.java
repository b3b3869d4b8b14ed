package cn.yinxin.testing.pki;

/**
 * What a certificate is for, which decides its extensions. Mirrors the profiles Yinxin's CA issues (RFC 5280
 * 4.2.1.3 key usage, 4.2.1.9 basic constraints, 4.2.1.12 extended key usage), written again here on purpose: a
 * verifier's tests should not get their certificates from the code they test.
 */
public enum Profile {
    ROOT_CA,
    /** Issues end-entity certificates only (path length 0). */
    ISSUING_CA,
    /** An agency seal: digitalSignature and nonRepudiation, not a CA. */
    SEAL,
    /** A person's signing certificate: the same key usage as a seal. */
    PERSONAL,
    /** RFC 3161 2.3: timeStamping as the only, critical extended key usage. */
    TIME_STAMPING,
    /**
     * The seal-making authority's key, which signs GB/T 38540 seals (SESeal): signs, is no CA, and carries Yinxin's
     * seal-making extended key usage (2.25.104295081864088995739735493079445378681) as its only purpose.
     */
    SEAL_MAKING,
    /** A delegated OCSP responder (RFC 6960 4.2.2.2): id-kp-OCSPSigning and id-pkix-ocsp-nocheck. */
    OCSP_SIGNING
}
