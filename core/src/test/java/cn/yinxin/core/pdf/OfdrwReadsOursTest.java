package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.national.NationalPdfTest;
import cn.yinxin.core.pdf.sign.PdfSealer;
import cn.yinxin.core.pdf.national.PdfSesSignature;
import cn.yinxin.core.pdf.sign.SignatureLevel;

import cn.yinxin.core.pki.cms.CmsFlavour;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.core.ses.SesSignature;
import cn.yinxin.core.ses.SesSigner;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ofdrw (org.ofdrw:ofdrw-gm 2.3.6) as the outside decoder of our GB/T 38540 structures: our SESeal, our
 * SES_Signature and the SES_Signature a national-mode PDF carries decode in it, re-encode byte for byte, and
 * Bouncy Castle 1.70's SM3withSM2 (another SM2 implementation than ours, with its default user ID) verifies the
 * maker's and the signer's signatures over what ofdrw decoded. ofdrw 2.3.6 calls Bouncy Castle 1.70 methods that
 * 1.83 no longer has, so it runs in a class loader of its own over the jars Maven copies to target/ofdrw-bc170
 * (core/pom.xml), beside nothing of our classpath: everything crosses as bytes, strings and JDK types.
 */
class OfdrwReadsOursTest {

    private static Sm2Material material;
    private static SESeal seal;
    private static URLClassLoader ofdrw;
    private static Provider bouncyCastle170;

    @BeforeAll
    static void setUp() throws Exception {
        material = new Sm2Material();
        seal = NationalPdfTest.sealFor(material, List.of(material.sealKey.certificate()));
        ofdrw = cn.yinxin.core.IsolatedJars.load("ofdrw-bc170", 4);
        bouncyCastle170 = (Provider) ofdrw.loadClass("org.bouncycastle.jce.provider.BouncyCastleProvider")
                .getConstructor().newInstance();
        assertThat(bouncyCastle170.getInfo()).contains("v1.70");
        assertThat(bouncyCastle170.getClass().getClassLoader()).isSameAs(ofdrw);
    }

    @AfterAll
    static void close() throws Exception {
        ofdrw.close();
    }

    @Test
    void ourSealDecodesInOfdrwAndItsMakerSignatureVerifiesWithBouncyCastle170() throws Exception {
        Object theirs = decode("org.ofdrw.gm.ses.v4.SESeal", seal.der());
        assertThat(der(theirs)).as("ofdrw re-encodes it byte for byte").isEqualTo(seal.der());
        assertSealFields(theirs);

        // the maker signed DER(SEQUENCE { eSealInfo, cert, signAlgID }) with user ID 1234567812345678
        byte[] info = der(get(theirs, "geteSealInfo"));
        byte[] cert = octets(get(theirs, "getCert"));
        String algorithm = get(theirs, "getSignAlgID", "getId").toString();
        assertThat(algorithm).isEqualTo("1.2.156.10197.1.501");
        byte[] signed = new DERSequence(new ASN1Encodable[] {ASN1Primitive.fromByteArray(info), new DEROctetString(cert),
                new ASN1ObjectIdentifier(algorithm)}).getEncoded("DER");
        assertThat(verify170(key(cert), signed, octets(get(theirs, "getSignedValue")))).isTrue();
        assertThat(verify170(key(cert), info, octets(get(theirs, "getSignedValue")))).as("control: other bytes").isFalse();
    }

    @Test
    void ourSesSignatureDecodesInOfdrwAndItsSignerSignatureVerifiesWithBouncyCastle170() throws Exception {
        byte[] data = "The bytes a seal was applied to".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] ours = SesSigner.sign(seal, material.sealKey, data, "/Doc_0/Signs/Sign_0/Signature.xml",
                Instant.now(), material.timeStamper()).der();
        Object theirs = decode("org.ofdrw.gm.ses.v4.SES_Signature", ours);
        assertThat(der(theirs)).as("ofdrw re-encodes it byte for byte").isEqualTo(ours);
        assertSignatureFields(theirs, ours, "/Doc_0/Signs/Sign_0/Signature.xml");
    }

    @Test
    void theSesSignatureOfANationalPdfDecodesInOfdrw() throws Exception {
        PdfSealer sealer = new PdfSealer(material.timeStamper(), material.revocation()).withCmsFlavour(CmsFlavour.GMT_0010);
        byte[] pdf = sealer.seal(TestMaterial.onePagePdf(0), material.request(SignatureLevel.B_T).withNationalSeal(seal));
        var cms = Sm2PdfTest.cms(pdf);
        byte[] ours = PdfSesSignature.find(cms.signer());

        Object theirs = decode("org.ofdrw.gm.ses.v4.SES_Signature", ours);
        assertThat(der(theirs)).isEqualTo(ours);
        assertSignatureFields(theirs, ours, PdfSesSignature.propertyInfo(cms.byteRange()));
        // dataHash, as ofdrw reads it, is the SM3 of the signed byte ranges (computed here by Bouncy Castle 1.70)
        byte[] hash = java.security.MessageDigest.getInstance("SM3", bouncyCastle170).digest(cms.signedBytes());
        assertThat(octets(get(theirs, "getToSign", "getDataHash"))).isEqualTo(hash);
    }

    private void assertSealFields(Object theirs) throws Exception {
        assertThat(get(theirs, "geteSealInfo", "getHeader", "getId", "getString")).isEqualTo("ES");
        assertThat(get(theirs, "geteSealInfo", "getHeader", "getVersion", "intValueExact")).isEqualTo(4);
        assertThat(get(theirs, "geteSealInfo", "getEsID", "getString")).isEqualTo("test-seal-1");
        assertThat(get(theirs, "geteSealInfo", "getProperty", "getName", "getString")).isEqualTo("测试专用章");
        assertThat(get(theirs, "geteSealInfo", "getProperty", "getCertListType", "intValueExact")).isEqualTo(1);
        assertThat(get(theirs, "geteSealInfo", "getPicture", "getType", "getString")).isEqualTo("PNG");
        assertThat(octets(get(theirs, "geteSealInfo", "getPicture", "getData"))).isEqualTo(seal.sealInfo().picture().data());
        assertThat(octets(get(theirs, "getCert"))).isEqualTo(material.sealMaker.certificate().getEncoded());
    }

    private void assertSignatureFields(Object theirs, byte[] ours, String propertyInfo) throws Exception {
        SesSignature parsed = SesSignature.getInstance(ours);
        assertThat(get(theirs, "getToSign", "getVersion", "intValueExact")).isEqualTo(4);
        assertThat(get(theirs, "getToSign", "getPropertyInfo", "getString")).isEqualTo(propertyInfo);
        assertThat(der(get(theirs, "getToSign", "getEseal"))).isEqualTo(seal.der());
        assertSealFields(get(theirs, "getToSign", "getEseal"));
        assertThat(octets(get(theirs, "getCert"))).isEqualTo(material.sealKey.certificate().getEncoded());
        assertThat(get(theirs, "getSignatureAlgID", "getId")).isEqualTo("1.2.156.10197.1.501");
        assertThat(octets(get(theirs, "getTimeStamp"))).as("the time-stamp token").isEqualTo(parsed.timeStamp());
        // ofdrw's reading of what the signer signed: DER(TBS_Sign)
        byte[] tbs = der(get(theirs, "getToSign"));
        byte[] value = octets(get(theirs, "getSignature"));
        assertThat(verify170(material.sealKey.certificate().getPublicKey(), tbs, value)).isTrue();
        tbs[tbs.length - 1] ^= 1;
        assertThat(verify170(material.sealKey.certificate().getPublicKey(), tbs, value)).as("control").isFalse();
    }

    /** Bouncy Castle 1.70's SM3withSM2, with its default user ID (1234567812345678). */
    private static boolean verify170(PublicKey key, byte[] data, byte[] signature) throws Exception {
        Signature check = Signature.getInstance("SM3withSM2", bouncyCastle170);
        check.initVerify(java.security.KeyFactory.getInstance("EC", bouncyCastle170)
                .generatePublic(new java.security.spec.X509EncodedKeySpec(key.getEncoded())));
        check.update(data);
        return check.verify(signature);
    }

    private static PublicKey key(byte[] certificate) throws Exception {
        return CertificateFactory.getInstance("X.509", bouncyCastle170)
                .generateCertificate(new ByteArrayInputStream(certificate)).getPublicKey();
    }

    private static Object decode(String type, byte[] der) throws Exception {
        return ofdrw.loadClass(type).getMethod("getInstance", Object.class).invoke(null, (Object) der);
    }

    /** Calls no-argument getters one after the other. */
    private static Object get(Object target, String... getters) throws Exception {
        Object value = target;
        for (String getter : getters) {
            Method method = value.getClass().getMethod(getter);
            method.setAccessible(true);
            value = method.invoke(value);
        }
        return value;
    }

    private static byte[] der(Object asn1) throws Exception {
        return (byte[]) asn1.getClass().getMethod("getEncoded", String.class).invoke(asn1, "DER");
    }

    /** The bytes of an ASN1OctetString or ASN1BitString of Bouncy Castle 1.70. */
    private static byte[] octets(Object asn1) throws Exception {
        return (byte[]) asn1.getClass().getMethod("getOctets").invoke(asn1);
    }
}
