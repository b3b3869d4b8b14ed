package cn.yinxin.testing;

import cn.yinxin.core.ofd.LicenceMetadata;
import cn.yinxin.core.ofd.OfdWriter;
import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.KeyType;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * An all-SM2 PKI in memory (from test-pki's TestPki) for the tests of OFD verification outside core (the sample PKI
 * of keystores-sample has no SM2 seal): a root, an issuing CA, an agency seal key, a seal maker and the GB/T 38540
 * SESeal of that key, and an OFD sealed with it. The certificates name no OCSP responder or CRL, so an offline verifier can confirm them:
 * revocation is tested in core, this is for the routes and the outside judges. The CA is not the root, so a verifier
 * must learn it from its own configuration (an OFD seal carries only the signer's and the maker's certificates).
 */
public final class OfdTestPki {

    /** The seal's esID, as a seal service would publish it. */
    public static final String SEAL_ID = "ofd-test-seal";
    public static final String SEAL_NAME = "测试局OFD专用章";
    public static final String AGENCY = "测试局";
    public static final String AGENCY_CODE = "91350100M000100Y43";

    public final X509Certificate root;
    public final X509Certificate ca;
    public final SealKey sealKey;
    public final SealKey sealMaker;
    public final SESeal seal;
    public final byte[] sealImage;

    public OfdTestPki() {
        try {
            TestPki pki = TestPki.builder().keyType(KeyType.SM2).root("OFD Outside Test Root")
                    .issuingCa("OFD Outside Test Seal CA").revocationPointers(false)
                    .seal(SEAL_NAME, AGENCY, AGENCY_CODE, Status.GOOD)
                    .identity("OFD Outside Test Seal Maker", Profile.SEAL_MAKING, Status.GOOD).build();
            root = pki.root().certificate();
            ca = pki.issuingCa().certificate();
            sealKey = key(pki.identity(SEAL_NAME));
            sealMaker = key(pki.identity("OFD Outside Test Seal Maker"));
            sealImage = redSealPng();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            seal = new SealMaker(sealMaker, "TEST").make(new SealMaker.SealSpec(SEAL_ID,
                    SealMaker.TYPE_ORGANISATION, SEAL_NAME, sealImage, 40, 40, List.of(sealKey.certificate()),
                    now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300))), now);
        } catch (Exception e) {
            throw new IllegalStateException("the SM2 test PKI could not be made: " + e.getMessage(), e);
        }
    }

    /** The seal key's chain, leaf first: what a seal service publishes for the seal (the CA included). */
    public List<X509Certificate> sealChain() {
        return sealKey.chain();
    }

    /** Writes the root (only) as PEM into {@code folder}: a verifier's trust folder. */
    public Path writeTrust(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("ofd-test-root.pem"), Pem.encode(root));
        return folder;
    }

    /** A one-page A4 approval result with Chinese text and a line, not sealed. */
    public static byte[] unsealedOfd() {
        {
            OfdWriter writer = new OfdWriter().title("行政审批结果").created(LocalDate.of(2026, 12, 6));
            writer.page(210, 297)
                    .text(60, 40, 8, "行政审批结果通知书")
                    .text(20, 70, 4.5, "申请人：福州某某餐饮有限公司")
                    .text(20, 80, 4.5, "审批结果：准予许可 (approved)")
                    .path(20, 90, 170, 1, "M 0 0.5 L 170 0.5", 0.3, new int[] {0, 0, 0}, null)
                    .text(120, 200, 5, "审批机关（盖章）");
            return writer.write();
        }
    }

    /** {@link #unsealedOfd()} sealed on page 1 at (130 mm, 180 mm), no time-stamp. */
    public byte[] sealedOfd() {
        return seal(unsealedOfd(), new SealPlacement(1, 130, 180));
    }

    /** A licence OFD (GB/T 36903 metadata in OFD.xml's CustomData) naming {@code identifier}, sealed like the result. */
    public byte[] sealedLicenceOfd(String identifier) {
        OfdWriter writer = new OfdWriter().title("食品经营许可证").created(LocalDate.of(2026, 12, 6))
                .licence(new LicenceMetadata("食品经营许可证", "11100000000013127D001", "JY13501000000001",
                        identifier, AGENCY, AGENCY_CODE, LocalDate.of(2026, 12, 1), "福州某某餐饮有限公司",
                        "91350100M000100Y43", "001", LocalDate.of(2026, 12, 1), null));
        writer.page(210, 297).text(60, 40, 8, "食品经营许可证").text(20, 70, 4.5, "证照标识：" + identifier);
        return seal(writer.write(), new SealPlacement(1, 130, 180));
    }

    public byte[] seal(byte[] ofd, SealPlacement placement) {
        try {
            return new OfdSealer(null).seal(ofd, new OfdSealRequest(seal, sealKey, placement, Instant.now()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the test seal could not be applied: " + e.getMessage(), e);
        }
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
    }

    /** A red ring with a star-less centre: easy to find by its pixels in a rendering. */
    private static byte[] redSealPng() throws IOException {
        BufferedImage image = new BufferedImage(200, 200, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(220, 0, 0, 255));
        g.setStroke(new BasicStroke(14));
        g.drawOval(10, 10, 180, 180);
        g.fillOval(70, 70, 60, 60);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
