package cn.yinxin.core.pki;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

/** Which JCA provider does the cryptography. */
public final class Providers {

    private static final Provider BC;

    static {
        Provider installed = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (installed == null) {
            installed = new BouncyCastleProvider();
            Security.addProvider(installed);
        }
        BC = installed;
    }

    private Providers() {
    }

    public static Provider bouncyCastle() {
        return BC;
    }

    /**
     * Bouncy Castle for keys in memory (its ECDSA signs about twice as fast as the JDK's here); null, meaning
     * "the key's own provider", for hardware keys, which only their PKCS#11 provider can use.
     */
    public static Provider forSigning(PrivateKey key) {
        boolean software = key instanceof ECPrivateKey ec && ec.getS() != null
                || key instanceof RSAPrivateKey rsa && rsa.getModulus() != null && !"PKCS#11".equals(key.getFormat());
        return software ? BC : null;
    }
}
