package cn.yinxin.verifier.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/** One more HTTP listener on the verifier's port, on an event loop of its own, serving the same routes. */
final class Listener extends VerticleBase {

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
