package cn.yinxin.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One request id from the edge through every service call: an incoming {@value #HEADER} is kept when it is short
 * and of safe characters (so a caller cannot write line breaks or markup into our logs), else a new one is made.
 * It is in the logging MDC as {@value #MDC_KEY} for every log line of the request, in the answer's header, in
 * problem documents' {@code instance} ({@link #instance()}), and on every call this service makes to another one
 * ({@link #propagate()}). It runs first of all filters, so refusals at the edge carry it too.
 */
public class RequestIds extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** What a problem document's {@code instance} starts with: the URI of this one occurrence (RFC 9457 3.1.5). */
    public static final String INSTANCE_PREFIX = "urn:yinxin:request:";
    /** 8 to 64 letters, digits and {@code . _ : -}: a UUID, a ULID or a proxy's id fit; a log line cannot be forged. */
    static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = accepted(request.getHeader(HEADER));
        response.setHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** The caller's id when it is acceptable, else a new one. */
    public static String accepted(String offered) {
        return offered != null && ACCEPTED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    /** The id of the request this thread serves, or null outside a request (a scheduled job, a worker). */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    /** A problem document's {@code instance}: this request's URN, or null outside a request. */
    public static String instance() {
        String id = current();
        return id == null ? null : INSTANCE_PREFIX + id;
    }

    /** Puts the current request's id on each request of a RestClient, so the called service logs the same id. */
    public static ClientHttpRequestInterceptor propagate() {
        return (request, body, execution) -> {
            String id = current();
            if (id != null) {
                request.getHeaders().set(HEADER, id);
            }
            return execution.execute(request, body);
        };
    }
}
