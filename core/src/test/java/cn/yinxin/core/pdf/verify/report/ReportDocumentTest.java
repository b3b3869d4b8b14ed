package cn.yinxin.core.pdf.verify.report;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.TestMaterial;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The verification report as a PDF: it says the verdict in both languages, names the document, and can be sealed. */
class ReportDocumentTest {

    @Test
    void aReportNamesTheVerdictAndTheDocumentEmbedsItsFontAndVerifiesOnceSealed() throws Exception {
        TestMaterial material = new TestMaterial();
        PdfSealer sealer = new PdfSealer();
        byte[] sealed = sealer.seal(TestMaterial.onePagePdf(0), material.request(1, 150, 240));
        VerificationReport report = new PdfVerifier(List.of(material.root)).verify(sealed);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sealed));

        byte[] pdf = ReportDocument.render(report, "审批结果.pdf", sha256, ReportDocument.defaultFont());
        try (var document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("有效", "Valid", "审批结果.pdf", sha256, "测试专用章", "91350100M000100Y43");
            var resources = document.getPage(0).getResources();
            var font = resources.getFont(resources.getFontNames().iterator().next());
            assertThat(font.isEmbedded()).isTrue();
        }
        // a tampered document gives a report that says so
        // the page height in /MediaBox, inside the signed first revision: 841.8898 -> 841.8 + 1
        int at = new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("841.8") + 4;
        sealed[at] = (byte) (sealed[at] == '9' ? '8' : sealed[at] + 1);
        byte[] bad = ReportDocument.render(new PdfVerifier(List.of(material.root)).verify(sealed), "x.pdf", "00",
                ReportDocument.defaultFont());
        try (var document = Loader.loadPDF(bad)) {
            // Chinese first, the English beneath, the ETSI codes kept
            assertThat(new PDFTextStripper().getText(document)).contains("无效", "Not valid", "盖章后文件内容被改动",
                    "1 个签章中有 1 个无效", "1 of 1 signature(s) failed", "HASH_FAILURE");
        }

        // the verifier seals its report; the sealed report verifies
        byte[] filed = sealer.seal(pdf, new SealRequest(material.sealKey, material.request(1, 0, 0).appearance(),
                new SealPlacement(1, 160, 260), "核验专用章", "verification report", Instant.now()));
        assertThat(new PdfVerifier(List.of(material.root)).verify(filed).verdict()).isEqualTo(Verdict.VALID);
        // kept for a look: target/sample-verification-report.pdf
        java.nio.file.Files.write(java.nio.file.Path.of("target", "sample-verification-report.pdf"), filed);
    }
}
