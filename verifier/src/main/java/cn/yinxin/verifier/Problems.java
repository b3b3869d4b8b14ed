package cn.yinxin.verifier;

import cn.yinxin.core.Problem;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 problem documents with Yinxin's stable types. */
final class Problems {

    private Problems() {
    }

    static void send(RoutingContext ctx, Problem problem, String detail) {
        if (ctx.response().headWritten()) {
            ctx.request().connection().close();
            return;
        }
        ctx.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject()
                        .put("type", problem.type())
                        .put("title", problem.title())
                        .put("status", problem.status())
                        .put("detail", detail)
                        .put("instance", ctx.request().path())
                        .encode());
    }
}
