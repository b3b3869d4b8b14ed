package cn.yinxin.core.qr;

import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;

/**
 * COSE_Sign1 (RFC 9052 section 4.2): {@code 18([protected: bstr .cbor header_map, unprotected: header_map,
 * payload: bstr, signature: bstr])}, and the bytes a signature covers (section 4.4).
 */
final class CoseSign1 {

    static final int TAG = 18;
    static final int HEADER_ALG = 1;
    static final int HEADER_KID = 4;
    /** ECDSA w/ SHA-256 (RFC 9053). */
    static final int ES256 = -7;

    final byte[] protectedBytes;
    final CBORObject protectedHeader;
    final CBORObject unprotectedHeader;
    final byte[] payload;
    final byte[] signature;

    private CoseSign1(byte[] protectedBytes, CBORObject protectedHeader, CBORObject unprotectedHeader, byte[] payload,
                      byte[] signature) {
        this.protectedBytes = protectedBytes;
        this.protectedHeader = protectedHeader;
        this.unprotectedHeader = unprotectedHeader;
        this.payload = payload;
        this.signature = signature;
    }

    /** The protected header {1: alg, 4: kid}, encoded once: the signature covers exactly these bytes. */
    static byte[] protectedHeader(int alg, byte[] kid) {
        CBORObject header = CBORObject.NewOrderedMap();
        header.Add(CBORObject.FromObject(HEADER_ALG), CBORObject.FromObject(alg));
        header.Add(CBORObject.FromObject(HEADER_KID), CBORObject.FromObject(kid));
        return header.EncodeToBytes();
    }

    /** Sig_structure = ["Signature1", body_protected, external_aad (empty), payload]. */
    static byte[] toBeSigned(byte[] protectedBytes, byte[] payload) {
        CBORObject structure = CBORObject.NewArray();
        structure.Add(CBORObject.FromObject("Signature1"));
        structure.Add(CBORObject.FromObject(protectedBytes));
        structure.Add(CBORObject.FromObject(new byte[0]));
        structure.Add(CBORObject.FromObject(payload));
        return structure.EncodeToBytes();
    }

    static byte[] encode(byte[] protectedBytes, byte[] payload, byte[] signature) {
        CBORObject message = CBORObject.NewArray();
        message.Add(CBORObject.FromObject(protectedBytes));
        message.Add(CBORObject.NewMap());
        message.Add(CBORObject.FromObject(payload));
        message.Add(CBORObject.FromObject(signature));
        return CBORObject.FromObjectAndTag(message, TAG).EncodeToBytes();
    }

    /**
     * Reads a COSE_Sign1 message, tagged 18 or untagged (RFC 9052 lets the application decide; some EU DCC issuers
     * leave the tag out).
     *
     * @throws CBORException when the bytes are not a COSE_Sign1 message
     */
    static CoseSign1 decode(byte[] bytes) {
        CBORObject message = Cbor.decode(bytes);
        if (message.isTagged()) {
            if (message.getTagCount() != 1 || !message.HasMostOuterTag(TAG)) {
                throw new CBORException("tagged " + message.getMostOuterTag() + ", not as COSE_Sign1 (18)");
            }
            message = message.UntagOne();
        }
        if (message.getType() != CBORType.Array || message.size() != 4) {
            throw new CBORException("a COSE_Sign1 message is an array of four");
        }
        byte[] protectedBytes = byteString(message.get(0), "protected header");
        CBORObject protectedHeader = protectedBytes.length == 0 ? CBORObject.NewMap() : Cbor.decode(protectedBytes);
        CBORObject unprotected = message.get(1);
        if (protectedHeader.getType() != CBORType.Map || unprotected.getType() != CBORType.Map) {
            throw new CBORException("COSE headers are maps");
        }
        return new CoseSign1(protectedBytes, protectedHeader, unprotected,
                byteString(message.get(2), "payload"), byteString(message.get(3), "signature"));
    }

    /** A header parameter, protected first (the kid may sit in either bucket; the alg must be protected). */
    CBORObject header(int label, boolean protectedOnly) {
        CBORObject key = CBORObject.FromObject(label);
        CBORObject value = protectedHeader.get(key);
        if (value == null && !protectedOnly) {
            value = unprotectedHeader.get(key);
        }
        return value;
    }

    private static byte[] byteString(CBORObject value, String what) {
        if (value.getType() != CBORType.ByteString || value.isTagged()) {
            throw new CBORException("the " + what + " is not a byte string");
        }
        return value.GetByteString();
    }
}
