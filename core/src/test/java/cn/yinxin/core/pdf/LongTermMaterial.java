package cn.yinxin.core.pdf;

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
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A root, an issuing CA with its delegated OCSP signer, a seal and a TSA from the test PKI (module test-pki), with
 * core's TSA and the test PKI's OCSP responder answering in memory: what B-T, B-LT and B-LTA need, without a
 * network.
 */
public final class LongTermMaterial {

    private static final String SEAL = "测试专用章";

    public final X509Certificate root;
    public final SealKey sealKey;
    private final TimeStampAuthority tsa;
    private final TestPki pki;

    /** The TSA's and the OCSP responder's clock: the system's, unless a test moves it. */
    public final MovableClock clock = new MovableClock();

    public LongTermMaterial() throws GeneralSecurityException {
        this(Duration.ofDays(1000));
    }

    /** With a seal certificate valid from 30 days ago for {@code sealValidity}. */
    public LongTermMaterial(Duration sealValidity) throws GeneralSecurityException {
        pki = TestPki.builder().clock(clock).root("Files Test Root").issuingCa("Files Test Seal CA")
                .identity(SEAL, Profile.SEAL, Status.GOOD, sealValidity)
                .identity("Files Test TSA", Profile.TIME_STAMPING, Status.GOOD).build();
        root = pki.root().certificate();
        sealKey = key(pki.identity(SEAL));
        AtomicLong serials = new AtomicLong();
        tsa = new TimeStampAuthority(key(pki.identity("Files Test TSA")), new ASN1ObjectIdentifier("2.25.7"),
                () -> BigInteger.valueOf(serials.incrementAndGet()), clock);
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
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

    /** OCSP answered in memory for every certificate below the root, at {@link #clock}. */
    public RevocationSource revocation() {
        return new RevocationSource() {
            @Override
            public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
                try {
                    return pki.ocsp(certificate);
                } catch (IOException e) {
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
        pki.revoke(SEAL, at, 1);
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
}
