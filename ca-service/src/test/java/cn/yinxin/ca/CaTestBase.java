package cn.yinxin.ca;

import cn.yinxin.keystores.SamplePki;
import cn.yinxin.testing.Commands;
import cn.yinxin.testing.SampleKeystores;
import cn.yinxin.testing.TestDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * The real ca-service on a real PostgreSQL, on a fixed free port, so that the CRL and OCSP addresses written
 * into its certificates point at it and outside tools (openssl, EU DSS) can fetch them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@cn.yinxin.testing.Slow("the CA as a Spring Boot application on an embedded PostgreSQL")
abstract class CaTestBase {

    static final int PORT = Commands.freePort();
    static final String URL = "http://localhost:" + PORT;
    static final int OCSP_PORT = Commands.freePort();
    /** The lean OCSP listener, the address certificates name. */
    static final String OCSP_URL = "http://localhost:" + OCSP_PORT + "/ocsp";
    static final Path KEYSTORES = SampleKeystores.fresh(URL, OCSP_URL);

    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
        registry.add("yinxin.ca.public-url", () -> URL);
        registry.add("yinxin.ca.ocsp-port", () -> OCSP_PORT);
        registry.add("yinxin.ca.ocsp-url", () -> OCSP_URL);
        registry.add("yinxin.ca.keystore.path", () -> KEYSTORES.resolve("ca/ca.p12").toString());
        registry.add("yinxin.ca.keystore.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.ca.seal-keys.path", () -> KEYSTORES.resolve("seal-keys.p12").toString());
        registry.add("yinxin.ca.seal-keys.password", () -> SamplePki.PASSWORD);
        registry.add("yinxin.ca.import-dir", () -> KEYSTORES.resolve("ca/issued").toString());
    }

    HttpResponse<String> postJson(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(URL + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(URL + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(URL + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    long audited(String action) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = :a").param("a", action).query(Long.class).single();
    }
}
