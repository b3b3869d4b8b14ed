package cn.yinxin.ca;

import cn.yinxin.service.security.RouteRules;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import cn.yinxin.service.ServiceCommonConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route has a declared rule, the rules are enforced (the development login with fewer roles is refused),
 * and the development login cannot run under the production profile.
 */
class AccessRulesTest extends CaTestBase {

    @Autowired
    RouteRules rules;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyRouteHasARuleAndARouteWithoutOneIsFound() {
        assertThat(mappings.getHandlerMethods()).hasSizeGreaterThan(10);
        assertThat(rules.uncovered(mappings)).isEmpty();
        // the same check on rules that forgot one route names exactly that route
        RouteRules forgetful = RouteRules.rules();
        rules.list().stream().filter(r -> !r.pattern().equals("/api/v1/trust-list/publications"))
                .forEach(r -> copy(forgetful, r));
        assertThat(forgetful.uncovered(mappings)).extracting(Object::toString)
                .containsExactly("POST /api/v1/trust-list/publications");
        assertThat(rules.ruleFor(HttpMethod.POST, "/api/v1/enrolments").roles()).isEqualTo(Set.of("ca-admin", "seal-service-client"));
        assertThat(rules.ruleFor(HttpMethod.GET, "/crl/seal-ca.crl").access()).isEqualTo(RouteRules.Access.PUBLIC);
        assertThat(rules.ruleFor(HttpMethod.PUT, "/api/v1/enrolments")).as("no rule: denied").isNull();
    }

    @Test
    void theRulesAreEnforcedOnEveryCall() throws Exception {
        var officer = publish("officer");
        assertThat(officer.statusCode()).isEqualTo(403);
        assertThat(officer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(officer.body()).contains("urn:yinxin:problem:access-denied");
        assertThat(officer.headers().firstValue("X-Yinxin-Login")).hasValue("development");

        assertThat(publish("ca-admin").statusCode()).isEqualTo(201);
        // a method no rule names is denied although the path exists
        var put = http.send(HttpRequest.newBuilder(URI.create(URL + "/api/v1/trust-list")).PUT(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isIn(403, 405);
        // verification material stays public
        assertThat(get("/api/v1/ca/certificates").statusCode()).isEqualTo(200);
    }

    /** OCSP GET paths (base64 with %2F, "//" once decoded) pass the firewall; other odd paths still do not. */
    @Test
    void ocspGetPathsPassTheFirewallAndOtherPathsMeetIt() throws Exception {
        var ocsp = get("/ocsp/MEow%2F%2FAAAA%2BBB%3D%3D");
        assertThat(ocsp.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        assertThat(get("/api/v1/ca%2F%2Fcertificates").statusCode()).isEqualTo(400);
    }

    /**
     * The security configuration alone, in a web context of its own (a second whole ca-service in this JVM disturbed
     * the first one's Tomcat): development mode under the production profile does not start; keycloak mode does.
     */
    @Test
    void theDevelopmentLoginRefusesTheProductionProfile() {
        var runner = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ServiceCommonConfiguration.class))
                .withBean(RouteRules.class, RouteRules::rules)
                .withInitializer(context -> context.getEnvironment().setActiveProfiles("production"));
        runner.withPropertyValues("yinxin.security.mode=development").run(context -> assertThat(context).hasFailed().getFailure()
                .hasStackTraceContaining("Refusing to start: the production profile needs sign-in through Keycloak"));
        runner.withPropertyValues("yinxin.security.mode=keycloak", "yinxin.security.issuer=http://localhost:1/realms/yinxin")
                .run(context -> assertThat(context).hasNotFailed());
        // and without the production profile the development login starts, when asked for
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(ServiceCommonConfiguration.class))
                .withBean(RouteRules.class, RouteRules::rules).withPropertyValues("yinxin.security.mode=development")
                .run(context -> assertThat(context).hasNotFailed());
    }

    /** Fail closed: a service that was not told how callers sign in does not start (it never guesses development). */
    @Test
    void aServiceWithoutASignInModeRefusesToStart() {
        var runner = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ServiceCommonConfiguration.class))
                .withBean(RouteRules.class, RouteRules::rules);
        runner.run(context -> assertThat(context).hasFailed().getFailure()
                .hasStackTraceContaining("Refusing to start: say how callers sign in, yinxin.security.mode"));
        // an empty value (application.properties: ${YINXIN_SECURITY_MODE:} with nothing set) is no mode either
        runner.withPropertyValues("yinxin.security.mode=").run(context -> assertThat(context).hasFailed().getFailure()
                .hasStackTraceContaining("Refusing to start: say how callers sign in"));
        runner.withPropertyValues("yinxin.security.mode=open").run(context -> assertThat(context).hasFailed());
    }

    private HttpResponse<String> publish(String roles) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(URL + "/api/v1/trust-list/publications"))
                .header("X-Dev-Roles", roles).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void copy(RouteRules to, RouteRules.Rule rule) {
        switch (rule.access()) {
            case PUBLIC -> to.anyone(rule.method(), rule.pattern());
            case SIGNED_IN -> to.signedIn(rule.method(), rule.pattern());
            case ROLES -> to.roles(rule.method(), rule.pattern(), rule.roles().toArray(String[]::new));
        }
    }
}
