package cn.yinxin.seal.signatures;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Who the signed-in person of a request is. Every identity lookup of the personal signatures goes through
 * {@link #of(HttpServletRequest)}, so that switching to the sign-in's claims (Keycloak JWT: {@code name},
 * {@code resident_id}, {@code sub}) changes this class only.
 *
 * <p>Until then, and only with {@code yinxin.development-login=true} (the development configuration), the person
 * is read from the development headers {@code X-Dev-Person-Id} (the resident ID number) and
 * {@code X-Dev-Person-Name} (UTF-8, percent-encoded when it is not ASCII). Otherwise nobody is signed in: 401.
 */
@Component
public class SignedInPerson {

    /** The person behind a request, as the sign-in states them (checked later, where it matters). */
    public record Person(String residentId, String name) {

        /** How audit entries name the person. */
        public String actor() {
            return "person:" + residentId;
        }

        /** The resident ID number as printed where others may read it: 110105********002X. */
        public String maskedId() {
            return mask(residentId);
        }
    }

    static final String ID_HEADER = "X-Dev-Person-Id";
    static final String NAME_HEADER = "X-Dev-Person-Name";

    private final boolean developmentLogin;

    public SignedInPerson(@Value("${yinxin.development-login:false}") boolean developmentLogin) {
        this.developmentLogin = developmentLogin;
    }

    /** The signed-in person, or a 401 problem when there is none. */
    public Person of(HttpServletRequest request) {
        if (!developmentLogin) {
            throw new RejectedException(Problem.NOT_SIGNED_IN, "Sign in to use a personal e-signature.");
        }
        String id = request.getHeader(ID_HEADER);
        String name = request.getHeader(NAME_HEADER);
        if (id == null || id.isBlank() || name == null || name.isBlank()) {
            throw new RejectedException(Problem.NOT_SIGNED_IN, "Sign in to use a personal e-signature (development "
                    + "login: send " + ID_HEADER + " and " + NAME_HEADER + ").");
        }
        return new Person(id.strip().toUpperCase(java.util.Locale.ROOT),
                URLDecoder.decode(name, StandardCharsets.UTF_8).strip());
    }

    /** Keeps the region (6) and the last 4 characters of an 18-character number. */
    public static String mask(String residentId) {
        if (residentId == null || residentId.length() != 18) {
            return "******";
        }
        return residentId.substring(0, 6) + "********" + residentId.substring(14);
    }
}
