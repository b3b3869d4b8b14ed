package cn.yinxin.service.audit;

import jakarta.servlet.http.HttpServletRequest;

/** Who is calling. Until sign-in arrives (Keycloak issue) a caller is only known by its address. */
public final class Actors {

    private Actors() {
    }

    public static String of(HttpServletRequest request) {
        return "anonymous@" + request.getRemoteAddr();
    }
}
