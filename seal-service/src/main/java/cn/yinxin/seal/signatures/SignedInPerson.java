package cn.yinxin.seal.signatures;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.service.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Who the signed-in person of a request is. Every identity lookup of the personal signatures goes through
 * {@link #of(HttpServletRequest)}, so that switching to the sign-in's claims (Keycloak JWT: {@code name},
 * {@code resident_id}, {@code sub}) changes this class only.
 *
 * <p>Under the development login the person comes from the headers {@code X-Dev-Person-Id} (the resident ID
 * number) and {@code X-Dev-Person-Name} (UTF-8, percent-encoded when it is not ASCII). Nobody signed in: 401.
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

    /** The signed-in person (claims resident_id and name), or a 401 problem when there is none. */
    public Person of(HttpServletRequest request) {
        Caller caller = Caller.current();
        if (caller.residentId() == null || caller.name() == null || caller.name().isBlank()) {
            throw new RejectedException(Problem.NOT_SIGNED_IN, "Sign in as a person to use a personal e-signature "
                    + "(the sign-in carries no name and resident ID number; development login: send X-Dev-Person-Id "
                    + "and X-Dev-Person-Name).");
        }
        // the development pages percent-encode a Chinese name in the header
        String name = caller.development() ? URLDecoder.decode(caller.name(), StandardCharsets.UTF_8) : caller.name();
        return new Person(caller.residentId(), name.strip());
    }

    /** Keeps the region (6) and the last 4 characters of an 18-character number. */
    public static String mask(String residentId) {
        if (residentId == null || residentId.length() != 18) {
            return "******";
        }
        return residentId.substring(0, 6) + "********" + residentId.substring(14);
    }
}
