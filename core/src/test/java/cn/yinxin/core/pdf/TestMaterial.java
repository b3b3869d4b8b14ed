package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.sign.SealAppearance;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.sign.SealRequest;

import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.keys.SealKey;
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
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Keys, images and PDFs made fresh for each test run. */
public final class TestMaterial {

    public final X509Certificate root;
    public final SealKey sealKey;
    /** The issuing CA and its key, for tests that need another kind of certificate under the same root. */
    public final X509Certificate ca;
    public final java.security.PrivateKey caKey;

    public TestMaterial() throws Exception {
        this(Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(365));
    }

    public TestMaterial(Instant notBefore, Duration sealValidity) throws Exception {
        KeyPair rootKeys = CertificateMaker.newEcKeyPair();
        root = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Test Root"), rootKeys,
                notBefore.minus(Duration.ofDays(10)), Duration.ofDays(3650));
        KeyPair caKeys = CertificateMaker.newEcKeyPair();
        X509Certificate ca = CertificateMaker.issue(CertificateMaker.caSubject("Test Seal CA"), caKeys.getPublic(),
                Profile.ISSUING_CA, root, rootKeys.getPrivate(), notBefore.minus(Duration.ofDays(5)), Duration.ofDays(1000));
        KeyPair sealKeys = CertificateMaker.newEcKeyPair();
        X509Certificate seal = CertificateMaker.issue(
                CertificateMaker.sealSubject("测试专用章", "测试局", "91350100M000100Y43"), sealKeys.getPublic(),
                Profile.AGENCY_SEAL, ca, caKeys.getPrivate(), notBefore, sealValidity);
        sealKey = new SealKey(sealKeys.getPrivate(), List.of(seal, ca, root));
        this.ca = ca;
        this.caKey = caKeys.getPrivate();
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
