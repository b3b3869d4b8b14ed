package cn.yinxin.ca.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who did what and when. Called inside the transaction of the change, so a change and its audit entry are
 * stored together or not at all. (Hash chaining and signed checkpoints are the audit issue.)
 */
@Component
public class AuditLog {

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
}
