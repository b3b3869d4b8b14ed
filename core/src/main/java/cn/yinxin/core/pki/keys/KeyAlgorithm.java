package cn.yinxin.core.pki.keys;

import org.bouncycastle.asn1.gm.GMNamedCurves;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;

/** The key algorithms a Yinxin CA or seal may use, each with the one signature algorithm it signs with. */
public enum KeyAlgorithm {
    EC_P256("EC", "SHA256withECDSA"),
    RSA_2048("RSA", "SHA256withRSA"),
    RSA_3072("RSA", "SHA256withRSA"),
    SM2("EC", "SM3withSM2");

    private static final BigInteger SM2_PRIME = GMNamedCurves.getByName("sm2p256v1").getCurve().getField()
            .getCharacteristic();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyType;
    private final String signatureAlgorithm;

    KeyAlgorithm(String keyType, String signatureAlgorithm) {
        this.keyType = keyType;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** A new key pair made by {@code provider} (a PKCS#11 provider makes it inside its token). */
    public KeyPair generate(Provider provider) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType, provider);
        switch (this) {
            case EC_P256 -> generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            case SM2 -> generator.initialize(new ECGenParameterSpec("sm2p256v1"), RANDOM);
            case RSA_2048 -> generator.initialize(2048, RANDOM);
            case RSA_3072 -> generator.initialize(3072, RANDOM);
        }
        return generator.generateKeyPair();
    }

    /** The algorithm of an existing public key; SM2 is told from P-256 by its curve. */
    public static KeyAlgorithm of(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength() > 2048 ? RSA_3072 : RSA_2048;
        }
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField() instanceof ECFieldFp field) {
            if (field.getP().equals(SM2_PRIME)) {
                return SM2;
            }
            if (field.getP().bitLength() == 256) {
                return EC_P256;
            }
        }
        throw new IllegalArgumentException("unsupported key: " + key.getAlgorithm());
    }
}
