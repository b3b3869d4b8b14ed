package cn.yinxin.verifier.http;

import cn.yinxin.core.Problem;
import cn.yinxin.verifier.config.VerifierConfig;
import cn.yinxin.verifier.qr.QrCheck;
import cn.yinxin.verifier.trust.TrustAnchors;
import cn.yinxin.verifier.trust.seals.FetchedSealDirectory;
import cn.yinxin.verifier.trust.seals.SealDirectory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The verification API and page. It holds no signing key and owns no data, so it can face the internet and be
 * scaled out freely: its sealed reports are sealed by the seal service at its request (report.ReportSealer), with a
 * client that may stamp with the verification-report seal and nothing else.
 *
 * <p>This class starts and stops the verifier: it loads the trust (anchors, seals), has {@link Wiring} make the
 * checks, puts the edge (request ids, metrics, headers, CORS, rate limit, sign-in) before the routes
 * ({@link DocumentRoutes}, {@link QrRoutes}, {@link Pages}) and listens.
 */
public final class VerifierVerticle extends VerticleBase {

    /** A QR text is at most 4,296 characters; JSON around it adds little. */
    public static final int MAX_QR_REQUEST_BYTES = QrRoutes.MAX_QR_REQUEST_BYTES;
    private static final AtomicInteger RANDOM_PORTS = new AtomicInteger();

    private final VerifierConfig config;
    private final PublicEdge edge;
    private final Clock clock;
    private final VerifierMetrics metrics = new VerifierMetrics();
    private final int listenPort;
    private Wiring parts;
    private Router router;
    private HttpServer server;

    /** A verifier with the default edge settings (rate limit on, no CORS origins, no HSTS). */
    public VerifierVerticle(VerifierConfig config) {
        this(config, EdgeConfig.DEFAULTS);
    }

    public VerifierVerticle(VerifierConfig config, EdgeConfig edge) {
        this(config, edge, Clock.systemUTC());
    }

    /** @param clock the one clock of this verifier: every check that looks at the time asks it */
    public VerifierVerticle(VerifierConfig config, EdgeConfig edge, Clock clock) {
        this.config = config;
        this.edge = new PublicEdge(edge);
        this.clock = clock;
        // port 0 (any free port, in tests) gives each server a port of its own; a negative port is a free port
        // that Vert.x shares between the servers listening with that same number: this verifier's own number
        this.listenPort = config.port() != 0 ? config.port() : -RANDOM_PORTS.incrementAndGet();
    }

    /** What the blocking part of the start loads: the trust, the pages and the sign-in checker. */
    private record Loaded(TrustAnchors anchors, SealDirectory seals, Pages pages, SignIn signIn) {
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(this::load).compose(loaded -> {
            parts = new Wiring(config, loaded.anchors(), loaded.seals(), clock, metrics);
            if (config.trustListUrl() != null || config.sealsUrl() != null) {
                vertx.setPeriodic(config.trustListRefreshSeconds() * 1000, id -> {
                    refreshTrust();
                    refreshSeals();
                });
            }
            router = routes(loaded);
            List<String> undeclared = SignIn.undeclared(router);
            if (!undeclared.isEmpty()) {
                throw new IllegalStateException("Routes without an access rule (add them to SignIn.RULES): " + undeclared);
            }
            return vertx.createHttpServer(edge.serverOptions(listenPort)).requestHandler(router).listen();
        }).compose(listening -> {
            server = listening;
            // one listener per core: the first on this verticle's event loop, the others each on an event loop of
            // its own, sharing the port (Vert.x hands them the connections in turn); QR codes are checked on the
            // event loops, so a single loop would leave the other cores idle
            int more = Math.max(1, Runtime.getRuntime().availableProcessors()) - 1;
            if (more == 0) {
                return Future.succeededFuture();
            }
            Router shared = router;
            return vertx.deployVerticle(() -> new Listener(shared, edge.serverOptions(listenPort)),
                    new DeploymentOptions().setInstances(more));
        });
    }

    private Loaded load() throws Exception {
        TrustAnchors anchors = new TrustAnchors(config, clock);
        anchors.refresh();
        SealDirectory seals = new FetchedSealDirectory(config, clock);
        seals.refresh();
        seals.signers(anchors.current()); // the chains, built before the first code
        Pages pages = new Pages();
        SignIn signIn = SignIn.fromEnvironment(vertx);
        edge.allowSignInAt(signIn.issuerOrigin());
        edge.listenFor(signIn.developmentLogin());
        return new Loaded(anchors, seals, pages, signIn);
    }

    private Router routes(Loaded loaded) {
        DocumentRoutes documents = new DocumentRoutes(vertx, parts, metrics);
        QrRoutes codes = new QrRoutes(vertx, parts, metrics);
        Pages pages = loaded.pages();
        SignIn signIn = loaded.signIn();
        Router router = Router.router(vertx);
        // first: every answer, refusal and log line of the request carries its id; then the request is timed
        router.route().handler(RequestIds::handle);
        router.route().handler(metrics::timeRequests);
        router.route().handler(edge::headers);
        router.route("/api/*").handler(edge::cors).handler(edge::rateLimit);
        // after the rate limit: a flood is refused before any token is checked
        router.route().handler(signIn::handle);
        router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")
                .put("trustedRoots", parts.anchors.roots()).put("trustListSequence", parts.anchors.listSequence())
                .put("sealCertificates", parts.seals.size()).put("stale", parts.trustStatus.staleness() != null)));
        router.get("/api/v1/trust-status")
                .handler(ctx -> ctx.json(TrustStatusAnswer.json(parts.trustStatus.report())));
        router.get("/api/v1/qr-signers").handler(codes::qrSigners);
        router.post("/api/v1/verify/pdf").handler(Requests.uploads(config.maxPdfBytes())).handler(documents::verifyPdf);
        router.post("/api/v1/verify/pdf/report").handler(Requests.uploads(config.maxPdfBytes()))
                .handler(documents::verificationReport);
        router.post("/api/v1/verify/ofd").handler(Requests.uploads(config.maxPdfBytes())).handler(documents::verifyOfd);
        router.post("/api/v1/verify/ofd/report").handler(Requests.uploads(config.maxPdfBytes()))
                .handler(documents::ofdVerificationReport);
        router.post("/api/v1/verify/qr").handler(BodyHandler.create(false).setBodyLimit(MAX_QR_REQUEST_BYTES))
                .handler(codes::verifyQr);
        router.post("/api/v1/verify/qr-image").handler(Requests.uploads(config.maxImageBytes()))
                .handler(codes::verifyQrImage);
        router.get(VerifierMetrics.PATH).handler(metrics::scrape);
        router.get("/openapi.yaml").handler(pages::openApi);
        router.get("/sign-in/config.json").handler(ctx -> ctx.response().putHeader("Cache-Control", "no-store")
                .putHeader("Content-Type", "application/json").end(signIn.pageConfig().encode()));
        router.get("/sign-in/sign-in.js").handler(pages::signInScript);
        router.get("/").handler(ctx -> ctx.reroute("/index.html"));
        router.get("/d/:documentId").handler(pages::documentPage);
        router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        router.route().last().handler(ctx -> Problems.send(ctx, Problem.NOT_FOUND,
                "No such resource: " + ctx.request().method() + " " + ctx.request().path()));
        router.route().failureHandler(new Failures(config)::handle);
        return router;
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    /** The QR check, for tests of where it runs. */
    public QrCheck qrCheck() {
        return parts.qr;
    }

    /** The router, for tests that compare its routes with the OpenAPI document. */
    public Router router() {
        return router;
    }

    /** Fetches the trust list again and, if it changed, validates against the new anchors from then on. */
    public Future<Boolean> refreshTrust() {
        return vertx.executeBlocking(() -> {
            boolean changed = parts.anchors.refresh();
            if (changed) {
                parts.pdf.trustChanged();
            }
            parts.seals.signers(parts.anchors.current()); // here on a worker, not in the first code's event loop
            return changed;
        });
    }

    /** Fetches the seal certificates and statuses again. */
    public Future<Boolean> refreshSeals() {
        return vertx.executeBlocking(() -> {
            boolean changed = parts.seals.refresh();
            parts.seals.signers(parts.anchors.current()); // here on a worker, not in the first code's event loop
            return changed;
        });
    }
}
