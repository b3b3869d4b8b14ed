package cn.yinxin.core.pdf.sign;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.PdfDocuments;
import cn.yinxin.core.pdf.PdfLimits;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PdfSealerTest {

    private static TestMaterial material;
    private static PdfVerifier verifier;
    private final PdfSealer sealer = new PdfSealer();

    @BeforeAll
    static void keys() throws Exception {
        material = new TestMaterial();
        verifier = new PdfVerifier(List.of(material.root));
    }

    @Test
    void sealedDocumentVerifiesAsPadesBaselineB() throws Exception {
        byte[] input = TestMaterial.onePagePdf(0);
        byte[] sealed = sealer.seal(input, material.request(1, 150, 240));

        // incremental: the original bytes are kept as they were
        assertThat(Arrays.copyOf(sealed, input.length)).isEqualTo(input);
        VerificationReport report = verifier.verify(sealed);
        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        var signature = report.signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_PASSED);
        assertThat(signature.format()).isEqualTo("PAdES-BASELINE-B");
        assertThat(signature.coverage().coversWholeDocument()).isTrue();
        assertThat(signature.seal().agencyCode()).isEqualTo("91350100M000100Y43");
        assertThat(signature.seal().name()).isEqualTo("测试专用章");
    }

    @Test
    void oneChangedByteInsideTheSignedRangeFails() throws Exception {
        byte[] sealed = sealer.seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        // the page height in /MediaBox, written uncompressed in the signed first revision: 841.8898 -> 841.8 + 1
        int at = indexOf(sealed, "841.8") + 4;
        sealed[at] = (byte) (sealed[at] == '9' ? '8' : sealed[at] + 1);

        var signature = verifier.verify(sealed).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.HASH_FAILURE);
        // a PAdES-BASELINE-B signature whose bytes changed: its format is not told, not "not baseline" (which sent
        // a reader after the wrong problem: its signed attributes were never read)
        assertThat(signature.format()).isEqualTo("PAdES");
    }

    @Test
    void aLaterRevisionThatChangesPageContentIsReported() throws Exception {
        byte[] sealed = sealer.seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        byte[] changed;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            PDPage page = document.getPage(0);
            try (PDPageContentStream content = new PDPageContentStream(document, page,
                    PDPageContentStream.AppendMode.APPEND, false)) {
                content.addRect(100, 100, 50, 50);
                content.fill();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            changed = out.toByteArray();
        }
        VerificationReport report = verifier.verify(changed);
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        var signature = report.signatures().get(0);
        assertThat(signature.coverage().coversWholeDocument()).isFalse();
        assertThat(signature.coverage().bytesAppendedAfter()).isPositive();
        assertThat(signature.changesAfterSigning())
                .anySatisfy(c -> {
                    assertThat(c.kind()).isEqualTo("PAGE_CONTENT");
                    assertThat(c.page()).isEqualTo(1);
                    assertThat(c.allowed()).isFalse();
                });
    }

    @Test
    void aSecondSealKeepsTheFirstValid() throws Exception {
        byte[] once = sealer.seal(TestMaterial.onePagePdf(0), material.request(1, 60, 240));
        byte[] twice = sealer.seal(once, material.request(1, 150, 240));

        VerificationReport report = verifier.verify(twice);
        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).hasSize(2);
        assertThat(report.signatures()).allSatisfy(s -> assertThat(s.indication()).isEqualTo(Indication.TOTAL_PASSED));
        assertThat(report.signatures().get(0).changesAfterSigning())
                .singleElement().satisfies(c -> {
                    assertThat(c.kind()).isEqualTo("SIGNATURE_ADDED");
                    assertThat(c.allowed()).isTrue();
                });
    }

    @Test
    void aSignerOutsideTheTrustedRootsCannotBeConfirmed() throws Exception {
        byte[] sealed = sealer.seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        var stranger = new PdfVerifier(List.of(new TestMaterial().root));

        var report = stranger.verify(sealed);
        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.signatures().get(0).subIndication()).isEqualTo(SubIndication.NO_CERTIFICATE_CHAIN_FOUND);
    }

    @Test
    void anExpiredSealCertificateWithoutTimeStampIsIndeterminate() throws Exception {
        var old = new TestMaterial(Instant.now().minus(Duration.ofDays(30)), Duration.ofDays(10));
        var request = new SealRequest(old.sealKey, material.request(1, 100, 100).appearance(),
                new SealPlacement(1, 100, 100), "old", null, Instant.now().minus(Duration.ofDays(25)));
        byte[] sealed = sealer.seal(TestMaterial.onePagePdf(0), request);

        var signature = new PdfVerifier(List.of(old.root)).verify(sealed).signatures().get(0);
        assertThat(signature.indication()).isEqualTo(Indication.INDETERMINATE);
        assertThat(signature.subIndication()).isEqualTo(SubIndication.OUT_OF_BOUNDS_NO_POE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 90, 180, 270})
    void theSealIsDrawnWhereAskedOnTheVisiblePage(int rotation) throws Exception {
        // centre 50 mm from the left and 80 mm from the top of the page as displayed, 40 mm wide
        byte[] sealed = sealer.seal(TestMaterial.onePagePdf(rotation), material.request(1, 50, 80));
        BufferedImage page;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            page = new PDFRenderer(document).renderImageWithDPI(0, 72);
        }
        double px = 72 / 25.4;
        assertThat(isRed(page.getRGB((int) (50 * px), (int) (80 * px)))).as("centre").isTrue();
        assertThat(isRed(page.getRGB((int) (32 * px), (int) (62 * px)))).as("inside, near a corner").isTrue();
        assertThat(isRed(page.getRGB((int) (50 * px), (int) (104 * px)))).as("below the seal").isFalse();
        assertThat(isRed(page.getRGB((int) (74 * px), (int) (80 * px)))).as("right of the seal").isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 90})
    void aSealCanBeCentredOnATextOfThePage(int rotation) throws Exception {
        byte[] pdf = TestMaterial.onePagePdf(rotation);
        SealPlacement found;
        try (PDDocument document = Loader.loadPDF(pdf)) {
            found = TextAnchors.find(document, null, "Approval result");
        }
        if (rotation == 0) {
            // the text starts 72 pt from the left with its baseline 700 pt up an A4 page: about 40 mm x 48 mm
            assertThat(found.xMm()).isBetween(35.0, 45.0);
            assertThat(found.yMm()).isBetween(45.0, 51.0);
        }
        byte[] sealed = sealer.seal(pdf, new SealRequest(material.sealKey, material.request(1, 0, 0).appearance(),
                SealPlacement.atText(0, "Approval result"), "x", null, Instant.now()));
        BufferedImage page;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            page = new PDFRenderer(document).renderImageWithDPI(0, 72);
        }
        double px = 72 / 25.4;
        assertThat(isRed(page.getRGB((int) (found.xMm() * px), (int) (found.yMm() * px)))).isTrue();
        assertThat(isRed(page.getRGB((int) ((found.xMm() + 25) * px), (int) (found.yMm() * px)))).isFalse();
    }

    @Test
    void aCrossPageSealIsOneSignatureSplitAcrossTheOuterEdges() throws Exception {
        byte[] threePages;
        try (PDDocument document = new PDDocument()) {
            for (int i = 0; i < 3; i++) {
                document.addPage(new PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.A4));
            }
            threePages = TestMaterial.save(document);
        }
        byte[] sealed = sealer.seal(threePages, new SealRequest(material.sealKey, material.request(1, 0, 0).appearance(),
                SealPlacement.acrossPages(List.of(1, 2, 3), 100), "骑缝章", null, Instant.now()));

        VerificationReport report = verifier.verify(sealed);
        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).hasSize(1);
        double px = 72 / 25.4;
        double pageWidthMm = 595.28 / px;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            for (int p = 0; p < 3; p++) {
                BufferedImage page = new PDFRenderer(document).renderImageWithDPI(p, 72);
                // a 40 mm seal in three strips: 13.3 mm of it at the right edge of every page, nothing further in
                assertThat(isRed(page.getRGB((int) ((pageWidthMm - 6) * px), (int) (100 * px)))).as("page " + (p + 1)).isTrue();
                assertThat(isRed(page.getRGB((int) ((pageWidthMm - 20) * px), (int) (100 * px)))).isFalse();
                assertThat(isRed(page.getRGB((int) ((pageWidthMm - 6) * px), (int) (130 * px)))).isFalse();
            }
            assertThat(document.getSignatureFields()).hasSize(1);
            assertThat(document.getPage(1).getAnnotations()).singleElement()
                    .satisfies(a -> assertThat(a.getSubtype()).isEqualTo("Stamp"));
        }
    }

    @Test
    void aMissingAnchorIsRefused() throws Exception {
        assertThatThrownBy(() -> sealer.seal(TestMaterial.onePagePdf(0), new SealRequest(material.sealKey,
                material.request(1, 0, 0).appearance(), SealPlacement.atText(0, "（盖章）"), "x", null, Instant.now())))
                .isInstanceOf(RejectedException.class)
                .extracting(e -> ((RejectedException) e).problem()).isEqualTo(Problem.ANCHOR_NOT_FOUND);
    }

    @Test
    void aBrokenCrossReferenceIsRefusedNotSilentlyRepaired() throws Exception {
        byte[] pdf = TestMaterial.onePagePdf(0);
        String text = new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("startxref") + "startxref".length();
        String broken = text.substring(0, at) + text.substring(at).replaceFirst("\\d+", "17");
        assertRefused(broken.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), Problem.DAMAGED_PDF);
    }

    @Test
    void anObjectDefinedTwiceInOneRevisionIsRefused() throws Exception {
        byte[] pdf = TestMaterial.onePagePdf(0);
        String text = new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\n1 0 obj") + 1;
        String object = text.substring(start, text.indexOf("endobj", start) + "endobj".length());
        // a second "1 0 obj" in the same revision, after its cross-reference: the collision trick
        int tail = text.lastIndexOf("\nstartxref");
        String doubled = text.substring(0, tail + 1) + object + "\n" + text.substring(tail + 1);
        assertRefused(doubled.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), Problem.DUPLICATE_OBJECTS);
    }

    @Test
    void documentsOverTheLimitsAreRefused() throws Exception {
        var strict = new PdfSealer(null, null, new PdfLimits(1, 1_000));
        byte[] twoPages;
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage());
            document.addPage(new PDPage());
            twoPages = TestMaterial.save(document);
        }
        assertThatThrownBy(() -> strict.seal(twoPages, material.request(1, 50, 50)))
                .isInstanceOf(RejectedException.class)
                .extracting(e -> ((RejectedException) e).problem()).isEqualTo(Problem.TOO_MANY_PAGES);
        var tiny = new PdfSealer(null, null, new PdfLimits(10, 3));
        assertThatThrownBy(() -> tiny.seal(TestMaterial.onePagePdf(0), material.request(1, 50, 50)))
                .isInstanceOf(RejectedException.class)
                .extracting(e -> ((RejectedException) e).problem()).isEqualTo(Problem.TOO_MANY_OBJECTS);
    }

    @Test
    void refusesWhatIsNotAPdfItCanSeal() throws Exception {
        byte[] good = TestMaterial.onePagePdf(0);
        assertRefused(new byte[0], Problem.EMPTY_BODY);
        assertRefused("hello, this is text".getBytes(StandardCharsets.US_ASCII), Problem.NOT_A_PDF);
        assertRefused(Arrays.copyOf(good, good.length / 2), Problem.TRUNCATED_PDF);
        assertRefused(TestMaterial.encryptedPdf(), Problem.ENCRYPTED_PDF);
        assertThatThrownBy(() -> sealer.seal(good, material.request(2, 50, 50)))
                .isInstanceOf(RejectedException.class)
                .extracting(e -> ((RejectedException) e).problem()).isEqualTo(Problem.PAGE_OUT_OF_RANGE);
        assertThatThrownBy(() -> sealer.seal(good, material.request(1, 500, 50)))
                .isInstanceOf(RejectedException.class)
                .extracting(e -> ((RejectedException) e).problem()).isEqualTo(Problem.PLACEMENT_OUTSIDE_PAGE);
    }

    private void assertRefused(byte[] input, Problem problem) {
        assertThatThrownBy(() -> sealer.seal(input, material.request(1, 50, 50)))
                .isInstanceOf(RejectedException.class)
                .extracting(e -> ((RejectedException) e).problem()).isEqualTo(problem);
    }

    private static boolean isRed(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return r > 180 && g < 80 && b < 80;
    }

    static int indexOf(byte[] data, String text) {
        int at = PdfDocuments.indexOf(data, text, 0, data.length);
        assertThat(at).as("position of " + text).isNotNegative();
        return at;
    }
}
