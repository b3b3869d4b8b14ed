package cn.yinxin.core.ofd;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the writer makes, the reader finds again by following the XML's paths. */
class OfdWriteReadTest {

    @Test
    void aWrittenLicenceReadsBackWithItsPagesResourcesAndMetadata() throws Exception {
        byte[] ofd = OfdMaterial.licenceOfd();

        OfdDocument read = new OfdReader().read(ofd);

        assertThat(read.documentXml()).isEqualTo("Doc_0/Document.xml");
        assertThat(read.pages()).hasSize(2);
        assertThat(read.pages().get(0).widthMm()).isEqualTo(210);
        assertThat(read.pages().get(0).heightMm()).isEqualTo(297);
        assertThat(read.pages().get(1).content()).isEqualTo("Doc_0/Pages/Page_1/Content.xml");
        assertThat(read.licence()).isEqualTo(OfdMaterial.metadata());
        assertThat(read.customData()).containsEntry("CertificateExpiringDate", "长期")
                .containsEntry("CertificateHolderTypeCode", "001");
        assertThat(read.signaturesXml()).isNull();
        assertThat(read.signatures()).isEmpty();
        // every entry of the package is reached from OFD.xml: nothing dangling, nothing unreachable
        assertThat(read.parts()).containsExactlyInAnyOrderElementsOf(read.pack().names());
        assertThat(read.parts()).anyMatch(p -> p.endsWith(".png")).anyMatch(p -> p.endsWith(".ttf"));
    }

    @Test
    void theCjkFontIsEmbeddedAsASubsetThatStillMapsTheCharactersUsed() throws Exception {
        OfdDocument read = new OfdReader().read(OfdMaterial.licenceOfd());
        String cjk = read.parts().stream().filter(p -> p.endsWith(".ttf"))
                .filter(p -> hasGlyph(read.pack().get(p), '证')).findFirst().orElseThrow();
        byte[] subset = read.pack().get(cjk);
        assertThat(subset.length).as("a subset, not the 4 MB font").isLessThan(200_000);
        TrueTypeFont font = new TTFParser().parse(new RandomAccessReadBuffer(subset));
        assertThat(font.getUnicodeCmapLookup().getGlyphId('许')).isPositive();
        assertThat(font.getUnicodeCmapLookup().getGlyphId('龙')).as("a character not used is left out").isZero();
    }

    @Test
    void theXmlIsOfdNamespacedAndTheTextIsPlacedGlyphByGlyph() throws Exception {
        OfdDocument read = new OfdReader().read(OfdMaterial.licenceOfd());
        String page = new String(read.pack().get(read.pages().get(0).content()), StandardCharsets.UTF_8);
        assertThat(page).contains("xmlns:ofd=\"http://www.ofdspec.org/2016\"").contains("<ofd:TextCode")
                .contains("DeltaX=").contains("<ofd:PathObject").contains("<ofd:ImageObject");
        OfdTextFinder.Found found = OfdTextFinder.find(read, read.pages().get(0), "（盖章）", OfdLimits.DEFAULT);
        assertThat(found).isNotNull();
        // "发证机关（盖章）" starts at x 120 with 5 mm glyphs: the anchor spans 140..160 mm, centred at 150
        assertThat(found.xMm()).isCloseTo(150, org.assertj.core.data.Offset.offset(0.5));
        assertThat(OfdTextFinder.find(read, read.pages().get(1), "（盖章）", OfdLimits.DEFAULT)).isNull();
    }

    @Test
    void theQrCodePathDecodesToItsText() throws Exception {
        String text = "https://yinxin.example/v/1.2.156.3005.2";
        OfdDocument read = new OfdReader().read(OfdMaterial.licenceOfd());
        org.w3c.dom.Element page = OfdXml.parse(read.pack().get(read.pages().get(0).content()), "page",
                OfdLimits.DEFAULT).getDocumentElement();
        // the QR code is the filled path of 30 x 30 mm at (150, 230)
        org.w3c.dom.Element qr = OfdXml.descendants(page, "PathObject").stream()
                .filter(p -> p.getAttribute("Boundary").equals("150 230 30 30")).findFirst().orElseThrow();
        cn.yinxin.core.qr.QrSymbol symbol = cn.yinxin.core.qr.QrSymbol.encode(text);
        double module = 30.0 / symbol.size();
        com.google.zxing.common.BitMatrix bits = new com.google.zxing.common.BitMatrix(symbol.size());
        // each run of dark modules is "M l t L r t L r b L l b C": set the modules it covers
        String[] tokens = OfdXml.text(qr, "AbbreviatedData").split("\\s+");
        for (int i = 0; i < tokens.length; i += 13) {
            int left = (int) Math.round(Double.parseDouble(tokens[i + 1]) / module);
            int top = (int) Math.round(Double.parseDouble(tokens[i + 2]) / module);
            int right = (int) Math.round(Double.parseDouble(tokens[i + 4]) / module);
            for (int x = left; x < right; x++) {
                bits.set(x, top);
            }
        }
        var result = new com.google.zxing.qrcode.QRCodeReader().decode(new com.google.zxing.BinaryBitmap(
                new com.google.zxing.common.HybridBinarizer(new com.google.zxing.client.j2se.BufferedImageLuminanceSource(
                        image(bits, 8)))));
        assertThat(result.getText()).isEqualTo(text);
    }

    private static java.awt.image.BufferedImage image(com.google.zxing.common.BitMatrix bits, int scale) {
        int side = bits.getWidth() * scale;
        var image = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, bits.get(x / scale, y / scale) ? 0x000000 : 0xffffff);
            }
        }
        return image;
    }

    @Test
    void licenceMetadataIsReadUnderPinyinInitialsToo() {
        LicenceMetadata read = LicenceMetadata.fromCustomData(Map.of("ZZMC", "营业执照", "ZZBS", "1.2.156.3005.2.x",
                "CZZTDMLX", "111", "YXQJZRQ", "20301231", "BFRQ", "2026-12-01"));
        assertThat(read.name()).isEqualTo("营业执照");
        assertThat(read.identifier()).isEqualTo("1.2.156.3005.2.x");
        assertThat(read.holderCodeType()).isEqualTo("111");
        assertThat(read.validUntil()).isEqualTo(java.time.LocalDate.of(2030, 12, 31));
        assertThat(read.issueDate()).isEqualTo(java.time.LocalDate.of(2026, 12, 1));
        assertThat(LicenceMetadata.fromCustomData(Map.of("Other", "x"))).isNull();
    }

    private static boolean hasGlyph(byte[] ttf, int c) {
        try {
            return new TTFParser().parse(new RandomAccessReadBuffer(ttf)).getUnicodeCmapLookup().getGlyphId(c) > 0;
        } catch (Exception e) {
            return false;
        }
    }
}
