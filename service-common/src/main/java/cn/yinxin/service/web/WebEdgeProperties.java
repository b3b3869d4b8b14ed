package cn.yinxin.service.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a service faces its callers ({@code yinxin.web.*}): which paths anyone may call (and so are rate limited per
 * address), the largest request bodies, and the security headers.
 *
 * @param publicPaths  path patterns (Spring PathPattern: {@code /ocsp/**}, {@code /api/v1/seals/*}/certificate)
 *                     reachable without signing in; each service names its own (none by default)
 * @param rateLimit    the token bucket per client address on the public paths
 * @param maxBodySize  the largest non-multipart request body (JSON, CBOR, OCSP and time-stamp requests); larger:
 *                     413 payload-too-large. Multipart uploads have their own limits (spring.servlet.multipart.*)
 * @param largerBodies paths (patterns) allowed a larger body than maxBodySize, e.g.
 *                     {@code yinxin.web.larger-bodies[/api/v1/imports]=64MB}
 * @param hsts         Strict-Transport-Security, sent on requests that came over HTTPS (none by default; Spring
 *                     Security's own value is {@code max-age=31536000 ; includeSubDomains})
 * @param contentSecurityPolicy the policy on every answer: APIs render nothing, so nothing may run or frame them
 * @param pagePaths    path patterns of the service's own HTML pages, which get pageContentSecurityPolicy instead
 * @param pageContentSecurityPolicy the policy on those pages
 */
@ConfigurationProperties("yinxin.web")
public record WebEdgeProperties(
        @DefaultValue List<String> publicPaths,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue Map<String, DataSize> largerBodies,
        String hsts,
        @DefaultValue(API_POLICY) String contentSecurityPolicy,
        @DefaultValue List<String> pagePaths,
        @DefaultValue(PAGE_POLICY) String pageContentSecurityPolicy) {

    /** For answers that are data: no script, no frame, no form, no base. */
    public static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** For a page of the service's own: its own files only, framed by no one. */
    public static final String PAGE_POLICY = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /**
     * @param perSecond  sustained requests a second per client address (0: no limit)
     * @param burst      requests a client may send at once
     * @param maxClients client addresses remembered at most (the least recently seen is forgotten first)
     * @param exemptAddresses client addresses never limited: our own services and verifiers (the seal service
     *                        time-stamps every B-T stamp at the ca-service's /tsa; a verifier fetches CRLs, status
     *                        lists and the trust list for every citizen behind it). Loopback by default, so that
     *                        services on one host (./yinxin up, tests, benches) do not limit each other; behind a
     *                        proxy on the same host, set server.forward-headers-strategy=native or this list
     */
    public record RateLimit(@DefaultValue("20") double perSecond, @DefaultValue("40") int burst,
                            @DefaultValue("100000") int maxClients, @DefaultValue({"127.0.0.1", "0:0:0:0:0:0:0:1"}) Set<String> exemptAddresses) {
    }
}
