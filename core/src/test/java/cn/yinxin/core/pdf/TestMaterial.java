package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;

import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * Keys, images and PDFs made fresh for each test run. The keys and certificates come from the test PKI (module
 * test-pki), not from core's CertificateMaker, so what core verifies was not made by core.
 */
public final class TestMaterial {

    /** The seal identity's name: its certificate's CN, what reports show. */
    public static final String SEAL_NAME = "测试专用章";

    /** Another agency's seal under the same CA: any other holder of a certificate the verifier trusts. */
    public static final String OTHER_SEAL_NAME = "另一专用章";
    /** A person with a signing certificate under the same CA (which stands in for a personal CA). */
    public static final String PERSON = "张三";

    public final X509Certificate root;
    public final SealKey sealKey;
    /** {@link #OTHER_SEAL_NAME}'s key, of 另一局. */
    public final SealKey otherSealKey;
    /** {@link #PERSON}'s key; the certificate names the resident ID {@link TestPki#RESIDENT_ID}. */
    public final SealKey personalKey;
    /** The issuing CA and its key, for tests that need another kind of certificate under the same root. */
    public final X509Certificate ca;
    public final java.security.PrivateKey caKey;
    /** The PKI all of it comes from, for a test that wants its CRL or OCSP answers. */
    public final TestPki pki;

    public TestMaterial() throws Exception {
        this(Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(365));
    }

    /**
     * A seal certificate valid from {@code notBefore} for {@code sealValidity}, naming no revocation services, so an
     * offline verifier can confirm it; the CA starts 5 days, the root 10 days before.
     */
    public TestMaterial(Instant notBefore, Duration sealValidity) throws Exception {
        pki = TestPki.builder().root("Test Root").issuingCa("Test Seal CA").revocationPointers(false)
                .notBefore(notBefore).validity(sealValidity).identity(SEAL_NAME, Status.GOOD)
                .seal(OTHER_SEAL_NAME, "另一局", "91350100M000200Y43", Status.GOOD)
                .identity(PERSON, Profile.PERSONAL, Status.GOOD).build();
        sealKey = key(pki.identity(SEAL_NAME));
        otherSealKey = key(pki.identity(OTHER_SEAL_NAME));
        personalKey = key(pki.identity(PERSON));
        root = pki.root().certificate();
        ca = pki.issuingCa().certificate();
        caKey = pki.issuingCa().privateKey();
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
    }

    /** The test seal's agency (its certificate's organizationIdentifier). */
    static final String AGENCY_CODE = "91350100M000100Y43";

    /** A licence identifier issued by the test seal's agency (GB/T 36904), of a type it defines. */
    public static String licence(String serial) {
        return new cn.yinxin.core.licence.LicenceIdentifier(AGENCY_CODE + "001", AGENCY_CODE, serial, 1).toString();
    }

    public SealRequest request(int page, double xMm, double yMm) throws IOException {
        return new SealRequest(sealKey, new SealAppearance(redSquarePng(), 40, 40), new SealPlacement(page, xMm, yMm),
                "测试专用章", "approval", Instant.now());
    }

    public static byte[] redSquarePng() throws IOException {
        BufferedImage image = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(220, 0, 0, 255));
        g.fillRect(0, 0, 100, 100);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    public static byte[] onePagePdf(int rotation) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            page.setRotation(rotation);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(72, 700);
                content.showText("Approval result");
                content.endText();
            }
            return save(document);
        }
    }

    public static byte[] encryptedPdf() throws IOException {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage(PDRectangle.A4));
            document.protect(new StandardProtectionPolicy("owner", "user", new AccessPermission()));
            return save(document);
        }
    }

    public static byte[] save(PDDocument document) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.save(out);
        return out.toByteArray();
    }
}
