package cn.yinxin.keystores;

import cn.yinxin.core.licence.Uscc;
import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.ca.CertificateMaker;
import cn.yinxin.core.pki.ca.CertificateMaker.Profile;
import cn.yinxin.core.pki.ca.KeyCeremony;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.KeyAlgorithm;
import cn.yinxin.core.pki.keys.KeyVault;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.pki.keys.SealKey;
import cn.yinxin.core.ses.SealMaker;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The development PKI and the sample seal: the CA hierarchy made by the same key ceremony as the ca-service's
 * (in a PKCS#12 key store), and one agency seal with its PKCS#12 key store, its transparent PNG image and its
 * description. For development and tests only: the passwords are public.
 *
 * <pre>
 * DIR/ca/ca.p12                      the CA hierarchy (root, seal-ca, personal-ca, tsa, OCSP signers, trust-list)
 * DIR/ca/root.pem, seal-ca.pem, ...  their certificates
 * DIR/ca/issued/SERIAL.pem           certificates issued outside the running ca-service (it registers them)
 * DIR/trust/yinxin-dev-root.pem      what a verifier trusts
 * DIR/seals/ID/seal.p12              the seal key and its chain
 * DIR/seals/ID/seal.png              the seal image
 * DIR/seals/ID/seal.properties       id, name, agency, agencyCode, kind, widthMm, heightMm
 * DIR/seals/sample-licence-seal/     the sample agency's SM2 licence seal, with seal.esl: its GB/T 38540 seal
 *                                    (SESeal) signed by the CA's seal maker; it seals the OFD licences
 * DIR/samples/approval-result.pdf    a one-page approval result to seal
 * DIR/seals/verification-report-seal/  the verification-report seal (the seal service stamps the verifier's reports
 *                                    with it, for the verifier's client alone; the verifier itself holds no key)
 * </pre>
 */
public final class SamplePki {

    public static final String PASSWORD = "yinxin-dev-only";
    public static final String SEAL_ID = "sample-agency-seal";
    public static final String AGENCY = "示例市行政审批服务局";
    public static final String SEAL_NAME = AGENCY + "行政审批专用章";
    /** The seal the seal service puts on the verifier's verification reports, at the verifier's request. */
    public static final String REPORT_SEAL_ID = "verification-report-seal";
    public static final String REPORT_SEAL_NAME = AGENCY + "电子证照核验专用章";
    /**
     * The sample agency's SM2 seal for licences (电子证照专用章): GB/T 38540 seals are SM2 only, so OFD licences are
     * sealed with it, while the PDF keeps its P-256 PAdES seal ({@link #SEAL_ID}) that every PDF reader checks.
     */
    public static final String LICENCE_SEAL_ID = "sample-licence-seal";
    public static final String LICENCE_SEAL_NAME = AGENCY + "电子证照专用章";
    /** The verifier's client: the only user of the report seal (and its service account's only role: report-sealer). */
    public static final String VERIFIER_CLIENT = "yinxin-verifier";
    /** A made-up but well-formed Unified Social Credit Code for the sample agency. */
    public static final String AGENCY_CODE = sampleAgencyCode();
    /** Where the development ca-service answers; written into every certificate for CRL and OCSP. */
    public static final String DEFAULT_CA_URL = "http://localhost:8081";

    private SamplePki() {
    }

    /**
     * Makes the whole set in {@code dir}, unless it is already there; returns true if it made it. A set made before
     * the report seal existed gets the report seal added (issued by its seal CA).
     */
    public static boolean createIfAbsent(Path dir, String caUrl, String ocspUrl) throws IOException, GeneralSecurityException {
        if (Files.exists(dir.resolve("seals").resolve(SEAL_ID).resolve("seal.properties"))) {
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.DAYS);
            if (!Files.exists(dir.resolve("seals").resolve(REPORT_SEAL_ID).resolve("seal.properties"))) {
                CaHierarchy hierarchy = CaHierarchy.load(new Pkcs12Vault(dir.resolve("ca/ca.p12"), PASSWORD.toCharArray()));
                writeReportSeal(dir, hierarchy, caUrl, ocspUrl, start);
            }
            if (!Files.exists(dir.resolve("seals").resolve(LICENCE_SEAL_ID).resolve("seal.properties"))) {
                Pkcs12Vault vault = new Pkcs12Vault(dir.resolve("ca/ca.p12"), PASSWORD.toCharArray());
                writeLicenceSeal(dir, CaHierarchy.load(vault), vault, caUrl, ocspUrl, start);
            }
            return false;
        }
        create(dir, caUrl, ocspUrl);
        return true;
    }

    public static void create(Path dir) throws IOException, GeneralSecurityException {
        create(dir, DEFAULT_CA_URL);
    }

    public static void create(Path dir, String caUrl) throws IOException, GeneralSecurityException {
        create(dir, caUrl, caUrl.replaceAll("/+$", "") + "/ocsp");
    }

    /** With the ca-service at {@code caUrl} (CRLs) and its OCSP responder at {@code ocspUrl}. */
    public static void create(Path dir, String caUrl, String ocspUrl) throws IOException, GeneralSecurityException {
        Path ca = Files.createDirectories(dir.resolve("ca"));
        Pkcs12Vault vault = new Pkcs12Vault(ca.resolve("ca.p12"), PASSWORD.toCharArray());
        CaHierarchy hierarchy = KeyCeremony.run(vault, KeyCeremony.Plan.development(caUrl, ocspUrl), step -> { });
        for (String alias : CaHierarchy.ALIASES) {
            Files.writeString(ca.resolve(alias + ".pem"), Pem.encode(vault.get(alias).certificate()));
        }
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.writeString(trust.resolve("yinxin-dev-root.pem"), Pem.encode(hierarchy.root().certificate()));

        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.DAYS);
        KeyPair sealKeys = CertificateMaker.newEcKeyPair();
        X509Certificate sealCertificate = CertificateMaker.issue(
                CertificateMaker.sealSubject(SEAL_NAME, AGENCY, AGENCY_CODE), sealKeys.getPublic(),
                Profile.AGENCY_SEAL, hierarchy.sealCa(), start, Duration.ofDays(730),
                KeyCeremony.pointers(caUrl, ocspUrl, CaHierarchy.SEAL_CA));
        Path issued = Files.createDirectories(ca.resolve("issued"));
        Files.writeString(issued.resolve(sealCertificate.getSerialNumber().toString(16) + ".pem"),
                Pem.encode(sealCertificate));

        Path seal = Files.createDirectories(dir.resolve("seals").resolve(SEAL_ID));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(sealCertificate);
        chain.addAll(hierarchy.sealCa().chain());
        writePkcs12(seal.resolve("seal.p12"), "seal", sealKeys.getPrivate(), chain.toArray(X509Certificate[]::new));
        Files.write(seal.resolve("seal.png"), SealImage.png(600));
        describe(seal, SEAL_ID, SEAL_NAME, "APPROVAL", "42", null,
                "Sample agency seal (development only; key store password: " + PASSWORD + ")");

        writeReportSeal(dir, hierarchy, caUrl, ocspUrl, start);
        writeLicenceSeal(dir, hierarchy, vault, caUrl, ocspUrl, start);

        Path samples = Files.createDirectories(dir.resolve("samples"));
        Files.write(samples.resolve("approval-result.pdf"), SampleDocument.approvalResult());
    }

    /**
     * The verification-report seal: a seal of the platform's operator whose key the seal service holds (imported from
     * this folder); only the verifier's client may stamp with it, and the seal service lets that client stamp with
     * nothing else.
     */
    private static void writeReportSeal(Path dir, CaHierarchy hierarchy, String caUrl, String ocspUrl, Instant start)
            throws IOException, GeneralSecurityException {
        KeyPair keys = CertificateMaker.newEcKeyPair();
        X509Certificate certificate = CertificateMaker.issue(
                CertificateMaker.sealSubject(REPORT_SEAL_NAME, AGENCY, AGENCY_CODE), keys.getPublic(),
                Profile.AGENCY_SEAL, hierarchy.sealCa(), start, Duration.ofDays(730),
                KeyCeremony.pointers(caUrl, ocspUrl, CaHierarchy.SEAL_CA));
        Path issued = Files.createDirectories(dir.resolve("ca").resolve("issued"));
        Files.writeString(issued.resolve(certificate.getSerialNumber().toString(16) + ".pem"), Pem.encode(certificate));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(hierarchy.sealCa().chain());
        Path seal = Files.createDirectories(dir.resolve("seals").resolve(REPORT_SEAL_ID));
        writePkcs12(seal.resolve("seal.p12"), "seal", keys.getPrivate(), chain.toArray(X509Certificate[]::new));
        Files.write(seal.resolve("seal.png"), SealImage.reportPng(600));
        describe(seal, REPORT_SEAL_ID, REPORT_SEAL_NAME, "VERIFICATION_REPORT", "38", VERIFIER_CLIENT,
                "Sample verification-report seal (development only; key store password: " + PASSWORD
                        + "); only the verifier's client may use it");
    }

    /**
     * The SM2 licence seal: an SM2 key certified by the seal CA, and its GB/T 38540 seal (seal.esl) signed offline by
     * the CA's seal maker (the key ceremony made it in ca.p12), with the image the seal service stamps (seal.png,
     * which it keeps byte for byte) and the seal's validity that of its certificate, as the ca-service's seal maker
     * would sign it for a seal the seal service creates.
     */
    private static void writeLicenceSeal(Path dir, CaHierarchy hierarchy, KeyVault caVault,
                                         String caUrl, String ocspUrl, Instant start)
            throws IOException, GeneralSecurityException {
        if (!caVault.contains(CaHierarchy.SEAL_MAKER)) {
            // a CA key store without SM2 (a PKCS#11 token without the mechanism): no national seal, said plainly
            System.err.println("No seal maker key in the CA key store: the sample SM2 licence seal is not made");
            return;
        }
        SealKey maker = caVault.get(CaHierarchy.SEAL_MAKER);
        Path seal = Files.createDirectories(dir.resolve("seals").resolve(LICENCE_SEAL_ID));
        Path issued = Files.createDirectories(dir.resolve("ca").resolve("issued"));
        SealKey key = new Pkcs12Vault(seal.resolve("seal.p12"), PASSWORD.toCharArray()).create("seal",
                KeyAlgorithm.SM2, made -> {
                    X509Certificate certificate = CertificateMaker.issue(
                            CertificateMaker.sealSubject(LICENCE_SEAL_NAME, AGENCY, AGENCY_CODE), made.publicKey(),
                            Profile.AGENCY_SEAL, hierarchy.sealCa(), start, Duration.ofDays(730),
                            KeyCeremony.pointers(caUrl, ocspUrl, CaHierarchy.SEAL_CA));
                    List<X509Certificate> chain = new ArrayList<>();
                    chain.add(certificate);
                    chain.addAll(hierarchy.sealCa().chain());
                    return chain;
                });
        X509Certificate certificate = key.certificate();
        Files.writeString(issued.resolve(certificate.getSerialNumber().toString(16) + ".pem"), Pem.encode(certificate));
        byte[] png = SealImage.licencePng(600);
        Files.write(seal.resolve("seal.png"), png);
        var esl = new SealMaker(maker, "YINXIN").make(new SealMaker.SealSpec(
                LICENCE_SEAL_ID, SealMaker.TYPE_ORGANISATION, LICENCE_SEAL_NAME, png, 42, 42,
                List.of(certificate), certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()),
                start);
        Files.write(seal.resolve("seal.esl"), esl.getEncoded("DER"));
        describe(seal, LICENCE_SEAL_ID, LICENCE_SEAL_NAME, "OTHER", "42", null,
                "Sample SM2 licence seal with its GB/T 38540 seal (development only; key store password: "
                        + PASSWORD + ")");
    }

    /** The seal's seal.properties, what the seal service imports (SealImport); {@code users} null: the default. */
    private static void describe(Path seal, String id, String name, String kind, String sizeMm, String users,
                                 String comment) throws IOException {
        Properties description = new Properties();
        description.setProperty("id", id);
        description.setProperty("name", name);
        description.setProperty("agency", AGENCY);
        description.setProperty("agencyCode", AGENCY_CODE);
        description.setProperty("kind", kind);
        description.setProperty("widthMm", sizeMm);
        description.setProperty("heightMm", sizeMm);
        if (users != null) {
            description.setProperty("users", users);
        }
        try (Writer out = Files.newBufferedWriter(seal.resolve("seal.properties"), StandardCharsets.UTF_8)) {
            description.store(out, comment);
        }
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
