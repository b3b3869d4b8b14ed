package cn.yinxin.core.pki.keys;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.Providers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pkcs12VaultTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void aRootOfEveryAlgorithmIsMadeKeptAndFoundAgain(KeyAlgorithm algorithm) throws Exception {
        Path file = dir.resolve("ca.p12");
        Pkcs12Vault vault = new Pkcs12Vault(file, "pw".toCharArray());
        SealKey root = vault.create("root", algorithm, key -> List.of(CertificateMaker.selfSignedRoot(
                CertificateMaker.caSubject("Root " + algorithm), key.publicKey(), key.handle(), key.provider(),
                Instant.now(), Duration.ofDays(10))));
        root.certificate().verify(root.certificate().getPublicKey(), Providers.bouncyCastle());
        assertThat(KeyAlgorithm.of(root.certificate().getPublicKey())).isEqualTo(algorithm);
        if (algorithm == KeyAlgorithm.SM2) {
            assertThat(root.certificate().getSigAlgOID()).isEqualTo("1.2.156.10197.1.501");
        }

        Pkcs12Vault reopened = new Pkcs12Vault(file, "pw".toCharArray());
        assertThat(reopened.aliases()).containsExactly("root");
        assertThat(reopened.get("root").certificate()).isEqualTo(root.certificate());
        assertThatThrownBy(() -> reopened.create("root", algorithm, k -> List.of(root.certificate())))
                .hasMessageContaining("already holds");
    }

    @Test
    void aDestroyedKeyIsGoneFromTheFileAndTheOthersStay() throws Exception {
        Path file = dir.resolve("seals.p12");
        Pkcs12Vault vault = new Pkcs12Vault(file, "pw".toCharArray());
        for (String alias : List.of("old", "new")) {
            vault.create(alias, KeyAlgorithm.EC_P256, key -> List.of(CertificateMaker.selfSignedRoot(
                    CertificateMaker.caSubject(alias), key.publicKey(), key.handle(), null, Instant.now(), Duration.ofDays(1))));
        }
        var kept = vault.get("new").certificate();
        vault.destroy("old");
        vault.destroy("never-there");
        assertThat(vault.contains("old")).isFalse();
        Pkcs12Vault reopened = new Pkcs12Vault(file, "pw".toCharArray());
        assertThat(reopened.aliases()).containsExactly("new");
        assertThat(reopened.get("new").certificate()).isEqualTo(kept);
        assertThatThrownBy(() -> reopened.get("old")).hasMessageContaining("no key named old");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Path file = dir.resolve("ca.p12");
        new Pkcs12Vault(file, "pw".toCharArray()).create("k", KeyAlgorithm.EC_P256, key -> List.of(
                CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("R"), key.publicKey(), key.handle(), null,
                        Instant.now(), Duration.ofDays(1))));
        assertThatThrownBy(() -> new Pkcs12Vault(file, "wrong".toCharArray()))
                .hasMessageContaining("cannot open key store");
    }
}
