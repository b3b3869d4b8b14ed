package cn.yinxin.core.pki.revocation;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Signers;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;

/** Full CRLs (RFC 5280), signed by the CA's own key. */
public final class CrlMaker {

    private CrlMaker() {
    }

    /** The DER of a CRL listing {@code revoked}, numbered {@code number}. */
    public static byte[] make(SealKey ca, BigInteger number, Instant thisUpdate, Instant nextUpdate,
                              Collection<Revocation> revoked) throws GeneralSecurityException {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (Revocation r : revoked) {
            builder.addCRLEntry(r.serial(), Date.from(r.revokedAt()), r.reason());
        }
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
            return builder.build(Signers.of(ca)).getEncoded();
        } catch (IOException e) {
            throw new GeneralSecurityException("CRL cannot be built: " + e.getMessage(), e);
        }
    }
}
