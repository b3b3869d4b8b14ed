package cn.yinxin.core.pki;

import java.security.PublicKey;

/** The signature algorithm a key signs with; one place so signer and CA never disagree. */
public final class SignatureAlgorithms {

    private SignatureAlgorithms() {
    }

    public static String forKey(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm: " + key.getAlgorithm());
        };
    }
}
