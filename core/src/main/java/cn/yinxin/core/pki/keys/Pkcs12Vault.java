package cn.yinxin.core.pki.keys;

import cn.yinxin.core.pki.Providers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A PKCS#12 file as a key store, for development and tests. Bouncy Castle's PKCS#12 implementation, because the
 * JDK's cannot read SM2 keys back. Every change is written to a temporary file and moved into place, so a crash
 * never leaves half a key store.
 */
public final class Pkcs12Vault implements KeyVault {

    private final Path file;
    private final char[] password;
    private final KeyStore store;

    public Pkcs12Vault(Path file, char[] password) throws GeneralSecurityException {
        this.file = file;
        this.password = password.clone();
        this.store = KeyStore.getInstance("PKCS12", Providers.bouncyCastle());
        try {
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    store.load(in, this.password);
                }
            } else {
                store.load(null, null);
            }
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot open key store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String kind() {
        return "PKCS12";
    }

    @Override
    public synchronized SealKey create(String alias, KeyAlgorithm algorithm, Certifier certifier)
            throws GeneralSecurityException {
        if (store.containsAlias(alias)) {
            throw new GeneralSecurityException("key store " + file + " already holds a key named " + alias);
        }
        KeyPair pair = algorithm.generate(Providers.bouncyCastle());
        List<X509Certificate> chain = certifier.certify(new NewKey(pair.getPublic(), pair.getPrivate(), null));
        store.setKeyEntry(alias, pair.getPrivate(), password, chain.toArray(Certificate[]::new));
        save();
        return new SealKey(pair.getPrivate(), chain);
    }

    @Override
    public synchronized SealKey get(String alias) throws GeneralSecurityException {
        if (!store.isKeyEntry(alias)) {
            throw new GeneralSecurityException("no key named " + alias + " in " + file);
        }
        PrivateKey key = (PrivateKey) store.getKey(alias, password);
        return new SealKey(key, Arrays.stream(store.getCertificateChain(alias)).map(X509Certificate.class::cast).toList());
    }

    @Override
    public synchronized boolean contains(String alias) throws GeneralSecurityException {
        return store.isKeyEntry(alias);
    }

    @Override
    public synchronized void destroy(String alias) throws GeneralSecurityException {
        if (store.containsAlias(alias)) {
            store.deleteEntry(alias);
            save();
        }
    }

    @Override
    public synchronized Set<String> aliases() throws GeneralSecurityException {
        return new TreeSet<>(Collections.list(store.aliases()));
    }

    private void save() throws GeneralSecurityException {
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                store.store(out, password);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key store " + file, e);
        }
    }
}
