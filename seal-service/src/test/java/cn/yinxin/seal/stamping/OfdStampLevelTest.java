package cn.yinxin.seal.stamping;

import cn.yinxin.core.ofd.OfdWriter;
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

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OFD's level when the TSA does not answer (the configured TSA is a closed port): B-T is refused with 503
 * level-unavailable and nothing is stored, unless allowLowerLevel, which gives a seal without time-stamp
 * (OFD-SES-B); B-B never asks the TSA. The real ca-service makes the SM2 seal's SESeal.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@cn.yinxin.testing.Slow("the seal service (Spring Boot), a CA service process, an embedded PostgreSQL")
class OfdStampLevelTest {

    // one CA for the seal service's test classes (see CaServiceExtension): each has its own database and key
    // store, and the CA only issues, revokes and makes seals for the seal ids and persons of the class asking
    @RegisterExtension
    static final CaServiceExtension ca = CaServiceExtension.shared("ca_for_seal_tests");
    private static final String SEAL = "ofd-levels";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("seal_ofd_levels"));
        registry.add("yinxin.seals.import-dir", () -> ca.keystores().resolve("seals").toString());
        registry.add("yinxin.seals.keystore.path", () -> ca.sealKeyStore().toString());
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.ca-url", ca::url);
        registry.add("yinxin.seals.ca-timeout", () -> "PT5S");
        // nothing listens there (this helper's port range): the TSA is down
        registry.add("yinxin.stamp.tsa-url", () -> "http://127.0.0.1:37999/tsa");
        registry.add("yinxin.stamp.service-timeout", () -> "PT2S");
    }

    @Test
    void anSm2SealIsCreated() throws Exception {
        var created = createSm2Seal(SEAL + "-created");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    /** Each test makes what it needs: the seal it stamps with, unless an earlier test made it. */
    private void sm2SealExists() throws Exception {
        var seal = http.send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/seals/" + SEAL)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (seal.statusCode() == 404) {
            var created = createSm2Seal(SEAL);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
    }

    private HttpResponse<String> createSm2Seal(String id) throws Exception {
        return http.send(new Multipart().file("image", "seal.png", "image/png", png())
                .field("id", id).field("name", "示例市行政审批服务局公章").field("agency", "示例市行政审批服务局")
                .field("agencyCode", SamplePki.AGENCY_CODE).field("kind", "AGENCY").field("widthMm", 40)
                .field("heightMm", 40).field("keyAlgorithm", "SM2")
                .field("users", "[{\"client\":\"development\",\"levels\":[\"B_B\",\"B_T\"]}]")
                .post(uri("/api/v1/seals")), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withTheTsaDownBtIsRefusedUnlessALowerLevelIsAllowed() throws Exception {
        sm2SealExists();
        byte[] ofd = onePage();
        var refused = stamp(ofd, "level", "B-T");
        assertThat(refused.statusCode()).as(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo(503);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("level-unavailable")
                .contains("OFD-SES-T");
        assertThat(jdbc.sql("SELECT count(*) FROM stamp_record").query(Long.class).single()).isZero();

        var lower = stamp(ofd, "level", "B-T", "allowLowerLevel", true);
        assertThat(lower.statusCode()).as(new String(lower.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(lower.headers().firstValue("X-Signature-Level")).hasValue("OFD-SES-B");
        assertThat(lower.headers().firstValue("X-Signature-Level-Requested")).hasValue("PAdES-BASELINE-T");
        assertThat(jdbc.sql("SELECT signature_level FROM stamp_record").query(String.class).single())
                .isEqualTo("OFD-SES-B");

        var plain = stamp(ofd, "level", "B-B");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("X-Signature-Level")).hasValue("OFD-SES-B");
    }

    private HttpResponse<byte[]> stamp(byte[] ofd, Object... fields) throws Exception {
        Multipart form = new Multipart().file("file", "document.ofd", "application/ofd", ofd)
                .field("sealId", SEAL).field("page", 1).field("x", 100).field("y", 150);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            form.field((String) fields[i], fields[i + 1]);
        }
        return http.send(form.post(uri("/api/v1/stamp")), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] onePage() throws Exception {
        OfdWriter writer = new OfdWriter().title("审批结果").created(LocalDate.of(2026, 12, 6));
        writer.page(210, 297).text(20, 40, 8, "行政许可决定书");
        return writer.write();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(400, 400, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(220, 0, 0));
        g.fillOval(20, 20, 360, 360);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
