package cn.yinxin.service.web;

import cn.yinxin.service.security.SecurityProperties;
import org.springframework.beans.factory.ObjectProvider;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The edge of a Spring service, before any security or controller: the request id ({@link RequestIds}), headers (so refusals carry them too),
 * then the rate limit on public paths, then the body size limit. A service imports it
 * ({@code @Import(WebEdge.class)}) and names its public paths in {@code yinxin.web.public-paths}. These filters run
 * before Spring Security's chain (order -100): a flood is refused before any token is checked.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebEdgeProperties.class)
public class WebEdge {

    /** First of all: every later filter's refusal and every log line of the request carry the request id. */
    @Bean
    FilterRegistrationBean<RequestIds> requestIdFilter() {
        FilterRegistrationBean<RequestIds> registration = registration(new RequestIds(), Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        return registration;
    }

    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter(WebEdgeProperties properties,
                                                                        ObjectProvider<SecurityProperties> security) {
        SecurityProperties signIn = security.getIfAvailable();
        String signInOrigin = signIn != null && signIn.mode() == SecurityProperties.Mode.KEYCLOAK ? signIn.issuerOrigin() : null;
        FilterRegistrationBean<SecurityHeadersFilter> registration =
                registration(new SecurityHeadersFilter(properties, signInOrigin), Ordered.HIGHEST_PRECEDENCE + 1);
        // also on Spring Boot's error dispatch, so an error page or body rendered there carries them too
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(WebEdgeProperties properties) {
        return registration(new RateLimitFilter(properties), Ordered.HIGHEST_PRECEDENCE + 2);
    }

    @Bean
    FilterRegistrationBean<BodySizeFilter> bodySizeFilter(WebEdgeProperties properties) {
        return registration(new BodySizeFilter(properties), Ordered.HIGHEST_PRECEDENCE + 3);
    }

    /**
     * Tomcat's own refusals (an address above the root, before any filter) as problem documents, not its HTML page
     * ({@link ProblemReportValve}); after Spring Boot's customizer, which puts its own ErrorReportValve on the host.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve() {
        return new ProblemReportValveCustomizer();
    }

    private static final class ProblemReportValveCustomizer
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(ProblemReportValve::install);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    private static <F extends Filter> FilterRegistrationBean<F> registration(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
