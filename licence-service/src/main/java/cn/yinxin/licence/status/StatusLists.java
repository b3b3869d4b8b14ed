package cn.yinxin.licence.status;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.StatusList;
import cn.yinxin.licence.LicenceProperties;
import cn.yinxin.licence.licences.LicenceStore;
import cn.yinxin.licence.sealing.SealService;
import cn.yinxin.licence.types.LicenceTypes;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One IETF Token Status List (draft-ietf-oauth-status-list, CWT form) per issuer and licence type: two bits per
 * licence (0 valid, 1 invalid, 2 suspended) at the index its QR code names, zlib-compressed, signed by the type's
 * seal through the seal service. A list is made when asked for and kept until a status in it changes, in this
 * instance or another one on the same database ({@link ListVersions}), or half its time-to-live has passed.
 */
@Component
public class StatusLists {

    /** The CWT claims of a status list token. */
    public static final int STATUS_LIST = 65533;
    public static final int TTL = 65534;
    public static final int BITS = 2;

    /** A signed list and its validator for HTTP caching. */
    public record Token(byte[] cwt, String etag, Instant issuedAt) {
    }

    private final LicenceStore store;
    private final LicenceTypes types;
    private final SealService seals;
    private final LicenceProperties properties;
    private final ListVersions versions;
    /** Each kept list with the version it was read at. */
    private final Map<String, Kept> cache = new ConcurrentHashMap<>();
    private final Clock clock;

    private record Kept(Token token, long version) {
    }

    public StatusLists(LicenceStore store, LicenceTypes types, SealService seals, LicenceProperties properties,
                       ListVersions versions, Clock clock) {
        this.clock = clock;
        this.store = store;
        this.types = types;
        this.seals = seals;
        this.properties = properties;
        this.versions = versions;
    }

    /** The address of a list, as written into QR codes. */
    public String uri(String issuerCode, String typeCode) {
        return properties.publicUrl().replaceAll("/+$", "") + "/api/v1/status-lists/" + issuerCode + "/" + typeCode;
    }

    /**
     * A status in the list changed: its version is bumped in the caller's transaction, so that every instance's
     * kept list stops being served once the change commits (and not before: a rolled-back change bumps nothing).
     */
    public void changed(String issuerCode, String typeCode) {
        versions.bump(issuerCode, typeCode);
    }

    /**
     * The current list. A kept one is served while its version is the current one; a list read while a change
     * committed carries the version from before it, is served to the request that built it, and is replaced on the
     * next request (kept, it would answer for half its time-to-live with a licence shown valid that was revoked while
     * the list was read).
     */
    public Token token(String issuerCode, String typeCode) {
        String key = issuerCode + "/" + typeCode;
        long version = versions.current(issuerCode, typeCode);
        Kept kept = cache.get(key);
        Instant now = clock.instant();
        if (kept != null && kept.version() == version
                && kept.token().issuedAt().plus(properties.statusListTtl().dividedBy(2)).isAfter(now)) {
            return kept.token();
        }
        Token token = build(issuerCode, typeCode, now);
        cache.merge(key, new Kept(token, version), (old, made) -> made.version() >= old.version() ? made : old);
        return token;
    }

    /** Reads the list's entries and has it signed. */
    Token build(String issuerCode, String typeCode, Instant now) {
        String sealId = types.get(typeCode).sealId();
        long size = store.size(issuerCode, typeCode);
        if (size < 1) {
            // anyone may ask (the route is public): a list for any issuer string had the type's seal sign it, each
            // request a seal-service signature and its audit entry, each kept in this cache without bound
            throw new RejectedException(Problem.NOT_FOUND, "There is no status list " + issuerCode + "/" + typeCode
                    + ": no licence of that type was issued by that issuer here.");
        }
        StatusList entries = StatusList.of(size, BITS);
        store.notValid(issuerCode, typeCode, (index, value) -> {
            if (entries.covers(index)) { // a row whose index was given after size was read: the next list has it
                entries.set(index, value);
            }
        });
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("bits", BITS);
        list.put("lst", entries.compressed());
        Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
        CwtClaims claims = CwtClaims.builder().subject(uri(issuerCode, typeCode)).issuedAt(issued)
                .expiresAt(issued.plus(properties.statusListTtl().multipliedBy(24)))
                .put(TTL, properties.statusListTtl().toSeconds()).put(STATUS_LIST, list).build();
        byte[] cwt = seals.signToken(sealId, claims);
        return new Token(cwt, "\"" + HexFormat.of().formatHex(sha256(cwt)).substring(0, 32) + "\"", issued);
    }

    /** The value at {@code index} of a packed list. */
    public static int valueAt(byte[] bits, int index) {
        return StatusList.wrap(bits, BITS).get(index);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
