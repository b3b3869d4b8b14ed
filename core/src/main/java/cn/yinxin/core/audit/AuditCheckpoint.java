package cn.yinxin.core.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A signed statement "the audit chain up to entry {@code upTo} ends in {@code hash}", made periodically with the
 * service's audit key. Whoever rewrites the chain from some entry on, recomputing every later hash, cannot re-sign
 * the checkpoints after it without that key; a verifier pins the key's certificate.
 */
public record AuditCheckpoint(long upTo, byte[] hash, Instant at, byte[] signature, X509Certificate certificate) {

    static final String ALGORITHM = "SHA256withECDSA";

    /** The bytes signed: "yinxin-audit-checkpoint", the entry id, the hash, the time. */
    public static byte[] toBeSigned(long upTo, byte[] hash, Instant at) {
        byte[] label = "yinxin-audit-checkpoint".getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(label.length + 8 + hash.length + 12).put(label).putLong(upTo).put(hash)
                .putLong(at.getEpochSecond()).putInt(at.getNano()).array();
    }

    public static byte[] sign(PrivateKey key, long upTo, byte[] hash, Instant at) throws GeneralSecurityException {
        Signature signer = Signature.getInstance(algorithm(key));
        signer.initSign(key);
        signer.update(toBeSigned(upTo, hash, at));
        return signer.sign();
    }

    public boolean verifies() {
        try {
            Signature verifier = Signature.getInstance(algorithm(certificate.getPublicKey()));
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(toBeSigned(upTo, hash, at));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String algorithm(Key key) {
        return "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : ALGORITHM;
    }
}
