package cn.yinxin.licence.sealing;

import cn.yinxin.licence.LicenceProperties;
import cn.yinxin.service.security.SecurityProperties;
import cn.yinxin.service.security.ServiceTokens;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seal-service client's kept connections (Apache HttpClient 5): after the seal service restarts, the next call
 * does not fail on a connection kept from before (a review finding: without validation, and without retries, which
 * a stamp must not have, it answered 503 seal-service-unavailable).
 */
class SealServiceRestartTest {

    /**
     * After the seal service restarts, the next call must not fail on a connection the pool kept from before
     * (the JDK HttpClient noticed a kept connection's close; HttpClient 5 without validateAfterInactivity and without
     * retries sends the call down the dead connection and answers 503 seal-service-unavailable).
     */
    @Test
    void theFirstCallAfterASealServiceRestartDoesNotFail() throws Exception {
        HttpServer server = sealService(0);
        int port = server.getAddress().getPort();
        SealService seals = new SealServiceClient(new LicenceProperties(URI.create("http://127.0.0.1:" + port),
                Duration.ofSeconds(5), "http://localhost", Duration.ofMinutes(5), null, false, null, null),
                new ServiceTokens(new SecurityProperties(SecurityProperties.Mode.DEVELOPMENT, null, "yinxin", null, null,
                        30, null)), new SimpleMeterRegistry());
        try {
            assertThat(seals.seal("seal-1").agencyCode()).isEqualTo("11410000MB0000174P");
        } finally {
            server.stop(0);   // the seal service restarts: its connections close
        }
        TimeUnit.MILLISECONDS.sleep(200);   // the FIN reaches the client's kept connection
        HttpServer restarted = sealService(port);
        try {
            assertThat(seals.seal("seal-1").agencyCode()).isEqualTo("11410000MB0000174P");
        } finally {
            restarted.stop(0);
        }
    }

    private static HttpServer sealService(int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("{\"id\":\"seal-1\",\"name\":\"专用章\",\"agency\":\"某局\","
                    + "\"agencyCode\":\"11410000MB0000174P\",\"status\":\"ACTIVE\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
