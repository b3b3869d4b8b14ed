package cn.yinxin.verifier.pdf;

import cn.yinxin.core.pki.ca.CaHierarchy;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.Pkcs12Vault;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.core.trust.TrustedCa.Purpose;
import cn.yinxin.core.trust.TrustedCa;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Commands;
import cn.yinxin.testing.DssJudge;
import cn.yinxin.testing.DssSigner;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.http.VerifierVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.ExternalSigningSupport;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Foreign documents: PDFs signed by software other than ours, with certificates of a CA made outside Yinxin (by
 * openssl). The CA is recognised the way the platform recognises another province's or a commercial CA: the
 * ca-service's signed trust list names it, and the verifier (over its HTTP API) picks the list up.
 *
 * <ul>
 *   <li>EU DSS signs a PAdES-BASELINE-B signature with the recognised CA's certificate: VALID.</li>
 *   <li>openssl makes a detached CMS over the /ByteRange bytes of a PDF prepared with PDFBox (adbe.pkcs7.detached,
 *   and one ETSI.CAdES.detached): VALID for RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256 with SHA-384, without any
 *   signed attribute, and with openssl's -cades attributes. poppler's pdfsig confirms each signature.</li>
 *   <li>A foreign certificate that names a CRL (made by {@code openssl ca -gencrl}, served on loopback) is checked
 *   online: good is VALID, revoked is INDETERMINATE / REVOKED_NO_POE.</li>
 *   <li>The same with a CA nobody recognised: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND.</li>
 * </ul>
 */
class ForeignDocumentsTest {

    private static Path work;
    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicReference<String> trustList = new AtomicReference<>("");
    private static final AtomicReference<byte[]> foreignCrl = new AtomicReference<>(new byte[0]);
    private static VerifierVerticle verifier;
    private static byte[] pdf;
    private static OpensslCa recognised;
    private static OpensslCa unrecognised;
    private static OpensslCa.Leaf recognisedRsa;
    private static OpensslCa.Leaf recognisedEc;
    private static OpensslCa.Leaf withCrl;
    private static OpensslCa.Leaf revoked;
    private static OpensslCa.Leaf unrecognisedEc;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void setUp() throws Exception {
        work = Files.createTempDirectory("yinxin-foreign");
        Path keystores = work.resolve("keystores");
        SamplePki.create(keystores);
        pdf = Files.readAllBytes(keystores.resolve("samples/approval-result.pdf"));

        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/foreign/sub-ca.crl")) {
                request.response().putHeader("Content-Type", "application/pkix-crl")
                        .end(Buffer.buffer(foreignCrl.get()));
            } else {
                request.response().putHeader("Content-Type", "application/jose").end(trustList.get());
            }
        }).listen(0).await(10, TimeUnit.SECONDS);
        String crlUrl = "http://127.0.0.1:" + server.actualPort() + "/foreign/sub-ca.crl";

        recognised = new OpensslCa(work.resolve("recognised"), "Foreign Trust Services", crlUrl);
        unrecognised = new OpensslCa(work.resolve("unrecognised"), "Unknown Trust Services", null);
        recognisedRsa = recognised.leaf("rsa", "Cachet Agence Exemple", "rsa:2048", false);
        recognisedEc = recognised.leaf("ec", "Sceau Agence Exemple", "ec", false);
        withCrl = recognised.leaf("crl", "Sceau avec LCR", "ec", true);
        revoked = recognised.leaf("revoked", "Sceau revoque", "ec", true);
        unrecognisedEc = unrecognised.leaf("ec", "Sceau Inconnu", "ec", false);
        recognised.revoke(revoked);
        foreignCrl.set(recognised.crl());

        // the platform's trust list names its own root and the foreign root (as an administrator registers it)
        CaHierarchy hierarchy = CaHierarchy.load(new Pkcs12Vault(keystores.resolve("ca/ca.p12"),
                SamplePki.PASSWORD.toCharArray()));
        Instant now = Instant.now();
        var own = new TrustedCa("Yinxin Root CA", hierarchy.root().certificate(), EnumSet.allOf(Purpose.class),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(100)), true);
        var foreign = new TrustedCa("Foreign Trust Services Root CA", recognised.root(), EnumSet.of(Purpose.AGENCY_SEALS),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(100)), false);
        trustList.set(new TrustList(1, now, now.plus(Duration.ofDays(1)), List.of(own, foreign))
                .sign(hierarchy.trustListSigner()));

        verifier = new VerifierVerticle(new VerifierConfig(0, keystores.resolve("trust"), 1 << 20,
                "http://127.0.0.1:" + server.actualPort() + "/api/v1/trust-list", work.resolve("trust-list.jws"),
                300, true, 2));
        vertx.deployVerticle(verifier).await(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void tearDown() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void aPdfSignedByEuDssWithARecognisedExternalCaIsValid() throws Exception {
        byte[] signed = DssSigner.sign(pdf, recognisedEc.p12(), OpensslCa.P12_PASSWORD);

        JsonObject signature = onlySignature(verify(signed), "VALID");
        assertThat(signature.getString("indication")).isEqualTo("TOTAL_PASSED");
        assertThat(signature.getString("format")).isEqualTo("PAdES-BASELINE-B");
        assertThat(signature.getJsonObject("signer").getString("issuer")).contains("Foreign Trust Services Sub CA");
        assertThat(reasons(signature)).anyMatch(r -> r.contains("chains to the trusted root")
                && r.contains("Foreign Trust Services Root CA"));
        // the foreign certificates name no revocation service: accepted, and said so
        assertThat(reasons(signature)).anyMatch(r -> r.contains("Sceau Agence Exemple")
                && r.contains("names no OCSP responder and no CRL"));
        // DSS agrees the signature it made is intact and cryptographically valid
        DssJudge.Verdict dss = DssJudge.validate(signed, recognised.root());
        assertThat(dss.intact()).isTrue();
        assertThat(dss.signatureValid()).isTrue();
    }

    /** How openssl signs: key, options, SubFilter. */
    enum OpensslVariant {
        RSA_PKCS1_WITH_ATTRIBUTES(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED.getName(), false, "-md", "sha256"),
        RSA_PSS(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED.getName(), false, "-md", "sha256",
                "-keyopt", "rsa_padding_mode:pss"),
        NO_SIGNED_ATTRIBUTES(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED.getName(), false, "-md", "sha256", "-noattr"),
        ECDSA_SHA384(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED.getName(), true, "-md", "sha384", "-nosmimecap"),
        CADES_SIGNING_CERTIFICATE_V2(PDSignature.SUBFILTER_ETSI_CADES_DETACHED.getName(), true, "-md", "sha256",
                "-cades", "-nosmimecap");

        final String subFilter;
        final boolean ec;
        final String[] options;

        OpensslVariant(String subFilter, boolean ec, String... options) {
            this.subFilter = subFilter;
            this.ec = ec;
            this.options = options;
        }
    }

    @ParameterizedTest
    @EnumSource(OpensslVariant.class)
    void aPdfCarryingAnOpensslCmsWithARecognisedExternalCaIsValid(OpensslVariant variant) throws Exception {
        OpensslCa.Leaf leaf = variant.ec ? recognisedEc : recognisedRsa;
        byte[] signed = signWithOpenssl(pdf, leaf, variant.subFilter, variant.options);

        JsonObject signature = onlySignature(verify(signed), "VALID");
        assertThat(signature.getString("indication")).isEqualTo("TOTAL_PASSED");
        assertThat(signature.getJsonObject("coverage").getBoolean("coversWholeDocument")).isTrue();
        assertThat(reasons(signature)).anyMatch(r -> r.contains("Foreign Trust Services Root CA"));
        if (variant.subFilter.equals(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED.getName())) {
            assertThat(signature.getString("format")).isEqualTo("PKCS#7 (adbe.pkcs7.detached)");
        }
        assertPdfsigSaysValid(signed, variant.name());
        DssJudge.Verdict dss = DssJudge.validate(signed, recognised.root());
        assertThat(dss.intact()).as("DSS: intact").isTrue();
        assertThat(dss.signatureValid()).as("DSS: signature valid").isTrue();
    }

    @Test
    void aForeignCertificateThatNamesACrlIsCheckedAgainstIt() throws Exception {
        JsonObject good = onlySignature(verify(signWithOpenssl(pdf, withCrl,
                PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED.getName(), "-md", "sha256")), "VALID");
        assertThat(reasons(good)).anyMatch(r -> r.contains("Sceau avec LCR") && r.contains("not revoked")
                && r.contains("CRL fetched now"));

        byte[] byDss = DssSigner.sign(pdf, revoked.p12(), OpensslCa.P12_PASSWORD);
        JsonObject bad = onlySignature(verify(byDss), "INDETERMINATE");
        assertThat(bad.getString("subIndication")).isEqualTo("REVOKED_NO_POE");
        assertThat(reasons(bad)).anyMatch(r -> r.contains("Sceau revoque") && r.contains("was revoked")
                && r.contains("KEY_COMPROMISE"));
    }

    @Test
    void theSameSignaturesFromAnUnrecognisedCaCannotBeConfirmed() throws Exception {
        byte[] byDss = DssSigner.sign(pdf, unrecognisedEc.p12(), OpensslCa.P12_PASSWORD);
        byte[] byOpenssl = signWithOpenssl(pdf, unrecognisedEc, PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED.getName(),
                "-md", "sha256");
        for (byte[] signed : List.of(byDss, byOpenssl)) {
            JsonObject signature = onlySignature(verify(signed), "INDETERMINATE");
            assertThat(signature.getString("indication")).isEqualTo("INDETERMINATE");
            assertThat(signature.getString("subIndication")).isEqualTo("NO_CERTIFICATE_CHAIN_FOUND");
            // the signature itself is sound: only the trust is missing
            assertThat(reasons(signature)).anyMatch(r -> r.contains("matches the signer's public key"));
            assertThat(reasons(signature)).anyMatch(r -> r.contains("does not chain to any trusted root")
                    && r.contains("Unknown Trust Services Sub CA"));
        }
    }

    @Test
    void oneChangedByteBreaksAnOpensslSignature() throws Exception {
        for (String[] options : List.of(new String[] {"-md", "sha256"}, new String[] {"-md", "sha256", "-noattr"})) {
            byte[] signed = signWithOpenssl(pdf, recognisedRsa, PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED.getName(),
                    options);
            String text = new String(signed, java.nio.charset.StandardCharsets.ISO_8859_1);
            // the catalog's /Version /1.6 becomes /1.7: still a sound PDF, but not the one signed
            int at = text.indexOf("/Version /1.6");
            assertThat(at).isPositive();
            signed[at + "/Version /1.".length()] = '7';
            JsonObject signature = onlySignature(verify(signed), "INVALID");
            assertThat(signature.getString("indication")).isEqualTo("TOTAL_FAILED");
            // with signed attributes the changed digest is seen as such; without, the bytes are signed directly
            assertThat(signature.getString("subIndication"))
                    .isEqualTo(options.length == 2 ? "HASH_FAILURE" : "SIG_CRYPTO_FAILURE");
        }
    }

    /**
     * A PDF prepared by PDFBox (an invisible signature field, /Contents reserved) whose /ByteRange bytes openssl
     * signs: {@code openssl cms -sign -binary -outform DER} (detached by default), the DER put into /Contents.
     */
    private static byte[] signWithOpenssl(byte[] input, OpensslCa.Leaf leaf, String subFilter, String... options)
            throws Exception {
        Path dir = Files.createTempDirectory(work, "openssl-sign");
        try (PDDocument document = Loader.loadPDF(input); SignatureOptions signatureOptions = new SignatureOptions()) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(org.apache.pdfbox.cos.COSName.getPDFName(subFilter));
            signature.setName(leaf.name());
            signature.setReason("Signed with openssl cms");
            signature.setSignDate(Calendar.getInstance());
            signatureOptions.setPreferredSignatureSize(16 * 1024);
            document.addSignature(signature, signatureOptions);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExternalSigningSupport external = document.saveIncrementalForExternalSigning(out);
            Files.write(dir.resolve("to-sign.bin"), external.getContent().readAllBytes());
            List<String> command = new ArrayList<>(List.of("openssl", "cms", "-sign", "-binary", "-in", "to-sign.bin",
                    "-signer", leaf.certificate().toString(), "-inkey", leaf.key().toString(),
                    "-certfile", leaf.issuerChain().toString(), "-outform", "DER", "-out", "signature.der"));
            command.addAll(List.of(options));
            Commands.ok(dir, command.toArray(String[]::new));
            external.setSignature(Files.readAllBytes(dir.resolve("signature.der")));
            return out.toByteArray();
        }
    }

    private static void assertPdfsigSaysValid(byte[] signed, String name) throws Exception {
        Path file = work.resolve(name + ".pdf");
        Files.write(file, signed);
        String output = Commands.run(work, "pdfsig", file.toString()).output();
        assertThat(output).as("pdfsig on " + name).contains("Signature Validation: Signature is Valid.")
                .contains("Total document signed");
    }

    private JsonObject verify(byte[] document) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + verifier.port()
                        + "/api/v1/verify/pdf")).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(document)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static JsonObject onlySignature(JsonObject report, String verdict) {
        assertThat(report.getString("verdict")).as(report.encodePrettily()).isEqualTo(verdict);
        assertThat(report.getJsonArray("signatures")).hasSize(1);
        return report.getJsonArray("signatures").getJsonObject(0);
    }

    private static List<String> reasons(JsonObject signature) {
        return signature.getJsonArray("reasons").stream().map(String::valueOf).toList();
    }

    /**
     * A CA made entirely by openssl, outside Yinxin's code: a root (P-256), an issuing sub CA, leaf certificates
     * (with or without a CRL distribution point), revocation and CRLs with {@code openssl ca}.
     */
    static final class OpensslCa {

        static final String P12_PASSWORD = "foreign-test";

        record Leaf(String name, Path certificate, Path key, Path issuerChain, Path p12) {
        }

        private final Path dir;
        private final String organisation;
        private final String crlUrl;
        private int serial = 0x1000;

        OpensslCa(Path dir, String organisation, String crlUrl) throws Exception {
            this.dir = Files.createDirectories(dir);
            this.organisation = organisation;
            this.crlUrl = crlUrl;
            Files.writeString(dir.resolve("openssl.cnf"), """
                    [req]
                    distinguished_name = dn
                    [dn]
                    [root_ext]
                    basicConstraints = critical,CA:TRUE
                    keyUsage = critical,keyCertSign,cRLSign
                    subjectKeyIdentifier = hash
                    [sub_ext]
                    basicConstraints = critical,CA:TRUE,pathlen:0
                    keyUsage = critical,keyCertSign,cRLSign
                    subjectKeyIdentifier = hash
                    authorityKeyIdentifier = keyid
                    [leaf_ext]
                    basicConstraints = critical,CA:FALSE
                    keyUsage = critical,digitalSignature,nonRepudiation
                    subjectKeyIdentifier = hash
                    authorityKeyIdentifier = keyid
                    [leaf_crl_ext]
                    basicConstraints = critical,CA:FALSE
                    keyUsage = critical,digitalSignature,nonRepudiation
                    subjectKeyIdentifier = hash
                    authorityKeyIdentifier = keyid
                    crlDistributionPoints = URI:%s
                    [ca]
                    default_ca = sub_ca
                    [sub_ca]
                    database = index.txt
                    crlnumber = crlnumber
                    certificate = sub.pem
                    private_key = sub.key
                    default_md = sha256
                    default_crl_days = 1
                    """.formatted(crlUrl == null ? "http://127.0.0.1:1/none.crl" : crlUrl));
            Files.writeString(dir.resolve("index.txt"), "");
            Files.writeString(dir.resolve("crlnumber"), "01\n");
            openssl("req", "-x509", "-config", "openssl.cnf", "-extensions", "root_ext", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "root.key", "-out", "root.pem",
                    "-days", "3650", "-subj", "/C=FR/O=" + organisation + "/CN=" + organisation + " Root CA");
            openssl("req", "-new", "-config", "openssl.cnf", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", "sub.key", "-out", "sub.csr",
                    "-subj", "/C=FR/O=" + organisation + "/CN=" + organisation + " Sub CA");
            openssl("x509", "-req", "-in", "sub.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "2",
                    "-days", "1825", "-extfile", "openssl.cnf", "-extensions", "sub_ext", "-out", "sub.pem");
        }

        X509Certificate root() throws Exception {
            return Pem.readCertificates(Files.readAllBytes(dir.resolve("root.pem"))).get(0);
        }

        /** A leaf certificate of the sub CA, its key, and a PKCS#12 with the chain (for DSS). */
        Leaf leaf(String file, String commonName, String keyType, boolean namesCrl) throws Exception {
            List<String> key = keyType.equals("ec") ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
                    : List.of("-newkey", keyType);
            List<String> request = new ArrayList<>(List.of("req", "-new", "-config", "openssl.cnf"));
            request.addAll(key);
            request.addAll(List.of("-nodes", "-keyout", file + ".key", "-out", file + ".csr",
                    "-subj", "/C=FR/O=Agence Exemple/CN=" + commonName));
            openssl(request.toArray(String[]::new));
            openssl("x509", "-req", "-in", file + ".csr", "-CA", "sub.pem", "-CAkey", "sub.key",
                    "-set_serial", String.valueOf(serial++), "-days", "90", "-extfile", "openssl.cnf",
                    "-extensions", namesCrl ? "leaf_crl_ext" : "leaf_ext", "-out", file + ".pem");
            Files.writeString(dir.resolve("chain.pem"), Files.readString(dir.resolve("sub.pem"))
                    + Files.readString(dir.resolve("root.pem")));
            openssl("pkcs12", "-export", "-inkey", file + ".key", "-in", file + ".pem", "-certfile", "chain.pem",
                    "-name", file, "-out", file + ".p12", "-passout", "pass:" + P12_PASSWORD);
            return new Leaf(commonName, dir.resolve(file + ".pem"), dir.resolve(file + ".key"),
                    dir.resolve("chain.pem"), dir.resolve(file + ".p12"));
        }

        void revoke(Leaf leaf) {
            openssl("ca", "-config", "openssl.cnf", "-revoke", leaf.certificate().toString(),
                    "-crl_reason", "keyCompromise");
        }

        /** The sub CA's current CRL, DER. */
        byte[] crl() throws Exception {
            openssl("ca", "-config", "openssl.cnf", "-gencrl", "-out", "sub.crl.pem");
            openssl("crl", "-in", "sub.crl.pem", "-outform", "DER", "-out", "sub.crl");
            return Files.readAllBytes(dir.resolve("sub.crl"));
        }

        private void openssl(String... arguments) {
            List<String> command = new ArrayList<>();
            command.add("openssl");
            command.addAll(List.of(arguments));
            Commands.ok(dir, command.toArray(String[]::new));
        }
    }
}
