package cn.yinxin.ca.hierarchy;

import cn.yinxin.service.keys.KeyStores;
import cn.yinxin.ca.CaProperties;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.KeyVault;
import cn.yinxin.core.pki.keys.SealKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** The CA hierarchy's keys, opened from their key store at start; the service refuses to run without them. */
@Configuration
@Profile("!ceremony")
public class CaKeysConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CaKeysConfiguration.class);

    /** The seal-making authority's SM2 key (GB/T 38540 seals), when the key store has or can make one. */
    public record SealMakerKey(Optional<SealKey> key, String why) {
    }

    @Bean
    KeyVault caVault(CaProperties properties) throws GeneralSecurityException {
        return KeyStores.open(properties.keystore());
    }

    @Bean
    CaHierarchy caHierarchy(KeyVault caVault, CaProperties properties) throws GeneralSecurityException {
        if (!CaHierarchy.presentIn(caVault)) {
            throw new IllegalStateException("The key store " + describe(properties) + " holds no complete CA "
                    + "hierarchy (needs " + CaHierarchy.ALIASES + "). Run the key ceremony first: "
                    + "java -jar ca-service.jar ceremony");
        }
        CaHierarchy hierarchy = CaHierarchy.load(caVault);
        SealKey signer = KeyCeremony.withTrustListPurpose(hierarchy, properties.publicUrl(), properties.ocspUrl());
        if (signer != hierarchy.trustListSigner()) {
            // a key store from before trust-list certificates had their own key purpose: verifiers would refuse
            // its lists, so the same key is certified again (in memory, at every start) with the purpose
            log.warn("The trust-list signer's certificate in {} has no trust-list key purpose; signing trust lists "
                    + "with the same key certified again by the root (serial {}). Run a new key ceremony to keep "
                    + "one certificate.", describe(properties), signer.certificate().getSerialNumber().toString(16));
            hierarchy = hierarchy.withTrustListSigner(signer);
        }
        return hierarchy;
    }

    /**
     * The seal maker's key from the key store; a key store made before the seal maker existed gets one now (SM2,
     * certified by the agency seal CA; registered and audited by {@link HierarchyRegistration}), and one made before
     * seal makers had their key purpose gets the same key certified again with it
     * ({@link KeyCeremony#withSealMakingPurpose}). A token without SM2 leaves the CA working without GB/T 38540 seals.
     */
    @Bean
    SealMakerKey sealMakerKey(KeyVault caVault, CaHierarchy hierarchy, CaProperties properties) {
        try {
            if (caVault.contains(CaHierarchy.SEAL_MAKER)) {
                SealKey kept = caVault.get(CaHierarchy.SEAL_MAKER);
                SealKey maker = KeyCeremony.withSealMakingPurpose(kept, hierarchy, properties.publicUrl(),
                        properties.ocspUrl(), Clock.systemUTC());
                if (maker != kept) {
                    // a key store from before seal makers had their own key purpose: verifiers would not confirm
                    // the seals it makes, so the same key is certified again (in memory, at every start)
                    log.warn("The seal maker's certificate in {} has no seal-making key purpose; making seals with "
                            + "the same key certified again by seal-ca (serial {}). Seals made before are not "
                            + "confirmed by verifiers: renew them. Run a new key ceremony to keep one certificate.",
                            describe(properties), maker.certificate().getSerialNumber().toString(16));
                }
                return new SealMakerKey(Optional.of(maker), null);
            }
            SealKey made = KeyCeremony.sealMaker(caVault, hierarchy, properties.publicUrl(), properties.ocspUrl(),
                    Duration.ofDays(730), step -> log.info("{}: {} serial {}", step.action(), step.alias(), step.serial()));
            return new SealMakerKey(Optional.of(made), null);
        } catch (GeneralSecurityException e) {
            log.warn("No seal maker key (GB/T 38540 seals cannot be made): {}", e.getMessage());
            return new SealMakerKey(Optional.empty(), e.getMessage());
        }
    }

    static String describe(CaProperties properties) {
        var k = properties.keystore();
        return "PKCS11".equalsIgnoreCase(k.type()) ? "PKCS#11 " + k.library() + " slot " + k.slot() : String.valueOf(k.path());
    }
}
