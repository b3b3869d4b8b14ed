package cn.yinxin.seal.access;

import cn.yinxin.seal.codes.SigningPurposes;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.seal.registry.VerificationReportSeals;

import cn.yinxin.service.security.RouteRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import cn.yinxin.service.web.OpenApiDocument;

import static cn.yinxin.service.security.Roles.APPROVAL_SYSTEM;
import static cn.yinxin.service.security.Roles.AUDITOR;
import static cn.yinxin.service.security.Roles.REPORT_SEALER;
import static cn.yinxin.service.security.Roles.SEAL_ADMIN;
import static cn.yinxin.service.security.Roles.LICENCE_SERVICE_CLIENT;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;

/**
 * Who may call what on the seal service. Stamping needs the approval-system role (or the licence service's) and then,
 * per seal, that the calling client is one of the seal's users (checked by the seal registry, refused with 403
 * {@code seal-not-permitted} and audited); the verifier's report-sealer role stamps with verification-report seals
 * only ({@link cn.yinxin.seal.registry.VerificationReportSeals}). Seal administration is for seal admins; a seal's
 * certificate and the list of seals are public, for verifiers. Personal e-signatures are the signed-in person's own; the signature pad
 * is authorised by its capture session's id. A seal administrator acts only on its own agency's seals
 * ({@link cn.yinxin.service.security.OfficeScope}, in the controller); a seal's audit trail is for auditors only.
 */
@Configuration(proxyBeanMethods = false)
@Import(OpenApiDocument.class)
public class AccessRules {

    @Bean
    RouteRules sealServiceRoutes() {
        return RouteRules.rules()
                // the API description, public like the verifier's (OpenApiDocument)
                .anyone(GET, OpenApiDocument.PATH)
                // the verifier's report-sealer role stamps here and nowhere else (VerificationReportSeals)
                .roles(POST, "/api/v1/stamp", APPROVAL_SYSTEM, LICENCE_SERVICE_CLIENT, REPORT_SEALER)
                .roles(GET, "/api/v1/stamps/{id}", APPROVAL_SYSTEM, LICENCE_SERVICE_CLIENT, SEAL_ADMIN)
                // licence codes, presentations and status lists are signed for the licence service only
                // (SigningPurposes); approval systems reach the handler so that their attempt is refused and audited
                .roles(POST, "/api/v1/seals/{id}/codes", APPROVAL_SYSTEM, LICENCE_SERVICE_CLIENT)
                .roles(POST, "/api/v1/seals/{id}/tokens", APPROVAL_SYSTEM, LICENCE_SERVICE_CLIENT)
                .anyone(GET, "/api/v1/seals", "/api/v1/seals/{id}", "/api/v1/seals/{id}/certificate",
                        "/api/v1/seals/{id}/certificates", "/api/v1/seals/{id}/status", "/api/v1/seals/{id}/seseal")
                .roles(GET, "/api/v1/seals/{id}/image", SEAL_ADMIN, APPROVAL_SYSTEM)
                // 三权分立: the audit trail is read by auditors, not by the administrators or users whose acts it records
                .roles(GET, "/api/v1/seals/{id}/audit", AUDITOR)
                .roles(POST, "/api/v1/seals", SEAL_ADMIN)
                .roles(PATCH, "/api/v1/seals/{id}", SEAL_ADMIN)
                .roles(POST, "/api/v1/seals/{id}/suspension", SEAL_ADMIN)
                .roles(DELETE, "/api/v1/seals/{id}/suspension", SEAL_ADMIN)
                .roles(POST, "/api/v1/seals/{id}/revocation", SEAL_ADMIN)
                .roles(POST, "/api/v1/seals/{id}/renewal", SEAL_ADMIN)
                // personal e-signatures act for the signed-in person (name and resident ID from the sign-in)
                .signedIn(POST, "/api/v1/personal-signatures", "/api/v1/personal-signatures/mine/cancellation",
                        "/api/v1/personal-signatures/mine/captures", "/api/v1/personal-signatures/mine/uses")
                .signedIn(GET, "/api/v1/personal-signatures/mine", "/api/v1/personal-signatures/mine/uses")
                // the signature pad (often on a phone, not signed in) holds the session's unguessable id instead
                .anyone(GET, "/api/v1/captures/{id}", "/sign", "/sign/**")
                .anyone(POST, "/api/v1/captures/{id}/strokes");
    }
}
