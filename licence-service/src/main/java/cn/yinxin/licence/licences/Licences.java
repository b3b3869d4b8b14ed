package cn.yinxin.licence.licences;

import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.service.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.LicenceIdentifier;
import cn.yinxin.core.pdf.PdfText;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.licence.LicenceProperties;
import cn.yinxin.licence.sealing.SealService;
import cn.yinxin.licence.sealing.SideBySide;
import cn.yinxin.licence.status.StatusLists;
import cn.yinxin.licence.types.FieldSchema;
import cn.yinxin.licence.types.LicenceType;
import cn.yinxin.licence.types.LicenceTypes;
import cn.yinxin.service.audit.AuditLog;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Issues licences and moves them through their lifecycle. An issuance is one transaction: the identifier and the
 * status list index are reserved, the QR code is signed and the PDF sealed by the seal service, and the licence
 * is stored with its audit entry; if anything fails nothing is stored (the seal service keeps only its stamp
 * record). Every status change is audited and shows in the status list at once.
 */
@Service
public class Licences {

    /** An issuance request. {@code validFrom} defaults to today, {@code validUntil} to the type's validity. */
    public record IssueRequest(String typeCode, Holder holder, JsonNode fields, LocalDate validFrom, LocalDate validUntil,
                               String physicalNumber, String approvalItem) {
    }

    /** The licence, and whether it was issued before by the same request (an idempotent retry). */
    public record Issued(Licence licence, boolean replayed) {
    }

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LicenceStore store;
    private final LicenceTypes types;
    private final SealService seals;
    private final StatusLists statusLists;
    private final AuditLog audit;
    private final LicenceProperties properties;
    private final Path font;
    private final Clock clock;

    private final MeterRegistry meters;
    private final SideBySide sideBySide;

    public Licences(LicenceStore store, LicenceTypes types, SealService seals, StatusLists statusLists, AuditLog audit,
                    LicenceProperties properties, MeterRegistry meters, SideBySide sideBySide, Clock clock) {
        this.sideBySide = sideBySide;
        this.clock = clock;
        this.meters = meters;
        this.store = store;
        this.types = types;
        this.seals = seals;
        this.statusLists = statusLists;
        this.audit = audit;
        this.properties = properties;
        this.font = properties.cjkFont() != null && !properties.cjkFont().toString().isBlank() ? properties.cjkFont()
                : PdfText.defaultCjkFont();
    }

    @Transactional
    public Issued issue(IssueRequest request, String actor) {
        Issued issued = counted("issue", request.typeCode(), () -> issueOnce(request, actor));
        Meters.count(meters, Meters.LICENCES, "action", "issue", "outcome", issued.replayed() ? "replayed" : "done",
                "level", levelOf(request.typeCode()));
        return issued;
    }

    /**
     * Runs one licence act and counts it when it is refused or fails ({@link Meters#LICENCES}); the caller counts
     * what is done, which only it knows (a replayed issue is not a new licence).
     */
    private <T> T counted(String action, String typeCode, Supplier<T> act) {
        try {
            return act.get();
        } catch (RejectedException e) {
            Meters.count(meters, Meters.LICENCES, "action", action, "outcome", "refused", "level", levelOf(typeCode));
            throw e;
        } catch (RuntimeException e) {
            Meters.count(meters, Meters.LICENCES, "action", action, "outcome", "failed", "level", levelOf(typeCode));
            throw e;
        }
    }

    /** The signature level of a type's licences (a tag of few values), "unknown" for a type that does not exist. */
    private String levelOf(String typeCode) {
        try {
            String level = typeCode == null ? null : types.get(typeCode).signatureLevel();
            return level == null ? "default" : level;
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private Issued issueOnce(IssueRequest request, String actor) {
        LicenceType type = types.get(request.typeCode());
        Objects.requireNonNull(request.holder(), "holder");
        JsonNode fields = request.fields() == null ? JSON.createObjectNode() : request.fields();
        FieldSchema.check(type.fieldsSchema(), fields);
        if (request.physicalNumber() == null || !request.physicalNumber().matches("[0-9A-Za-z-]{1,64}")) {
            throw new RejectedException(Problem.INVALID_REQUEST, "physicalNumber (the number printed on the physical "
                    + "licence) has 1 to 64 letters, digits and hyphens.");
        }
        LocalDate today = LocalDate.now(clock.withZone(CHINA));
        LocalDate from = request.validFrom() != null ? request.validFrom() : today;
        LocalDate until = request.validUntil() != null ? request.validUntil()
                : type.validityYears() == null ? null : from.plusYears(type.validityYears()).minusDays(1);
        if (until != null && until.isBefore(from)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "validUntil " + until + " is before validFrom " + from + ".");
        }
        String fieldsText = JSON.writeValueAsString(fields);
        // the same issuance sent twice at once (an approval system's retry while the first is still sealing) waits
        // here for the first to commit and replays it; both used to seal, and the second failed on the unique
        // physical number (a 500, and a sealed licence PDF of no licence)
        store.lockPhysicalNumber(type.code(), request.physicalNumber());
        var existing = store.byPhysicalNumber(type.code(), request.physicalNumber(), 1);
        if (existing.isPresent()) {
            Licence first = existing.get();
            boolean same = first.holder().equals(request.holder()) && JSON.readTree(first.fields()).equals(fields)
                    && first.validFrom().equals(from) && Objects.equals(first.validUntil(), until);
            if (!same) {
                throw new RejectedException(Problem.LICENCE_EXISTS, "Licence " + first.identifier() + " was issued with "
                        + "physical number " + request.physicalNumber() + " and other data; a change is an amendment.");
            }
            return new Issued(first, true);
        }
        SealService.SealInfo seal = seals.agencyOf(type.sealId());
        String serial = today.getYear() + String.format("%07d", store.next(seal.agencyCode(), type.code(),
                "serial-" + today.getYear(), 1));
        LicenceIdentifier identifier = new LicenceIdentifier(type.code(), seal.agencyCode(), serial, 1);
        Licence licence = make(type, seal, identifier, request.holder(), fieldsText, request.physicalNumber(),
                request.approvalItem(), from, until, null, actor);
        audit.record(actor, "licence.issue", subject(licence.identifier()), "type=" + type.code() + " physical="
                + licence.physicalNumber() + " holder=" + licence.holder().masked() + " status-index=" + licence.statusIndex());
        return new Issued(licence, false);
    }

    /** Makes, seals and stores one version; the caller audits. */
    private Licence make(LicenceType type, SealService.SealInfo seal, LicenceIdentifier identifier, Holder holder,
                         String fields, String physicalNumber, String approvalItem, LocalDate from, LocalDate until,
                         UUID replaces, String actor) {
        int index = (int) store.next(seal.agencyCode(), type.code(), "status-index", 0);
        Instant now = clock.instant();
        Licence licence = new Licence(UUID.randomUUID(), identifier.toString(), type.code(), seal.agencyCode(),
                seal.agency(), identifier.serial(), identifier.version(), holder, fields, physicalNumber, approvalItem,
                from, until, LicenceStatus.VALID, null, now, index, replaces, null, actor, now, type.formats());
        CwtClaims claims = new LicenceQr(licence.identifier(), type.code(), holder.name(), holder.masked(), from, until,
                seal.agencyCode(), now.truncatedTo(ChronoUnit.SECONDS), null,
                new CwtClaims.StatusReference(index, statusLists.uri(seal.agencyCode(), type.code()))).toClaims();
        String qr = seals.signCode(type.sealId(), claims);
        String reason = PdfVerifier.LICENCE_ISSUANCE_REASON + " " + type.name();
        // encoded once for both files (ZXing's mask choice was a tenth of an issuance's CPU, encoded twice)
        QrSymbol symbol = QrSymbol.encode(qr);
        // the OFD drawn and sealed beside the PDF (SideBySide: the caller's transaction stays on this thread)
        CompletableFuture<byte[]> ofd = type.issues(LicenceType.Format.OFD)
                ? sideBySide.start(() -> seals.stampOfd(type.ofdSealId(), LicenceOfd.render(type, licence, symbol, font), 1,
                        LicenceLayout.SEAL_X_MM, LicenceLayout.SEAL_Y_MM, ofdLevel(type), reason))
                : CompletableFuture.completedFuture(null);
        byte[] pdf = null;
        try {
            if (type.issues(LicenceType.Format.PDF)) {
                pdf = seals.stamp(type.sealId(), LicencePdf.render(type, licence, symbol, font), 1,
                        LicenceLayout.SEAL_X_MM, LicenceLayout.SEAL_Y_MM, type.signatureLevel(), reason);
            }
        } catch (RuntimeException e) {
            // the OFD's part ends before this failure is answered: nothing of an issuance runs after its answer
            ofd.exceptionally(failed -> null).join();
            throw e;
        }
        Licence stored = new Licence(licence.id(), licence.identifier(), licence.typeCode(), licence.issuerCode(),
                licence.issuerName(), licence.serial(), licence.version(), holder, fields, physicalNumber, approvalItem,
                from, until, LicenceStatus.VALID, null, now, index, replaces, qr, actor, now, type.formats());
        store.insert(stored, pdf, SideBySide.join(ofd));
        statusLists.changed(seal.agencyCode(), type.code());
        return stored;
    }

    public Licence get(String identifier) {
        LicenceIdentifier.parse(identifier);
        return store.byIdentifier(identifier, false).orElseThrow(() -> new RejectedException(Problem.UNKNOWN_LICENCE,
                "There is no licence " + identifier + "."));
    }

    /**
     * The OFD's seal level: a GB/T 38540 seal has a time-stamp (OFD-SES-T, asked as B_T) or not (B_B), and no room for
     * the long-term data of B-LT and B-LTA, which the type's PDF keeps; so a type at B-T or above seals its OFD at B-T.
     */
    public static String ofdLevel(LicenceType type) {
        return SignatureLevel.parse(type.signatureLevel()) == SignatureLevel.B_B
                ? "B_B" : "B_T";
    }

    public byte[] pdf(String identifier) {
        Licence licence = get(identifier);
        return store.pdf(identifier).orElseThrow(() -> new RejectedException(Problem.LICENCE_FILE_NOT_ISSUED,
                "Licence " + licence.identifier() + " was issued as " + licence.files() + " only: it has no PDF."));
    }

    /** The sealed national-standard licence file (GB/T 33190 OFD with a GB/T 38540 seal). */
    public byte[] ofd(String identifier) {
        Licence licence = get(identifier);
        return store.ofd(identifier).orElseThrow(() -> new RejectedException(Problem.LICENCE_FILE_NOT_ISSUED,
                "Licence " + licence.identifier() + " was issued as " + licence.files() + " only: it has no OFD."));
    }

    public List<Licence> ofHolder(String holderNumber) {
        return store.ofHolder(holderNumber);
    }

    /**
     * The status verifiers are told: the stored one, except that a VALID licence whose validFrom is still ahead
     * (China's day) is NOT_YET_VALID: it was issued ahead of its start, and a file of it proves nothing before then;
     * and a VALID or SUSPENDED licence whose last day is past is EXPIRED, whether or not the hourly expiry
     * ({@link LicenceExpiry}) has marked it yet (until then its PDF verified "licence valid now").
     */
    public String liveStatus(Licence licence) {
        LocalDate today = LocalDate.now(clock.withZone(CHINA));
        boolean current = licence.status() == LicenceStatus.VALID || licence.status() == LicenceStatus.SUSPENDED;
        if (current && licence.validUntil() != null && licence.validUntil().isBefore(today)) {
            return LicenceStatus.EXPIRED.name();
        }
        return licence.status() == LicenceStatus.VALID && licence.validFrom().isAfter(today)
                ? "NOT_YET_VALID" : licence.status().name();
    }

    /** The version that replaced this one, if any. */
    public Optional<Licence> successor(Licence licence) {
        return store.successorOf(licence.id());
    }

    @Transactional
    public Licence suspend(String identifier, String reason, String actor) {
        return change(identifier, List.of(LicenceStatus.VALID), LicenceStatus.SUSPENDED, reason, actor, "licence.suspend");
    }

    @Transactional
    public Licence restore(String identifier, String actor) {
        return change(identifier, List.of(LicenceStatus.SUSPENDED), LicenceStatus.VALID, null, actor, "licence.restore");
    }

    @Transactional
    public Licence revoke(String identifier, String reason, String actor) {
        return change(identifier, List.of(LicenceStatus.VALID, LicenceStatus.SUSPENDED), LicenceStatus.REVOKED, reason,
                actor, "licence.revoke");
    }

    @Transactional
    public Licence cancel(String identifier, String reason, String actor) {
        return change(identifier, List.of(LicenceStatus.VALID, LicenceStatus.SUSPENDED), LicenceStatus.CANCELLED, reason,
                actor, "licence.cancel");
    }

    /**
     * A new version replacing {@code identifier} (renewal: new validity; amendment: new fields or holder name),
     * sealed anew; the old version becomes SUPERSEDED.
     */
    @Transactional
    public Licence replace(String identifier, JsonNode fields, String holderName, LocalDate validUntil, String actor,
                           String action) {
        Licence old = locked(identifier);
        if (old.status() != LicenceStatus.VALID) {
            throw new RejectedException(Problem.LICENCE_STATUS_CONFLICT, "Licence " + identifier + " is " + old.status()
                    + "; only a valid licence can be renewed or amended.");
        }
        LicenceType type = types.get(old.typeCode());
        JsonNode newFields = fields != null ? fields : JSON.readTree(old.fields());
        FieldSchema.check(type.fieldsSchema(), newFields);
        Holder holder = holderName == null ? old.holder() : new Holder(old.holder().kind(), holderName, old.holder().number());
        LocalDate until = validUntil != null ? validUntil : old.validUntil();
        LocalDate from = "licence.renew".equals(action) ? LocalDate.now(clock.withZone(CHINA)) : old.validFrom();
        if (until != null && until.isBefore(from)) {
            // as at issuance: a renewal ending before it starts superseded a valid licence with an expired one
            throw new RejectedException(Problem.INVALID_REQUEST, "validUntil " + until + " is before validFrom " + from + ".");
        }
        SealService.SealInfo seal = seals.agencyOf(type.sealId());
        LicenceIdentifier next = LicenceIdentifier.parse(old.identifier()).nextVersion();
        Instant now = clock.instant();
        store.changeStatus(old.id(), LicenceStatus.VALID, LicenceStatus.SUPERSEDED, "replaced by " + next, now);
        Licence created = make(type, seal, next, holder, JSON.writeValueAsString(newFields), old.physicalNumber(),
                old.approvalItem(), from, until, old.id(), actor);
        audit.record(actor, action, subject(created.identifier()), "replaces " + old.identifier());
        audit.record(actor, "licence.supersede", subject(old.identifier()), "replaced by " + created.identifier());
        Meters.count(meters, Meters.LICENCES, "action", action.replace("licence.", ""), "outcome", "done", "level",
                levelOf(type.code()));
        return created;
    }

    /**
     * Marks at most {@code limit} licences whose validity has ended as expired, in one transaction; returns their
     * identifiers. Called in batches ({@link LicenceExpiry}): each expiry writes an audit entry under the audit
     * chain's lock, held until the commit, so one transaction for every ended licence of a registry of millions (1.7
     * million at once in RegistryBenchmark) held back every other audited change for as long.
     */
    @Transactional
    public List<String> expire(int limit) {
        LocalDate today = LocalDate.now(clock.withZone(CHINA));
        List<String> expired = new ArrayList<>();
        for (String identifier : store.endedBefore(today, limit)) {
            Licence licence = locked(identifier);
            if ((licence.status() == LicenceStatus.VALID || licence.status() == LicenceStatus.SUSPENDED)
                    && licence.validUntil() != null && licence.validUntil().isBefore(today)) {
                store.changeStatus(licence.id(), licence.status(), LicenceStatus.EXPIRED, "validity ended "
                        + licence.validUntil(), clock.instant());
                audit.record("system", "licence.expire", subject(identifier), "valid until " + licence.validUntil());
                statusLists.changed(licence.issuerCode(), licence.typeCode());
                expired.add(identifier);
            }
        }
        return expired;
    }

    public static String subject(String identifier) {
        return "licence:" + identifier;
    }

    private Licence change(String identifier, List<LicenceStatus> from, LicenceStatus to, String reason, String actor,
                           String action) {
        Licence licence = locked(identifier);
        if (!from.contains(licence.status())) {
            throw new RejectedException(Problem.LICENCE_STATUS_CONFLICT, "Licence " + identifier + " is "
                    + licence.status() + "; this change needs it to be " + from + ".");
        }
        store.changeStatus(licence.id(), licence.status(), to, reason, clock.instant());
        audit.record(actor, action, subject(identifier), (reason == null ? "" : "reason=" + reason + " ")
                + licence.status() + " -> " + to);
        statusLists.changed(licence.issuerCode(), licence.typeCode());
        Meters.count(meters, Meters.LICENCES, "action", action.replace("licence.", ""), "outcome", "done", "level",
                levelOf(licence.typeCode()));
        return store.byIdentifier(identifier, false).orElseThrow();
    }

    private Licence locked(String identifier) {
        LicenceIdentifier.parse(identifier);
        return store.byIdentifier(identifier, true).orElseThrow(() -> new RejectedException(Problem.UNKNOWN_LICENCE,
                "There is no licence " + identifier + "."));
    }
}
