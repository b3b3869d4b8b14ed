package cn.yinxin.core.ses;

import cn.yinxin.core.pki.Providers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * A certificate from a document (an SES_Signature's cert, a seal's maker certificate), parsed and every field a
 * verifier or a report reads touched once. Bouncy Castle decodes some fields lazily: a damaged notBefore, a key
 * point off the curve or a name that is not UTF-8 would otherwise throw IllegalStateException or
 * IllegalArgumentException later, out of a getter in the middle of a verification (a 500 instead of a report).
 * Here any such damage is one {@link IllegalArgumentException} that the caller turns into a FORMAT failure.
 */
public final class ReadableCertificate {

    private ReadableCertificate() {
    }

    /** The certificate, every field readable; IllegalArgumentException when it is not a certificate or damaged. */
    public static X509Certificate parse(byte[] der) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509",
                    Providers.bouncyCastle()).generateCertificate(new ByteArrayInputStream(der));
            certificate.getNotBefore();
            certificate.getNotAfter();
            certificate.getSerialNumber();
            certificate.getPublicKey();
            certificate.getKeyUsage();
            names(certificate.getSubjectX500Principal().getEncoded());
            names(certificate.getIssuerX500Principal().getEncoded());
            certificate.getSubjectX500Principal().getName();
            certificate.getIssuerX500Principal().getName();
            return certificate;
        } catch (Exception e) {
            throw new IllegalArgumentException("The certificate cannot be read (a damaged field): " + e.getMessage(),
                    e);
        }
    }

    /** Every attribute value as text, as the report shows CN, O and organizationIdentifier. */
    private static void names(byte[] encoded) {
        for (RDN rdn : X500Name.getInstance(encoded).getRDNs()) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                IETFUtils.valueToString(value.getValue());
            }
        }
    }
}
