package cn.yinxin.licence.access;

import cn.yinxin.service.security.RouteRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import cn.yinxin.service.web.OpenApiDocument;

import static cn.yinxin.service.security.Roles.AUDITOR;
import static cn.yinxin.service.security.Roles.CITIZEN;
import static cn.yinxin.service.security.Roles.LICENCE_ISSUER;
import static cn.yinxin.service.security.Roles.OFFICER;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

/**
 * Who may call what on the licence service. Issuing offices (licence-issuer) issue, change and import licences;
 * citizens see and share only their own (the handlers take the holder from the sign-in); officers use licences
 * shared with their office. A licence's status, the status lists, licence types, the holder page and the check of
 * a presented code are public: any verifier needs them; what a presentation shows depends on who asks. An issuer acts
 * only on its own office's licence types and licences ({@link IssuingOffice}); audit trails are for auditors.
 */
@Configuration(proxyBeanMethods = false)
@Import(OpenApiDocument.class)
public class AccessRules {

    @Bean
    RouteRules licenceServiceRoutes() {
        return RouteRules.rules()
                // the API description, public like the verifier's (OpenApiDocument)
                .anyone(GET, OpenApiDocument.PATH)
                .anyone(GET, "/holder", "/holder/", "/holder/**")
                .anyone(GET, "/api/v1/licence-types", "/api/v1/licence-types/{code}")
                .anyone(GET, "/api/v1/status-lists/{issuer}/{type}", "/api/v1/licences/{identifier}/status")
                .anyone(POST, "/api/v1/presentations/verify")
                .roles(POST, "/api/v1/licence-types", LICENCE_ISSUER)
                .roles(POST, "/api/v1/imports", LICENCE_ISSUER)
                .roles(GET, "/api/v1/imports/{id}", LICENCE_ISSUER)
                .roles(GET, "/api/v1/imports/{id}/errors", LICENCE_ISSUER)
                .roles(GET, "/api/v1/imports/{id}/licences", LICENCE_ISSUER)
                .roles(POST, "/api/v1/licences", LICENCE_ISSUER)
                .roles(GET, "/api/v1/licences/{identifier}", LICENCE_ISSUER, OFFICER)
                .roles(GET, "/api/v1/licences/{identifier}/pdf", LICENCE_ISSUER)
                .roles(GET, "/api/v1/licences/{identifier}/ofd", LICENCE_ISSUER)
                // an officer sees a holder's full data only with a purpose (用证事由 and case number), recorded
                .roles(POST, "/api/v1/licences/{identifier}/disclosures", OFFICER)
                .roles(POST, "/api/v1/licences/{identifier}/suspension", LICENCE_ISSUER)
                .roles(DELETE, "/api/v1/licences/{identifier}/suspension", LICENCE_ISSUER)
                .roles(POST, "/api/v1/licences/{identifier}/revocation", LICENCE_ISSUER)
                .roles(POST, "/api/v1/licences/{identifier}/cancellation", LICENCE_ISSUER)
                .roles(POST, "/api/v1/licences/{identifier}/renewal", LICENCE_ISSUER)
                .roles(POST, "/api/v1/licences/{identifier}/amendment", LICENCE_ISSUER)
                .roles(GET, "/api/v1/holder/licences", CITIZEN)
                .roles(GET, "/api/v1/holder/licences/{identifier}/pdf", CITIZEN)
                .roles(GET, "/api/v1/holder/licences/{identifier}/ofd", CITIZEN)
                .roles(POST, "/api/v1/holder/licences/{identifier}/presentations", CITIZEN)
                .roles(POST, "/api/v1/holder/licences/{identifier}/consents", CITIZEN)
                .roles(GET, "/api/v1/holder/consents", CITIZEN)
                .roles(DELETE, "/api/v1/holder/consents/{id}", CITIZEN)
                .roles(GET, "/api/v1/holder/uses", CITIZEN)
                .roles(POST, "/api/v1/uses", OFFICER)
                // 三权分立: audit trails are read by auditors only
                .roles(GET, "/api/v1/licences/{identifier}/audit", AUDITOR)
                .roles(GET, "/api/v1/licence-types/{code}/audit", AUDITOR);
    }
}
