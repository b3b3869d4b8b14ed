package cn.yinxin.keystores;

import cn.yinxin.core.licence.Uscc;
import cn.yinxin.core.pki.CertificateMaker;
import cn.yinxin.core.pki.CertificateMaker.Profile;
import cn.yinxin.core.pki.Pem;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/**
 * The development PKI and the sample seal: a root CA, an issuing CA for agency seals, and one agency seal with its
 * PKCS#12 key store, its transparent PNG image and its description. For development and tests only: the
 * passwords are public.
 *
 * <pre>
 * DIR/ca/root.p12, root.pem          the root CA (key and certificate)
 * DIR/ca/seal-ca.p12, seal-ca.pem    the issuing CA for agency seal certificates
 * DIR/trust/yinxin-dev-root.pem      what a verifier trusts
 * DIR/seals/ID/seal.p12              the seal key and its chain
 * DIR/seals/ID/seal.png              the seal image
 * DIR/seals/ID/seal.properties       id, name, agency, agencyCode, kind, widthMm, heightMm
 * DIR/samples/approval-result.pdf    a one-page approval result to seal
 * </pre>
 */
public final class SamplePki {

    public static final String PASSWORD = "yinxin-dev-only";
    public static final String SEAL_ID = "sample-agency-seal";
    public static final String AGENCY = "示例市行政审批服务局";
    public static final String SEAL_NAME = AGENCY + "行政审批专用章";
    /** A made-up but well-formed Unified Social Credit Code for the sample agency. */
    public static final String AGENCY_CODE = sampleAgencyCode();

    private SamplePki() {
    }

    /** Makes the whole set in {@code dir}, unless it is already there; returns true if it made it. */
    public static boolean createIfAbsent(Path dir) throws IOException, GeneralSecurityException {
        if (Files.exists(dir.resolve("seals").resolve(SEAL_ID).resolve("seal.properties"))) {
            return false;
        }
        create(dir);
        return true;
    }

    public static void create(Path dir) throws IOException, GeneralSecurityException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant start = now.minus(1, ChronoUnit.DAYS);

        KeyPair rootKeys = CertificateMaker.newEcKeyPair();
        X509Certificate root = CertificateMaker.selfSignedRoot(CertificateMaker.caSubject("Yinxin Development Root CA"),
                rootKeys, start, Duration.ofDays(3650));
        KeyPair caKeys = CertificateMaker.newEcKeyPair();
        X509Certificate sealCa = CertificateMaker.issue(CertificateMaker.caSubject("Yinxin Development Seal CA"),
                caKeys.getPublic(), Profile.ISSUING_CA, root, rootKeys.getPrivate(), start, Duration.ofDays(1825));
        KeyPair sealKeys = CertificateMaker.newEcKeyPair();
        X509Certificate sealCertificate = CertificateMaker.issue(
                CertificateMaker.sealSubject(SEAL_NAME, AGENCY, AGENCY_CODE), sealKeys.getPublic(),
                Profile.AGENCY_SEAL, sealCa, caKeys.getPrivate(), start, Duration.ofDays(730));

        Path ca = Files.createDirectories(dir.resolve("ca"));
        writePkcs12(ca.resolve("root.p12"), "root", rootKeys.getPrivate(), root);
        Files.writeString(ca.resolve("root.pem"), Pem.encode(root));
        writePkcs12(ca.resolve("seal-ca.p12"), "seal-ca", caKeys.getPrivate(), sealCa, root);
        Files.writeString(ca.resolve("seal-ca.pem"), Pem.encode(sealCa));
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.writeString(trust.resolve("yinxin-dev-root.pem"), Pem.encode(root));

        Path seal = Files.createDirectories(dir.resolve("seals").resolve(SEAL_ID));
        writePkcs12(seal.resolve("seal.p12"), "seal", sealKeys.getPrivate(), sealCertificate, sealCa, root);
        Files.write(seal.resolve("seal.png"), SealImage.png(600));
        Properties description = new Properties();
        description.setProperty("id", SEAL_ID);
        description.setProperty("name", SEAL_NAME);
        description.setProperty("agency", AGENCY);
        description.setProperty("agencyCode", AGENCY_CODE);
        description.setProperty("kind", "APPROVAL");
        description.setProperty("widthMm", "42");
        description.setProperty("heightMm", "42");
        try (Writer out = Files.newBufferedWriter(seal.resolve("seal.properties"), StandardCharsets.UTF_8)) {
            description.store(out, "Sample agency seal (development only; key store password: " + PASSWORD + ")");
        }

        Path samples = Files.createDirectories(dir.resolve("samples"));
        Files.write(samples.resolve("approval-result.pdf"), SampleDocument.approvalResult());
    }

    private static void writePkcs12(Path file, String alias, PrivateKey key, X509Certificate... chain)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, key, PASSWORD.toCharArray(), (Certificate[]) chain);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }

    private static String sampleAgencyCode() {
        // 1 = organ, 1 = government agency, 410000 = Henan; then an 8-character organisation code and its check.
        String organisation = "MB000017";
        String first17 = "11410000" + organisation + Uscc.organisationCheck(organisation);
        return first17 + Uscc.checkCharacter(first17);
    }
}
