package cn.yinxin.service.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who makes the current call, in the words of our users: the approval system or page (client), the person behind
 * it (name, resident ID number, company USCC), the office they act for, and their roles. Built from a Keycloak
 * access token, or from the development login (marked {@link #development()}).
 *
 * @param subject    the token's subject (a user or a client's service account)
 * @param client     the OAuth2 client the token was issued to ({@code azp}): the approval system's id
 * @param roles      realm roles known to Yinxin ({@link Roles})
 * @param name       the person's name (claim {@code name}), or null
 * @param residentId the person's resident ID number (claim {@code resident_id}), or null
 * @param uscc       the company the person represents (claim {@code uscc}), or null
 * @param officeUscc the office the caller works for (claim {@code office_uscc}), or null
 */
public record Caller(String subject, String client, Set<String> roles, String name, String residentId, String uscc,
                     String officeUscc, boolean development) {

    public static final Caller ANONYMOUS = new Caller("anonymous", null, Set.of(), null, null, null, null, false);

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** The caller of the request this thread serves (anonymous when nobody signed in). */
    public static Caller current() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    public static Caller of(Authentication authentication) {
        if (authentication == null) {
            return ANONYMOUS;
        }
        if (authentication.getPrincipal() instanceof Caller caller) {
            return caller;
        }
        if (authentication instanceof JwtAuthenticationToken token) {
            return fromToken(token.getToken());
        }
        return ANONYMOUS;
    }

    static Caller fromToken(Jwt jwt) {
        return new Caller(jwt.getSubject(), jwt.getClaimAsString("azp"), realmRoles(jwt),
                jwt.getClaimAsString("name"), upper(jwt.getClaimAsString("resident_id")),
                upper(jwt.getClaimAsString("uscc")), upper(jwt.getClaimAsString("office_uscc")), false);
    }

    /** Keycloak puts realm roles under {@code realm_access.roles}; roles Yinxin does not know are ignored. */
    static Set<String> realmRoles(Jwt jwt) {
        Object access = jwt.getClaims().get("realm_access");
        if (!(access instanceof Map<?, ?> map) || !(map.get("roles") instanceof Collection<?> roles)) {
            return Set.of();
        }
        return roles.stream().map(Objects::toString).filter(Roles.ALL::contains).collect(Collectors.toUnmodifiableSet());
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    public boolean anonymous() {
        return this == ANONYMOUS;
    }

    /** The holder a licence call is about: the person's resident ID number, else the company's USCC. */
    public String holder() {
        return residentId != null ? residentId : uscc;
    }

    /** How the audit log names this caller. */
    public String auditName() {
        if (anonymous()) {
            return "anonymous";
        }
        String who = client == null ? subject : client + (subject == null ? "" : "/" + subject);
        return (development ? "development:" : "") + who;
    }

    List<String> authorities() {
        return roles.stream().map(r -> "ROLE_" + r).sorted().toList();
    }

    static String upper(String value) {
        return value == null || value.isBlank() ? null : value.strip().toUpperCase();
    }
}
