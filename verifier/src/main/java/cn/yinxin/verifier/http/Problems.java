package cn.yinxin.verifier.http;

import cn.yinxin.core.Problem;
import cn.yinxin.core.text.Language;
import cn.yinxin.core.text.Messages;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 problem documents with Yinxin's stable types. */
final class Problems {

    private Problems() {
    }

    static void send(RoutingContext ctx, Problem problem, String detail) {
        send0(ctx, problem.type(), problem.title(), problem.status(), detail);
    }

    /** A problem of the verifier's own (images), typed {@code urn:yinxin:problem:<slug>} like core's. */
    static void send(RoutingContext ctx, String slug, String title, int status, String detail) {
        send0(ctx, Problem.TYPE_PREFIX + slug, title, status, detail);
    }

    private static void send0(RoutingContext ctx, String type, String title, int status, String detail) {
        if (ctx.response().headWritten()) {
            ctx.request().connection().close();
            return;
        }
        // the title in the caller's language (RFC 9457 lets a title vary by localisation only); type stays the key
        Language language = Language.of(ctx.request().getHeader("Accept-Language"));
        String slug = type.startsWith(Problem.TYPE_PREFIX) ? type.substring(Problem.TYPE_PREFIX.length()) : type;
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Language", language.tag())
                .putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject()
                        .put("type", type)
                        .put("title", Messages.textOr("problem." + slug, language, title))
                        .put("status", status)
                        .put("detail", detail)
                        // this occurrence (RFC 9457 3.1.5): the request id of the answer's X-Request-Id and the logs
                        .put("instance", RequestIds.of(ctx) == null ? ctx.request().path()
                                : RequestIds.INSTANCE_PREFIX + RequestIds.of(ctx))
                        .encode());
    }
}
