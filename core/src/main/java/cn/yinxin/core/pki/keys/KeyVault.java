package cn.yinxin.core.pki.keys;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * Where signing keys live: a PKCS#12 file for development, a PKCS#11 token (an HSM) in production. Keys are made
 * inside the store and used through handles; no method here returns key material.
 */
public interface KeyVault {

    /** A key just made in the store: its public key, and a handle that can sign (a root certifies itself). */
    record NewKey(PublicKey publicKey, PrivateKey handle, Provider provider) {
    }

    /** Says which certificate chain goes with a freshly made key (typically: a CA issues it). */
    @FunctionalInterface
    interface Certifier {
        List<X509Certificate> certify(NewKey key) throws GeneralSecurityException;
    }

    /** "PKCS12" or "PKCS11". */
    String kind();

    /**
     * Makes a key pair inside the store, has it certified, and keeps the key with its chain under {@code alias}.
     * Refuses an alias that is taken: keys are never replaced silently.
     */
    SealKey create(String alias, KeyAlgorithm algorithm, Certifier certifier) throws GeneralSecurityException;

    /** The key under {@code alias}, as a handle with its chain. */
    SealKey get(String alias) throws GeneralSecurityException;

    boolean contains(String alias) throws GeneralSecurityException;

    /**
     * Destroys the key under {@code alias} and its chain, for good (a seal whose certificate was renewed with a new
     * key). Does nothing when there is no such key.
     */
    void destroy(String alias) throws GeneralSecurityException;

    Set<String> aliases() throws GeneralSecurityException;
}
