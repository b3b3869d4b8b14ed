package cn.yinxin.seal.stamping;

import cn.yinxin.seal.registry.Seal;

import cn.yinxin.core.ofd.LicenceMetadata;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.ofd.OfdReader;
import cn.yinxin.core.ofd.OfdWriter;
import cn.yinxin.core.ofd.OfdXml;
import cn.yinxin.core.ofd.verify.OfdVerifier;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.CaServiceExtension;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.w3c.dom.Element;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OFD stamping over {@code POST /api/v1/stamp} against the real ca-service (its seal maker makes the SM2 seal's
 * GB/T 38540 SESeal, its TSA time-stamps): the answer is an OFD whose seals core's OfdVerifier finds VALID with the
 * development PKI, placed by position, by anchor text and across pages; a second stamp over a first keeps both valid;
 * each seal leaves a stamp record and a signing-record audit entry; Idempotency-Key replays the same bytes; a P-256
 * seal, hostile packages and a licence OFD from an approval system are refused with problem+json; ofdrw-gm decodes
 * the SES_Signature inside the answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot), a CA service process, an embedded PostgreSQL")
class OfdStampApiTest {

    // one CA for the seal service's test classes (see CaServiceExtension): each has its own database and key
    // store, and the CA only issues, revokes and makes seals for the seal ids and persons of the class asking
    @RegisterExtension
    static final CaServiceExtension ca = CaServiceExtension.shared("ca_for_seal_tests");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SEAL = "ofd-office";
    /** An OFD stamped at a position (B-T): made by the test that checks it, or by the first other test that needs it. */
    private static byte[] positioned;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("seal_ofd_stamps"));
        registry.add("yinxin.seals.import-dir", () -> ca.keystores().resolve("seals").toString());
        registry.add("yinxin.seals.keystore.path", () -> ca.sealKeyStore().toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.ca-url", ca::url);
        registry.add("yinxin.seals.ca-timeout", () -> "PT5S");
        registry.add("yinxin.stamp.tsa-url", () -> ca.url() + "/tsa");
    }

    @Test
    void anSm2SealIsCreatedThroughTheApi() throws Exception {
        var created = createSm2Seal(SEAL + "-created");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /** Each test makes what it needs: the SM2 seal it stamps with, unless an earlier test made it. */
    private void sm2SealExists() throws Exception {
        var seal = http.send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/seals/" + SEAL)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (seal.statusCode() == 404) {
            var created = createSm2Seal(SEAL);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
    }

    private HttpResponse<String> createSm2Seal(String id) throws Exception {
        return http.send(new Multipart().file("image", "seal.png", "image/png", png(600))
                .field("id", id).field("name", "示例市行政审批服务局公章").field("agency", "示例市行政审批服务局")
                .field("agencyCode", SamplePki.AGENCY_CODE).field("kind", "AGENCY").field("widthMm", 40)
                .field("heightMm", 40).field("keyAlgorithm", "SM2")
                .field("users", "[{\"client\":\"development\",\"levels\":[\"B_B\",\"B_T\",\"B_LTA\"],\"crossPage\":true}]")
                .post(uri("/api/v1/seals")), HttpResponse.BodyHandlers.ofString());
    }

    private byte[] positioned() throws Exception {
        if (positioned == null) {
            sm2SealExists();
            var response = stamp(twoPages(), "application/ofd", "sealId", SEAL, "page", 1, "x", 100, "y", 150,
                    "level", "B-T");
            assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
            positioned = response.body();
        }
        return positioned;
    }

    @Test
    void anOfdStampedAtAPositionVerifiesValidAndLeavesItsRecordAndSigningRecord() throws Exception {
        sm2SealExists();
        var stampedT = meters.find("yinxin.stamps").tag("outcome", "stamped").tag("level", "OFD-SES-T").counter();
        double stampedBefore = stampedT == null ? 0 : stampedT.count();
        byte[] ofd = twoPages();
        var response = stamp(ofd, "application/ofd", "sealId", SEAL, "page", 1, "x", 100, "y", 150, "level", "B-T");
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ofd");
        assertThat(response.headers().firstValue("X-Signature-Level")).hasValue("OFD-SES-T");
        assertThat(response.headers().firstValue("X-Signature-Level-Requested")).hasValue("PAdES-BASELINE-T");
        positioned = response.body();

        VerificationReport report = verifier().verify(positioned);
        assertThat(report.verdict()).as(report.summary() + " " + report.signatures()).isEqualTo(Verdict.VALID);
        assertThat(report.signatures()).hasSize(1);
        assertThat(report.signatures().get(0).nationalSeal().esId()).isEqualTo(SEAL);
        assertThat(report.signatures().get(0).nationalSeal().timeStamped()).as("B-T: the SES_Signature time-stamp")
                .isTrue();

        String stampId = response.headers().firstValue("X-Stamp-Id").orElseThrow();
        var record = jdbc.sql("SELECT seal_id, page, x_mm, y_mm, signature_level, document_sha256_before, "
                + "document_sha256_after FROM stamp_record WHERE id = :id").param("id", java.util.UUID.fromString(stampId))
                .query((rs, n) -> List.of(rs.getString(1), rs.getInt(2), rs.getDouble(3), rs.getDouble(4),
                        rs.getString(5), rs.getString(6), rs.getString(7))).single();
        assertThat(record).containsExactly(SEAL, 1, 100.0, 150.0, "OFD-SES-T", sha256(ofd), sha256(positioned));
        String details = jdbc.sql("SELECT details FROM audit_event WHERE action = 'stamp' AND details LIKE :d")
                .param("d", "%stamp=" + stampId + "%").query(String.class).single();
        assertThat(details).contains("seal=" + SEAL).contains("document=" + sha256(ofd))
                .contains("result=" + sha256(positioned)).contains("level=OFD-SES-T").contains("format=ofd");

        // counted with the PDF stamps, under the OFD level's name
        assertThat(meters.find("yinxin.stamps").tag("outcome", "stamped").tag("level", "OFD-SES-T").counter())
                .isNotNull().extracting(c -> c.count()).isEqualTo(stampedBefore + 1.0);

        // B-B: no time-stamp, and said so
        var plain = stamp(ofd, "application/ofd", "sealId", SEAL, "page", 2, "x", 100, "y", 150, "level", "B-B");
        assertThat(plain.statusCode()).as(text(plain)).isEqualTo(200);
        assertThat(plain.headers().firstValue("X-Signature-Level")).hasValue("OFD-SES-B");
        var plainReport = verifier().verify(plain.body());
        assertThat(plainReport.verdict()).isEqualTo(Verdict.VALID);
        assertThat(plainReport.signatures().get(0).nationalSeal().timeStamped()).isFalse();

        // long-term evidence asked for by name is refused, not silently dropped; accepted as OFD-SES-T when allowed
        var longTerm = stamp(ofd, "application/ofd", "sealId", SEAL, "page", 2, "x", 100, "y", 150, "level", "B-LTA");
        assertThat(longTerm.statusCode()).as(text(longTerm)).isEqualTo(400);
        assertThat(text(longTerm)).contains("invalid-request").contains("allowLowerLevel");
        var lower = stamp(ofd, "application/ofd", "sealId", SEAL, "page", 2, "x", 100, "y", 150, "level", "B-LTA",
                "allowLowerLevel", "true");
        assertThat(lower.statusCode()).as(text(lower)).isEqualTo(200);
        assertThat(lower.headers().firstValue("X-Signature-Level")).hasValue("OFD-SES-T");
    }

    @Test
    void byAnchorTextTheSealIsCentredOnTheText() throws Exception {
        sm2SealExists();
        // an octet-stream upload: the ZIP magic and its OFD.xml entry make it an OFD
        var response = stamp(twoPages(), "application/octet-stream", "sealId", SEAL, "anchor", "（盖章）");
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ofd");
        assertThat(verifier().verify(response.body()).verdict()).isEqualTo(Verdict.VALID);
        List<Element> annots = stampAnnots(response.body(), 0);
        assertThat(annots).hasSize(1);
        double[] box = box(annots.get(0));
        // "发证机关（盖章）" at x=120, baseline y=200, 5 mm: the anchor lies right of x=120 around y=198
        assertThat(box[0] + box[2] / 2).isBetween(135.0, 170.0);
        assertThat(box[1] + box[3] / 2).isBetween(190.0, 205.0);
        var record = jdbc.sql("SELECT anchor, page, x_mm FROM stamp_record WHERE id = :id")
                .param("id", java.util.UUID.fromString(response.headers().firstValue("X-Stamp-Id").orElseThrow()))
                .query((rs, n) -> List.of(rs.getString(1), rs.getInt(2), rs.getDouble(3))).single();
        assertThat(record.get(0)).isEqualTo("（盖章）");
        assertThat(record.get(1)).isEqualTo(1);
        assertThat((Double) record.get(2)).as("the place found, as written").isEqualTo(box[0] + box[2] / 2);

        var missing = stamp(twoPages(), "application/ofd", "sealId", SEAL, "anchor", "不存在的文字");
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(text(missing)).contains("anchor-not-found");
    }

    @Test
    void acrossPagesEachPageGetsItsStripOfOneSeal() throws Exception {
        sm2SealExists();
        var response = stamp(twoPages(), "application/ofd", "sealId", SEAL, "crossPages", "all", "y", 150);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(verifier().verify(response.body()).verdict()).isEqualTo(Verdict.VALID);
        List<Element> annots = stampAnnots(response.body(), 0);
        assertThat(annots).hasSize(2);
        assertThat(annots).allMatch(a -> !a.getAttribute("Clip").isBlank());
        assertThat(annots.get(0).getAttribute("PageRef")).isNotEqualTo(annots.get(1).getAttribute("PageRef"));
    }

    @Test
    void aSecondStampOverTheFirstKeepsBothValid() throws Exception {
        var second = stamp(positioned(), "application/ofd", "sealId", SEAL, "page", 2, "x", 60, "y", 60);
        assertThat(second.statusCode()).as(text(second)).isEqualTo(200);
        VerificationReport report = verifier().verify(second.body());
        assertThat(report.signatures()).hasSize(2);
        assertThat(report.signatures()).allMatch(s -> s.indication() == Indication.TOTAL_PASSED,
                report.signatures().toString());
        assertThat(report.verdict()).isEqualTo(Verdict.VALID);
        // several seals in one request: one record each, both valid
        var two = stamp(twoPages(), "application/ofd", "seals",
                "[{\"sealId\":\"" + SEAL + "\",\"page\":1,\"x\":50,\"y\":50},{\"sealId\":\"" + SEAL + "\",\"page\":2,\"x\":50,\"y\":50}]");
        assertThat(two.statusCode()).as(text(two)).isEqualTo(200);
        assertThat(two.headers().firstValue("X-Stamp-Id").orElseThrow().split(",")).hasSize(2);
        var both = verifier().verify(two.body());
        assertThat(both.signatures()).hasSize(2);
        assertThat(both.verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void aSealWithoutAnSESealIsRefused() throws Exception {
        var refused = stamp(twoPages(), "application/ofd", "sealId", SamplePki.SEAL_ID, "page", 1, "x", 100, "y", 150);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(text(refused)).contains("seal-not-usable").contains("GB/T 38540");
        assertThat(jdbc.sql("SELECT count(*) FROM stamp_record WHERE seal_id = :s").param("s", SamplePki.SEAL_ID)
                .query(Long.class).single()).isZero();
    }

    @Test
    void hostilePackagesAreRefusedWithProblemJson() throws Exception {
        sm2SealExists();
        Map<String, byte[]> good = entries(twoPages());
        // a zip bomb: 20 MiB of zeros deflated to some 20 KB
        Map<String, byte[]> bomb = new LinkedHashMap<>(good);
        bomb.put("Doc_0/Res/bomb.bin", new byte[20 << 20]);
        assertProblem(stamp(zip(bomb), "application/ofd", "sealId", SEAL, "page", 1, "x", 100, "y", 150), 413,
                "ofd-too-large");
        Map<String, byte[]> climbing = new LinkedHashMap<>(good);
        climbing.put("Doc_0/../../evil.xml", "<x/>".getBytes(StandardCharsets.UTF_8));
        // sent as octet-stream: found to be an OFD by its magic and OFD.xml, then refused
        assertProblem(stamp(zip(climbing), "application/octet-stream", "sealId", SEAL, "page", 1, "x", 100, "y", 150),
                422, "ofd-unsafe-path");
        Map<String, byte[]> doctype = new LinkedHashMap<>(good);
        doctype.put("OFD.xml", ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + new String(good.get("OFD.xml"), StandardCharsets.UTF_8).replaceFirst("^<\\?xml[^>]*\\?>", ""))
                .getBytes(StandardCharsets.UTF_8));
        assertProblem(stamp(zip(doctype), "application/ofd", "sealId", SEAL, "page", 1, "x", 100, "y", 150), 422,
                "ofd-xml-doctype");
        assertProblem(stamp("%PDF-1.7 not an ofd".getBytes(StandardCharsets.US_ASCII), "application/ofd", "sealId", SEAL,
                "page", 1, "x", 100, "y", 150), 415, "not-an-ofd");
        // PDF-only options are refused for an OFD, not ignored
        assertProblem(stamp(twoPages(), "application/ofd", "sealId", SEAL, "page", 1, "x", 100, "y", 150, "qr", true),
                400, "invalid-request");
        assertThat(jdbc.sql("SELECT count(*) FROM stamp_record WHERE document_sha256_before IN (:a, :b, :c)")
                .param("a", sha256(zip(bomb))).param("b", sha256(zip(climbing))).param("c", sha256(zip(doctype)))
                .query(Long.class).single()).isZero();
    }

    @Test
    void anIdempotencyKeyReplaysTheSameBytesAndStampsOnce() throws Exception {
        sm2SealExists();
        byte[] ofd = twoPages();
        var first = stampWithKey("ofd-key-1", ofd, "sealId", SEAL, "page", 1, "x", 80, "y", 80);
        assertThat(first.statusCode()).as(text(first)).isEqualTo(200);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        var again = stampWithKey("ofd-key-1", ofd, "sealId", SEAL, "page", 1, "x", 80, "y", 80);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("X-Stamp-Id")).isEqualTo(first.headers().firstValue("X-Stamp-Id"));
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/ofd");
        assertThat(jdbc.sql("SELECT count(*) FROM stamp_record WHERE document_sha256_after = :h")
                .param("h", sha256(first.body())).query(Long.class).single()).isEqualTo(1);
        var other = stampWithKey("ofd-key-1", ofd, "sealId", SEAL, "page", 1, "x", 90, "y", 80);
        assertProblem(other, 422, "idempotency-key-reused");
    }

    @Test
    void aLicenceOfdIsStampedForTheLicenceServiceOnlyAndTheRefusalIsAudited() throws Exception {
        sm2SealExists();
        OfdWriter writer = new OfdWriter().title("食品经营许可证").created(LocalDate.of(2026, 12, 6)).licence(new LicenceMetadata("食品经营许可证",
                "11100000000013127D001", "JY13501000000001",
                "1.2.156.3005.2.11100000000013127D001.91350100M000100Y43.20260001.001.X", "福州市市场监督管理局",
                "91350100M000100Y43", LocalDate.of(2026, 12, 1), "福州某某餐饮有限公司", "91350100M000100Y43", "001",
                LocalDate.of(2026, 12, 1), null));
        writer.page(210, 297).text(20, 40, 5, "食品经营许可证");
        byte[] licence = writer.write();
        var refused = http.send(form(licence, "application/ofd", "sealId", SEAL, "page", 1, "x", 100, "y", 150)
                .post(uri("/api/v1/stamp"), "X-Dev-Roles", "approval-system"), HttpResponse.BodyHandlers.ofByteArray());
        assertProblem(refused, 403, "signing-not-permitted");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'stamp.refused' AND details LIKE '%format=ofd%'")
                .query(Long.class).single()).isPositive();
        // the same approval system stamps an OFD that names no licence
        var approval = http.send(form(twoPages(), "application/ofd", "sealId", SEAL, "page", 1, "x", 100, "y", 150)
                .post(uri("/api/v1/stamp"), "X-Dev-Roles", "approval-system"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(approval.statusCode()).as(text(approval)).isEqualTo(200);
        // the licence service's own client may
        var allowed = stamp(licence, "application/ofd", "sealId", SEAL, "page", 1, "x", 100, "y", 150);
        assertThat(allowed.statusCode()).as(text(allowed)).isEqualTo(200);
    }

    @Test
    void ofdrwDecodesTheSealSignatureInsideTheStampedOfd() throws Exception {
        OfdDocument document = new OfdReader().read(positioned());
        String signatureXml = document.signatures().get(0).signatureXml();
        String folder = signatureXml.substring(0, signatureXml.lastIndexOf('/') + 1);
        byte[] value = document.pack().get(folder + "SignedValue.dat");
        try (Ofdrw ofdrw = new Ofdrw()) {
            Object signature = ofdrw.decode("org.ofdrw.gm.ses.v4.SES_Signature", value);
            assertThat(Ofdrw.der(signature)).as("re-encoded byte for byte").isEqualTo(value);
            assertThat(Ofdrw.get(signature, "getToSign", "getVersion", "getValue").toString()).isEqualTo("4");
            assertThat(Ofdrw.get(signature, "getToSign", "getEseal", "geteSealInfo", "getEsID", "getString"))
                    .isEqualTo(SEAL);
            assertThat(Ofdrw.get(signature, "getToSign", "getPropertyInfo", "getString")).isEqualTo("/" + signatureXml);
            byte[] sm3 = MessageDigest.getInstance("SM3", ofdrw.bouncyCastle170).digest(document.pack().get(signatureXml));
            assertThat(Ofdrw.octets(Ofdrw.get(signature, "getToSign", "getDataHash"))).as("dataHash = SM3(Signature.xml)")
                    .isEqualTo(sm3);
            assertThat(Ofdrw.der(Ofdrw.get(signature, "getToSign", "getEseal")))
                    .isEqualTo(document.pack().get(folder + "Seal.esl"));
            assertThat(Ofdrw.get(signature, "getTimeStamp")).as("B-T: time-stamped").isNotNull();
            // Bouncy Castle 1.70 (another SM2 implementation) checks the signer's signature over what ofdrw decoded
            byte[] tbs = Ofdrw.der(Ofdrw.get(signature, "getToSign"));
            byte[] sig = Ofdrw.octets(Ofdrw.get(signature, "getSignature"));
            byte[] cert = Ofdrw.octets(Ofdrw.get(signature, "getCert"));
            assertThat(ofdrw.verify(cert, tbs, sig)).isTrue();
            tbs[tbs.length - 1] ^= 1;
            assertThat(ofdrw.verify(cert, tbs, sig)).as("control: other bytes").isFalse();
        }
    }

    /**
     * ofdrw-gm 2.3.6 with the Bouncy Castle 1.70 it was built for, in a class loader of its own over
     * target/ofdrw-bc170 (the pom copies the jars), as core's OfdrwJudgesOurOfdTest: only bytes cross.
     */
    private static final class Ofdrw implements AutoCloseable {
        private final java.net.URLClassLoader loader;
        final java.security.Provider bouncyCastle170;

        Ofdrw() throws Exception {
            java.net.URL[] jars;
            try (var files = Files.list(java.nio.file.Path.of("target/ofdrw-bc170"))) {
                jars = files.filter(f -> f.toString().endsWith(".jar")).map(f -> {
                    try {
                        return f.toUri().toURL();
                    } catch (java.net.MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                }).toArray(java.net.URL[]::new);
            }
            assertThat(jars).hasSize(4);
            loader = new java.net.URLClassLoader("ofdrw-bc170", jars, ClassLoader.getPlatformClassLoader());
            bouncyCastle170 = (java.security.Provider) loader.loadClass(
                    "org.bouncycastle.jce.provider.BouncyCastleProvider").getConstructor().newInstance();
        }

        Object decode(String type, byte[] der) throws Exception {
            return loader.loadClass(type).getMethod("getInstance", Object.class).invoke(null, (Object) der);
        }

        boolean verify(byte[] certificate, byte[] data, byte[] signature) throws Exception {
            var key = CertificateFactory.getInstance("X.509", bouncyCastle170)
                    .generateCertificate(new ByteArrayInputStream(certificate)).getPublicKey();
            Signature check = Signature.getInstance("SM3withSM2", bouncyCastle170);
            check.initVerify(KeyFactory.getInstance("EC", bouncyCastle170)
                    .generatePublic(new X509EncodedKeySpec(key.getEncoded())));
            check.update(data);
            return check.verify(signature);
        }

        static Object get(Object target, String... getters) throws Exception {
            Object value = target;
            for (String getter : getters) {
                java.lang.reflect.Method method = value.getClass().getMethod(getter);
                method.setAccessible(true);
                value = method.invoke(value);
            }
            return value;
        }

        static byte[] der(Object asn1) throws Exception {
            return (byte[]) asn1.getClass().getMethod("getEncoded", String.class).invoke(asn1, "DER");
        }

        static byte[] octets(Object asn1) throws Exception {
            return (byte[]) asn1.getClass().getMethod("getOctets").invoke(asn1);
        }

        @Override
        public void close() throws Exception {
            loader.close();
        }
    }

    // ---- helpers

    private OfdVerifier verifier() throws Exception {
        X509Certificate root = Pem.readFolder(ca.keystores().resolve("trust")).get(0);
        List<X509Certificate> intermediates = new ArrayList<>(Pem.readFolder(ca.keystores().resolve("ca")));
        intermediates.addAll(Pem.readCertificates(get("/api/v1/seals/" + SEAL + "/certificate").body()
                .getBytes(StandardCharsets.US_ASCII)));
        return new OfdVerifier(List.of(root), intermediates, new OnlineRevocationSource(Duration.ofSeconds(5)))
                .withSealStatus(id -> {
                    var answer = get("/api/v1/seals/" + id + "/status");
                    return answer.statusCode() == 404 ? null : JSON.readTree(answer.body()).get("status").asString();
                });
    }

    /** A two-page OFD with "发证机关（盖章）" on page 1. */
    private static byte[] twoPages() throws Exception {
        OfdWriter writer = new OfdWriter().title("审批结果").created(LocalDate.of(2026, 12, 6));
        writer.page(210, 297).text(20, 40, 8, "行政许可决定书").text(20, 70, 4.5, "申请人：福州某某餐饮有限公司")
                .text(120, 200, 5, "发证机关（盖章）");
        writer.page(210, 297).text(20, 40, 5, "第二页 附件");
        return writer.write();
    }

    private HttpResponse<byte[]> stamp(byte[] document, String contentType, Object... fields) throws Exception {
        return http.send(form(document, contentType, fields).post(uri("/api/v1/stamp")),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> stampWithKey(String key, byte[] document, Object... fields) throws Exception {
        return http.send(form(document, "application/ofd", fields).post(uri("/api/v1/stamp"), "Idempotency-Key", key),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Multipart form(byte[] document, String contentType, Object... fields) {
        Multipart form = new Multipart().file("file", "document.ofd", contentType, document);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            form.field((String) fields[i], fields[i + 1]);
        }
        return form;
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status, String type) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(text(response)).contains("urn:yinxin:problem:" + type);
    }

    /** The StampAnnots of the n-th signature of a sealed OFD. */
    private static List<Element> stampAnnots(byte[] ofd, int n) {
        OfdDocument document = new OfdReader().read(ofd);
        String path = document.signatures().get(n).signatureXml();
        var xml = OfdXml.parse(document.pack().get(path), path, cn.yinxin.core.ofd.OfdLimits.DEFAULT);
        return OfdXml.descendants(xml.getDocumentElement(), "StampAnnot");
    }

    private static double[] box(Element annot) {
        String[] parts = annot.getAttribute("Boundary").trim().split("\\s+");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
                Double.parseDouble(parts[3])};
    }

    private static Map<String, byte[]> entries(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String text(HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        return type.contains("json") ? new String(response.body(), StandardCharsets.UTF_8) : type + " " + response.body().length + " bytes";
    }

    private static String sha256(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static byte[] png(int size) throws Exception {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(220, 0, 0));
        g.setStroke(new BasicStroke(Math.max(2, size / 20f)));
        g.drawOval(size / 20, size / 20, size * 9 / 10, size * 9 / 10);
        g.fillOval(size * 2 / 5, size * 2 / 5, size / 5, size / 5);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
