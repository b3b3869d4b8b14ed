package cn.yinxin.verifier.http;

import cn.yinxin.core.Problem;
import cn.yinxin.core.pdf.verify.report.ReportMaps;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.text.Language;
import cn.yinxin.verifier.report.ReportSealer;
import cn.yinxin.verifier.report.ReportTexts;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * {@code POST /api/v1/verify/pdf}, {@code /pdf/report}, {@code /ofd} and {@code /ofd/report}: the document is verified on the PDF
 * workers (at most so many at once, whatever the traffic: each holds the document and what it decodes), and its
 * report answered as JSON with the clerk's words, or as a sealed PDF report.
 */
final class DocumentRoutes {

    /** Named as before the packages were split (issue 21): log searches and alerts look for this name. */
    private static final Logger log = Logger.getLogger("cn.yinxin.verifier.VerifierVerticle");
    /**
     * How long after a verification's own time limit the request is answered anyway (503 verification-timeout):
     * the verification stops itself at its limit, this only covers a step that cannot look at the clock, or a
     * request that waited for a free worker.
     */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(5);
    static final String REPORT_UNAVAILABLE = "report-unavailable";

    private final Vertx vertx;
    private final Wiring parts;
    private final VerifierMetrics metrics;
    private final WorkerExecutor pdfWorkers;
    private final Duration answerWithin;

    DocumentRoutes(Vertx vertx, Wiring parts, VerifierMetrics metrics) {
        this.vertx = vertx;
        this.parts = parts;
        this.metrics = metrics;
        this.answerWithin = parts.config.verifyLimits().maxTime().plus(ANSWER_GRACE);
        this.pdfWorkers = vertx.createSharedWorkerExecutor("yinxin-pdf", parts.config.pdfWorkers(),
                answerWithin.toMillis(), TimeUnit.MILLISECONDS);
    }

    void verifyPdf(RoutingContext ctx) {
        byte[] pdf = Requests.body(vertx, ctx);
        if (pdf.length >= 4 && pdf[0] == 'P' && pdf[1] == 'K' && pdf[2] == 3 && pdf[3] == 4) {
            // a ZIP package, most likely an OFD: say where it goes rather than only "not a PDF"
            Problems.send(ctx, Problem.NOT_A_PDF, "This is a ZIP package, not a PDF; an OFD is verified at "
                    + "POST /api/v1/verify/ofd.");
            return;
        }
        Language language = Requests.language(ctx);
        // the clerk's words are added on the PDF worker too: a hostile document's many changes are many sentences
        verifyWithin(ctx, () -> ReportTexts.add(new JsonObject(ReportMaps.toMap(parts.pdf.verify(pdf))), language),
                report -> {
                    metrics.verifiedPdf(report);
                    ctx.json(report);
                });
    }

    /** An OFD, raw (application/ofd, application/octet-stream) or as the first file of a multipart upload. */
    void verifyOfd(RoutingContext ctx) {
        byte[] ofd = Requests.body(vertx, ctx);
        if (ofd.length == 0) {
            Problems.send(ctx, Problem.EMPTY_BODY, "Send the OFD file.");
            return;
        }
        Language language = Requests.language(ctx);
        verifyWithin(ctx, () -> ReportTexts.add(new JsonObject(ReportMaps.toMap(parts.ofd.verify(ofd))), language),
                report -> {
                    metrics.verifiedOfd(report);
                    ctx.json(report);
                });
    }

    /**
     * The verification as a PDF a clerk can file, sealed by the seal service with the verification-report seal (so
     * the report itself can be verified later). 503 {@code report-unavailable} when no seal service is configured or
     * it cannot seal now: never an unsealed report in its place. The JSON verification does not depend on it.
     */
    void verificationReport(RoutingContext ctx) {
        sealedReport(ctx, "document.pdf", document -> parts.pdf.verify(document), "/api/v1/verify/pdf");
    }

    /** As {@link #verificationReport} for an OFD: the same report (the OFD's name, size, SHA-256 and seals), sealed. */
    void ofdVerificationReport(RoutingContext ctx) {
        sealedReport(ctx, "document.ofd", document -> parts.ofd.verify(document), "/api/v1/verify/ofd");
    }

    private void sealedReport(RoutingContext ctx, String defaultName,
                              Function<byte[], VerificationReport> verify,
                              String jsonRoute) {
        ReportSealer sealer = parts.reportSealer;
        if (sealer == null) {
            Problems.send(ctx, REPORT_UNAVAILABLE, "No sealed report can be made now", 503,
                    "This verifier has no seal service for reports (YINXIN_SEALS_URL and "
                            + "YINXIN_VERIFIER_REPORT_SEAL_ID); POST " + jsonRoute + " answers the verification as JSON.");
            return;
        }
        byte[] document = Requests.body(vertx, ctx);
        String name = ctx.fileUploads().isEmpty() ? defaultName : ctx.fileUploads().get(0).fileName();
        verifyWithin(ctx, () -> sealer.report(verify.apply(document), name, document),
                report -> ctx.response().putHeader("Content-Type", "application/pdf")
                        .putHeader("Content-Disposition", "attachment; filename=\"verification-report.pdf\"")
                        .end(Buffer.buffer(report)));
    }

    /** The JSON route of a report route: /api/v1/verify/ofd for /ofd/report, else /api/v1/verify/pdf. */
    private static String jsonRouteOf(RoutingContext ctx) {
        return ctx.request().path().startsWith("/api/v1/verify/ofd") ? "/api/v1/verify/ofd" : "/api/v1/verify/pdf";
    }

    /**
     * Runs a verification on the PDF workers and answers with its result; when no result has come
     * {@link #ANSWER_GRACE} after the verification's time limit, answers 503 verification-timeout instead (a limit
     * reached inside the verification is an INDETERMINATE report, not this).
     */
    private <T> void verifyWithin(RoutingContext ctx, Callable<T> work, Consumer<T> answer) {
        long timer = vertx.setTimer(answerWithin.toMillis(), id -> {
            if (!ctx.response().ended()) {
                log.warning("A verification of " + ctx.request().path() + " had no result in time; answered 503");
                Problems.send(ctx, Problem.VERIFICATION_TIMEOUT, "The verification did not finish within "
                        + answerWithin.toSeconds() + " s (this verifier may be "
                        + "busy); the document was not verified. Try again later.");
            }
        });
        pdfWorkers.executeBlocking(work, false).onComplete(result -> {
            vertx.cancelTimer(timer);
            if (ctx.response().ended()) {
                return;
            }
            if (result.succeeded()) {
                answer.accept(result.result());
            } else if (result.cause() instanceof ReportSealer.Unavailable unavailable) {
                log.warning("No sealed report: " + unavailable.getMessage());
                Problems.send(ctx, REPORT_UNAVAILABLE, "No sealed report can be made now", 503,
                        unavailable.getMessage() + " POST " + jsonRouteOf(ctx) + " answers the verification as JSON.");
            } else {
                ctx.fail(result.cause());
            }
        });
    }
}
