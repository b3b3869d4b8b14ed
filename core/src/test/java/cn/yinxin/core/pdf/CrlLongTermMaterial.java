package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.revocation.CrlMaker;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.cms.TimeStamper;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small hierarchy for the levels above B-B, all in this process: root, an issuing CA, a seal and a TSA, a
 * time-stamper answering from the TSA directly, and CRLs from both CAs as the revocation source.
 */
public final class CrlLongTermMaterial {

    public final X509Certificate root;
    public final SealKey sealKey;
    final TimeStamper timeStamper;
    final RevocationSource revocation;

    public CrlLongTermMaterial() throws Exception {
        Instant now = Instant.now();
        KeyPair rootKeys = CertificateMaker.newEcKeyPair();
        root = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("LT Test Root"), rootKeys,
                now.minus(Duration.ofDays(10)), Duration.ofDays(3650));
        SealKey rootKey = new SealKey(rootKeys.getPrivate(), List.of(root));
        KeyPair caKeys = CertificateMaker.newEcKeyPair();
        X509Certificate ca = CertificateMaker.issue(CertificateMaker.caSubject("LT Test CA"), caKeys.getPublic(),
                Profile.ISSUING_CA, root, rootKeys.getPrivate(), now.minus(Duration.ofDays(5)), Duration.ofDays(1000));
        SealKey caKey = new SealKey(caKeys.getPrivate(), List.of(ca, root));
        KeyPair sealKeys = CertificateMaker.newEcKeyPair();
        X509Certificate seal = CertificateMaker.issue(
                CertificateMaker.sealSubject("长期验证专用章", "测试局", "91350100M000100Y43"), sealKeys.getPublic(),
                Profile.AGENCY_SEAL, ca, caKeys.getPrivate(), now.minus(Duration.ofDays(1)), Duration.ofDays(365));
        sealKey = new SealKey(sealKeys.getPrivate(), List.of(seal, ca, root));
        KeyPair tsaKeys = CertificateMaker.newEcKeyPair();
        X509Certificate tsaCertificate = CertificateMaker.issue(CertificateMaker.caSubject("LT Test TSA"),
                tsaKeys.getPublic(), Profile.TIME_STAMPING, ca, caKeys.getPrivate(), now.minus(Duration.ofDays(1)),
                Duration.ofDays(365));
        AtomicLong serials = new AtomicLong();
        TimeStampAuthority tsa = new TimeStampAuthority(new SealKey(tsaKeys.getPrivate(), List.of(tsaCertificate, ca, root)),
                new ASN1ObjectIdentifier("2.25.1"), () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
        timeStamper = data -> stamp(tsa, data);
        Map<String, SealKey> issuers = Map.of(root.getSubjectX500Principal().getName(), rootKey,
                ca.getSubjectX500Principal().getName(), caKey);
        revocation = new RevocationSource() {
            @Override
            public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) {
                return null;
            }

            @Override
            public byte[] crl(X509Certificate certificate) throws GeneralSecurityException {
                SealKey issuer = issuers.get(certificate.getIssuerX500Principal().getName());
                // issued when asked, so after the signature's time-stamp: a CRL issued before it would prove
                // nothing about the signature (RevocationFreshness)
                return CrlMaker.make(issuer, BigInteger.ONE, Instant.now(), Instant.now().plus(Duration.ofDays(7)),
                        List.of());
            }
        };
    }

    private static byte[] stamp(TimeStampAuthority tsa, byte[] data) throws GeneralSecurityException {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        var request = generator.generate(TSPAlgorithms.SHA256, MessageDigest.getInstance("SHA-256").digest(data),
                BigInteger.valueOf(System.nanoTime()));
        try {
            var reply = tsa.respond(request.getEncoded());
            return new TimeStampResponse(reply.der()).getTimeStampToken().getEncoded();
        } catch (Exception e) {
            throw new GeneralSecurityException("the test TSA did not answer: " + e.getMessage(), e);
        }
    }

    public PdfSealer sealer() {
        return new PdfSealer(timeStamper, revocation);
    }
}
