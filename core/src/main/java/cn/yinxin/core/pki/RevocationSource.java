package cn.yinxin.core.pki;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** Where revocation data for a certificate comes from: an OCSP responder or a CRL distribution point. */
public interface RevocationSource {

    /** A DER OCSPResponse about {@code certificate}, or null if it names no responder. */
    byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException;

    /** A DER CRL of {@code certificate}'s issuer, or null if it names no distribution point. */
    byte[] crl(X509Certificate certificate) throws GeneralSecurityException;
}
