package cn.yinxin.verifier.trust;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.verifier.TestClock;
import cn.yinxin.verifier.config.ListSettings;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How fresh a licence status list must be, with the verifier's clock in the test's hand: online a kept list is asked
 * for again (conditionally) after a few seconds, so a revocation shows within 5 s; an index beyond the kept list asks
 * again at once; a list past its exp, or its capped time-to-live, is not used; an older list never replaces a newer
 * one; and a code cannot make the verifier fetch from an address outside the configured ones.
 */
class StatusListFreshnessTest {

    /**
     * The licence service's status list endpoint, in miniature: a signed list made when {@link #publish} is called
     * (as the licence service makes one when a status changes), ETag and 304 to If-None-Match, every request counted.
     */
    final class ListServer implements AutoCloseable {
        final HttpServer server;
        final String uri;
        final int[] statuses = new int[1000];
        final AtomicInteger size = new AtomicInteger(4);
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger notModified = new AtomicInteger();
        /** The list served: token and ETag. */
        final AtomicReference<Object[]> current = new AtomicReference<>();
        volatile boolean down;
        volatile long delayMillis;

        ListServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/status-lists/11430000006122244L/T1";
            server.createContext("/api/v1/status-lists/", exchange -> {
                requests.incrementAndGet();
                try {
                    // not a wait for an event: a slow list server, as a test sets it
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Object[] served = current.get();
                if (down) {
                    exchange.sendResponseHeaders(503, -1);
                } else if (served[1].equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    notModified.incrementAndGet();
                    exchange.getResponseHeaders().add("ETag", (String) served[1]);
                    exchange.sendResponseHeaders(304, -1);
                } else {
                    byte[] token = (byte[]) served[0];
                    exchange.getResponseHeaders().add("ETag", (String) served[1]);
                    exchange.sendResponseHeaders(200, token.length);
                    exchange.getResponseBody().write(token);
                }
                exchange.close();
            });
            server.start();
        }

        /** Signs the list as it is now, issued at {@code issuedAt}, with these exp and ttl claims (null: none). */
        void publish(Instant issuedAt, Instant expiresAt, Long ttl) throws Exception {
            byte[] bits = new byte[(size.get() * 2 + 7) / 8];
            for (int i = 0; i < size.get(); i++) {
                bits[i / 4] |= (byte) (statuses[i] << ((i % 4) * 2));
            }
            Deflater deflater = new Deflater();
            deflater.setInput(bits);
            deflater.finish();
            byte[] zipped = new byte[64 + bits.length * 2];
            zipped = Arrays.copyOf(zipped, deflater.deflate(zipped));
            deflater.end();
            var claims = CwtClaims.builder().subject(uri).issuedAt(issuedAt.truncatedTo(ChronoUnit.SECONDS));
            if (expiresAt != null) {
                claims.expiresAt(expiresAt);
            }
            if (ttl != null) {
                claims.put(65534, ttl);
            }
            byte[] token = new QrSigner(key).coseSign1(claims.put(65533, Map.of("bits", 2, "lst", zipped)).build());
            current.set(new Object[] {token, "\"v" + requests.get() + "-" + issuedAt.getEpochSecond() + "-" + size.get()
                    + Arrays.hashCode(statuses) + "\""});
        }

        void publish() throws Exception {
            publish(clock.instant(), null, 3600L);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @TempDir
    Path folder;

    private final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private SealKey key;
    private QrVerifier verifier;
    private ListServer server;
    private static final BiPredicate<X509Certificate, Instant> ISSUER_SEAL = (certificate, issuedAt) -> true;

    @BeforeEach
    void start() throws Exception {
        var keys = CertificateMaker.newEcKeyPair();
        X509Certificate certificate = CertificateMaker.selfSignedRoot(CertificateMaker.sealSubject("某局专用章", "某局",
                "11430000006122244L"), keys, clock.instant().minus(Duration.ofDays(1)), Duration.ofDays(30));
        key = new SealKey(keys.getPrivate(), List.of(certificate));
        verifier = new QrVerifier(List.of(certificate), clock);
        server = new ListServer();
        server.publish();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** As the verticle makes it online, with the default settings. */
    private StatusLists online() {
        return new StatusLists(folder, Duration.ofDays(7), ListSettings.DEFAULTS.statusListMaxAge(),
                ListSettings.DEFAULTS.statusListMaxTtl(), List.of(server.uri), clock);
    }

    private StatusLists offline(Duration maxTtl) {
        return new StatusLists(folder, Duration.ofDays(7), null, maxTtl, List.of(server.uri), clock);
    }

    private StatusLists.Status status(StatusLists lists, long index) throws IOException {
        return lists.status(server.uri, index, verifier, ISSUER_SEAL, false);
    }

    @Test
    void onlineARevocationShowsWithinFiveSecondsAndAnUnchangedListCostsA304() throws Exception {
        assertThat(ListSettings.DEFAULTS.statusListMaxAge()).isLessThanOrEqualTo(Duration.ofSeconds(5));
        StatusLists lists = online();
        assertThat(status(lists, 1).value()).isZero();
        assertThat(server.requests.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(3));
        StatusLists.Status kept = status(lists, 1);
        assertThat(kept.fromCache()).as("within a few seconds the kept list answers").isTrue();
        assertThat(server.requests.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2)); // 5 s: asked again; nothing changed, so a 304 confirms the kept list
        StatusLists.Status confirmed = status(lists, 1);
        assertThat(confirmed.value()).isZero();
        assertThat(confirmed.fromCache()).isFalse();
        assertThat(confirmed.confirmedAt()).isEqualTo(clock.instant());
        assertThat(server.notModified.get()).isEqualTo(1);

        server.statuses[1] = 1; // revoked: the licence service makes a new list
        server.publish();
        clock.advance(Duration.ofSeconds(5));
        assertThat(status(lists, 1).value()).as("the revocation, 5 s later").isEqualTo(1);
    }

    /**
     * Many scans at once while the list server hangs: one asks it, the others wait for that answer and take the
     * kept list, rather than each asking (and waiting out the timeout) in turn.
     */
    @Test
    void scansWaitingForOneFetchDoNotEachAskAgain() throws Exception {
        StatusLists lists = online();
        assertThat(status(lists, 1).value()).isZero();
        server.down = true;
        server.delayMillis = 1500; // long enough for all six to be waiting before it ends
        clock.advance(Duration.ofSeconds(10));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<StatusLists.Status>> scans = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                scans.add(pool.submit(() -> status(lists, 1)));
            }
            for (var scan : scans) {
                StatusLists.Status answer = scan.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(answer.value()).isZero();
                assertThat(answer.fromCache()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.requests.get()).as("one fetch for the six scans").isEqualTo(2);
    }

    @Test
    void anIndexBeyondTheKeptListAsksAgainBeforeAnswering() throws Exception {
        StatusLists lists = online();
        assertThat(status(lists, 3).value()).isZero();
        server.size.set(600); // hundreds of licences issued a moment later
        server.publish();
        assertThat(status(lists, 599).value()).as("no 'index outside the status list'").isZero();
        assertThat(server.requests.get()).isEqualTo(2);
        assertThatThrownBy(() -> status(lists, 700)).hasMessageContaining("outside the status list");
    }

    @Test
    void anOlderListNeverReplacesANewerKeptOne() throws Exception {
        server.statuses[1] = 1;
        server.publish();
        StatusLists lists = online();
        assertThat(status(lists, 1).value()).isEqualTo(1);
        // a list from before the revocation is served again (a replay, a stale cache on the way)
        server.statuses[1] = 0;
        server.publish(clock.instant().minus(Duration.ofMinutes(10)), null, 3600L);
        clock.advance(Duration.ofSeconds(6));
        StatusLists.Status answer = status(lists, 1);
        assertThat(answer.value()).as("the newer kept list still answers").isEqualTo(1);
        assertThat(answer.fromCache()).isTrue();
        assertThat(server.requests.get()).isEqualTo(2);
    }

    @Test
    void aListPastItsExpIsNotUsed() throws Exception {
        server.publish(clock.instant(), clock.instant().plusSeconds(30), 3600L);
        StatusLists lists = offline(Duration.ofHours(1));
        assertThat(status(lists, 1).value()).isZero();
        server.down = true;
        clock.advance(Duration.ofSeconds(20));
        assertThat(status(lists, 1).fromCache()).as("before exp the kept list answers").isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> status(lists, 1)).as("at exp it does not").hasMessageContaining("no status list");
    }

    @Test
    void aListsOwnTimeToLiveIsBoundedByTheConfiguration() throws Exception {
        server.publish(clock.instant(), null, 365L * 24 * 3600); // "keep me for a year"
        StatusLists lists = offline(Duration.ofSeconds(60));
        assertThat(status(lists, 1).value()).isZero();
        clock.advance(Duration.ofSeconds(59));
        status(lists, 1);
        assertThat(server.requests.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        status(lists, 1);
        assertThat(server.requests.get()).as("asked again after 60 s, not a year").isEqualTo(2);
    }

    @Test
    void aStatusListAddressOutsideTheConfiguredOnesIsNotFetched() throws Exception {
        StatusLists lists = new StatusLists(folder, Duration.ofDays(7), Duration.ofSeconds(5), Duration.ofHours(1),
                List.of("https://licences.example.gov.cn/api/v1/status-lists/"), clock);
        assertThatThrownBy(() -> status(lists, 1)).isInstanceOf(StatusLists.AddressNotAllowed.class)
                .hasMessageContaining("not fetched");
        assertThat(server.requests.get()).isZero();

        List<String> allowed = List.of("https://licences.example.gov.cn/api/v1/status-lists/");
        assertThat(ListSettings.allowed("https://licences.example.gov.cn/api/v1/status-lists/A/B", allowed)).isTrue();
        assertThat(ListSettings.allowed("https://LICENCES.example.gov.cn:443/api/v1/status-lists/A/B", allowed)).isTrue();
        for (String other : new String[] {"https://licences.example.gov.cn.evil.example/api/v1/status-lists/A",
                "https://licences.example.gov.cn@evil.example/api/v1/status-lists/A",
                "http://licences.example.gov.cn/api/v1/status-lists/A", "https://licences.example.gov.cn:8443/api/v1/status-lists/A",
                "https://licences.example.gov.cn/api/v1/status-lists/../../admin", "https://licences.example.gov.cn/api/v1/other",
                "https://licences.example.gov.cn/api/v1/status-lists/%2e%2e/x", "file:///etc/passwd", "not a uri"}) {
            assertThat(ListSettings.allowed(other, allowed)).as(other).isFalse();
        }
    }
}
