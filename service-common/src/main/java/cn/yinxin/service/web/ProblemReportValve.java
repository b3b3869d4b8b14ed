package cn.yinxin.service.web;

import cn.yinxin.core.Problem;
import cn.yinxin.core.text.Language;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's own error answers as problem documents. A request Tomcat refuses before any filter or servlet sees it
 * (an address that normalises above the root, {@code /sign/..%2F..%2Fetc/passwd}; an encoded slash) maps to no
 * context, and the host's {@link ErrorReportValve} wrote its HTML page (400, no version): the one refusal of our
 * services that was not RFC 9457. This valve takes that valve's place on the host ({@link #install}) and writes
 * {@code application/problem+json} with a stable type instead, never echoing the address. Answers that Spring
 * already wrote are left alone (content written), as ErrorReportValve leaves them.
 */
public final class ProblemReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Replaces every ErrorReportValve on the context's host with this valve, also the one the host would add. */
    public static void install(Context context) {
        Container host = context.getParent();
        if (host == null) {
            return;
        }
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
                host.getPipeline().removeValve(valve);
            }
        }
        boolean present = false;
        for (Valve valve : host.getPipeline().getValves()) {
            present |= valve instanceof ProblemReportValve;
        }
        if (!present) {
            host.getPipeline().addValve(new ProblemReportValve());
        }
        if (host instanceof StandardHost standard) {
            // at start the host adds a valve of this class unless one is there: ours is
            standard.setErrorReportValveClass(ProblemReportValve.class.getName());
        }
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean writable = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
        if (!writable.get()) {
            return;
        }
        Problem problem = problemFor(status);
        String acceptLanguage = request.getHeader("Accept-Language");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", ProblemResponses.title(problem, acceptLanguage));
        body.put("status", status);
        body.put("detail", status == 400
                ? "The request was refused before it reached the service: its address climbs above the root or "
                + "holds a character an address may not hold, or its request line or headers are too long."
                : "The request was refused before it reached the service.");
        try {
            response.resetBuffer();
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader("Content-Language", Language.of(acceptLanguage).tag());
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Cache-Control", "no-store");
            response.getOutputStream().write(JSON.writeValueAsBytes(body));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the answer committed: nothing more can be said
        }
    }

    static Problem problemFor(int status) {
        return switch (status) {
            case 401 -> Problem.NOT_SIGNED_IN;
            case 403 -> Problem.ACCESS_DENIED;
            case 404 -> Problem.NOT_FOUND;
            case 413 -> Problem.PAYLOAD_TOO_LARGE;
            case 429 -> Problem.RATE_LIMITED;
            default -> status >= 500 ? Problem.INTERNAL : Problem.INVALID_REQUEST;
        };
    }
}
