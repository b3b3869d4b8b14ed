package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.ca.CertificateMaker.RevocationPointers;
import cn.yinxin.core.pki.revocation.CertificateStatus;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.revocation.OcspResponder;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.cms.TimeStamper;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import java.io.IOException;
import java.math.BigInteger;
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
 * An all-SM2 PKI in memory: SM2 root, SM2 issuing CA with an SM2 OCSP signer, an SM2 seal, and an SM2 TSA that is
 * asked for SM3 imprints.
 */
public final class Sm2Material {

    public final X509Certificate root;
    public final SealKey sealKey;
    public final SealKey tsaKey;
    /** A GB/T 38540 seal maker, certified by the SM2 issuing CA. */
    public final SealKey sealMaker;
    /** Serials the OCSP responder says are revoked. */
    public final java.util.Set<BigInteger> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final TimeStampAuthority tsa;
    private final OcspResponder ocsp;

    public Sm2Material() throws GeneralSecurityException {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(30));
        KeyPair rootKeys = newSm2KeyPair();
        root = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("SM2 Test Root"), rootKeys, start,
                Duration.ofDays(3650));
        SealKey rootKey = new SealKey(rootKeys.getPrivate(), List.of(root));
        var pointers = new RevocationPointers("http://localhost:1/sm2-test/ca.crl", "http://localhost:1/sm2-test/ocsp");
        SealKey ca = issue(CertificateMaker.caSubject("SM2 Test Seal CA"), Profile.ISSUING_CA, rootKey, start, pointers);
        SealKey ocspSigner = issue(CertificateMaker.caSubject("SM2 Test OCSP"), Profile.OCSP_SIGNING, ca, start, null);
        sealKey = issue(CertificateMaker.sealSubject("测试专用章", "测试局", "91350100M000100Y43"), Profile.AGENCY_SEAL, ca,
                start, pointers);
        tsaKey = issue(CertificateMaker.caSubject("SM2 Test TSA"), Profile.TIME_STAMPING, ca, start, pointers);
        sealMaker = issue(CertificateMaker.caSubject("SM2 Test Seal Maker"), Profile.SEAL_MAKING, ca, start, pointers);
        AtomicLong serials = new AtomicLong();
        tsa = new TimeStampAuthority(tsaKey, new ASN1ObjectIdentifier("2.25.8"),
                () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
        ocsp = new OcspResponder(List.of(
                new OcspResponder.Authority("ca", ca.certificate(), ocspSigner, serial -> revoked.contains(serial)
                        ? new CertificateStatus.Revoked(Instant.now().minusSeconds(3600), 1) : CertificateStatus.GOOD),
                new OcspResponder.Authority("root", root, rootKey, serial -> CertificateStatus.GOOD)),
                Duration.ofMinutes(10), Clock.systemUTC());
    }

    static KeyPair newSm2KeyPair() throws GeneralSecurityException {
        return KeyAlgorithm.SM2.generate(Providers.bouncyCastle());
    }

    public SealRequest request(SignatureLevel level) throws IOException {
        return new SealRequest(sealKey, new SealAppearance(TestMaterial.redSquarePng(), 40, 40),
                new SealPlacement(1, 100, 100), "测试专用章", "approval", Instant.now(), level);
    }

    /** The in-memory SM2 TSA, asked for an SM3 imprint. */
    public TimeStamper timeStamper() {
        return data -> {
            try {
                byte[] sm3 = MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(data);
                TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
                generator.setCertReq(true);
                TimeStampRequest request = generator.generate(GMObjectIdentifiers.sm3, sm3,
                        BigInteger.valueOf(System.nanoTime()));
                TimeStampResponse response = new TimeStampResponse(tsa.respond(request.getEncoded()).der());
                response.validate(request);
                return response.getTimeStampToken().getEncoded();
            } catch (Exception e) {
                throw new GeneralSecurityException("the SM2 test TSA failed: " + e.getMessage(), e);
            }
        };
    }

    /** OCSP answered in memory (GOOD) for every certificate below the root. */
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

    static SealKey issue(X500Name subject, Profile profile, SealKey issuer, Instant start,
                         RevocationPointers pointers) throws GeneralSecurityException {
        KeyPair keys = newSm2KeyPair();
        X509Certificate certificate = CertificateMaker.issue(subject, keys.getPublic(), profile, issuer, start,
                Duration.ofDays(1000), pointers);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        return new SealKey(keys.getPrivate(), chain);
    }
}
