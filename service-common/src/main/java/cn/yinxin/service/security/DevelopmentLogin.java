package cn.yinxin.service.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * DEVELOPMENT LOGIN, NOT AUTHENTICATION: for a first try without Keycloak. Every call is a development caller that
 * holds every role unless {@code X-Dev-Roles} names fewer; {@code X-Dev-Client}, {@code X-Dev-Person-Name},
 * {@code X-Dev-Person-Id}, {@code X-Dev-Holder} and {@code X-Dev-Office} say who it pretends to be. Every response
 * says so in {@code X-Yinxin-Login: development}, and a service refuses to start this way under the
 * {@code production} profile ({@link ServiceSecurity}).
 */
public class DevelopmentLogin extends OncePerRequestFilter {

    public static final String MARK_HEADER = "X-Yinxin-Login";
    public static final String DEFAULT_CLIENT = "development";
    /** The subject of a development caller that names no person or holder. */
    public static final String NO_PERSON = "developer";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(MARK_HEADER, "development");
        Caller caller = callerOf(request);
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new DevelopmentAuthentication(caller));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** The caller stays known while a streamed answer is written (async dispatch) and on error pages. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    static Caller callerOf(HttpServletRequest request) {
        String roles = request.getHeader("X-Dev-Roles");
        Set<String> chosen = roles == null ? Roles.ALL : Arrays.stream(roles.split(","))
                .map(String::strip).filter(Roles.ALL::contains).collect(Collectors.toSet());
        String holder = Caller.upper(request.getHeader("X-Dev-Holder"));
        String person = Caller.upper(request.getHeader("X-Dev-Person-Id"));
        // a holder is a person (18-character resident ID ending in a digit or X) or a company (USCC)
        boolean holderIsPerson = holder != null && holder.length() == 18 && holder.matches("\\d{17}[\\dX]");
        String residentId = person != null ? person : holderIsPerson ? holder : null;
        String uscc = holder != null && !holderIsPerson ? holder : null;
        String client = request.getHeader("X-Dev-Client");
        String subject = residentId != null ? residentId : uscc != null ? uscc : NO_PERSON;
        return new Caller(subject, client == null || client.isBlank() ? DEFAULT_CLIENT : client.strip(), chosen,
                request.getHeader("X-Dev-Person-Name"), residentId, uscc, Caller.upper(request.getHeader("X-Dev-Office")), true);
    }

    static final class DevelopmentAuthentication extends AbstractAuthenticationToken {
        private final Caller caller;

        DevelopmentAuthentication(Caller caller) {
            super(caller.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList());
            this.caller = caller;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return caller;
        }
    }
}
