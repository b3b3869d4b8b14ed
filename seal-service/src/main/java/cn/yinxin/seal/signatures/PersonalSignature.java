package cn.yinxin.seal.signatures;

import java.time.Instant;
import java.util.UUID;

/** A person's e-signature: their key in the seal service's key store and their personal certificate. */
public record PersonalSignature(UUID id, String residentId, String name, String keyAlias, String caIssuer,
                                String caSerial, String subject, String chainPem, Instant validFrom, Instant validUntil,
                                Status status, Instant createdAt, Instant cancelledAt) {

    /** ACTIVE: usable; CANCELLED (注销): the certificate is revoked and no further use is allowed. */
    public enum Status {
        ACTIVE, CANCELLED
    }
}
