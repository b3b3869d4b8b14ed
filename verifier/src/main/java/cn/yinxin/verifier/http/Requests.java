package cn.yinxin.verifier.http;

import cn.yinxin.core.text.Language;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** What the routes read from a request: its upload, and the language the caller asked for. */
final class Requests {

    private Requests() {
    }

    /** Uploads up to {@code limit} bytes, spooled to a temporary folder and deleted when the answer is sent. */
    static BodyHandler uploads(long limit) {
        return BodyHandler.create(System.getProperty("java.io.tmpdir") + "/yinxin-verifier-uploads")
                .setBodyLimit(limit)
                .setDeleteUploadedFilesOnEnd(true);
    }

    /** The first file of a multipart upload, else the raw body (empty when there is none). */
    static byte[] body(Vertx vertx, RoutingContext ctx) {
        if (!ctx.fileUploads().isEmpty()) {
            return vertx.fileSystem().readFileBlocking(ctx.fileUploads().get(0).uploadedFileName()).getBytes();
        }
        return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    }

    /** The language the caller asked for (Chinese unless English), said in the answer's headers. */
    static Language language(RoutingContext ctx) {
        Language language = Language.of(ctx.request().getHeader("Accept-Language"));
        ctx.response().putHeader("Content-Language", language.tag());
        ctx.response().headers().add("Vary", "Accept-Language");
        return language;
    }
}
