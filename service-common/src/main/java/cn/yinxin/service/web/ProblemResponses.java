package cn.yinxin.service.web;

import cn.yinxin.core.Problem;
import cn.yinxin.core.text.Language;
import cn.yinxin.core.text.Messages;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A problem document written by a filter, before Spring MVC (and ProblemHandler) is reached; the same shape. The
 * edge filters and the sign-in refusals (security.ServiceSecurity) write theirs here.
 */
public final class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponses() {
    }

    /**
     * A problem's title in the language the caller asked for (Accept-Language; Chinese when it asks for none): RFC
     * 9457 lets a title change only by localisation, and {@code type} stays the stable key clients switch on.
     */
    public static String title(Problem problem, String acceptLanguage) {
        return Messages.textOr("problem." + problem.type().substring(Problem.TYPE_PREFIX.length()),
                Language.of(acceptLanguage), problem.title());
    }

    public static void send(HttpServletRequest request, HttpServletResponse response, Problem problem, String detail)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", title(problem, request.getHeader("Accept-Language")));
        body.put("status", problem.status());
        body.put("detail", detail);
        // this occurrence (RFC 9457 3.1.5): the request id, which the answer's X-Request-Id and every log line carry
        String instance = RequestIds.instance();
        body.put("instance", instance != null ? instance : request.getRequestURI());
        response.setStatus(problem.status());
        response.setHeader("Content-Language", Language.of(request.getHeader("Accept-Language")).tag());
        response.setContentType("application/problem+json");
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
