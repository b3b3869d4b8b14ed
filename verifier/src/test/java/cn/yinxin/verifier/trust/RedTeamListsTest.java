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
 * Third red team, status lists: each test states the safe outcome and fails today.
 *
 * <p>The status list travels over plain HTTP (the default address is YINXIN_LICENCES_URL, http in the samples), so
 * whoever sits on the path (or a shared cache) can answer in the licence service's place. The list's signature
 * proves who made it, not when it was current: only its own {@code iat} can say that, and the verifier never bounds
 * it on the paths that report a list as "confirmed now".
 */
class RedTeamListsTest {

    /** A list server that serves whatever the test signed, with ETag/304, like the licence service. */
    final class Server implements AutoCloseable {
        final HttpServer http;
        final String uri;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicReference<Object[]> current = new AtomicReference<>();

        Server() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            uri = "http://127.0.0.1:" + http.getAddress().getPort() + "/api/v1/status-lists/11430000006122244L/T1";
            http.createContext("/api/v1/status-lists/", exchange -> {
                requests.incrementAndGet();
                Object[] served = current.get();
                if (served[1].equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
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
            http.start();
        }

        /** A list of {@code size} entries of {@code bits} bits, all 0 but {@code revoked} (value 1). */
        void publish(Instant issuedAt, Instant expiresAt, long ttl, int bits, int size, int... revoked) throws Exception {
            byte[] raw = new byte[(size * bits + 7) / 8];
            for (int i : revoked) {
                raw[i * bits / 8] |= (byte) (1 << ((i * bits) % 8));
            }
            Deflater deflater = new Deflater();
            deflater.setInput(raw);
            deflater.finish();
            byte[] zipped = new byte[64 + raw.length * 2];
            zipped = Arrays.copyOf(zipped, deflater.deflate(zipped));
            deflater.end();
            var claims = CwtClaims.builder().subject(uri).issuedAt(issuedAt.truncatedTo(ChronoUnit.SECONDS));
            if (expiresAt != null) {
                claims.expiresAt(expiresAt);
            }
            claims.put(65534, ttl);
            byte[] token = new QrSigner(key).coseSign1(claims.put(65533, Map.of("bits", bits, "lst", zipped)).build());
            current.set(new Object[] {token, "\"" + issuedAt.getEpochSecond() + "-" + Arrays.toString(revoked) + "\""});
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    @TempDir
    Path folder;

    private final TestClock clock =
            new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private SealKey key;
    private QrVerifier verifier;
    private Server server;
    private static final BiPredicate<X509Certificate, Instant> ISSUER_SEAL = (certificate, issuedAt) -> true;

    @BeforeEach
    void start() throws Exception {
        var keys = CertificateMaker.newEcKeyPair();
        X509Certificate certificate = CertificateMaker.selfSignedRoot(CertificateMaker.sealSubject("某局专用章", "某局",
                "11430000006122244L"), keys, clock.instant().minus(Duration.ofDays(2)), Duration.ofDays(30));
        key = new SealKey(keys.getPrivate(), List.of(certificate));
        verifier = new QrVerifier(List.of(certificate), clock);
        server = new Server();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** As the verticle makes it online, with the default settings (max age 4 s, ttl cap 1 h). */
    private StatusLists online() {
        return new StatusLists(folder, Duration.ofDays(7), ListSettings.DEFAULTS.statusListMaxAge(),
                ListSettings.DEFAULTS.statusListMaxTtl(), List.of(server.uri), clock);
    }

    /**
     * HOLE: a replayed list from before the revocation is taken as current when nothing is kept (a new verifier, a
     * restart without the disk folder, or after the kept one passed its exp). The licence service re-signs its list
     * every ttl/2 (30 min) and sets exp = iat + 24 ttl, so a list 20 hours old is genuine, unexpired, and says the
     * licence (revoked an hour after it) is valid. StatusLists.status answers it with fromCache=false and
     * confirmedAt=now: the verdict is VALID with "the status list from <20 h ago>" and nothing says how old.
     * Safe: a list whose iat is older than its (capped) ttl is not current; with nothing better it is
     * "cannot confirm".
     */
    @Test
    void aReplayedListFromBeforeTheRevocationIsNotTakenAsCurrent() throws Exception {
        Instant old = clock.instant().minus(Duration.ofHours(20));
        server.publish(old, old.plus(Duration.ofHours(24)), 3600, 2, 8); // index 1 still valid then
        StatusLists lists = online();
        assertThatThrownBy(() -> lists.status(server.uri, 1, verifier, ISSUER_SEAL, false))
                .as("a list issued 20 h ago, with a ttl of 1 h, is not the licence's status now")
                .isInstanceOf(IOException.class);
    }

    /**
     * HOLE: the kept list is "confirmed current" by any 304 (or by the same body served again: an equal iat is not
     * older), however old the list itself is. The licence service makes a new list (new iat, new ETag) after ttl/2,
     * so a 304 for a list issued three hours ago cannot come from it: a man on the (plain-HTTP) path that answers
     * 304 to every If-None-Match keeps a revoked licence VALID, as "confirmed current just now", until the list's
     * exp (24 h). The 4 s freshness promise then rests on an unauthenticated header.
     * Safe: a list older than its (capped) ttl is not confirmed by a 304; it answers only as a kept list (with its
     * age) or not at all.
     */
    @Test
    void a304DoesNotKeepAListOlderThanItsTtlCurrent() throws Exception {
        server.publish(clock.instant(), clock.instant().plus(Duration.ofHours(24)), 3600, 2, 8);
        StatusLists lists = online();
        assertThat(lists.status(server.uri, 1, verifier, ISSUER_SEAL, false).value()).isZero();
        // the licence is revoked at the licence service a minute later; the path keeps answering 304
        clock.advance(Duration.ofHours(3));
        StatusLists.Status answer;
        try {
            answer = lists.status(server.uri, 1, verifier, ISSUER_SEAL, false);
        } catch (IOException refused) {
            return; // safe: not confirmed
        }
        assertThat(answer.fromCache() || !answer.confirmedAt().isAfter(answer.listIssuedAt().plus(Duration.ofHours(1))))
                .as("a list issued 3 h ago (ttl 1 h) was reported as confirmed current at " + answer.confirmedAt()
                        + " by a 304")
                .isTrue();
    }

    /**
     * HOLE: {@code covers} computes {@code index * bitsPerEntry} in a long without overflow check. Index 2^62 with 2
     * bits per entry makes Long.MIN_VALUE, whose /8 is negative and so "< bits.length": covers says yes; the read
     * then casts bit/8 = -2^60 to int, which is 0, and answers licence 0's entry (measured: no exception, value of
     * entry 0). With 8 bits per entry, index 2^61 + k wraps to exactly k. The index is in a signed code, but any
     * user of any seal of the issuer can have the seal service sign a token, and the verifier must not trust the
     * arithmetic: a licence whose own entry does not exist is answered with another licence's status.
     * Safe: an index beyond the list is an IOException ("outside the status list").
     */
    @Test
    void aHugeIndexIsOutsideTheListNotAnOverflow() throws Exception {
        server.publish(clock.instant(), null, 3600, 2, 8);
        StatusLists lists = online();
        assertThatThrownBy(() -> lists.status(server.uri, 1L << 62, verifier, ISSUER_SEAL, false))
                .isInstanceOf(IOException.class);
    }

    /** The 8-bit form: licence 2^61 + 1 reads licence 1's entry (here revoked -> shows as revoked; 2^61+0 as valid). */
    @Test
    void aHugeIndexDoesNotWrapOntoAnotherLicencesEntry() throws Exception {
        server.publish(clock.instant(), null, 3600, 8, 8, 3);
        StatusLists lists = online();
        assertThat(lists.status(server.uri, 3, verifier, ISSUER_SEAL, false).value()).isEqualTo(1);
        assertThatThrownBy(() -> lists.status(server.uri, (1L << 61) + 3, verifier, ISSUER_SEAL, false))
                .as("index 2^61+3 is not index 3").isInstanceOf(IOException.class);
    }
    /**
     * HOLE: the path prefix is compared on the raw path after java.net.URI's normalize, which knows only "." and ".."
     * segments. "..;" (a ".." with a path parameter) passes as an ordinary segment, and Tomcat, the licence service's
     * server, strips path parameters and then resolves the "..": {@code /api/v1/status-lists/..;/..;/..;/actuator/x}
     * reaches {@code /actuator/x}. An encoded slash ("..%2F") passes the same way (servers that decode it before
     * routing, or a proxy in front that does). So a code can make the verifier GET any path of an allowed host, not
     * only its status lists, which is what the prefix promises.
     * Safe: a segment that is ".." once its path parameters are cut, and any %2F or %5C in the path, is refused.
     */
    @Test
    void aPathParameterDotDotDoesNotLeaveTheStatusListPrefix() {
        List<String> allowed = List.of("http://licences.example/api/v1/status-lists/");
        assertThat(ListSettings.allowed("http://licences.example/api/v1/status-lists/11430000006122244L/T1", allowed))
                .isTrue();
        assertThat(ListSettings.allowed("http://licences.example/api/v1/status-lists/..;/..;/..;/actuator/env", allowed))
                .as("..; is .. to Tomcat").isFalse();
        assertThat(ListSettings.allowed("http://licences.example/api/v1/status-lists/..%2F..%2F..%2Factuator", allowed))
                .as("an encoded slash").isFalse();
    }
    /**
     * HOLE (design): when the list server cannot be reached, the kept list answers until it is older than the trust
     * data's staleness limit (YINXIN_VERIFIER_MAX_STALENESS_SECONDS, 7 days), online as offline, and QrCheck gives
     * VALID for its 0 ("kept from before; ... old" in a reason, but verdict VALID). The list's own ttl (capped at 1 h)
     * says how long it may be believed; nothing enforces it on this path. Whoever can stop the verifier reaching the
     * licence service (drop its packets, overload it; no key needed) keeps a licence revoked after the last fetch
     * VALID for a week at an online verifier that promises revocations within 5 s.
     * Safe: past its (capped) ttl a kept list no longer answers VALID: "cannot confirm" (IOException here).
     */
    @Test
    void anUnreachableListServerDoesNotKeepAListPastItsTtlAnswering() throws Exception {
        server.publish(clock.instant(), clock.instant().plus(Duration.ofHours(24)), 3600, 2, 8);
        StatusLists lists = online();
        assertThat(lists.status(server.uri, 1, verifier, ISSUER_SEAL, false).value()).isZero();
        server.close(); // the licence is revoked now; the verifier's requests no longer get through
        clock.advance(Duration.ofHours(6));
        assertThatThrownBy(() -> lists.status(server.uri, 1, verifier, ISSUER_SEAL, false))
                .as("a list 6 h old, with a ttl of 1 h, while the server is unreachable").isInstanceOf(IOException.class);
    }
}
