package cn.yinxin.verifier.http;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.verifier.config.VerifierConfig;
import io.vertx.ext.web.RoutingContext;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last word on a request that failed: a refusal of core's as its problem, an upload over its route's limit as
 * 413, another unreadable request as 400, anything else as 500 (logged; the caller learns nothing of it).
 */
final class Failures {

    /** Named as before the packages were split (issue 21): log searches and alerts look for this name. */
    private static final Logger log = Logger.getLogger("cn.yinxin.verifier.VerifierVerticle");

    private final VerifierConfig config;

    Failures(VerifierConfig config) {
        this.config = config;
    }

    void handle(RoutingContext ctx) {
        Throwable error = ctx.failure();
        if (error instanceof RejectedException rejected) {
            Problems.send(ctx, rejected.problem(), rejected.getMessage());
        } else if (ctx.statusCode() == 413) {
            String path = ctx.request().path();
            long limit = path.endsWith("/qr-image") ? config.maxImageBytes()
                    : path.endsWith("/qr") ? QrRoutes.MAX_QR_REQUEST_BYTES : config.maxPdfBytes();
            Problems.send(ctx, Problem.PAYLOAD_TOO_LARGE,
                    "The upload is larger than this verifier accepts here (" + limit + " bytes).");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            Problems.send(ctx, Problem.INVALID_REQUEST, "The request could not be read.");
        } else {
            log.log(Level.SEVERE, "Unexpected failure on " + ctx.request().path(), error);
            Problems.send(ctx, Problem.INTERNAL, "The verification failed on our side; it has been logged.");
        }
    }
}
