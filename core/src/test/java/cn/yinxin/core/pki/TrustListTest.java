package cn.yinxin.core.pki;

import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.keys.SealKey;

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

    /**
     * SEAL_MAKING entries name seal makers' own certificates (another product's), never trust anchors; a CA named for
     * it does not make its keys seal makers, and an entry outside its window counts for nothing.
     */
    @org.junit.jupiter.api.Test
    void sealMakersAreTheListsSealMakingEntriesThatAreNotCas() throws Exception {
        var vault = new Pkcs12Vault(dir.resolve("ca.p12"), "pw".toCharArray());
        CaHierarchy hierarchy = KeyCeremony.run(vault, KeyCeremony.Plan.development("http://localhost:1",
                "http://localhost:1/ocsp"), step -> { });
        var root = hierarchy.root().certificate();
        var maker = hierarchy.ocspSealCa().certificate(); // any leaf serves as "another product's maker" here
        var tsa = hierarchy.tsa().certificate();
        Instant now = Instant.now();
        var list = new TrustList(4, now, now.plus(Duration.ofDays(1)), List.of(
                new TrustedCa("Yinxin Root CA", root, Purpose.OF_A_CA, now, now.plus(Duration.ofDays(10)), true),
                new TrustedCa("Other maker", maker, EnumSet.of(Purpose.SEAL_MAKING), now, now.plus(Duration.ofDays(3)),
                        false),
                new TrustedCa("A CA named for seal making", hierarchy.sealCa().certificate(),
                        EnumSet.of(Purpose.SEAL_MAKING), now, now.plus(Duration.ofDays(3)), false),
                new TrustedCa("A maker not yet valid", tsa, EnumSet.of(Purpose.SEAL_MAKING),
                        now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(3)), false)));
        TrustList read = TrustList.verify(list.sign(hierarchy.trustListSigner()), List.of(root), now);

        assertThat(read.sealMakers(now)).containsExactly(maker);
        assertThat(read.sealMakers(now.plus(Duration.ofDays(2)).plusSeconds(1))).containsExactly(maker, tsa);
        assertThat(read.sealMakers(now.plus(Duration.ofDays(4)))).isEmpty();
        assertThat(read.anchors(now, EnumSet.allOf(Purpose.class))).containsExactly(root);
    }

    /**
     * Chaining to the root says who certified a key, not what for: a list signed by a seal key or by the TSA key (both
     * certified under the same root) is refused; only the certificate the CA issues with the trust-list key purpose
     * signs one. A pinned signer is the only one accepted, and may lack the purpose (a key store made before it).
     */
    @org.junit.jupiter.api.Test
    void onlyTheTrustListSignerCanSignAList() throws Exception {
        var vault = new Pkcs12Vault(dir.resolve("ca.p12"), "pw".toCharArray());
        CaHierarchy hierarchy = KeyCeremony.run(vault, KeyCeremony.Plan.development("http://localhost:1",
                "http://localhost:1/ocsp"), step -> { });
        List<java.security.cert.X509Certificate> roots = List.of(hierarchy.root().certificate());
        Instant now = Instant.now();
        var list = new TrustList(3, now, now.plus(Duration.ofDays(1)), List.of(new TrustedCa("Yinxin Root CA",
                hierarchy.root().certificate(), EnumSet.allOf(Purpose.class), now, now.plus(Duration.ofDays(10)), true)));
        var sealKeys = CertificateMaker.newEcKeyPair();
        SealKey seal = new SealKey(sealKeys.getPrivate(), List.of(CertificateMaker.issue(
                CertificateMaker.sealSubject("某局专用章", "某局", "11430000006122244L"), sealKeys.getPublic(),
                CertificateMaker.Profile.AGENCY_SEAL, hierarchy.sealCa(), now.minusSeconds(60), Duration.ofDays(5), null),
                hierarchy.sealCa().certificate(), hierarchy.root().certificate()));

        assertThat(CertificateMaker.hasTrustListPurpose(hierarchy.trustListSigner().certificate())).isTrue();
        assertThat(TrustList.verify(list.sign(hierarchy.trustListSigner()), roots, now).sequence()).isEqualTo(3);
        assertThatThrownBy(() -> TrustList.verify(list.sign(seal), roots, now))
                .hasMessageContaining("not for signing trust lists");
        assertThatThrownBy(() -> TrustList.verify(list.sign(hierarchy.tsa()), roots, now))
                .hasMessageContaining("not for signing trust lists");
        assertThatThrownBy(() -> TrustList.verify(list.sign(hierarchy.ocspSealCa()), roots, now))
                .hasMessageContaining("not for signing trust lists");

        String tsaSha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(hierarchy.tsa().certificate().getEncoded()));
        String signerSha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(hierarchy.trustListSigner().certificate().getEncoded()));
        assertThatThrownBy(() -> TrustList.verify(list.sign(hierarchy.trustListSigner()), roots, now, Set.of(tsaSha256)))
                .as("pinned: even the genuine signer is refused when another is pinned")
                .hasMessageContaining("not the pinned trust-list signer");
        assertThat(TrustList.verify(list.sign(hierarchy.tsa()), roots, now, Set.of(tsaSha256)).sequence())
                .as("what is pinned decides").isEqualTo(3);
        assertThat(TrustList.verify(list.sign(hierarchy.trustListSigner()), roots, now, Set.of(signerSha256)).sequence())
                .isEqualTo(3);
    }

    /**
     * A key store made before the key purpose existed: the ca-service certifies the same key again, with the purpose,
     * so its lists keep being accepted; a signer that has it is left as it is.
     */
    @org.junit.jupiter.api.Test
    void anOldTrustListSignerIsCertifiedAgainWithThePurpose() throws Exception {
        var vault = new Pkcs12Vault(dir.resolve("ca.p12"), "pw".toCharArray());
        CaHierarchy hierarchy = KeyCeremony.run(vault, KeyCeremony.Plan.development("http://localhost:1",
                "http://localhost:1/ocsp"), step -> { });
        assertThat(KeyCeremony.withTrustListPurpose(hierarchy, "http://localhost:1", "http://localhost:1/ocsp"))
                .isSameAs(hierarchy.trustListSigner());
        SealKey signer = hierarchy.trustListSigner();
        Instant now = Instant.now();
        SealKey old = new SealKey(signer.privateKey(), List.of(CertificateMaker.issue(
                CertificateMaker.caSubject("Yinxin Trust List Signer"), signer.certificate().getPublicKey(),
                CertificateMaker.Profile.ISSUING_CA, hierarchy.root(), now.minusSeconds(60), Duration.ofDays(5), null),
                hierarchy.root().certificate()), signer.provider());
        CaHierarchy legacy = hierarchy.withTrustListSigner(old);
        var list = new TrustList(1, now, now.plus(Duration.ofDays(1)), List.of());
        List<java.security.cert.X509Certificate> roots = List.of(hierarchy.root().certificate());
        assertThatThrownBy(() -> TrustList.verify(list.sign(old), roots, now)).hasMessageContaining("not for signing");

        SealKey again = KeyCeremony.withTrustListPurpose(legacy, "http://localhost:1", "http://localhost:1/ocsp");
        assertThat(again.certificate().getPublicKey()).isEqualTo(signer.certificate().getPublicKey());
        assertThat(again.certificate().getNotAfter()).isEqualTo(old.certificate().getNotAfter());
        assertThat(TrustList.verify(list.sign(again), roots, now).sequence()).isEqualTo(1);
    }

    /**
     * The rules for replacing a kept list: older never, a jump of more than the bound never (so a huge sequence
     * cannot lock the genuine lists out), past nextUpdate + grace not at all (fail closed), issued in the future not.
     */
    @org.junit.jupiter.api.Test
    void aListReplacesTheKeptOneOnlyForwardAndWithinBounds() {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        var rules = new cn.yinxin.core.trust.TrustListRules(Duration.ofHours(2), 1000, Duration.ofMinutes(5));
        java.util.function.BiFunction<Long, Instant, TrustList> list = (sequence, issued) ->
                new TrustList(sequence, issued, issued.plus(Duration.ofDays(1)), List.of());
        TrustList kept = list.apply(41L, now.minus(Duration.ofHours(1)));

        assertThat(rules.refusal(list.apply(42L, now), kept, now)).isNull();
        assertThat(rules.refusal(list.apply(41L, now), kept, now)).as("the same sequence again").isNull();
        assertThat(rules.refusal(list.apply(1041L, now), kept, now)).isNull();
        assertThat(rules.refusal(list.apply(1042L, now), kept, now)).contains("jumps more than 1000");
        assertThat(rules.refusal(list.apply(Long.MAX_VALUE, now), kept, now)).contains("jumps more than 1000");
        assertThat(rules.refusal(list.apply(40L, now), kept, now)).contains("older than the kept list's 41");
        assertThat(rules.refusal(list.apply(-1L, now), null, now)).contains("negative");
        assertThat(rules.refusal(list.apply(42L, now.plus(Duration.ofMinutes(6))), kept, now)).contains("in the future");

        // nextUpdate is issuedAt + 1 day; the grace 2 hours: usable up to (not at) nextUpdate + 2 h
        TrustList old = list.apply(42L, now.minus(Duration.ofDays(1)));
        assertThat(rules.usable(old, now.plus(Duration.ofHours(2)).minusSeconds(1))).isTrue();
        assertThat(rules.usable(old, now.plus(Duration.ofHours(2)))).isFalse();
        assertThat(rules.refusal(old, kept, now.plus(Duration.ofHours(2)))).contains("past the grace");
    }
}
