package cn.yinxin.testing.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;

/** A CA's CRL (RFC 5280 5): the revocations it knew of at {@code thisUpdate}, signed with the CA's own key. */
final class Crls {

    /** How long a CRL claims to be current; long enough for any test, short enough to be a real CRL. */
    static final Duration VALIDITY = Duration.ofDays(7);

    private Crls() {
    }

    static byte[] make(Identity issuer, KeyType keyType, BigInteger number, Instant thisUpdate,
                       Collection<Revocations.Entry> revoked) {
        X500Name name = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        X509v2CRLBuilder builder = new X509v2CRLBuilder(name, Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(thisUpdate.plus(VALIDITY)));
        try {
            for (Revocations.Entry entry : revoked) {
                if (!entry.at().isAfter(thisUpdate)) {
                    builder.addCRLEntry(entry.serial(), Date.from(entry.at()), new Extensions(new Extension(
                            Extension.reasonCode, false, CRLReason.lookup(entry.reason()).getEncoded())));
                }
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils()
                    .createAuthorityKeyIdentifier(issuer.certificate().getPublicKey()));
            return builder.build(Certificates.signer(issuer.privateKey(), keyType)).getEncoded();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("test CRL not made: " + e.getMessage(), e);
        }
    }

}
