package cn.yinxin.core.qr;

import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import com.upokecenter.numbers.EInteger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Between plain Java values and CBOR (com.upokecenter:cbor). Jackson's CBOR module is made for data binding with
 * text keys; COSE needs integer keys, tags and byte strings exactly as they are, which this library keeps.
 */
final class Cbor {

    /** Strict decoding: duplicate map keys are an error (two readers could see two different claims otherwise). */
    static final CBOREncodeOptions STRICT = new CBOREncodeOptions("allowduplicatekeys=false;useIndefLengthStrings=false");

    private Cbor() {
    }

    static CBORObject decode(byte[] bytes) {
        return CBORObject.DecodeFromBytes(bytes, STRICT);
    }

    static CBORObject claims(CwtClaims claims) {
        CBORObject map = CBORObject.NewOrderedMap();
        claims.values().forEach((key, value) -> map.Add(CBORObject.FromObject(key.intValue()), toCbor(value)));
        return map;
    }

    static CwtClaims claims(CBORObject map) {
        if (map.getType() != CBORType.Map) {
            throw new CBORException("the CWT payload is not a map");
        }
        Map<Integer, Object> values = new LinkedHashMap<>();
        for (Map.Entry<CBORObject, CBORObject> entry : map.getEntries()) {
            CBORObject key = entry.getKey();
            if (!key.isIntegral() || !key.CanValueFitInInt32() || key.isTagged()) {
                throw new CBORException("a CWT claim key is not a small integer: " + key);
            }
            values.put(key.AsInt32Value(), fromCbor(entry.getValue()));
        }
        return CwtClaims.of(values);
    }

    static CBORObject toCbor(Object value) {
        return switch (value) {
            case null -> CBORObject.Null;
            case CBORObject c -> c;
            case String s -> CBORObject.FromObject(s);
            case Integer i -> CBORObject.FromObject(i.intValue());
            case Long l -> CBORObject.FromObject(l.longValue());
            case BigInteger b -> CBORObject.FromObject(EInteger.FromString(b.toString()));
            case Boolean b -> CBORObject.FromObject(b.booleanValue());
            case byte[] bytes -> CBORObject.FromObject(bytes);
            case List<?> list -> {
                CBORObject array = CBORObject.NewArray();
                list.forEach(v -> array.Add(toCbor(v)));
                yield array;
            }
            case Map<?, ?> map -> {
                CBORObject out = CBORObject.NewOrderedMap();
                map.forEach((k, v) -> {
                    if (!(k instanceof String || k instanceof Integer || k instanceof Long)) {
                        throw new IllegalArgumentException("a map key must be a text or an integer: " + k);
                    }
                    out.Add(toCbor(k), toCbor(v));
                });
                yield out;
            }
            default -> throw new IllegalArgumentException("no CBOR form for " + value.getClass().getName());
        };
    }

    static Object fromCbor(CBORObject value) {
        CBORObject v = value.isTagged() ? value.Untag() : value;
        if (v.isNull() || v.isUndefined()) {
            return null;
        }
        return switch (v.getType()) {
            case Integer -> v.CanValueFitInInt64() ? (Object) v.AsInt64Value()
                    : new BigInteger(v.AsEIntegerValue().toString());
            case FloatingPoint -> v.AsDoubleValue();
            case Boolean -> v.isTrue();
            case ByteString -> v.GetByteString();
            case TextString -> v.AsString();
            case Array -> {
                List<Object> list = new ArrayList<>();
                for (CBORObject item : v.getValues()) {
                    list.add(fromCbor(item));
                }
                yield Collections.unmodifiableList(list);
            }
            case Map -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (Map.Entry<CBORObject, CBORObject> e : v.getEntries()) {
                    CBORObject k = e.getKey().isTagged() ? e.getKey().Untag() : e.getKey();
                    Object key = k.getType() == CBORType.TextString ? k.AsString()
                            : k.isIntegral() && k.CanValueFitInInt32() ? (Object) k.AsInt32Value() : k.toString();
                    map.put(key, fromCbor(e.getValue()));
                }
                yield map;
            }
            default -> v.toString();
        };
    }
}
