package cn.yinxin.verifier;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.pdf.verify.PdfVerifier;
import cn.yinxin.core.pdf.verify.longterm.RevocationFreshness;
import cn.yinxin.core.pdf.verify.report.ReportMaps;
import cn.yinxin.core.pki.revocation.OnlineRevocationSource;
import cn.yinxin.core.qr.QrSigner;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The verification API and page. It holds no signing key and owns no data, so it can face the internet and be
 * scaled out freely: its sealed reports are sealed by the seal service at its request ({@link ReportSealer}), with a
 * client that may stamp with the verification-report seal and nothing else.
 */
public final class VerifierVerticle extends VerticleBase {

    private static final Logger log = Logger.getLogger(VerifierVerticle.class.getName());
    /** A QR text is at most 4,296 characters; JSON around it adds little. */
    static final int MAX_QR_REQUEST_BYTES = 16 * 1024;
    private static final Pattern DOCUMENT_ID = Pattern.compile("[0-9a-fA-F-]{1,64}");
    private static final String REPORT_UNAVAILABLE = "report-unavailable";

    private final VerifierConfig config;
    private final PublicEdge edge;
    private final Clock clock = Clock.systemUTC();
    private TrustAnchors anchors;
    private SealDirectory seals;
    private TrustStatus trustStatus;
    private QrCheck qrCheck;
    private QrImages qrImages;
    /** Image decoding holds a whole photo in memory: at most this many at once, whatever the traffic. */
    private io.vertx.core.WorkerExecutor imageWorkers;
    /** PDF verification likewise holds the document and what it decodes: at most this many at once. */
    private io.vertx.core.WorkerExecutor pdfWorkers;
    /**
     * How long after a verification's own time limit the request is answered anyway (503 verification-timeout):
     * the verification stops itself at its limit, this only covers a step that cannot look at the clock, or a
     * request that waited for a free worker.
     */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(5);
    private volatile PdfVerifier verifier;
    /** OFD verification, with the same trust, revocation and seal statuses as {@link #verifier}. */
    private OfdCheck ofdCheck;
    private Router router;
    private String documentPage;
    private Buffer openApi;
    private Buffer signInScript;
    private volatile ReportSealer reportSealer;
    private PresentationCheck presentations;
    private SignIn signIn;
    private PersonalData personalData;
    private HttpServer server;
    private final VerifierMetrics metrics = new VerifierMetrics();
    private final int listenPort;
    private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORTS = new java.util.concurrent.atomic.AtomicInteger();

    /** A verifier with the default edge settings (rate limit on, no CORS origins, no HSTS). */
    public VerifierVerticle(VerifierConfig config) {
        this(config, EdgeConfig.DEFAULTS);
    }

    public VerifierVerticle(VerifierConfig config, EdgeConfig edge) {
        this.config = config;
        this.edge = new PublicEdge(edge);
        // port 0 (any free port, in tests) gives each server a port of its own; a negative port is a free port
        // that Vert.x shares between the servers listening with that same number: this verifier's own number
        this.listenPort = config.port() != 0 ? config.port() : -RANDOM_PORTS.incrementAndGet();
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            anchors = new TrustAnchors(config);
            anchors.refresh();
            seals = new SealDirectory(config);
            seals.refresh();
            seals.signers(anchors.current()); // the chains, built before the first code
            documentPage = resource("webroot/index.html").replaceFirst("<head>", "<head>\n<base href=\"../\">");
            openApi = Buffer.buffer(resourceBytes("openapi.yaml"));
            signIn = SignIn.fromEnvironment(vertx);
            edge.allowSignInAt(signIn.issuerOrigin());
            signInScript = Buffer.buffer(resourceBytes("cn/yinxin/core/pages/sign-in.js"));
            return anchors;
        }).compose(loaded -> {
            verifier = newVerifier(loaded.current());
            ofdCheck = new OfdCheck(anchors, seals, config.onlineRevocation()
                    ? new OnlineRevocationSource(Duration.ofSeconds(config.revocationTimeoutSeconds())) : null,
                    config.sealsUrl() == null ? null : StatusLookup.seals(config.sealsUrl(),
                            Duration.ofSeconds(config.revocationTimeoutSeconds())),
                    config.licencesUrl() == null ? null : StatusLookup.licences(config.licencesUrl(),
                            Duration.ofSeconds(config.revocationTimeoutSeconds())),
                    OfdCheck.limits(System.getenv()), clock);
            presentations = new PresentationCheck(config.licencesUrl(), Duration.ofSeconds(config.revocationTimeoutSeconds()));
            personalData = new PersonalData(config.licencesUrl(), Duration.ofSeconds(config.revocationTimeoutSeconds()));
            reportSealer = config.sealsUrl() == null || config.reportSealId() == null ? null
                    : new ReportSealer(config.sealsUrl(), config.reportSealId(), ServiceCredentials.fromEnvironment(),
                    Duration.ofSeconds(config.reportTimeoutSeconds()));
            trustStatus = new TrustStatus(config, anchors, seals, clock);
            qrCheck = new QrCheck(anchors::current, seals, new SignerRevocation(config.onlineRevocation()
                    ? new OnlineRevocationSource(Duration.ofSeconds(config.revocationTimeoutSeconds())) : null, clock),
                    trustStatus, anchors::list, clock).withStatusLists(statusLists(clock));
            qrImages = new QrImages(config.maxImagePixels(), QrSigner.DEFAULT_PREFIX);
            imageWorkers = vertx.createSharedWorkerExecutor("yinxin-qr-images",
                    Math.max(2, Runtime.getRuntime().availableProcessors()));
            pdfWorkers = vertx.createSharedWorkerExecutor("yinxin-pdf", config.pdfWorkers(),
                    config.verifyLimits().maxTime().plus(ANSWER_GRACE).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (config.trustListUrl() != null || config.sealsUrl() != null) {
                vertx.setPeriodic(config.trustListRefreshSeconds() * 1000, id -> {
                    refreshTrust();
                    refreshSeals();
                });
            }
            router = Router.router(vertx);
            // first: every answer, refusal and log line of the request carries its id; then the request is timed
            router.route().handler(RequestIds::handle);
            router.route().handler(metrics::timeRequests);
            router.route().handler(edge::headers);
            router.route("/api/*").handler(edge::cors).handler(edge::rateLimit);
            // after the rate limit: a flood is refused before any token is checked
            router.route().handler(signIn::handle);
            router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")
                    .put("trustedRoots", loaded.roots()).put("trustListSequence", loaded.listSequence())
                    .put("sealCertificates", seals.size()).put("stale", trustStatus.staleness() != null)));
            router.get("/api/v1/trust-status").handler(ctx -> ctx.json(trustStatus.toJson()));
            router.get("/api/v1/qr-signers").handler(this::qrSigners);
            router.post("/api/v1/verify/pdf")
                    .handler(uploads(config.maxPdfBytes()))
                    .handler(this::verifyPdf);
            router.post("/api/v1/verify/pdf/report")
                    .handler(uploads(config.maxPdfBytes()))
                    .handler(this::verificationReport);
            router.post("/api/v1/verify/ofd")
                    .handler(uploads(config.maxPdfBytes()))
                    .handler(this::verifyOfd);
            router.post("/api/v1/verify/qr")
                    .handler(BodyHandler.create(false).setBodyLimit(MAX_QR_REQUEST_BYTES))
                    .handler(this::verifyQr);
            router.post("/api/v1/verify/qr-image")
                    .handler(uploads(config.maxImageBytes()))
                    .handler(this::verifyQrImage);
            router.get(VerifierMetrics.PATH).handler(metrics::scrape);
            router.get("/openapi.yaml").handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "application/yaml; charset=utf-8")
                    .end(openApi));
            router.get("/sign-in/config.json").handler(ctx -> ctx.response().putHeader("Cache-Control", "no-store")
                    .putHeader("Content-Type", "application/json").end(signIn.pageConfig().encode()));
            router.get("/sign-in/sign-in.js").handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "text/javascript; charset=utf-8").end(signInScript));
            router.get("/").handler(ctx -> ctx.reroute("/index.html"));
            router.get("/d/:documentId").handler(this::documentPage);
            router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
            router.route().last().handler(ctx -> Problems.send(ctx, Problem.NOT_FOUND,
                    "No such resource: " + ctx.request().method() + " " + ctx.request().path()));
            router.route().failureHandler(this::failure);
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

    /** One more HTTP listener on the verifier's port, on an event loop of its own, serving the same routes. */
    private static final class Listener extends VerticleBase {

        private final Router router;
        private final HttpServerOptions options;

        Listener(Router router, HttpServerOptions options) {
            this.router = router;
            this.options = options;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(options).requestHandler(router).listen();
        }
    }

    /** The kept status lists of licence codes; their age is a metric (how stale an offline answer may be). */
    private StatusLists statusLists(Clock clock) {
        StatusLists lists = new StatusLists(config.sealsCache() == null ? null
                : config.sealsCache().toAbsolutePath().resolveSibling("status-lists"),
                Duration.ofSeconds(config.maxStalenessSeconds()),
                config.onlineRevocation() ? config.lists().statusListMaxAge() : null,
                config.lists().statusListMaxTtl(), config.statusListAddresses(), config.lists().statusListSizes(),
                clock);
        metrics.statusListAge(lists::oldestAgeSeconds);
        return lists;
    }

    private BodyHandler uploads(long limit) {
        return BodyHandler.create(System.getProperty("java.io.tmpdir") + "/yinxin-verifier-uploads")
                .setBodyLimit(limit)
                .setDeleteUploadedFilesOnEnd(true);
    }

    private PdfVerifier newVerifier(Collection<X509Certificate> roots) {
        PdfVerifier verifier = new PdfVerifier(roots, config.onlineRevocation()
                ? new OnlineRevocationSource(Duration.ofSeconds(config.revocationTimeoutSeconds()))
                : null).withLimits(config.verifyLimits(), clock)
                .withRevocationFreshness(RevocationFreshness.fromSettings(name -> VerifierConfig.value(System.getenv(),
                        name, null)));
        if (config.sealsUrl() != null) {
            // national-mode seals: the seal's own status at the seal service that issued it
            verifier.withSealStatus(StatusLookup.seals(config.sealsUrl(),
                    Duration.ofSeconds(config.revocationTimeoutSeconds())));
        }
        return config.licencesUrl() == null ? verifier : verifier.withLicenceStatus(StatusLookup.licences(
                config.licencesUrl(), Duration.ofSeconds(config.revocationTimeoutSeconds())));
    }

    /**
     * The verification as a PDF a clerk can file, sealed by the seal service with the verification-report seal (so
     * the report itself can be verified later). 503 {@code report-unavailable} when no seal service is configured or
     * it cannot seal now: never an unsealed report in its place. The JSON verification does not depend on it.
     */
    private void verificationReport(RoutingContext ctx) {
        if (reportSealer == null) {
            Problems.send(ctx, REPORT_UNAVAILABLE, "No sealed report can be made now", 503,
                    "This verifier has no seal service for reports (YINXIN_SEALS_URL and "
                            + "YINXIN_VERIFIER_REPORT_SEAL_ID); POST /api/v1/verify/pdf answers the verification as JSON.");
            return;
        }
        byte[] pdf = body(ctx);
        String name = ctx.fileUploads().isEmpty() ? "document.pdf" : ctx.fileUploads().get(0).fileName();
        verifyWithin(ctx, () -> reportSealer.report(verifier.verify(pdf), name, pdf),
                report -> ctx.response().putHeader("Content-Type", "application/pdf")
                        .putHeader("Content-Disposition", "attachment; filename=\"verification-report.pdf\"")
                        .end(Buffer.buffer(report)));
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    /** The QR check, for tests of where it runs. */
    QrCheck qrCheck() {
        return qrCheck;
    }

    /** The router, for tests that compare its routes with the OpenAPI document. */
    Router router() {
        return router;
    }

    /** Fetches the trust list again and, if it changed, validates against the new anchors from then on. */
    public Future<Boolean> refreshTrust() {
        return vertx.executeBlocking(() -> {
            boolean changed = anchors.refresh();
            if (changed) {
                verifier = newVerifier(anchors.current());
            }
            seals.signers(anchors.current()); // here on a worker, not in the first code's event loop
            return changed;
        });
    }

    /** Fetches the seal certificates and statuses again. */
    public Future<Boolean> refreshSeals() {
        return vertx.executeBlocking(() -> {
            boolean changed = seals.refresh();
            seals.signers(anchors.current()); // here on a worker, not in the first code's event loop
            return changed;
        });
    }

    private void verifyPdf(RoutingContext ctx) {
        byte[] pdf = body(ctx);
        if (pdf.length >= 4 && pdf[0] == 'P' && pdf[1] == 'K' && pdf[2] == 3 && pdf[3] == 4) {
            // a ZIP package, most likely an OFD: say where it goes rather than only "not a PDF"
            Problems.send(ctx, Problem.NOT_A_PDF, "This is a ZIP package, not a PDF; an OFD is verified at "
                    + "POST /api/v1/verify/ofd.");
            return;
        }
        cn.yinxin.core.text.Language language = language(ctx);
        // the clerk's words are added on the PDF worker too: a hostile document's many changes are many sentences
        verifyWithin(ctx, () -> ReportTexts.add(new JsonObject(ReportMaps.toMap(verifier.verify(pdf))), language),
                report -> {
                    metrics.verifiedPdf(report);
                    ctx.json(report);
                });
    }

    /** An OFD, raw (application/ofd, application/octet-stream) or as the first file of a multipart upload. */
    private void verifyOfd(RoutingContext ctx) {
        byte[] ofd = body(ctx);
        if (ofd.length == 0) {
            Problems.send(ctx, Problem.EMPTY_BODY, "Send the OFD file.");
            return;
        }
        cn.yinxin.core.text.Language language = language(ctx);
        verifyWithin(ctx, () -> ReportTexts.add(new JsonObject(ReportMaps.toMap(ofdCheck.verify(ofd))), language),
                report -> {
                    metrics.verifiedOfd(report);
                    ctx.json(report);
                });
    }

    /**
     * Runs a PDF verification on the PDF workers and answers with its result; when no result has come
     * {@link #ANSWER_GRACE} after the verification's time limit, answers 503 verification-timeout instead (a limit
     * reached inside the verification is an INDETERMINATE report, not this).
     */
    private <T> void verifyWithin(RoutingContext ctx, java.util.concurrent.Callable<T> work,
                                  java.util.function.Consumer<T> answer) {
        long timer = vertx.setTimer(config.verifyLimits().maxTime().plus(ANSWER_GRACE).toMillis(), id -> {
            if (!ctx.response().ended()) {
                log.warning("A verification of " + ctx.request().path() + " had no result in time; answered 503");
                Problems.send(ctx, Problem.VERIFICATION_TIMEOUT, "The verification did not finish within "
                        + config.verifyLimits().maxTime().plus(ANSWER_GRACE).toSeconds() + " s (this verifier may be "
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
                        unavailable.getMessage() + " POST /api/v1/verify/pdf answers the verification as JSON.");
            } else {
                ctx.fail(result.cause());
            }
        });
    }

    /**
     * {"text": "YX1:..."} as JSON, or the text itself as text/plain. An officer adds "purpose" (用证事由) and
     * "caseNumber" to the JSON to see a licence holder's full name and number.
     */
    private void verifyQr(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            Problems.send(ctx, Problem.EMPTY_BODY, "Send the code's text: {\"text\": \"YX1:...\"} or text/plain.");
            return;
        }
        String type = ctx.request().getHeader("Content-Type");
        String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        String text;
        PersonalData.Purpose purpose = null;
        if (mediaType.equals("application/json")) {
            try {
                JsonObject json = body.toJsonObject();
                if (!(json.getValue("text") instanceof String value)) {
                    Problems.send(ctx, Problem.INVALID_REQUEST, "The JSON needs a string member \"text\".");
                    return;
                }
                text = value;
                if (json.getValue("purpose") != null && !(json.getValue("purpose") instanceof String)
                        || json.getValue("caseNumber") != null && !(json.getValue("caseNumber") instanceof String)) {
                    Problems.send(ctx, Problem.PURPOSE_INVALID, "purpose and caseNumber are strings.");
                    return;
                }
                purpose = PersonalData.Purpose.of(json.getString("purpose"), json.getString("caseNumber"));
            } catch (DecodeException | ClassCastException e) {
                Problems.send(ctx, Problem.INVALID_REQUEST, "The body is not JSON: " + e.getMessage());
                return;
            }
        } else if (mediaType.equals("text/plain")) {
            text = body.toString(StandardCharsets.UTF_8);
        } else {
            Problems.send(ctx, "unsupported-media-type", "The request's media type is not accepted here", 415,
                    "Send application/json ({\"text\": \"YX1:...\"}) or text/plain, not " + (type == null ? "nothing" : type) + ".");
            return;
        }
        text = text.strip();
        if (text.isEmpty()) {
            Problems.send(ctx, Problem.EMPTY_BODY, "The text is empty.");
            return;
        }
        String code = text;
        if (code.startsWith(PresentationCheck.PREFIX)) {
            vertx.executeBlocking(() -> presentations.check(code), false)
                    .onSuccess(answer -> {
                        metrics.verified("presentation", answer);
                        ctx.json(answer);
                    })
                    .onFailure(ctx::fail);
            return;
        }
        // on this event loop when all it needs is at hand (a check is a fraction of a millisecond of CPU, less
        // than handing it to a worker and back costs); on a worker when it must wait for OCSP, a seal service
        // or a status list
        JsonObject answer;
        try {
            answer = qrCheck.checkWithoutWaiting(code);
        } catch (RuntimeException e) {
            ctx.fail(e);
            return;
        }
        PersonalData.Purpose stated = purpose;
        if (answer != null) {
            // the same masking as below: a licence code checked at once carries the holder's name too
            metrics.verified("qr", answer);
            answerFor(ctx, answer, stated);
            return;
        }
        vertx.executeBlocking(() -> qrCheck.check(code), false)
                .onSuccess(result -> {
                    metrics.verified("qr", result);
                    answerFor(ctx, result, stated);
                })
                .onFailure(ctx::fail);
    }

    /**
     * A licence code's holder: masked for the public, in full for a signed-in officer who gave a purpose (the
     * licence service discloses and records it).
     */
    private void answerFor(RoutingContext ctx, JsonObject result, PersonalData.Purpose purpose) {
        SignIn.Caller caller = SignIn.caller(ctx);
        if (!PersonalData.needsLookup(result, caller, purpose)) {
            ctx.json(texts(ctx, PersonalData.forPublic(result, caller)));
            return;
        }
        vertx.executeBlocking(() -> personalData.forOfficer(result, caller, purpose), false)
                .onSuccess(answer -> ctx.json(texts(ctx, answer)))
                .onFailure(ctx::fail);
    }

    /** The answer with the words a clerk reads in the language the caller asked for (Chinese unless English). */
    private static JsonObject texts(RoutingContext ctx, JsonObject answer) {
        return ReportTexts.add(answer, language(ctx));
    }

    /** The language the caller asked for (Chinese unless English), said in the answer's headers. */
    private static cn.yinxin.core.text.Language language(RoutingContext ctx) {
        cn.yinxin.core.text.Language language = cn.yinxin.core.text.Language.of(ctx.request().getHeader("Accept-Language"));
        ctx.response().putHeader("Content-Language", language.tag());
        ctx.response().headers().add("Vary", "Accept-Language");
        return language;
    }

    /** A photo or scan (PNG, JPEG), raw or as the first file of a multipart upload. */
    private void verifyQrImage(RoutingContext ctx) {
        byte[] image = body(ctx);
        if (image.length == 0) {
            Problems.send(ctx, Problem.EMPTY_BODY, "Send a PNG or JPEG photo of the code.");
            return;
        }
        imageWorkers.executeBlocking(() -> {
            QrImages.Found found;
            try {
                found = qrImages.read(image);
            } catch (QrImages.Refused refused) {
                return refused;
            }
            return qrCheck.check(found.text()).put("text", found.text()).put("image", new JsonObject()
                    .put("width", found.width()).put("height", found.height()).put("foundBy", found.attempt()));
        }, false).onSuccess(result -> {
            if (result instanceof QrImages.Refused refused) {
                Problems.send(ctx, refused.slug, refused.title, refused.status, refused.getMessage());
            } else {
                // a multipart upload may carry the officer's purpose beside the photo
                metrics.verified("qr-image", (JsonObject) result);
                answerFor(ctx, (JsonObject) result, PersonalData.Purpose.of(ctx.request().getFormAttribute("purpose"),
                        ctx.request().getFormAttribute("caseNumber")));
            }
        }).onFailure(ctx::fail);
    }

    /** What the offline page needs to check codes itself: the trusted signers' keys and the seals' statuses. */
    private void qrSigners(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            JsonArray signers = new JsonArray();
            for (SealDirectory.Signer signer : seals.signers(anchors.current()).trusted()) {
                X509Certificate certificate = signer.certificate();
                signers.add(new JsonObject()
                        .put("kid", signer.kid())
                        .put("publicKey", Base64.getEncoder().encodeToString(certificate.getPublicKey().getEncoded()))
                        .put("subject", QrCheck.readable(certificate.getSubjectX500Principal()))
                        .put("notBefore", certificate.getNotBefore().toInstant().toString())
                        .put("notAfter", certificate.getNotAfter().toInstant().toString())
                        .put("replacedAt", signer.replacedAt() == null ? null : signer.replacedAt().toString())
                        .put("seal", new JsonObject(SealDirectory.describe(signer.seal()))));
            }
            JsonObject status = trustStatus.toJson();
            return new JsonObject()
                    .put("prefix", QrSigner.DEFAULT_PREFIX)
                    .put("issuedAt", status.getString("now"))
                    .put("trustListSequence", status.getJsonObject("trustList").getLong("sequence"))
                    .put("trustListIssuedAt", status.getJsonObject("trustList").getString("issuedAt"))
                    .put("sealsFetchedAt", status.getJsonObject("seals").getString("fetchedAt"))
                    .put("maxStalenessSeconds", config.maxStalenessSeconds())
                    .put("allowedSkewSeconds", QrCheck.ALLOWED_SKEW.toSeconds())
                    .put("signers", signers);
        }, false).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** The page a phone opens from the verification address printed under a document's QR code. */
    private void documentPage(RoutingContext ctx) {
        if (!DOCUMENT_ID.matcher(ctx.pathParam("documentId")).matches()) {
            Problems.send(ctx, Problem.NOT_FOUND, "No such document address.");
            return;
        }
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(documentPage);
    }

    private byte[] body(RoutingContext ctx) {
        if (!ctx.fileUploads().isEmpty()) {
            return vertx.fileSystem().readFileBlocking(ctx.fileUploads().get(0).uploadedFileName()).getBytes();
        }
        return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    }

    private void failure(RoutingContext ctx) {
        Throwable error = ctx.failure();
        if (error instanceof RejectedException rejected) {
            Problems.send(ctx, rejected.problem(), rejected.getMessage());
        } else if (ctx.statusCode() == 413) {
            String path = ctx.request().path();
            long limit = path.endsWith("/qr-image") ? config.maxImageBytes()
                    : path.endsWith("/qr") ? MAX_QR_REQUEST_BYTES : config.maxPdfBytes();
            Problems.send(ctx, Problem.PAYLOAD_TOO_LARGE,
                    "The upload is larger than this verifier accepts here (" + limit + " bytes).");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            Problems.send(ctx, Problem.INVALID_REQUEST, "The request could not be read.");
        } else {
            log.log(Level.SEVERE, "Unexpected failure on " + ctx.request().path(), error);
            Problems.send(ctx, Problem.INTERNAL, "The verification failed on our side; it has been logged.");
        }
    }

    private static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = VerifierVerticle.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static String resource(String name) throws IOException {
        return new String(resourceBytes(name), StandardCharsets.UTF_8);
    }
}
