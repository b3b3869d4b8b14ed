package cn.yinxin.ca;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pki.cms.HttpTimeStamper;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Commands;
import cn.yinxin.testing.DssJudge;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PAdES B-T, B-LT and B-LTA with this CA's TSA and OCSP over HTTP, judged by EU DSS (offline for LT and LTA: the
 * document must carry everything needed) and by poppler.
 */
class PadesLevelsTest extends CaTestBase {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = SignatureLevel.class, names = {"B_T", "B_LT", "B_LTA"})
    void eachLevelIsReachedAndJudgedSoByEuDss(SignatureLevel level) throws Exception {
        byte[] pdf = Files.readAllBytes(KEYSTORES.resolve("samples/approval-result.pdf"));
        byte[] sealed = sealer().seal(pdf, request(level));
        assertThat(Arrays.copyOf(sealed, pdf.length)).isEqualTo(pdf);
        var root = Pem.readCertificates(Files.readAllBytes(KEYSTORES.resolve("ca/root.pem"))).get(0);

        DssJudge.Verdict verdict = level == SignatureLevel.B_T ? DssJudge.validateOnline(sealed, root)
                : DssJudge.validate(sealed, root);
        assertThat(verdict.level().name()).isEqualTo(level.label().replace('-', '_'));
        assertThat(verdict.indication()).as(verdict.toString()).isEqualTo("TOTAL_PASSED");

        // our verifier agrees, with the same trusted root: offline from the embedded data (B-LT and up); a B-T
        // document carries none, so offline it cannot be confirmed and online the CA's OCSP responder is asked
        var offline = new cn.yinxin.core.pdf.verify.PdfVerifier(java.util.List.of(root)).verify(sealed);
        var ours = level.atLeast(SignatureLevel.B_LT) ? offline : new cn.yinxin.core.pdf.verify.PdfVerifier(java.util.List.of(root),
                new OnlineRevocationSource(Duration.ofSeconds(5))).verify(sealed);
        if (!level.atLeast(SignatureLevel.B_LT)) {
            assertThat(offline.verdict()).isEqualTo(cn.yinxin.core.pdf.verify.report.Verdict.INDETERMINATE);
            assertThat(offline.signatures().get(0).subIndication()).isEqualTo(cn.yinxin.core.pdf.verify.report.SubIndication.TRY_LATER);
        }
        assertThat(ours.verdict()).as(ours.toString()).isEqualTo(cn.yinxin.core.pdf.verify.report.Verdict.VALID);
        assertThat(ours.signatures().get(0).reasons()).anyMatch(r -> r.contains("was not revoked ("
                + (level.atLeast(SignatureLevel.B_LT) ? "embedded OCSP response" : "OCSP response fetched now")));
        assertThat(ours.signatures().get(0).format()).isEqualTo(level.label());
        assertThat(ours.signatures().get(0).timeStampedAt()).isNotNull();
        if (level == SignatureLevel.B_LTA) {
            assertThat(ours.signatures()).hasSize(2);
            assertThat(ours.signatures().get(1).format()).contains("document time-stamp");
        }

        Path file = dir.resolve("sealed.pdf");
        Files.write(file, sealed);
        String pdfsig = Commands.run(dir, "pdfsig", file.toString()).output();
        assertThat(pdfsig).contains("Signature Validation: Signature is Valid.");
        assertThat(pdfsig).doesNotContain("Signature is Invalid");
    }

    @ParameterizedTest
    @EnumSource(value = SignatureLevel.class, names = {"B_T", "B_LT"})
    void aLevelThatCannotBeReachedFailsClearly(SignatureLevel level) throws Exception {
        byte[] pdf = Files.readAllBytes(KEYSTORES.resolve("samples/approval-result.pdf"));
        var down = new PdfSealer(new HttpTimeStamper(URI.create("http://localhost:1/tsa"), Duration.ofSeconds(2)),
                new OnlineRevocationSource(Duration.ofSeconds(2)));
        assertThatThrownBy(() -> down.seal(pdf, request(level)))
                .isInstanceOf(java.security.GeneralSecurityException.class)
                .hasMessageContaining("TSA");
    }

    private PdfSealer sealer() {
        return new PdfSealer(new HttpTimeStamper(URI.create(URL + "/tsa"), Duration.ofSeconds(5)),
                new OnlineRevocationSource(Duration.ofSeconds(5)));
    }

    private SealRequest request(SignatureLevel level) throws Exception {
        Path seal = KEYSTORES.resolve("seals/" + SamplePki.SEAL_ID);
        SealKey key = SealKey.fromPkcs12(seal.resolve("seal.p12"), SamplePki.PASSWORD.toCharArray());
        return new SealRequest(key, new SealAppearance(Files.readAllBytes(seal.resolve("seal.png")), 42, 42),
                new SealPlacement(1, 150, 230), SamplePki.SEAL_NAME, null, Instant.now(), level);
    }
}
