package cn.yinxin.service.keys;

import java.nio.file.Path;

/**
 * Where a service keeps signing keys; one setting switches between a PKCS#12 file and an HSM.
 *
 * @param type     PKCS12 or PKCS11
 * @param path     the PKCS#12 file
 * @param password the PKCS#12 password, or the PKCS#11 user PIN
 * @param library  the PKCS#11 module
 * @param slot     the PKCS#11 slot id
 */
public record KeyStoreSettings(String type, Path path, String password, Path library, Long slot) {
}
