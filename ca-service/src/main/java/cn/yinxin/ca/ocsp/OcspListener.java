package cn.yinxin.ca.ocsp;

import cn.yinxin.ca.CaProperties;
import cn.yinxin.service.security.SecurityProperties;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The OCSP responder that certificates name: a lean Vert.x listener on its own port. Answers signed ahead are
 * written straight from the event loop; anything else (a nonce, a new certificate) is signed on a worker thread.
 * OCSP is what relying parties call most, so it gets the lightest path (see docs/benchmarks.md).
 */
@Component
@Profile("!ceremony")
public class OcspListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OcspListener.class);

    private final OcspService ocsp;
    private final int port;
    /**
     * The address the main port listens on (server.address): OCSP listens there too. Unset: every interface in
     * Keycloak mode, the loopback address under the development login, like the main port ({@code
     * DevelopmentListener}); it used to be every interface in both, so a CA started in development mode without
     * {@code ./yinxin up}'s 127.0.0.1 answered OCSP for the whole network.
     */
    private final String host;
    private Vertx vertx;
    private HttpServer server;

    private final Clock clock;

    public OcspListener(OcspService ocsp, CaProperties properties, SecurityProperties security,
                        @Value("${server.address:}") String host, Clock clock) {
        this.clock = clock;
        this.ocsp = ocsp;
        this.port = properties.ocspPort();
        this.host = host(host, security.mode() == SecurityProperties.Mode.DEVELOPMENT);
    }

    static String host(String configured, boolean development) {
        if (configured == null || configured.isBlank()) {
            return development ? InetAddress.getLoopbackAddress().getHostAddress() : "0.0.0.0";
        }
        return configured.strip();
    }

    @Override
    public void start() {
        if (port <= 0) {
            return;
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
        try {
            server = vertx.createHttpServer().requestHandler(this::handle).listen(port, host).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("the OCSP responder cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        log.info("OCSP responder listening on {} port {}", host, server.actualPort());
    }

    /** The port bound, or -1 when the listener is off. */
    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (request.method() == HttpMethod.GET && path.startsWith("/ocsp/")) {
            // the raw URI, not the decoded path: base64 holds '/' and '+'
            String uri = request.uri();
            int query = uri.indexOf('?');
            answer(request, OcspHttp.fromGetPath(uri.substring("/ocsp/".length(), query < 0 ? uri.length() : query)), true);
        } else if (request.method() == HttpMethod.POST && (path.equals("/ocsp") || path.equals("/ocsp/"))) {
            Buffer body = Buffer.buffer();
            request.handler(chunk -> {
                if (body.length() + chunk.length() > OcspHttp.MAX_REQUEST_BYTES) {
                    request.response().setStatusCode(413).end();
                    request.connection().close();
                } else {
                    body.appendBuffer(chunk);
                }
            });
            request.endHandler(v -> {
                if (!request.response().ended()) {
                    answer(request, body.getBytes(), false);
                }
            });
        } else {
            request.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("OCSP: GET /ocsp/{request} or POST /ocsp\n");
        }
    }

    private void answer(HttpServerRequest request, byte[] der, boolean get) {
        OcspService.Served ready = ocsp.ready(der);
        if (ready != null) {
            send(request, ready, get);
            return;
        }
        vertx.executeBlocking(() -> ocsp.answer(der), false)
                .onSuccess(served -> send(request, served, get))
                .onFailure(error -> {
                    log.error("OCSP failed", error);
                    request.response().setStatusCode(500).end();
                });
    }

    private void send(HttpServerRequest request, OcspService.Served served, boolean get) {
        var response = request.response();
        OcspHttp.headers(served, get, clock.instant()).forEach(response::putHeader);
        response.end(Buffer.buffer(served.answer().der()));
    }

    @Override
    public void stop() {
        if (vertx != null) {
            try {
                vertx.close().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("OCSP responder did not stop cleanly: {}", e.getMessage());
            }
            vertx = null;
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
