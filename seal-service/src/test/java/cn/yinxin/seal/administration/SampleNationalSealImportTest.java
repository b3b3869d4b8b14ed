package cn.yinxin.seal.administration;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SesVerifier;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.SampleKeystores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The development PKI's SM2 licence seal comes with its GB/T 38540 seal (seal.esl, signed by the CA's seal maker)
 * and the import keeps it only when it is this seal's: it names the key's certificate and pictures the stamped image.
 */
class SampleNationalSealImportTest {

    private static Path keystores;
    private static Path folder;
    private static SealKey key;

    @BeforeAll
    static void pki() throws Exception {
        keystores = SampleKeystores.fresh();
        folder = keystores.resolve("seals").resolve(SamplePki.LICENCE_SEAL_ID);
        key = SealKey.fromPkcs12(folder.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
    }

    @Test
    void theSampleLicenceSealIsAnSm2SealWhoseNationalSealTheDevelopmentRootVouchesFor() throws Exception {
        byte[] der = SealImport.nationalSeal(folder, key.certificate(), Files.readAllBytes(folder.resolve("seal.png")));
        assertThat(der).isNotNull();
        var roots = Pem.readFolder(keystores.resolve("trust"));
        var cas = Pem.readFolder(keystores.resolve("ca"));
        SesVerifier.Result result = new SesVerifier(roots, cas).verifySeal(der, Instant.now());
        assertThat(result.valid()).as(result.reasons().toString()).isTrue();
        assertThat(cn.yinxin.core.pki.keys.KeyAlgorithm.of(key.certificate().getPublicKey()))
                .isEqualTo(cn.yinxin.core.pki.keys.KeyAlgorithm.SM2);
    }

    @Test
    void aNationalSealOfAnotherCertificateOrPictureIsRefused() throws Exception {
        byte[] png = Files.readAllBytes(folder.resolve("seal.png"));
        SealKey other = SealKey.fromPkcs12(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.p12"),
                SamplePki.PASSWORD.toCharArray());
        assertThatThrownBy(() -> SealImport.nationalSeal(folder, other.certificate(), png))
                .hasMessageContaining("does not name the seal's certificate");
        byte[] otherPicture = Files.readAllBytes(keystores.resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.png"));
        assertThatThrownBy(() -> SealImport.nationalSeal(folder, key.certificate(), otherPicture))
                .hasMessageContaining("pictures another image");
        assertThat(SealImport.nationalSeal(keystores.resolve("seals").resolve(SamplePki.SEAL_ID), other.certificate(),
                otherPicture)).as("a folder without seal.esl").isNull();
        Path broken = Files.createTempDirectory("broken-esl");
        Files.write(broken.resolve("seal.esl"), List.of("not DER").get(0).getBytes());
        assertThatThrownBy(() -> SealImport.nationalSeal(broken, key.certificate(), png))
                .hasMessageContaining("cannot be read");
    }
}
