package cn.yinxin.verifier.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;

import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One request id from the edge through every service call, as in the Spring services (service-common RequestIds):
 * an incoming {@value #HEADER} is kept when it is 8 to 64 letters, digits or {@code . _ : -} (so no caller can write
 * a line break into our logs), else a new one is made. It goes back in the answer's header, into problem documents'
 * {@code instance}, onto the calls the verifier makes for the request (seal and licence services, status lists)
 * and into every log line ({@link LogLines}).
 * <p>
 * Vert.x serves each request on a context of its own (a duplicate of the event loop's), and blocking work started
 * from it (executeBlocking, the PDF and image workers) runs with that same context, so the id is kept in the
 * context's local data rather than in a thread local: it follows the request onto the worker and nowhere else.
 */
public final class RequestIds {

    static final String HEADER = "X-Request-Id";
    static final String INSTANCE_PREFIX = "urn:yinxin:request:";
    private static final String KEY = "yinxin.requestId";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    private RequestIds() {
    }

    /** The first handler of every route. */
    static void handle(RoutingContext ctx) {
        String id = accepted(ctx.request().getHeader(HEADER));
        ctx.put(KEY, id);
        ctx.response().putHeader(HEADER, id);
        bind(id);
        ctx.next();
    }

    /** Makes {@code id} the current request's id on this request's context (and the workers it starts). */
    static void bind(String id) {
        if (Vertx.currentContext() instanceof ContextInternal context && context.isDuplicate()) {
            context.localContextData().put(KEY, id);
        }
    }

    static String accepted(String offered) {
        return offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    /** The id of the request whose context this code runs on (event loop or worker), or null outside one. */
    static String current() {
        Context context = Vertx.currentContext();
        if (context instanceof ContextInternal internal && internal.isDuplicate()) {
            return internal.localContextData().get(KEY) instanceof String id ? id : null;
        }
        return null;
    }

    /** The id of this request, for its problem documents. */
    static String of(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** Names the current request's id on a call to another service, so its log lines carry the same id. */
    public static HttpRequest.Builder on(HttpRequest.Builder request) {
        String id = current();
        return id == null ? request : request.header(HEADER, id);
    }
}
