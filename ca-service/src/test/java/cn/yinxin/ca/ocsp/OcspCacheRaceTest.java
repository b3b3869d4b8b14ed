package cn.yinxin.ca.ocsp;

import cn.yinxin.ca.CaProperties;
import cn.yinxin.ca.certificates.CertificateStore;
import cn.yinxin.ca.certificates.IssuedCertificate;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.revocation.CertificateStatus;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A revocation committed while a nonce-less OCSP answer is being signed: the answer read GOOD just before the commit,
 * the commit emptied the cache, and the answer was then put there and served GOOD for half its validity (5 minutes
 * with the default 10) to every later client, the verifier included. A status change now keeps such an answer out.
 */
class OcspCacheRaceTest {

    private static final BigInteger SERIAL = BigInteger.valueOf(0x5EA1);

    @TempDir
    Path dir;

    /** A certificate store whose first status read stops until told to go on (the read done before the commit). */
    static final class HeldStore extends CertificateStore {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch goOn = new CountDownLatch(1);
        volatile CertificateStatus status = CertificateStatus.GOOD;
        private volatile boolean held;

        HeldStore() {
            super(null);
        }

        @Override
        public CertificateStatus status(String issuer, BigInteger serial) {
            CertificateStatus read = status;
            if (!held) {
                held = true;
                reading.countDown();
                try {
                    goOn.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return read;
        }

        @Override
        public List<IssuedCertificate> all() {
            return List.of();
        }
    }

    @Test
    @Timeout(60)
    void anAnswerSignedAcrossARevocationIsNotServedAfterIt() throws Exception {
        CaHierarchy hierarchy = KeyCeremony.run(new Pkcs12Vault(dir.resolve("ca.p12"), "pw".toCharArray()),
                KeyCeremony.Plan.development("http://localhost:1", "http://localhost:1/ocsp"), step -> { });
        HeldStore store = new HeldStore();
        CaProperties properties = new CaProperties(null, null, 0, null, null, null, Duration.ofHours(24),
                Duration.ofMinutes(10), null, null, null);
        OcspService ocsp = new OcspService(hierarchy, store, properties, Clock.systemUTC());
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(hierarchy.ca(CaHierarchy.SEAL_CA).certificate()), SERIAL);
        byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();

        CompletableFuture<OcspService.Served> during = CompletableFuture.supplyAsync(() -> ocsp.answer(request));
        assertThat(store.reading.await(20, TimeUnit.SECONDS)).isTrue();
        // the revocation commits while that answer is signed (no transaction here: forgotten at once)
        store.status = new CertificateStatus.Revoked(Instant.now(), 1);
        ocsp.forgetAfterCommit();
        store.goOn.countDown();
        assertThat(revoked(during.get(20, TimeUnit.SECONDS))).as("the answer to the request made before").isFalse();

        assertThat(ocsp.ready(request)).as("kept for the next client").isNull();
        assertThat(revoked(ocsp.answer(request))).as("the next client's answer").isTrue();
        assertThat(revoked(ocsp.ready(request))).as("and kept").isTrue();
    }

    private static boolean revoked(OcspService.Served served) throws Exception {
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(served.answer().der()).getResponseObject();
        return basic.getResponses()[0].getCertStatus() instanceof RevokedStatus;
    }
}
