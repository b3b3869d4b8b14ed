package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.cms.TimeStamper;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import cn.yinxin.core.ses.SealStatusSource;
import cn.yinxin.testing.pki.Identity;
import cn.yinxin.testing.pki.KeyType;
import cn.yinxin.testing.pki.Profile;
import cn.yinxin.testing.pki.Status;
import cn.yinxin.testing.pki.TestPki;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An all-SM2 PKI in memory for the OFD tests, from the test PKI (module test-pki) as pdf's Sm2Material: root,
 * issuing CA with an OCSP signer, two agency seal keys, a seal maker and a TSA; GB/T 38540 seals for the seal keys;
 * and a sample licence OFD.
 */
final class OfdMaterial {

    private static final String SEAL = "测试专用章";
    private static final String SECOND_SEAL = "第二专用章";

    final X509Certificate root;
    final X509Certificate ca;
    final SealKey sealKey;
    final SealKey secondSealKey;
    final SealKey sealMaker;
    /** Another product's seal maker under the same root: no seal-making key purpose of ours. */
    final SealKey otherProductsMaker;
    final SESeal seal;
    final SESeal secondSeal;
    private final TimeStampAuthority tsa;
    private final TestPki pki;

    OfdMaterial() throws Exception {
        pki = TestPki.builder().keyType(KeyType.SM2).root("OFD Test Root").issuingCa("OFD Test Seal CA")
                .identity(SEAL, Status.GOOD).seal(SECOND_SEAL, "第二局", "11430000006122244L", Status.GOOD)
                .identity("OFD Test TSA", Profile.TIME_STAMPING, Status.GOOD)
                .identity("OFD Test Seal Maker", Profile.SEAL_MAKING, Status.GOOD)
                .identity("Other Product Seal Maker", Status.GOOD).build();
        root = pki.root().certificate();
        ca = pki.issuingCa().certificate();
        sealKey = key(pki.identity(SEAL));
        secondSealKey = key(pki.identity(SECOND_SEAL));
        sealMaker = key(pki.identity("OFD Test Seal Maker"));
        otherProductsMaker = key(pki.identity("Other Product Seal Maker"));
        AtomicLong serials = new AtomicLong();
        tsa = new TimeStampAuthority(key(pki.identity("OFD Test TSA")), new ASN1ObjectIdentifier("2.25.8"),
                () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
        seal = seal("ofd-seal-1", SEAL, sealKey);
        secondSeal = seal("ofd-seal-2", SECOND_SEAL, secondSealKey);
    }

    private static SealKey key(Identity identity) {
        return new SealKey(identity.privateKey(), identity.chain());
    }

    /** From now on OCSP says the first seal key's certificate was revoked (keyCompromise) an hour ago. */
    void revokeSealKey() {
        pki.revoke(SEAL, Instant.now().minus(Duration.ofHours(1)), 1);
    }

    /** The first seal key in good standing again. */
    void liftSealKey() {
        pki.lift(SEAL);
    }

    private SESeal seal(String esId, String name, SealKey signer) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SealMaker(sealMaker, "TEST").make(new SealMaker.SealSpec(esId, SealMaker.TYPE_ORGANISATION, name,
                redCirclePng(), 40, 40, List.of(signer.certificate()), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(300))), now);
    }

    /**
     * Red team 4: a GB/T 38540 seal made by whoever holds a trusted SM2 key ({@code maker}), as the seal maker, under
     * the first seal's esID, name and picture, for {@code signer}'s certificate: what the seal service never made.
     */
    SESeal sealMadeBy(SealKey maker, SealKey signer) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SealMaker(maker, "TEST").make(new SealMaker.SealSpec(seal.sealInfo().esId(),
                SealMaker.TYPE_ORGANISATION, seal.sealInfo().property().name(), redCirclePng(), 40, 40,
                List.of(signer.certificate()), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300))), now);
    }

    /** The second agency's own seal (its esID, name and key), made by {@code maker}. */
    SESeal secondSealMadeBy(SealKey maker) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SealMaker(maker, "OTHER").make(new SealMaker.SealSpec(secondSeal.sealInfo().esId(),
                SealMaker.TYPE_ORGANISATION, SECOND_SEAL, redCirclePng(), 40, 40, List.of(secondSealKey.certificate()),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300))), now);
    }

    /**
     * The verifier as a service would configure it, whose seal service made each seal for these certificates only
     * (what {@code GET /api/v1/seals/{id}/certificates} lists): the first seal for the first key, the second for the
     * second.
     */
    OfdVerifier verifierKnowingTheSeals() {
        Map<String, List<X509Certificate>> made = Map.of(seal.sealInfo().esId(), List.of(sealKey.certificate()),
                secondSeal.sealInfo().esId(), List.of(secondSealKey.certificate()));
        return new OfdVerifier(List.of(root), List.of(ca), revocation()).withSealStatus(new SealStatusSource() {
            @Override
            public String status(String esId) {
                return made.containsKey(esId) ? "ACTIVE" : null;
            }

            @Override
            public List<X509Certificate> certificates(String esId) {
                return made.get(esId);
            }
        });
    }

    /** A request for the first seal at a place, signed now. */
    OfdSealRequest request(SealPlacement placement) {
        return new OfdSealRequest(seal, sealKey, placement, Instant.now());
    }

    OfdSealRequest secondRequest(SealPlacement placement) {
        return new OfdSealRequest(secondSeal, secondSealKey, placement, Instant.now());
    }

    /** The verifier as a service would configure it: our root, the CA, OCSP in memory, every seal ACTIVE. */
    OfdVerifier verifier() {
        return new OfdVerifier(List.of(root), List.of(ca), revocation()).withSealStatus(id -> "ACTIVE");
    }

    /** The in-memory SM2 TSA, asked for an SM3 imprint. */
    TimeStamper timeStamper() {
        return data -> {
            try {
                byte[] sm3 = MessageDigest.getInstance("SM3", Providers.bouncyCastle()).digest(data);
                TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
                generator.setCertReq(true);
                TimeStampRequest request = generator.generate(GMObjectIdentifiers.sm3, sm3,
                        BigInteger.valueOf(System.nanoTime()));
                TimeStampResponse response = new TimeStampResponse(tsa.respond(request.getEncoded()).der());
                response.validate(request);
                return response.getTimeStampToken().getEncoded();
            } catch (Exception e) {
                throw new GeneralSecurityException("the SM2 test TSA failed: " + e.getMessage(), e);
            }
        };
    }

    /** OCSP answered in memory by the test PKI for every certificate below the root. */
    RevocationSource revocation() {
        return new RevocationSource() {
            @Override
            public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
                try {
                    return pki.ocsp(certificate);
                } catch (IOException e) {
                    throw new GeneralSecurityException(e);
                }
            }

            @Override
            public byte[] crl(X509Certificate certificate) {
                return null;
            }
        };
    }

    static byte[] redCirclePng() throws IOException {
        BufferedImage image = new BufferedImage(200, 200, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(220, 0, 0, 255));
        g.setStroke(new java.awt.BasicStroke(10));
        g.drawOval(10, 10, 180, 180);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static LicenceMetadata metadata() {
        return new LicenceMetadata("食品经营许可证", "11100000000013127D001", "JY13501000000001",
                "1.2.156.3005.2.11100000000013127D001.91350100M000100Y43.20260001.001.1", "福州市市场监督管理局",
                "91350100M000100Y43", LocalDate.of(2026, 12, 1), "福州某某餐饮有限公司", "91350100M000100Y43", "001",
                LocalDate.of(2026, 12, 1), null);
    }

    /** A one-page letter OFD, no licence in it: what any agency seals every day. */
    static byte[] letterOfd() throws IOException {
        OfdWriter writer = new OfdWriter().title("通知").created(LocalDate.of(2026, 12, 6));
        writer.page(210, 297).text(60, 40, 10, "通知").text(20, 70, 4.5, "经审核，同意拨付款项：100元。")
                .text(120, 200, 5, "（盖章）");
        return writer.write();
    }

    /** A two-page licence OFD: title, Latin and Chinese text, a line, a logo image, a QR code; "（盖章）" on page 1. */
    static byte[] licenceOfd() throws IOException {
        OfdWriter writer = new OfdWriter().title("食品经营许可证").licence(metadata())
                .created(LocalDate.of(2026, 12, 6));
        writer.page(210, 297)
                .text(60, 40, 10, "食品经营许可证")
                .text(20, 70, 4.5, "经营者名称：福州某某餐饮有限公司 (Fuzhou Example Catering Co., Ltd.)")
                .text(20, 80, 4.5, "许可证编号：JY13501000000001")
                .path(20, 90, 170, 1, "M 0 0.5 L 170 0.5", 0.3, new int[] {0, 0, 0}, null)
                .image(20, 100, 20, 20, redCirclePng())
                .qr(150, 230, 30, QrSymbol.encode("https://yinxin.example/v/1.2.156.3005.2"))
                .text(120, 200, 5, "发证机关（盖章）");
        writer.page(210, 297).text(20, 40, 5, "第二页 附件");
        return writer.write();
    }
}
