package cn.yinxin.core.ses;

import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.testing.pki.KeyType;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seal maker's key purpose ({@link CertificateMaker#SEAL_MAKING_PURPOSE}): the CA puts it into the seal maker's
 * certificate and no other, and SesVerifier takes a seal's identity only from a maker whose certificate carries it.
 * Chaining to the root alone says who certified a key, not that it makes seals.
 */
class SealMakingPurposeTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4, 5, 6, 7, 8};

    @TempDir
    static Path dir;
    private static CaHierarchy hierarchy;
    private static SealKey maker;
    private static SealKey agencySeal;
    private static SesVerifier verifier;

    @BeforeAll
    static void ceremony() throws Exception {
        var vault = new Pkcs12Vault(dir.resolve("ca.p12"), "pw".toCharArray());
        hierarchy = KeyCeremony.run(vault, KeyCeremony.Plan.development("http://localhost:1",
                "http://localhost:1/ocsp"), step -> { });
        maker = vault.get(CaHierarchy.SEAL_MAKER);
        KeyPair keys = KeyAlgorithm.SM2.generate(Providers.bouncyCastle());
        X509Certificate certificate = CertificateMaker.issue(CertificateMaker.sealSubject("某局专用章", "某局",
                        "11430000006122244L"), keys.getPublic(), CertificateMaker.Profile.AGENCY_SEAL, hierarchy.sealCa(),
                Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30), null);
        agencySeal = new SealKey(keys.getPrivate(), List.of(certificate, hierarchy.sealCa().certificate(),
                hierarchy.root().certificate()));
        verifier = new SesVerifier(List.of(hierarchy.root().certificate()), List.of(hierarchy.sealCa().certificate()));
    }

    @Test
    void onlyTheSealMakersCertificateCarriesThePurpose() throws Exception {
        assertThat(CertificateMaker.hasSealMakingPurpose(maker.certificate())).isTrue();
        assertThat(maker.certificate().getExtendedKeyUsage()).containsExactly(CertificateMaker.SEAL_MAKING_PURPOSE);
        for (SealKey other : List.of(hierarchy.root(), hierarchy.sealCa(), hierarchy.personalCa(), hierarchy.tsa(),
                hierarchy.ocspSealCa(), hierarchy.ocspPersonalCa(), hierarchy.trustListSigner(), agencySeal)) {
            assertThat(CertificateMaker.hasSealMakingPurpose(other.certificate()))
                    .as(other.certificate().getSubjectX500Principal().getName()).isFalse();
        }
        // the test PKI writes its own certificates (on purpose): its seal maker must carry the same purpose
        X509Certificate testMaker = TestPki.builder().keyType(KeyType.SM2).root("Purpose Test Root")
                .identity("Purpose Test Seal Maker", Profile.SEAL_MAKING, Status.GOOD).build()
                .identity("Purpose Test Seal Maker").certificate();
        assertThat(CertificateMaker.hasSealMakingPurpose(testMaker)).isTrue();
    }

    @Test
    void aSealMadeByTheSealMakerIsValid() throws Exception {
        SesVerifier.Result result = verifier.verifySeal(seal(maker).der(), Instant.now());
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        assertThat(result.reasons()).contains("The seal maker's certificate carries the seal-making key purpose.");
    }

    /**
     * An agency's seal key (certified by the same seal CA, under the same root) makes itself a seal as its "maker":
     * the signature verifies, the chain holds, the key may sign, but it is no seal maker.
     */
    @Test
    void aSealMadeByAnyOtherTrustedKeyIsNotConfirmed() throws Exception {
        SesVerifier.Result result = verifier.verifySeal(seal(agencySeal).der(), Instant.now());
        assertThat(result.valid()).isFalse();
        assertThat(result.problem()).isEqualTo(SesProblem.MAKER_CERTIFICATE);
        assertThat(result.reasons()).anyMatch(r -> r.contains("chains to"))
                .last().asString().contains("does not carry the seal-making key purpose")
                .contains(CertificateMaker.SEAL_MAKING_PURPOSE);
    }

    private static SESeal seal(SealKey by) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SealMaker(by, "YINXIN").make(new SealMaker.SealSpec("another-agencys-seal",
                SealMaker.TYPE_ORGANISATION, "另一局公章", PNG, 42, 42, List.of(agencySeal.certificate()),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))), now);
    }
}
