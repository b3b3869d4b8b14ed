package cn.yinxin.core.qr;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the seal service prints as a QR code on a sealed PDF: which document this is and where to check it.
 *
 * <pre>
 * CWT claims
 *   1 (iss)  issuing agency's USCC                      text
 *   6 (iat)  when the code was made                     seconds since the epoch
 *   4 (exp)  optional; a sealed document's code usually does not expire
 *   -65537   {1: document id (UUID as 16 bytes), 2: verification URL (text), 3: seal id (text)}
 * </pre>
 * The private claim key lies in RFC 8392's private-use range (below -65536); the small keys inside it keep the
 * code compact. Times travel in whole seconds: {@link #from} gives back {@code issuedAt} truncated to the second.
 */
public record DocumentQr(UUID documentId, String verificationUrl, String sealId, String issuer, Instant issuedAt,
                         Instant expiresAt) {

    public static final int CLAIM = -65537;
    static final int DOCUMENT_ID = 1;
    static final int VERIFICATION_URL = 2;
    static final int SEAL_ID = 3;

    public DocumentQr {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(verificationUrl, "verificationUrl");
        Objects.requireNonNull(sealId, "sealId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    /** A code that does not expire. */
    public DocumentQr(UUID documentId, String verificationUrl, String sealId, String issuer, Instant issuedAt) {
        this(documentId, verificationUrl, sealId, issuer, issuedAt, null);
    }

    /** The verification URL made of a base (e.g. {@code https://verify.example/d/}) and the document id. */
    public static String verificationUrl(String base, UUID documentId) {
        return (base.endsWith("/") ? base : base + "/") + documentId;
    }

    public CwtClaims toClaims() {
        Map<Integer, Object> document = new LinkedHashMap<>();
        document.put(DOCUMENT_ID, uuidBytes(documentId));
        document.put(VERIFICATION_URL, verificationUrl);
        document.put(SEAL_ID, sealId);
        CwtClaims.Builder claims = CwtClaims.builder().issuer(issuer).issuedAt(issuedAt);
        if (expiresAt != null) {
            claims.expiresAt(expiresAt);
        }
        return claims.put(CLAIM, document).build();
    }

    /**
     * @throws IllegalArgumentException when the claims are not those of a document QR
     */
    public static DocumentQr from(CwtClaims claims) {
        if (!(claims.get(CLAIM) instanceof Map<?, ?> document)) {
            throw new IllegalArgumentException("not a document QR: claim " + CLAIM + " is missing");
        }
        if (!(document.get(DOCUMENT_ID) instanceof byte[] id && id.length == 16)
                || !(document.get(VERIFICATION_URL) instanceof String url)
                || !(document.get(SEAL_ID) instanceof String seal)
                || claims.issuer() == null || claims.issuedAt() == null) {
            throw new IllegalArgumentException("not a document QR: a field is missing or of the wrong type");
        }
        ByteBuffer buffer = ByteBuffer.wrap(id);
        return new DocumentQr(new UUID(buffer.getLong(), buffer.getLong()), url, seal, claims.issuer(),
                claims.issuedAt(), claims.expiresAt());
    }

    private static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
