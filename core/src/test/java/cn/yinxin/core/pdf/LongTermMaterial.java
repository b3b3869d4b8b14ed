package cn.yinxin.core.pdf;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.ca.CertificateMaker.RevocationPointers;
import cn.yinxin.core.pki.revocation.CertificateStatus;
import cn.yinxin.core.pki.revocation.OcspResponder;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.cms.TimeStamper;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A root, an issuing CA with its delegated OCSP signer, a seal and a TSA, with the TSA and the OCSP responder
 * answering in memory: what B-T, B-LT and B-LTA need, without a network.
 */
public final class LongTermMaterial {

    public final X509Certificate root;
    public final SealKey sealKey;
    private final TimeStampAuthority tsa;
    private final OcspResponder ocsp;

    /** The TSA's and the OCSP responder's clock: the system's, unless a test moves it. */
    public final MovableClock clock = new MovableClock();

    /** Serial numbers the OCSP responder says are revoked, with the time of revocation. */
    private final java.util.Map<BigInteger, Instant> revoked = new java.util.concurrent.ConcurrentHashMap<>();

    public LongTermMaterial() throws GeneralSecurityException {
        this(Duration.ofDays(1000));
    }

    /** With a seal certificate valid from 30 days ago for {@code sealValidity}. */
    public LongTermMaterial(Duration sealValidity) throws GeneralSecurityException {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(30));
        KeyPair rootKeys = CertificateMaker.newEcKeyPair();
        root = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Files Test Root"), rootKeys, start,
                Duration.ofDays(3650));
        SealKey rootKey = new SealKey(rootKeys.getPrivate(), List.of(root));
        var pointers = new RevocationPointers("http://localhost:1/files-test/ca.crl", "http://localhost:1/files-test/ocsp");
        SealKey ca = issue(CertificateMaker.caSubject("Files Test Seal CA"), Profile.ISSUING_CA, rootKey, start, pointers);
        SealKey ocspSigner = issue(CertificateMaker.caSubject("Files Test OCSP"), Profile.OCSP_SIGNING, ca, start, null);
        sealKey = issue(CertificateMaker.sealSubject("测试专用章", "测试局", "91350100M000100Y43"), Profile.AGENCY_SEAL, ca,
                start, pointers, sealValidity);
        SealKey tsaKey = issue(CertificateMaker.caSubject("Files Test TSA"), Profile.TIME_STAMPING, ca, start, pointers);
        AtomicLong serials = new AtomicLong();
        tsa = new TimeStampAuthority(tsaKey, new ASN1ObjectIdentifier("2.25.7"),
                () -> BigInteger.valueOf(serials.incrementAndGet()), clock);
        ocsp = new OcspResponder(List.of(
                new OcspResponder.Authority("ca", ca.certificate(), ocspSigner, serial -> revoked.containsKey(serial)
                        ? new CertificateStatus.Revoked(revoked.get(serial), 1) : CertificateStatus.GOOD),
                new OcspResponder.Authority("root", root, rootKey, serial -> CertificateStatus.GOOD)),
                Duration.ofMinutes(10), clock);
    }

    /** The in-memory TSA; a stream is hashed as it is read, as an RFC 3161 client does. */
    public TimeStamper timeStamper() {
        return new TimeStamper() {
            @Override
            public byte[] timeStamp(byte[] data) throws GeneralSecurityException {
                return imprint(MessageDigest.getInstance("SHA-256").digest(data));
            }

            @Override
            public byte[] timeStamp(InputStream data) throws GeneralSecurityException, IOException {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (var sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
                    data.transferTo(sink);
                }
                return imprint(sha256.digest());
            }
        };
    }

    private byte[] imprint(byte[] sha256) throws GeneralSecurityException {
        try {
            TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
            generator.setCertReq(true);
            TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256, BigInteger.valueOf(System.nanoTime()));
            TimeStampResponse response = new TimeStampResponse(tsa.respond(request.getEncoded()).der());
            response.validate(request);
            return response.getTimeStampToken().getEncoded();
        } catch (Exception e) {
            throw new GeneralSecurityException("the test TSA failed: " + e.getMessage(), e);
        }
    }

    /** OCSP answered in memory for every certificate below the root. */
    public RevocationSource revocation() {
        return new RevocationSource() {
            @Override
            public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
                try {
                    CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                            .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
                    return ocsp.respond(new OCSPReqBuilder().addRequest(id).build().getEncoded()).der();
                } catch (Exception e) {
                    throw new GeneralSecurityException(e);
                }
            }

            @Override
            public byte[] crl(X509Certificate certificate) {
                return null;
            }
        };
    }

    /** From now on OCSP says the seal certificate was revoked (keyCompromise) at {@code at}. */
    public void revokeSeal(Instant at) {
        revoked.put(sealKey.certificate().getSerialNumber(), at);
    }

    /**
     * The system clock shifted by an offset a test sets: moments whole seconds apart (time-stamps and OCSP carry
     * whole seconds) at once, where waiting for them would take seconds.
     */
    public static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        public void shift(Duration by) {
            offset = offset.plus(by);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static SealKey issue(X500Name subject, Profile profile, SealKey issuer, Instant start,
                                 RevocationPointers pointers) throws GeneralSecurityException {
        return issue(subject, profile, issuer, start, pointers, Duration.ofDays(1000));
    }

    private static SealKey issue(X500Name subject, Profile profile, SealKey issuer, Instant start,
                                 RevocationPointers pointers, Duration validity) throws GeneralSecurityException {
        KeyPair keys = CertificateMaker.newEcKeyPair();
        X509Certificate certificate = CertificateMaker.issue(subject, keys.getPublic(), profile, issuer, start,
                validity, pointers);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        return new SealKey(keys.getPrivate(), chain);
    }
}
