package cn.yinxin.core.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.bouncycastle.cert.CertIOException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Makes keys and certificates for a CA hierarchy and the seals below it. The development PKI of
 * keystores-sample is made by this code; the ca-service key ceremony will be too.
 */
public final class CertificateMaker {

    /** What a certificate is for; decides its extensions. */
    public enum Profile { ROOT_CA, ISSUING_CA, AGENCY_SEAL }

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateMaker() {
    }

    /** A fresh ECDSA P-256 key pair (the default for seals: fast and compact signatures). */
    public static KeyPair newEcKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    public static KeyPair newRsaKeyPair(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits, RANDOM);
        return generator.generateKeyPair();
    }

    /** Subject of an agency seal certificate: the seal's name, the agency and its Unified Social Credit Code. */
    public static X500Name sealSubject(String sealName, String agency, String agencyCode) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "CN")
                .addRDN(BCStyle.O, agency)
                .addRDN(BCStyle.ORGANIZATION_IDENTIFIER, agencyCode)
                .addRDN(BCStyle.CN, sealName)
                .build();
    }

    public static X500Name caSubject(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "CN")
                .addRDN(BCStyle.O, "Yinxin")
                .addRDN(BCStyle.CN, name)
                .build();
    }

    public static X509Certificate selfSignedRoot(X500Name subject, KeyPair keys, Instant notBefore, Duration validity)
            throws GeneralSecurityException {
        return issue(subject, keys.getPublic(), Profile.ROOT_CA, subject, keys.getPrivate(), keys.getPublic(),
                notBefore, validity);
    }

    public static X509Certificate issue(X500Name subject, PublicKey subjectKey, Profile profile,
                                        X509Certificate issuer, PrivateKey issuerKey,
                                        Instant notBefore, Duration validity) throws GeneralSecurityException {
        return issue(subject, subjectKey, profile, X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                issuerKey, issuer.getPublicKey(), notBefore, validity);
    }

    private static X509Certificate issue(X500Name subject, PublicKey subjectKey, Profile profile,
                                         X500Name issuerName, PrivateKey issuerKey, PublicKey issuerPublicKey,
                                         Instant notBefore, Duration validity) throws GeneralSecurityException {
        // 159 random bits: unpredictable serials as RFC 5280 and the CA/B rules ask, always positive.
        BigInteger serial = new BigInteger(159, RANDOM).add(BigInteger.ONE);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial,
                Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, subjectKey);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuerPublicKey));
            switch (profile) {
                case ROOT_CA -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }
                case ISSUING_CA -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }
                case AGENCY_SEAL -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
                }
            }
            var signer = new JcaContentSignerBuilder(SignatureAlgorithms.forKey(issuerPublicKey)).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("certificate cannot be built: " + e.getMessage(), e);
        }
    }
}
