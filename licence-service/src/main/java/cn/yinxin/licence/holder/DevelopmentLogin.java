package cn.yinxin.licence.holder;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.ResidentId;
import cn.yinxin.core.licence.Uscc;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * DEVELOPMENT LOGIN, NOT AUTHENTICATION. Until sign-in arrives (the Keycloak issue), a holder is whoever the
 * header {@code X-Dev-Holder: <resident ID number or USCC>} says, and an office whoever
 * {@code X-Dev-Office: <USCC>} says. Both are accepted only while {@code yinxin.licence.development-login=true}
 * (the development default); with it false every holder and office call is refused with 401 {@code not-signed-in}.
 * The Keycloak issue replaces this class: the holder's number comes from the verified token's claim (resident ID
 * or USCC from the identity provider), the office's USCC from its client credentials.
 */
@Component
public class DevelopmentLogin {

    public static final String HOLDER_HEADER = "X-Dev-Holder";
    public static final String OFFICE_HEADER = "X-Dev-Office";

    private final boolean enabled;

    public DevelopmentLogin(@Value("${yinxin.licence.development-login:false}") boolean enabled) {
        this.enabled = enabled;
    }

    /** The signed-in holder's resident ID number or USCC. */
    public String holder(HttpServletRequest request) {
        String number = header(request, HOLDER_HEADER);
        if (!ResidentId.isValid(number) && !Uscc.isValid(number)) {
            throw new RejectedException(Problem.NOT_SIGNED_IN, HOLDER_HEADER + " is not a valid resident ID number or USCC.");
        }
        return number;
    }

    /** The signed-in office's USCC. */
    public String office(HttpServletRequest request) {
        String code = header(request, OFFICE_HEADER);
        if (!Uscc.isValid(code)) {
            throw new RejectedException(Problem.NOT_SIGNED_IN, OFFICE_HEADER + " is not a valid USCC.");
        }
        return code;
    }

    private String header(HttpServletRequest request, String name) {
        if (!enabled) {
            throw new RejectedException(Problem.NOT_SIGNED_IN, "Sign-in is not available yet and the development login "
                    + "is off (yinxin.licence.development-login=false).");
        }
        String value = request.getHeader(name);
        if (value == null || value.isBlank()) {
            throw new RejectedException(Problem.NOT_SIGNED_IN, "Sign in first (development login: header " + name + ").");
        }
        return value.strip().toUpperCase();
    }
}
