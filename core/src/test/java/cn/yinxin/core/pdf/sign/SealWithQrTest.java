package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;

import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrVerifier;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seal with a signed document QR code printed on its page, in the same revision as the signature: the signature
 * covers the code (removing or swapping it is a change after signing), and what poppler renders decodes with
 * zbarimg to the signed text, which verifies with the seal's certificate.
 */
class SealWithQrTest {

    private static TestMaterial material;

    @TempDir
    Path folder;

    @BeforeAll
    static void keys() throws Exception {
        material = new TestMaterial();
    }

    @Test
    void theQrCodeIsPrintedInsideTheSignedRevisionAndReadsBackVerified() throws Exception {
        UUID id = UUID.randomUUID();
        String code = new QrSigner(material.sealKey).sign(new DocumentQr(id, DocumentQr.verificationUrl(
                "https://verify.example/d/", id), "test-seal", "91350100M000100Y43", Instant.now()).toClaims());
        byte[] input = TestMaterial.onePagePdf(0);
        byte[] sealed = new PdfSealer().seal(input, material.request(1, 150, 240)
                .withQr(new QrCode(code, id.toString(), null, null)));

        // one revision: the code is an annotation of the signed bytes
        assertThat(Arrays.copyOf(sealed, input.length)).isEqualTo(input);
        var report = new PdfVerifier(List.of(material.root)).verify(sealed);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().get(0).coverage().coversWholeDocument()).isTrue();
        try (PDDocument document = Loader.loadPDF(sealed)) {
            var subtypes = document.getPage(0).getAnnotations().stream().map(a -> a.getSubtype()).toList();
            assertThat(subtypes).containsExactlyInAnyOrder("Widget", "Stamp");
            var stamp = document.getPage(0).getAnnotations().stream().filter(a -> "Stamp".equals(a.getSubtype())).findFirst().orElseThrow();
            // bottom-left corner by default: 12 mm in from the left and from the bottom edge
            assertThat(stamp.getRectangle().getLowerLeftX()).isCloseTo((float) (12 * 72 / 25.4), org.assertj.core.data.Offset.offset(0.5f));
            assertThat(stamp.getRectangle().getLowerLeftY()).isCloseTo((float) (12 * 72 / 25.4), org.assertj.core.data.Offset.offset(0.5f));
        }

        Path pdf = folder.resolve("sealed.pdf");
        Files.write(pdf, sealed);
        run("pdftoppm", "-r", "150", "-png", "-singlefile", pdf.toString(), folder.resolve("page").toString());
        String read = run("zbarimg", "--raw", "-q", folder.resolve("page.png").toString()).strip();
        assertThat(read).isEqualTo(code);
        var verified = new QrVerifier(List.of(material.sealKey.certificate()), Clock.systemUTC()).verify(read);
        assertThat(DocumentQr.from(verified.claims()).documentId()).isEqualTo(id);
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        return output;
    }
}
