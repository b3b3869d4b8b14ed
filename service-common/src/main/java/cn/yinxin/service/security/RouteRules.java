package cn.yinxin.service.security;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every route of a service with the rule that guards it, declared in one place per service. Whatever has no rule
 * is denied, and a service refuses to start while one of its controller routes has none
 * ({@link #uncovered(RequestMappingHandlerMapping)}), so a new endpoint cannot ship unguarded by accident.
 */
public final class RouteRules {

    /** Who may call: anyone, any signed-in caller, or a caller holding one of the roles. */
    public record Rule(HttpMethod method, String pattern, Access access, Set<String> roles) {

        PathPatternRequestMatcher matcher() {
            return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
        }

        /** The same test Spring Security's matcher makes, on a method and path instead of a request. */
        boolean covers(HttpMethod routeMethod, String path) {
            return (method == null || method.equals(routeMethod))
                    && PathPatternParser.defaultInstance.parse(pattern).matches(PathContainer.parsePath(path));
        }

        @Override
        public String toString() {
            return method + " " + pattern + " -> " + (access == Access.ROLES ? "roles " + roles : access);
        }
    }

    public enum Access { PUBLIC, SIGNED_IN, ROLES }

    /** A controller route: one method and one path pattern. */
    public record Route(HttpMethod method, String pattern) {
        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    private final List<Rule> rules = new ArrayList<>();

    /** The actuator's Prometheus scrape (Spring Boot actuator, exposed in each service's application.properties). */
    public static final String METRICS = "/actuator/prometheus";

    /**
     * A service's rules start with what every service shares: how its pages sign people in
     * ({@link PageSignIn}: the settings and the script), which anyone may read; and its metrics, which only the
     * monitoring role reads ({@link Roles#MONITORING}).
     */
    public static RouteRules rules() {
        return new RouteRules().anyone(HttpMethod.GET, PageSignIn.CONFIG, PageSignIn.SCRIPT)
                .roles(HttpMethod.GET, METRICS, Roles.MONITORING);
    }

    /** Anyone, also without a token (verification material: OCSP, CRLs, trust list, status lists). */
    public RouteRules anyone(HttpMethod method, String... patterns) {
        return add(method, Access.PUBLIC, Set.of(), patterns);
    }

    /** Any caller with a valid token; the handler decides further (e.g. a holder sees only their own licences). */
    public RouteRules signedIn(HttpMethod method, String... patterns) {
        return add(method, Access.SIGNED_IN, Set.of(), patterns);
    }

    /** A caller holding at least one of the roles. */
    public RouteRules roles(HttpMethod method, String pattern, String... roles) {
        return add(method, Access.ROLES, Set.of(roles), pattern);
    }

    private RouteRules add(HttpMethod method, Access access, Set<String> roles, String... patterns) {
        for (String pattern : patterns) {
            rules.add(new Rule(method, pattern, access, roles));
        }
        return this;
    }

    public List<Rule> list() {
        return List.copyOf(rules);
    }

    /** Writes the rules into Spring Security, in order, and denies everything else. */
    public void applyTo(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry registry) {
        for (Rule rule : rules) {
            var authorized = registry.requestMatchers(rule.matcher());
            switch (rule.access()) {
                case PUBLIC -> authorized.permitAll();
                case SIGNED_IN -> authorized.authenticated();
                case ROLES -> authorized.hasAnyRole(rule.roles().toArray(String[]::new));
            }
        }
        registry.anyRequest().denyAll();
    }

    /** The rule that decides a request (the first that matches), or null: then it is denied. */
    public Rule ruleFor(HttpMethod method, String path) {
        return rules.stream().filter(r -> r.covers(method, path)).findFirst().orElse(null);
    }

    /**
     * Controller routes no rule covers (each method and pattern, with every path variable filled in). Spring's own
     * handlers (the error page) are left out: they answer requests already decided.
     */
    public List<Route> uncovered(RequestMappingHandlerMapping mappings) {
        List<Route> missing = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (handler.getBeanType().getName().startsWith("org.springframework.")) {
                return;
            }
            Set<HttpMethod> methods = info.getMethodsCondition().getMethods().isEmpty()
                    ? Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)
                    : info.getMethodsCondition().getMethods().stream().map(m -> HttpMethod.valueOf(m.name()))
                    .collect(Collectors.toSet());
            for (String pattern : info.getPatternValues()) {
                for (HttpMethod method : methods) {
                    if (ruleFor(method, example(pattern)) == null) {
                        missing.add(new Route(method, pattern));
                    }
                }
            }
        });
        return missing;
    }

    /** A concrete path for a pattern: {@code /seals/{id}} becomes {@code /seals/x}, {@code /ocsp/**} {@code /ocsp/x}. */
    static String example(String pattern) {
        return pattern.replaceAll("\\{\\*[^}]*}", "x/y").replaceAll("\\{[^}]*}", "x").replace("**", "x/y").replace("*", "x");
    }
}
