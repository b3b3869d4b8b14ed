package cn.yinxin.core.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The claims of a CBOR Web Token (RFC 8392): an integer-keyed map. Values are plain Java values that map onto CBOR
 * one to one: {@link String} (text), {@link Long} or {@link Integer} (integer; read back as {@link Long}),
 * {@code byte[]} (byte string), {@link Boolean}, {@link List} (array) and {@link Map} (map; keys {@link Integer} or
 * {@link String}). Tags are not kept: a tagged value is read back as its content.
 *
 * <p>Registered claims used here: {@code iss} 1, {@code sub} 2, {@code exp} 4, {@code nbf} 5, {@code iat} 6,
 * {@code cti} 7 (times in whole seconds since the epoch), and {@code status} 65535 of the IETF Token Status List
 * draft. Our own claims use private-use keys (below -65536, RFC 8392 section 9.1): see {@link DocumentQr} and
 * {@link LicenceQr}.
 */
public final class CwtClaims {

    public static final int ISS = 1;
    public static final int SUB = 2;
    public static final int EXP = 4;
    public static final int NBF = 5;
    public static final int IAT = 6;
    public static final int CTI = 7;
    /** draft-ietf-oauth-status-list: {@code {"status_list": {"idx": uint, "uri": text}}}. */
    public static final int STATUS = 65535;

    private final Map<Integer, Object> values;

    private CwtClaims(Map<Integer, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static CwtClaims of(Map<Integer, Object> values) {
        values.forEach((k, v) -> {
            Objects.requireNonNull(k, "claim key");
            Objects.requireNonNull(v, () -> "claim " + k + " has no value");
        });
        return new CwtClaims(values);
    }

    /** Claims from a CBOR map with integer keys (as a client sends them to be signed); a clear refusal otherwise. */
    public static CwtClaims fromCbor(byte[] cbor) {
        try {
            return Cbor.claims(Cbor.decode(cbor));
        } catch (RejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RejectedException(Problem.INVALID_REQUEST,
                    "The claims are not a CBOR map with integer keys: " + e.getMessage());
        }
    }

    /** The claims as a CBOR map (deterministic encoding of what {@link #values()} holds). */
    public byte[] toCbor() {
        return Cbor.claims(this).EncodeToBytes();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every claim, in the order written. */
    public Map<Integer, Object> values() {
        return values;
    }

    public Object get(int key) {
        return values.get(key);
    }

    public String issuer() {
        return values.get(ISS) instanceof String s ? s : null;
    }

    public Instant issuedAt() {
        return time(IAT);
    }

    /** Null when the token does not expire. */
    public Instant expiresAt() {
        return time(EXP);
    }

    public Instant notBefore() {
        return time(NBF);
    }

    /** The status list entry (claim 65535), or null. */
    public StatusReference status() {
        if (values.get(STATUS) instanceof Map<?, ?> status && status.get("status_list") instanceof Map<?, ?> list
                && list.get("idx") instanceof Number idx && list.get("uri") instanceof String uri) {
            return new StatusReference(idx.longValue(), uri);
        }
        return null;
    }

    /** A time claim in seconds; a value that is no integer counts as absent here and is refused by the verifier. */
    Instant time(int key) {
        return values.get(key) instanceof Number n && !(n instanceof Double) ? Instant.ofEpochSecond(n.longValue()) : null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CwtClaims c
                && Arrays.equals(Cbor.claims(this).EncodeToBytes(), Cbor.claims(c).EncodeToBytes());
    }

    @Override
    public int hashCode() {
        return values.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "CwtClaims" + Cbor.claims(this);
    }

    /** Where a verifier looks up whether the credential is still valid: entry {@code index} of the list at {@code uri}. */
    public record StatusReference(long index, String uri) {
        public StatusReference {
            if (index < 0) {
                throw new IllegalArgumentException("a status list index is not negative");
            }
            Objects.requireNonNull(uri, "uri");
        }

        Map<String, Object> claim() {
            Map<String, Object> list = new LinkedHashMap<>();
            list.put("idx", index);
            list.put("uri", uri);
            return Map.of("status_list", list);
        }
    }

    /** Builds claims in the order given (the encoding keeps that order). */
    public static final class Builder {
        private final Map<Integer, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder issuer(String issuer) {
            return put(ISS, issuer);
        }

        public Builder subject(String subject) {
            return put(SUB, subject);
        }

        public Builder issuedAt(Instant time) {
            return put(IAT, time.getEpochSecond());
        }

        public Builder expiresAt(Instant time) {
            return put(EXP, time.getEpochSecond());
        }

        public Builder notBefore(Instant time) {
            return put(NBF, time.getEpochSecond());
        }

        public Builder tokenId(byte[] id) {
            return put(CTI, id.clone());
        }

        public Builder status(StatusReference status) {
            return put(STATUS, status.claim());
        }

        /** Any claim; a null value leaves the claim out. */
        public Builder put(int key, Object value) {
            if (value != null) {
                values.put(key, value);
            }
            return this;
        }

        public CwtClaims build() {
            return new CwtClaims(values);
        }
    }
}
