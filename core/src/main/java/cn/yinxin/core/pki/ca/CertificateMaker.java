package cn.yinxin.core.pki.ca;

import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.keys.Signers;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
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

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Makes certificates for a CA hierarchy and what it certifies. The development PKI of keystores-sample and the
 * ca-service key ceremony and enrolments all go through here, so their certificates cannot differ.
 */
public final class CertificateMaker {

    /** What a certificate is for; decides its extensions. */
    public enum Profile {
        ROOT_CA, ISSUING_CA, AGENCY_SEAL, PERSONAL, TIME_STAMPING, OCSP_SIGNING, TRUST_LIST_SIGNING,
        /** The seal-making authority's key, which signs GB/T 38540 seals (SESeal). */
        SEAL_MAKING
    }

    /**
     * The extended key usage that makes a certificate a trust-list signer, and nothing else has: verifiers accept a
     * trust list only from a certificate carrying it, so no other key under the root (a seal, the TSA, an OCSP
     * signer) can sign one. Yinxin holds no enterprise number, so the OID is under the UUID arc 2.25 (ITU-T X.667,
     * RFC 4122 section 1: any UUID as one integer, no registration needed): UUID
     * 222b0927-000a-408e-87ef-4551e6fd152e. The CA issues it only in {@link Profile#TRUST_LIST_SIGNING}.
     */
    public static final String TRUST_LIST_SIGNING_PURPOSE = "2.25.45417206253201302306983065413585016110";

    /** Whether {@code certificate} carries the trust-list signer's key purpose. */
    public static boolean hasTrustListPurpose(X509Certificate certificate) {
        return hasPurpose(certificate, TRUST_LIST_SIGNING_PURPOSE);
    }

    /**
     * The extended key usage that makes a certificate a GB/T 38540 seal maker's (制章者), and nothing else has. A seal
     * names its esID, name and picture itself, signed by its maker: verifiers take a seal's identity only from a maker
     * whose certificate carries this purpose, so a seal, personal or service key under a trusted root cannot make
     * itself a seal in another agency's name. Under the UUID arc 2.25 as {@link #TRUST_LIST_SIGNING_PURPOSE}: UUID
     * 4e76808b-07cd-4d8d-a011-dd1e2ca59679. The CA issues it only in {@link Profile#SEAL_MAKING}.
     */
    public static final String SEAL_MAKING_PURPOSE = "2.25.104295081864088995739735493079445378681";

    /** Whether {@code certificate} carries the seal maker's key purpose. */
    public static boolean hasSealMakingPurpose(X509Certificate certificate) {
        return hasPurpose(certificate, SEAL_MAKING_PURPOSE);
    }

    private static boolean hasPurpose(X509Certificate certificate, String purpose) {
        try {
            List<String> purposes = certificate.getExtendedKeyUsage();
            return purposes != null && purposes.contains(purpose);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** Where relying parties find revocation data for a certificate: its issuer's CRL and OCSP responder. */
    public record RevocationPointers(String crlUrl, String ocspUrl) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateMaker() {
    }

    /** A fresh ECDSA P-256 key pair in memory (tests and the development PKI). */
    public static KeyPair newEcKeyPair() throws GeneralSecurityException {
        return KeyAlgorithm.EC_P256.generate(Providers.bouncyCastle());
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

    /** Subject of a personal signing certificate: name and resident ID number, nothing more. */
    public static X500Name personSubject(String name, String residentId) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "CN")
                .addRDN(BCStyle.SERIALNUMBER, residentId)
                .addRDN(BCStyle.CN, name)
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
        return build(subject, keys.getPublic(), Profile.ROOT_CA, subject, keys.getPrivate(), keys.getPublic(), null,
                notBefore, validity, null);
    }

    /** A self-signed root whose key is held by a key store (its private key may be a PKCS#11 handle). */
    public static X509Certificate selfSignedRoot(X500Name subject, PublicKey publicKey, PrivateKey privateKey,
                                                 Provider provider, Instant notBefore, Duration validity)
            throws GeneralSecurityException {
        return build(subject, publicKey, Profile.ROOT_CA, subject, privateKey, publicKey, provider, notBefore,
                validity, null);
    }

    public static X509Certificate issue(X500Name subject, PublicKey subjectKey, Profile profile,
                                        X509Certificate issuer, PrivateKey issuerKey,
                                        Instant notBefore, Duration validity) throws GeneralSecurityException {
        return issue(subject, subjectKey, profile, new SealKey(issuerKey, List.of(issuer)), notBefore, validity, null);
    }

    /** Issues a certificate signed by {@code issuer} (a key in its key store, with its certificate). */
    public static X509Certificate issue(X500Name subject, PublicKey subjectKey, Profile profile, SealKey issuer,
                                        Instant notBefore, Duration validity, RevocationPointers pointers)
            throws GeneralSecurityException {
        X509Certificate issuerCertificate = issuer.certificate();
        return build(subject, subjectKey, profile,
                X500Name.getInstance(issuerCertificate.getSubjectX500Principal().getEncoded()),
                issuer.privateKey(), issuerCertificate.getPublicKey(), issuer.provider(), notBefore, validity,
                pointers);
    }

    /** A random positive serial of 159 bits: unpredictable, as RFC 5280 and the CA/B rules ask. */
    public static BigInteger newSerial() {
        return new BigInteger(159, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate build(X500Name subject, PublicKey subjectKey, Profile profile,
                                         X500Name issuerName, PrivateKey issuerKey, PublicKey issuerPublicKey,
                                         Provider provider, Instant notBefore, Duration validity,
                                         RevocationPointers pointers) throws GeneralSecurityException {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, newSerial(),
                Date.from(notBefore), Date.from(notBefore.plus(validity)), subject, subjectKey);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuerPublicKey));
            addProfile(builder, profile);
            if (pointers != null) {
                addPointers(builder, profile, pointers);
            }
            var signer = Signers.of(issuerKey, issuerPublicKey, provider);
            return new JcaX509CertificateConverter().setProvider(Providers.bouncyCastle())
                    .getCertificate(builder.build(signer));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("certificate cannot be built: " + e.getMessage(), e);
        }
    }

    /** The extensions of a profile: what the certificate may be used for (RFC 5280 4.2.1.3, 4.2.1.9, 4.2.1.12). */
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
            case AGENCY_SEAL, PERSONAL -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            }
            case TIME_STAMPING -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
                // RFC 3161 2.3: the only extended key usage, and critical
                builder.addExtension(Extension.extendedKeyUsage, true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
            }
            case OCSP_SIGNING -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
                // RFC 6960 4.2.2.2.1: relying parties need not check the responder's own status
                builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            }
            case SEAL_MAKING -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
                // the only purpose, non-critical as the trust-list signer's: SesVerifier requires it explicitly
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        KeyPurposeId.getInstance(new ASN1ObjectIdentifier(SEAL_MAKING_PURPOSE))));
            }
            case TRUST_LIST_SIGNING -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                // the only purpose, so the key serves this role alone (non-critical: path builders that do not
                // know the OID must still build the chain; our verifiers require it explicitly)
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        KeyPurposeId.getInstance(new ASN1ObjectIdentifier(TRUST_LIST_SIGNING_PURPOSE))));
            }
        }
    }

    /** Where relying parties find the certificate's revocation: the CRL, and the OCSP responder (not for its own). */
    private static void addPointers(X509v3CertificateBuilder builder, Profile profile, RevocationPointers pointers)
            throws CertIOException {
        builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(new GeneralNames(
                        new GeneralName(GeneralName.uniformResourceIdentifier, pointers.crlUrl()))), null, null)}));
        if (profile != Profile.OCSP_SIGNING) {
            builder.addExtension(Extension.authorityInfoAccess, false, AuthorityInformationAccess.getInstance(
                    new DERSequence(new AccessDescription(AccessDescription.id_ad_ocsp,
                            new GeneralName(GeneralName.uniformResourceIdentifier,
                                    new DERIA5String(pointers.ocspUrl()))))));
        }
    }
}
