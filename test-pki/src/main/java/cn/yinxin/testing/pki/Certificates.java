package cn.yinxin.testing.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

/** Builds one X.509 certificate of a {@link Profile}; the revocation pointers only when given. */
final class Certificates {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Yinxin's seal-making key purpose (core's CertificateMaker.SEAL_MAKING_PURPOSE), written again on purpose. */
    static final String SEAL_MAKING_PURPOSE = "2.25.104295081864088995739735493079445378681";

    /** Where relying parties look for a certificate's status: its issuer's CRL and OCSP responder. */
    record Pointers(String crlUrl, String ocspUrl) {
    }

    /** Who signs: the issuer's name and keys (the subject's own for a root). */
    record Signer(X500Name name, PrivateKey privateKey, PublicKey publicKey, KeyType keyType) {
    }

    private Certificates() {
    }

    static X509Certificate issue(X500Name subject, PublicKey subjectKey, Profile profile, Signer issuer,
                                 Instant notBefore, Instant notAfter, Pointers pointers) {
        // 159 random bits, positive: unpredictable serials as RFC 5280 4.1.2.2 and the CA/B rules ask
        BigInteger serial = new BigInteger(159, RANDOM).add(BigInteger.ONE);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.name(), serial,
                Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuer.publicKey()));
            addProfile(builder, profile);
            if (pointers != null) {
                addPointers(builder, profile, pointers);
            }
            return new JcaX509CertificateConverter().setProvider(Bc.PROVIDER)
                    .getCertificate(builder.build(signer(issuer.privateKey(), issuer.keyType())));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("test certificate not made: " + e.getMessage(), e);
        }
    }

    static ContentSigner signer(PrivateKey key, KeyType type) {
        try {
            return new JcaContentSignerBuilder(type.signatureAlgorithm).setProvider(Bc.PROVIDER).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no " + type + " signer: " + e.getMessage(), e);
        }
    }

    private static void addProfile(X509v3CertificateBuilder builder, Profile profile) throws CertIOException {
        switch (profile) {
            case ROOT_CA -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            case ISSUING_CA -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            case SEAL, PERSONAL -> endEntity(builder, KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
            case SEAL_MAKING -> {
                endEntity(builder, KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        KeyPurposeId.getInstance(new ASN1ObjectIdentifier(SEAL_MAKING_PURPOSE))));
            }
            case TIME_STAMPING -> {
                endEntity(builder, KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
                builder.addExtension(Extension.extendedKeyUsage, true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
            }
            case OCSP_SIGNING -> {
                endEntity(builder, KeyUsage.digitalSignature);
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
                // RFC 6960 4.2.2.2.1: a relying party need not ask about the responder's own certificate
                builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            }
        }
    }

    private static void endEntity(X509v3CertificateBuilder builder, int keyUsage) throws CertIOException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
    }

    /** The CRL distribution point, and the OCSP responder (AIA) except on the responder's own certificate. */
    private static void addPointers(X509v3CertificateBuilder builder, Profile profile, Pointers pointers)
            throws CertIOException {
        GeneralName crl = new GeneralName(GeneralName.uniformResourceIdentifier, pointers.crlUrl());
        builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(new GeneralNames(crl)), null, null)}));
        if (profile != Profile.OCSP_SIGNING) {
            builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier,
                    pointers.ocspUrl())));
        }
    }
}
