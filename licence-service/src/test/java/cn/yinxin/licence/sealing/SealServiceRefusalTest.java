package cn.yinxin.licence.sealing;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.licence.LicenceProperties;
import cn.yinxin.service.security.SecurityProperties;
import cn.yinxin.service.security.ServiceTokens;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seal service's 4xx answer is a refusal of the request itself ({@link SealService.Refused}, which an import
 * does not retry); a 5xx, 408 or 429 is an outage. Each call names its source for the seal service's signing record.
 */
class SealServiceRefusalTest {

    private HttpServer server;
    private volatile int status;
    /** How many requests still to come are dropped: the connection closed, no answer. */
    private final AtomicInteger dropped = new AtomicInteger();
    private final List<String> sources = new CopyOnWriteArrayList<>();
    private final List<String> requestIds = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        server = sealService(0);
    }

    /** The stub seal service on {@code port} (0: any), answering {@link #status}. */
    private HttpServer sealService(int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            sources.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Yinxin-Source")));
            requestIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Request-Id")));
            if (dropped.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.close();   // no answer sent: the connection is closed
                return;
            }
            byte[] body = (status == 200 ? "{\"id\":\"seal-1\",\"name\":\"专用章\",\"agency\":\"某局\","
                    + "\"agencyCode\":\"11410000MB0000174P\",\"status\":\"ACTIVE\"}"
                    : "{\"type\":\"urn:yinxin:problem:seal-not-permitted\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** The client as the licence service makes it, against the stub on loopback. */
    private SealService client() {
        return client(SealServiceClient.MAX_CONNECTIONS, SealServiceClient.AGENCY_KEPT);
    }

    private SealService client(int connections, Duration agencyKept) {
        return new SealServiceClient(new LicenceProperties(URI.create("http://127.0.0.1:"
                + server.getAddress().getPort()), Duration.ofSeconds(5), "http://localhost", Duration.ofMinutes(5),
                null, false, null, null), new ServiceTokens(new SecurityProperties(SecurityProperties.Mode.DEVELOPMENT, null,
                "yinxin", null, null, 30, null)), meters, connections, agencyKept);
    }

    @Test
    void anAgencyKeptForNoTimeIsAskedEveryTimeAndImpossibleSettingsAreRefused() {
        SealService seals = client(2, Duration.ZERO);
        status = 200;
        seals.agencyOf("seal-1");
        seals.agencyOf("seal-1");
        assertThat(sources).hasSize(2);
        assertThatThrownBy(() -> client(0, Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("seal-service-connections");
        assertThatThrownBy(() -> client(2, Duration.ofSeconds(-1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("seal-agency-kept");
    }

    @Test
    void aFourHundredIsARefusalAndAFiveHundredAnOutage() {
        SealService seals = client();
        for (int refused : new int[]{400, 403, 404, 409, 422}) {
            status = refused;
            assertThatThrownBy(() -> seals.seal("seal-1")).as("HTTP " + refused).isInstanceOf(SealService.Refused.class)
                    .hasMessageContaining("HTTP " + refused)
                    // the licence API's answer keeps its problem type
                    .satisfies(e -> assertThat(((RejectedException) e).problem()).isEqualTo(Problem.SEAL_SERVICE_UNAVAILABLE));
        }
        for (int outage : new int[]{408, 429, 500, 502, 503}) {
            status = outage;
            assertThatThrownBy(() -> seals.seal("seal-1")).as("HTTP " + outage).isInstanceOf(RejectedException.class)
                    .isNotInstanceOf(SealService.Refused.class);
        }
        sources.clear();
        status = 503;
        assertThatThrownBy(() -> SealService.from("licence-service:bulk-import:job/7", () -> seals.seal("seal-1")));
        assertThatThrownBy(() -> seals.seal("seal-1"));
        assertThat(sources).containsExactly("licence-service:bulk-import:job/7", "licence-service");
        // a 4xx is the seal service answering (ok), a 5xx or no answer a failure: 7 answers, 5 failures so far
        assertThat(meters.get("yinxin.calls").tags("target", "seal-service", "outcome", "ok").timer().count()).isEqualTo(7);
        assertThat(meters.get("yinxin.calls").tags("target", "seal-service", "outcome", "failed").timer().count()).isEqualTo(5);
    }

    /** An issuance names its issuer from a kept copy of the seal's agency; what a seal is (its status) is asked. */
    @Test
    void aSealsAgencyIsKeptForAMinuteWhatTheSealIsIsAskedEveryTime() {
        SealService seals = client();
        status = 404;
        assertThatThrownBy(() -> seals.agencyOf("seal-1")).isInstanceOf(SealService.Refused.class);
        assertThat(sources).as("a refusal is not kept").hasSize(1);
        status = 200;
        assertThat(seals.agencyOf("seal-1").agencyCode()).isEqualTo("11410000MB0000174P");
        assertThat(seals.agencyOf("seal-1").agency()).isEqualTo("某局");
        assertThat(sources).as("asked once, then kept").hasSize(2);
        seals.seal("seal-1");
        seals.seal("seal-1");
        assertThat(sources).hasSize(4);
    }

    /**
     * After the seal service restarts, the next call does not fail on a connection kept from before (found by the
     * night's review: without validation, and without retries, which a stamp must not have, it answered 503).
     */
    @Test
    void theFirstCallAfterASealServiceRestartDoesNotFail() throws Exception {
        SealService seals = client();
        status = 200;
        assertThat(seals.seal("seal-1").agencyCode()).isEqualTo("11410000MB0000174P");
        int port = server.getAddress().getPort();
        server.stop(0);   // the seal service restarts: its connections close
        TimeUnit.MILLISECONDS.sleep(200);   // the FIN reaches the client's kept connection
        server = sealService(port);
        assertThat(seals.seal("seal-1").agencyCode()).isEqualTo("11410000MB0000174P");
    }

    @Test
    void aReadWhoseConnectionBrokeIsSentOnceMoreAStampNever() {
        SealService seals = client();
        status = 200;
        dropped.set(1);
        assertThat(seals.seal("seal-1").agencyCode()).isEqualTo("11410000MB0000174P");
        assertThat(sources).as("the dropped read and the one sent again").hasSize(2);
        sources.clear();
        dropped.set(1);
        assertThatThrownBy(() -> seals.stamp("seal-1", new byte[] {'%'}, 1, 10, 10, "PAdES-BASELINE-T", "test"))
                .isInstanceOf(RejectedException.class);
        assertThat(sources).as("a stamp is never sent twice").hasSize(1);
        dropped.set(2);
        assertThatThrownBy(() -> seals.seal("seal-1")).isInstanceOf(RejectedException.class);
        assertThat(sources).as("a read once more, not twice").hasSize(3);
    }

    @Test
    void theRequestBeingServedNamesItsIdToTheSealService() {
        SealService seals = client();
        status = 404;
        org.slf4j.MDC.put("requestId", "edge-request-0001");
        try {
            assertThatThrownBy(() -> seals.seal("seal-1")).isInstanceOf(SealService.Refused.class);
        } finally {
            org.slf4j.MDC.remove("requestId");
        }
        // outside a request (an import worker) no id is made up
        assertThatThrownBy(() -> seals.seal("seal-1")).isInstanceOf(SealService.Refused.class);
        assertThat(requestIds).containsExactly("edge-request-0001", "null");
    }
}
