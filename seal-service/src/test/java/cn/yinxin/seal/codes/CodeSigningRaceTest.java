package cn.yinxin.seal.codes;

import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.seal.administration.SealAdministration;
import cn.yinxin.seal.keys.CaClient;
import cn.yinxin.seal.keys.InMemoryCa;
import cn.yinxin.seal.registry.SealRegistry;
import cn.yinxin.seal.registry.SealUser;
import cn.yinxin.seal.keys.SealKeys;
import cn.yinxin.seal.registry.SealStore;
import cn.yinxin.service.security.Caller;
import cn.yinxin.testing.TestDatabase;
import cn.yinxin.testing.TestRevocationServer;
import org.junit.jupiter.api.AfterAll;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seal's status or the licence service's rights changed while a code or token was being signed with the seal. The
 * code signing read the seal before signing and committed after; a suspension or removal of rights that committed
 * in between was not seen, and a licence code or status list signed after it was handed out (a code signed inside a
 * suspension is VALID again once the seal is resumed). Here the signing is held just after it has read its seal,
 * while the change commits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot) on an embedded PostgreSQL")
class CodeSigningRaceTest {

    private static final TestRevocationServer revocation = new TestRevocationServer();
    private static final Path keystores = revocation.keystores();
    private static final String LICENCE_SERVICE_CLIENT = "yinxin-licence-service";
    private static final String[] LICENCE_SERVICE = {"X-Dev-Client", LICENCE_SERVICE_CLIENT,
            "X-Dev-Roles", "licence-service-client"};
    private static final Gate gate = new Gate();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SealAdministration administration;
    @Autowired
    SealRegistry registry;

    private final HttpClient http = HttpClient.newHttpClient();

    /** The CA in memory (a suspension asks it to hold the certificate); the seals held at the gate once read. */
    @TestConfiguration
    static class Beans {
        @Bean
        @Primary
        CaClient inMemoryCa() throws GeneralSecurityException {
            return new InMemoryCa(Clock.systemUTC());
        }

        @Bean
        @Primary
        SealRegistry gatedRegistry(SealStore store, SealKeys keys, Clock clock) {
            return new SealRegistry(store, keys, clock) {
                @Override
                public Usable usable(String id, Caller caller, Use use) {
                    Usable read = super.usable(id, caller, use);
                    gate.pass();
                    return read;
                }
            };
        }
    }

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("code_race"));
        registry.add("yinxin.seals.import-dir", () -> keystores.resolve("seals").toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.keystore.path", () -> keystores.resolve("seal-service/keys.p12").toString());
        registry.add("yinxin.stamp.tsa-url", () -> revocation.url() + "/tsa");
    }

    @AfterAll
    static void stop() {
        revocation.close();
    }

    /** The gate itself refuses nothing: a code held there with no change meanwhile is handed out. */
    @Test
    @Timeout(120)
    void aCodeHeldWithNoChangeMeanwhileIsHandedOut() throws Exception {
        long signed = audited("seal.sign-code");
        long refused = audited("seal.sign-code.refused");
        TextAnswer answer = signWhile("codes", licenceCode(), () -> { });
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).startsWith("YX1:");
        assertThat(audited("seal.sign-code")).isEqualTo(signed + 1);
    }

    @Test
    @Timeout(120)
    void aLicenceCodeSignedWhileItsSealIsSuspendedIsNotHandedOut() throws Exception {
        long signed = audited("seal.sign-code");
        long refused = audited("seal.sign-code.refused");
        TextAnswer answer = signWhile("codes", licenceCode(),
                () -> administration.suspend(SamplePki.SEAL_ID, "seal custodian on leave", "race-test"));
        try {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
            assertThat(answer.body()).contains("seal-not-usable").contains("suspended").doesNotContain("YX1:");
            assertThat(audited("seal.sign-code")).as("no signing record kept").isEqualTo(signed);
            assertThat(audited("seal.sign-code.refused")).as("the key's signature audited as refused")
                    .isEqualTo(refused + 1);
        } finally {
            administration.resume(SamplePki.SEAL_ID, "race-test");
        }
    }

    @Test
    @Timeout(120)
    void aStatusListSignedWhileTheLicenceServicesRightsAreRemovedIsNotHandedOut() throws Exception {
        long signed = audited("seal.sign-token");
        long refused = audited("seal.sign-token.refused");
        List<SealUser> users = registry.get(SamplePki.SEAL_ID).users();
        List<SealUser> others = users.stream().filter(u -> !u.client().equals(LICENCE_SERVICE_CLIENT)).toList();
        assertThat(others).hasSizeLessThan(users.size());
        TextAnswer answer = signWhile("tokens", statusList(),
                () -> administration.change(SamplePki.SEAL_ID, new SealAdministration.Change(null, null, others),
                        "race-test"));
        try {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
            assertThat(answer.body()).contains("seal-not-permitted").contains(LICENCE_SERVICE_CLIENT);
            assertThat(audited("seal.sign-token")).as("no signing record kept").isEqualTo(signed);
            assertThat(audited("seal.sign-token.refused")).as("the key's signature audited as refused")
                    .isEqualTo(refused + 1);
        } finally {
            administration.change(SamplePki.SEAL_ID, new SealAdministration.Change(null, null, users), "race-test");
        }
    }

    /** Asks for a signature, makes {@code change} (committed) while it waits with its seal read, lets it go on. */
    private TextAnswer signWhile(String form, CwtClaims claims, Runnable change) throws Exception {
        gate.hold();
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/seals/"
                        + SamplePki.SEAL_ID + "/" + form))
                .header("Content-Type", "application/cbor").headers(LICENCE_SERVICE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(claims.toCbor())).build();
        CompletableFuture<HttpResponse<byte[]>> signing = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            assertThat(gate.reached(60)).as("the signing read its seal").isTrue();
            change.run();
        } finally {
            gate.release();
        }
        // ISO-8859-1 keeps every byte of a token
        return new TextAnswer(signing.get(60, TimeUnit.SECONDS));
    }

    private long audited(String action) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = :a").param("a", action).query(Long.class)
                .single();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static CwtClaims licenceCode() {
        return new LicenceQr("1.2.156.3005.2.11410000MB00001749002." + UUID.randomUUID(), "11410000MB00001749002",
                "李四", "110105********002X", LocalDate.of(2020, 1, 1), null, SamplePki.AGENCY_CODE, now(), null, null)
                .toClaims();
    }

    private static CwtClaims statusList() {
        return CwtClaims.builder().subject("http://localhost/api/v1/status-lists/x/y").issuedAt(now())
                .put(65533, Map.of("bits", 2L, "lst", new byte[]{0})).build();
    }

    /** The status and body of an answer, the body as ISO-8859-1 text. */
    private record TextAnswer(int statusCode, String body) {
        TextAnswer(HttpResponse<byte[]> raw) {
            this(raw.statusCode(), new String(raw.body(), StandardCharsets.ISO_8859_1));
        }
    }

    /** Holds the first request that reads its seal after {@link #hold} until released. */
    static final class Gate {
        private final AtomicBoolean armed = new AtomicBoolean();
        private final AtomicReference<CountDownLatch> reached = new AtomicReference<>(new CountDownLatch(0));
        private final AtomicReference<CountDownLatch> open = new AtomicReference<>(new CountDownLatch(0));

        void hold() {
            reached.set(new CountDownLatch(1));
            open.set(new CountDownLatch(1));
            armed.set(true);
        }

        void pass() {
            if (armed.compareAndSet(true, false)) {
                reached.get().countDown();
                try {
                    open.get().await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        boolean reached(int seconds) throws InterruptedException {
            return reached.get().await(seconds, TimeUnit.SECONDS);
        }

        void release() {
            open.get().countDown();
        }
    }
}
