package cn.yinxin.verifier.trust;

import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.core.trust.TrustListRules;
import cn.yinxin.core.trust.TrustedCa.Purpose;
import cn.yinxin.core.trust.TrustedCa;
import cn.yinxin.verifier.TestClock;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.trust.seals.FetchedSealDirectory;
import cn.yinxin.verifier.trust.seals.SealDirectory;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verifier's trust list, with its clock in the test's hand: only the trust-list signer's list is believed (not
 * one signed by a seal key or the TSA key, though both chain to the same root); a list's sequence moves forward by a
 * bounded step, so a huge one cannot lock the genuine lists out; past nextUpdate + grace the list's CAs are not
 * trusted any more (fail closed) and the trust data is reported stale.
 */
class TrustListTest {

    private static HttpServer server;
    private static final AtomicReference<String> served = new AtomicReference<>("");
    private static String url;
    private static CaHierarchy hierarchy;
    private static Path trust;
    private static TrustedCa own;
    private static TrustedCa other;
    private static SealKey sealKey;
    private final TestClock clock =
            new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("trust-list-test");
        hierarchy = KeyCeremony.run(new Pkcs12Vault(dir.resolve("ca.p12"), "pw".toCharArray()),
                KeyCeremony.Plan.development("http://localhost:1", "http://localhost:1/ocsp"), step -> { });
        trust = Files.createDirectories(dir.resolve("trust"));
        Files.writeString(trust.resolve("root.pem"), Pem.encode(hierarchy.root().certificate()));
        Instant now = Instant.now();
        own = new TrustedCa("Yinxin Root CA", hierarchy.root().certificate(), EnumSet.allOf(Purpose.class),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(100)), true);
        X509Certificate otherRoot = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Other Province Root CA"),
                CertificateMaker.newEcKeyPair(), now.minus(Duration.ofDays(1)), Duration.ofDays(100));
        other = new TrustedCa("Other Province Root CA", otherRoot, EnumSet.of(Purpose.AGENCY_SEALS),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(100)), false);
        var keys = CertificateMaker.newEcKeyPair();
        sealKey = new SealKey(keys.getPrivate(), List.of(CertificateMaker.issue(
                CertificateMaker.sealSubject("某局专用章", "某局", "11430000006122244L"), keys.getPublic(),
                CertificateMaker.Profile.AGENCY_SEAL, hierarchy.sealCa(), now.minus(Duration.ofHours(1)),
                Duration.ofDays(30), null), hierarchy.sealCa().certificate(), hierarchy.root().certificate()));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/trust-list", exchange -> {
            byte[] body = served.get().getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/trust-list";
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private TrustAnchors anchors(TrustListRules rules, Path cache) throws Exception {
        VerifierConfig config = new VerifierConfig(0, trust, 1 << 20, url, cache, 300, true, 2);
        return new TrustAnchors(config.withLists(config.lists().withTrustList(Set.of(), rules)), clock);
    }

    private String list(long sequence, SealKey signer) throws Exception {
        Instant issued = clock.instant();
        return new TrustList(sequence, issued, issued.plus(Duration.ofDays(1)), List.of(own, other)).sign(signer);
    }

    @Test
    void aListSignedByASealKeyOrTheTsaKeyIsRefused() throws Exception {
        TrustAnchors anchors = anchors(TrustListRules.DEFAULTS, null);
        for (SealKey impostor : List.of(sealKey, hierarchy.tsa(), hierarchy.ocspSealCa())) {
            served.set(list(1, impostor));
            assertThat(anchors.refresh()).isFalse();
            assertThat(anchors.list()).isNull();
            assertThat(anchors.lastRefusal()).contains("not for signing trust lists");
            assertThat(anchors.current()).doesNotContain(other.certificate());
        }
        served.set(list(1, hierarchy.trustListSigner()));
        assertThat(anchors.refresh()).isTrue();
        assertThat(anchors.current()).contains(other.certificate());
    }

    @Test
    void aHugeSequenceIsRefusedAndTheGenuineListStillAccepted() throws Exception {
        TrustAnchors anchors = anchors(TrustListRules.DEFAULTS, null);
        served.set(list(5, hierarchy.trustListSigner()));
        assertThat(anchors.refresh()).isTrue();

        served.set(list(Long.MAX_VALUE, hierarchy.trustListSigner()));
        assertThat(anchors.refresh()).isFalse();
        assertThat(anchors.lastRefusal()).contains("jumps more than 1000");
        served.set(list(5 + 1001, hierarchy.trustListSigner()));
        assertThat(anchors.refresh()).isFalse();
        assertThat(anchors.listSequence()).isEqualTo(5);

        served.set(list(4, hierarchy.trustListSigner()));
        assertThat(anchors.refresh()).as("an older list never replaces a newer").isFalse();
        served.set(list(6, hierarchy.trustListSigner()));
        assertThat(anchors.refresh()).as("the genuine next list").isTrue();
        assertThat(anchors.listSequence()).isEqualTo(6);
        served.set(list(6 + 1000, hierarchy.trustListSigner()));
        assertThat(anchors.refresh()).as("a step of exactly the bound").isTrue();
    }

    @Test
    void pastNextUpdatePlusGraceTheListIsNotUsed() throws Exception {
        Path cache = Files.createTempDirectory("trust-list-cache").resolve("trust-list.jws");
        TrustListRules rules = new TrustListRules(Duration.ofHours(2), 1000, Duration.ofMinutes(5));
        TrustAnchors anchors = anchors(rules, cache);
        served.set(list(3, hierarchy.trustListSigner())); // nextUpdate: in one day
        assertThat(anchors.refresh()).isTrue();
        SealDirectory seals = new FetchedSealDirectory(new VerifierConfig(0, trust, 1 << 20), clock);
        TrustStatus status = new TrustStatus(new VerifierConfig(0, trust, 1 << 20).withMaxStaleness(30L * 24 * 3600),
                anchors, seals, clock);

        clock.advance(Duration.ofDays(1).plus(Duration.ofHours(2)).minusSeconds(1));
        assertThat(anchors.current()).as("within the grace").contains(other.certificate());
        assertThat(status.staleness()).isNull();

        clock.advance(Duration.ofSeconds(1)); // the list server is not reachable with a newer one: fail closed
        assertThat(anchors.current()).as("past nextUpdate + grace").doesNotContain(other.certificate())
                .contains(hierarchy.root().certificate());
        assertThat(status.staleness()).startsWith("Trust data too old").contains("sequence 3").contains("due to be replaced");
        assertThat(status.report().listUsable()).isFalse();

        // the same list, fetched again or read from the cache at a restart, is not taken either
        assertThat(anchors.refresh()).isFalse();
        assertThat(anchors.lastRefusal()).contains("past the grace");
        TrustAnchors restarted = anchors(rules, cache);
        assertThat(restarted.listUsable(clock.instant())).isFalse();
        assertThat(restarted.current()).doesNotContain(other.certificate());
        assertThat(new TrustStatus(new VerifierConfig(0, trust, 1 << 20), restarted, seals, clock).staleness())
                .as("reported as stale, not as no list").contains("due to be replaced");
    }
}
