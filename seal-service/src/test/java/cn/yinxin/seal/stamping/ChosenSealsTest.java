package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.seal.SealsProperties;
import cn.yinxin.seal.keys.SealKeys;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.SealKind;
import cn.yinxin.seal.registry.SealRegistry;
import cn.yinxin.seal.registry.SealStatus;
import cn.yinxin.seal.registry.SealStore;
import cn.yinxin.seal.registry.SealUser;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.keys.KeyStoreSettings;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.Roles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seals of a stamp request as {@link ChosenSeals} reads them, with the seal table in a map that counts its reads:
 * no database, no Spring context (a fast test). Each seal's row is read once per stamp, also when the first seal's row
 * gives the level; the image once per seal and kept; a seal the client may not use is refused and the refusal audited.
 */
class ChosenSealsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
    private static final Caller APPROVAL_SYSTEM = new Caller("service-account-approval", "approval-office",
            Set.of(Roles.APPROVAL_SYSTEM), null, null, null, null, false);
    private static final Requester WHO = new Requester(APPROVAL_SYSTEM, "approval-office/service-account-approval@127.0.0.1", "api");

    private CountingStore store;
    private Audit audit;
    private ChosenSeals choosing;

    @BeforeEach
    void registry(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("seal.p12");
        writeKey(keyFile);
        store = new CountingStore();
        store.add(seal("first", keyFile, SignatureLevel.B_T, "approval-office"));
        store.add(seal("second", keyFile, SignatureLevel.B_B, "approval-office"));
        store.add(seal("someone-elses", keyFile, SignatureLevel.B_B, "another-office"));
        var properties = new SealsProperties(new KeyStoreSettings("PKCS12", dir.resolve("unused.p12"), "test", null, null),
                null, null, null, null, List.of(), null);
        audit = new Audit();
        choosing = new ChosenSeals(new SealRegistry(store, new SealKeys(properties, new SimpleMeterRegistry()), CLOCK),
                audit, new NoTransactions());
    }

    @Test
    void eachSealRowIsReadOncePerStampAndTheFirstGivesTheLevel() {
        ChosenSeals.Chosen chosen = choose(null, "first", "second");

        assertThat(chosen.requested()).isEqualTo(SignatureLevel.B_T);
        assertThat(chosen.seals()).extracting(s -> s.seal().id()).containsExactly("first", "second");
        assertThat(store.rowReads).isEqualTo(Map.of("first", 1, "second", 1));
        assertThat(store.imageReads).isEqualTo(Map.of("first", 1, "second", 1));

        choose(SignatureLevel.B_B, "first", "second");
        // a second stamp reads the rows again (status and users may have changed), not the images
        assertThat(store.rowReads).isEqualTo(Map.of("first", 2, "second", 2));
        assertThat(store.imageReads).isEqualTo(Map.of("first", 1, "second", 1));
    }

    @Test
    void aSealTheClientMayNotUseIsRefusedAndTheRefusalAudited() {
        assertThatThrownBy(() -> choose(SignatureLevel.B_B, "first", "someone-elses"))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.SEAL_NOT_PERMITTED));
        assertThat(audit.entries).containsExactly("stamp.refused seal:someone-elses client=approval-office format=ofd: "
                + "Client 'approval-office' is not among the users of seal 'someone-elses'.");
    }

    @Test
    void theServicesClockDecidesWhetherASealIsStillValid(@TempDir Path dir) throws Exception {
        // the same seal, its validity ending 300 days after CLOCK's time, seen by a registry whose clock is later
        Clock later = Clock.offset(CLOCK, Duration.ofDays(301));
        var properties = new SealsProperties(new KeyStoreSettings("PKCS12", dir.resolve("unused.p12"), "test", null, null),
                null, null, null, null, List.of(), null);
        var registry = new SealRegistry(store, new SealKeys(properties, new SimpleMeterRegistry()), later);

        assertThatThrownBy(() -> registry.usable("first", APPROVAL_SYSTEM,
                new SealRegistry.Use(SignatureLevel.B_B, false, false, false)))
                .isInstanceOfSatisfying(RejectedException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.SEAL_NOT_USABLE);
                    assertThat(e.getMessage()).contains("EXPIRED");
                });
        assertThat(choose(SignatureLevel.B_B, "first").seals()).hasSize(1);
    }

    private ChosenSeals.Chosen choose(SignatureLevel level, String... ids) {
        List<StampService.SealOrder> orders = new ArrayList<>();
        for (String id : ids) {
            orders.add(new StampService.SealOrder(id, new SealPlacement(1, 50, 50)));
        }
        return choosing.choose(orders, level, WHO, (i, order, requested) ->
                new SealRegistry.Use(requested, false, false, false), " format=ofd", seal -> { });
    }

    private static Seal seal(String id, Path keyFile, SignatureLevel defaultLevel, String client) {
        Instant now = CLOCK.instant();
        return new Seal(id, "测试专用章", "测试机关", "11410000MB00001749", SealKind.AGENCY, "image/png", new byte[]{1},
                42, 42, null, keyFile.toString(), "seal-ca", "0a", "CN=test", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(300)), SealStatus.ACTIVE, null, now, defaultLevel,
                List.of(new SealUser(client, EnumSet.allOf(SignatureLevel.class), false, false)), "admin", now);
    }

    private static void writeKey(Path file) throws Exception {
        var pair = CertificateMaker.newEcKeyPair();
        var certificate = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("test seal"), pair,
                CLOCK.instant().minus(Duration.ofDays(1)), Duration.ofDays(300));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("seal", pair.getPrivate(), "test".toCharArray(), new java.security.cert.Certificate[]{certificate});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "test".toCharArray());
        }
    }

    /** The seal table in a map, counting how often stamping reads each seal's row and its image. */
    private static final class CountingStore extends SealStore {

        final Map<String, Seal> seals = new HashMap<>();
        final Map<String, Integer> rowReads = new HashMap<>();
        final Map<String, Integer> imageReads = new HashMap<>();

        CountingStore() {
            super(null);
        }

        void add(Seal seal) {
            seals.put(seal.id(), seal);
        }

        @Override
        public Optional<Seal> find(String id) {
            rowReads.merge(id, 1, Integer::sum);
            return Optional.ofNullable(seals.get(id));
        }

        @Override
        public Optional<Seal> findWithoutImage(String id) {
            rowReads.merge(id, 1, Integer::sum);
            return Optional.ofNullable(seals.get(id)).map(s -> s.withStampPng(null));
        }

        @Override
        public Optional<byte[]> stampPng(String id) {
            imageReads.merge(id, 1, Integer::sum);
            return Optional.ofNullable(seals.get(id)).map(Seal::stampPng);
        }
    }

    /** The audit log as a list of "action subject details". */
    private static final class Audit extends AuditLog {

        final List<String> entries = new ArrayList<>();

        Audit() {
            super(null);
        }

        @Override
        public void record(String actor, String action, String subject, String details) {
            entries.add(action + " " + subject + " " + details);
        }
    }

    /** No database, so nothing to begin, commit or roll back. */
    private static final class NoTransactions implements PlatformTransactionManager {

        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            return new SimpleTransactionStatus();
        }

        @Override
        public void commit(TransactionStatus status) {
        }

        @Override
        public void rollback(TransactionStatus status) {
        }
    }
}
