package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.CrlLongTermMaterial;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.PdfCrafting;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.report.ReportDocument;
import cn.yinxin.core.pdf.verify.report.ReportMaps;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.sign.SignatureLevel;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.TestMaterial;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import cn.yinxin.core.pdf.verify.visual.VisualComparison;
import cn.yinxin.core.pdf.verify.visual.VisualComparison.VisualDifference;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The visual proof: what a page shows now compared with what was signed, on documents sealed for real and changed
 * afterwards as an attacker (or an honest later signer) would.
 */
class VisualProofTest {

    /** Where the attacker paints: over "Approval result" (72, 700) on page 1. */
    private static final PDRectangle PAINTED = new PDRectangle(60, 680, 300, 60);

    private static TestMaterial material;
    private static PdfVerifier verifier;
    private static byte[] sealed;
    private static long sealedEnd;
    private final VisualComparison comparison = new VisualComparison();

    @BeforeAll
    static void seal() throws Exception {
        material = new TestMaterial();
        verifier = new PdfVerifier(List.of(material.root));
        sealed = new PdfSealer().seal(TestMaterial.onePagePdf(0), material.request(1, 100, 100));
        sealedEnd = sealed.length;
    }

    @Test
    void aGhostWidgetPaintingApprovedOverTheTextIsAVisibleChange() throws Exception {
        byte[] attacked = paintOver(sealed, 0, PAINTED, false);

        VisualComparison.Result result = comparison.compare(attacked, sealedEnd, List.of());
        assertThat(result.incomplete()).isNull();
        assertThat(result.differences()).singleElement().satisfies(d -> {
            assertThat(d.page()).isEqualTo(1);
            assertContains(d, PAINTED);
        });

        VerificationReport report = verifier.verify(attacked);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        SignatureReport signature = report.signatures().getFirst();
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.changesAfterSigning()).filteredOn(c -> c.kind().equals("VISIBLE_CHANGE"))
                .singleElement().satisfies(c -> {
                    assertThat(c.page()).isEqualTo(1);
                    assertThat(c.allowed()).isFalse();
                    assertThat(c.description()).startsWith("visible change on page 1 in region (");
                    assertThat(c.pictures()).isNotNull();
                });
    }

    @Test
    void aGhostWidgetIsCaughtByThePicturesAloneWhateverTheObjectsSay() throws Exception {
        // the attack of issue 17: a widget claiming to be a document time-stamp, outside /AcroForm /Fields
        byte[] attacked = paintOver(sealed, 0, PAINTED, true);

        VerificationReport report = verifier.verify(attacked);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().reasons()).anySatisfy(r ->
                assertThat(r).contains("visible change on page 1 in region"));
    }

    @Test
    void theRegionIsInThePagesOwnUnitsOnARotatedPage() throws Exception {
        byte[] rotated = new PdfSealer().seal(TestMaterial.onePagePdf(90), material.request(1, 100, 100));
        PDRectangle box = new PDRectangle(300, 100, 120, 200);

        VisualComparison.Result result = comparison.compare(paintOver(rotated, 0, box, false), rotated.length, List.of());
        assertThat(result.differences()).singleElement().satisfies(d -> assertContains(d, box));
    }

    @Test
    void anInfoChangeShowsNothing() throws Exception {
        byte[] retitled;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            document.getDocumentInformation().setTitle("Renamed after sealing");
            document.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
            document.getDocument().getTrailer().setNeedToBeUpdated(true);
            retitled = saveIncremental(document);
        }
        assertThat(retitled.length).isGreaterThan(sealed.length);

        assertThat(comparison.compare(retitled, sealedEnd, List.of()).same()).isTrue();
        assertThat(verifier.verify(retitled).signatures().getFirst().changesAfterSigning())
                .noneSatisfy(c -> assertThat(c.kind()).isEqualTo("VISIBLE_CHANGE"));
    }

    @Test
    void validationDataAndADocumentTimeStampShowNothing() throws Exception {
        CrlLongTermMaterial lt = new CrlLongTermMaterial();
        SealRequest base = material.request(1, 100, 100);
        byte[] archived = lt.sealer().seal(TestMaterial.onePagePdf(0), new SealRequest(lt.sealKey, base.appearance(),
                base.placement(), "LTA", null, Instant.now(), SignatureLevel.B_LTA));

        VerificationReport report = new PdfVerifier(List.of(lt.root)).verify(archived);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        SignatureReport seal = report.signatures().getFirst();
        assertThat(seal.coverage().coversWholeDocument()).isFalse();
        assertThat(comparison.compare(archived, seal.coverage().revisionEnd(), List.of()).same()).isTrue();
    }

    @Test
    void aLaterGenuineSealIsNotAChangeToTheFirst() throws Exception {
        byte[] twice = new PdfSealer().seal(sealed, material.request(1, 150, 240));

        // the pictures do differ where the second seal is drawn ...
        assertThat(comparison.compare(twice, sealedEnd, List.of()).differences()).isNotEmpty();
        // ... and the verifier leaves out the widget of that later, verified seal
        VerificationReport report = verifier.verify(twice);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).allSatisfy(s -> assertThat(s.changesAfterSigning())
                .noneSatisfy(c -> assertThat(c.kind()).isEqualTo("VISIBLE_CHANGE")));
    }

    @Test
    void aLaterSealDoesNotHideWhatIsPaintedBesideIt() throws Exception {
        byte[] twice = new PdfSealer().seal(sealed, material.request(1, 150, 240));
        try (PDDocument signed = Loader.loadPDF(sealed); PDDocument now = Loader.loadPDF(twice)) {
            // the page differs from the signed one only by the later seal's widget: not even drawn
            var widget = now.getPage(0).getAnnotations().getLast().getCOSObject();
            assertThat(cn.yinxin.core.pdf.verify.visual.PageInputsProbe.sameLeavingOut(signed, now, 0, widget)).isTrue();
            assertThat(cn.yinxin.core.pdf.verify.visual.PageInputsProbe.same(signed, now, 0)).isFalse();
        }
        byte[] painted = paintOver(twice, 0, PAINTED, false);

        VerificationReport report = verifier.verify(painted);
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        for (SignatureReport signature : report.signatures()) {
            assertThat(signature.changesAfterSigning()).filteredOn(c -> c.kind().equals("VISIBLE_CHANGE"))
                    .singleElement().satisfies(c -> assertThat(c.description())
                            .startsWith("visible change on page 1 in region (5"));
        }
    }

    @Test
    void aLaterSealCoveringMostOfThePageHidesNothing() throws Exception {
        SealRequest small = material.request(1, 20, 20);
        byte[] covered = new PdfSealer().seal(sealed, new SealRequest(small.key(), new SealAppearance(
                TestMaterial.redSquarePng(), 170, 200), new SealPlacement(1, 20, 20), "测试专用章", "over all",
                Instant.now()));

        VerificationReport report = verifier.verify(covered);
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().changesAfterSigning())
                .anySatisfy(c -> assertThat(c.kind()).isEqualTo("VISIBLE_CHANGE"));
        assertThat(report.signatures().get(1).indication()).isEqualTo(Indication.TOTAL_PASSED);
    }

    @Test
    void aLaterSealThatDoesNotVerifyDoesNotHideWhatItDraws() throws Exception {
        byte[] twice = new PdfSealer().seal(sealed, material.request(1, 150, 240));
        // one digit of the second seal's signing time (/M) changed: its seal is drawn, but its signature fails
        int at = PdfCrafting.indexOf(twice, "/M (D:", (int) sealedEnd) + 8;
        assertThat(at).isGreaterThan((int) sealedEnd);
        byte[] broken = PdfCrafting.overwrite(twice, at, twice[at] == '1' ? "2" : "1");

        VerificationReport report = verifier.verify(broken);
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().get(1).subIndication()).isEqualTo(SubIndication.HASH_FAILURE);
        assertThat(report.signatures().getFirst().changesAfterSigning())
                .anySatisfy(c -> assertThat(c.kind()).isEqualTo("VISIBLE_CHANGE"));
    }

    @Test
    void aPageAddedAfterSigningIsReported() throws Exception {
        byte[] longer;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                PdfCrafting.text(content, new PDType1Font(Standard14Fonts.FontName.HELVETICA), 72, 700, "Annex: 900");
            }
            document.getPages().getCOSObject().setNeedToBeUpdated(true);
            longer = saveIncremental(document);
        }

        VisualComparison.Result result = comparison.compare(longer, sealedEnd, List.of());
        assertThat(result.pageCountDiffers()).isTrue();
        assertThat(result.differences()).singleElement().satisfies(d -> {
            assertThat(d.page()).isEqualTo(2);
            assertThat(d.fraction()).isEqualTo(1.0);
        });
        VerificationReport report = verifier.verify(longer);
        assertThat(report.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().changesAfterSigning()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo("VISIBLE_CHANGE");
            assertThat(c.page()).isEqualTo(2);
            assertThat(c.description()).contains("visible change on page 2", "added after signing");
        });
    }

    @Test
    void fillingAnEmptyFieldIsLeftOutButAFieldMovedOverThePageIsSeen() throws Exception {
        byte[] form = new PdfSealer().seal(emptyForm(), material.request(1, 100, 100));
        byte[] filled = PdfCrafting.fill(form, "900");

        // the new value shows inside the empty box the signer saw as fillable: for the change analysis to judge
        assertThat(comparison.compare(filled, form.length, List.of()).same()).isTrue();

        PDRectangle elsewhere = new PDRectangle(72, 400, 200, 20);
        byte[] moved;
        try (PDDocument document = Loader.loadPDF(filled)) {
            var field = document.getDocumentCatalog().getAcroForm(null).getField("amount");
            var widget = field.getWidgets().getFirst();
            widget.setRectangle(elsewhere);
            widget.getCOSObject().setNeedToBeUpdated(true);
            field.getCOSObject().setNeedToBeUpdated(true);
            moved = saveIncremental(document);
        }
        // the value is drawn where the page showed nothing when signed
        assertThat(comparison.compare(moved, form.length, List.of()).differences()).singleElement()
                .satisfies(d -> assertInside(d, elsewhere));
    }

    @Test
    void aValueTheSignerSawIsPartOfWhatWasSigned() throws Exception {
        // an approval seal over "amount: 100": "900" afterwards is the "replace" shadow attack
        byte[] form = new PdfSealer().seal(PdfCrafting.formPdf(false), material.request(1, 100, 100));

        VisualComparison.Result result = comparison.compare(PdfCrafting.fill(form, "900"), form.length, List.of());
        assertThat(result.differences()).singleElement()
                .satisfies(d -> assertInside(d, new PDRectangle(72, 700, 200, 20)));
        // a certification with P=2 allows values to be changed (PdfAttacksTest.formFillingUnderCertificationP2IsAllowed)
        SealRequest request = material.request(1, 100, 100);
        byte[] certified = new PdfSealer().seal(PdfCrafting.formPdf(false), new SealRequest(request.key(),
                request.appearance(), request.placement(), "certifying", "certified", Instant.now(),
                SignatureLevel.B_B, 2));
        assertThat(comparison.compare(PdfCrafting.fill(certified, "900"), certified.length, List.of()).same())
                .isTrue();
    }

    // ---- shadow attacks that leave the page dictionary as signed: the pages are drawn all the same ----------

    @Test
    void aLayerSwitchedOnInTheCatalogIsSeen() throws Exception {
        byte[] signedLayers = new PdfSealer().seal(PdfCrafting.layeredPdf(), material.request(1, 100, 100));
        byte[] attacked;
        try (PDDocument document = Loader.loadPDF(signedLayers)) {
            var layers = document.getDocumentCatalog().getOCProperties();
            layers.setGroupEnabled("shadow", true);
            document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
            layers.getCOSObject().setNeedToBeUpdated(true);
            layers.getCOSObject().getCOSDictionary(COSName.D).setNeedToBeUpdated(true);
            attacked = saveIncremental(document);
        }
        assertShows(attacked, signedLayers.length, new PDRectangle(72, 700, 70, 12));
    }

    @Test
    void aFontTheUnchangedPageUsesRedefinedIsSeen() throws Exception {
        var font = PdfCrafting.pageObjectKey(sealed, "Resources", "Font", "F1");
        byte[] attacked = new PdfCrafting.Update(sealed).object(font.getNumber(), "<< /Type /Font /Subtype /Type1 "
                + "/BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding "
                + "/Differences [97 /e 112 /q] >> >>").write();
        assertShows(attacked, sealedEnd, new PDRectangle(72, 700, 90, 12));
    }

    @Test
    void aFormXObjectTheUnchangedPageDrawsRedefinedIsSeen() throws Exception {
        byte[] signedForms = new PdfSealer().seal(PdfCrafting.xobjectPdf(), material.request(1, 100, 100));
        var shown = PdfCrafting.pageObjectKey(signedForms, "Resources", "XObject", "Shown");
        byte[] attacked = new PdfCrafting.Update(signedForms).stream(shown.getNumber(),
                "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << >>", "0 0 1 rg 60 690 200 30 re f")
                .write();
        assertShows(attacked, signedForms.length, new PDRectangle(60, 690, 200, 30));
    }

    @Test
    void aHiddenAnnotationMadeVisibleIsSeen() throws Exception {
        byte[] signedHidden = new PdfSealer().seal(PdfCrafting.hiddenAnnotationPdf(), material.request(1, 100, 200));
        byte[] attacked;
        try (PDDocument document = Loader.loadPDF(signedHidden)) {
            var square = document.getPage(0).getAnnotations().getFirst();
            square.setHidden(false);
            square.setPrinted(true);
            square.getCOSObject().setNeedToBeUpdated(true);
            attacked = saveIncremental(document);
        }
        assertShows(attacked, signedHidden.length, new PDRectangle(60, 690, 200, 30));
    }

    @Test
    void anUntouchedPageIsNotDrawnAndAChangedOneIs() throws Exception {
        byte[] three = new PdfSealer().seal(pages(3), material.request(1, 100, 100));
        byte[] changed = paintOver(three, 1, PAINTED, false);
        try (PDDocument signed = Loader.loadPDF(three); PDDocument now = Loader.loadPDF(changed)) {
            // a renderer's inputs: pages 1 and 3 as signed, page 2 not
            assertThat(cn.yinxin.core.pdf.verify.visual.PageInputsProbe.same(signed, now, 0)).isTrue();
            assertThat(cn.yinxin.core.pdf.verify.visual.PageInputsProbe.same(signed, now, 1)).isFalse();
            assertThat(cn.yinxin.core.pdf.verify.visual.PageInputsProbe.same(signed, now, 2)).isTrue();
        }
        assertThat(comparison.compare(changed, three.length, List.of()).differences()).singleElement()
                .satisfies(d -> assertThat(d.page()).isEqualTo(2));
    }

    @Test
    void theCallersDocumentIsOnlyReadNeverDrawn() throws Exception {
        // a comment without appearance: drawing it makes PDFBox add one, which the change analysis would see
        byte[] commented;
        try (PDDocument document = Loader.loadPDF(sealed)) {
            var note = new org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationFreeText();
            note.setRectangle(new PDRectangle(60, 690, 200, 30));
            note.setContents("Amount: 900");
            note.setDefaultAppearance("/Helv 12 Tf 0 g");
            document.getPage(0).getAnnotations().add(note);
            document.getPage(0).getCOSObject().setNeedToBeUpdated(true);
            commented = saveIncremental(document);
        }
        try (PDDocument current = Loader.loadPDF(commented)) {
            assertThat(comparison.compare(commented, sealedEnd, current, List.of()).differences()).isNotEmpty();
            assertThat(current.getPage(0).getAnnotations()).last()
                    .satisfies(note -> assertThat(note.getCOSObject().containsKey(COSName.AP)).isFalse());
        }
    }

    @Test
    void anAnnotationShownOnlyOnPaperIsSeen() throws Exception {
        byte[] attacked = paintOver(sealed, 0, PAINTED, false, 4 | 32); // Print | NoView: not on screen, on paper

        assertThat(comparison.compare(attacked, sealedEnd, List.of()).differences()).singleElement()
                .satisfies(d -> assertContains(d, PAINTED));
    }

    @Test
    void thePicturesShowThePageAsSignedAndNowWithTheChangeMarked() throws Exception {
        byte[] attacked = paintOver(sealed, 0, PAINTED, false);
        VisualComparison.Result result = comparison.compare(attacked, sealedEnd, List.of());

        List<VisualComparison.PicturePair> pictures = comparison.pictures(attacked, sealedEnd, result.differences());
        assertThat(pictures).singleElement().satisfies(pair -> {
            assertThat(pair.page()).isEqualTo(1);
            BufferedImage signed = ImageIO.read(new ByteArrayInputStream(pair.signedPng()));
            BufferedImage now = ImageIO.read(new ByteArrayInputStream(pair.nowPng()));
            assertThat(signed.getWidth()).isEqualTo(now.getWidth()).isLessThanOrEqualTo(800);
            // the painted yellow box is in today's page, not in the signed one; both carry the red outline
            int x = (int) (200 * 60 / 72f);
            int y = (int) ((842 - 710) * 60 / 72f);
            assertThat(now.getRGB(x, y) & 0xffffff).isEqualTo(0xffff99);
            assertThat(signed.getRGB(x, y) & 0xffffff).isNotEqualTo(0xffff99);
            assertThat(redPixels(now)).isGreaterThan(100);
            assertThat(redPixels(signed)).isGreaterThan(100);
        });
        assertThat(pictures.getFirst().nowPng().length + pictures.getFirst().signedPng().length)
                .isLessThan(200_000);
    }

    @Test
    void theJsonAndTheSealedReportShowThePageAsSignedBesideThePageNow() throws Exception {
        VerificationReport report = verifier.verify(paintOver(sealed, 0, PAINTED, false));

        @SuppressWarnings("unchecked")
        var changes = (List<java.util.Map<String, Object>>) ((List<java.util.Map<String, Object>>)
                ReportMaps.toMap(report).get("signatures")).getFirst().get("changesAfterSigning");
        assertThat(changes).filteredOn(c -> "VISIBLE_CHANGE".equals(c.get("kind"))).singleElement().satisfies(c -> {
            var pictures = (java.util.Map<?, ?>) c.get("pictures");
            assertThat((String) pictures.get("signed")).startsWith("data:image/png;base64,");
            assertThat((String) pictures.get("now")).startsWith("data:image/png;base64,");
        });

        byte[] pdf = ReportDocument.render(report, "approval.pdf", "00", ReportDocument.defaultFont());
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(document))
                    .contains("As signed (p. 1)", "Now (p. 1)", "visible change on page 1");
            int images = 0;
            for (PDPage page : document.getPages()) {
                for (COSName name : page.getResources().getXObjectNames()) {
                    if (page.getResources().getXObject(name)
                            instanceof org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject) {
                        images++;
                    }
                }
            }
            assertThat(images).isEqualTo(2);
        }
        // kept for a look: target/sample-visual-change-report.pdf
        java.nio.file.Files.write(java.nio.file.Path.of("target", "sample-visual-change-report.pdf"), pdf);
    }

    @Test
    void aProofLeftUnfinishedLeavesTheSignatureUnconfirmed() throws Exception {
        byte[] three = new PdfSealer().seal(pages(3), material.request(1, 100, 100));
        byte[] retitled;
        try (PDDocument document = Loader.loadPDF(three)) {
            // an allowed change (the title readers show is not one since the tenth red team)
            document.getDocumentInformation().setAuthor("Renamed after sealing");
            document.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
            document.getDocument().getTrailer().setNeedToBeUpdated(true);
            retitled = saveIncremental(document);
        }
        assertThat(verifier.verify(retitled).verdict()).isEqualTo(Verdict.VALID);

        PdfVerifier bounded = new PdfVerifier(List.of(material.root))
                .withVisualProof(VisualComparison.Settings.DEFAULT.withMaxPages(1));
        VerificationReport report = bounded.verify(retitled);
        assertThat(report.verdict()).isEqualTo(Verdict.INDETERMINATE);
        assertThat(report.signatures().getFirst().reasons()).last().asString()
                .contains("only the first 1 pages were compared");
        // off (benchmarks only): no proof, no doubt
        assertThat(new PdfVerifier(List.of(material.root)).withVisualProof(null).verify(retitled).verdict())
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void picturesTooLargeForTheReportAreLeftOutNotTheChange() throws Exception {
        // a page of noise: its PNG hardly compresses
        byte[] noisy;
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            BufferedImage noise = new BufferedImage(700, 1000, BufferedImage.TYPE_INT_RGB);
            java.util.SplittableRandom random = new java.util.SplittableRandom(17);
            for (int y = 0; y < noise.getHeight(); y++) {
                for (int x = 0; x < noise.getWidth(); x++) {
                    noise.setRGB(x, y, random.nextInt(0x1000000));
                }
            }
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.drawImage(org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(document,
                        noise), 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
            }
            noisy = TestMaterial.save(document);
        }
        byte[] sealedNoise = new PdfSealer().seal(noisy, material.request(1, 100, 100));

        SignatureReport signature = verifier.verify(paintOver(sealedNoise, 0, PAINTED, false)).signatures().getFirst();
        assertThat(signature.indication()).isEqualTo(Indication.TOTAL_FAILED);
        assertThat(signature.changesAfterSigning()).filteredOn(c -> c.kind().equals("VISIBLE_CHANGE"))
                .singleElement().satisfies(c -> {
                    assertThat(c.description()).startsWith("visible change on page 1");
                    assertThat(c.pictures()).isNull();
                });
    }

    @Test
    void aComparisonOutOfTimeIsIncompleteNeverSame() throws Exception {
        byte[] attacked = paintOver(sealed, 0, PAINTED, false);
        // every reading of the clock is a minute later: the budget is gone before the first page
        Clock ticking = new Clock() {
            private Instant now = Instant.parse("2026-01-01T00:00:00Z");

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now = now.plus(Duration.ofMinutes(1));
                return now;
            }
        };
        VisualComparison.Result result = new VisualComparison(VisualComparison.Settings.DEFAULT
                .withBudget(Duration.ofSeconds(30)), ticking).compare(attacked, sealedEnd, List.of());
        assertThat(result.same()).isFalse();
        assertThat(result.incomplete()).contains("ran out of time");
    }

    @Test
    void aHugePageIsDrawnWithinThePixelBound() throws Exception {
        byte[] huge;
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(14_400, 14_400));
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                PdfCrafting.text(content, new PDType1Font(Standard14Fonts.FontName.HELVETICA), 72, 700, "Approval result");
            }
            huge = TestMaterial.save(document);
        }
        byte[] sealedHuge = PdfCrafting.signLeniently(huge, material.sealKey);
        PDRectangle box = new PDRectangle(5_000, 5_000, 3_000, 2_000);
        byte[] attacked = paintOver(sealedHuge, 0, box, false);

        long before = usedHeap();
        VisualComparison.Result result = new VisualComparison(VisualComparison.Settings.DEFAULT.withDpi(72), Clock.systemUTC())
                .compare(attacked, sealedHuge.length, List.of());
        assertThat(result.differences()).singleElement().satisfies(d -> assertContains(d, box));
        // 14,400 pt at 72 dpi would be 207 million pixels per picture; the bound keeps it at 2 million
        assertThat(usedHeap() - before).isLessThan(200L * 1024 * 1024);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void assertContains(VisualDifference d, PDRectangle box) {
        float slack = 2;
        assertThat(d.x()).as("left of " + d).isLessThanOrEqualTo(box.getLowerLeftX() + slack);
        assertThat(d.y()).as("bottom of " + d).isLessThanOrEqualTo(box.getLowerLeftY() + slack);
        assertThat(d.x() + d.w()).as("right of " + d).isGreaterThanOrEqualTo(box.getUpperRightX() - slack);
        assertThat(d.y() + d.h()).as("top of " + d).isGreaterThanOrEqualTo(box.getUpperRightY() - slack);
        // and not much more than the box (one cell of grouping, in points, on each side)
        float cell = Math.max(box.getWidth(), box.getHeight()) / 10 + 16;
        assertThat(d.w()).as("width of " + d).isLessThanOrEqualTo(box.getWidth() + 2 * cell);
        assertThat(d.h()).as("height of " + d).isLessThanOrEqualTo(box.getHeight() + 2 * cell);
    }

    private void assertShows(byte[] attacked, long signedEnd, PDRectangle where) {
        VisualComparison.Result result = comparison.compare(attacked, signedEnd, List.of());
        assertThat(result.incomplete()).isNull();
        assertThat(result.differences()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.page()).isEqualTo(1);
            assertInside(d, where);
        });
    }

    private static byte[] pages(int count) throws Exception {
        try (PDDocument document = new PDDocument()) {
            for (int p = 1; p <= count; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    PdfCrafting.text(content, new PDType1Font(Standard14Fonts.FontName.HELVETICA), 72, 700,
                            "Approval result, page " + p);
                }
            }
            return TestMaterial.save(document);
        }
    }

    /** The form of PdfCrafting.formPdf with its field "amount" empty. */
    private static byte[] emptyForm() throws Exception {
        try (PDDocument document = Loader.loadPDF(PdfCrafting.formPdf(false))) {
            document.getDocumentCatalog().getAcroForm(null).getField("amount").setValue("");
            return TestMaterial.save(document);
        }
    }

    private static void assertInside(VisualDifference d, PDRectangle box) {
        float slack = 12; // one cell of grouping at 50 dpi, in points
        assertThat(d.x()).as("left of " + d).isGreaterThanOrEqualTo(box.getLowerLeftX() - slack);
        assertThat(d.y()).as("bottom of " + d).isGreaterThanOrEqualTo(box.getLowerLeftY() - slack);
        assertThat(d.x() + d.w()).as("right of " + d).isLessThanOrEqualTo(box.getUpperRightX() + slack);
        assertThat(d.y() + d.h()).as("top of " + d).isLessThanOrEqualTo(box.getUpperRightY() + slack);
    }

    private static int redPixels(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) > 180 && ((rgb >> 8) & 0xff) < 60 && (rgb & 0xff) < 60) {
                    n++;
                }
            }
        }
        return n;
    }

    private static byte[] paintOver(byte[] pdf, int pageIndex, PDRectangle box, boolean asTimeStamp) throws Exception {
        return paintOver(pdf, pageIndex, box, asTimeStamp, 4);
    }

    /**
     * An incremental update adding a widget to the page whose appearance paints a light yellow box saying
     * "APPROVED 1,000,000" over {@code box}; as a time-stamp it also claims {@code /FT /Sig} with a document
     * time-stamp value (the ghost widget of issue 17), outside the form's field list.
     */
    private static byte[] paintOver(byte[] pdf, int pageIndex, PDRectangle box, boolean asTimeStamp, int flags)
            throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDPage page = document.getPage(pageIndex);
            PDAnnotationWidget widget = new PDAnnotationWidget();
            widget.setRectangle(box);
            widget.setPage(page);
            widget.setAnnotationFlags(flags);
            PDAppearanceStream appearance = new PDAppearanceStream(document);
            appearance.setBBox(new PDRectangle(box.getWidth(), box.getHeight()));
            PDResources resources = new PDResources();
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            resources.put(COSName.getPDFName("F1"), font);
            appearance.setResources(resources);
            try (PDPageContentStream content = new PDPageContentStream(document, appearance)) {
                content.setNonStrokingColor(1f, 1f, 0.6f);
                content.addRect(0, 0, box.getWidth(), box.getHeight());
                content.fill();
                content.setNonStrokingColor(0f, 0f, 0f);
                content.beginText();
                content.setFont(font, Math.min(20, box.getHeight() / 2));
                content.newLineAtOffset(8, box.getHeight() / 3);
                content.showText("APPROVED 1,000,000");
                content.endText();
            }
            PDAppearanceDictionary dictionary = new PDAppearanceDictionary();
            dictionary.setNormalAppearance(appearance);
            widget.setAppearance(dictionary);
            if (asTimeStamp) {
                widget.getCOSObject().setItem(COSName.FT, COSName.SIG);
                widget.getCOSObject().setString(COSName.T, "Timestamp");
                COSDictionary value = new COSDictionary();
                value.setItem(COSName.TYPE, COSName.DOC_TIME_STAMP);
                widget.getCOSObject().setItem(COSName.V, value);
            }
            COSArray annotations = page.getCOSObject().getCOSArray(COSName.ANNOTS);
            if (annotations == null) {
                annotations = new COSArray();
                page.getCOSObject().setItem(COSName.ANNOTS, annotations);
            }
            annotations.add(widget);
            annotations.setNeedToBeUpdated(true);
            page.getCOSObject().setNeedToBeUpdated(true);
            return saveIncremental(document);
        }
    }

    private static byte[] saveIncremental(PDDocument document) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.saveIncremental(out);
        return out.toByteArray();
    }
}
