package cn.yinxin.core.pki.revocation;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** Where revocation data for a certificate comes from: an OCSP responder or a CRL distribution point. */
public interface RevocationSource {

    /** A DER OCSPResponse about {@code certificate}, or null if it names no responder. */
    byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException;

    /**
     * A DER OCSPResponse about {@code certificate} signed when asked, not one the responder signed ahead of time:
     * what a long-term document embeds must be issued after its signature's time-stamp to say anything about it
     * (cn.yinxin.core.pdf.verify.longterm.RevocationFreshness). By default the same as {@link #ocsp}.
     */
    default byte[] freshOcsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
        return ocsp(certificate, issuer);
    }

    /** A DER CRL of {@code certificate}'s issuer, or null if it names no distribution point. */
    byte[] crl(X509Certificate certificate) throws GeneralSecurityException;
}
