package cn.yinxin.ca.hierarchy;

import cn.yinxin.ca.CaProperties;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SesProblem;
import cn.yinxin.core.ses.SesVerifier;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.service.keys.KeyStoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key store made before seal-maker certificates carried their key purpose (`./yinxin up` keeps var/keystores):
 * verifiers no longer confirm the seals its maker makes, so the ca-service opens it with the same seal-maker key
 * certified again with the purpose. Seals made before keep the old certificate and stay unconfirmed.
 */
class SealMakerUpgradeTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4};

    @TempDir
    Path dir;

    @Test
    void anOldKeyStoresSealMakerMakesSealsVerifiersConfirm() throws Exception {
        char[] password = "pw".toCharArray();
        Path file = dir.resolve("ca.p12");
        CaHierarchy made = KeyCeremony.run(new Pkcs12Vault(file, password),
                KeyCeremony.Plan.development("http://localhost:1", "http://localhost:1/ocsp"), step -> { });
        // as the key ceremony made it before: the same key, certified by seal-ca without the seal-making purpose
        KeyStore store = KeyStore.getInstance("PKCS12", Providers.bouncyCastle());
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        PrivateKey key = (PrivateKey) store.getKey(CaHierarchy.SEAL_MAKER, password);
        X509Certificate current = (X509Certificate) store.getCertificate(CaHierarchy.SEAL_MAKER);
        X509Certificate old = CertificateMaker.issue(CertificateMaker.caSubject("Yinxin Seal Maker"),
                current.getPublicKey(), CertificateMaker.Profile.AGENCY_SEAL, made.sealCa(),
                Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(700), null);
        store.setKeyEntry(CaHierarchy.SEAL_MAKER, key, password, new Certificate[] {old,
                made.sealCa().certificate(), made.root().certificate()});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        Pkcs12Vault vault = new Pkcs12Vault(file, password);
        SealKey oldMaker = vault.get(CaHierarchy.SEAL_MAKER);
        SesVerifier verifier = new SesVerifier(List.of(made.root().certificate()), List.of(made.sealCa().certificate()));
        KeyPair sealKeys = KeyAlgorithm.SM2.generate(Providers.bouncyCastle());
        X509Certificate sealCertificate = CertificateMaker.issue(CertificateMaker.sealSubject("某局专用章", "某局",
                "11430000006122244L"), sealKeys.getPublic(), CertificateMaker.Profile.AGENCY_SEAL, made.sealCa(),
                Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30), null);
        assertThat(verifier.verifySeal(seal(oldMaker, sealCertificate), Instant.now()).problem())
                .as("a seal of the old certificate is not confirmed").isEqualTo(SesProblem.MAKER_CERTIFICATE);

        CaProperties properties = new CaProperties("http://localhost:1", "http://localhost:1/ocsp", 0,
                new KeyStoreSettings("PKCS12", file, "pw", null, null), null, null, null, null, null, null, null);
        SealKey opened = new CaKeysConfiguration().sealMakerKey(vault, CaHierarchy.load(vault), properties).key()
                .orElseThrow();
        assertThat(CertificateMaker.hasSealMakingPurpose(opened.certificate())).isTrue();
        assertThat(opened.certificate().getPublicKey()).isEqualTo(old.getPublicKey());
        assertThat(opened.certificate().getNotAfter()).isEqualTo(old.getNotAfter());
        SesVerifier.Result result = verifier.verifySeal(seal(opened, sealCertificate), Instant.now());
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        assertThat(KeyCeremony.withSealMakingPurpose(opened, made, "http://localhost:1", "http://localhost:1/ocsp",
                java.time.Clock.systemUTC())).as("a maker with the purpose is kept as it is").isSameAs(opened);
    }

    private static byte[] seal(SealKey maker, X509Certificate user) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SealMaker(maker, "YINXIN").make(new SealMaker.SealSpec("某局-0001", SealMaker.TYPE_ORGANISATION,
                "某局专用章", PNG, 42, 42, List.of(user), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(10))),
                now).der();
    }
}
