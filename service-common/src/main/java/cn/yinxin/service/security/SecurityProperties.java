package cn.yinxin.service.security;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service knows its callers ({@code yinxin.security.*}).
 *
 * @param mode         {@code keycloak}: every call carries a Keycloak access token (JWT) checked against the
 *                     realm's keys; {@code development}: no sign-in, every call is a marked development caller
 *                     (refused under the {@code production} profile). No default: a service whose operator did not
 *                     say how callers sign in does not start (it used to fall into the development login, so a
 *                     forgotten setting opened every route to anyone)
 * @param issuer       the realm's issuer URL, e.g. {@code http://localhost:8180/realms/yinxin}; tokens must carry it
 * @param audience     tokens must name this audience ({@code aud}), so a token made for another system is refused
 * @param clientId     this service's own client, for the calls it makes to other services (client credentials)
 * @param clientSecret its secret
 * @param clockSkewSeconds how far a token's times may be off this machine's clock (expiry, issued-at)
 * @param pageClientId the realm's public client (authorisation code with PKCE) that this service's own pages sign
 *                     people in with, e.g. the signature desk; none: the service has no pages that sign in
 */
@ConfigurationProperties("yinxin.security")
public record SecurityProperties(Mode mode, String issuer,
                                 @DefaultValue("yinxin") String audience, String clientId, String clientSecret,
                                 @DefaultValue("30") long clockSkewSeconds, String pageClientId) {

    public enum Mode { DEVELOPMENT, KEYCLOAK }

    /** The sentence a service that was not told its mode stops with. */
    public static final String MODE_MISSING = "Refusing to start: say how callers sign in, yinxin.security.mode "
            + "(environment YINXIN_SECURITY_MODE) = keycloak (with yinxin.security.issuer) or development (no sign-in: "
            + "every call may do everything; for a first try on this machine only).";

    public SecurityProperties {
        if (mode == null) {
            throw new IllegalArgumentException(MODE_MISSING);
        }
        if (mode == Mode.KEYCLOAK && (issuer == null || issuer.isBlank())) {
            throw new IllegalArgumentException("yinxin.security.mode=keycloak needs yinxin.security.issuer "
                    + "(e.g. http://localhost:8180/realms/yinxin)");
        }
        issuer = issuer == null ? null : issuer.replaceAll("/+$", "");
    }

    public String jwkSetUri() {
        return issuer + "/protocol/openid-connect/certs";
    }

    /** The scheme, host and port of the issuer: the pages' token requests go there (their connect-src). */
    public String issuerOrigin() {
        URI uri = URI.create(issuer);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    public String tokenUri() {
        return issuer + "/protocol/openid-connect/token";
    }
}
