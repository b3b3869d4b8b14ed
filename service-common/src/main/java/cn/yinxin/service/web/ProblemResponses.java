package cn.yinxin.service.web;

import cn.yinxin.core.Problem;
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

    public static void send(HttpServletRequest request, HttpServletResponse response, Problem problem, String detail)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", detail);
        // this occurrence (RFC 9457 3.1.5): the request id, which the answer's X-Request-Id and every log line carry
        String instance = RequestIds.instance();
        body.put("instance", instance != null ? instance : request.getRequestURI());
        response.setStatus(problem.status());
        response.setContentType("application/problem+json");
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
