package cn.yinxin.service.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Who did what and when, in the service's own {@code audit_event} table (each service's Flyway migrations create
 * it). {@link #record} is called inside the transaction of the change, so a change and its audit entry are stored
 * together or not at all. (Hash chaining and signed checkpoints are the audit issue.) Services that keep an audit
 * log import this class.
 */
public class AuditLog {

    /** One entry as an administrator reads it. */
    public record Entry(long id, Instant at, String actor, String action, String subject, String details) {
    }

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String actor, String action, String subject, String details) {
        jdbc.sql("INSERT INTO audit_event (actor, action, subject, details) VALUES (:actor, :action, :subject, :details)")
                .param("actor", actor).param("action", action).param("subject", subject).param("details", details)
                .update();
    }

    /** The entries about one subject, oldest first. */
    public List<Entry> about(String subject) {
        return jdbc.sql("SELECT id, at, actor, action, subject, details FROM audit_event WHERE subject = :subject ORDER BY id")
                .param("subject", subject)
                .query((rs, n) -> new Entry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("details")))
                .list();
    }
}
