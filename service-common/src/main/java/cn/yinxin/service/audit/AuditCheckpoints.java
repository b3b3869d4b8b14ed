package cn.yinxin.service.audit;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.core.audit.AuditCheckpoint;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Signs the ends of the audit chains periodically (one signature over every chain's last hash,
 * {@link AuditChain#headsDigest}, named by the highest of their entries) with the service's audit key (a P-256 key in a PKCS#12 file,
 * made on first start with a self-signed certificate written beside it as PEM, for verifiers to pin).
 */
public class AuditCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Clock clock;
    /** How long a checkpoint waits for any one chain's lock before it lets the chains go and tries again. */
    private final Duration lockWait;
    /** How many times a checkpoint tries before it leaves the chains' ends to the next interval. */
    static final int LOCK_ATTEMPTS = 5;
    /** Every possible chain's last entry (none for a chain never used). */
    static final String HEADS = "SELECT c, h.id, h.hash FROM generate_series(0, :last) c CROSS JOIN LATERAL ("
            + AuditLog.CHAIN_HEAD.formatted("c") + ") h";

    public AuditCheckpoints(JdbcClient jdbc, TransactionTemplate transaction,
                            @Value("${yinxin.audit.key-store:var/keystores/audit/${spring.application.name}.p12}") Path keyStore,
                            @Value("${yinxin.audit.key-password:${YINXIN_SEALS_PASSWORD:yinxin-dev-only}}") String password,
                            @Value("${spring.application.name}") String service,
                            ObjectProvider<Clock> clock,
                            @Value("${yinxin.audit.checkpoint-lock-wait:PT5S}") Duration lockWait)
            throws GeneralSecurityException {
        this.jdbc = jdbc;
        if (lockWait.isNegative() || lockWait.isZero() || lockWait.compareTo(AuditLog.SET_ASIDE_WAIT) >= 0) {
            // fail closed: a checkpoint waiting longer would outwait the append it keeps from its chain
            throw new IllegalStateException("yinxin.audit.checkpoint-lock-wait must be more than 0 and less than "
                    + AuditLog.SET_ASIDE_WAIT + ", not " + lockWait);
        }
        this.lockWait = lockWait;
        // the service's Clock bean when it has one, as for AuditLog
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.transaction = transaction;
        SealKey loaded = loadOrMake(keyStore, password.toCharArray(), service, this.clock);
        this.key = loaded.privateKey();
        this.certificate = loaded.certificate();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Signs the chains' ends, unless the last checkpoint covers them already. Returns the entry covered, or -1 (also
     * when a chain stayed taken through every attempt: the next interval tries again).
     */
    @Scheduled(fixedDelayString = "${yinxin.audit.checkpoint-interval:PT10M}", initialDelayString = "PT30S")
    public long checkpoint() {
        for (int attempt = 1; ; attempt++) {
            try {
                Long covered = transaction.execute(status -> signHeads());
                return covered == null ? -1 : covered;
            } catch (DataAccessException e) {
                if (!(e.getMostSpecificCause() instanceof SQLException sql)
                        || !"55P03".equals(sql.getSQLState()) && !"40P01".equals(sql.getSQLState())) {
                    throw e;
                }
                if (attempt == LOCK_ATTEMPTS) {
                    log.warn("No audit checkpoint this time: a chain stayed taken for more than {}, {} times", lockWait,
                            LOCK_ATTEMPTS);
                    return -1;
                }
                pause(attempt);
            }
        }
    }

    /**
     * Takes every chain's lock, reads their last entries and signs them together. Each lock is waited for at most
     * {@code lockWait}; then every chain taken is let go (the transaction ends) and {@link #checkpoint} tries again:
     * a transaction set aside (REQUIRES_NEW) may have to append before the one holding the awaited chain can end,
     * and the chains the checkpoint took meanwhile must not keep it waiting for ever.
     */
    private Long signHeads() {
        jdbc.sql("SELECT set_config('lock_timeout', :ms, true)").param("ms", Long.toString(lockWait.toMillis()))
                .query((rs, n) -> 0).list();
        // every chain's lock, one after the other (an append holds one chain and waits for none): no append is
        // under way while the heads are read, and every later one gets a higher id than any read here
        jdbc.sql("SELECT pg_advisory_xact_lock(:key + c) FROM generate_series(0, :last) c")
                .param("key", AuditLog.APPEND_LOCK).param("last", AuditChain.MAX_CHAINS - 1).query((rs, n) -> 0).list();
        SortedMap<Integer, byte[]> heads = new TreeMap<>();
        long id = -1;
        // AuditLog.CHAIN_HEAD for every chain: see there why it is a range
        for (var head : jdbc.sql(HEADS)
                .param("last", AuditChain.MAX_CHAINS - 1)
                .query((rs, n) -> new Object[]{rs.getInt(1), rs.getLong(2), rs.getBytes(3)}).list()) {
            heads.put((Integer) head[0], (byte[]) head[2]);
            id = Math.max(id, (Long) head[1]);
        }
        if (heads.isEmpty()) {
            return -1L;
        }
        Long done = jdbc.sql("SELECT max(up_to) FROM audit_checkpoint").query(Long.class).optional().orElse(null);
        if (done != null && done >= id) {
            return -1L;
        }
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            byte[] hash = AuditChain.headsDigest(heads);
            jdbc.sql("INSERT INTO audit_checkpoint (up_to, hash, at, signature, certificate, chains) "
                            + "VALUES (:u, :h, :at, :s, :c, :chains)")
                    .param("u", id).param("h", hash).param("at", Timestamp.from(at)).param("chains", heads.size())
                    .param("s", AuditCheckpoint.sign(key, id, hash, at)).param("c", certificate.getEncoded()).update();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the audit checkpoint cannot be signed", e);
        }
        return id;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to try the audit checkpoint again", e);
        }
    }

    static SealKey loadOrMake(Path file, char[] password, String service, Clock clock)
            throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    store.load(in, password);
                }
                X509Certificate certificate = (X509Certificate) store.getCertificate("audit");
                return new SealKey((PrivateKey) store.getKey("audit", password), List.of(certificate));
            }
            var pair = CertificateMaker.newEcKeyPair();
            X509Certificate certificate = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject(service + " audit"),
                    pair, clock.instant().minus(Duration.ofMinutes(5)), Duration.ofDays(3650));
            store.load(null, null);
            store.setKeyEntry("audit", pair.getPrivate(), password, new Certificate[]{certificate});
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Instances started together may each make a key: the key store is written aside and linked to its
            // name, which only one of them can do; the others use the winner's key (a key store overwritten after
            // an instance signed with it would leave checkpoints no pinned key verifies).
            Path made = Files.createTempFile(file.toAbsolutePath().getParent(), ".audit-", ".p12");
            try {
                try (OutputStream out = Files.newOutputStream(made)) {
                    store.store(out, password);
                }
                Files.createLink(file, made);
            } catch (FileAlreadyExistsException lost) {
                log.info("The audit key of {} in {} was made by another instance", service, file);
                return loadOrMake(file, password, service, clock);
            } finally {
                Files.deleteIfExists(made);
            }
            Files.writeString(Path.of(file.toString().replaceAll("\\.p12$", "") + ".pem"), Pem.encode(certificate));
            log.info("Made the audit key of {} in {} (pin {}.pem when verifying)", service, file,
                    file.toString().replaceAll("\\.p12$", ""));
            return new SealKey(pair.getPrivate(), List.of(certificate));
        } catch (IOException e) {
            throw new UncheckedIOException("the audit key store " + file + " cannot be used", e);
        }
    }
}
