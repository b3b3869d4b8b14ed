package cn.yinxin.ca;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.core.trust.TrustedCa.Purpose;
import cn.yinxin.testing.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Mutual recognition: register another CA, publish, remove, publish again; the list is signed and checked. */
class TrustListTest extends CaTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void aRegisteredCaAppearsInTheNextPublishedListAndLeavesAfterRemoval() throws Exception {
        Commands.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "other.key", "-subj", "/C=CN/O=Other Province/CN=Other Province Seal CA",
                "-days", "30", "-out", "other.pem", "-addext", "basicConstraints=critical,CA:TRUE");
        String pem = Files.readString(dir.resolve("other.pem"));
        var root = Pem.readCertificates(Files.readAllBytes(KEYSTORES.resolve("ca/root.pem"))).get(0);
        var other = Pem.readCertificates(pem.getBytes()).get(0);
        String until = Instant.now().plus(10, ChronoUnit.DAYS).toString();

        var registered = postJson("/api/v1/trust-list/cas", JSON.writeValueAsString(Map.of("name", "Other Province Seal CA",
                "certificate", pem, "trustedFor", List.of("AGENCY_SEALS"), "validUntil", until)));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String id = JSON.readTree(registered.body()).path("id").asString();
        assertThat(postJson("/api/v1/trust-list/cas", JSON.writeValueAsString(Map.of("name", "again",
                "certificate", pem, "trustedFor", List.of("AGENCY_SEALS"), "validUntil", until))).statusCode()).isEqualTo(409);
        assertThat(postJson("/api/v1/trust-list/cas", JSON.writeValueAsString(Map.of("name", "no purpose",
                "certificate", pem, "trustedFor", List.of(), "validUntil", until))).body())
                .contains("urn:yinxin:problem:invalid-request");
        assertThat(postJson("/api/v1/trust-list/cas", JSON.writeValueAsString(Map.of("name", "a seal, not a CA",
                "certificate", Files.readString(KEYSTORES.resolve("ca/tsa.pem")), "trustedFor", List.of("TIME_STAMPS"),
                "validUntil", until))).body()).contains("not a CA certificate");

        TrustList published = publishAndFetch(root);
        assertThat(published.anchors(Instant.now(), Set.of(Purpose.AGENCY_SEALS))).contains(root, other);
        assertThat(published.anchors(Instant.now(), Set.of(Purpose.PERSONAL_SIGNATURES))).containsExactly(root);

        var removed = http.send(HttpRequest.newBuilder(URI.create(URL + "/api/v1/trust-list/cas/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(removed.statusCode()).isEqualTo(204);
        TrustList stillPublished = TrustList.verify(new String(get("/api/v1/trust-list").body()), List.of(root), Instant.now());
        assertThat(stillPublished.anchors(Instant.now(), Set.of(Purpose.AGENCY_SEALS)))
                .as("removal takes effect at the next publication").contains(other);
        TrustList next = publishAndFetch(root);
        assertThat(next.sequence()).isGreaterThan(published.sequence());
        assertThat(next.anchors(Instant.now(), Set.of(Purpose.AGENCY_SEALS))).containsExactly(root);

        assertThat(audited("recognised CA registered")).isPositive();
        assertThat(audited("recognised CA removed")).isPositive();
        assertThat(audited("trust list published")).isPositive();
    }

    /**
     * Another product's seal maker: registered by its own certificate for SEAL_MAKING alone, published as a seal
     * maker and never as an anchor; a CA for seal making, or a maker together with a signature purpose, is refused.
     */
    @Test
    void anotherProductsSealMakerIsRegisteredByItsOwnCertificateForThatAlone() throws Exception {
        Commands.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "maker.key", "-subj", "/C=CN/O=Other Province/CN=Other Province Seal Maker",
                "-days", "30", "-out", "maker.pem", "-addext", "basicConstraints=critical,CA:FALSE",
                "-addext", "keyUsage=critical,digitalSignature");
        Commands.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "ca.key", "-subj", "/C=CN/O=Other Province/CN=Other Province Maker CA",
                "-days", "30", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE");
        String maker = Files.readString(dir.resolve("maker.pem"));
        String until = Instant.now().plus(10, ChronoUnit.DAYS).toString();
        var root = Pem.readCertificates(Files.readAllBytes(KEYSTORES.resolve("ca/root.pem"))).get(0);

        assertThat(postJson("/api/v1/trust-list/cas", JSON.writeValueAsString(Map.of("name", "a CA as a maker",
                "certificate", Files.readString(dir.resolve("ca.pem")), "trustedFor", List.of("SEAL_MAKING"),
                "validUntil", until))).body()).contains("urn:yinxin:problem:invalid-request").contains("not a CA");
        assertThat(postJson("/api/v1/trust-list/cas", JSON.writeValueAsString(Map.of("name", "a maker as an anchor",
                "certificate", maker, "trustedFor", List.of("SEAL_MAKING", "AGENCY_SEALS"), "validUntil", until)))
                .body()).contains("urn:yinxin:problem:invalid-request").contains("nothing else with it");
        var registered = postJson("/api/v1/trust-list/cas", JSON.writeValueAsString(Map.of("name",
                "Other Province Seal Maker", "certificate", maker, "trustedFor", List.of("SEAL_MAKING"),
                "validUntil", until)));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);

        TrustList published = publishAndFetch(root);
        var makerCertificate = Pem.readCertificates(maker.getBytes()).get(0);
        assertThat(published.sealMakers(Instant.now())).containsExactly(makerCertificate);
        assertThat(published.anchors(Instant.now(), EnumSet.allOf(Purpose.class))).doesNotContain(makerCertificate);
        http.send(HttpRequest.newBuilder(URI.create(URL + "/api/v1/trust-list/cas/" + JSON.readTree(registered.body())
                .path("id").asString())).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private TrustList publishAndFetch(java.security.cert.X509Certificate root) throws Exception {
        assertThat(postJson("/api/v1/trust-list/publications", "").statusCode()).isEqualTo(201);
        var response = get("/api/v1/trust-list");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/jose");
        return TrustList.verify(new String(response.body()), List.of(root), Instant.now());
    }
}
