package cn.yinxin.ca;

import cn.yinxin.ca.hierarchy.KeyCeremonyCommand;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ca-service.jar ceremony}: the hierarchy in a fresh key store, every step in the audit log, never twice. */
@cn.yinxin.testing.Slow("an embedded PostgreSQL")
class KeyCeremonyCommandTest {

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "RSA_3072", "SM2"})
    void theCeremonyMakesTheHierarchyAuditsEachStepAndRefusesToRunTwice(KeyAlgorithm algorithm) throws Exception {
        Path keystore = Files.createTempDirectory("ceremony").resolve("ca.p12");
        String[] args = {"ceremony", "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
            "--yinxin.ca.keystore.path=" + keystore, "--yinxin.ca.keystore.password=ceremony-test",
            "--yinxin.ca.ceremony.algorithm=" + algorithm, "--spring.main.banner-mode=off"};
        long before = ceremonySteps();

        assertThat(KeyCeremonyCommand.run(args)).isZero();
        var vault = new Pkcs12Vault(keystore, "ceremony-test".toCharArray());
        assertThat(CaHierarchy.presentIn(vault)).isTrue();
        var hierarchy = CaHierarchy.load(vault);
        assertThat(KeyAlgorithm.of(hierarchy.root().certificate().getPublicKey())).isEqualTo(algorithm);
        hierarchy.sealCa().certificate().verify(hierarchy.root().certificate().getPublicKey(),
                cn.yinxin.core.pki.Providers.bouncyCastle());
        // and the GB/T 38540 seal maker: SM2 whatever the hierarchy uses, certified by the agency seal CA
        var maker = vault.get(CaHierarchy.SEAL_MAKER).certificate();
        assertThat(KeyAlgorithm.of(maker.getPublicKey())).isEqualTo(KeyAlgorithm.SM2);
        maker.verify(hierarchy.sealCa().certificate().getPublicKey(), cn.yinxin.core.pki.Providers.bouncyCastle());
        assertThat(ceremonySteps() - before).isEqualTo(CaHierarchy.ALIASES.size() + 1);

        assertThat(KeyCeremonyCommand.run(args)).as("a second ceremony on the same key store").isEqualTo(1);
        assertThat(ceremonySteps() - before).isEqualTo(CaHierarchy.ALIASES.size() + 1);
    }

    @org.junit.jupiter.api.Test
    void theRootAndTheIssuingCasMayUseDifferentAlgorithms() throws Exception {
        Path keystore = Files.createTempDirectory("ceremony").resolve("ca.p12");
        assertThat(KeyCeremonyCommand.run(new String[] {"ceremony", "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
            "--yinxin.ca.keystore.path=" + keystore, "--yinxin.ca.keystore.password=pw",
            "--yinxin.ca.ceremony.root-algorithm=RSA_3072", "--yinxin.ca.ceremony.issuing-algorithm=EC_P256",
            // the ceremony is an offline command: it serves no caller and needs no sign-in mode (the tests' own
            // settings state one; an empty value stands for a machine that has none)
            "--yinxin.security.mode=", "--spring.main.banner-mode=off"})).isZero();
        var hierarchy = CaHierarchy.load(new Pkcs12Vault(keystore, "pw".toCharArray()));
        assertThat(KeyAlgorithm.of(hierarchy.root().certificate().getPublicKey())).isEqualTo(KeyAlgorithm.RSA_3072);
        assertThat(KeyAlgorithm.of(hierarchy.sealCa().certificate().getPublicKey())).isEqualTo(KeyAlgorithm.EC_P256);
        assertThat(hierarchy.sealCa().certificate().getSigAlgName()).containsIgnoringCase("RSA");
    }

    private static long ceremonySteps() throws Exception {
        try (var connection = DriverManager.getConnection(TestDatabase.jdbcUrl());
             var rs = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit_event'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return 0;
            }
        }
        try (var connection = DriverManager.getConnection(TestDatabase.jdbcUrl());
             var rs = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM audit_event WHERE action LIKE 'key ceremony:%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
