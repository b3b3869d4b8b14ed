package cn.yinxin.verifier;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.PdfVerifier;
import cn.yinxin.core.pdf.ReportMaps;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The verification API and page. It holds no secret and owns no data, so it can face the internet and be
 * scaled out freely.
 */
public final class VerifierVerticle extends VerticleBase {

    private static final Logger log = Logger.getLogger(VerifierVerticle.class.getName());

    private final VerifierConfig config;
    private TrustAnchors anchors;
    private volatile PdfVerifier verifier;
    private HttpServer server;

    public VerifierVerticle(VerifierConfig config) {
        this.config = config;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            anchors = new TrustAnchors(config);
            anchors.refresh();
            return anchors;
        }).compose(loaded -> {
            verifier = newVerifier(loaded.current());
            if (config.trustListUrl() != null) {
                vertx.setPeriodic(config.trustListRefreshSeconds() * 1000, id -> refreshTrust());
            }
            Router router = Router.router(vertx);
            router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")
                    .put("trustedRoots", loaded.roots()).put("trustListSequence", loaded.listSequence())));
            router.post("/api/v1/verify/pdf")
                    .handler(BodyHandler.create(System.getProperty("java.io.tmpdir") + "/yinxin-verifier-uploads")
                            .setBodyLimit(config.maxPdfBytes())
                            .setDeleteUploadedFilesOnEnd(true))
                    .handler(this::verifyPdf);
            router.get("/*").handler(StaticHandler.create("webroot"));
            router.route().last().handler(ctx -> Problems.send(ctx, Problem.NOT_FOUND,
                    "No such resource: " + ctx.request().method() + " " + ctx.request().path()));
            router.route().failureHandler(this::failure);
            return vertx.createHttpServer().requestHandler(router).listen(config.port());
        }).onSuccess(s -> server = s);
    }

    private PdfVerifier newVerifier(java.util.Collection<java.security.cert.X509Certificate> roots) {
        return new PdfVerifier(roots, config.onlineRevocation()
                ? new cn.yinxin.core.pki.OnlineRevocationSource(java.time.Duration.ofSeconds(config.revocationTimeoutSeconds()))
                : null);
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    /** Fetches the trust list again and, if it changed, validates against the new anchors from then on. */
    public Future<Boolean> refreshTrust() {
        return vertx.executeBlocking(() -> {
            boolean changed = anchors.refresh();
            if (changed) {
                verifier = newVerifier(anchors.current());
            }
            return changed;
        });
    }

    private void verifyPdf(RoutingContext ctx) {
        byte[] pdf;
        if (!ctx.fileUploads().isEmpty()) {
            pdf = vertx.fileSystem().readFileBlocking(ctx.fileUploads().get(0).uploadedFileName()).getBytes();
        } else {
            pdf = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        }
        vertx.executeBlocking(() -> verifier.verify(pdf), false)
                .onSuccess(report -> ctx.json(new JsonObject(ReportMaps.toMap(report))))
                .onFailure(ctx::fail);
    }

    private void failure(RoutingContext ctx) {
        Throwable error = ctx.failure();
        if (error instanceof RejectedException rejected) {
            Problems.send(ctx, rejected.problem(), rejected.getMessage());
        } else if (ctx.statusCode() == 413) {
            Problems.send(ctx, Problem.PAYLOAD_TOO_LARGE,
                    "The document is larger than this verifier accepts (" + config.maxPdfBytes() + " bytes).");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            Problems.send(ctx, Problem.INVALID_REQUEST, "The request could not be read.");
        } else {
            log.log(Level.SEVERE, "Unexpected failure on " + ctx.request().path(), error);
            Problems.send(ctx, Problem.INTERNAL, "The verification failed on our side; it has been logged.");
        }
    }
}
