package cn.yinxin.seal.keys;

import cn.yinxin.seal.SealsProperties;
import cn.yinxin.seal.registry.Seal;

import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.keys.KeyVault;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.service.keys.KeyStores;
import org.springframework.stereotype.Component;

import cn.yinxin.service.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seals' signing keys. New seal keys are made inside the service's key store (a PKCS#12 file, or an HSM
 * through PKCS#11) and used only through handles; imported sample seals keep their key in the PKCS#12 file they
 * came in. Handles are opened once and kept.
 */
@Component
public class SealKeys {

    private final SealsProperties properties;
    private final Map<String, SealKey> opened = new ConcurrentHashMap<>();
    private volatile KeyVault vault;

    private final MeterRegistry meters;

    public SealKeys(SealsProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.meters = meters;
    }

    /** A key store that fails is an operator's alarm (HSM down, token full, wrong PIN): counted by operation. */
    private void failed(String operation) {
        Meters.count(meters, Meters.KEY_STORE_ERRORS, "operation", operation);
    }

    /** Makes a key in the key store and has it certified; the alias must be new. */
    public SealKey create(String alias, KeyAlgorithm algorithm, KeyVault.Certifier certifier)
            throws GeneralSecurityException {
        SealKey key;
        try {
            key = vault().create(alias, algorithm, certifier);
        } catch (GeneralSecurityException | RuntimeException e) {
            failed("create");
            throw e;
        }
        opened.put("vault:" + alias, key);
        return key;
    }

    /**
     * Destroys a key in the key store for good (a renewed seal's old key), then forgets its handle: in that order,
     * so a stamp that opens the key meanwhile cannot put the handle back after it is forgotten.
     */
    public void destroy(String alias) throws GeneralSecurityException {
        try {
            vault().destroy(alias);
        } catch (GeneralSecurityException | RuntimeException e) {
            failed("destroy");
            throw e;
        }
        opened.remove("vault:" + alias);
    }

    public boolean exists(String alias) throws GeneralSecurityException {
        return vault().contains(alias);
    }

    /** The key of a seal, from its key store alias or its imported file. */
    public SealKey of(Seal seal) {
        String ref = seal.keyAlias() != null ? "vault:" + seal.keyAlias() : "file:" + seal.keyFile();
        return opened.computeIfAbsent(ref, r -> {
            try {
                if (seal.keyAlias() != null) {
                    return vault().get(seal.keyAlias());
                }
                return SealKey.fromPkcs12(Path.of(seal.keyFile()), password());
            } catch (GeneralSecurityException e) {
                failed("open");
                throw new IllegalStateException("the key of seal " + seal.id() + " cannot be opened: " + e.getMessage(), e);
            } catch (IOException e) {
                failed("open");
                throw new UncheckedIOException("the key file of seal " + seal.id() + " cannot be read", e);
            }
        });
    }

    /** A key made in the key store by {@link #create}, by its alias (personal signing keys live there too). */
    public SealKey inKeyStore(String alias) {
        return opened.computeIfAbsent("vault:" + alias, r -> {
            try {
                return vault().get(alias);
            } catch (GeneralSecurityException e) {
                failed("open");
                throw new IllegalStateException("the key " + alias + " cannot be opened: " + e.getMessage(), e);
            }
        });
    }

    public char[] password() {
        String password = properties.keystore() == null ? null : properties.keystore().password();
        return password == null ? new char[0] : password.toCharArray();
    }

    private KeyVault vault() throws GeneralSecurityException {
        if (vault == null) {
            synchronized (this) {
                if (vault == null) {
                    if (properties.keystore() == null) {
                        throw new IllegalStateException("yinxin.seals.keystore.* is not configured");
                    }
                    vault = KeyStores.open(properties.keystore());
                }
            }
        }
        return vault;
    }
}
