package cn.yinxin.core.pki.keys;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PKCS#11 token (an HSM; SoftHSM2 in tests) as a key store, through the JDK's SunPKCS11 provider. Keys are
 * generated inside the token as sensitive, non-extractable objects; signing happens in the token.
 *
 * <p>SM2 keys (national-mode seals) go through {@link Pkcs11Sm2} instead, which calls the token's SM3withSM2 vendor
 * mechanism; a token without it refuses SM2 keys.
 */
public final class Pkcs11Vault implements KeyVault {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Provider provider;
    private final KeyStore store;
    private final Pkcs11Sm2 sm2;

    /**
     * @param library the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so
     * @param slot    the slot id of the token
     * @param pin     the user PIN
     */
    public Pkcs11Vault(Path library, long slot, char[] pin) throws GeneralSecurityException {
        String config = "--name=yinxin" + INSTANCES.incrementAndGet() + "\n"
                + "library=" + library.toAbsolutePath() + "\n"
                + "slot=" + slot + "\n"
                // keys made here stay in the token: the HSM refuses to hand them out
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                + "  CKA_SENSITIVE = true\n"
                + "  CKA_EXTRACTABLE = false\n"
                + "}\n";
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new GeneralSecurityException("this JDK has no SunPKCS11 provider");
        }
        try {
            this.provider = base.configure(config);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new GeneralSecurityException("cannot open slot " + slot + " of the PKCS#11 module " + library + ": "
                    + cause.getMessage(), e);
        }
        this.store = KeyStore.getInstance("PKCS11", provider);
        try {
            store.load(null, pin);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot log in to the token in slot " + slot + ": " + e.getMessage(), e);
        }
        this.sm2 = Pkcs11Sm2.open(library, slot, pin);
    }

    @Override
    public String kind() {
        return "PKCS11";
    }

    public Provider provider() {
        return provider;
    }

    @Override
    public synchronized SealKey create(String alias, KeyAlgorithm algorithm, Certifier certifier)
            throws GeneralSecurityException {
        if (store.containsAlias(alias) || sm2.holds(alias)) {
            throw new GeneralSecurityException("the token already holds a key named " + alias);
        }
        if (algorithm == KeyAlgorithm.SM2) {
            NewKey key = sm2.generate(alias);
            try {
                sm2.storeChain(alias, certifier.certify(key));
            } catch (GeneralSecurityException | RuntimeException e) {
                try {
                    sm2.discard(alias);
                } catch (GeneralSecurityException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            return get(alias);
        }
        KeyPair pair = algorithm.generate(provider);
        List<X509Certificate> chain = certifier.certify(new NewKey(pair.getPublic(), pair.getPrivate(), provider));
        // storing the entry turns the session key into a token object; the key material never leaves the token
        store.setKeyEntry(alias, pair.getPrivate(), null, chain.toArray(Certificate[]::new));
        return get(alias);
    }

    @Override
    public synchronized SealKey get(String alias) throws GeneralSecurityException {
        SealKey national = sm2.find(alias);
        if (national != null) {
            return national;
        }
        if (!store.isKeyEntry(alias)) {
            throw new GeneralSecurityException("no key named " + alias + " in the token");
        }
        PrivateKey key = (PrivateKey) store.getKey(alias, null);
        return new SealKey(key, Arrays.stream(store.getCertificateChain(alias)).map(X509Certificate.class::cast).toList(),
                provider);
    }

    @Override
    public synchronized boolean contains(String alias) throws GeneralSecurityException {
        return store.isKeyEntry(alias) || sm2.holds(alias);
    }

    @Override
    public synchronized void destroy(String alias) throws GeneralSecurityException {
        if (sm2.holds(alias)) {
            sm2.discard(alias);
        } else if (store.containsAlias(alias)) {
            // SunPKCS11 destroys the private key object and the certificate objects stored with it
            store.deleteEntry(alias);
        }
    }

    @Override
    public synchronized Set<String> aliases() throws GeneralSecurityException {
        Set<String> names = new TreeSet<>(Collections.list(store.aliases()));
        names.addAll(sm2.aliases());
        return names;
    }
}
