package cn.yinxin.ca.trustlist;

import cn.yinxin.service.TransactionLocks;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.core.trust.TrustedCa;
import cn.yinxin.core.trust.TrustedCa.Purpose;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Mutual recognition: administrators register other CAs with what they are trusted for and a validity window;
 * the service publishes a signed trust list of its own CAs and the registered ones. A change takes effect at the
 * next publication (on request, or on schedule).
 */
@Service
public class TrustListService {

    private static final Logger log = LoggerFactory.getLogger(TrustListService.class);

    /** A registered CA, as the API shows it. */
    public record Registered(UUID id, String name, String sha256, List<String> trustedFor, Instant validFrom,
                             Instant validUntil, String addedBy, Instant addedAt, String subject) {
    }

    /** An administrator's registration. */
    public record Registration(String name, String certificate, List<String> trustedFor, Instant validFrom,
                               Instant validUntil) {
    }

    /** A published list. */
    public record Publication(long sequence, Instant issuedAt, Instant nextUpdate, String jws) {
    }

    private final JdbcClient jdbc;
    private final CaHierarchy hierarchy;
    private final AuditLog audit;
    private final Duration validity;

    private final Clock clock;

    public TrustListService(JdbcClient jdbc, CaHierarchy hierarchy, AuditLog audit,
                            @Value("${yinxin.ca.trust-list-validity:PT24H}") Duration validity, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.hierarchy = hierarchy;
        this.audit = audit;
        this.validity = validity;
    }

    @Transactional
    public Registered register(Registration r, String actor) throws GeneralSecurityException {
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A recognised CA needs a name (up to 200 characters).");
        }
        List<X509Certificate> certificates;
        try {
            certificates = Pem.readCertificates((r.certificate() == null ? "" : r.certificate()).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            certificates = List.of();
        }
        if (certificates.size() != 1) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Send exactly one CA certificate in PEM.");
        }
        X509Certificate certificate = certificates.get(0);
        Set<Purpose> purposes = EnumSet.noneOf(Purpose.class);
        for (String p : r.trustedFor() == null ? List.<String>of() : r.trustedFor()) {
            try {
                purposes.add(Purpose.valueOf(p));
            } catch (IllegalArgumentException e) {
                throw new RejectedException(Problem.INVALID_REQUEST, "Unknown purpose '" + p
                        + "'; use AGENCY_SEALS, PERSONAL_SIGNATURES, TIME_STAMPS or SEAL_MAKING.");
            }
        }
        if (purposes.isEmpty()) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Say what the CA is trusted for (trustedFor).");
        }
        checkKind(certificate, purposes);
        Instant from = r.validFrom() == null ? clock.instant().truncatedTo(ChronoUnit.SECONDS) : r.validFrom();
        if (r.validUntil() == null || !r.validUntil().isAfter(from)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "validUntil must be given and after validFrom.");
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        boolean exists = jdbc.sql("SELECT count(*) FROM trusted_ca WHERE sha256 = :h AND removed_at IS NULL")
                .param("h", sha256).query(Long.class).single() > 0;
        if (exists) {
            throw new RejectedException(Problem.KEY_EXISTS, "This CA certificate is registered already.");
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO trusted_ca (id, name, certificate, sha256, trusted_for, valid_from, valid_until, added_by, added_at)
                VALUES (:id, :name, :der, :sha, :purposes, :from, :until, :by, :at)
                """).param("id", id).param("name", r.name().strip()).param("der", certificate.getEncoded())
                .param("sha", sha256).param("purposes", purposes.stream().map(Enum::name).sorted().toArray(String[]::new))
                .param("from", Timestamp.from(from)).param("until", Timestamp.from(r.validUntil()))
                .param("by", actor).param("at", Timestamp.from(now)).update();
        audit.record(actor, "recognised CA registered", id.toString(), r.name() + " " + sha256 + " " + purposes);
        return find(id).orElseThrow();
    }

    /**
     * A CA for the signature purposes; for SEAL_MAKING, and that alone, one seal maker's own certificate (another
     * product's or province's): naming a CA for it would make every key the CA certified a maker of seals in any
     * agency's name, and a maker named together with signature purposes would become a trust anchor.
     */
    private static void checkKind(X509Certificate certificate, Set<Purpose> purposes) {
        boolean ca = certificate.getBasicConstraints() >= 0;
        if (purposes.contains(Purpose.SEAL_MAKING)) {
            if (purposes.size() > 1 || ca) {
                throw new RejectedException(Problem.INVALID_REQUEST, "SEAL_MAKING names one seal maker's own "
                        + "certificate (not a CA), and nothing else with it.");
            }
            boolean[] usage = certificate.getKeyUsage();
            if (usage != null && !usage[0] && !usage[1]) {
                throw new RejectedException(Problem.INVALID_REQUEST, "The seal maker's certificate may not sign.");
            }
            return;
        }
        if (!ca) {
            throw new RejectedException(Problem.INVALID_REQUEST, "The certificate is not a CA certificate (basicConstraints cA).");
        }
    }

    @Transactional
    public void remove(UUID id, String actor) {
        int removed = jdbc.sql("UPDATE trusted_ca SET removed_at = :at, removed_by = :by WHERE id = :id AND removed_at IS NULL")
                .param("at", Timestamp.from(clock.instant())).param("by", actor).param("id", id).update();
        if (removed == 0) {
            throw new RejectedException(Problem.NOT_FOUND, "No registered CA " + id + ".");
        }
        audit.record(actor, "recognised CA removed", id.toString(), "takes effect at the next publication");
    }

    public List<Registered> registered() {
        return jdbc.sql("SELECT * FROM trusted_ca WHERE removed_at IS NULL ORDER BY added_at").query((rs, n) -> row(rs)).list();
    }

    public Optional<Registered> find(UUID id) {
        return jdbc.sql("SELECT * FROM trusted_ca WHERE id = :id").param("id", id).query((rs, n) -> row(rs)).optional();
    }

    /** Signs and stores a new list: this platform's CAs and the registered ones. */
    @Transactional
    public Publication publish(String actor) throws GeneralSecurityException {
        // one publication at a time, each reading what the one before committed: a publication begun before a CA's
        // removal took the same sequence as the one asked for after it, which then failed, leaving the removed CA
        // trusted in the list served
        TransactionLocks.hold(jdbc, "trust-list");
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long sequence = jdbc.sql("SELECT coalesce(max(sequence), 0) + 1 FROM trust_list").query(Long.class).single();
        List<TrustedCa> cas = new ArrayList<>();
        X509Certificate root = hierarchy.root().certificate();
        cas.add(new TrustedCa("Yinxin Root CA", root, Purpose.OF_A_CA, root.getNotBefore().toInstant(),
                root.getNotAfter().toInstant(), true));
        for (var row : jdbc.sql("SELECT name, certificate, trusted_for, valid_from, valid_until FROM trusted_ca "
                + "WHERE removed_at IS NULL ORDER BY added_at").query((rs, n) -> {
                    Array purposes = rs.getArray("trusted_for");
                    Set<Purpose> set = EnumSet.noneOf(Purpose.class);
                    for (String p : (String[]) purposes.getArray()) {
                        set.add(Purpose.valueOf(p));
                    }
                    try {
                        return new TrustedCa(rs.getString("name"), Pem.readCertificates(rs.getBytes("certificate")).get(0),
                                set, rs.getTimestamp("valid_from").toInstant(), rs.getTimestamp("valid_until").toInstant(),
                                false);
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }).list()) {
            cas.add(row);
        }
        TrustList list = new TrustList(sequence, now, now.plus(validity), cas);
        String jws = list.sign(hierarchy.trustListSigner());
        jdbc.sql("INSERT INTO trust_list (sequence, issued_at, next_update, document) VALUES (:s, :i, :n, :d)")
                .param("s", sequence).param("i", Timestamp.from(now)).param("n", Timestamp.from(list.nextUpdate()))
                .param("d", jws).update();
        audit.record(actor, "trust list published", String.valueOf(sequence), cas.size() + " CAs");
        return new Publication(sequence, now, list.nextUpdate(), jws);
    }

    public Optional<Publication> latest() {
        return jdbc.sql("SELECT sequence, issued_at, next_update, document FROM trust_list ORDER BY sequence DESC LIMIT 1")
                .query((rs, n) -> new Publication(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant(), rs.getString(4))).optional();
    }

    /**
     * Whether the latest list is one verifiers accept: false for a list signed before the trust-list signer's
     * certificate carried its key purpose, which is then published again at start rather than at the next schedule.
     */
    public boolean latestAcceptable() {
        return latest().map(p -> {
            try {
                TrustList.verify(p.jws(), List.of(hierarchy.root().certificate()), clock.instant());
                return true;
            } catch (GeneralSecurityException | RuntimeException e) {
                log.warn("The latest trust list ({}) would be refused by verifiers: {}", p.sequence(), e.getMessage());
                return false;
            }
        }).orElse(false);
    }

    /** Publishes when there is no list yet or a quarter of the current one's validity is left. */
    @Scheduled(fixedDelayString = "${yinxin.ca.trust-list-check-interval:PT1M}", initialDelay = 1000)
    @Transactional
    public void refresh() throws GeneralSecurityException {
        var current = latest();
        if (current.isEmpty() || clock.instant().isAfter(current.get().nextUpdate().minus(validity.dividedBy(4)))) {
            log.info("Published trust list {}", publish("system").sequence());
        }
    }

    private static Registered row(ResultSet rs) throws SQLException {
        String subject;
        try {
            subject = Pem.readCertificates(rs.getBytes("certificate")).get(0).getSubjectX500Principal().getName();
        } catch (GeneralSecurityException e) {
            subject = "?";
        }
        return new Registered(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("sha256"),
                List.of((String[]) rs.getArray("trusted_for").getArray()), rs.getTimestamp("valid_from").toInstant(),
                rs.getTimestamp("valid_until").toInstant(), rs.getString("added_by"),
                rs.getTimestamp("added_at").toInstant(), subject);
    }
}
