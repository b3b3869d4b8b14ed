package cn.yinxin.seal.stamping;

import cn.yinxin.service.audit.Actors;
import cn.yinxin.service.audit.SigningRecord;
import cn.yinxin.service.security.Caller;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Who asked for a stamp, learned once where the request comes in and handed down explicitly: the signed-in caller
 * (the approval system's client, the person behind it, their roles), the name the audit log gives them
 * ({@link Actors#of}: client, subject and address) and where the request came from for the signing record
 * ({@link SigningRecord#source}). Nothing on the stamp path reads the caller from the thread again.
 */
public record Requester(Caller caller, String actor, String source) {

    public static Requester of(HttpServletRequest request) {
        return new Requester(Caller.current(), Actors.of(request), SigningRecord.source(request));
    }

    /** The approval system calling: the token's client, which must be one of each seal's users. */
    public String client() {
        return caller.client();
    }
}
