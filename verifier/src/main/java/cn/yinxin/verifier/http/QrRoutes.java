package cn.yinxin.verifier.http;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.QrImages;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.verifier.qr.PersonalData;
import cn.yinxin.verifier.qr.PresentationCheck;
import cn.yinxin.verifier.qr.QrCheck;
import cn.yinxin.verifier.qr.QrResult;
import cn.yinxin.verifier.report.ReportTexts;
import cn.yinxin.verifier.trust.seals.SealJson;
import cn.yinxin.verifier.trust.seals.Signer;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;

/**
 * {@code POST /api/v1/verify/qr} (a code's text, or a presentation code), {@code /qr-image} (a photo of one) and
 * {@code GET /api/v1/qr-signers} (what the offline page needs to check codes itself). A verdict about a code is a
 * 200 whatever it says; only an unreadable request is refused.
 */
final class QrRoutes {

    /** A QR text is at most 4,296 characters; JSON around it adds little. */
    static final int MAX_QR_REQUEST_BYTES = 16 * 1024;

    private final Vertx vertx;
    private final Wiring parts;
    private final VerifierMetrics metrics;
    /** Image decoding holds a whole photo in memory: at most this many at once, whatever the traffic. */
    private final WorkerExecutor imageWorkers;

    QrRoutes(Vertx vertx, Wiring parts, VerifierMetrics metrics) {
        this.vertx = vertx;
        this.parts = parts;
        this.metrics = metrics;
        this.imageWorkers = vertx.createSharedWorkerExecutor("yinxin-qr-images",
                Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** A code's text as sent, and the officer's purpose (null: none given). */
    private record CodeRequest(String text, PersonalData.Purpose purpose) {
    }

    /**
     * {"text": "YX1:..."} as JSON, or the text itself as text/plain. An officer adds "purpose" (用证事由) and
     * "caseNumber" to the JSON to see a licence holder's full name and number.
     */
    void verifyQr(RoutingContext ctx) {
        CodeRequest request = read(ctx);
        if (request == null) {
            return; // refused, and answered
        }
        String code = request.text();
        if (code.startsWith(PresentationCheck.PREFIX)) {
            vertx.executeBlocking(() -> parts.presentations.check(code), false)
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
        QrResult answer;
        try {
            answer = parts.qr.checkWithoutWaiting(code);
        } catch (RuntimeException e) {
            ctx.fail(e);
            return;
        }
        if (answer != null) {
            // the same masking as below: a licence code checked at once carries the holder's name too
            answerFor(ctx, verified("qr", QrAnswers.json(answer)), request.purpose());
            return;
        }
        vertx.executeBlocking(() -> QrAnswers.json(parts.qr.check(code)), false)
                .onSuccess(result -> answerFor(ctx, verified("qr", result), request.purpose()))
                .onFailure(ctx::fail);
    }

    private JsonObject verified(String kind, JsonObject answer) {
        metrics.verified(kind, answer);
        return answer;
    }

    /** The code's text and purpose from the request; null when it was refused (the problem is sent). */
    private static CodeRequest read(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            Problems.send(ctx, Problem.EMPTY_BODY, "Send the code's text: {\"text\": \"YX1:...\"} or text/plain.");
            return null;
        }
        String type = ctx.request().getHeader("Content-Type");
        String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        CodeRequest request;
        if (mediaType.equals("application/json")) {
            request = fromJson(ctx, body);
        } else if (mediaType.equals("text/plain")) {
            request = new CodeRequest(body.toString(StandardCharsets.UTF_8), null);
        } else {
            Problems.send(ctx, "unsupported-media-type", "The request's media type is not accepted here", 415,
                    "Send application/json ({\"text\": \"YX1:...\"}) or text/plain, not " + (type == null ? "nothing" : type) + ".");
            return null;
        }
        if (request == null) {
            return null;
        }
        String text = request.text().strip();
        if (text.isEmpty()) {
            Problems.send(ctx, Problem.EMPTY_BODY, "The text is empty.");
            return null;
        }
        return new CodeRequest(text, request.purpose());
    }

    private static CodeRequest fromJson(RoutingContext ctx, Buffer body) {
        try {
            JsonObject json = body.toJsonObject();
            if (!(json.getValue("text") instanceof String value)) {
                Problems.send(ctx, Problem.INVALID_REQUEST, "The JSON needs a string member \"text\".");
                return null;
            }
            if (json.getValue("purpose") != null && !(json.getValue("purpose") instanceof String)
                    || json.getValue("caseNumber") != null && !(json.getValue("caseNumber") instanceof String)) {
                Problems.send(ctx, Problem.PURPOSE_INVALID, "purpose and caseNumber are strings.");
                return null;
            }
            return new CodeRequest(value, PersonalData.Purpose.of(json.getString("purpose"), json.getString("caseNumber")));
        } catch (DecodeException | ClassCastException e) {
            Problems.send(ctx, Problem.INVALID_REQUEST, "The body is not JSON: " + e.getMessage());
            return null;
        }
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
        vertx.executeBlocking(() -> parts.personalData.forOfficer(result, caller, purpose), false)
                .onSuccess(answer -> ctx.json(texts(ctx, answer)))
                .onFailure(ctx::fail);
    }

    /** The answer with the words a clerk reads in the language the caller asked for (Chinese unless English). */
    private static JsonObject texts(RoutingContext ctx, JsonObject answer) {
        return ReportTexts.add(answer, Requests.language(ctx));
    }

    /** A photo or scan (PNG, JPEG), raw or as the first file of a multipart upload. */
    void verifyQrImage(RoutingContext ctx) {
        byte[] image = Requests.body(vertx, ctx);
        if (image.length == 0) {
            Problems.send(ctx, Problem.EMPTY_BODY, "Send a PNG or JPEG photo of the code.");
            return;
        }
        imageWorkers.executeBlocking(() -> {
            QrImages.Found found;
            try {
                found = parts.qrImages.read(image);
            } catch (RejectedException refused) {
                return refused;
            }
            return QrAnswers.json(parts.qr.check(found.text())).put("text", found.text()).put("image", new JsonObject()
                    .put("width", found.width()).put("height", found.height()).put("foundBy", found.attempt()));
        }, false).onSuccess(result -> {
            if (result instanceof RejectedException refused) {
                Problems.send(ctx, refused.problem(), refused.getMessage());
            } else {
                // a multipart upload may carry the officer's purpose beside the photo
                answerFor(ctx, verified("qr-image", (JsonObject) result), PersonalData.Purpose.of(
                        ctx.request().getFormAttribute("purpose"), ctx.request().getFormAttribute("caseNumber")));
            }
        }).onFailure(ctx::fail);
    }

    /** What the offline page needs to check codes itself: the trusted signers' keys and the seals' statuses. */
    void qrSigners(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            JsonArray signers = new JsonArray();
            for (Signer signer : parts.seals.signers(parts.anchors.current()).trusted()) {
                X509Certificate certificate = signer.certificate();
                signers.add(new JsonObject()
                        .put("kid", signer.kid())
                        .put("publicKey", Base64.getEncoder().encodeToString(certificate.getPublicKey().getEncoded()))
                        .put("subject", ReadableNames.of(certificate.getSubjectX500Principal()))
                        .put("notBefore", certificate.getNotBefore().toInstant().toString())
                        .put("notAfter", certificate.getNotAfter().toInstant().toString())
                        .put("replacedAt", signer.replacedAt() == null ? null : signer.replacedAt().toString())
                        .put("seal", new JsonObject(SealJson.describe(signer.seal()))));
            }
            JsonObject status = TrustStatusAnswer.json(parts.trustStatus.report());
            return new JsonObject()
                    .put("prefix", QrSigner.DEFAULT_PREFIX)
                    .put("issuedAt", status.getString("now"))
                    .put("trustListSequence", status.getJsonObject("trustList").getLong("sequence"))
                    .put("trustListIssuedAt", status.getJsonObject("trustList").getString("issuedAt"))
                    .put("sealsFetchedAt", status.getJsonObject("seals").getString("fetchedAt"))
                    .put("maxStalenessSeconds", parts.config.maxStalenessSeconds())
                    .put("allowedSkewSeconds", QrCheck.ALLOWED_SKEW.toSeconds())
                    .put("signers", signers);
        }, false).onSuccess(ctx::json).onFailure(ctx::fail);
    }
}
