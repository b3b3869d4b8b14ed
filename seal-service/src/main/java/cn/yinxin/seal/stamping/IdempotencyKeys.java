package cn.yinxin.seal.stamping;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.service.security.Caller;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The Idempotency-Key of a stamp request, PDF or OFD (one table for both): a retry with the same key and the same
 * request gets the stored first answer; the same key for another request is refused (409 idempotency-key-reused), and
 * of two requests with one key handled at once, the second is refused (409 idempotency-key-in-use) and leaves no trace.
 * Keys are looked up among the requester's own ({@link #scope}), never by network address.
 */
@Component
class IdempotencyKeys {

    private final IdempotentResults results;

    IdempotencyKeys(IdempotentResults results) {
        this.results = results;
    }

    /** An Idempotency-Key is 1 to 255 printable ASCII characters. */
    static void check(String key) {
        if (key.isBlank() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new RejectedException(Problem.INVALID_REQUEST, "An Idempotency-Key is 1 to 255 printable ASCII characters.");
        }
    }

    /**
     * Whose Idempotency-Keys a key is looked up among: the signed-in client and subject (the person behind an
     * approval system, or its service account), as the audit log names them; never the network address.
     */
    static String scope(Caller who) {
        return who.auditName();
    }

    /**
     * The first answer stored under the key for this requester, if any; a key stored for another request (another
     * fingerprint, or a first answer kept in a file when {@code bytesOnly}) is refused.
     */
    Optional<IdempotentResults.Stored> firstAnswer(Requester who, String key, String fingerprint, boolean bytesOnly) {
        var stored = results.find(scope(who.caller()), key);
        if (stored.isPresent() && (!stored.get().requestSha256().equals(fingerprint)
                || bytesOnly && stored.get().result() == null)) {
            throw new RejectedException(Problem.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + key
                    + "' was used for a different request; use a new key for a new request.");
        }
        return stored;
    }

    /**
     * Keeps the first answer (its bytes, or the file of a large one); when a concurrent request with the same key
     * committed first, {@code undo} runs and the request is refused, so that it leaves no trace.
     */
    void keep(Requester who, String key, String fingerprint, UUID stampId, byte[] result, String resultFile,
              String requestedLevel, Runnable undo) {
        if (!results.add(scope(who.caller()), key, fingerprint, stampId, result, resultFile, requestedLevel)) {
            undo.run();
            throw new RejectedException(Problem.IDEMPOTENCY_KEY_IN_USE, "Another request with Idempotency-Key '"
                    + key + "' was handled at the same time; retry to get its answer.");
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
