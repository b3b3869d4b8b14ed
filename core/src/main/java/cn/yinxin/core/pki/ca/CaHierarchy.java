package cn.yinxin.core.pki.ca;

import cn.yinxin.core.pki.keys.KeyVault;
import cn.yinxin.core.pki.keys.SealKey;

import java.security.GeneralSecurityException;
import java.util.List;

/** The keys of a Yinxin CA hierarchy, by their fixed names in the key store. */
public record CaHierarchy(SealKey root, SealKey sealCa, SealKey personalCa, SealKey tsa, SealKey ocspSealCa,
                          SealKey ocspPersonalCa, SealKey trustListSigner) {

    public static final String ROOT = "root";
    public static final String SEAL_CA = "seal-ca";
    public static final String PERSONAL_CA = "personal-ca";
    public static final String TSA = "tsa";
    public static final String OCSP_SEAL_CA = "ocsp-seal-ca";
    public static final String OCSP_PERSONAL_CA = "ocsp-personal-ca";
    public static final String TRUST_LIST = "trust-list";
    /**
     * The seal-making authority's SM2 key (GB/T 38540 seals), certified by the agency seal CA. Not part of
     * {@link #ALIASES}: key stores made before it existed still open, and the ca-service adds it at start.
     */
    public static final String SEAL_MAKER = "seal-maker";
    public static final List<String> ALIASES = List.of(ROOT, SEAL_CA, PERSONAL_CA, TSA, OCSP_SEAL_CA,
            OCSP_PERSONAL_CA, TRUST_LIST);

    public static boolean presentIn(KeyVault vault) throws GeneralSecurityException {
        for (String alias : ALIASES) {
            if (!vault.contains(alias)) {
                return false;
            }
        }
        return true;
    }

    public static CaHierarchy load(KeyVault vault) throws GeneralSecurityException {
        return new CaHierarchy(vault.get(ROOT), vault.get(SEAL_CA), vault.get(PERSONAL_CA), vault.get(TSA),
                vault.get(OCSP_SEAL_CA), vault.get(OCSP_PERSONAL_CA), vault.get(TRUST_LIST));
    }

    /** The same keys with another trust-list signer (see {@link KeyCeremony#withTrustListPurpose}). */
    public CaHierarchy withTrustListSigner(SealKey signer) {
        return new CaHierarchy(root, sealCa, personalCa, tsa, ocspSealCa, ocspPersonalCa, signer);
    }

    /** The issuing CA of that name ("seal-ca", "personal-ca") or the root. */
    public SealKey ca(String name) {
        return switch (name) {
            case ROOT -> root;
            case SEAL_CA -> sealCa;
            case PERSONAL_CA -> personalCa;
            default -> null;
        };
    }

    /** The delegated OCSP signer of a CA; the root answers for itself. */
    public SealKey ocspSigner(String ca) {
        return switch (ca) {
            case SEAL_CA -> ocspSealCa;
            case PERSONAL_CA -> ocspPersonalCa;
            default -> root;
        };
    }
}
