package cn.yinxin.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The security headers, on every answer including errors and refusals (set before anything else runs). The values
 * are those Spring Security writes for the headers it knows, so the two never disagree.
 */
public class SecurityHeadersFilter extends OncePerRequestFilter {

    /** No page of a service needs the camera or the like (the verifier's page, which does, is not here). */
    static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    private final WebEdgeProperties properties;
    private final Paths pages;
    private final String pagePolicy;

    public SecurityHeadersFilter(WebEdgeProperties properties) {
        this(properties, null);
    }

    /**
     * @param signInOrigin the sign-in server's origin (Keycloak), or null: the pages redeem their sign-in code and
     *                     refresh their tokens there, so their policy lets them connect to it (and to nothing else)
     */
    public SecurityHeadersFilter(WebEdgeProperties properties, String signInOrigin) {
        this.properties = properties;
        this.pages = new Paths(properties.pagePaths());
        String policy = properties.pageContentSecurityPolicy();
        this.pagePolicy = signInOrigin == null || policy.contains("connect-src") ? policy
                : policy + "; connect-src 'self' " + signInOrigin;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", pages.matches(request)
                ? pagePolicy : properties.contentSecurityPolicy());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
        if (properties.hsts() != null && !properties.hsts().isBlank() && request.isSecure()) {
            response.setHeader("Strict-Transport-Security", properties.hsts());
        }
        chain.doFilter(request, response);
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }
}
