package cn.yinxin.core.pki.keys;

import cn.yinxin.core.pki.Providers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A signing key as held by its key store, with the certificate chain that goes with it (signer first), and the
 * provider that can use it (null: Bouncy Castle for keys in memory). For PKCS#11 the private key is only a handle
 * to an object in the token: nothing here can export it.
 */
public record SealKey(PrivateKey privateKey, List<X509Certificate> chain, Provider provider) {

    public SealKey {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a signing key needs at least its own certificate");
        }
        chain = List.copyOf(chain);
    }

    public SealKey(PrivateKey privateKey, List<X509Certificate> chain) {
        this(privateKey, chain, null);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** Opens a PKCS#12 file and takes its only (or first) key entry. */
    public static SealKey fromPkcs12(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12", Providers.bouncyCastle());
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                PrivateKey key = (PrivateKey) store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                return new SealKey(key, Arrays.stream(chain).map(X509Certificate.class::cast).toList());
            }
        }
        throw new GeneralSecurityException("no key entry in " + file);
    }
}
