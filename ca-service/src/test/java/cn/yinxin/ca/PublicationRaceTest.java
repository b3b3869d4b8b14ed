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
 * What the CA publishes (CRLs, the trust list) while a change to it commits. Two revocations under one CA at the same
 * moment (an administrator's script revoking an office's seals): each published a CRL listing only its own revocation
 * and those committed before, and the one with the later number, the CRL served, left the other revocation out until
 * the next CRL, 18 hours later; a verifier that asks the CRL (EU DSS when OCSP fails, ours offline of OCSP) saw that
 * certificate as good. The trust list: below.
 */
class PublicationRaceTest extends CaTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String AGENCY = "{\"sealName\":\"测试局专用章\",\"agency\":\"测试局\",\"agencyCode\":\""
            + cn.yinxin.keystores.SamplePki.AGENCY_CODE + "\"}";

    @Autowired
    EnrolmentService enrolments;
    @Autowired
    CrlPublisher crls;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    cn.yinxin.ca.trustlist.TrustListService trustLists;

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

    /**
     * A CA removed, and a publication asked for, while a publication begun before the removal (the scheduled one)
     * is still open: both took the same sequence, the one asked for failed, and the list served kept the removed CA.
     */
    @Test
    @Timeout(120)
    void aPublicationAskedForAfterARemovalLeavesTheCaOutWhileAnotherIsUnderWay() throws Exception {
        String other = otherCa();
        var registered = postJson("/api/v1/trust-list/cas", JSON.writeValueAsString(java.util.Map.of("name",
                "Other Province Race CA", "certificate", other, "trustedFor", java.util.List.of("AGENCY_SEALS"),
                "validUntil", java.time.Instant.now().plus(java.time.Duration.ofDays(10)).toString())));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String id = JSON.readTree(registered.body()).path("id").asString();
        CountDownLatch underWay = new CountDownLatch(1);
        CountDownLatch commitIt = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> scheduled = threads.submit(() -> new TransactionTemplate(transactions).executeWithoutResult(status -> {
                try {
                    trustLists.publish("system");
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
                underWay.countDown();
                await(commitIt);
            }));
            assertThat(underWay.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(URL + "/api/v1/trust-list/cas/"
                    + id)).DELETE().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
            Future<java.net.http.HttpResponse<String>> asked = threads.submit(() -> postJson("/api/v1/trust-list/publications", ""));
            try {
                asked.get(2, TimeUnit.SECONDS);
            } catch (TimeoutException waiting) {
                // it waits for the publication under way, as it should
            }
            commitIt.countDown();
            scheduled.get(30, TimeUnit.SECONDS);
            assertThat(asked.get(30, TimeUnit.SECONDS).statusCode()).as(asked.get().body()).isEqualTo(201);
        } finally {
            commitIt.countDown();
            threads.shutdownNow();
        }
        String served = trustLists.latest().orElseThrow().jws();
        String payload = new String(java.util.Base64.getUrlDecoder().decode(served.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(payload).doesNotContain("Other Province Race CA");
    }

    private String otherCa() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("trust-race");
        cn.yinxin.testing.Commands.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "other.key", "-subj",
                "/C=CN/O=Other Province/CN=Other Province Race CA", "-days", "30", "-out", "other.pem", "-addext",
                "basicConstraints=critical,CA:TRUE");
        return java.nio.file.Files.readString(dir.resolve("other.pem"));
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
