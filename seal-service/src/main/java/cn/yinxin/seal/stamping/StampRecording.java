package cn.yinxin.seal.stamping;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.SealRegistry;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.audit.SigningRecord;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * What a stamp leaves behind, PDF or OFD, in the request's transaction: one stamp record per seal and its signing
 * record (签章过程) in the audit chain; a stamp without them is not kept. The first record's id is the document's id
 * (printed in a PDF's QR code).
 */
@Component
class StampRecording {

    /** One sealed document: its hashes before and after, the level reached, when, and where each seal went. */
    record Sealed(UUID documentId, String before, String after, String level, Instant at,
                  List<SealPlacement> placements) {
    }

    private final StampRecords records;
    private final AuditLog audit;
    private final SealRegistry registry;
    private final ChosenSeals choosing;

    StampRecording(StampRecords records, AuditLog audit, SealRegistry registry, ChosenSeals choosing) {
        this.choosing = choosing;
        this.records = records;
        this.audit = audit;
        this.registry = registry;
    }

    /**
     * Stores the records and audit entries; {@code details} gives what the audit entry of the seal at an index adds
     * after its stamp id. Answers the records in the order a replay finds them in ({@link StampRecords#forResult}).
     */
    List<StampRecord> record(Sealed sealed, List<SealRegistry.Usable> seals, List<StampService.SealOrder> orders,
                             Requester who, IntFunction<String> details) {
        // a suspension, renewal or change of rights that committed while the stamp was signed is refused here
        for (SealRegistry.Usable seal : seals) {
            try {
                registry.confirmStillUsable(seal, who.client(), "stamp");
            } catch (RejectedException e) {
                // every seal's key has signed: each a use of its seal, kept in the log although nothing is handed out
                for (SealRegistry.Usable signed : seals) {
                    choosing.refused(who, signed.seal().id(), e, " sha256-before=" + sealed.before() + " signed-after="
                            + sealed.after() + " level=" + sealed.level() + " (signed, not handed out)");
                }
                throw e;
            }
        }
        List<StampRecord> stored = new ArrayList<>();
        for (int i = 0; i < seals.size(); i++) {
            SealRegistry.Usable seal = seals.get(i);
            SealPlacement where = sealed.placements().get(i);
            StampRecord record = new StampRecord(i == 0 ? sealed.documentId() : UUID.randomUUID(), seal.seal().id(),
                    who.actor(), sealed.before(), sealed.after(), sealed.level(), where.page(), where.xMm(), where.yMm(),
                    orders.get(i).placement().anchor(), sealed.at());
            records.add(record);
            stored.add(record);
            audit.record(who.actor(), "stamp", Seal.auditSubject(record.sealId()), SigningRecord.of(who.caller(),
                    who.source(), record.sealId(), SigningRecord.certificate(seal.seal().caIssuer(),
                            seal.key().certificate().getSerialNumber()), sealed.before(), sealed.after(), sealed.level())
                    .details() + " stamp=" + record.id() + details.apply(i));
        }
        stored.sort(Comparator.comparingInt(StampRecord::page).thenComparingDouble(StampRecord::xMm)
                .thenComparingDouble(StampRecord::yMm));
        return stored;
    }
}
