package cn.yinxin.core.pki;

import cn.yinxin.core.trust.TrustList;
import cn.yinxin.core.trust.TrustedCa;
import cn.yinxin.core.trust.TrustedCa.Purpose;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustListTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "RSA_2048", "SM2"})
    void aSignedListVerifiesAgainstItsRootAndNothingElse(KeyAlgorithm algorithm) throws Exception {
        var vault = new Pkcs12Vault(dir.resolve("ca.p12"), "pw".toCharArray());
        var plan = new KeyCeremony.Plan(algorithm, algorithm, "http://localhost:1", "http://localhost:1/ocsp", Duration.ofDays(10),
                Duration.ofDays(5), Duration.ofDays(2));
        CaHierarchy hierarchy = KeyCeremony.run(vault, plan, step -> { });
        var external = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Other Province CA"),
                CertificateMaker.newEcKeyPair(), Instant.now(), Duration.ofDays(100));
        Instant now = Instant.now();
        var list = new TrustList(7, now, now.plus(Duration.ofDays(1)), List.of(
                new TrustedCa("Yinxin Root CA", hierarchy.root().certificate(), EnumSet.allOf(Purpose.class), now,
                        now.plus(Duration.ofDays(10)), true),
                new TrustedCa("Other Province CA", external, EnumSet.of(Purpose.AGENCY_SEALS), now.minusSeconds(5),
                        now.plus(Duration.ofDays(30)), false)));

        String jws = list.sign(hierarchy.trustListSigner());
        TrustList read = TrustList.verify(jws, List.of(hierarchy.root().certificate()), now);
        assertThat(read.sequence()).isEqualTo(7);
        assertThat(read.anchors(now, Set.of(Purpose.AGENCY_SEALS))).containsExactly(hierarchy.root().certificate(), external);
        assertThat(read.anchors(now, Set.of(Purpose.TIME_STAMPS))).containsExactly(hierarchy.root().certificate());
        assertThat(read.anchors(now.plus(Duration.ofDays(20)), Set.of(Purpose.AGENCY_SEALS))).containsExactly(external);

        String[] parts = jws.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA" + "." + parts[2];
        assertThatThrownBy(() -> TrustList.verify(tampered, List.of(hierarchy.root().certificate()), now))
                .isInstanceOf(java.security.GeneralSecurityException.class);
        assertThatThrownBy(() -> TrustList.verify(jws, List.of(external), now))
                .hasMessageContaining("does not chain to a trusted root");
    }
}
