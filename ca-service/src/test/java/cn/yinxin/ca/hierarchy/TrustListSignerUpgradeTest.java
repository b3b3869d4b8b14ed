package cn.yinxin.ca.hierarchy;

import cn.yinxin.ca.CaProperties;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.service.keys.KeyStoreSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A key store made before trust-list certificates carried their key purpose (`./yinxin up` keeps var/keystores):
 * the ca-service opens it with the same trust-list key certified again with the purpose, so the lists it signs are
 * accepted by verifiers that now require it.
 */
class TrustListSignerUpgradeTest {

    @TempDir
    Path dir;

    @Test
    void anOldKeyStoresTrustListSignerSignsListsVerifiersAccept() throws Exception {
        char[] password = "pw".toCharArray();
        Path file = dir.resolve("ca.p12");
        CaHierarchy made = KeyCeremony.run(new Pkcs12Vault(file, password),
                KeyCeremony.Plan.development("http://localhost:1", "http://localhost:1/ocsp"), step -> { });
        // as the key ceremony made it before: the same key, a certificate without the trust-list purpose
        KeyStore store = KeyStore.getInstance("PKCS12", Providers.bouncyCastle());
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        PrivateKey key = (PrivateKey) store.getKey(CaHierarchy.TRUST_LIST, password);
        X509Certificate old = CertificateMaker.issue(CertificateMaker.caSubject("Yinxin Trust List Signer"),
                made.trustListSigner().certificate().getPublicKey(), CertificateMaker.Profile.SEAL_MAKING, made.root(),
                Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(700), null);
        store.setKeyEntry(CaHierarchy.TRUST_LIST, key, password, new Certificate[] {old, made.root().certificate()});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        Pkcs12Vault vault = new Pkcs12Vault(file, password);
        List<X509Certificate> roots = List.of(made.root().certificate());
        var list = new TrustList(1, Instant.now(), Instant.now().plus(Duration.ofDays(1)), List.of());
        assertThatThrownBy(() -> TrustList.verify(list.sign(CaHierarchy.load(vault).trustListSigner()), roots, Instant.now()))
                .as("the old certificate alone is refused").hasMessageContaining("not for signing trust lists");

        CaProperties properties = new CaProperties("http://localhost:1", "http://localhost:1/ocsp", 0,
                new KeyStoreSettings("PKCS12", file, "pw", null, null), null, null, null, null, null, null, null);
        CaHierarchy opened = new CaKeysConfiguration().caHierarchy(vault, properties);
        assertThat(CertificateMaker.hasTrustListPurpose(opened.trustListSigner().certificate())).isTrue();
        assertThat(opened.trustListSigner().certificate().getPublicKey()).isEqualTo(old.getPublicKey());
        assertThat(TrustList.verify(list.sign(opened.trustListSigner()), roots, Instant.now()).sequence()).isEqualTo(1);
    }
}
