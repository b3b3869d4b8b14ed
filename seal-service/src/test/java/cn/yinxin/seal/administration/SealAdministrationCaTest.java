package cn.yinxin.seal.administration;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.seal.SealsProperties;
import cn.yinxin.seal.keys.CertifiedKeys;
import cn.yinxin.seal.keys.InMemoryCa;
import cn.yinxin.seal.keys.SealKeys;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.SealKind;
import cn.yinxin.seal.registry.SealStatus;
import cn.yinxin.seal.registry.SealStore;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.keys.KeyStoreSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What seal administration asks of its CA, with the CA in memory ({@link InMemoryCa}) and the seal table in a map:
 * no CA process, no database, no Spring context (a fast test). The rules: a certificate the CA issued for a seal that
 * was then not stored is revoked again, so no usable orphan remains; a seal whose certificate is on hold is revoked by
 * lifting the hold first, then revoking for good.
 */
class SealAdministrationCaTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
    private static final String AGENCY_CODE = "11410000MB00001749";

    @Test
    void aSealThatCannotBeStoredHasTheCertificateTheCaIssuedRevokedAgain(@TempDir Path dir) throws Exception {
        InMemoryCa ca = new InMemoryCa(CLOCK);
        MapStore store = new MapStore();
        store.failInsert = true;
        SealAdministration administration = administration(store, ca, dir);

        assertThatThrownBy(() -> administration.create(newSeal("orphan-test"), png(), "admin"))
                .isInstanceOf(DataIntegrityViolationException.class);

        assertThat(ca.issued()).hasSize(1);
        assertThat(ca.changes()).containsExactly(new InMemoryCa.StatusChange("revoke", InMemoryCa.ISSUER,
                ca.issued().get(0).serial(), "cessationOfOperation"));
        assertThat(store.seals).isEmpty();
    }

    @Test
    void aSealTheCaCannotCertifyIsNeitherStoredNorLeftWithACertificate(@TempDir Path dir) throws Exception {
        InMemoryCa ca = new InMemoryCa(CLOCK);
        ca.refuse();
        MapStore store = new MapStore();
        SealAdministration administration = administration(store, ca, dir);

        assertThatThrownBy(() -> administration.create(newSeal("no-ca-test"), png(), "admin"))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.CA_UNAVAILABLE));
        assertThat(store.seals).isEmpty();
        assertThat(ca.issued()).isEmpty();
    }

    @Test
    void aSuspendedSealIsRevokedByReleasingItsHoldAndThenRevoking(@TempDir Path dir) throws Exception {
        InMemoryCa ca = new InMemoryCa(CLOCK);
        MapStore store = new MapStore();
        store.seals.put("held", seal("held", SealStatus.SUSPENDED));
        SealAdministration administration = administration(store, ca, dir);

        Seal revoked = administration.revoke("held", "keyCompromise", "admin");

        assertThat(revoked.status()).isEqualTo(SealStatus.REVOKED);
        assertThat(ca.changes()).containsExactly(
                new InMemoryCa.StatusChange("release", "seal-ca", "0a", null),
                new InMemoryCa.StatusChange("revoke", "seal-ca", "0a", "keyCompromise"));
    }

    private static SealAdministration administration(MapStore store, InMemoryCa ca, Path dir) {
        var properties = new SealsProperties(new KeyStoreSettings("PKCS12", dir.resolve("seals.p12"), "test", null, null),
                null, null, null, "EC_P256", List.of(), null);
        SealKeys keys = new SealKeys(properties, new SimpleMeterRegistry());
        return new SealAdministration(store, keys, new CertifiedKeys(keys, ca), ca, new NoAudit(),
                new TransactionTemplate(new NoTransactions()), SealImageLimits.DEFAULT, properties, SignatureLevel.B_B,
                CLOCK);
    }

    private static SealAdministration.NewSeal newSeal(String id) {
        return new SealAdministration.NewSeal(id, "测试专用章", "测试机关", AGENCY_CODE, SealKind.AGENCY, 42, 42, null,
                List.of(), null, null);
    }

    private static Seal seal(String id, SealStatus status) {
        Instant now = CLOCK.instant();
        return new Seal(id, "测试专用章", "测试机关", AGENCY_CODE, SealKind.AGENCY, "image/png", new byte[0], 42, 42,
                id + "-key", null, "seal-ca", "0a", "CN=test", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300)),
                status, null, now, SignatureLevel.B_B, List.of(), "admin", now);
    }

    /** A 420 px red ring on transparency: what SealImages accepts for a 42 mm seal. */
    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(420, 420, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.setStroke(new java.awt.BasicStroke(24));
        g.drawOval(20, 20, 380, 380);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** The seal table in a map: only what administration calls here. */
    private static final class MapStore extends SealStore {

        final Map<String, Seal> seals = new HashMap<>();
        boolean failInsert;

        MapStore() {
            super(null);
        }

        @Override
        public boolean exists(String id) {
            return seals.containsKey(id);
        }

        @Override
        public void insert(NewSeal created) {
            if (failInsert) {
                throw new DataIntegrityViolationException("the database refused the row (test)");
            }
            seals.put(created.seal().id(), created.seal());
        }

        @Override
        public Optional<Seal> find(String id) {
            return Optional.ofNullable(seals.get(id));
        }

        @Override
        public Optional<Seal> findForUpdate(String id) {
            return find(id);
        }

        @Override
        public boolean changeStatus(String id, SealStatus from, SealStatus to, String reason, Instant at) {
            Seal s = seals.get(id);
            if (s == null || s.status() != from) {
                return false;
            }
            seals.put(id, new Seal(s.id(), s.name(), s.agency(), s.agencyCode(), s.kind(), s.imageType(), s.stampPng(),
                    s.widthMm(), s.heightMm(), s.keyAlias(), s.keyFile(), s.caIssuer(), s.caSerial(),
                    s.certificateSubject(), s.validFrom(), s.validUntil(), to, reason, at, s.defaultLevel(), s.users(),
                    s.createdBy(), s.createdAt()));
            return true;
        }
    }

    /** Audit entries are not this test's subject (AuditChainTest's): kept in a list. */
    private static final class NoAudit extends AuditLog {

        final List<String> actions = new ArrayList<>();

        NoAudit() {
            super(null);
        }

        @Override
        public void record(String actor, String action, String subject, String details) {
            actions.add(action);
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
