package cn.yinxin.ca;

import cn.yinxin.ca.certificates.EnrolmentService;
import cn.yinxin.ca.crl.CrlPublisher;
import cn.yinxin.core.pki.ca.CaHierarchy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two revocations under one CA at the same moment (an administrator's script revoking an office's seals): each
 * published a CRL listing only its own revocation and those committed before, and the one with the later number,
 * the CRL served, left the other revocation out until the next CRL, 18 hours later. A verifier that asks the CRL
 * (EU DSS when OCSP fails, ours offline of OCSP) saw that certificate as good.
 */
class CrlPublicationRaceTest extends CaTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String AGENCY = "{\"sealName\":\"测试局专用章\",\"agency\":\"测试局\",\"agencyCode\":\""
            + cn.yinxin.keystores.SamplePki.AGENCY_CODE + "\"}";

    @Autowired
    EnrolmentService enrolments;
    @Autowired
    CrlPublisher crls;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    @Timeout(120)
    void twoRevocationsAtOnceAreBothInTheCrlServed() throws Exception {
        String first = enrol("crl-race-first");
        String second = enrol("crl-race-second");
        CountDownLatch firstPublished = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> one = threads.submit(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
                revoke(first);
                firstPublished.countDown();
                await(commitFirst);
            }));
            assertThat(firstPublished.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> two = threads.submit(() -> revoke(second));
            try {
                two.get(2, TimeUnit.SECONDS);   // without the lock it published (and committed) here
            } catch (TimeoutException waiting) {
                // it waits for the first revocation's CRL to commit, as it should
            }
            commitFirst.countDown();
            one.get(30, TimeUnit.SECONDS);
            two.get(30, TimeUnit.SECONDS);
        } finally {
            commitFirst.countDown();
            threads.shutdownNow();
        }
        X509CRL served = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(
                crls.latest(CaHierarchy.SEAL_CA).orElseThrow().der()));
        assertThat(served.getRevokedCertificate(new BigInteger(first, 16))).as("the first revocation").isNotNull();
        assertThat(served.getRevokedCertificate(new BigInteger(second, 16))).as("the second revocation").isNotNull();
    }

    private String enrol(String alias) throws Exception {
        var response = postJson("/api/v1/enrolments", "{\"profile\":\"AGENCY_SEAL\",\"generateKey\":{\"alias\":\""
                + alias + "\",\"algorithm\":\"EC_P256\"},\"subject\":" + AGENCY + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("serial").asString();
    }

    private void revoke(String serial) {
        try {
            enrolments.revoke(CaHierarchy.SEAL_CA, serial, "keyCompromise", "crl-race-test");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
