package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;

import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.cms.TimeStamper;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.KeyType;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.tsp.TimeStampRequest;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An all-SM2 PKI in memory from the test PKI (module test-pki): SM2 root, SM2 issuing CA with an SM2 OCSP signer,
 * an SM2 seal, a seal maker, and an SM2 TSA (core's) that is asked for SM3 imprints.
 */
public final class Sm2Material {

    private static final String SEAL = "测试专用章";
    private static final String TSA = "SM2 Test TSA";
    private static final String MAKER = "SM2 Test Seal Maker";

    public final X509Certificate root;
    public final SealKey sealKey;
    public final SealKey tsaKey;
    /** A GB/T 38540 seal maker, certified by the SM2 issuing CA. */
    public final SealKey sealMaker;
    private final TimeStampAuthority tsa;
    private final TestPki pki;

    public Sm2Material() throws GeneralSecurityException {
        pki = TestPki.builder().keyType(KeyType.SM2).root("SM2 Test Root").issuingCa("SM2 Test Seal CA")
                .identity(SEAL, Status.GOOD).identity(TSA, Profile.TIME_STAMPING, Status.GOOD)
                .identity(MAKER, Profile.SEAL_MAKING, Status.GOOD).build();
        root = pki.root().certificate();
        sealKey = key(pki.identity(SEAL));
        tsaKey = key(pki.identity(TSA));
        sealMaker = key(pki.identity(MAKER));
        AtomicLong serials = new AtomicLong();
        tsa = new TimeStampAuthority(tsaKey, new ASN1ObjectIdentifier("2.25.8"),
                () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
    }

    /** From now on OCSP says {@code key}'s certificate was revoked (keyCompromise) an hour ago. */
    public void revoke(SealKey key) {
        pki.revoke(nameOf(key), Instant.now().minus(Duration.ofHours(1)), 1);
    }

    /** Every certificate in good standing again. */
    public void clearRevocations() {
        for (String name : List.of(SEAL, TSA, MAKER)) {
            pki.lift(name);
        }
    }

    private String nameOf(SealKey key) {
        return pki.identities().stream().filter(i -> i.certificate().equals(key.certificate())).findFirst()
                .orElseThrow().name();
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

    /** OCSP answered in memory by the test PKI for every certificate below the root. */
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
}
