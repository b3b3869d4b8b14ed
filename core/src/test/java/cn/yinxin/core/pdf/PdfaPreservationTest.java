package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;
import cn.yinxin.core.pdf.verify.report.Verdict;

import cn.yinxin.core.qr.QrStamp;
import cn.yinxin.core.qr.QrSymbol;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.verapdf.pdfa.flavours.PDFAFlavour;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue item: "A PDF/A input keeps its PDF/A identification, and its fonts stay embedded (tested with a PDF/A
 * sample)." A PDF/A-2b sample made here (embedded Liberation Sans, XMP with pdfaid part 2 / conformance B, an sRGB
 * OutputIntent) is sealed by {@link PdfSealer}; PDFBox-level checks and veraPDF judge the result.
 */
class PdfaPreservationTest {

    private static TestMaterial material;
    private static byte[] sample;

    @BeforeAll
    static void make() throws Exception {
        material = new TestMaterial();
        sample = pdfa2bSample();
    }

    @Test
    void theSampleIsPdfA2b() throws Exception {
        assertThat(VeraPdf.failures(sample, PDFAFlavour.PDFA_2_B)).isEmpty();
        try (PDDocument document = Loader.loadPDF(sample)) {
            assertThat(pdfaId(document)).containsExactly("2", "B");
            assertThat(unembeddedFonts(document)).isEmpty();
            assertThat(fonts(document)).isNotEmpty();
        }
    }

    /** The judge is not blind: an ordinary PDF (Helvetica not embedded, no XMP, no output intent) fails. */
    @Test
    void veraPdfRefusesAnOrdinaryPdfAsPdfA2b() throws Exception {
        List<String> failures = VeraPdf.failures(TestMaterial.onePagePdf(0), PDFAFlavour.PDFA_2_B);

        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith("6.2.11.4.1")); // font not embedded
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith("6.6.2.1")); // no XMP metadata
    }

    @Test
    void aSealedPdfAKeepsItsIdentificationOutputIntentAndEmbeddedFonts() throws Exception {
        byte[] sealed = new PdfSealer().seal(sample, material.request(1, 150, 240));

        assertThat(Arrays.copyOf(sealed, sample.length)).isEqualTo(sample); // incremental: the PDF/A is untouched
        try (PDDocument before = Loader.loadPDF(sample); PDDocument after = Loader.loadPDF(sealed)) {
            assertThat(pdfaId(after)).containsExactly("2", "B");
            assertThat(outputIntentProfiles(after)).hasSize(1);
            assertThat(outputIntentProfiles(after).get(0)).isEqualTo(outputIntentProfiles(before).get(0));
            assertThat(outputIntent(after).getOutputConditionIdentifier()).isEqualTo("sRGB IEC61966-2.1");
            assertThat(fonts(after)).containsAll(fonts(before));
            assertThat(unembeddedFonts(after)).isEmpty();
            assertThat(after.getVersion()).isEqualTo(before.getVersion());
        }
        assertThat(new PdfVerifier(List.of(material.root)).verify(sealed).verdict()).isEqualTo(Verdict.VALID);
        assertThat(VeraPdf.failures(sealed, PDFAFlavour.PDFA_2_B)).isEmpty();
    }

    @Test
    void twoSealsKeepItPdfA() throws Exception {
        byte[] once = new PdfSealer().seal(sample, material.request(1, 60, 240));
        byte[] twice = new PdfSealer().seal(once, material.request(1, 150, 240));

        assertThat(VeraPdf.failures(twice, PDFAFlavour.PDFA_2_B)).isEmpty();
        assertThat(new PdfVerifier(List.of(material.root)).verify(twice).verdict()).isEqualTo(Verdict.VALID);
    }

    /** The QR stamp (core/qr) added in an incremental update keeps the document PDF/A too: its caption font is embedded. */
    @Test
    void aQrStampKeepsItPdfA() throws Exception {
        byte[] stamped;
        try (PDDocument document = Loader.loadPDF(sample)) {
            PDPage page = document.getPage(0);
            QrSymbol symbol = QrSymbol.encode("YX1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEXWK G2EP4J0B");
            QrStamp.addTo(document, page, symbol, QrStamp.naturalRectangle(symbol, "3f2b8a4e-9c1d-4e7f", 420, 40),
                    "3f2b8a4e-9c1d-4e7f");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.saveIncremental(out);
            stamped = out.toByteArray();
        }
        try (PDDocument document = Loader.loadPDF(stamped)) {
            assertThat(unembeddedFonts(document)).isEmpty();
        }
        assertThat(VeraPdf.failures(stamped, PDFAFlavour.PDFA_2_B)).isEmpty();
        byte[] sealed = new PdfSealer().seal(stamped, material.request(1, 150, 240));
        assertThat(VeraPdf.failures(sealed, PDFAFlavour.PDFA_2_B)).isEmpty();
    }

    /**
     * PDF/A-1 forbids soft masks, which carry a seal PNG's transparency: the sealer then masks the seal with a
     * 1-bit stencil instead. veraPDF judges PDF/A-1b; poppler's rendering shows the seal round, not square.
     */
    @Test
    void aSealedPdfA1bStaysPdfA1bAndItsRoundSealStaysRound(@TempDir Path folder) throws Exception {
        byte[] sample1 = pdfaSample(1);
        assertThat(VeraPdf.failures(sample1, PDFAFlavour.PDFA_1_B)).isEmpty();

        SealRequest request = new SealRequest(material.sealKey, new SealAppearance(redDiscPng(), 40, 40),
                new SealPlacement(1, 150, 240), "测试专用章", "approval", java.time.Instant.now());
        byte[] sealed = new PdfSealer().seal(sample1, request);

        assertThat(VeraPdf.failures(sealed, PDFAFlavour.PDFA_1_B)).isEmpty();
        try (PDDocument document = Loader.loadPDF(sealed)) {
            assertThat(pdfaId(document)).containsExactly("1", "B");
            assertThat(document.getVersion()).isEqualTo(1.4f); // not raised
            assertThat(unembeddedFonts(document)).isEmpty();
        }
        assertThat(new String(sealed, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.4");
        assertThat(new PdfVerifier(List.of(material.root)).verify(sealed).verdict()).isEqualTo(Verdict.VALID);

        Path file = folder.resolve("sealed.pdf");
        Files.write(file, sealed);
        Process pdftoppm = new ProcessBuilder("pdftoppm", "-r", "72", "-png", "-singlefile", file.toString(),
                folder.resolve("sealed").toString()).redirectErrorStream(true).start();
        pdftoppm.getInputStream().readAllBytes();
        assertThat(pdftoppm.waitFor()).isZero();
        BufferedImage page = ImageIO.read(folder.resolve("sealed.png").toFile());
        double px = 72 / 25.4;
        assertThat(page.getRGB((int) (150 * px), (int) (240 * px)) & 0xffffff).as("the seal's centre").isEqualTo(0xdc0000);
        // 17 mm left and up of the centre: inside the 40 mm box, outside the 20 mm radius disc
        assertThat(page.getRGB((int) (133 * px), (int) (223 * px)) & 0xffffff).as("the box's corner").isEqualTo(0xffffff);
    }

    /**
     * The seal PNG is DeviceRGB, which PDF/A allows only with an RGB output intent: with a CMYK intent the seal's
     * appearance declares DefaultRGB = sRGB. The only CMYK profile at hand (PDFBox's tiny CGATS one) is no output
     * profile, so the sample itself breaks rule 6.2.3-1; sealing must add no failure to it.
     */
    @Test
    void sealingAPdfAWithACmykOutputIntentAddsNoFailure() throws Exception {
        byte[] cmyk;
        try (PDDocument document = Loader.loadPDF(sample);
             InputStream profile = PDDocument.class.getResourceAsStream("/org/apache/pdfbox/resources/icc/CGATS001Compat-v2-micro.icc")) {
            PDOutputIntent intent = new PDOutputIntent(document, profile);
            intent.setOutputConditionIdentifier("CGATS TR 001");
            intent.setRegistryName("http://www.color.org");
            document.getDocumentCatalog().getCOSObject().removeItem(COSName.OUTPUT_INTENTS);
            document.getDocumentCatalog().addOutputIntent(intent);
            cmyk = TestMaterial.save(document);
        }
        List<String> before = VeraPdf.failures(cmyk, PDFAFlavour.PDFA_2_B);
        assertThat(before).allSatisfy(f -> assertThat(f).startsWith("6.2.3-1"));

        byte[] sealed = new PdfSealer().seal(cmyk, material.request(1, 150, 240));
        assertThat(VeraPdf.failures(sealed, PDFAFlavour.PDFA_2_B)).isEqualTo(before);
    }

    static byte[] redDiscPng() throws Exception {
        BufferedImage image = new BufferedImage(200, 200, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(220, 0, 0));
        g.fillOval(0, 0, 200, 200);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A one-page PDF/A-2b: embedded TrueType font, XMP identification, sRGB output intent. */
    static byte[] pdfa2bSample() throws Exception {
        return pdfaSample(2);
    }

    /** A one-page PDF/A-{@code part}b (part 1: PDF 1.4, part 2: PDF 1.7). */
    static byte[] pdfaSample(int part) throws Exception {
        try (PDDocument document = new PDDocument()) {
            document.setVersion(part == 1 ? 1.4f : 1.7f);
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDFont font;
            try (InputStream in = PDDocument.class.getResourceAsStream("/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf")) {
                font = PDType0Font.load(document, in, true);
            }
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(font, 12);
                content.newLineAtOffset(72, 760);
                content.showText("Approval result: granted (PDF/A-2b sample)");
                content.endText();
            }

            Calendar now = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            now.set(Calendar.MILLISECOND, 0);
            String date = String.format("%tFT%<tT+00:00", now);
            // no Info entries: XMP alone, so the two cannot disagree (PDF/A-2 6.6.3)
            String xmp = """
                    <?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
                    <x:xmpmeta xmlns:x="adobe:ns:meta/">
                      <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
                        <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
                          <pdfaid:part>%d</pdfaid:part>
                          <pdfaid:conformance>B</pdfaid:conformance>
                        </rdf:Description>
                        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
                          <dc:title><rdf:Alt><rdf:li xml:lang="x-default">PDF/A-2b sample</rdf:li></rdf:Alt></dc:title>
                        </rdf:Description>
                        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
                          <xmp:CreateDate>%s</xmp:CreateDate>
                          <xmp:ModifyDate>%s</xmp:ModifyDate>
                        </rdf:Description>
                      </rdf:RDF>
                    </x:xmpmeta>
                    <?xpacket end="w"?>""".formatted(part, date, date);
            PDMetadata metadata = new PDMetadata(document);
            metadata.importXMPMetadata(xmp.getBytes(StandardCharsets.UTF_8));
            document.getDocumentCatalog().setMetadata(metadata);

            byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
            PDOutputIntent intent = new PDOutputIntent(document, new ByteArrayInputStream(srgb));
            intent.setInfo("sRGB IEC61966-2.1");
            intent.setOutputCondition("sRGB IEC61966-2.1");
            intent.setOutputConditionIdentifier("sRGB IEC61966-2.1");
            intent.setRegistryName("http://www.color.org");
            document.getDocumentCatalog().addOutputIntent(intent);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // PDF/A-1 is PDF 1.4: no object or cross-reference streams (PDFBox 3 would use them and write 1.6)
            document.save(out, part == 1 ? CompressParameters.NO_COMPRESSION : CompressParameters.DEFAULT_COMPRESSION);
            return out.toByteArray();
        }
    }

    /** pdfaid:part and pdfaid:conformance of the catalog's XMP (attribute or element form). */
    static List<String> pdfaId(PDDocument document) throws Exception {
        PDMetadata metadata = document.getDocumentCatalog().getMetadata();
        assertThat(metadata).as("XMP metadata").isNotNull();
        String xmp;
        try (InputStream in = metadata.exportXMPMetadata()) {
            xmp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return List.of(xmpValue(xmp, "part"), xmpValue(xmp, "conformance"));
    }

    private static String xmpValue(String xmp, String name) {
        Matcher m = Pattern.compile("pdfaid:" + name + "(?:>|=\")\\s*([^<\"\\s]+)").matcher(xmp);
        return m.find() ? m.group(1) : null;
    }

    private static PDOutputIntent outputIntent(PDDocument document) {
        return document.getDocumentCatalog().getOutputIntents().get(0);
    }

    private static List<byte[]> outputIntentProfiles(PDDocument document) throws Exception {
        List<byte[]> profiles = new ArrayList<>();
        for (PDOutputIntent intent : document.getDocumentCatalog().getOutputIntents()) {
            try (InputStream in = intent.getDestOutputIntent().createInputStream()) {
                profiles.add(in.readAllBytes());
            }
        }
        return profiles;
    }

    /** Every font used on every page, in page resources, form XObjects and annotation appearances: name. */
    static List<String> fonts(PDDocument document) throws Exception {
        List<String> names = new ArrayList<>();
        for (PDFont font : allFonts(document)) {
            names.add(font.getName());
        }
        return names;
    }

    /** Fonts whose descriptor has no FontFile, FontFile2 or FontFile3. */
    static List<String> unembeddedFonts(PDDocument document) throws Exception {
        List<String> missing = new ArrayList<>();
        for (PDFont font : allFonts(document)) {
            PDFontDescriptor descriptor = font instanceof PDType0Font type0
                    ? type0.getDescendantFont().getFontDescriptor() : font.getFontDescriptor();
            if (descriptor == null || descriptor.getFontFile() == null && descriptor.getFontFile2() == null
                    && descriptor.getFontFile3() == null) {
                missing.add(font.getName());
            }
        }
        return missing;
    }

    private static List<PDFont> allFonts(PDDocument document) throws Exception {
        List<PDFont> fonts = new ArrayList<>();
        for (PDPage page : document.getPages()) {
            collect(page.getResources(), fonts, 0);
            for (PDAnnotation annotation : page.getAnnotations()) {
                var appearance = annotation.getAppearance();
                if (appearance == null) {
                    continue;
                }
                var normal = appearance.getNormalAppearance();
                List<PDAppearanceStream> streams = new ArrayList<>();
                if (normal.isStream()) {
                    streams.add(normal.getAppearanceStream());
                } else {
                    streams.addAll(normal.getSubDictionary().values());
                }
                for (PDAppearanceStream stream : streams) {
                    collect(stream.getResources(), fonts, 0);
                }
            }
        }
        return fonts;
    }

    private static void collect(PDResources resources, List<PDFont> fonts, int depth) throws Exception {
        if (resources == null || depth > 8) {
            return;
        }
        for (COSName name : resources.getFontNames()) {
            fonts.add(resources.getFont(name));
        }
        for (COSName name : resources.getXObjectNames()) {
            PDXObject xobject = resources.getXObject(name);
            if (xobject instanceof PDFormXObject form) {
                collect(form.getResources(), fonts, depth + 1);
            }
        }
    }
}
