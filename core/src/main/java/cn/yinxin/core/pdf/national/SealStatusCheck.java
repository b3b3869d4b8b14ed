package cn.yinxin.core.pdf.national;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.SubIndication;

import cn.yinxin.core.ses.SealStatusSource;

import java.util.List;

/**
 * A GB/T 38540 seal's own status at its issuer, judged the same for a seal in a PDF (national mode,
 * {@link NationalSealCheck}) and in an OFD: the 2025 national rules have the seal maker answer for a seal's status,
 * and a revoked or suspended seal is not a valid seal whatever its signatures say. ACTIVE passes, and EXPIRED when a
 * time-stamp proves the seal was used while it ran; an issuer that does not know the seal, or cannot be asked now,
 * leaves the seal unconfirmed. Offline (no source) the status is not asked, and said so.
 */
public final class SealStatusCheck {

    /**
     * @param status       the issuer's answer (null when not asked, unknown or unreachable)
     * @param indication   null when the status lets the seal pass
     * @param subIndication with a failed indication
     */
    public record Result(String status, Indication indication, SubIndication subIndication) {
        public boolean failed() {
            return indication != null;
        }
    }

    private SealStatusCheck() {
    }

    /** Asks {@code statuses} (null: offline) for seal {@code esId}; each finding goes to {@code reasons}. */
    public static Result check(SealStatusSource statuses, String esId, boolean timeStamped, List<String> reasons) {
        if (statuses == null) {
            reasons.add("The seal's own status at its issuer was not asked (offline).");
            return new Result(null, null, null);
        }
        String status;
        try {
            status = statuses.status(esId);
        } catch (Exception e) {
            reasons.add("The seal's own status cannot be learnt now: " + e.getMessage());
            return new Result(null, Indication.INDETERMINATE, SubIndication.TRY_LATER);
        }
        if (status == null) {
            reasons.add("The seal's issuer does not know seal \"" + esId + "\".");
            return new Result(null, Indication.INDETERMINATE, SubIndication.TRY_LATER);
        }
        if (!"ACTIVE".equals(status) && !("EXPIRED".equals(status) && timeStamped)) {
            reasons.add("The seal \"" + esId + "\" is " + status + " at its issuer: it is not a valid seal.");
            return new Result(status, Indication.TOTAL_FAILED, SubIndication.REVOKED);
        }
        reasons.add("The seal \"" + esId + "\" is " + status + " at its issuer.");
        return new Result(status, null, null);
    }
}
