package cn.yinxin.seal.signatures;

import java.time.Instant;

/**
 * A signature pad session: whose it is, which document it is for (SHA-256 and length), until when it may be
 * used, and what the pad sent (the capture's JSON, once captured).
 */
public record Capture(String id, String residentId, String documentSha256, long documentLength, String documentName,
                      Instant createdAt, Instant expiresAt, Status status, byte[] captureJson, Instant capturedAt) {

    /** OPEN: waiting for the pad; CAPTURED: strokes received; USED: a signature was made with it. */
    public enum Status {
        OPEN, CAPTURED, USED
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
