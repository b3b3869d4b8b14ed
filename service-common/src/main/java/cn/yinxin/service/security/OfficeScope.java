package cn.yinxin.service.security;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.service.audit.AuditLog;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Office scope: a licence issuer or seal administrator acts for one office (the token's {@code office_uscc}) and only
 * on that office's licence types, licences and seals. The role says what kind of work a person does; the office says
 * for whom. A refusal is a 403 {@code urn:yinxin:problem:outside-office}, and it is written to the audit log in a
 * transaction of its own, so it is kept although the refused request's transaction rolls back.
 *
 * <p>A signed-in caller without an office is refused (fail closed: a token without {@code office_uscc} acts for no
 * office). Only the development login may leave the office out: it then acts for every office, as it holds every role,
 * unless {@code X-Dev-Office} names one.
 */
public class OfficeScope {

    /** The audit action of a refusal. */
    public static final String REFUSED = "office-scope.refused";

    private final AuditLog audit;
    private final TransactionTemplate separate;

    public OfficeScope(AuditLog audit, PlatformTransactionManager transactions) {
        this.audit = audit;
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Whether the caller acts for every office: only the development login without an office does. */
    public static boolean everyOffice(Caller caller) {
        return caller.development() && caller.officeUscc() == null;
    }

    /** Whether the caller acts for {@code office} (a USCC). */
    public static boolean covers(Caller caller, String office) {
        if (everyOffice(caller)) {
            return true;
        }
        return caller.officeUscc() != null && office != null && caller.officeUscc().equalsIgnoreCase(office.strip());
    }

    /**
     * Refuses the current caller unless it acts for {@code office}: audited under {@code subject} (e.g.
     * {@code seal:sample-agency-seal}) with what was tried.
     */
    public void require(String office, String subject, String what, String actor) {
        Caller caller = Caller.current();
        if (covers(caller, office)) {
            return;
        }
        String callerOffice = caller.officeUscc() == null ? "no office" : "office " + caller.officeUscc();
        separate.executeWithoutResult(t -> audit.record(actor, REFUSED, subject,
                what + " refused: the caller acts for " + callerOffice + ", this belongs to office " + office));
        throw new RejectedException(Problem.OUTSIDE_OFFICE, "You act for " + callerOffice + "; " + subject
                + " belongs to office " + office + ", so you may not " + what + ".");
    }
}
