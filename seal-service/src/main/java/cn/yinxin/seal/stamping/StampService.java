package cn.yinxin.seal.stamping;

import cn.yinxin.seal.registry.Seal;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.PdfLimits;
import cn.yinxin.core.pdf.PdfSealer;
import cn.yinxin.core.pdf.SignatureLevel;
import cn.yinxin.core.pki.HttpTimeStamper;
import cn.yinxin.service.metrics.Meters;
import cn.yinxin.service.metrics.TimedPki;
import io.micrometer.core.instrument.MeterRegistry;
import cn.yinxin.core.pki.OnlineRevocationSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import cn.yinxin.core.pdf.SealPlacement;
import cn.yinxin.core.pdf.SealRequest;
import cn.yinxin.seal.registry.SealRegistry;
import cn.yinxin.seal.SealsProperties;
import cn.yinxin.service.audit.AuditLog;
import cn.yinxin.service.audit.SigningRecord;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.yinxin.core.pdf.MemoryMode;
import cn.yinxin.core.pdf.QrCode;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.service.security.Caller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
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
    private final StampRecords records;
    private final IdempotentResults idempotent;
    private final PdfSealer sealer;
    private final Clock clock;
    private final Path results;
    private final String verificationUrl;
    private final AuditLog audit;
    private final TransactionTemplate separateTransaction;
    private final MeterRegistry meters;

    public StampService(SealRegistry seals, StampRecords records, IdempotentResults idempotent, AuditLog audit,
                        PlatformTransactionManager transactions, SealsProperties sealsProperties,
                        @Value("${yinxin.stamp.tsa-url}") URI tsaUrl,
                        @Value("${yinxin.stamp.service-timeout:PT5S}") Duration timeout,
                        @Value("${yinxin.stamp.max-pages:5000}") int maxPages,
                        @Value("${yinxin.stamp.max-objects:2000000}") int maxObjects,
                        @Value("${yinxin.stamp.results-dir:var/seal-service/results}") Path results,
                        @Value("${yinxin.stamp.verification-url:http://localhost:8080/d/}") String verificationUrl,
                        MeterRegistry meters, Clock clock)
            throws IOException {
        this.clock = clock;
        this.seals = seals;
        this.records = records;
        this.idempotent = idempotent;
        this.meters = meters;
        // the TSA and the OCSP responders timed (yinxin.calls): a slow TSA is the first thing an operator looks at
        this.sealer = new PdfSealer(TimedPki.timeStamper(new HttpTimeStamper(tsaUrl, timeout), meters),
                TimedPki.revocation(new OnlineRevocationSource(timeout), meters),
                new PdfLimits(maxPages, maxObjects));
        this.results = Files.createDirectories(results);
        this.verificationUrl = verificationUrl;
        this.audit = audit;
        this.separateTransaction = new TransactionTemplate(transactions);
        this.separateTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Either the sealed PDF together with its stored record, or an exception and nothing stored. When the level
     * asked for cannot be reached (TSA or OCSP down) the request fails, unless {@code allowLower}: then the
     * highest level that can be reached is made, and the record and the answer say which. A document in a file
     * is sealed through temporary files ({@link MemoryMode#TEMP_FILES}) into a file of the result folder.
     */
    @Transactional
    public Stamped stamp(Pdf pdf, Order order, String caller, String idempotencyKey) throws GeneralSecurityException {
        return stamp(pdf, order, caller, idempotencyKey, "api");
    }

    /**
     * As {@link #stamp(Pdf, Order, String, String)}, {@code source} naming where the request came from in the
     * signing record ({@link SigningRecord#source}). A retry with the same Idempotency-Key is recognised by the
     * authenticated client and person ({@link #idempotencyScope}), not by the address it comes from: a retry
     * through another proxy or after a network change still gets the first answer, and another client using the
     * same key never sees it.
     */
    @Transactional
    public Stamped stamp(Pdf pdf, Order order, String caller, String idempotencyKey, String source)
            throws GeneralSecurityException {
        String level = order.level() == null ? "default" : order.level().label();
        try {
            Stamped stamped = stampOnce(pdf, order, caller, idempotencyKey, source);
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

    private Stamped stampOnce(Pdf pdf, Order order, String caller, String idempotencyKey, String source)
            throws GeneralSecurityException {
        if (idempotencyKey == null) {
            return sealAndRecord(pdf, order, caller, source);
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255 || !idempotencyKey.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "An Idempotency-Key is 1 to 255 printable ASCII characters.");
        }
        String fingerprint = fingerprint(pdf, order);
        String scope = idempotencyScope(Caller.current());
        var stored = idempotent.find(scope, idempotencyKey);
        if (stored.isPresent()) {
            if (!stored.get().requestSha256().equals(fingerprint)) {
                throw new RejectedException(Problem.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + idempotencyKey
                        + "' was used for a different request; use a new key for a new request.");
            }
            Pdf first = stored.get().result() != null ? new Pdf.InMemory(stored.get().result())
                    : new Pdf.InFile(Path.of(stored.get().resultFile()));
            return new Stamped(first, records.forResult(first.sha256()),
                    SignatureLevel.valueOf(stored.get().requestedLevel()), true);
        }
        Stamped stamped = sealAndRecord(pdf, order, caller, source);
        boolean added = stamped.pdf() instanceof Pdf.InMemory bytes
                ? idempotent.add(scope, idempotencyKey, fingerprint, stamped.records().get(0).id(), bytes.bytes(), null,
                        stamped.requested().name())
                : idempotent.add(scope, idempotencyKey, fingerprint, stamped.records().get(0).id(), null,
                        ((Pdf.InFile) stamped.pdf()).file().toString(), stamped.requested().name());
        if (!added) {
            // a concurrent request with the same key committed first: this one must leave no trace
            discard(stamped.pdf());
            throw new RejectedException(Problem.IDEMPOTENCY_KEY_IN_USE, "Another request with Idempotency-Key '"
                    + idempotencyKey + "' was handled at the same time; retry to get its answer.");
        }
        return stamped;
    }

    /** Deletes a result file that will not be answered (a refused or superseded request). */
    public static void discard(Pdf pdf) {
        if (pdf instanceof Pdf.InFile file) {
            try {
                Files.deleteIfExists(file.file());
            } catch (IOException e) {
                log.warn("Could not delete {}: {}", file.file(), e.getMessage());
            }
        }
    }

    /**
     * Whose Idempotency-Keys a key is looked up among: the signed-in client and subject (the person behind an
     * approval system, or its service account), as the audit log names them; never the network address.
     */
    static String idempotencyScope(Caller who) {
        return who.auditName();
    }

    private Stamped sealAndRecord(Pdf pdf, Order order, String caller, String source) throws GeneralSecurityException {
        try {
            LicenceDocuments.check(Caller.current(), order.reason(), pdf);
        } catch (RejectedException e) {
            // the refusal is kept although the request's own transaction rolls back
            separateTransaction.executeWithoutResult(t -> audit.record(caller, "stamp.refused",
                    Seal.auditSubject(order.seals().get(0).sealId()), "client=" + client() + ": " + e.getMessage()));
            throw e;
        }
        // the level: the request's, else the (first) seal's default, else the service's
        SignatureLevel requested = order.level() != null ? order.level()
                : seals.get(order.seals().get(0).sealId()).defaultLevel();
        List<SealRegistry.Usable> chosen = new ArrayList<>();
        for (SealOrder one : order.seals()) {
            // the QR code is signed with the first seal's key
            var use = new SealRegistry.Use(requested, order.certification() != null && chosen.isEmpty(),
                    one.placement().crossPages() != null, order.qr() != null && chosen.isEmpty());
            try {
                chosen.add(seals.usable(one.sealId(), Caller.current(), use));
            } catch (RejectedException e) {
                if (e.problem() == Problem.SEAL_NOT_PERMITTED) {
                    // the refusal is kept although the request's own transaction rolls back
                    separateTransaction.executeWithoutResult(t -> audit.record(caller, "stamp.refused",
                            Seal.auditSubject(one.sealId()), "client=" + client() + ": " + e.getMessage()));
                }
                throw e;
            }
        }
        List<cn.yinxin.core.ses.SESeal> nationalSeals = new ArrayList<>();
        for (SealRegistry.Usable seal : chosen) {
            nationalSeals.add(nationalSeal(seal, order.national()));
        }
        boolean allowLower = order.allowLower();
        Instant now = clock.instant();
        // the first record's id is the document's id, printed in the QR code
        UUID documentId = UUID.randomUUID();
        QrCode qr = order.qr() == null ? null : qrCode(documentId, chosen.get(0), order.qr(), now);
        Sealing sealed = null;
        SignatureLevel reached = requested;
        GeneralSecurityException failure = null;
        for (; reached != null; reached = allowLower ? lower(reached) : null) {
            if (!permitted(chosen, reached)) {
                continue;
            }
            try {
                List<SealRequest> requests = new ArrayList<>();
                for (int i = 0; i < chosen.size(); i++) {
                    SealRegistry.Usable seal = chosen.get(i);
                    // a certification can only be the first signature of a document
                    SealRequest request = new SealRequest(seal.key(), seal.appearance(), order.seals().get(i).placement(),
                            seal.seal().name(), order.reason(), now, reached, i == 0 ? order.certification() : null);
                    request = i == 0 && qr != null ? request.withQr(qr) : request;
                    requests.add(nationalSeals.get(i) == null ? request : request.withNationalSeal(nationalSeals.get(i)));
                }
                sealed = seal(pdf, requests, documentId);
                break;
            } catch (GeneralSecurityException e) {
                failure = failure == null ? e : failure;
                log.warn("Sealing at {} failed: {}", reached.label(), e.getMessage());
            } catch (java.security.ProviderException e) {
                // a PKCS#11 key handle that is gone (destroyed by a renewal meanwhile) fails this way
                Meters.count(meters, Meters.KEY_STORE_ERRORS, "operation", "sign");
                failure = failure == null ? new GeneralSecurityException(e.getMessage(), e) : failure;
                log.warn("Sealing at {} failed in the key's provider: {}", reached.label(), e.getMessage());
            }
        }
        if (sealed == null) {
            for (SealRegistry.Usable seal : chosen) {
                // a renewal destroys the old key: a stamp that had opened it in an HSM just before fails to sign (a
                // PKCS#12 key already in memory still signs, with the old certificate, which is not revoked)
                if (!seals.get(seal.seal().id()).caSerial().equals(seal.seal().caSerial())) {
                    throw new RejectedException(Problem.SEAL_NOT_USABLE, "Seal '" + seal.seal().id() + "' was renewed "
                            + "while this stamp was being made; send the request again.");
                }
            }
            throw new RejectedException(Problem.LEVEL_UNAVAILABLE, requested.label() + " cannot be reached now: "
                    + failure.getMessage() + (allowLower ? "" : " (send allowLowerLevel=true to accept a lower level)"));
        }
        try {
            String before = pdf.sha256();
            String after = sealed.pdf().sha256();
            List<StampRecord> stored = new ArrayList<>();
            for (int i = 0; i < chosen.size(); i++) {
                SealPlacement where = sealed.placements().get(i);
                StampRecord record = new StampRecord(i == 0 ? documentId : UUID.randomUUID(), chosen.get(i).seal().id(),
                        caller, before, after, reached.label(), where.page(), where.xMm(), where.yMm(),
                        order.seals().get(i).placement().anchor(), now);
                records.add(record);
                stored.add(record);
                // the signing record (签章过程) in the audit chain, in this transaction: a stamp without it is not kept
                audit.record(caller, "stamp", Seal.auditSubject(record.sealId()), SigningRecord.of(
                        Caller.current(), source, record.sealId(), SigningRecord.certificate(chosen.get(i).seal().caIssuer(),
                                chosen.get(i).key().certificate().getSerialNumber()), before, after, reached.label())
                        .details() + " stamp=" + record.id() + (i == 0 && qr != null ? " document-code=" + documentId : ""));
            }
            // the order a replay finds them in (StampRecords.forResult)
            stored.sort(java.util.Comparator.comparingInt(StampRecord::page).thenComparingDouble(StampRecord::xMm)
                    .thenComparingDouble(StampRecord::yMm));
            return new Stamped(sealed.pdf(), stored, requested, false);
        } catch (RuntimeException e) {
            discard(sealed.pdf());
            throw e;
        }
    }

    /** The seal's GB/T 38540 SESeal when this stamp is in national mode, else null. */
    private cn.yinxin.core.ses.SESeal nationalSeal(SealRegistry.Usable seal, Boolean national) {
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

    private record Sealing(Pdf pdf, List<SealPlacement> placements) {
    }

    private Sealing seal(Pdf pdf, List<SealRequest> requests, UUID documentId) throws GeneralSecurityException {
        if (pdf instanceof Pdf.InMemory bytes) {
            var sealed = sealer.stampAll(bytes.bytes(), requests);
            return new Sealing(new Pdf.InMemory(sealed.pdf()), sealed.placements());
        }
        Path input = ((Pdf.InFile) pdf).file();
        Path output = results.resolve(documentId + ".pdf");
        var sealed = sealer.stampAll(input, output, requests, MemoryMode.TEMP_FILES);
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
    private boolean permitted(List<SealRegistry.Usable> chosen, SignatureLevel level) {
        return chosen.stream().allMatch(s -> s.seal().user(client()).levels().contains(level));
    }

    /** The approval system calling: the token's client, which must be one of the seal's users. */
    private static String client() {
        return Caller.current().client();
    }

    private static SignatureLevel lower(SignatureLevel level) {
        return level.ordinal() == 0 ? null : SignatureLevel.values()[level.ordinal() - 1];
    }

    /** What makes two requests the same request: the document and every parameter. */
    private static String fingerprint(Pdf pdf, Order order) {
        String parameters = String.join("\u0000", String.valueOf(order.seals()), String.valueOf(order.reason()),
                String.valueOf(order.level()), String.valueOf(order.allowLower()), String.valueOf(order.certification()),
                String.valueOf(order.qr())) + (order.national() == null ? "" : "\u0000national=" + order.national());
        return sha256((pdf.sha256() + parameters).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
