package cn.yinxin.seal.codes;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.seal.registry.Seal;
import cn.yinxin.service.security.Caller;
import cn.yinxin.service.security.Roles;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Signing by purpose: a seal's key signs, through {@code /codes} and {@code /tokens}, only the kinds of claims the
 * caller may have signed. Any client listed on a seal may stamp with it, but a QR code or token signed by it is a
 * credential of its own that verifiers believe: a licence code for any holder signed at an approval system's
 * request verified VALID. So:
 * <ul>
 *   <li>licence codes, presentation codes (亮证) and status lists are signed only for the licence service's client
 *   ({@link Roles#LICENCE_SERVICE_CLIENT}), and only with a seal that lists that client as a user (the seal
 *   administrator's decision that the seal is a licence seal: the licence types name their seal, and the licence
 *   service can only use a seal that lists it), naming the seal's own agency as issuer;</li>
 *   <li>document codes are signed only on the stamping path ({@code POST /api/v1/stamp} with a QR code), never here;</li>
 *   <li>claims of no kind this service signs, or of several at once, are not signed for anyone.</li>
 * </ul>
 * Each refusal is 403 {@code signing-not-permitted}, audited by the caller of {@link #check}.
 */
public final class SigningPurposes {

    /** What a request asks to have signed, told apart by the claim that carries it. */
    public enum Kind {
        DOCUMENT(DocumentQr.CLAIM, "document code"),
        LICENCE(LicenceQr.CLAIM, "licence code"),
        /** 亮证: cn.yinxin.licence.holder.Presentations.CLAIM (the seal service does not depend on the licence service). */
        PRESENTATION(-65539, "presentation code"),
        /** draft-ietf-oauth-status-list's CWT claim, as cn.yinxin.licence.status.StatusLists writes it. */
        STATUS_LIST(65533, "status list");

        private final int claim;
        private final String label;

        Kind(int claim, String label) {
            this.claim = claim;
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Which endpoint is asked: a printable code or a bare token. */
    public enum Form {
        CODE(Set.of(Kind.LICENCE, Kind.PRESENTATION)),
        TOKEN(Set.of(Kind.STATUS_LIST));

        private final Set<Kind> kinds;

        Form(Set<Kind> kinds) {
            this.kinds = kinds;
        }
    }

    private SigningPurposes() {
    }

    /** The one kind the claims carry; refused when they carry none or several. */
    public static Kind kindOf(CwtClaims claims) {
        List<Kind> found = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (claims.get(kind.claim) != null) {
                found.add(kind);
            }
        }
        if (found.size() != 1) {
            throw refused(found.isEmpty() ? "The claims are of no kind this service signs (a licence code, a "
                    + "presentation code or a status list)." : "The claims carry several kinds at once " + found
                    + "; one code or token is one kind.");
        }
        return found.get(0);
    }

    /** Refuses unless {@code caller} may have claims of {@code kind} signed in {@code form}; before the seal is read. */
    public static void check(Caller caller, Kind kind, Form form) {
        if (kind == Kind.DOCUMENT) {
            throw refused("Document codes are signed only when a document is stamped (POST /api/v1/stamp with a QR "
                    + "code), never on their own.");
        }
        if (!form.kinds.contains(kind)) {
            throw refused("A " + kind.label() + " is not signed as a " + form.name().toLowerCase() + " here.");
        }
        if (!caller.has(Roles.LICENCE_SERVICE_CLIENT)) {
            throw refused("Client '" + caller.client() + "' may not have a " + kind.label() + " signed: licence "
                    + "codes, presentation codes and status lists are signed for the licence service only.");
        }
    }

    /** Refuses a licence or presentation code that names another issuer than the seal's agency. */
    public static void checkIssuer(Seal seal, Kind kind, CwtClaims claims) {
        if ((kind == Kind.LICENCE || kind == Kind.PRESENTATION) && !seal.agencyCode().equals(claims.issuer())) {
            throw refused("A " + kind.label() + " signed with seal '" + seal.id() + "' names its agency "
                    + seal.agencyCode() + " as issuer, not " + claims.issuer() + ".");
        }
    }

    private static RejectedException refused(String message) {
        return new RejectedException(Problem.SIGNING_NOT_PERMITTED, message);
    }
}
