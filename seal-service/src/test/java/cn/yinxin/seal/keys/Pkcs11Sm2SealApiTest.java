package cn.yinxin.seal.keys;

import cn.yinxin.testing.SoftHsmTokens;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.pki.keys.Pkcs11Vault;
import cn.yinxin.core.pki.keys.Sm2Signatures;
import cn.yinxin.core.ses.SESeal;
import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.CaServiceExtension;
import cn.yinxin.testing.Multipart;
import cn.yinxin.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seal service with its key store in a PKCS#11 token that signs SM2 (SoftHSM2 with the SM3withSM2 mechanism of
 * .ci/softhsm-sm2; Debian's has none): an SM2 seal created through the API has its key made in the token (the CSR
 * to the real ca-service is signed there), gets its GB/T 38540 SESeal, and its national stamp (PAdES SM3withSM2 and
 * the SES_Signature, both signed in the token) verifies. The key cannot be read out of the token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot), a CA service process, an embedded PostgreSQL")
class Pkcs11Sm2SealApiTest {

    static final Path SM2_LIBRARY = SoftHsmTokens.SM2_LIBRARY;
    static final String PIN = "4321";
    // one CA for the seal service's test classes (see CaServiceExtension): each has its own database and key
    // store, and the CA only issues, revokes and makes seals for the seal ids and persons of the class asking
    @RegisterExtension
    static final CaServiceExtension ca = CaServiceExtension.shared("ca_for_seal_tests");
    static final long slot = token();

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("seal_pkcs11_sm2"));
        // no seal folders to import: their PKCS#12 files would be opened with the token's PIN
        registry.add("yinxin.seals.import-dir", () -> ca.keystores().resolve("no-seal-folders").toString());
        registry.add("yinxin.seals.keystore.type", () -> "PKCS11");
        registry.add("yinxin.seals.keystore.library", SM2_LIBRARY::toString);
        registry.add("yinxin.seals.keystore.slot", () -> slot);
        registry.add("yinxin.seals.keystore.password", () -> PIN);
        registry.add("yinxin.seals.ca-url", ca::url);
        registry.add("yinxin.stamp.tsa-url", () -> ca.url() + "/tsa");
    }

    /** A fresh token in the folder SOFTHSM2_CONF (set by the pom) names; its slot. */
    static long token() {
        try {
            SoftHsmTokens.newTokenFolder();
            return SoftHsmTokens.initToken("seal-service-sm2", PIN);
        } catch (Exception e) {
            throw new IllegalStateException("the test token cannot be made: " + e.getMessage(), e);
        }
    }

    @Test
    void anSm2SealWithItsKeyInTheTokenStampsInNationalModeAndVerifies() throws Exception {
        var created = http.send(new Multipart().file("image", "seal.png", "image/png",
                        Files.readAllBytes(ca.keystores().resolve("seals").resolve(SamplePki.SEAL_ID).resolve("seal.png")))
                .field("id", "hsm-national").field("name", "示例市行政审批服务局行政审批专用章").field("agency", SamplePki.AGENCY)
                .field("agencyCode", SamplePki.AGENCY_CODE).field("kind", "APPROVAL").field("widthMm", 42)
                .field("heightMm", 42).field("keyAlgorithm", "SM2")
                .field("users", "[{\"client\":\"development\",\"levels\":[\"B_B\",\"B_T\"]}]")
                .post(uri("/api/v1/seals")), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        // the key is in the token, as a handle: its value cannot be read
        var inToken = new Pkcs11Vault(SM2_LIBRARY, slot, PIN.toCharArray());
        assertThat(inToken.aliases()).isNotEmpty();
        var key = inToken.get(inToken.aliases().iterator().next());
        assertThat(Sm2Signatures.isSm2(key.certificate().getPublicKey())).isTrue();
        assertThat(key.privateKey().getEncoded()).as("a handle only").isNull();
        List<X509Certificate> chain = Pem.readCertificates(http.send(HttpRequest.newBuilder(
                uri("/api/v1/seals/hsm-national/certificate")).build(), HttpResponse.BodyHandlers.ofByteArray()).body());
        assertThat(key.certificate()).isEqualTo(chain.get(0));

        var seseal = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/hsm-national/seseal")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(seseal.statusCode()).isEqualTo(200);
        assertThat(SESeal.getInstance(seseal.body()).sealInfo().property().certs()).containsExactly(chain.get(0).getEncoded());

        byte[] pdf = Files.readAllBytes(ca.keystores().resolve("samples/approval-result.pdf"));
        var stamped = http.send(new Multipart().file("file", "result.pdf", "application/pdf", pdf)
                .field("sealId", "hsm-national").field("page", 1).field("x", 150).field("y", 230)
                .post(uri("/api/v1/stamp")), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(stamped.statusCode()).as(new String(stamped.body(), StandardCharsets.UTF_8)).isEqualTo(200);

        X509Certificate root = Pem.readFolder(ca.keystores().resolve("trust")).get(0);
        var report = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5))).verify(stamped.body());
        var signature = report.signatures().get(0);
        assertThat(report.verdict()).as(signature.reasons() + " / " + signature.nationalSeal()).isEqualTo(Verdict.VALID);
        assertThat(signature.nationalSeal()).as("national by default for a seal with an SESeal").isNotNull();
        assertThat(signature.nationalSeal().valid()).as(signature.nationalSeal().reasons().toString()).isTrue();
        assertThat(signature.nationalSeal().esId()).isEqualTo("hsm-national");
        assertThat(signature.signer().subject()).contains("行政审批专用章");

        // renewed: a new SM2 key in the token, the old one destroyed there; the new key stamps in national mode
        String oldAlias = inToken.aliases().iterator().next();
        var renewed = http.send(HttpRequest.newBuilder(uri("/api/v1/seals/hsm-national/renewal"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        var afterRenewal = new Pkcs11Vault(SM2_LIBRARY, slot, PIN.toCharArray());
        assertThat(afterRenewal.aliases()).hasSize(1).doesNotContain(oldAlias);
        var newKey = afterRenewal.get(afterRenewal.aliases().iterator().next());
        assertThat(Sm2Signatures.isSm2(newKey.certificate().getPublicKey())).isTrue();
        assertThat(newKey.certificate()).isNotEqualTo(chain.get(0));
        var again = http.send(new Multipart().file("file", "result.pdf", "application/pdf", pdf)
                .field("sealId", "hsm-national").field("page", 1).field("x", 150).field("y", 230)
                .post(uri("/api/v1/stamp")), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).as(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        var later = new PdfVerifier(List.of(root), new OnlineRevocationSource(Duration.ofSeconds(5))).verify(again.body());
        assertThat(later.verdict()).as(later.signatures().get(0).reasons().toString()).isEqualTo(Verdict.VALID);
        assertThat(later.signatures().get(0).nationalSeal().valid()).isTrue();
        assertThat(new java.math.BigInteger(later.signatures().get(0).signer().serialNumber(), 16))
                .isEqualTo(newKey.certificate().getSerialNumber());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
