package cn.yinxin.ca.hierarchy;

import cn.yinxin.service.keys.KeyStores;
import cn.yinxin.ca.CaProperties;
import cn.yinxin.core.pki.CaHierarchy;
import cn.yinxin.core.pki.KeyVault;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

import java.security.GeneralSecurityException;

/** The CA hierarchy's keys, opened from their key store at start; the service refuses to run without them. */
@Configuration
@Profile("!ceremony")
public class CaKeysConfiguration {

    @Bean
    CaHierarchy caHierarchy(CaProperties properties) throws GeneralSecurityException {
        KeyVault vault = KeyStores.open(properties.keystore());
        if (!CaHierarchy.presentIn(vault)) {
            throw new IllegalStateException("The key store " + describe(properties) + " holds no complete CA "
                    + "hierarchy (needs " + CaHierarchy.ALIASES + "). Run the key ceremony first: "
                    + "java -jar ca-service.jar ceremony");
        }
        return CaHierarchy.load(vault);
    }

    static String describe(CaProperties properties) {
        var k = properties.keystore();
        return "PKCS11".equalsIgnoreCase(k.type()) ? "PKCS#11 " + k.library() + " slot " + k.slot() : String.valueOf(k.path());
    }
}
