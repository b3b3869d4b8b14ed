package cn.yinxin.core.pki.keys;

import cn.yinxin.core.pki.Providers;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Set;

/**
 * SM3withSM2 signing and verification with an explicit user ID (GB/T 35276: {@link Signers#SM2_USER_ID} unless told
 * otherwise). Verification takes the signature value as DER SEQUENCE{r, s}, the standard form, or as the raw 64-byte
 * r||s some Chinese implementations write.
 */
public final class Sm2Signatures {

    /**
     * The identifiers an SM2 signature algorithm is written with in practice: SM3withSM2 (1.2.156.10197.1.501), the
     * SM2 signature scheme (1.2.156.10197.1.301.1), the SM2 curve (1.2.156.10197.1.301) and id-ecPublicKey.
     */
    public static final Set<ASN1ObjectIdentifier> ALGORITHM_IDS = Set.of(GMObjectIdentifiers.sm2sign_with_sm3,
            GMObjectIdentifiers.sm2sign, GMObjectIdentifiers.sm2p256v1, X9ObjectIdentifiers.id_ecPublicKey);

    private Sm2Signatures() {
    }

    public static boolean isSm2(PublicKey key) {
        try {
            return KeyAlgorithm.of(key) == KeyAlgorithm.SM2;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** SM3withSM2 with the standard user ID; the value is DER SEQUENCE{r, s}. */
    public static byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
        return sign(key, data, Signers.SM2_USER_ID);
    }

    public static byte[] sign(PrivateKey key, byte[] data, byte[] userId) throws GeneralSecurityException {
        // a key in a PKCS#11 token signs there; a key in memory with Bouncy Castle
        Provider provider = key instanceof Pkcs11Sm2.TokenKey tokenKey ? tokenKey.provider() : Providers.bouncyCastle();
        Signature signature = Signature.getInstance("SM3withSM2", provider);
        signature.setParameter(new SM2ParameterSpec(userId));
        signature.initSign(key);
        signature.update(data);
        return signature.sign();
    }

    /** Verifies with the standard user ID 1234567812345678. */
    public static boolean verify(PublicKey key, byte[] data, byte[] value) {
        return verify(key, data, value, Signers.SM2_USER_ID);
    }

    /** False for a wrong signature and for a value that is neither DER SEQUENCE{r, s} nor 64 bytes r||s. */
    public static boolean verify(PublicKey key, byte[] data, byte[] value, byte[] userId) {
        try {
            byte[] der = toDer(value);
            Signature signature = Signature.getInstance("SM3withSM2", Providers.bouncyCastle());
            signature.setParameter(new SM2ParameterSpec(userId));
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(der);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the value is a raw 64-byte r||s rather than DER. */
    public static boolean isRaw(byte[] value) {
        return value.length == 64 && !isDerPair(value);
    }

    /** DER SEQUENCE{r, s} for either form of the value; a DER value is returned as it is. */
    public static byte[] toDer(byte[] value) {
        return isRaw(value) ? rawToDer(value) : value;
    }

    /** DER SEQUENCE{r, s} of a raw 64-byte r||s (as a token returns it). */
    static byte[] rawToDer(byte[] raw) {
        var vector = new ASN1EncodableVector();
        vector.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))));
        vector.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64))));
        try {
            return new DERSequence(vector).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw 64-byte r||s of a DER SEQUENCE{r, s}. */
    public static byte[] toRaw(byte[] der) {
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        byte[] raw = new byte[64];
        copy(ASN1Integer.getInstance(sequence.getObjectAt(0)).getPositiveValue(), raw, 0);
        copy(ASN1Integer.getInstance(sequence.getObjectAt(1)).getPositiveValue(), raw, 32);
        return raw;
    }

    private static void copy(BigInteger value, byte[] into, int at) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, into, at + 32 - length, length);
    }

    private static boolean isDerPair(byte[] value) {
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(value);
            return sequence.size() == 2 && Arrays.equals(sequence.getEncoded("DER"), value);
        } catch (Exception e) {
            return false;
        }
    }
}
