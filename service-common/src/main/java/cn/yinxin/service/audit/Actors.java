package cn.yinxin.service.audit;

import cn.yinxin.service.security.Caller;
import jakarta.servlet.http.HttpServletRequest;

/** Who is calling, as the audit log names them: the signed-in client and subject, and the address. */
public final class Actors {

    private Actors() {
    }

    public static String of(HttpServletRequest request) {
        return Caller.current().auditName() + "@" + request.getRemoteAddr();
    }
}
