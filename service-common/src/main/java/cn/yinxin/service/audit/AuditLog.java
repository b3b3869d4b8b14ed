package cn.yinxin.service.audit;

import cn.yinxin.core.audit.AuditChain;
import cn.yinxin.service.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Who did what and when, in the service's own {@code audit_event} table (each service's Flyway migrations create
 * it). {@link #record} is called inside the transaction of the change, so a change and its audit entry are stored
 * together or not at all. Entries form a hash chain ({@link AuditChain}): each one's hash covers its content and
 * the hash before it, so a row changed, deleted or moved afterwards (even by a database administrator) breaks the
 * chain from that row on. Appends to a chain are serialised by its transaction-scoped advisory lock. Services that keep an audit
 * log import this class.
 */
public class AuditLog {

    /** One entry as an administrator reads it. */
    public record Entry(long id, Instant at, String actor, String action, String subject, String details) {
    }

    /** The advisory lock key of appends to chain 0; chain c's is this plus c (the same in every service's database). */
    static final long APPEND_LOCK = 0x59494e5849_4eL;
    /** The chains appends are spread over unless {@code yinxin.audit.chains} says otherwise. */
    static final int DEFAULT_CHAINS = 8;
    /**
     * The last entry of the chain {@code %1$s} (a parameter or a column): the append's and the checkpoint's one way to
     * read a head. A range on the chain, not {@code chain = c ... ORDER BY id DESC}: with the equality PostgreSQL
     * walked the primary key backwards through other chains' entries, the whole log for a chain never used (54.7 s
     * for each of the 56 unused chains at 2 million entries, every append of the service waiting on the checkpoint
     * meanwhile: the 1,000,000-row conversion's stamps timed out every 10 minutes); the range keeps it on
     * audit_event_chain_head (0.35 ms). {@code AuditChainHeadsTest} reads both plans' buffers on a large log.
     */
    static final String CHAIN_HEAD = """
            SELECT id, hash FROM audit_event WHERE chain >= %1$s AND chain <= %1$s AND hash IS NOT NULL
            ORDER BY chain DESC, id DESC LIMIT 1""";
    /** The previous hash of the chain {@code :chain} and the next id, in one round trip. */
    static final String NEXT = "SELECT (SELECT h.hash FROM (" + CHAIN_HEAD.formatted(":chain") + ") h), "
            + "nextval(pg_get_serial_sequence('audit_event', 'id'))";
    /**
     * How long an append waits for a chain while its thread has set aside a transaction that holds one: longer than a
     * checkpoint waits for any chain (yinxin.audit.checkpoint-lock-wait), so that a checkpoint in the ring lets go first.
     */
    static final Duration SET_ASIDE_WAIT = Duration.ofSeconds(15);

    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final Clock clock;
    private final int chains;
    /** The chains held by this thread's transactions, the current one and any set aside (REQUIRES_NEW). */
    private final ThreadLocal<BitSet> heldOnThisThread = ThreadLocal.withInitial(BitSet::new);

    /**
     * In a service: its Clock bean when it has one (a test may set the time), else the system clock (a context
     * without one, such as the key ceremony command, still records). {@code yinxin.audit.chains}: how many chains
     * appends are spread over (1 to {@value AuditChain#MAX_CHAINS}; default 8).
     */
    @Autowired
    public AuditLog(JdbcClient jdbc, ObjectProvider<MeterRegistry> meters, ObjectProvider<Clock> clock,
                    @Value("${yinxin.audit.chains:8}") int chains) {
        this.jdbc = jdbc;
        // a context without the actuator (the key ceremony command) still records; it counts into nothing
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.chains = checked(chains);
    }

    /** Outside a service (a benchmark, a tool), with the services' default number of chains. */
    public AuditLog(JdbcClient jdbc) {
        this(jdbc, DEFAULT_CHAINS);
    }

    /** Outside a service (a benchmark, a tool): appends are counted into nothing, at the system clock's time. */
    public AuditLog(JdbcClient jdbc, int chains) {
        this.jdbc = jdbc;
        this.meters = new SimpleMeterRegistry();
        this.clock = Clock.systemUTC();
        this.chains = checked(chains);
    }

    private static int checked(int chains) {
        if (chains < 1 || chains > AuditChain.MAX_CHAINS) {
            // fail closed: a service that cannot keep its audit log as configured does not start
            throw new IllegalStateException("yinxin.audit.chains must be 1 to " + AuditChain.MAX_CHAINS + ", not " + chains);
        }
        return chains;
    }

    /**
     * Appends an entry to one of the chains, in the caller's transaction. Each chain takes one append at a time
     * (its advisory lock, held until the transaction ends, because the next entry must see this one's hash); an
     * append takes whichever chain is free, starting at a random one, and waits for one only when all are taken,
     * so that writers do not queue behind each other's commits as they did on a single chain (about 1,000 durable
     * appends a second in all, whatever the writers: bench audit). A transaction's later entries go to the chain
     * of its first, so that it never holds two chains' locks.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String actor, String action, String subject, String details) {
        int chain = chain();
        // the previous hash and the next id in one round trip, both read under the chain's lock taken before
        record Next(byte[] previous, long id) {
        }
        Next next = jdbc.sql(NEXT)
                .param("chain", chain).query((rs, n) -> new Next(rs.getBytes(1), rs.getLong(2))).single();
        byte[] previous = next.previous() == null ? AuditChain.GENESIS : next.previous();
        long id = next.id();
        // microseconds: what PostgreSQL keeps, so the hash can be recomputed from the row
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var entry = new AuditChain.Entry(id, at, actor, action, subject, details, chain);
        jdbc.sql("""
                INSERT INTO audit_event (id, at, actor, action, subject, details, prev_hash, hash, chain)
                VALUES (:id, :at, :actor, :action, :subject, :details, :prev, :hash, :chain)""")
                .param("id", id).param("at", Timestamp.from(at)).param("actor", actor).param("action", action)
                .param("subject", subject).param("details", details).param("prev", previous)
                .param("hash", AuditChain.hash(previous, entry)).param("chain", chain).update();
        Meters.count(meters, Meters.AUDIT_APPENDS, "action", action);
    }

    /** The chain this transaction appends to, locked: the one it holds already, or a free one, or the first to free. */
    private int chain() {
        // kept with the transaction's synchronizations, which Spring sets aside while a REQUIRES_NEW transaction runs
        // on another connection (a resource bound to the thread would not be, and that transaction would append to a
        // chain whose lock it does not hold)
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (registered instanceof HeldChain held && held.log() == this) {
                // its lock once more (at once while the transaction holds it): a savepoint rolled back since
                // (PROPAGATION_NESTED) let the lock go with the entry written there, and another transaction may
                // have appended to the chain meanwhile; its own statement, so that the head read next sees that one.
                // The chain is this thread's again (a transaction set aside meanwhile may have taken it, and cleared it)
                lock(held.chain());
                heldOnThisThread.get().set(held.chain());
                return held.chain();
            }
        }
        int start = ThreadLocalRandom.current().nextInt(chains);
        for (int i = 0; i < chains; i++) {
            int tried = (start + i) % chains;
            if (Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(:key)")
                    .param("key", APPEND_LOCK + tried).query(Boolean.class).single())) {
                return held(tried);
            }
        }
        // all taken: wait for one, but never for one a transaction set aside on this thread holds (a REQUIRES_NEW
        // transaction, such as a refusal audited apart, runs while the one it interrupted keeps its chain, and
        // would wait for that one for ever)
        BitSet mine = heldOnThisThread.get();
        int chain = start;
        while (mine.get(chain)) {
            chain = (chain + 1) % chains;
            if (chain == start) {
                throw new IllegalStateException("every audit chain is held by a transaction of this thread");
            }
        }
        if (mine.isEmpty()) {
            lock(chain);
        } else {
            lockWithin(chain);
        }
        return held(chain);
    }

    /**
     * Chain {@code chain}'s lock, waited for at most {@link #SET_ASIDE_WAIT}, for a transaction whose thread has set
     * aside one holding a chain: the transaction holding this one may be set aside in turn on a thread that waits for
     * this thread's (two requests each auditing a refusal apart, or a checkpoint taking every chain): a ring of waits
     * PostgreSQL cannot see, which would hold both chains, and every append that waits for them, for ever.
     */
    private void lockWithin(int chain) {
        String before = jdbc.sql("SELECT current_setting('lock_timeout')").query(String.class).single();
        jdbc.sql("SELECT set_config('lock_timeout', :ms, true)").param("ms", Long.toString(SET_ASIDE_WAIT.toMillis()))
                .query((rs, n) -> 0).list();
        try {
            lock(chain);
        } catch (DataAccessException e) {
            throw new IllegalStateException("no audit chain came free within " + SET_ASIDE_WAIT + " while a transaction "
                    + "this thread set aside holds one", e);
        }
        jdbc.sql("SELECT set_config('lock_timeout', :before, true)").param("before", before).query((rs, n) -> 0).list();
    }

    private void lock(int chain) {
        jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", APPEND_LOCK + chain).query((rs, n) -> 0).list();
    }

    private int held(int chain) {
        TransactionSynchronizationManager.registerSynchronization(new HeldChain(this, chain));
        heldOnThisThread.get().set(chain);
        return chain;
    }

    /** The chain whose lock the transaction holds until it ends. */
    private record HeldChain(AuditLog log, int chain) implements TransactionSynchronization {

        @Override
        public void afterCompletion(int status) {
            log.heldOnThisThread.get().clear(chain);
        }
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
