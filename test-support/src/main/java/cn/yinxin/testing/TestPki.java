package cn.yinxin.testing;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.ca.CertificateMaker.RevocationPointers;
import cn.yinxin.core.pki.revocation.CertificateStatus;
import cn.yinxin.core.pki.revocation.CrlMaker;
import cn.yinxin.core.pki.revocation.OcspResponder;
import cn.yinxin.core.pki.revocation.Revocation;
import cn.yinxin.core.pki.keys.SealKey;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An offline PKI with named identities, in the spirit of EU DSS's PKI factory: a root, an issuing CA with its
 * OCSP signer and CRL, and one seal identity per case a relying party must handle. Nothing here needs a network:
 * the OCSP responder and the CRL are answered in memory.
 */
public final class TestPki {

    /** The cases. */
    public enum Identity {
        /** Valid, not revoked. */
        GOOD,
        /** Revoked for key compromise an hour ago. */
        REVOKED,
        /** Suspended (certificateHold). */
        SUSPENDED,
        /** Expired yesterday. */
        EXPIRED,
        /** Issued by a CA nobody trusts. */
        UNKNOWN_ISSUER,
        /** Its OCSP address points at a closed port. */
        OCSP_UNREACHABLE
    }

    public static final String OCSP_URL = "http://localhost:1/test-pki/ocsp";

    private final SealKey root;
    private final SealKey ca;
    private final SealKey ocspSigner;
    private final Map<Identity, SealKey> identities = new EnumMap<>(Identity.class);
    private final Map<BigInteger, Revocation> revocations = new HashMap<>();

    public TestPki() throws GeneralSecurityException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant start = now.minus(Duration.ofDays(30));
        KeyPair rootKeys = CertificateMaker.newEcKeyPair();
        X509Certificate rootCertificate = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Test PKI Root"),
                rootKeys, start, Duration.ofDays(3650));
        root = new SealKey(rootKeys.getPrivate(), List.of(rootCertificate));
        ca = issue(CertificateMaker.caSubject("Test PKI Seal CA"), Profile.ISSUING_CA, root, start, Duration.ofDays(1000), null);
        var pointers = new RevocationPointers("http://localhost:1/test-pki/ca.crl", "http://localhost:1/test-pki/ocsp");
        ocspSigner = issue(CertificateMaker.caSubject("Test PKI OCSP"), Profile.OCSP_SIGNING, ca, start, Duration.ofDays(100), null);
        for (Identity identity : Identity.values()) {
            var subject = CertificateMaker.sealSubject("seal " + identity.name().toLowerCase(), "测试局", "91350100M000100Y43");
            SealKey key = switch (identity) {
                case EXPIRED -> issue(subject, Profile.AGENCY_SEAL, ca, start, Duration.ofDays(29), pointers);
                case UNKNOWN_ISSUER -> {
                    KeyPair strangerKeys = CertificateMaker.newEcKeyPair();
                    var stranger = new SealKey(strangerKeys.getPrivate(), List.of(CertificateMaker.selfSignedRoot(
                            CertificateMaker.caSubject("Stranger CA"), strangerKeys, start, Duration.ofDays(100))));
                    yield issue(subject, Profile.AGENCY_SEAL, stranger, start, Duration.ofDays(100), null);
                }
                case OCSP_UNREACHABLE -> issue(subject, Profile.AGENCY_SEAL, ca, start, Duration.ofDays(100),
                        new RevocationPointers("http://localhost:1/test-pki/unreachable.crl", OCSP_URL));
                default -> issue(subject, Profile.AGENCY_SEAL, ca, start, Duration.ofDays(100), pointers);
            };
            identities.put(identity, key);
        }
        revoke(Identity.REVOKED, now.minus(Duration.ofHours(1)), 1);
        revoke(Identity.SUSPENDED, now.minus(Duration.ofHours(2)), Revocation.CERTIFICATE_HOLD);
    }

    public SealKey identity(Identity identity) {
        return identities.get(identity);
    }

    public X509Certificate root() {
        return root.certificate();
    }

    public X509Certificate ca() {
        return ca.certificate();
    }

    /** What the issuing CA knows of a serial. */
    public CertificateStatus status(BigInteger serial) {
        Revocation r = revocations.get(serial);
        if (r != null) {
            return new CertificateStatus.Revoked(r.revokedAt(), r.reason());
        }
        boolean issued = identities.entrySet().stream().anyMatch(e -> e.getKey() != Identity.UNKNOWN_ISSUER
                && e.getValue().certificate().getSerialNumber().equals(serial));
        return issued ? CertificateStatus.GOOD : CertificateStatus.UNKNOWN;
    }

    /** The issuing CA's OCSP responder, answering in memory. */
    public OcspResponder ocsp() throws GeneralSecurityException {
        return new OcspResponder(List.of(new OcspResponder.Authority("test-ca", ca.certificate(), ocspSigner, this::status)),
                Duration.ofMinutes(10), Clock.systemUTC());
    }

    /** The issuing CA's current CRL. */
    public byte[] crl() throws GeneralSecurityException {
        Instant now = Instant.now();
        return CrlMaker.make(ca, BigInteger.ONE, now, now.plus(Duration.ofDays(1)), revocations.values());
    }

    private void revoke(Identity identity, Instant at, int reason) {
        BigInteger serial = identities.get(identity).certificate().getSerialNumber();
        revocations.put(serial, new Revocation(serial, at, reason));
    }

    private static SealKey issue(org.bouncycastle.asn1.x500.X500Name subject, Profile profile, SealKey issuer,
                                 Instant start, Duration validity, RevocationPointers pointers)
            throws GeneralSecurityException {
        KeyPair keys = CertificateMaker.newEcKeyPair();
        X509Certificate certificate = CertificateMaker.issue(subject, keys.getPublic(), profile, issuer, start, validity,
                pointers);
        var chain = new java.util.ArrayList<X509Certificate>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        return new SealKey(keys.getPrivate(), chain);
    }
}
