package cn.yinxin.seal.stamping;

import cn.yinxin.seal.registry.Seal;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdLimits;
import cn.yinxin.core.ofd.OfdPackage;
import cn.yinxin.core.ofd.OfdReader;
import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.cms.HttpTimeStamper;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.seal.registry.SealRegistry;
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
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.unit.DataSize;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    private final ChosenSeals choosing;
    private final StampRecording recording;
    private final StampRecords records;
    private final IdempotencyKeys idempotency;
    private final OfdLimits limits;
    private final OfdSealer timeStamped;
    private final OfdSealer plain;
    private final Clock clock;
    private final MeterRegistry meters;

    public OfdStamping(SealRegistry seals, ChosenSeals choosing, StampRecording recording, StampRecords records,
                       IdempotencyKeys idempotency,
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
        this.seals = seals;
        this.choosing = choosing;
        this.recording = recording;
        this.records = records;
        this.idempotency = idempotency;
        this.clock = clock;
        this.meters = meters;
        this.limits = new OfdLimits(maxEntries, maxEntry.toBytes(), maxInflated.toBytes(), maxRatio, maxXml.toBytes(),
                maxPages, maxPageSide, maxSignatures);
        // the TSA timed and counted as the PDF path's is (yinxin.calls{target=tsa})
        this.timeStamped = new OfdSealer(TimedPki.timeStamper(new HttpTimeStamper(tsaUrl, timeout), meters),
                this.limits);
        this.plain = new OfdSealer(null, this.limits);
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
    public Stamped stamp(byte[] ofd, Order order, Requester who, String idempotencyKey)
            throws GeneralSecurityException {
        // counted with the PDF stamps (yinxin.stamps, the same tags); the level names tell OFD stamps apart
        String level = order.level() == null ? "default" : order.level().label();
        try {
            Stamped stamped = stampOnce(ofd, order, who, idempotencyKey);
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

    private Stamped stampOnce(byte[] ofd, Order order, Requester who, String idempotencyKey)
            throws GeneralSecurityException {
        if (idempotencyKey == null) {
            return sealAndRecord(ofd, order, who);
        }
        IdempotencyKeys.check(idempotencyKey);
        String fingerprint = fingerprint(ofd, order);
        // an OFD's first answer is always kept as bytes: one kept in a file is a PDF's, so another request's
        var stored = idempotency.firstAnswer(who, idempotencyKey, fingerprint, true);
        if (stored.isPresent()) {
            byte[] first = stored.get().result();
            return new Stamped(first, records.forResult(IdempotencyKeys.sha256(first)),
                    SignatureLevel.valueOf(stored.get().requestedLevel()), true);
        }
        Stamped stamped = sealAndRecord(ofd, order, who);
        idempotency.keep(who, idempotencyKey, fingerprint, stamped.records().get(0).id(), stamped.ofd(), null,
                stamped.requested().name(), () -> { });
        return stamped;
    }

    private Stamped sealAndRecord(byte[] ofd, Order order, Requester who) throws GeneralSecurityException {
        // a package that is not a safe OFD is refused here (415/413/422), before any seal is touched
        OfdPackage pack = OfdPackage.read(ofd, limits);
        OfdDocument document = new OfdReader(limits).read(pack);
        try {
            licenceDocuments(who.caller(), order.reason(), document);
        } catch (RejectedException e) {
            choosing.refused(who, order.seals().get(0).sealId(), e, FORMAT);
            throw e;
        }
        List<SESeal> sesSeals = new ArrayList<>();
        ChosenSeals.Chosen chosen = choosing.choose(order.seals(), order.level(), who, (i, one, level) ->
                new SealRegistry.Use(level, false, one.placement().crossPages() != null, false), FORMAT,
                seal -> sesSeals.add(sesSeal(seal)));
        SignatureLevel requested = chosen.requested();
        if (order.level() != null && order.level().atLeast(SignatureLevel.B_LT) && !order.allowLower()) {
            // asked for by name, long-term evidence an OFD seal has no room for is refused, not silently dropped
            throw new RejectedException(Problem.INVALID_REQUEST, "An OFD seal (GB/T 38540) has no place for the "
                    + "validation data of " + requested.label() + " or an archive time-stamp: ask for B-T (a seal with "
                    + "a time-stamp, " + OfdLevel.SES_T_LABEL + "), or send allowLowerLevel=true to accept it.");
        }
        Instant now = clock.instant();
        Attempt attempt = sealAtLevel(document, chosen, sesSeals, order, who, now);
        var sealed = new StampRecording.Sealed(UUID.randomUUID(), SigningRecord.sha256(ofd),
                SigningRecord.sha256(attempt.sealed().ofd()), attempt.reached().label(), now,
                attempt.sealed().placements());
        List<StampRecord> stored = recording.record(sealed, chosen.seals(), order.seals(), who, i -> FORMAT);
        return new Stamped(attempt.sealed().ofd(), stored, requested, false);
    }

    /** Added to the audit details of OFD stamps and refusals. */
    private static final String FORMAT = " format=ofd";

    private record Attempt(Sealed sealed, OfdLevel reached) {
    }

    /**
     * Seals at the OFD level of the one asked for; with allowLowerLevel, a time-stamped seal that cannot be made
     * falls back to one without (when every seal's user entry allows B-B). None made: refused as a renewal
     * meanwhile, else 503 level-unavailable.
     */
    private Attempt sealAtLevel(OfdDocument document, ChosenSeals.Chosen chosen, List<SESeal> sesSeals, Order order,
                                Requester who, Instant now) throws GeneralSecurityException {
        OfdLevel reached = OfdLevel.of(chosen.requested());
        GeneralSecurityException failure = null;
        while (true) {
            try {
                return new Attempt(seal(document, chosen.seals(), sesSeals, order, now, reached), reached);
            } catch (GeneralSecurityException | ProviderException e) {
                // the TSA down, or a PKCS#11 key handle gone (a renewal meanwhile)
                if (e instanceof ProviderException) {
                    Meters.count(meters, Meters.KEY_STORE_ERRORS, "operation", "sign");
                }
                failure = failure != null ? failure : e instanceof GeneralSecurityException g ? g
                        : new GeneralSecurityException(e.getMessage(), e);
                log.warn("OFD sealing at {} failed: {}", reached.label(), e.getMessage());
                if (reached == OfdLevel.SES_T && order.allowLower()
                        && permitted(chosen.seals(), OfdLevel.SES_B.padesEquivalent(), who)) {
                    reached = OfdLevel.SES_B;
                } else {
                    break;
                }
            }
        }
        seals.refuseIfRenewedMeanwhile(chosen.seals());
        throw new RejectedException(Problem.LEVEL_UNAVAILABLE, reached.label() + " (for " + chosen.requested().label()
                + ") cannot be reached now: " + failure.getMessage()
                + (order.allowLower() ? "" : " (send allowLowerLevel=true to accept a seal without a time-stamp)"));
    }

    private record Sealed(byte[] ofd, List<SealPlacement> placements) {
    }

    /**
     * Each seal over the ones before it (so a later one covers the earlier ones' files), then the package. The first
     * seal goes over the document read for the request's checks; each further one reads the package it changed.
     */
    private Sealed seal(OfdDocument document, List<SealRegistry.Usable> chosen, List<SESeal> sesSeals, Order order,
                        Instant now, OfdLevel level) throws GeneralSecurityException {
        OfdSealer sealer = level == OfdLevel.SES_T ? timeStamped : plain;
        List<SealPlacement> placements = new ArrayList<>();
        OfdPackage pack = document.pack();
        for (int i = 0; i < chosen.size(); i++) {
            OfdDocument current = i == 0 ? document : new OfdReader(limits).read(pack);
            OfdSealer.Sealed sealed = sealer.seal(current, new OfdSealRequest(sesSeals.get(i), chosen.get(i).key(),
                    order.seals().get(i).placement(), now));
            pack = sealed.pack();
            placements.add(sealed.placed());
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

    private static boolean permitted(List<SealRegistry.Usable> chosen, SignatureLevel level, Requester who) {
        return chosen.stream().allMatch(s -> s.seal().user(who.client()).levels().contains(level));
    }

    /** What makes two OFD requests the same: the document and every parameter; never equal to a PDF request's. */
    private static String fingerprint(byte[] ofd, Order order) {
        String parameters = String.join("\u0000", "ofd", SigningRecord.sha256(ofd), String.valueOf(order.seals()),
                String.valueOf(order.reason()), String.valueOf(order.level()), String.valueOf(order.allowLower()));
        return IdempotencyKeys.sha256(parameters.getBytes(StandardCharsets.UTF_8));
    }
}
