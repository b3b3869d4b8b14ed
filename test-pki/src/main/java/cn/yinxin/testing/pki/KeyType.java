package cn.yinxin.testing.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * The key types of the test PKI: EC P-256 as most tests use, SM2 for the national-standard seals (GB/T 38540), RSA
 * 2048 for other products' signers that know no other key (node-signpdf's PKCS#12 signer).
 */
public enum KeyType {
    EC_P256("secp256r1", "SHA256withECDSA"),
    /** SM2 signs with SM3 and the GB/T 35276 default user ID, as Bouncy Castle does unless told otherwise. */
    SM2("sm2p256v1", "SM3withSM2"),
    RSA_2048(null, "SHA256withRSA");

    private final String curve;
    final String signatureAlgorithm;

    KeyType(String curve, String signatureAlgorithm) {
        this.curve = curve;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public KeyPair generate() {
        try {
            if (curve == null) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", Bc.PROVIDER);
                generator.initialize(2048);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + this + " key: " + e.getMessage(), e);
        }
    }
}
