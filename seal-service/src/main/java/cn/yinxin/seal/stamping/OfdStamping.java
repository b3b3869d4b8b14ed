package cn.yinxin.seal.stamping;

import cn.yinxin.seal.registry.Seal;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.ofd.OfdPackage;
import cn.yinxin.core.ofd.OfdReader;
import cn.yinxin.core.ofd.OfdXml;
import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.pdf.PdfVerifier;
import cn.yinxin.core.pdf.SealPlacement;
import cn.yinxin.core.pdf.SignatureLevel;
import cn.yinxin.core.pki.HttpTimeStamper;
import cn.yinxin.core.pki.Sm2Signatures;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.seal.registry.SealRegistry;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.audit.SigningRecord;
import cn.yinxin.service.metrics.Meters;
import cn.yinxin.service.metrics.TimedPki;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.Roles;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import org.w3c.dom.Element;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Stamps an OFD (GB/T 33190) with GB/T 38540 seals through core's {@link OfdSealer}, under the rules a PDF stamp
 * follows (StampService): the caller must be a user of each seal at the level asked, a licence document is stamped
 * for the licence service only, each seal's stamp record and signing-record audit entry are written in the request's
 * transaction, and an Idempotency-Key gets the first answer back. Only a seal with an SESeal made by this service's
 * seal maker (an SM2 seal) can seal an OFD: GB/T 38540 has no other kind. Levels: {@link OfdLevel}.
 * <p>
 * Kept apart from the PDF path on purpose: the two share the seal registry, the records and the idempotency table,
 * not the sealing code.
 */
@Service
public class OfdStamping {

    /** The answer's content type (GB/T 33190 names none; application/ofd is what OFD software sends and expects). */
    public static final String MEDIA_TYPE = "application/ofd";

    /** An OFD stamp request: the seals in order, the reason (not carried by GB/T 38540, checked as for a PDF). */
    public record Order(List<StampService.SealOrder> seals, String reason, SignatureLevel level, boolean allowLower) {

        public Order {
            if (seals.isEmpty()) {
                throw new RejectedException(Problem.INVALID_REQUEST, "Name at least one seal.");
            }
            seals = List.copyOf(seals);
        }
    }

    /** The sealed OFD, its records (one per seal), the level asked for and whether this is a replayed answer. */
    public record Stamped(byte[] ofd, List<StampRecord> records, SignatureLevel requested, boolean replayed) {

        public String level() {
            return records.get(0).signatureLevel();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(OfdStamping.class);

    private final SealRegistry seals;
    private final StampRecords records;
    private final IdempotentResults idempotent;
    private final AuditLog audit;
    private final TransactionTemplate separateTransaction;
    private final OfdLimits limits;
    private final OfdSealer timeStamped;
    private final OfdSealer plain;
    private final Clock clock;
    private final MeterRegistry meters;

    public OfdStamping(SealRegistry seals, StampRecords records, IdempotentResults idempotent, AuditLog audit,
                       PlatformTransactionManager transactions,
                       @Value("${yinxin.stamp.tsa-url}") URI tsaUrl,
                       @Value("${yinxin.stamp.service-timeout:PT5S}") Duration timeout,
                       @Value("${yinxin.stamp.max-pages:5000}") int maxPages,
                       @Value("${yinxin.stamp.ofd.max-entries:10000}") int maxEntries,
                       @Value("${yinxin.stamp.ofd.max-entry-size:32MB}") DataSize maxEntry,
                       @Value("${yinxin.stamp.ofd.max-inflated-size:64MB}") DataSize maxInflated,
                       @Value("${yinxin.stamp.ofd.max-ratio:100}") int maxRatio,
                       @Value("${yinxin.stamp.ofd.max-xml-size:8MB}") DataSize maxXml,
                       @Value("${yinxin.stamp.ofd.max-page-side-mm:5000}") double maxPageSide,
                       @Value("${yinxin.stamp.ofd.max-signatures:100}") int maxSignatures,
                       MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.seals = seals;
        this.records = records;
        this.idempotent = idempotent;
        this.audit = audit;
        this.meters = meters;
        this.limits = new OfdLimits(maxEntries, maxEntry.toBytes(), maxInflated.toBytes(), maxRatio, maxXml.toBytes(),
                maxPages, maxPageSide, maxSignatures);
        // the TSA timed and counted as the PDF path's is (yinxin.calls{target=tsa})
        this.timeStamped = new OfdSealer(TimedPki.timeStamper(new HttpTimeStamper(tsaUrl, timeout), meters),
                this.limits);
        this.plain = new OfdSealer(null, this.limits);
        this.separateTransaction = new TransactionTemplate(transactions);
        this.separateTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** How many pages the OFD has (for crossPages=all), read within the limits; a bad package is refused. */
    int pages(byte[] ofd) {
        return new OfdReader(limits).read(ofd).pages().size();
    }

    /**
     * The sealed OFD with its stored records, or an exception and nothing stored (but an audited refusal). With an
     * Idempotency-Key, a retry of the same request by the same caller gets the stored first answer; the key and its
     * table are shared with PDF stamps, and an OFD request never matches a PDF one.
     */
    @Transactional
    public Stamped stamp(byte[] ofd, Order order, String caller, String idempotencyKey, String source)
            throws GeneralSecurityException {
        // counted with the PDF stamps (yinxin.stamps, the same tags); the level names tell OFD stamps apart
        String level = order.level() == null ? "default" : order.level().label();
        try {
            Stamped stamped = stampOnce(ofd, order, caller, idempotencyKey, source);
            level = stamped.level();
            Meters.count(meters, Meters.STAMPS, "outcome", stamped.replayed() ? "replayed" : "stamped", "level", level);
            log.info("Stamped an OFD at {} with {} seal(s){}", level, order.seals().size(),
                    stamped.replayed() ? " (replayed)" : "");
            return stamped;
        } catch (RejectedException e) {
            Meters.count(meters, Meters.STAMPS, "outcome", "refused", "level", level);
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            Meters.count(meters, Meters.STAMPS, "outcome", "failed", "level", level);
            throw e;
        }
    }

    private Stamped stampOnce(byte[] ofd, Order order, String caller, String idempotencyKey, String source)
            throws GeneralSecurityException {
        if (idempotencyKey == null) {
            return sealAndRecord(ofd, order, caller, source);
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255
                || !idempotencyKey.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "An Idempotency-Key is 1 to 255 printable ASCII characters.");
        }
        String fingerprint = fingerprint(ofd, order);
        String scope = StampService.idempotencyScope(Caller.current());
        var stored = idempotent.find(scope, idempotencyKey);
        if (stored.isPresent()) {
            if (!stored.get().requestSha256().equals(fingerprint) || stored.get().result() == null) {
                throw new RejectedException(Problem.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + idempotencyKey
                        + "' was used for a different request; use a new key for a new request.");
            }
            byte[] first = stored.get().result();
            return new Stamped(first, records.forResult(StampService.sha256(first)),
                    SignatureLevel.valueOf(stored.get().requestedLevel()), true);
        }
        Stamped stamped = sealAndRecord(ofd, order, caller, source);
        if (!idempotent.add(scope, idempotencyKey, fingerprint, stamped.records().get(0).id(), stamped.ofd(), null,
                stamped.requested().name())) {
            throw new RejectedException(Problem.IDEMPOTENCY_KEY_IN_USE, "Another request with Idempotency-Key '"
                    + idempotencyKey + "' was handled at the same time; retry to get its answer.");
        }
        return stamped;
    }

    private Stamped sealAndRecord(byte[] ofd, Order order, String caller, String source)
            throws GeneralSecurityException {
        // a package that is not a safe OFD is refused here (415/413/422), before any seal is touched
        OfdPackage pack = OfdPackage.read(ofd, limits);
        OfdDocument document = new OfdReader(limits).read(pack);
        try {
            licenceDocuments(Caller.current(), order.reason(), document);
        } catch (RejectedException e) {
            refusedAudit(caller, order.seals().get(0).sealId(), e);
            throw e;
        }
        SignatureLevel requested = order.level() != null ? order.level()
                : seals.get(order.seals().get(0).sealId()).defaultLevel();
        List<SealRegistry.Usable> chosen = new ArrayList<>();
        List<SESeal> sesSeals = new ArrayList<>();
        for (StampService.SealOrder one : order.seals()) {
            var use = new SealRegistry.Use(requested, false, one.placement().crossPages() != null, false);
            SealRegistry.Usable seal;
            try {
                seal = seals.usable(one.sealId(), Caller.current(), use);
            } catch (RejectedException e) {
                if (e.problem() == Problem.SEAL_NOT_PERMITTED) {
                    refusedAudit(caller, one.sealId(), e);
                }
                throw e;
            }
            chosen.add(seal);
            sesSeals.add(sesSeal(seal));
        }
        if (order.level() != null && order.level().atLeast(SignatureLevel.B_LT) && !order.allowLower()) {
            // asked for by name, long-term evidence an OFD seal has no room for is refused, not silently dropped
            throw new RejectedException(Problem.INVALID_REQUEST, "An OFD seal (GB/T 38540) has no place for the "
                    + "validation data of " + requested.label() + " or an archive time-stamp: ask for B-T (a seal with "
                    + "a time-stamp, " + OfdLevel.SES_T_LABEL + "), or send allowLowerLevel=true to accept it.");
        }
        Instant now = clock.instant();
        OfdLevel reached = OfdLevel.of(requested);
        Sealed sealed = null;
        GeneralSecurityException failure = null;
        while (sealed == null) {
            try {
                sealed = seal(pack, chosen, sesSeals, order, now, reached);
            } catch (GeneralSecurityException | java.security.ProviderException e) {
                // the TSA down, or a PKCS#11 key handle gone (a renewal meanwhile)
                if (e instanceof java.security.ProviderException) {
                    Meters.count(meters, Meters.KEY_STORE_ERRORS, "operation", "sign");
                }
                failure = failure != null ? failure : e instanceof GeneralSecurityException g ? g
                        : new GeneralSecurityException(e.getMessage(), e);
                log.warn("OFD sealing at {} failed: {}", reached.label(), e.getMessage());
                if (reached == OfdLevel.SES_T && order.allowLower()
                        && permitted(chosen, OfdLevel.SES_B.padesEquivalent())) {
                    reached = OfdLevel.SES_B;
                } else {
                    break;
                }
            }
        }
        if (sealed == null) {
            for (SealRegistry.Usable seal : chosen) {
                if (!seals.get(seal.seal().id()).caSerial().equals(seal.seal().caSerial())) {
                    throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + seal.seal().id() + "' was renewed "
                            + "while this stamp was being made; send the request again.");
                }
            }
            throw new RejectedException(Problem.LEVEL_UNAVAILABLE, reached.label() + " (for " + requested.label()
                    + ") cannot be reached now: " + failure.getMessage()
                    + (order.allowLower() ? "" : " (send allowLowerLevel=true to accept a seal without a time-stamp)"));
        }
        String before = SigningRecord.sha256(ofd);
        String after = SigningRecord.sha256(sealed.ofd());
        UUID documentId = UUID.randomUUID();
        List<StampRecord> stored = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            SealRegistry.Usable seal = chosen.get(i);
            SealPlacement where = sealed.placements().get(i);
            StampRecord record = new StampRecord(i == 0 ? documentId : UUID.randomUUID(), seal.seal().id(), caller,
                    before, after, reached.label(), where.page(), where.xMm(), where.yMm(),
                    order.seals().get(i).placement().anchor(), now);
            records.add(record);
            stored.add(record);
            // the signing record (签章过程) in the audit chain, in this transaction: a stamp without it is not kept
            audit.record(caller, "stamp", Seal.auditSubject(record.sealId()), SigningRecord.of(
                    Caller.current(), source, record.sealId(), SigningRecord.certificate(seal.seal().caIssuer(),
                            seal.key().certificate().getSerialNumber()), before, after, reached.label())
                    .details() + " stamp=" + record.id() + " format=ofd");
        }
        // the order a replay finds them in (StampRecords.forResult)
        stored.sort(Comparator.comparingInt(StampRecord::page).thenComparingDouble(StampRecord::xMm)
                .thenComparingDouble(StampRecord::yMm));
        return new Stamped(sealed.ofd(), stored, requested, false);
    }

    private record Sealed(byte[] ofd, List<SealPlacement> placements) {
    }

    /** Each seal over the ones before it (so a later one covers the earlier ones' files), then the package. */
    private Sealed seal(OfdPackage pack, List<SealRegistry.Usable> chosen, List<SESeal> sesSeals, Order order,
                        Instant now, OfdLevel level) throws GeneralSecurityException {
        OfdSealer sealer = level == OfdLevel.SES_T ? timeStamped : plain;
        OfdReader reader = new OfdReader(limits);
        Set<String> before = signatureFiles(reader.read(pack));
        List<SealPlacement> placements = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            pack = sealer.seal(pack, new OfdSealRequest(sesSeals.get(i), chosen.get(i).key(),
                    order.seals().get(i).placement(), now));
            OfdDocument after = reader.read(pack);
            placements.add(placed(after, before));
            before = signatureFiles(after);
        }
        return new Sealed(pack.toZip(), placements);
    }

    /**
     * The seal's GB/T 38540 SESeal: an OFD seal is nothing else, so a seal without one (a P-256 seal, or one imported
     * from outside) is refused as national mode refuses it.
     */
    private SESeal sesSeal(SealRegistry.Usable seal) {
        var found = seals.nationalSeal(seal.seal());
        if (found.isEmpty() || !Sm2Signatures.isSm2(seal.key().certificate().getPublicKey())) {
            throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + seal.seal().id() + "' has no GB/T 38540 "
                    + "seal (SESeal): an OFD is sealed only with an SM2 seal created by this service.");
        }
        return found.get();
    }

    /**
     * Where the seal just added went, as its record keeps it: the page and the centre (mm from the top-left) of its
     * first StampAnnot, read back from the new Signature.xml, so that an anchor's place is recorded as found.
     */
    private SealPlacement placed(OfdDocument document, Set<String> before) {
        OfdPackage pack = document.pack();
        for (OfdDocument.SignatureEntry entry : document.signatures()) {
            if (before.contains(entry.signatureXml())) {
                continue;
            }
            Element info = OfdXml.required(OfdXml.root(OfdXml.parse(pack.get(entry.signatureXml()),
                    entry.signatureXml(), limits), "Signature", entry.signatureXml()), "SignedInfo", entry.signatureXml());
            Element annot = OfdXml.descendants(info, "StampAnnot").get(0);
            String[] box = annot.getAttribute("Boundary").trim().split("\\s+");
            int page = 0;
            for (OfdDocument.Page p : document.pages()) {
                if (p.id().equals(annot.getAttribute("PageRef"))) {
                    page = p.number();
                }
            }
            return new SealPlacement(page, Double.parseDouble(box[0]) + Double.parseDouble(box[2]) / 2,
                    Double.parseDouble(box[1]) + Double.parseDouble(box[3]) / 2);
        }
        throw new IllegalStateException("the sealer added no signature");
    }

    private static Set<String> signatureFiles(OfdDocument document) {
        Set<String> files = new HashSet<>();
        document.signatures().forEach(s -> files.add(s.signatureXml()));
        return files;
    }

    /**
     * As LicenceDocuments for a PDF: an OFD that carries GB/T 36903 licence metadata (CustomData with a licence
     * identifier), or a request whose reason says it issues a licence, is what a verifier takes for that licence; only
     * the licence service has such documents stamped (403 signing-not-permitted, audited as stamp.refused).
     */
    static void licenceDocuments(Caller caller, String reason, OfdDocument document) {
        if (caller.has(Roles.LICENCE_SERVICE_CLIENT)) {
            return;
        }
        if (reason != null && reason.strip().startsWith(PdfVerifier.LICENCE_ISSUANCE_REASON)) {
            throw new RejectedException(Problem.SIGNING_NOT_PERMITTED, "The reason '"
                    + PdfVerifier.LICENCE_ISSUANCE_REASON + "' (licence issuance) is stamped for the licence service only.");
        }
        var licence = document.licence();
        if (licence != null && licence.identifier() != null && !licence.identifier().isBlank()) {
            throw new RejectedException(Problem.SIGNING_NOT_PERMITTED, "The OFD names licence " + licence.identifier()
                    + " (GB/T 36903 metadata in OFD.xml CustomData): licence documents are stamped for the licence "
                    + "service only.");
        }
    }

    private void refusedAudit(String caller, String sealId, RejectedException e) {
        // the refusal is kept although the request's own transaction rolls back
        separateTransaction.executeWithoutResult(t -> audit.record(caller, "stamp.refused",
                Seal.auditSubject(sealId), "client=" + Caller.current().client() + " format=ofd: " + e.getMessage()));
    }

    private static boolean permitted(List<SealRegistry.Usable> chosen, SignatureLevel level) {
        String client = Caller.current().client();
        return chosen.stream().allMatch(s -> s.seal().user(client).levels().contains(level));
    }

    /** What makes two OFD requests the same: the document and every parameter; never equal to a PDF request's. */
    private static String fingerprint(byte[] ofd, Order order) {
        String parameters = String.join("\u0000", "ofd", SigningRecord.sha256(ofd), String.valueOf(order.seals()),
                String.valueOf(order.reason()), String.valueOf(order.level()), String.valueOf(order.allowLower()));
        return StampService.sha256(parameters.getBytes(StandardCharsets.UTF_8));
    }
}
