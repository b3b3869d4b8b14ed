package cn.yinxin.core.qr;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The claims of an electronic licence's QR code (the licence issue uses the same codec as {@link DocumentQr}).
 *
 * <pre>
 * CWT claims
 *   1 (iss)   issuing authority's USCC                   text
 *   6 (iat)   when the code was made                     seconds since the epoch
 *   4 (exp)   when the code stops being accepted         seconds since the epoch
 *   65535     status list entry {"status_list": {"idx": n, "uri": text}} (draft-ietf-oauth-status-list)
 *   -65538    {1: licence identifier (1.2.156.3005.2...), 2: licence type code (21 chars),
 *              3: holder name, 4: holder number, masked (e.g. 110105********002X),
 *              5: valid from, 6: valid until (ISO dates, text; 6 absent: no end)}
 * </pre>
 * Dates are ISO text (as in the EU DCC): readable in a dump and only a few bytes longer than day counts. The holder
 * number is masked by the caller before it gets here: the QR code is printed and can be read by anyone.
 */
public record LicenceQr(String identifier, String typeCode, String holderName, String maskedHolderNumber,
                        LocalDate validFrom, LocalDate validUntil, String issuer, Instant issuedAt, Instant expiresAt,
                        CwtClaims.StatusReference status) {

    public static final int CLAIM = -65538;
    static final int IDENTIFIER = 1;
    static final int TYPE_CODE = 2;
    static final int HOLDER_NAME = 3;
    static final int HOLDER_NUMBER = 4;
    static final int VALID_FROM = 5;
    static final int VALID_UNTIL = 6;

    public LicenceQr {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(typeCode, "typeCode");
        Objects.requireNonNull(holderName, "holderName");
        Objects.requireNonNull(maskedHolderNumber, "maskedHolderNumber");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    public CwtClaims toClaims() {
        Map<Integer, Object> licence = new LinkedHashMap<>();
        licence.put(IDENTIFIER, identifier);
        licence.put(TYPE_CODE, typeCode);
        licence.put(HOLDER_NAME, holderName);
        licence.put(HOLDER_NUMBER, maskedHolderNumber);
        licence.put(VALID_FROM, validFrom.toString());
        if (validUntil != null) {
            licence.put(VALID_UNTIL, validUntil.toString());
        }
        CwtClaims.Builder claims = CwtClaims.builder().issuer(issuer).issuedAt(issuedAt);
        if (expiresAt != null) {
            claims.expiresAt(expiresAt);
        }
        if (status != null) {
            claims.status(status);
        }
        return claims.put(CLAIM, licence).build();
    }

    /**
     * @throws IllegalArgumentException when the claims are not those of a licence QR
     */
    public static LicenceQr from(CwtClaims claims) {
        if (!(claims.get(CLAIM) instanceof Map<?, ?> licence)) {
            throw new IllegalArgumentException("not a licence QR: claim " + CLAIM + " is missing");
        }
        try {
            Object until = licence.get(VALID_UNTIL);
            return new LicenceQr(text(licence, IDENTIFIER), text(licence, TYPE_CODE), text(licence, HOLDER_NAME),
                    text(licence, HOLDER_NUMBER), LocalDate.parse(text(licence, VALID_FROM)),
                    until == null ? null : LocalDate.parse((String) until), claims.issuer(), claims.issuedAt(),
                    claims.expiresAt(), claims.status());
        } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a licence QR: " + e.getMessage(), e);
        }
    }

    private static String text(Map<?, ?> map, int key) {
        return (String) Objects.requireNonNull(map.get(key), () -> "field " + key + " is missing");
    }
}
