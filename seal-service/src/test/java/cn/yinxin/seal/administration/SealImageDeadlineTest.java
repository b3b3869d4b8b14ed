package cn.yinxin.seal.administration;

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
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red team 7's open item: an SVG seal image was drawn by jsvg in the request's thread without a time limit, and a
 * Java2D call cannot be interrupted: a few kilobytes held a thread and a core for minutes. Now each SVG is drawn
 * in a process of its own, killed at {@code svg-render-timeout} (5 s here): every hostile image is answered
 * {@code seal-image-too-complex} within the bound with nothing stored, a genuine one still makes a seal, and a
 * drawing beyond {@code svg-concurrent-renders} (1 here) is refused at once with {@code seal-images-busy}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@cn.yinxin.testing.Slow("the seal service (Spring Boot), a CA service process, an embedded PostgreSQL, SVG drawings killed at 5 s")
class SealImageDeadlineTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    /** Starting and killing the drawing process, the multipart request and the answer, on a busy machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    @RegisterExtension
    static final CaServiceExtension ca = new CaServiceExtension("ca_for_seal_images");
    private static final Path keyStore = ca.sealKeyStore();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.jdbcUrl("seal_images"));
        registry.add("yinxin.seals.import-dir", () -> ca.keystores().resolve("seals").toString());
        registry.add("yinxin.seals.keystore.path", keyStore::toString);
        registry.add("yinxin.seals.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.seals.ca-url", ca::url);
        registry.add("yinxin.seals.image.svg-render-timeout", BOUND::toString);
        registry.add("yinxin.seals.image.svg-concurrent-renders", () -> "1");
    }

    @Test
    @Order(1)
    void aGenuineSvgSealIsDrawnWithinTheBoundAndMakesASeal() throws Exception {
        long start = System.nanoTime();
        var response = create("svg-contract-seal", HostileSvgs.genuine(), 42);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("genuine SVG seal, 42 mm (672 px): " + response.statusCode() + " in " + took.toMillis() + " ms");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        byte[] stampPng = jdbc.sql("SELECT stamp_png FROM seal WHERE id = 'svg-contract-seal'").query(byte[].class).single();
        BufferedImage drawn = ImageIO.read(new ByteArrayInputStream(stampPng));
        assertThat(drawn.getWidth()).isEqualTo(42 * 16);
        Color ring = new Color(drawn.getRGB(42 * 8, 42 * 16 * 4 / 100), true);
        assertThat(ring.getRed()).as("the ring is drawn in red").isGreaterThan(180);
        assertThat(drawn.getRGB(3, 3) >>> 24).as("the corner is transparent").isZero();
        int text = 0; // 合同专用章 along y = 73..80 of 100: the drawing process finds the CJK fonts
        for (int y = 672 * 73 / 100; y <= 672 * 80 / 100; y++) {
            for (int x = 672 * 35 / 100; x <= 672 * 65 / 100; x++) {
                Color pixel = new Color(drawn.getRGB(x, y), true);
                text += pixel.getAlpha() > 128 && pixel.getRed() > 180 ? 1 : 0;
            }
        }
        assertThat(text).as("the text line is drawn").isGreaterThan(500);
    }

    @Test
    @Order(2)
    void eachHostileSvgIsStoppedAtTheBoundAndNothingIsStored() throws Exception {
        long seals = count("seal");
        long audits = count("audit_event");
        int keys = aliases();
        record Case(String name, byte[] svg, int mm) {
        }
        for (Case c : new Case[]{
                new Case("200 feGaussianBlur", HostileSvgs.blurs(), 120),
                new Case("300 masked circles", HostileSvgs.masks(), 120),
                new Case("1,000 gradient circles", HostileSvgs.gradients(), 120),
                new Case("stroke-dasharray 0.0002", HostileSvgs.dashes(), 120)}) {
            long start = System.nanoTime();
            var response = create("hostile-svg", c.svg(), c.mm());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.println(c.name() + " (" + c.svg().length + " bytes, " + c.mm() + " mm = " + c.mm() * 16 + " px): "
                    + response.statusCode() + " in " + took.toMillis() + " ms");
            assertThat(response.statusCode()).as(c.name() + ": " + response.body()).isEqualTo(422);
            assertThat(response.headers().firstValue("Content-Type")).as(c.name()).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("type").asString()).as(c.name())
                    .isEqualTo("urn:yinxin:problem:seal-image-too-complex");
            assertThat(took).as(c.name()).isLessThan(BOUND.plus(SLACK));
        }
        assertThat(count("seal")).isEqualTo(seals);
        assertThat(count("audit_event")).isEqualTo(audits);
        assertThat(aliases()).as("no key was made for a refused seal").isEqualTo(keys);
        assertThat(caCertificates("hostile")).as("no certificate was asked for").isZero();
    }

    @Test
    @Order(3)
    void anSvgBeyondTheDrawingsAllowedAtOnceIsRefusedAtOnce() throws Exception {
        long seals = count("seal");
        CompletableFuture<HttpResponse<String>> hostile = CompletableFuture.supplyAsync(() -> {
            try {
                return create("hostile-busy", HostileSvgs.blurs(), 120);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1500); // the hostile drawing has its place by now and keeps it until it is killed
        long start = System.nanoTime();
        var busy = create("genuine-busy", HostileSvgs.genuine(), 42);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("a second SVG while one is drawn: " + busy.statusCode() + " in " + took.toMillis() + " ms");
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(busy.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:seal-images-busy");
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(JSON.readTree(hostile.get().body()).get("type").asString())
                .isEqualTo("urn:yinxin:problem:seal-image-too-complex");
        assertThat(count("seal")).isEqualTo(seals);
        // once the place is free again, the genuine image is drawn
        assertThat(create("genuine-busy", HostileSvgs.genuine(), 42).statusCode()).isEqualTo(201);
    }

    /** The drawing process's error stream is drained to its end: a full pipe stalled it, a long one was a 500. */
    @Test
    @Order(4)
    void anSvgThatFillsTheDrawingsErrorStreamIsARefusalNotA500() throws Exception {
        long seals = count("seal");
        var response = create("noisy-svg", HostileSvgs.noisy(), 42);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("type").asString()).isEqualTo("urn:yinxin:problem:invalid-seal-image");
        assertThat(response.body()).contains("transparent");
        assertThat(count("seal")).isEqualTo(seals);
    }

    private HttpResponse<String> create(String id, byte[] image, double mm) throws Exception {
        return http.send(new Multipart().file("image", "seal.svg", "image/svg+xml", image)
                .field("id", id).field("name", id.startsWith("hostile") ? "hostile" : "合同专用章")
                .field("agency", "河南省某市行政审批服务局").field("agencyCode", SamplePki.AGENCY_CODE)
                .field("kind", "CONTRACT").field("widthMm", mm).field("heightMm", mm).field("users", "[]")
                .post(URI.create("http://localhost:" + port + "/api/v1/seals")), HttpResponse.BodyHandlers.ofString());
    }

    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private static int aliases() throws Exception {
        if (!Files.exists(keyStore)) {
            return 0;
        }
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            p12.load(in, SamplePki.PASSWORD.toCharArray());
        }
        return p12.size();
    }

    private static long caCertificates(String name) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(TestDatabase.jdbcUrl(ca.database()), "postgres", "");
             var query = connection.prepareStatement("SELECT count(*) FROM certificate WHERE subject LIKE ?")) {
            query.setString(1, "%" + name + "%");
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
