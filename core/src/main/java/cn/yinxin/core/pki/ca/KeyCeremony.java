package cn.yinxin.core.pki.ca;

import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.keys.KeyVault;
import cn.yinxin.core.pki.keys.Pkcs11Sm2;
import cn.yinxin.core.pki.keys.SealKey;
import org.bouncycastle.asn1.x500.X500Name;

import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.ca.CertificateMaker.RevocationPointers;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Makes a Yinxin CA hierarchy inside a key store, step by step, telling each step to whoever records it (the
 * ca-service writes them to its audit log): a root; an issuing CA for agency seals and one for personal
 * signatures; a time-stamping certificate; a delegated OCSP signer for each issuing CA; a trust-list signer.
 * The development PKI of keystores-sample is made by this same code.
 */
public final class KeyCeremony {

    /**
     * What to make. {@code publicUrl} is where the ca-service answers (CRLs under /crl/), {@code ocspUrl} its OCSP
     * responder; both are written into every certificate.
     */
    public record Plan(KeyAlgorithm rootAlgorithm, KeyAlgorithm issuingAlgorithm, String publicUrl, String ocspUrl,
                       Duration rootValidity, Duration issuingValidity, Duration serviceValidity) {

        public static Plan development(String publicUrl, String ocspUrl) {
            return new Plan(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256, publicUrl, ocspUrl, Duration.ofDays(3650),
                    Duration.ofDays(1825), Duration.ofDays(730));
        }
    }

    /** One step, as the audit log keeps it. */
    public record Step(String action, String alias, String subject, String serial, String algorithm) {
        /** False for a step that made no key (the seal maker on a token without SM2): it has no serial. */
        public boolean madeKey() {
            return !serial.isEmpty();
        }
    }

    private KeyCeremony() {
    }

    public static CaHierarchy run(KeyVault vault, Plan plan, Consumer<Step> log) throws GeneralSecurityException {
        return run(vault, plan, log, Clock.systemUTC());
    }

    /** As {@link #run(KeyVault, Plan, Consumer)}, the certificates valid from {@code clock}'s now (less 5 minutes). */
    public static CaHierarchy run(KeyVault vault, Plan plan, Consumer<Step> log, Clock clock)
            throws GeneralSecurityException {
        for (String alias : Stream.concat(CaHierarchy.ALIASES.stream(),
                Stream.of(CaHierarchy.SEAL_MAKER)).toList()) {
            if (vault.contains(alias)) {
                throw new GeneralSecurityException("the key store already holds '" + alias
                        + "': a ceremony never replaces keys; use a new key store");
            }
        }
        Instant start = start(clock);
        String url = plan.publicUrl().replaceAll("/+$", "");

        SealKey root = vault.create(CaHierarchy.ROOT, plan.rootAlgorithm(), key -> List.of(
                CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Yinxin Root CA"), key.publicKey(),
                        key.handle(), key.provider(), start, plan.rootValidity())));
        record(log, "root CA created", CaHierarchy.ROOT, root);

        RevocationPointers underRoot = pointers(url, plan.ocspUrl(), CaHierarchy.ROOT);
        SealKey sealCa = vault.create(CaHierarchy.SEAL_CA, plan.issuingAlgorithm(), key -> chain(
                CertificateMaker.issue(CertificateMaker.caSubject("Yinxin Agency Seal CA"), key.publicKey(),
                        Profile.ISSUING_CA, root, start, plan.issuingValidity(), underRoot), root));
        record(log, "issuing CA for agency seals created", CaHierarchy.SEAL_CA, sealCa);
        SealKey personalCa = vault.create(CaHierarchy.PERSONAL_CA, plan.issuingAlgorithm(), key -> chain(
                CertificateMaker.issue(CertificateMaker.caSubject("Yinxin Personal Signature CA"), key.publicKey(),
                        Profile.ISSUING_CA, root, start, plan.issuingValidity(), underRoot), root));
        record(log, "issuing CA for personal signatures created", CaHierarchy.PERSONAL_CA, personalCa);

        SealKey tsa = vault.create(CaHierarchy.TSA, plan.issuingAlgorithm(), key -> chain(
                CertificateMaker.issue(CertificateMaker.caSubject("Yinxin Time-Stamping Authority"), key.publicKey(),
                        Profile.TIME_STAMPING, root, start, plan.serviceValidity(), underRoot), root));
        record(log, "time-stamping certificate created", CaHierarchy.TSA, tsa);

        for (String[] pair : new String[][] {{CaHierarchy.SEAL_CA, CaHierarchy.OCSP_SEAL_CA},
                {CaHierarchy.PERSONAL_CA, CaHierarchy.OCSP_PERSONAL_CA}}) {
            SealKey ca = pair[0].equals(CaHierarchy.SEAL_CA) ? sealCa : personalCa;
            SealKey ocsp = vault.create(pair[1], plan.issuingAlgorithm(), key -> chain(
                    CertificateMaker.issue(CertificateMaker.caSubject("Yinxin OCSP Responder for " + pair[0]),
                            key.publicKey(), Profile.OCSP_SIGNING, ca, start, plan.serviceValidity(),
                            pointers(url, plan.ocspUrl(), pair[0])), ca.chain().toArray(X509Certificate[]::new)));
            record(log, "delegated OCSP signer created", pair[1], ocsp);
        }

        SealKey trustList = vault.create(CaHierarchy.TRUST_LIST, plan.issuingAlgorithm(), key -> chain(
                CertificateMaker.issue(CertificateMaker.caSubject("Yinxin Trust List Signer"), key.publicKey(),
                        Profile.TRUST_LIST_SIGNING, root, start, plan.serviceValidity(), underRoot), root));
        record(log, "trust-list signer created", CaHierarchy.TRUST_LIST, trustList);
        CaHierarchy hierarchy = CaHierarchy.load(vault);
        try {
            sealMaker(vault, hierarchy, url, plan.ocspUrl(), plan.serviceValidity(), log);
        } catch (Pkcs11Sm2.NoSm2Mechanism e) {
            // a PKCS#11 token without SM2 mechanisms: the CA works, national-mode seals do not; any other failure
            // (the token refusing to store the chain, say) fails the ceremony
            log.accept(new Step("seal maker not made: " + e.getMessage(), CaHierarchy.SEAL_MAKER, "", "", "SM2"));
        }
        return hierarchy;
    }

    /**
     * Makes the seal-making authority's SM2 key (GB/T 38540 seals are signed with SM2 whatever the CAs use),
     * certified by the agency seal CA so that its revocation is published like any seal certificate's.
     */
    public static SealKey sealMaker(KeyVault vault, CaHierarchy hierarchy, String publicUrl, String ocspUrl,
                                    Duration validity, Consumer<Step> log) throws GeneralSecurityException {
        return sealMaker(vault, hierarchy, publicUrl, ocspUrl, validity, log, Clock.systemUTC());
    }

    /** As {@link #sealMaker(KeyVault, CaHierarchy, String, String, Duration, Consumer)}, at {@code clock}'s time. */
    public static SealKey sealMaker(KeyVault vault, CaHierarchy hierarchy, String publicUrl, String ocspUrl,
                                    Duration validity, Consumer<Step> log, Clock clock)
            throws GeneralSecurityException {
        SealKey sealCa = hierarchy.sealCa();
        Instant start = start(clock);
        SealKey maker = vault.create(CaHierarchy.SEAL_MAKER, KeyAlgorithm.SM2, key -> chain(
                CertificateMaker.issue(CertificateMaker.caSubject("Yinxin Seal Maker"), key.publicKey(),
                        Profile.SEAL_MAKING, sealCa, start, validity, pointers(publicUrl, ocspUrl, CaHierarchy.SEAL_CA)),
                sealCa));
        record(log, "seal maker (GB/T 38540) created", CaHierarchy.SEAL_MAKER, maker);
        return maker;
    }

    /**
     * The trust-list signer of a key store made before trust-list certificates carried their key purpose
     * ({@link CertificateMaker#TRUST_LIST_SIGNING_PURPOSE}): the same key, certified again by the root with that
     * purpose, until the old certificate's end. Verifiers refuse a list from a certificate without it, so a CA
     * started on such a key store signs with this chain (kept in memory; the key store is not changed). A signer
     * that has the purpose is returned as it is.
     */
    public static SealKey withTrustListPurpose(CaHierarchy hierarchy, String publicUrl, String ocspUrl)
            throws GeneralSecurityException {
        return withTrustListPurpose(hierarchy, publicUrl, ocspUrl, Clock.systemUTC());
    }

    /** As {@link #withTrustListPurpose(CaHierarchy, String, String)}, at {@code clock}'s time. */
    public static SealKey withTrustListPurpose(CaHierarchy hierarchy, String publicUrl, String ocspUrl, Clock clock)
            throws GeneralSecurityException {
        SealKey signer = hierarchy.trustListSigner();
        if (CertificateMaker.hasTrustListPurpose(signer.certificate())) {
            return signer;
        }
        Instant start = start(clock);
        Instant end = signer.certificate().getNotAfter().toInstant();
        if (!end.isAfter(start)) {
            throw new GeneralSecurityException("the trust-list signer's certificate ended at " + end);
        }
        X509Certificate again = CertificateMaker.issue(
                X500Name.getInstance(signer.certificate().getSubjectX500Principal().getEncoded()),
                signer.certificate().getPublicKey(), Profile.TRUST_LIST_SIGNING, hierarchy.root(), start,
                Duration.between(start, end), pointers(publicUrl, ocspUrl, CaHierarchy.ROOT));
        return new SealKey(signer.privateKey(), chain(again, hierarchy.root().chain().toArray(X509Certificate[]::new)),
                signer.provider());
    }

    /**
     * The seal maker of a key store made before seal-maker certificates carried their key purpose
     * ({@link CertificateMaker#SEAL_MAKING_PURPOSE}): the same key, certified again by the agency seal CA with that
     * purpose, until the old certificate's end. Verifiers take a seal's identity only from a maker with the purpose,
     * so a CA started on such a key store makes seals with this chain (kept in memory; the key store is not changed).
     * Seals made before keep the old certificate and stay unconfirmed: they must be made again. A maker that has the
     * purpose is returned as it is.
     */
    public static SealKey withSealMakingPurpose(SealKey maker, CaHierarchy hierarchy, String publicUrl, String ocspUrl,
                                                Clock clock) throws GeneralSecurityException {
        if (CertificateMaker.hasSealMakingPurpose(maker.certificate())) {
            return maker;
        }
        Instant start = start(clock);
        Instant end = maker.certificate().getNotAfter().toInstant();
        if (!end.isAfter(start)) {
            throw new GeneralSecurityException("the seal maker's certificate ended at " + end);
        }
        X509Certificate again = CertificateMaker.issue(
                X500Name.getInstance(maker.certificate().getSubjectX500Principal().getEncoded()),
                maker.certificate().getPublicKey(), Profile.SEAL_MAKING, hierarchy.sealCa(), start,
                Duration.between(start, end), pointers(publicUrl, ocspUrl, CaHierarchy.SEAL_CA));
        return new SealKey(maker.privateKey(), chain(again, hierarchy.sealCa()), maker.provider());
    }

    /** When the certificates made now start: the second, less 5 minutes for clocks that run a little behind. */
    private static Instant start(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
    }

    /** Where the certificates issued by {@code ca} point for revocation data. */
    public static RevocationPointers pointers(String publicUrl, String ocspUrl, String ca) {
        String url = publicUrl.replaceAll("/+$", "");
        return new RevocationPointers(url + "/crl/" + ca + ".crl", ocspUrl);
    }

    private static List<X509Certificate> chain(X509Certificate first, X509Certificate... rest) {
        var chain = new ArrayList<X509Certificate>();
        chain.add(first);
        chain.addAll(List.of(rest));
        return chain;
    }

    private static List<X509Certificate> chain(X509Certificate first, SealKey issuer) {
        return chain(first, issuer.chain().toArray(X509Certificate[]::new));
    }

    private static void record(Consumer<Step> log, String action, String alias, SealKey key) {
        X509Certificate c = key.certificate();
        log.accept(new Step(action, alias, c.getSubjectX500Principal().getName(), c.getSerialNumber().toString(16),
                KeyAlgorithm.of(c.getPublicKey()).name()));
    }
}
