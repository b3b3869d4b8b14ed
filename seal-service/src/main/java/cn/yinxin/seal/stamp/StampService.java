package cn.yinxin.seal.stamp;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.PdfLimits;
import cn.yinxin.core.pdf.PdfSealer;
import cn.yinxin.core.pdf.SignatureLevel;
import cn.yinxin.core.pki.HttpTimeStamper;
import cn.yinxin.core.pki.OnlineRevocationSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import cn.yinxin.core.pdf.SealPlacement;
import cn.yinxin.core.pdf.SealRequest;
import cn.yinxin.seal.seal.Seal;
import cn.yinxin.seal.seal.SealRegistry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/** Stamps a PDF with a seal and keeps the record of it. */
@Service
public class StampService {

    /**
     * The sealed document, its stored record, the level asked for (which may be above the one reached), and
     * whether this is the stored first answer to a retried request.
     */
    public record Stamped(byte[] pdf, StampRecord record, SignatureLevel requested, boolean replayed) {
    }

    /** What a stamp request asks for, apart from the PDF. */
    public record Order(String sealId, SealPlacement placement, String reason, SignatureLevel level,
                        boolean allowLower, Integer certification) {
    }

    private static final Logger log = LoggerFactory.getLogger(StampService.class);

    private final SealRegistry seals;
    private final StampRecords records;
    private final IdempotentResults idempotent;
    private final PdfSealer sealer;
    private final SignatureLevel defaultLevel;
    private final Clock clock;

    public StampService(SealRegistry seals, StampRecords records, IdempotentResults idempotent,
                        @Value("${yinxin.stamp.tsa-url}") URI tsaUrl,
                        @Value("${yinxin.stamp.service-timeout:PT5S}") Duration timeout,
                        @Value("${yinxin.stamp.default-level:B_B}") SignatureLevel defaultLevel,
                        @Value("${yinxin.stamp.max-pages:5000}") int maxPages,
                        @Value("${yinxin.stamp.max-objects:2000000}") int maxObjects) {
        this.seals = seals;
        this.records = records;
        this.idempotent = idempotent;
        this.sealer = new PdfSealer(new HttpTimeStamper(tsaUrl, timeout), new OnlineRevocationSource(timeout),
                new PdfLimits(maxPages, maxObjects));
        this.defaultLevel = defaultLevel;
        this.clock = Clock.systemUTC();
    }

    /**
     * Either the sealed PDF together with its stored record, or an exception and nothing stored. When the level
     * asked for cannot be reached (TSA or OCSP down) the request fails, unless {@code allowLower}: then the
     * highest level that can be reached is made, and the record and the answer say which.
     */
    @Transactional
    public Stamped stamp(byte[] pdf, Order order, String caller, String idempotencyKey) throws GeneralSecurityException {
        if (idempotencyKey == null) {
            return stamp(pdf, order, caller);
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255 || !idempotencyKey.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "An Idempotency-Key is 1 to 255 printable ASCII characters.");
        }
        String fingerprint = fingerprint(pdf, order);
        var stored = idempotent.find(caller, idempotencyKey);
        if (stored.isPresent()) {
            if (!stored.get().requestSha256().equals(fingerprint)) {
                throw new RejectedException(Problem.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + idempotencyKey
                        + "' was used for a different request; use a new key for a new request.");
            }
            StampRecord record = records.find(stored.get().stampId()).orElseThrow();
            return new Stamped(stored.get().result(), record, SignatureLevel.valueOf(stored.get().requestedLevel()), true);
        }
        Stamped stamped = stamp(pdf, order, caller);
        if (!idempotent.add(caller, idempotencyKey, fingerprint, stamped.record().id(), stamped.pdf(),
                stamped.requested().name())) {
            // a concurrent request with the same key committed first: this one must leave no trace
            throw new RejectedException(Problem.IDEMPOTENCY_KEY_IN_USE, "Another request with Idempotency-Key '"
                    + idempotencyKey + "' was handled at the same time; retry to get its answer.");
        }
        return stamped;
    }

    private Stamped stamp(byte[] pdf, Order order, String caller) throws GeneralSecurityException {
        String sealId = order.sealId();
        SealPlacement placement = order.placement();
        SignatureLevel level = order.level();
        boolean allowLower = order.allowLower();
        Seal seal = seals.usable(sealId);
        SignatureLevel requested = level != null ? level : defaultLevel;
        Instant now = clock.instant();
        PdfSealer.Sealed sealed = null;
        SignatureLevel reached = requested;
        GeneralSecurityException failure = null;
        for (; reached != null; reached = allowLower ? lower(reached) : null) {
            try {
                sealed = sealer.stamp(pdf, new SealRequest(seal.key(), seal.appearance(), placement, seal.name(),
                        order.reason(), now, reached, order.certification()));
                break;
            } catch (GeneralSecurityException e) {
                failure = failure == null ? e : failure;
                log.warn("Seal {} at {} failed: {}", sealId, reached.label(), e.getMessage());
            }
        }
        if (sealed == null) {
            throw new RejectedException(Problem.LEVEL_UNAVAILABLE, requested.label() + " cannot be reached now: "
                    + failure.getMessage() + (allowLower ? "" : " (send allowLowerLevel=true to accept a lower level)"));
        }
        SealPlacement where = sealed.placement();
        StampRecord record = new StampRecord(UUID.randomUUID(), seal.id(), caller, sha256(pdf), sha256(sealed.pdf()),
                reached.label(), where.page(), where.xMm(), where.yMm(), placement.anchor(), now);
        records.add(record);
        return new Stamped(sealed.pdf(), record, requested, false);
    }

    private static SignatureLevel lower(SignatureLevel level) {
        return level.ordinal() == 0 ? null : SignatureLevel.values()[level.ordinal() - 1];
    }

    /** What makes two requests the same request: the document and every parameter. */
    private static String fingerprint(byte[] pdf, Order order) {
        String parameters = String.join("\u0000", order.sealId(), String.valueOf(order.placement()),
                String.valueOf(order.reason()), String.valueOf(order.level()), String.valueOf(order.allowLower()),
                String.valueOf(order.certification()));
        return sha256((sha256(pdf) + parameters).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
