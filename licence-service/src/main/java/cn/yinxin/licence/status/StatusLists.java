package cn.yinxin.licence.status;

import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.StatusList;
import cn.yinxin.licence.LicenceProperties;
import cn.yinxin.licence.licences.LicenceStore;
import cn.yinxin.licence.sealing.SealService;
import cn.yinxin.licence.types.LicenceTypes;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One IETF Token Status List (draft-ietf-oauth-status-list, CWT form) per issuer and licence type: two bits per
 * licence (0 valid, 1 invalid, 2 suspended) at the index its QR code names, zlib-compressed, signed by the type's
 * seal through the seal service. A list is made when asked for and kept until a status in it changes (after the
 * change commits) or half its time-to-live has passed.
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
    private final Map<String, Token> cache = new ConcurrentHashMap<>();
    /**
     * How many committed status changes each list has seen: a list read before a change committed is served to the
     * request that built it, but kept only if no change committed meanwhile (else it would answer for half its
     * time-to-live with a licence shown valid that was revoked while the list was read). Guarded by {@code cache}.
     */
    private final Map<String, Long> changes = new java.util.HashMap<>();
    private final Clock clock = Clock.systemUTC();

    public StatusLists(LicenceStore store, LicenceTypes types, SealService seals, LicenceProperties properties) {
        this.store = store;
        this.types = types;
        this.seals = seals;
        this.properties = properties;
    }

    /** The address of a list, as written into QR codes. */
    public String uri(String issuerCode, String typeCode) {
        return properties.publicUrl().replaceAll("/+$", "") + "/api/v1/status-lists/" + issuerCode + "/" + typeCode;
    }

    /** A status in the list changed: the cached list goes once the change is committed. */
    public void changed(String issuerCode, String typeCode) {
        String key = issuerCode + "/" + typeCode;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    forget(key);
                }
            });
        } else {
            forget(key);
        }
    }

    private void forget(String key) {
        synchronized (cache) {
            changes.merge(key, 1L, Long::sum);
            cache.remove(key);
        }
    }

    public Token token(String issuerCode, String typeCode) {
        String key = issuerCode + "/" + typeCode;
        Token cached = cache.get(key);
        Instant now = clock.instant();
        if (cached != null && cached.issuedAt().plus(properties.statusListTtl().dividedBy(2)).isAfter(now)) {
            return cached;
        }
        long seen;
        synchronized (cache) {
            seen = changes.getOrDefault(key, 0L);
        }
        Token token = build(issuerCode, typeCode, now);
        synchronized (cache) {
            if (changes.getOrDefault(key, 0L) == seen) {
                cache.put(key, token);
            }
        }
        return token;
    }

    /** Reads the list's entries and has it signed. */
    Token build(String issuerCode, String typeCode, Instant now) {
        String sealId = types.get(typeCode).sealId();
        long size = Math.max(store.size(issuerCode, typeCode), 1);
        StatusList entries = StatusList.of(size, BITS);
        store.notValid(issuerCode, typeCode, (index, value) -> {
            if (entries.covers(index)) { // a row whose index was given after size was read: the next list has it
                entries.set(index, value);
            }
        });
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("bits", BITS);
        list.put("lst", entries.compressed());
        Instant issued = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
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
