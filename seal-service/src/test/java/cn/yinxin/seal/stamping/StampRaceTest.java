package cn.yinxin.seal.stamping;

import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.seal.administration.SealAdministration;
import cn.yinxin.seal.keys.CaClient;
import cn.yinxin.seal.keys.InMemoryCa;
import cn.yinxin.seal.registry.SealUser;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import cn.yinxin.testing.TestTsa;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seal's status or a client's rights changed while a stamp with it was being made. A stamp reads its seal when it
 * starts and then signs, asks the TSA (and OCSP), for a second or more; a suspension, revocation or removal of the
 * client's rights that committed meanwhile was not seen, and the stamp was recorded, audited and answered (200) after
 * it. Here the stamp is held at the TSA while the change commits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the renewal last: it leaves the seal with another certificate
class StampRaceTest {

    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final Path keystores = revocation.keystores();
    private static final TestTsa tsa = startTsa();
    private static final GatedTsa gate = new GatedTsa(tsa.url());

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SealAdministration administration;
    @Autowired
    cn.yinxin.seal.registry.SealRegistry registry;

    private final HttpClient http = HttpClient.newHttpClient();

    /** The CA as the seal service sees it, in memory: a suspension asks it to hold the certificate. */
    @TestConfiguration
    static class Ca {
        @Bean
        @Primary
        CaClient inMemoryCa() throws GeneralSecurityException {
            return new InMemoryCa(Clock.systemUTC());
        }
    }

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("stamp_race"));
        registry.add("yinxin.seals.import-dir", () -> keystores.resolve("seals").toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.keystore.path", () -> keystores.resolve("seal-service/keys.p12").toString());
        registry.add("yinxin.stamp.tsa-url", gate::url);
        registry.add("yinxin.stamp.service-timeout", () -> "PT60S");
    }

    @AfterAll
    static void stop() {
        gate.close();
        tsa.close();
    }

    @Test
    @Order(1)
    @Timeout(120)
    void aStampUnderWayWhenItsSealIsSuspendedIsNotAnsweredAsStamped() throws Exception {
        long before = records();
        long refused = refusals();
        HttpResponse<String> answer = stampWhile(() -> administration.suspend(SamplePki.SEAL_ID,
                "seal custodian on leave", "race-test"));
        try {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
            assertThat(answer.body()).contains("seal-not-usable");
            assertThat(records()).as("no stamp recorded after the suspension").isEqualTo(before);
            assertThat(refusals()).as("the key's signature audited as a refused stamp").isEqualTo(refused + 1);
        } finally {
            administration.resume(SamplePki.SEAL_ID, "race-test");
        }
    }

    @Test
    @Order(2)
    @Timeout(120)
    void aStampUnderWayWhenTheClientsRightsAreRemovedIsNotAnsweredAsStamped() throws Exception {
        long before = records();
        long refused = refusals();
        List<SealUser> users = registry.get(SamplePki.SEAL_ID).users();
        List<SealUser> others = users.stream().filter(u -> !u.client().equals("development")).toList();
        HttpResponse<String> answer = stampWhile(() -> administration.change(SamplePki.SEAL_ID,
                new SealAdministration.Change(null, null, others), "race-test"));
        try {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
            assertThat(answer.body()).contains("seal-not-permitted");
            assertThat(records()).as("no stamp recorded after the rights were removed").isEqualTo(before);
            assertThat(refusals()).as("the key's signature audited as a refused stamp").isEqualTo(refused + 1);
        } finally {
            administration.change(SamplePki.SEAL_ID, new SealAdministration.Change(null, null, users), "race-test");
        }
    }

    /**
     * A renewal stored while a stamp that had opened the old key was under way: the stamp signed with the old
     * certificate after the renewal that is to end its use ("nothing can be signed with that certificate any more").
     */
    @Test
    @Order(3)
    @Timeout(120)
    void aStampUnderWayWhenItsSealIsRenewedIsNotAnsweredAsStamped() throws Exception {
        long before = records();
        long refused = refusals();
        String old = registry.get(SamplePki.SEAL_ID).caSerial();
        HttpResponse<String> answer = stampWhile(() -> {
            try {
                administration.renew(SamplePki.SEAL_ID, null, "race-test");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(registry.get(SamplePki.SEAL_ID).caSerial()).as("renewed").isNotEqualTo(old);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
        assertThat(answer.body()).contains("seal-not-usable");
        assertThat(records()).as("no stamp recorded with the old certificate after the renewal").isEqualTo(before);
        assertThat(refusals()).as("the key's signature audited as a refused stamp").isEqualTo(refused + 1);
    }

    /** Starts a B-T stamp, makes {@code change} (committed) while the stamp waits at the TSA, then lets it go on. */
    private HttpResponse<String> stampWhile(Runnable change) throws Exception {
        gate.hold();
        byte[] pdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));
        CompletableFuture<HttpResponse<String>> stamp = http.sendAsync(new Multipart()
                .file("file", "result.pdf", "application/pdf", pdf).field("sealId", SamplePki.SEAL_ID)
                .field("x", 150).field("y", 230).field("level", "B-T")
                .post(URI.create("http://localhost:" + port + "/api/v1/stamp")), HttpResponse.BodyHandlers.ofString());
        try {
            assertThat(gate.reached(60)).as("the stamp reached the TSA").isTrue();
            change.run();
        } finally {
            gate.release();
        }
        return stamp.get(60, TimeUnit.SECONDS);
    }

    /** Refused stamps of the sample seal whose key had signed (the race's refusals, not the choice's). */
    private long refusals() {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'stamp.refused' AND subject = :s "
                        + "AND details LIKE '%(signed, not handed out)%'")
                .param("s", cn.yinxin.seal.registry.Seal.auditSubject(SamplePki.SEAL_ID)).query(Long.class).single();
    }

    private long records() {
        return jdbc.sql("SELECT count(*) FROM stamp_record WHERE seal_id = :s").param("s", SamplePki.SEAL_ID)
                .query(Long.class).single();
    }

    private static TestTsa startTsa() {
        try {
            var vault = new Pkcs12Vault(keystores.resolve("ca/ca.p12"), SamplePki.PASSWORD.toCharArray());
            return new TestTsa(vault.get(CaHierarchy.TSA));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TSA in front of the test TSA that, when held, waits for {@link #release} before it answers. */
    static final class GatedTsa implements AutoCloseable {
        private final HttpServer server;
        private final HttpClient forward = HttpClient.newHttpClient();
        private final AtomicReference<CountDownLatch> reached = new AtomicReference<>(new CountDownLatch(0));
        private final AtomicReference<CountDownLatch> open = new AtomicReference<>(new CountDownLatch(0));

        GatedTsa(String target) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/tsa", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                reached.get().countDown();
                try {
                    open.get().await(60, TimeUnit.SECONDS);
                    var reply = forward.send(HttpRequest.newBuilder(URI.create(target))
                            .header("Content-Type", "application/timestamp-query")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    exchange.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
                    exchange.sendResponseHeaders(reply.statusCode(), reply.body().length);
                    exchange.getResponseBody().write(reply.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(503, -1);
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/tsa";
        }

        void hold() {
            reached.set(new CountDownLatch(1));
            open.set(new CountDownLatch(1));
        }

        boolean reached(int seconds) throws InterruptedException {
            return reached.get().await(seconds, TimeUnit.SECONDS);
        }

        void release() {
            open.get().countDown();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
