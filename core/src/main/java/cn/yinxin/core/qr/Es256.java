package cn.yinxin.core.qr;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/** ES256 signatures in COSE form: r and s as two 32-byte big-endian numbers (RFC 9053 section 2.1), not DER. */
final class Es256 {

    static final String JCA = "SHA256withECDSA";
    /**
     * Bouncy Castle's name for ECDSA with SHA-256 over r and s as two fixed-length numbers (IEEE P1363), the form
     * COSE uses: verified as they are, without re-encoding them as DER first.
     */
    static final String JCA_RAW = "SHA256withPLAIN-ECDSA";
    private static final int HALF = 32;

    private Es256() {
    }

    static boolean fits(PublicKey key) {
        return key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256
                && ec.getParams().getOrder().bitLength() == 256;
    }

    static byte[] derToRaw(byte[] der) throws GeneralSecurityException {
        ASN1Sequence sequence;
        try {
            sequence = ASN1Sequence.getInstance(der);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the signer returned no DER ECDSA signature", e);
        }
        if (sequence.size() != 2) {
            throw new GeneralSecurityException("an ECDSA signature has two numbers");
        }
        byte[] raw = new byte[2 * HALF];
        put(ASN1Integer.getInstance(sequence.getObjectAt(0)).getPositiveValue(), raw, 0);
        put(ASN1Integer.getInstance(sequence.getObjectAt(1)).getPositiveValue(), raw, HALF);
        return raw;
    }

    /** Whether {@code signature} has the length of r and s side by side (else it is no ES256 signature). */
    static boolean isRaw(byte[] signature) {
        return signature != null && signature.length == 2 * HALF;
    }

    private static void put(BigInteger value, byte[] out, int offset) throws GeneralSecurityException {
        byte[] bytes = value.toByteArray();
        int start = 0;
        while (start < bytes.length - 1 && bytes[start] == 0) {
            start++;
        }
        int length = bytes.length - start;
        if (length > HALF) {
            throw new GeneralSecurityException("an ES256 signature number is longer than 32 bytes");
        }
        System.arraycopy(bytes, start, out, offset + HALF - length, length);
    }
}
