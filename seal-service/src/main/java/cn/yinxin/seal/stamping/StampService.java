package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.cms.HttpTimeStamper;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.service.metrics.Meters;
import cn.yinxin.service.metrics.TimedPki;
import io.micrometer.core.instrument.MeterRegistry;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.seal.registry.SealRegistry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.yinxin.core.pdf.MemoryMode;
import cn.yinxin.core.pdf.sign.QrCode;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.QrSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.net.URI;
import java.security.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Stamps a PDF with a seal and keeps the record of it. */
@Service
public class StampService {

    /**
     * The sealed document, its stored record, the level asked for (which may be above the one reached), and
     * whether this is the stored first answer to a retried request.
     */
    public record Stamped(Pdf pdf, List<StampRecord> records, SignatureLevel requested, boolean replayed) {

        /** The level reached (the same for every seal of the request). */
        public String level() {
            return records.get(0).signatureLevel();
        }
    }

    /** One seal of a request: which, and where. */
    public record SealOrder(String sealId, SealPlacement placement) {
    }

    /** Where a QR code for verifying the document goes (null x and y: the bottom-left corner of the first seal's page). */
    public record QrOrder(Double xMm, Double yMm) {
    }

    /**
     * What a stamp request asks for, apart from the PDF: one seal or several, in order, and an optional QR code.
     * {@code national}: true to add a GB/T 38540 seal signature to every seal (SM2 seals with an SESeal only), false
     * for none, null for each seal's default (national when it has an SESeal).
     */
    public record Order(List<SealOrder> seals, String reason, SignatureLevel level, boolean allowLower,
                        Integer certification, QrOrder qr, Boolean national) {

        public Order {
            if (seals.isEmpty()) {
                throw new RejectedException(Problem.INVALID_REQUEST, "Name at least one seal.");
            }
            seals = List.copyOf(seals);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(StampService.class);

    private final SealRegistry seals;
    private final ChosenSeals choosing;
    private final StampRecording recording;
    private final StampRecords records;
    private final IdempotencyKeys idempotency;
    private final StampDocuments documents;
    private final PdfSealer sealer;
    private final Clock clock;
    private final String verificationUrl;
    private final MeterRegistry meters;

    public StampService(SealRegistry seals, ChosenSeals choosing, StampRecording recording, StampRecords records,
                        IdempotencyKeys idempotency, StampDocuments documents,
                        @Value("${yinxin.stamp.tsa-url}") URI tsaUrl,
                        @Value("${yinxin.stamp.service-timeout:PT5S}") Duration timeout,
                        @Value("${yinxin.stamp.verification-url:http://localhost:8080/d/}") String verificationUrl,
                        MeterRegistry meters, Clock clock) {
        this.seals = seals;
        this.choosing = choosing;
        this.recording = recording;
        this.records = records;
        this.idempotency = idempotency;
        this.documents = documents;
        this.meters = meters;
        // the TSA and the OCSP responders timed (yinxin.calls): a slow TSA is the first thing an operator looks at
        this.sealer = new PdfSealer(TimedPki.timeStamper(new HttpTimeStamper(tsaUrl, timeout), meters),
                TimedPki.revocation(new OnlineRevocationSource(timeout), meters), documents.limits());
        this.clock = clock;
        this.verificationUrl = verificationUrl;
    }

    /**
     * Either the sealed PDF together with its stored records, or an exception and nothing stored. When the level
     * asked for cannot be reached (TSA or OCSP down) the request fails, unless {@code allowLower}: then the
     * highest level that can be reached is made, and the record and the answer say which. A document in a file
     * is sealed through temporary files ({@link MemoryMode#TEMP_FILES}) into a file of the result folder
     * ({@link StampDocuments}). The requester is the one the request came in with ({@link Requester#of}); a retry
     * with the same Idempotency-Key is recognised by the authenticated client and person
     * ({@link IdempotencyKeys#scope}), not by the address it comes from: a retry through another proxy or after a
     * network change still gets the first answer, and another client using the same key never sees it.
     */
    @Transactional
    public Stamped stamp(Pdf pdf, Order order, Requester who, String idempotencyKey) throws GeneralSecurityException {
        String level = order.level() == null ? "default" : order.level().label();
        try {
            Stamped stamped = stampOnce(pdf, order, who, idempotencyKey);
            level = stamped.level();
            Meters.count(meters, Meters.STAMPS, "outcome", stamped.replayed() ? "replayed" : "stamped", "level", level);
            // no document content, caller's person or file name here: the request id ties this line to the request
            log.info("Stamped at {} with {} seal(s){}", level, order.seals().size(), stamped.replayed() ? " (replayed)" : "");
            return stamped;
        } catch (RejectedException e) {
            Meters.count(meters, Meters.STAMPS, "outcome", "refused", "level", level);
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            Meters.count(meters, Meters.STAMPS, "outcome", "failed", "level", level);
            throw e;
        }
    }

    private Stamped stampOnce(Pdf pdf, Order order, Requester who, String idempotencyKey)
            throws GeneralSecurityException {
        if (idempotencyKey == null) {
            return sealAndRecord(pdf, order, who);
        }
        IdempotencyKeys.check(idempotencyKey);
        String fingerprint = fingerprint(pdf, order);
        var stored = idempotency.firstAnswer(who, idempotencyKey, fingerprint, false);
        if (stored.isPresent()) {
            Pdf first = StampDocuments.stored(stored.get());
            return new Stamped(first, records.forResult(first.sha256()),
                    SignatureLevel.valueOf(stored.get().requestedLevel()), true);
        }
        Stamped stamped = sealAndRecord(pdf, order, who);
        UUID stampId = stamped.records().get(0).id();
        String requested = stamped.requested().name();
        if (stamped.pdf() instanceof Pdf.InMemory bytes) {
            idempotency.keep(who, idempotencyKey, fingerprint, stampId, bytes.bytes(), null, requested, () -> { });
        } else {
            idempotency.keep(who, idempotencyKey, fingerprint, stampId, null,
                    ((Pdf.InFile) stamped.pdf()).file().toString(), requested, () -> discard(stamped.pdf()));
        }
        return stamped;
    }

    /** Deletes a result file that will not be answered (a refused or superseded request). */
    public static void discard(Pdf pdf) {
        StampDocuments.discard(pdf);
    }

    private Stamped sealAndRecord(Pdf pdf, Order order, Requester who) throws GeneralSecurityException {
        try {
            LicenceDocuments.check(who.caller(), order.reason(), pdf);
        } catch (RejectedException e) {
            choosing.refused(who, order.seals().get(0).sealId(), e, "");
            throw e;
        }
        // the QR code is signed with the first seal's key; a certification can only be the first signature
        ChosenSeals.Chosen chosen = choosing.choose(order.seals(), order.level(), who, (i, one, level) ->
                new SealRegistry.Use(level, order.certification() != null && i == 0,
                        one.placement().crossPages() != null, order.qr() != null && i == 0), "", usable -> { });
        List<SESeal> nationalSeals = new ArrayList<>();
        for (SealRegistry.Usable seal : chosen.seals()) {
            nationalSeals.add(nationalSeal(seal, order.national()));
        }
        Instant now = clock.instant();
        // the first record's id is the document's id, printed in the QR code
        UUID documentId = UUID.randomUUID();
        QrCode qr = order.qr() == null ? null : qrCode(documentId, chosen.seals().get(0), order.qr(), now);
        Attempt attempt = sealAtLevel(pdf, order, who, chosen, nationalSeals, qr, now, documentId);
        try {
            String before = pdf.sha256();
            var sealed = new StampRecording.Sealed(documentId, before, attempt.sealing().pdf().sha256(),
                    attempt.reached().label(), now, attempt.sealing().placements());
            List<StampRecord> stored = recording.record(sealed, chosen.seals(), order.seals(), who,
                    i -> i == 0 && qr != null ? " document-code=" + documentId : "");
            return new Stamped(attempt.sealing().pdf(), stored, chosen.requested(), false);
        } catch (RuntimeException e) {
            discard(attempt.sealing().pdf());
            throw e;
        }
    }

    private record Sealing(Pdf pdf, List<SealPlacement> placements) {
    }

    private record Attempt(Sealing sealing, SignatureLevel reached) {
    }

    /**
     * Seals at the level asked for; with allowLowerLevel, level by level lower (each one every seal's user entry
     * allows) until one is reached. None reached: refused as a renewal meanwhile, else 503 level-unavailable.
     */
    private Attempt sealAtLevel(Pdf pdf, Order order, Requester who, ChosenSeals.Chosen chosen,
                                List<SESeal> nationalSeals, QrCode qr, Instant now, UUID documentId)
            throws GeneralSecurityException {
        SignatureLevel requested = chosen.requested();
        GeneralSecurityException failure = null;
        for (SignatureLevel reached = requested; reached != null; reached = order.allowLower() ? lower(reached) : null) {
            if (!permitted(chosen.seals(), reached, who)) {
                continue;
            }
            try {
                List<SealRequest> requests = new ArrayList<>();
                for (int i = 0; i < chosen.seals().size(); i++) {
                    SealRegistry.Usable seal = chosen.seals().get(i);
                    // a certification can only be the first signature of a document
                    SealRequest request = new SealRequest(seal.key(), seal.appearance(), order.seals().get(i).placement(),
                            seal.seal().name(), order.reason(), now, reached, i == 0 ? order.certification() : null);
                    request = i == 0 && qr != null ? request.withQr(qr) : request;
                    requests.add(nationalSeals.get(i) == null ? request : request.withNationalSeal(nationalSeals.get(i)));
                }
                return new Attempt(seal(pdf, requests, documentId), reached);
            } catch (GeneralSecurityException e) {
                failure = failure == null ? e : failure;
                log.warn("Sealing at {} failed: {}", reached.label(), e.getMessage());
            } catch (ProviderException e) {
                // a PKCS#11 key handle that is gone (destroyed by a renewal meanwhile) fails this way
                Meters.count(meters, Meters.KEY_STORE_ERRORS, "operation", "sign");
                failure = failure == null ? new GeneralSecurityException(e.getMessage(), e) : failure;
                log.warn("Sealing at {} failed in the key's provider: {}", reached.label(), e.getMessage());
            }
        }
        seals.refuseIfRenewedMeanwhile(chosen.seals());
        throw new RejectedException(Problem.LEVEL_UNAVAILABLE, requested.label() + " cannot be reached now: "
                + failure.getMessage() + (order.allowLower() ? "" : " (send allowLowerLevel=true to accept a lower level)"));
    }

    /** The seal's GB/T 38540 SESeal when this stamp is in national mode, else null. */
    private SESeal nationalSeal(SealRegistry.Usable seal, Boolean national) {
        if (Boolean.FALSE.equals(national)) {
            return null;
        }
        var found = seals.nationalSeal(seal.seal());
        if (found.isEmpty() && Boolean.TRUE.equals(national)) {
            throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + seal.seal().id() + "' has no GB/T 38540 "
                    + "seal (SESeal): national mode needs an SM2 seal created by this service.");
        }
        return found.orElse(null);
    }

    /** In memory, or from the upload's file into a file of the results folder, as StampDocuments received it. */
    private Sealing seal(Pdf pdf, List<SealRequest> requests, UUID documentId) throws GeneralSecurityException {
        if (pdf instanceof Pdf.InMemory bytes) {
            var sealed = sealer.stampAll(bytes.bytes(), requests);
            return new Sealing(new Pdf.InMemory(sealed.pdf()), sealed.placements());
        }
        Path input = ((Pdf.InFile) pdf).file();
        var sealed = sealer.stampAll(input, documents.resultFile(documentId), requests, MemoryMode.TEMP_FILES);
        return new Sealing(new Pdf.InFile(sealed.pdf()), sealed.placements());
    }

    /** The signed document code (STANDARDS.md section 4), signed with the first seal's key. */
    private QrCode qrCode(UUID documentId, SealRegistry.Usable seal, QrOrder order, Instant now) {
        String url = DocumentQr.verificationUrl(verificationUrl, documentId);
        String text;
        try {
            text = new QrSigner(seal.key()).sign(new DocumentQr(documentId, url, seal.seal().id(),
                    seal.seal().agencyCode(), now).toClaims());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new RejectedException(Problem.INVALID_REQUEST, "Seal '" + seal.seal().id() + "' cannot sign a QR "
                    + "code (they are signed with ES256, which needs a P-256 key): " + e.getMessage());
        }
        return new QrCode(text, documentId.toString(), order.xMm(), order.yMm());
    }

    /** A lower level reached when allowLowerLevel must still be one every seal's user entry allows. */
    private static boolean permitted(List<SealRegistry.Usable> chosen, SignatureLevel level, Requester who) {
        return chosen.stream().allMatch(s -> s.seal().user(who.client()).levels().contains(level));
    }

    private static SignatureLevel lower(SignatureLevel level) {
        return level.ordinal() == 0 ? null : SignatureLevel.values()[level.ordinal() - 1];
    }

    /** What makes two requests the same request: the document and every parameter. */
    private static String fingerprint(Pdf pdf, Order order) {
        String parameters = String.join("\u0000", String.valueOf(order.seals()), String.valueOf(order.reason()),
                String.valueOf(order.level()), String.valueOf(order.allowLower()), String.valueOf(order.certification()),
                String.valueOf(order.qr())) + (order.national() == null ? "" : "\u0000national=" + order.national());
        return IdempotencyKeys.sha256((pdf.sha256() + parameters).getBytes(StandardCharsets.UTF_8));
    }
}
