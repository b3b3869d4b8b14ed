package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.SealRegistry;
import cn.yinxin.service.audit.AuditLog;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The seals of one stamp request, PDF or OFD, as the registry lets this requester use them. Each seal's row is read
 * once ({@link SealRegistry#forStamping}); the first one's also gives the level when the request names none. A
 * refusal the requester should hear about in the audit log (a seal it may not use, a licence document it may not
 * have stamped) is recorded as {@code stamp.refused} in a transaction of its own, as the request's rolls back.
 */
@Component
class ChosenSeals {

    /** The level asked for (the request's, else the first seal's default) and the seals, in the request's order. */
    record Chosen(SignatureLevel requested, List<SealRegistry.Usable> seals) {
    }

    /** What the seal at {@code index} of the request is used for, at the level asked for. */
    interface Uses {
        SealRegistry.Use of(int index, StampService.SealOrder order, SignatureLevel level);
    }

    private final SealRegistry registry;
    private final AuditLog audit;
    private final TransactionTemplate separateTransaction;

    ChosenSeals(SealRegistry registry, AuditLog audit, PlatformTransactionManager transactions) {
        this.registry = registry;
        this.audit = audit;
        this.separateTransaction = new TransactionTemplate(transactions);
        this.separateTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * The seals in order, each checked for the requester; {@code each} is told of every seal as soon as it is
     * accepted (the OFD path refuses a seal without a GB/T 38540 seal there, before the next seal is looked at).
     * {@code format} is added to refusals' audit details (" format=ofd", or "" for a PDF).
     */
    Chosen choose(List<StampService.SealOrder> orders, SignatureLevel level, Requester who, Uses uses, String format,
                  Consumer<SealRegistry.Usable> each) {
        // the first row is read here once and used both for its default level and for its checks below
        Seal first = registry.forStamping(orders.get(0).sealId());
        SignatureLevel requested = level != null ? level : first.defaultLevel();
        List<SealRegistry.Usable> chosen = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            StampService.SealOrder order = orders.get(i);
            try {
                Seal row = i == 0 ? first : registry.forStamping(order.sealId());
                chosen.add(registry.usable(row, who.caller(), uses.of(i, order, requested)));
            } catch (RejectedException e) {
                if (e.problem() == Problem.SEAL_NOT_PERMITTED) {
                    refused(who, order.sealId(), e, format);
                }
                throw e;
            }
            each.accept(chosen.get(i));
        }
        return new Chosen(requested, List.copyOf(chosen));
    }

    /** Records a refusal in the audit log; kept although the request's own transaction rolls back. */
    void refused(Requester who, String sealId, RejectedException e, String format) {
        separateTransaction.executeWithoutResult(t -> audit.record(who.actor(), "stamp.refused",
                Seal.auditSubject(sealId), "client=" + who.client() + format + ": " + e.getMessage()));
    }
}
