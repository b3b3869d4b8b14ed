package cn.yinxin.core.pdf.handwriting;

import cn.yinxin.core.pdf.Dss;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.ReportMaps;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pki.keys.SealKey;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A handwritten personal signature on a PDF: vector strokes in the widget's appearance, the capture (strokes and
 * the document's hash) inside the signed revision; an agency seal added afterwards leaves it valid; EU DSS agrees;
 * the strokes are where they were placed when the page is rendered; a capture for another document is refused.
 */
class HandwrittenSignatureTest {

    @Test
    void aHandwrittenSignatureIsDrawnAsVectorsBoundToTheDocumentAndSurvivesASealAfterIt() throws Exception {
        TestMaterial material = new TestMaterial();
        SealKey person = personalKey(material);
        byte[] pdf = TestMaterial.onePagePdf(0);
        Handwriting capture = zigzag(pdf);

        byte[] signed = new PdfSealer().seal(pdf, new SealRequest(person, SealAppearance.handwritten(capture, 50, 20),
                new SealPlacement(1, 60, 200), "张三", "申请人签名", Instant.now()));
        byte[] sealed = new PdfSealer().seal(signed, material.request(1, 150, 240));

        String latin = new String(signed, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(latin).as("no image in the signature's revision").doesNotContain("/Subtype /Image");
        var check = HandwritingCheck.check(sealed, "Signature1", signed.length);
        assertThat(check).isNotNull();
        assertThat(check.bound()).as(check.explanation()).isTrue();
        assertThat(check.capture().strokes()).hasSize(2);
        assertThat(check.capture().documentSha256()).isEqualTo(sha256(pdf));

        var report = new PdfVerifier(List.of(material.root)).verify(sealed);
        assertThat(report.signatures()).hasSize(2);
        assertThat(report.signatures()).allSatisfy(s -> assertThat(s.indication()).as(s.reasons().toString())
                .isEqualTo(Indication.TOTAL_PASSED));
        var personal = report.signatures().get(0);
        assertThat(personal.person()).isEqualTo(new VerificationReport.Person("张三", "110105********002X"));
        assertThat(personal.signer().subject()).contains("110105********002X").doesNotContain("11010519491231002X");
        assertThat(personal.handwritten().bound()).as(personal.handwritten().explanation()).isTrue();
        assertThat(personal.handwritten().strokes()).isEqualTo(2);
        assertThat(personal.handwritten().documentSha256()).isEqualTo(sha256(pdf));
        // the verifier shows the handwriting as captured: one SVG segment between each two points of a stroke,
        // at the captured coordinates
        String svg = personal.handwritten().svg();
        var captured = check.capture();
        assertThat(svg).startsWith("<svg").contains("viewBox=\"0 0 " + captured.padWidth() + " " + captured.padHeight() + "\"");
        assertThat(svg.split("<line ", -1).length - 1).isEqualTo(captured.pointCount() - captured.strokes().size());
        var first = captured.strokes().get(0).points();
        assertThat(svg).contains("<line x1=\"" + first.get(0).x() + "\" y1=\"" + first.get(0).y() + "\" x2=\""
                + first.get(1).x() + "\" y2=\"" + first.get(1).y() + "\"");
        assertThat(report.signatures().get(1).person()).isNull();
        assertThat(report.signatures().get(1).handwritten()).isNull();
        assertThat(report.signatures().get(1).seal()).isNotNull();
        assertThat(ReportMaps.toMap(report).toString()).contains("handwritten").contains("110105********002X")
                .doesNotContain("11010519491231002X");
        // offline, without revocation data, DSS can only confirm that both are intact and cryptographically valid
        assertThat(Dss.validate(sealed, material.root)).hasSize(2)
                .allSatisfy(v -> assertThat(v.soundWithoutRevocation()).as(v.toString()).isTrue());

        // rendered at 72 dpi: the ink lies inside the 50 x 20 mm box centred at (60 mm, 200 mm), none outside it
        BufferedImage page;
        try (var document = Loader.loadPDF(sealed)) {
            page = new PDFRenderer(document).renderImageWithDPI(0, 72);
        }
        double mm = 72 / 25.4;
        int inside = 0;
        int outsideNearby = 0;
        for (int y = (int) (180 * mm); y < (int) (220 * mm); y++) {
            for (int x = (int) (20 * mm); x < (int) (100 * mm); x++) {
                int rgb = page.getRGB(x, y);
                boolean ink = (rgb & 0xff) > ((rgb >> 16) & 0xff) + 40 && ((rgb >> 16) & 0xff) < 120;
                boolean inBox = x >= 35 * mm && x <= 85 * mm && y >= 190 * mm && y <= 210 * mm;
                if (ink && inBox) {
                    inside++;
                } else if (ink) {
                    outsideNearby++;
                }
            }
        }
        assertThat(inside).as("blue-black ink pixels in the signature box").isGreaterThan(50);
        assertThat(outsideNearby).isZero();
    }

    @Test
    void theAppearanceUsesOnlyPathOperatorsWithWidthsFromPressure() throws Exception {
        Handwriting capture = zigzag(TestMaterial.onePagePdf(0));
        byte[] content = HandwritingAppearance.draw(capture, 141.7f, 56.7f);
        var parser = new org.apache.pdfbox.pdfparser.PDFStreamParser(content);
        java.util.Set<String> operators = new java.util.TreeSet<>();
        java.util.Set<Float> widths = new java.util.TreeSet<>();
        Object previous = null;
        for (Object token = parser.parseNextToken(); token != null; token = parser.parseNextToken()) {
            if (token instanceof org.apache.pdfbox.contentstream.operator.Operator operator) {
                operators.add(operator.getName());
                if (operator.getName().equals("w")) {
                    widths.add(((org.apache.pdfbox.cos.COSNumber) previous).floatValue());
                }
            }
            previous = token;
        }
        assertThat(operators).containsExactlyInAnyOrder("q", "Q", "RG", "J", "j", "w", "m", "c", "l", "S");
        assertThat(widths).as("the first stroke's rising pressure gives rising widths").hasSizeGreaterThan(5);
        assertThat(HandwritingAppearance.draw(capture, 141.7f, 56.7f)).as("the same capture, the same bytes")
                .isEqualTo(content);
    }

    @Test
    void aHandwrittenSignatureFillsTheEmptySignatureFieldTheAuthorPrepared() throws Exception {
        TestMaterial material = new TestMaterial();
        SealKey person = personalKey(material);
        byte[] pdf;
        try (var document = Loader.loadPDF(TestMaterial.onePagePdf(0))) {
            var form = new org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            var field = new org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField(form);
            field.setPartialName("applicant");
            var widget = field.getWidgets().get(0);
            // 60 x 25 mm, its lower-left corner 30 mm from the left and 40 mm from the bottom
            double mm = 72 / 25.4;
            widget.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle((float) (30 * mm), (float) (40 * mm),
                    (float) (60 * mm), (float) (25 * mm)));
            widget.setPage(document.getPage(0));
            document.getPage(0).getAnnotations().add(widget);
            form.getFields().add(field);
            pdf = TestMaterial.save(document);
        }
        byte[] signed = new PdfSealer().seal(pdf, new SealRequest(person, SealAppearance.handwritten(zigzag(pdf), 50, 20),
                SealPlacement.inField("applicant"), "张三", null, Instant.now()));

        var report = new PdfVerifier(List.of(material.root)).verify(signed);
        assertThat(report.signatures()).singleElement().satisfies(s -> {
            assertThat(s.field()).isEqualTo("applicant");
            assertThat(s.indication()).as(s.reasons().toString()).isEqualTo(Indication.TOTAL_PASSED);
            assertThat(s.handwritten().bound()).as(s.handwritten().explanation()).isTrue();
        });
        try (var document = Loader.loadPDF(signed)) {
            var fields = document.getDocumentCatalog().getAcroForm().getFields();
            assertThat(fields).as("the prepared field was filled, no other made").hasSize(1);
            var rect = fields.get(0).getWidgets().get(0).getRectangle();
            double mm = 72 / 25.4;
            assertThat(rect.getLowerLeftX() / mm).isCloseTo(30, org.assertj.core.data.Offset.offset(0.1));
            assertThat(rect.getWidth() / mm).as("the field's size").isCloseTo(60, org.assertj.core.data.Offset.offset(0.1));
            assertThat(rect.getHeight() / mm).isCloseTo(25, org.assertj.core.data.Offset.offset(0.1));
        }
        assertThatThrownBy(() -> new PdfSealer().seal(signed, new SealRequest(person,
                SealAppearance.handwritten(zigzag(signed), 50, 20), SealPlacement.inField("applicant"), "张三", null,
                Instant.now()))).as("a signed field is not empty")
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.SIGNATURE_FIELD_NOT_FOUND));
    }

    @Test
    void aCaptureForAnotherDocumentIsRefusedAndNothingIsSigned() throws Exception {
        TestMaterial material = new TestMaterial();
        SealKey person = personalKey(material);
        byte[] pdf = TestMaterial.onePagePdf(0);
        byte[] other = TestMaterial.onePagePdf(90);
        Handwriting forOther = zigzag(other);
        assertThatThrownBy(() -> new PdfSealer().seal(pdf, new SealRequest(person,
                SealAppearance.handwritten(forOther, 50, 20), new SealPlacement(1, 60, 200), "张三", null, Instant.now())))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.CAPTURE_FOR_ANOTHER_DOCUMENT));
    }

    /**
     * Someone holding the person's key (not our sealer, which refuses it) copies a capture made for document A
     * onto document B and signs B: the signature is cryptographically sound, but the verifier sees that the
     * handwriting was given for another document and fails it.
     */
    @Test
    void aCaptureMovedToAnotherDocumentFailsVerification() throws Exception {
        TestMaterial material = new TestMaterial();
        SealKey person = personalKey(material);
        byte[] a = TestMaterial.onePagePdf(0);
        // B: the same length as A but other bytes (one hex digit of the trailer's /ID changed), so only the hash
        // tells them apart; two documents saved in the same millisecond would otherwise be the same document
        byte[] b = a.clone();
        int id = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).lastIndexOf("/ID");
        assertThat(id).as("the test document has a trailer /ID").isPositive();
        int digit = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('<', id) + 1;
        b[digit] = (byte) (b[digit] == '0' ? '1' : '0');
        b = java.util.Arrays.copyOf(b, b.length + 1);
        b[b.length - 1] = '\n';
        Handwriting forA = zigzag(a);

        var out = new java.io.ByteArrayOutputStream();
        try (var document = Loader.loadPDF(b)) {
            var signature = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature();
            signature.setFilter(org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PdfSealer.ETSI_CADES_DETACHED);
            signature.setSignDate(java.util.Calendar.getInstance());
            var form = new org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            var field = new org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField(form);
            field.getCOSObject().setItem(org.apache.pdfbox.cos.COSName.V, signature);
            var widget = field.getWidgets().get(0);
            widget.setPage(document.getPage(0));
            document.getPage(0).getAnnotations().add(widget);
            form.getFields().add(field);
            try (var options = new org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions()) {
                options.setPreferredSignatureSize(12000);
                document.addSignature(signature, options);
                widget.setRectangle(new org.apache.pdfbox.pdmodel.common.PDRectangle(100, 100, 141.7f, 56.7f));
                var appearance = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
                appearance.setNormalAppearance(new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(
                        HandwritingAppearance.form(document, forA, 141.7f, 56.7f).getCOSObject()));
                widget.setAppearance(appearance);
                var external = document.saveIncrementalForExternalSigning(out);
                external.setSignature(new cn.yinxin.core.pki.cms.CadesSigner(person).sign(external.getContent().readAllBytes()));
            }
        }
        byte[] moved = out.toByteArray();

        var report = new PdfVerifier(List.of(material.root)).verify(moved);
        assertThat(report.signatures()).singleElement().satisfies(s -> {
            assertThat(s.indication()).isEqualTo(Indication.TOTAL_FAILED);
            assertThat(s.subIndication()).isEqualTo(SubIndication.FORMAT_FAILURE);
            assertThat(s.handwritten().bound()).isFalse();
            assertThat(s.reasons()).anySatisfy(r -> assertThat(r).contains("it was moved from another document"));
        });
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        // DSS cannot see it: to DSS this is a sound signature
        assertThat(Dss.validate(moved, material.root)).singleElement()
                .satisfies(v -> assertThat(v.soundWithoutRevocation()).isTrue());
    }

    @Test
    void anEmptyOrTinyDrawingIsNotASignature() {
        assertThatThrownBy(() -> Handwriting.checkDrawing(600, 240, List.of()))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.problem()).isEqualTo(Problem.EMPTY_SIGNATURE));
        var dot = List.of(new Handwriting.Stroke(List.of(new Handwriting.Point(10, 10, 50, 0), new Handwriting.Point(11, 10, 50, 5))));
        assertThatThrownBy(() -> Handwriting.checkDrawing(600, 240, dot))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.problem()).isEqualTo(Problem.EMPTY_SIGNATURE));
    }

    @Test
    void theCaptureTravelsAsCompactJsonAndComesBackTheSame() throws Exception {
        Handwriting capture = zigzag(TestMaterial.onePagePdf(0));
        Handwriting back = Handwriting.fromJson(capture.toJson());
        assertThat(back).isEqualTo(capture);
        assertThat(new String(capture.toJson())).startsWith("{\"v\":1,\"capture\":");
    }

    /** Two strokes across a 600 x 240 pad, the pressure rising along the first. */
    static Handwriting zigzag(byte[] pdf) throws Exception {
        List<Handwriting.Point> first = new ArrayList<>();
        for (int i = 0; i <= 40; i++) {
            first.add(new Handwriting.Point(40 + i * 12, 120 + (i % 2 == 0 ? -60 : 60), 20 + i * 2, i * 16L));
        }
        List<Handwriting.Point> second = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            second.add(new Handwriting.Point(60 + i * 24, 200, 50, 1000 + i * 16L));
        }
        var strokes = List.of(new Handwriting.Stroke(first), new Handwriting.Stroke(second));
        Handwriting.checkDrawing(600, 240, strokes);
        return new Handwriting("test-capture", Instant.parse("2026-11-23T09:00:00Z"), sha256(pdf), pdf.length, 600, 240,
                strokes);
    }

    /** 张三's key under the test seal's CA, which stands in for a personal CA: what matters here is the chain. */
    static SealKey personalKey(TestMaterial material) {
        return material.personalKey;
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
