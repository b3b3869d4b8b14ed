package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.pdf.sign.SealPlacement;
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
import java.security.MessageDigest;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ofdrw (org.ofdrw:ofdrw-gm 2.3.6) as the outside judge of the seal inside our OFD: it decodes Seal.esl as a v4
 * SESeal and SignedValue.dat as a v4 SES_Signature, and Bouncy Castle 1.70 (another SM2 implementation, default
 * user ID) verifies the maker's and the signer's SM2 signatures over what ofdrw decoded; the dataHash ofdrw reads
 * is SM3 of the package's Signature.xml, computed by BC 1.70. As pdf's OfdrwReadsOursTest, ofdrw runs in a class
 * loader of its own over target/ofdrw-bc170 (core/pom.xml copies the jars), so only bytes cross.
 */
class OfdrwJudgesOurOfdTest {

    private static URLClassLoader ofdrw;
    private static Provider bouncyCastle170;
    private static OfdMaterial material;
    private static OfdDocument sealed;

    @BeforeAll
    static void setUp() throws Exception {
        ofdrw = cn.yinxin.core.IsolatedJars.load("ofdrw-bc170", 4);
        bouncyCastle170 = (Provider) ofdrw.loadClass("org.bouncycastle.jce.provider.BouncyCastleProvider")
                .getConstructor().newInstance();
        material = new OfdMaterial();
        byte[] ofd = new OfdSealer(material.timeStamper()).seal(OfdMaterial.licenceOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        sealed = new OfdReader().read(ofd);
    }

    @AfterAll
    static void close() throws Exception {
        ofdrw.close();
    }

    @Test
    void ofdrwDecodesTheSealFileAndItsMakerSignatureVerifies() throws Exception {
        byte[] esl = sealed.pack().get("Doc_0/Signs/Sign_0/Seal.esl");
        Object seal = decode("org.ofdrw.gm.ses.v4.SESeal", esl);
        assertThat(der(seal)).as("re-encoded byte for byte").isEqualTo(esl);
        assertThat(get(seal, "geteSealInfo", "getEsID", "getString")).isEqualTo("ofd-seal-1");
        assertThat(get(seal, "geteSealInfo", "getPicture", "getType", "getString")).isEqualTo("PNG");
        byte[] cert = octets(get(seal, "getCert"));
        byte[] signed = new DERSequence(new ASN1Encodable[] {ASN1Primitive.fromByteArray(der(get(seal, "geteSealInfo"))),
                new DEROctetString(cert), new ASN1ObjectIdentifier(get(seal, "getSignAlgID", "getId").toString())})
                .getEncoded("DER");
        assertThat(verify170(key(cert), signed, octets(get(seal, "getSignedValue")))).isTrue();
    }

    @Test
    void ofdrwDecodesTheSignedValueAndTheSignerSignatureOverSignatureXmlVerifies() throws Exception {
        byte[] value = sealed.pack().get("Doc_0/Signs/Sign_0/SignedValue.dat");
        Object signature = decode("org.ofdrw.gm.ses.v4.SES_Signature", value);
        assertThat(der(signature)).isEqualTo(value);
        assertThat(get(signature, "getToSign", "getPropertyInfo", "getString"))
                .isEqualTo("/Doc_0/Signs/Sign_0/Signature.xml");
        byte[] signatureXml = sealed.pack().get("Doc_0/Signs/Sign_0/Signature.xml");
        byte[] sm3 = MessageDigest.getInstance("SM3", bouncyCastle170).digest(signatureXml);
        assertThat(octets(get(signature, "getToSign", "getDataHash"))).isEqualTo(sm3);
        assertThat(der(get(signature, "getToSign", "getEseal")))
                .isEqualTo(sealed.pack().get("Doc_0/Signs/Sign_0/Seal.esl"));
        byte[] tbs = der(get(signature, "getToSign"));
        byte[] sig = octets(get(signature, "getSignature"));
        PublicKey signer = key(octets(get(signature, "getCert")));
        assertThat(verify170(signer, tbs, sig)).isTrue();
        tbs[tbs.length - 1] ^= 1;
        assertThat(verify170(signer, tbs, sig)).as("control: other bytes").isFalse();
        assertThat(get(signature, "getTimeStamp")).as("the time-stamp is there").isNotNull();
    }

    @Test
    void aSealSignatureEncodedAndSignedByOfdrwAndBouncyCastle170VerifiesInOurs() throws Exception {
        // ofdrw builds TBS_Sign over our Signature.xml (no time-stamp), BC 1.70 signs it with the seal's key
        String path = "Doc_0/Signs/Sign_0/Signature.xml";
        byte[] signatureXml = sealed.pack().get(path);
        Object tbs = ofdrw.loadClass("org.ofdrw.gm.ses.v4.TBS_Sign").getConstructor().newInstance();
        call(tbs, "setVersion", bc("org.bouncycastle.asn1.ASN1Integer", long.class, 4L));
        call(tbs, "setEseal", decode("org.ofdrw.gm.ses.v4.SESeal", material.seal.der()));
        call(tbs, "setTimeInfo", bc("org.bouncycastle.asn1.ASN1GeneralizedTime", java.util.Date.class,
                new java.util.Date()));
        call(tbs, "setDataHash", MessageDigest.getInstance("SM3", bouncyCastle170).digest(signatureXml));
        call(tbs, "setPropertyInfo", "/" + path);
        Signature signer = Signature.getInstance("SM3withSM2", bouncyCastle170);
        signer.initSign(java.security.KeyFactory.getInstance("EC", bouncyCastle170).generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(material.sealKey.privateKey().getEncoded())));
        signer.update(der(tbs));
        Object theirs = ofdrw.loadClass("org.ofdrw.gm.ses.v4.SES_Signature").getConstructor().newInstance();
        call(theirs, "setToSign", tbs);
        call(theirs, "setCert", bc("org.bouncycastle.asn1.DEROctetString", byte[].class,
                material.sealKey.certificate().getEncoded()));
        call(theirs, "setSignatureAlgID", bc("org.bouncycastle.asn1.ASN1ObjectIdentifier", String.class,
                "1.2.156.10197.1.501"));
        call(theirs, "setSignature", signer.sign());

        byte[] ofd = sealed.pack().with("Doc_0/Signs/Sign_0/SignedValue.dat", der(theirs)).toZip();
        var report = material.verifier().verify(ofd);
        assertThat(report.verdict()).as(report.signatures().get(0).reasons().toString())
                .isEqualTo(cn.yinxin.core.pdf.verify.report.Verdict.VALID);
        assertThat(report.signatures().get(0).format()).isEqualTo("OFD GB/T 38540 seal");
        // control: the same signature over another Signature.xml is not accepted
        byte[] other = sealed.pack().with(path, new String(signatureXml, java.nio.charset.StandardCharsets.UTF_8)
                .replace("Yinxin", "Other").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .with("Doc_0/Signs/Sign_0/SignedValue.dat", der(theirs)).toZip();
        assertThat(material.verifier().verify(other).verdict()).isEqualTo(cn.yinxin.core.pdf.verify.report.Verdict.INVALID);
    }

    /** A Bouncy Castle 1.70 object (from ofdrw's class loader) made with a one-argument constructor. */
    private static Object bc(String type, Class<?> argument, Object value) throws Exception {
        return ofdrw.loadClass(type).getConstructor(argument).newInstance(value);
    }

    /** Calls the one-argument method of that name whose parameter takes {@code value}. */
    private static void call(Object target, String name, Object value) throws Exception {
        for (Method method : target.getClass().getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == 1
                    && wrap(method.getParameterTypes()[0]).isInstance(value)) {
                method.invoke(target, value);
                return;
            }
        }
        throw new NoSuchMethodException(name + "(" + value.getClass().getName() + ")");
    }

    private static Class<?> wrap(Class<?> type) {
        return type == long.class ? Long.class : type;
    }

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

    private static byte[] octets(Object asn1) throws Exception {
        return (byte[]) asn1.getClass().getMethod("getOctets").invoke(asn1);
    }
}
