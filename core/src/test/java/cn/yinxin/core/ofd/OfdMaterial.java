package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealRequest;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.ca.CertificateMaker.RevocationPointers;
import cn.yinxin.core.pki.revocation.CertificateStatus;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.revocation.OcspResponder;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.RevocationSource;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.pki.cms.TimeStampAuthority;
import cn.yinxin.core.pki.cms.TimeStamper;
import cn.yinxin.core.qr.QrSymbol;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SealMaker;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
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
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An all-SM2 PKI in memory for the OFD tests (as pdf's Sm2Material): root, issuing CA with an OCSP signer, two
 * agency seal keys, a seal maker and a TSA; GB/T 38540 seals for the seal keys; and a sample licence OFD.
 */
final class OfdMaterial {

    final X509Certificate root;
    final X509Certificate ca;
    final SealKey sealKey;
    final SealKey secondSealKey;
    final SealKey sealMaker;
    final SESeal seal;
    final SESeal secondSeal;
    /** Serials the OCSP responder says are revoked. */
    final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
    private final TimeStampAuthority tsa;
    private final OcspResponder ocsp;

    OfdMaterial() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(30));
        KeyPair rootKeys = KeyAlgorithm.SM2.generate(Providers.bouncyCastle());
        root = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("OFD Test Root"), rootKeys, start,
                Duration.ofDays(3650));
        SealKey rootKey = new SealKey(rootKeys.getPrivate(), List.of(root));
        var pointers = new RevocationPointers("http://localhost:1/ofd-test/ca.crl", "http://localhost:1/ofd-test/ocsp");
        SealKey caKey = issue(CertificateMaker.caSubject("OFD Test Seal CA"), Profile.ISSUING_CA, rootKey, start,
                pointers);
        ca = caKey.certificate();
        SealKey ocspSigner = issue(CertificateMaker.caSubject("OFD Test OCSP"), Profile.OCSP_SIGNING, caKey, start,
                null);
        sealKey = issue(CertificateMaker.sealSubject("测试专用章", "测试局", "91350100M000100Y43"), Profile.AGENCY_SEAL,
                caKey, start, pointers);
        secondSealKey = issue(CertificateMaker.sealSubject("第二专用章", "第二局", "11430000006122244L"),
                Profile.AGENCY_SEAL, caKey, start, pointers);
        SealKey tsaKey = issue(CertificateMaker.caSubject("OFD Test TSA"), Profile.TIME_STAMPING, caKey, start,
                pointers);
        sealMaker = issue(CertificateMaker.caSubject("OFD Test Seal Maker"), Profile.SEAL_MAKING, caKey, start,
                pointers);
        AtomicLong serials = new AtomicLong();
        tsa = new TimeStampAuthority(tsaKey, new ASN1ObjectIdentifier("2.25.8"),
                () -> BigInteger.valueOf(serials.incrementAndGet()), Clock.systemUTC());
        ocsp = new OcspResponder(List.of(
                new OcspResponder.Authority("ca", ca, ocspSigner, serial -> revoked.contains(serial)
                        ? new CertificateStatus.Revoked(Instant.now().minusSeconds(3600), 1) : CertificateStatus.GOOD),
                new OcspResponder.Authority("root", root, rootKey, serial -> CertificateStatus.GOOD)),
                Duration.ofMinutes(10), Clock.systemUTC());
        seal = seal("ofd-seal-1", "测试专用章", sealKey);
        secondSeal = seal("ofd-seal-2", "第二专用章", secondSealKey);
    }

    private SESeal seal(String esId, String name, SealKey signer) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new SealMaker(sealMaker, "TEST").make(new SealMaker.SealSpec(esId, SealMaker.TYPE_ORGANISATION, name,
                redCirclePng(), 40, 40, List.of(signer.certificate()), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(300))), now);
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

    /** OCSP answered in memory for every certificate below the root. */
    RevocationSource revocation() {
        return new RevocationSource() {
            @Override
            public byte[] ocsp(X509Certificate certificate, X509Certificate issuer) throws GeneralSecurityException {
                try {
                    CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                            .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer),
                            certificate.getSerialNumber());
                    return ocsp.respond(new OCSPReqBuilder().addRequest(id).build().getEncoded()).der();
                } catch (Exception e) {
                    throw new GeneralSecurityException(e);
                }
            }

            @Override
            public byte[] crl(X509Certificate certificate) {
                return null;
            }
        };
    }

    static SealKey issue(X500Name subject, Profile profile, SealKey issuer, Instant start,
                         RevocationPointers pointers) throws GeneralSecurityException {
        KeyPair keys = KeyAlgorithm.SM2.generate(Providers.bouncyCastle());
        X509Certificate certificate = CertificateMaker.issue(subject, keys.getPublic(), profile, issuer, start,
                Duration.ofDays(1000), pointers);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(issuer.chain());
        return new SealKey(keys.getPrivate(), chain);
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
                "1.2.156.3005.2.11100000000013127D001.91350100M000100Y43.20260001.001.X", "福州市市场监督管理局",
                "91350100M000100Y43", LocalDate.of(2026, 12, 1), "福州某某餐饮有限公司", "91350100M000100Y43", "001",
                LocalDate.of(2026, 12, 1), null);
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
