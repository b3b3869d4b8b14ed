package cn.yinxin.seal.signatures;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.service.audit.AuditLog;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Signature pad sessions. A person opens one for one document at the desk; the desk shows its pad address as a
 * QR code; the phone (or the desk's own pen or mouse) draws on the pad, which sends the strokes once; the person's
 * signing then uses them once, for that document only, before the session expires. The session id is the only
 * thing the pad holds: 144 random bits, so it cannot be guessed, and it is useless to anyone but its owner, since
 * signing with it needs the owner signed in.
 */
@Service
public class Captures {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SignatureStore store;
    private final AuditLog audit;
    private final Duration validity;
    private final Clock clock;

    public Captures(SignatureStore store, AuditLog audit,
                    @Value("${yinxin.signatures.capture-validity:PT10M}") Duration validity, Clock clock) {
        this.clock = clock;
        this.store = store;
        this.audit = audit;
        this.validity = validity;
    }

    /** Opens a session for the document with this SHA-256 and length, valid for the service's time or less. */
    @Transactional
    public Capture open(SignedInPerson.Person person, String documentSha256, long documentLength, String documentName,
                        Duration asked) {
        Duration lasting = asked == null ? validity : asked;
        if (lasting.isNegative() || lasting.isZero() || lasting.compareTo(validity) > 0) {
            throw new RejectedException(Problem.INVALID_REQUEST, "A capture session lasts 1 s to " + validity.toSeconds()
                    + " s.");
        }
        if (documentName != null && documentName.length() > 200) {
            documentName = documentName.substring(0, 200);
        }
        byte[] id = new byte[18];
        RANDOM.nextBytes(id);
        Instant now = clock.instant();
        Capture capture = new Capture(Base64.getUrlEncoder().withoutPadding().encodeToString(id), person.residentId(),
                documentSha256, documentLength, documentName, now, now.plus(lasting), Capture.Status.OPEN, null, null);
        store.insert(capture);
        audit.record(person.actor(), "capture.open", subject(capture.id()), "document=" + documentSha256
                + " expires=" + capture.expiresAt());
        return capture;
    }

    /** What the pad may know about its session (nothing about the person). */
    public Capture forPad(String id) {
        Capture capture = find(id);
        if (capture.expiredAt(clock.instant())) {
            throw expired(capture);
        }
        return capture;
    }

    /** The pad's strokes, accepted once while the session is open. */
    @Transactional
    public Capture submit(String id, int padWidth, int padHeight, List<Handwriting.Stroke> strokes, String from) {
        Capture capture = store.captureForUpdate(id).orElseThrow(() -> unknown(id));
        Instant now = clock.instant();
        if (capture.expiredAt(now)) {
            throw expired(capture);
        }
        if (capture.status() != Capture.Status.OPEN) {
            throw new RejectedException(Problem.CAPTURE_STATE_CONFLICT, "A signature was already given in this session; "
                    + "open a new session to sign again.");
        }
        Handwriting.checkDrawing(padWidth, padHeight, strokes);
        Handwriting handwriting = new Handwriting(id, now, capture.documentSha256(), capture.documentLength(),
                padWidth, padHeight, strokes);
        store.captured(id, handwriting.toJson(), now);
        audit.record(from, "capture.strokes", subject(id), strokes.size() + " stroke(s), " + handwriting.pointCount()
                + " point(s)");
        return store.capture(id).orElseThrow();
    }

    /**
     * The captured signature for the person's signing of the document with this SHA-256: only the session's owner,
     * only before it expires, only once, only for its document. Marked used in the caller's transaction, so a
     * signing that fails leaves it usable.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Handwriting take(String id, SignedInPerson.Person person, String documentSha256) {
        Capture capture = store.captureForUpdate(id).orElseThrow(() -> unknown(id));
        if (!capture.residentId().equals(person.residentId())) {
            throw new RejectedException(Problem.CAPTURE_NOT_YOURS, "This signature was captured in another person's "
                    + "session; only that person can sign with it.");
        }
        if (capture.expiredAt(clock.instant())) {
            throw expired(capture);
        }
        if (capture.status() == Capture.Status.OPEN) {
            throw new RejectedException(Problem.CAPTURE_STATE_CONFLICT, "Nothing has been signed on the pad of this "
                    + "session yet.");
        }
        if (capture.status() == Capture.Status.USED) {
            throw new RejectedException(Problem.CAPTURE_STATE_CONFLICT, "This captured signature was used already; "
                    + "each capture signs one document once.");
        }
        if (!capture.documentSha256().equals(documentSha256)) {
            throw new RejectedException(Problem.CAPTURE_FOR_ANOTHER_DOCUMENT, "This signature was captured for "
                    + "document " + capture.documentSha256() + (capture.documentName() == null ? "" : " ("
                    + capture.documentName() + ")") + ", not for the one sent (" + documentSha256 + ").");
        }
        store.used(id);
        return Handwriting.fromJson(capture.captureJson());
    }

    private Capture find(String id) {
        return store.capture(id).orElseThrow(() -> unknown(id));
    }

    private static RejectedException unknown(String id) {
        return new RejectedException(Problem.UNKNOWN_CAPTURE, "There is no signature capture session '" + id + "'.");
    }

    private static RejectedException expired(Capture capture) {
        return new RejectedException(Problem.CAPTURE_EXPIRED, "This signature capture session expired at "
                + capture.expiresAt() + "; open a new one at the desk.");
    }

    static String subject(String captureId) {
        // the audit names a session by a prefix of its id: the full id is a capability
        return "capture:" + captureId.substring(0, Math.min(8, captureId.length()));
    }
}
