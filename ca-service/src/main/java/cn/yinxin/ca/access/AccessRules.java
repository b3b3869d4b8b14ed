package cn.yinxin.ca.access;

import cn.yinxin.service.security.RouteRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import cn.yinxin.service.web.OpenApiDocument;

import static cn.yinxin.service.security.Roles.AUDITOR;
import static cn.yinxin.service.security.Roles.CA_ADMIN;
import static cn.yinxin.service.security.Roles.SEAL_ADMIN;
import static cn.yinxin.service.security.Roles.SEAL_SERVICE_CLIENT;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

/**
 * Who may call what on the CA. What relying parties need to check a signature (OCSP, CRLs, the CA certificates,
 * the published trust list) and the time-stamp authority are public. Enrolment and revocation are for CA admins
 * and for the seal service's client (it certifies and revokes seal and personal keys, each for a request a person made
 * at the seal service: {@link cn.yinxin.ca.certificates.OnBehalfOf}); the licence service's and the CA's own clients
 * reach none of it. The trust list is edited by CA admins.
 */
@Configuration(proxyBeanMethods = false)
@Import(OpenApiDocument.class)
public class AccessRules {

    @Bean
    RouteRules caServiceRoutes() {
        return RouteRules.rules()
                // the API description, public like the verifier's (OpenApiDocument)
                .anyone(GET, OpenApiDocument.PATH)
                .anyone(POST, "/ocsp", "/tsa")
                .anyone(GET, "/ocsp/**", "/crl/{issuer}.crl", "/api/v1/ca/certificates", "/api/v1/trust-list",
                        "/api/v1/seal-maker/certificate")
                // the seal maker signs GB/T 38540 seals only for the seal service (and CA admins)
                .roles(POST, "/api/v1/seseals", CA_ADMIN, SEAL_SERVICE_CLIENT)
                .roles(POST, "/api/v1/enrolments", CA_ADMIN, SEAL_SERVICE_CLIENT)
                .roles(GET, "/api/v1/certificates/{issuer}/{serial}", CA_ADMIN, SEAL_ADMIN, SEAL_SERVICE_CLIENT)
                // 三权分立: a certificate's audit trail is read by auditors, not by the CA admins whose acts it records
                .roles(GET, "/api/v1/certificates/{issuer}/{serial}/audit", AUDITOR)
                .roles(POST, "/api/v1/certificates/{issuer}/{serial}/revocation", CA_ADMIN, SEAL_SERVICE_CLIENT)
                .roles(DELETE, "/api/v1/certificates/{issuer}/{serial}/revocation", CA_ADMIN, SEAL_SERVICE_CLIENT)
                .roles(GET, "/api/v1/trust-list/cas", CA_ADMIN)
                .roles(POST, "/api/v1/trust-list/cas", CA_ADMIN)
                .roles(DELETE, "/api/v1/trust-list/cas/{id}", CA_ADMIN)
                .roles(POST, "/api/v1/trust-list/publications", CA_ADMIN);
    }
}
