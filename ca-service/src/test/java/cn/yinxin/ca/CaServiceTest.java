package cn.yinxin.ca;

import cn.yinxin.core.pki.Pem;
import cn.yinxin.keystores.SamplePki;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CaServiceTest {

    private static Path keystores;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) throws Exception {
        keystores = Files.createTempDirectory("yinxin-keystores");
        SamplePki.create(keystores);
        registry.add("yinxin.ca.dir", () -> keystores.resolve("ca").toString());
    }

    @Test
    void publishesTheCaCertificatesAndReportsHealthy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var certificates = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/ca/certificates")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(certificates.statusCode()).isEqualTo(200);
        var parsed = Pem.readCertificates(certificates.body());
        assertThat(parsed).extracting(c -> c.getSubjectX500Principal().getName())
                .anySatisfy(n -> assertThat(n).contains("Yinxin Development Root CA"))
                .anySatisfy(n -> assertThat(n).contains("Yinxin Development Seal CA"));

        var health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
    }
}
