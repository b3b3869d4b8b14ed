package cn.yinxin.service.web;

import cn.yinxin.core.Problem;
import cn.yinxin.core.limits.RateLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * A token bucket per client address on the public paths ({@code yinxin.web.public-paths}); an empty bucket gets
 * 429 rate-limited with Retry-After. Signed-in callers are limited by who they are, not here. The address is the
 * TCP peer's, or the one a trusted proxy names when {@code server.forward-headers-strategy=native} (with
 * {@code server.tomcat.remoteip.internal-proxies} narrowed to the real proxies).
 */
public class RateLimitFilter extends OncePerRequestFilter {

    private final WebEdgeProperties.RateLimit settings;
    private final RateLimiter limiter;
    private final Paths publicPaths;

    public RateLimitFilter(WebEdgeProperties properties) {
        this.settings = properties.rateLimit();
        this.limiter = new RateLimiter(settings.perSecond(), settings.burst(), settings.maxClients());
        this.publicPaths = new Paths(properties.publicPaths());
    }

    private String perSecond() {
        double rate = settings.perSecond();
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !limiter.enabled() || !publicPaths.matches(request)
                || settings.exemptAddresses().contains(request.getRemoteAddr());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long retryAfter = limiter.acquire(request.getRemoteAddr());
        if (retryAfter == 0) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", Long.toString(retryAfter));
        ProblemResponses.send(request, response, Problem.RATE_LIMITED, "This address sent more than "
                + settings.burst() + " requests at once or " + perSecond() + " a second to public addresses;"
                + " try again in " + retryAfter + " s.");
    }
}
