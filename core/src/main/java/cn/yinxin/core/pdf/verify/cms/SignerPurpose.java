package cn.yinxin.core.pdf.verify.cms;

import cn.yinxin.core.pki.ca.CertificateMaker;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Certificates that serve the PKI and never sign documents: a time-stamping authority's (RFC 3161 2.3), an OCSP
 * responder's (RFC 6960 4.2.2.2), the trust-list signer's, a GB/T 38540 seal maker's. Their keys sign tokens, answers
 * and seals all day, for anyone who asks; a document "sealed" with one proves no agency or person agreed to it.
 */
final class SignerPurpose {

    /** Extended key usages that make a certificate a service's, by OID (the trust-list signer's is our own). */
    private static final Map<String, String> SERVICE_PURPOSES = Map.of(
            KeyPurposeId.id_kp_timeStamping.getId(), "a time-stamping authority's certificate",
            KeyPurposeId.id_kp_OCSPSigning.getId(), "an OCSP responder's certificate",
            CertificateMaker.TRUST_LIST_SIGNING_PURPOSE, "the trust-list signer's certificate",
            CertificateMaker.SEAL_MAKING_PURPOSE, "a seal maker's certificate");

    private SignerPurpose() {
    }

    /** Why {@code certificate} cannot sign a document, or null when its key purposes allow it. */
    static String refusal(X509Certificate certificate) {
        List<String> purposes;
        try {
            purposes = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return "The signer's certificate has an extended key usage that cannot be read: what it is for is unknown.";
        }
        if (purposes == null) {
            return null;
        }
        for (String purpose : purposes) {
            String service = SERVICE_PURPOSES.get(purpose);
            if (service != null) {
                return "The signer's certificate is " + service + " (extended key usage " + purpose + "); "
                        + service + " cannot seal or sign a document.";
            }
        }
        return null;
    }
}
