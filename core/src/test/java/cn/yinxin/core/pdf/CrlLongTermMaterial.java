package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;

import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.cms.TimeStamper;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small hierarchy for the levels above B-B, all in this process: root, an issuing CA, a seal and a TSA from the
 * test PKI (naming no revocation services), a time-stamper answering from core's TSA directly, and the test PKI's
 * CRLs of both CAs as the revocation source.
 */
public final class CrlLongTermMaterial {

    public final X509Certificate root;
    public final SealKey sealKey;
    final TimeStamper timeStamper;
    final RevocationSource revocation;

    public CrlLongTermMaterial() throws Exception {
        TestPki pki = TestPki.builder().root("LT Test Root").issuingCa("LT Test CA").revocationPointers(false)
                .notBefore(Instant.now().minus(Duration.ofDays(1))).validity(Duration.ofDays(365))
                .identity("长期验证专用章", Status.GOOD).identity("LT Test TSA", Profile.TIME_STAMPING, Status.GOOD)
                .build();
        root = pki.root().certificate();
        sealKey = key(pki.identity("长期验证专用章"));
        AtomicLong serials = new AtomicLong();
        TimeStampAuthority tsa = new TimeStampAuthority(key(pki.identity("LT Test TSA")),
                new ASN1ObjectIdentifier("2.25.1"), () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
        timeStamper = data -> stamp(tsa, data);
        revocation = new RevocationSource() {
            @Override
            public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) {
                return null;
            }

            @Override
            public byte[] crl(X509Certificate certificate) throws GeneralSecurityException {
                // issued when asked, so after the signature's time-stamp: a CRL issued before it would prove
                // nothing about the signature (RevocationFreshness)
                try {
                    return pki.crl(certificate);
                } catch (IOException e) {
                    throw new GeneralSecurityException(e);
                }
            }
        };
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
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
