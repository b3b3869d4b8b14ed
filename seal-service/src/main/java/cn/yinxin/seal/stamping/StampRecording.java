package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.SealRegistry;
import cn.yinxin.seal.registry.SealStatus;
import cn.yinxin.seal.registry.SealStore;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.audit.SigningRecord;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
    private final SealStore seals;
    private final Clock clock;

    StampRecording(StampRecords records, AuditLog audit, SealStore seals, Clock clock) {
        this.records = records;
        this.audit = audit;
        this.seals = seals;
        this.clock = clock;
    }

    /**
     * Stores the records and audit entries; {@code details} gives what the audit entry of the seal at an index adds
     * after its stamp id. Answers the records in the order a replay finds them in ({@link StampRecords#forResult}).
     */
    List<StampRecord> record(Sealed sealed, List<SealRegistry.Usable> seals, List<StampService.SealOrder> orders,
                             Requester who, IntFunction<String> details) {
        for (SealRegistry.Usable seal : seals) {
            stillUsable(seal, who);
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

    /**
     * The seal as it is now, its row held (FOR SHARE) until the stamp commits: a stamp reads its seal when it starts
     * and signs for a second or more (the TSA, OCSP, a large document); a suspension, revocation, renewal or a change
     * of this client's rights that committed meanwhile was not seen, and the stamp was recorded, audited and answered
     * (200, a sealed document time-stamped inside the suspension) after it. Such a stamp is refused now (409, 403,
     * nothing kept); a change asked for after this point waits for the stamp to commit (StampRaceTest).
     */
    private void stillUsable(SealRegistry.Usable used, Requester who) {
        Seal read = used.seal();
        SealStore.UsableNow now = seals.usableNow(read.id(), who.client()).orElse(null);
        SealStatus status = now == null ? null : now.statusAt(clock.instant());
        if (now == null || status != SealStatus.ACTIVE || !Objects.equals(now.caSerial(), read.caSerial())) {
            throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + read.id() + "' was "
                    + (now == null ? "removed" : status == SealStatus.ACTIVE ? "renewed"
                    : status.name().toLowerCase(Locale.ROOT))
                    + " while this stamp was being made; nothing was stamped.");
        }
        if (!Objects.equals(now.user(), read.user(who.client()))) {
            throw new RejectedException(Problem.SEAL_NOT_PERMITTED, "The rights of client '" + who.client()
                    + "' on seal '" + read.id() + "' changed while this stamp was being made; nothing was stamped.");
        }
    }
}
