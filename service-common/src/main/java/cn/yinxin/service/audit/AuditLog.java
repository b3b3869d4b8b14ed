package cn.yinxin.service.audit;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.service.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Who did what and when, in the service's own {@code audit_event} table (each service's Flyway migrations create
 * it). {@link #record} is called inside the transaction of the change, so a change and its audit entry are stored
 * together or not at all. Entries form a hash chain ({@link AuditChain}): each one's hash covers its content and
 * the hash before it, so a row changed, deleted or moved afterwards (even by a database administrator) breaks the
 * chain from that row on. Appends are serialised by a transaction-scoped advisory lock. Services that keep an audit
 * log import this class.
 */
public class AuditLog {

    /** One entry as an administrator reads it. */
    public record Entry(long id, Instant at, String actor, String action, String subject, String details) {
    }

    /** The advisory lock key of audit appends (any constant, the same in every service's own database). */
    static final long APPEND_LOCK = 0x59494e5849_4eL;

    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final Clock clock;

    /**
     * In a service: its Clock bean when it has one (a test may set the time), else the system clock (a context
     * without one, such as the key ceremony command, still records).
     */
    @Autowired
    public AuditLog(JdbcClient jdbc, ObjectProvider<MeterRegistry> meters, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        // a context without the actuator (the key ceremony command) still records; it counts into nothing
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Outside a service (a benchmark, a tool): appends are counted into nothing, at the system clock's time. */
    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.meters = new SimpleMeterRegistry();
        this.clock = Clock.systemUTC();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String actor, String action, String subject, String details) {
        // one append at a time: the next entry must see the previous one's hash, committed or ours
        jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", APPEND_LOCK).query((rs, n) -> 0).list();
        // the previous hash and the next id in one round trip, both read under the lock taken just before
        record Next(byte[] previous, long id) {
        }
        Next next = jdbc.sql("""
                SELECT (SELECT hash FROM audit_event WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1),
                       nextval(pg_get_serial_sequence('audit_event', 'id'))""")
                .query((rs, n) -> new Next(rs.getBytes(1), rs.getLong(2))).single();
        byte[] previous = next.previous() == null ? AuditChain.GENESIS : next.previous();
        long id = next.id();
        // microseconds: what PostgreSQL keeps, so the hash can be recomputed from the row
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var entry = new AuditChain.Entry(id, at, actor, action, subject, details);
        jdbc.sql("""
                INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash)
                VALUES (:id, :at, :actor, :action, :subject, :details, :prev, :hash)""")
                .param("id", id).param("at", Timestamp.from(at)).param("actor", actor).param("action", action)
                .param("subject", subject).param("details", details).param("prev", previous)
                .param("hash", AuditChain.hash(previous, entry)).update();
        Meters.count(meters, Meters.AUDIT_APPENDS, "action", action);
    }

    /**
     * The entries about one subject, oldest first. Rows without a hash are outside the chain (written around the
     * service, or before the chain existed): nothing vouches for them, so no audit view shows them
     * ({@code yinxin audit verify} names them).
     */
    public List<Entry> about(String subject) {
        return jdbc.sql("SELECT id, at, actor, action, subject, details FROM audit_event WHERE subject = :subject "
                        + "AND hash IS NOT NULL ORDER BY id")
                .param("subject", subject)
                .query((rs, n) -> new Entry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("details")))
                .list();
    }
}
