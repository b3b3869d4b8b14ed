package cn.yinxin.service.keys;

import cn.yinxin.core.pki.keys.KeyVault;
import cn.yinxin.core.pki.keys.Pkcs11Vault;
import cn.yinxin.core.pki.keys.Pkcs12Vault;

import java.security.GeneralSecurityException;

/** Opens the key store a setting names: one line of configuration switches between PKCS#12 and an HSM. */
public final class KeyStores {

    private KeyStores() {
    }

    public static KeyVault open(KeyStoreSettings settings) throws GeneralSecurityException {
        char[] secret = settings.password() == null ? new char[0] : settings.password().toCharArray();
        return switch (settings.type() == null ? "PKCS12" : settings.type().toUpperCase()) {
            case "PKCS12" -> new Pkcs12Vault(settings.path(), secret);
            case "PKCS11" -> {
                if (settings.library() == null || settings.slot() == null) {
                    throw new IllegalStateException("a PKCS11 key store needs a library and a slot");
                }
                yield new Pkcs11Vault(settings.library(), settings.slot(), secret);
            }
            default -> throw new IllegalStateException("unknown key store type " + settings.type()
                    + "; use PKCS12 or PKCS11");
        };
    }
}
