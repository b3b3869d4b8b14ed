package cn.yinxin.core.pdf.sign;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * How many bytes a seal's /Contents reserves, learnt from the values this sealer wrote before.
 * <p>
 * The room must be fixed before the value exists (the value signs the bytes around it), and the time-stamp token
 * in it comes from the TSA afterwards, so the first signature with a key gets the generous estimate of
 * {@link SignatureValue#room} (10 KiB for a token alone). That left three quarters of a licence PDF's /Contents as
 * zeros: a 16 KB reservation for a 4 KB value, 24 KB of hex digits in every 106 KB licence, stored and sent with
 * it. The values one key makes with one TSA differ by a few bytes only (DER integers, a token's serial number and
 * time), so later signatures reserve the first value's length with that key plus {@link #SLACK}. A value that does not
 * fit after all (the TSA's answer grew: a new certificate chain) is made once more with the room it needed
 * ({@link TooSmall}, {@link PdfSealer}); nothing is written until a value fits.
 */
final class ContentsRoom {

    /** Spare bytes over the value learnt: the few bytes that vary between values, many times over. */
    static final int SLACK = 1024;
    /** Keys remembered at most; past it all are forgotten (then each key pays the estimate once more). */
    private static final int MAX_KEYS = 4096;

    /**
     * What decides a value's size: the signer (its chain, its seal's SESeal in national mode: one per certificate), a
     * time-stamp, national mode.
     */
    private record Shape(X509Certificate signer, boolean timeStamped, boolean national) {
    }

    /** A document time-stamp's value: the TSA's token alone. */
    private static final Shape DOCUMENT_TIME_STAMP = new Shape(null, true, false);
    /** The room of a first document time-stamp: a token with the TSA's chain, generously. */
    static final int DOCUMENT_TIME_STAMP_ESTIMATE = 16 * 1024;

    /** Per shape, the length learnt: the first value's, raised only by a value that did not fit. */
    private final Map<Shape, Integer> learnt = new ConcurrentHashMap<>();

    /** The bytes to reserve for the value of {@code request}. */
    int room(SealRequest request, boolean timeStamped) {
        // the estimate only when nothing is learnt: in national mode it encodes the SESeal, picture and all
        return room(shape(request, timeStamped), () -> SignatureValue.room(request, timeStamped));
    }

    /** The bytes to reserve for a document time-stamp (B-LTA). */
    int documentTimeStampRoom() {
        return room(DOCUMENT_TIME_STAMP, () -> DOCUMENT_TIME_STAMP_ESTIMATE);
    }

    private int room(Shape shape, IntSupplier estimate) {
        Integer seen = learnt.get(shape);
        return seen == null ? estimate.getAsInt() : seen + SLACK;
    }

    /**
     * Remembers the first value's length for its key, and refuses a value longer than the room it was given: the
     * caller's increment is then discarded and made again, and {@link #room} now answers a room it fits in. Values
     * that fit change nothing, so the room of a key stays the same from one document to the next.
     */
    void wrote(SealRequest request, boolean timeStamped, int length, int room) {
        wrote(shape(request, timeStamped), length, room);
    }

    /** As {@link #wrote(SealRequest, boolean, int, int)} for a document time-stamp's token. */
    void wroteDocumentTimeStamp(int length, int room) {
        wrote(DOCUMENT_TIME_STAMP, length, room);
    }

    private void wrote(Shape shape, int length, int room) {
        if (learnt.size() >= MAX_KEYS) {
            learnt.clear();
        }
        if (length > room) {
            learnt.merge(shape, length, Math::max);
            throw new TooSmall(length, room);
        }
        learnt.putIfAbsent(shape, length);
    }

    private static Shape shape(SealRequest request, boolean timeStamped) {
        return new Shape(request.key().certificate(), timeStamped, request.nationalSeal() != null);
    }

    /** A value longer than its room: nothing was written; the same step again gets a room it fits in. */
    static final class TooSmall extends RuntimeException {

        TooSmall(int length, int room) {
            super("the signature value (" + length + " bytes) is longer than the room reserved for it (" + room
                    + " bytes)", null, false, false);
        }

        /** When a second try did not fit either: the values of this key grow from one signature to the next. */
        GeneralSecurityException again() {
            return new GeneralSecurityException(getMessage() + ", twice in a row", this);
        }
    }
}
