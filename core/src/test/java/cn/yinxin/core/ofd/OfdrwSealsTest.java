package cn.yinxin.core.ofd;

import cn.yinxin.core.ofd.seal.OfdSealer;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.sign.SealPlacement;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SESeal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OFDs sealed by another product: ofdrw's own signer (org.ofdrw:ofdrw-sign 2.3.8, {@code OFDSigner} with its
 * {@code SESV4Container}, as a system built on ofdrw seals), with a GB/T 38540 seal of our test seal maker and the
 * seal key's certificate. ofdrw lays out the signature files, chooses which files its References protect, writes its
 * own StampAnnot and signs with its own Bouncy Castle. A genuine ofdrw seal must be VALID to our verifier, alone, after
 * one of ours and before one of ours; a page changed after it must not be. ofdrw runs in a class loader of its own
 * over target/ofdrw-signer (core/pom.xml fetches the jars), so only bytes and JDK types cross.
 */
class OfdrwSealsTest {

    private static URLClassLoader ofdrw;
    private static Provider bouncyCastle;
    private static OfdMaterial material;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        ofdrw = cn.yinxin.core.IsolatedJars.load("ofdrw-signer", 15);
        bouncyCastle = (Provider) ofdrw.loadClass("org.bouncycastle.jce.provider.BouncyCastleProvider")
                .getConstructor().newInstance();
        material = new OfdMaterial();
    }

    @AfterAll
    static void close() throws Exception {
        ofdrw.close();
    }

    @Test
    void anOfdSealedByOfdrwIsValid() throws Exception {
        byte[] sealed = ofdrwSeal(OfdMaterial.letterOfd(), material.seal, material.sealKey, "WholeProtected", 120, 180);

        VerificationReport report = material.verifierKnowingTheSeals().verify(sealed);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).hasSize(1);
        assertThat(report.signatures().getFirst().seal().name()).isEqualTo("测试专用章");
        assertThat(report.signatures().getFirst().nationalSeal().valid()).isTrue();
    }

    /** ofdrw's seal with a time-stamp from ofdrw's own hook: the time-stamp is over what ofdrw stamps, and counts. */
    @Test
    void anOfdSealedAndTimeStampedByOfdrwIsValid() throws Exception {
        byte[] sealed = ofdrwSeal(OfdMaterial.letterOfd(), material.seal, material.sealKey, "WholeProtected", 120, 180,
                true);

        VerificationReport report = material.verifierKnowingTheSeals().verify(sealed);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures().getFirst().format()).isEqualTo("OFD GB/T 38540 seal with time-stamp");
        assertThat(report.signatures().getFirst().timeStampedAt()).isNotNull();
    }

    @Test
    void ofdrwsSealAfterOursAndOursAfterOfdrwsAreBothValidAndTheFirstCannotBeTakenOff() throws Exception {
        OfdSealer ours = new OfdSealer(material.timeStamper());
        byte[] oursFirst = ours.seal(OfdMaterial.letterOfd(), material.request(new SealPlacement(1, 150, 200)));
        byte[] thenOfdrw = ofdrwSeal(oursFirst, material.secondSeal, material.secondSealKey, "ContinueSign", 40, 180);
        VerificationReport report = material.verifierKnowingTheSeals().verify(thenOfdrw);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).hasSize(2)
                .allMatch(s -> s.indication() == Indication.TOTAL_PASSED);


        // ofdrw's continue-signing covers our seal's files, Signatures.xml aside (and ours covers ofdrw's): the
        // first seal taken off the list while the second stays shows one seal fewer than the second was made over
        report = material.verifierKnowingTheSeals().verify(withoutFirstSeal(thenOfdrw));
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
        assertThat(report.signatures().getFirst().changesAfterSigning()).anyMatch(c -> c.kind().equals("seal-removed"));

        byte[] ofdrwFirst = ofdrwSeal(OfdMaterial.letterOfd(), material.secondSeal, material.secondSealKey,
                "ContinueSign", 40, 180);
        byte[] thenOurs = ours.seal(ofdrwFirst, material.request(new SealPlacement(1, 150, 200)));
        report = material.verifierKnowingTheSeals().verify(thenOurs);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).hasSize(2);
        report = material.verifierKnowingTheSeals().verify(withoutFirstSeal(thenOurs));
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
    }

    @Test
    void aPageChangedAfterOfdrwSealedIsInvalid() throws Exception {
        byte[] sealed = ofdrwSeal(OfdMaterial.letterOfd(), material.seal, material.sealKey, "WholeProtected", 120, 180);
        OfdDocument document = new OfdReader().read(sealed);
        String page = document.page(1).content();
        String text = new String(document.pack().get(page), StandardCharsets.UTF_8);
        assertThat(text).contains("同意拨付款项");
        byte[] forged = document.pack().with(page, text.replace("同意拨付款项", "不同意拨付").getBytes(StandardCharsets.UTF_8))
                .toZip();

        VerificationReport report = material.verifierKnowingTheSeals().verify(forged);
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INVALID);
    }

    /**
     * The other way round: ofdrw's own validator ({@code OFDValidator} with its {@code SESV4ValidateContainer}: every
     * Reference's SM3 CheckValue, the SES_Signature's SM2 signature over the signed data) passes our seal, alone and
     * with ofdrw's after it, and fails it once a covered page is changed.
     */
    @Test
    void ofdrwsValidatorPassesOurSealAndFailsAChangedPage() throws Exception {
        byte[] ours = new OfdSealer(material.timeStamper()).seal(OfdMaterial.letterOfd(),
                material.request(new SealPlacement(1, 150, 200)));
        assertThat(ofdrwValidates(ours)).isNull();
        assertThat(ofdrwValidates(ofdrwSeal(ours, material.secondSeal, material.secondSealKey, "ContinueSign", 40,
                180))).isNull();

        OfdDocument document = new OfdReader().read(ours);
        String page = document.page(1).content();
        String text = new String(document.pack().get(page), StandardCharsets.UTF_8);
        byte[] forged = document.pack().with(page, text.replace("同意拨付款项", "不同意拨付")
                .getBytes(StandardCharsets.UTF_8)).toZip();
        assertThat(ofdrwValidates(forged)).isNotNull().contains("FileIntegrity");
    }

    /** ofdrw's validation of every seal in {@code ofd}: null when it passes, else the exception's class and message. */
    private String ofdrwValidates(byte[] ofd) throws Exception {
        Path in = Files.createTempFile(dir, "check", ".ofd");
        Files.write(in, ofd);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(ofdrw);
        Class<?> readerType = type("org.ofdrw.reader.OFDReader");
        Object reader = readerType.getConstructor(Path.class).newInstance(in);
        try {
            Class<?> validatorType = type("org.ofdrw.sign.verify.OFDValidator");
            Object validator = validatorType.getConstructor(readerType).newInstance(reader);
            validatorType.getMethod("setValidator", type("org.ofdrw.sign.verify.SignedDataValidateContainer"))
                    .invoke(validator, type("org.ofdrw.sign.verify.container.SESV4ValidateContainer")
                            .getConstructor().newInstance());
            try {
                validatorType.getMethod("exeValidate").invoke(validator);
                return null;
            } catch (java.lang.reflect.InvocationTargetException e) {
                return e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            }
        } finally {
            ((Closeable) reader).close();
            thread.setContextClassLoader(before);
        }
    }

    /** The document with the first seal's entry taken off Signatures.xml (its files left in the package). */
    private static byte[] withoutFirstSeal(byte[] ofd) {
        OfdPackage pack = OfdPackage.read(ofd, OfdLimits.DEFAULT);
        String list = new String(pack.get("Doc_0/Signs/Signatures.xml"), StandardCharsets.UTF_8);
        int start = list.indexOf("<ofd:Signature ");
        int end = list.indexOf("/>", start) + 2;
        assertThat(list.substring(start, end)).contains("Sign_0");
        return pack.with("Doc_0/Signs/Signatures.xml", (list.substring(0, start) + list.substring(end))
                .getBytes(StandardCharsets.UTF_8)).toZip();
    }

    private byte[] ofdrwSeal(byte[] ofd, SESeal seal, SealKey key, String mode, double x, double y) throws Exception {
        return ofdrwSeal(ofd, seal, key, mode, x, y, false);
    }

    /**
     * ofdrw seals {@code ofd} with {@code seal} and {@code key} on page 1 at (x, y), 40 mm square; time-stamped
     * through ofdrw's own {@code TimeStampHook} (handed what ofdrw chooses to stamp) by the test TSA when asked.
     */
    private byte[] ofdrwSeal(byte[] ofd, SESeal seal, SealKey key, String mode, double x, double y,
                             boolean timeStamped) throws Exception {
        Path in = Files.createTempFile(dir, "in", ".ofd");
        Path out = dir.resolve("sealed-" + System.nanoTime() + ".ofd");
        Files.write(in, ofd);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(ofdrw);
        try {
            PrivateKey privateKey = KeyFactory.getInstance("EC", bouncyCastle)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.privateKey().getEncoded()));
            Certificate certificate = CertificateFactory.getInstance("X.509", bouncyCastle)
                    .generateCertificate(new ByteArrayInputStream(key.certificate().getEncoded()));
            Class<?> sesSealType = type("org.ofdrw.gm.ses.v4.SESeal");
            Object sesSeal = sesSealType.getMethod("getInstance", Object.class).invoke(null, (Object) seal.der());
            Class<?> readerType = type("org.ofdrw.reader.OFDReader");
            Object reader = readerType.getConstructor(Path.class).newInstance(in);
            try {
                Class<?> signerType = type("org.ofdrw.sign.OFDSigner");
                Object signer = signerType.getConstructor(readerType, Path.class).newInstance(reader, out);
                Class<?> modeType = type("org.ofdrw.sign.SignMode");
                signerType.getMethod("setSignMode", modeType).invoke(signer, modeType.getMethod("valueOf", String.class)
                        .invoke(null, mode));
                Object container = type("org.ofdrw.sign.signContainer.SESV4Container")
                        .getConstructor(PrivateKey.class, sesSealType, Certificate.class)
                        .newInstance(privateKey, sesSeal, certificate);
                if (timeStamped) {
                    Class<?> hookType = type("org.ofdrw.sign.timestamp.TimeStampHook");
                    Object hook = java.lang.reflect.Proxy.newProxyInstance(ofdrw, new Class<?>[] {hookType},
                            (proxy, method, args) -> method.getName().equals("apply")
                                    ? material.timeStamper().timeStamp((byte[]) args[0]) : null);
                    container.getClass().getMethod("setTimeStampHook", hookType).invoke(container, hook);
                }
                signerType.getMethod("setSignContainer", type("org.ofdrw.sign.ExtendSignatureContainer"))
                        .invoke(signer, container);
                Object position = type("org.ofdrw.sign.stamppos.NormalStampPos")
                        .getConstructor(int.class, double.class, double.class, double.class, double.class)
                        .newInstance(1, x, y, 40d, 40d);
                signerType.getMethod("addApPos", type("org.ofdrw.sign.stamppos.StampAppearance"))
                        .invoke(signer, position);
                signerType.getMethod("exeSign").invoke(signer);
                ((Closeable) signer).close();
            } finally {
                ((Closeable) reader).close();
            }
        } finally {
            thread.setContextClassLoader(before);
        }
        return Files.readAllBytes(out);
    }

    private static Class<?> type(String name) throws ClassNotFoundException {
        return Class.forName(name, true, ofdrw);
    }
}
