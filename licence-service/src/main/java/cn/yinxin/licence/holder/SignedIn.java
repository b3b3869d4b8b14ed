package cn.yinxin.licence.holder;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.ResidentId;
import cn.yinxin.core.licence.Uscc;
import cn.yinxin.service.security.Caller;
import org.springframework.stereotype.Component;

/**
 * The holder or office behind the current call, from the sign-in: a citizen's token carries their resident ID
 * number (claim {@code resident_id}), a company's representative the company's USCC (claim {@code uscc}), an
 * officer's token the office's USCC (claim {@code office_uscc}). Under the development login the headers
 * {@code X-Dev-Holder} and {@code X-Dev-Office} say so instead.
 */
@Component
public class SignedIn {

    /** The signed-in holder's resident ID number or USCC. */
    public String holder() {
        String number = Caller.current().holder();
        if (number == null || !ResidentId.isValid(number) && !Uscc.isValid(number)) {
            throw new RejectedException(Problem.NOT_SIGNED_IN, "Sign in as the holder: the sign-in carries no valid "
                    + "resident ID number or USCC (development login: header X-Dev-Holder).");
        }
        return number;
    }

    /** The signed-in office's USCC. */
    public String office() {
        String code = Caller.current().officeUscc();
        if (code == null || !Uscc.isValid(code)) {
            throw new RejectedException(Problem.NOT_SIGNED_IN, "Sign in as an officer of an office: the sign-in "
                    + "carries no valid office USCC (development login: header X-Dev-Office).");
        }
        return code;
    }
}
