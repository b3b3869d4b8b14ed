package cn.yinxin.core.pdf.national;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.SubIndication;

import cn.yinxin.core.ses.SealStatusSource;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
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

    /**
     * Asks {@code statuses} (null: offline) for seal {@code esId}, and whether its issuer made it for the certificate
     * that signed ({@code signer}, DER); each finding goes to {@code reasons}.
     */
    public static Result check(SealStatusSource statuses, String esId, byte[] signer, boolean timeStamped,
                               List<String> reasons) {
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
        return madeFor(statuses, esId, signer, status, reasons);
    }

    /**
     * Whether the issuer made seal {@code esId} for the signer's certificate. A GB/T 38540 seal names its esID, name
     * and picture itself, signed by whoever made it; SesVerifier asks that the maker be a seal maker (its key
     * purpose), but a seal maker can still make a seal under one agency's esID for another's certificate (and a
     * trusted CA could certify a seal maker of its own). The issuer's list of the seal's certificates (every one it
     * has had) is what binds the seal to a key.
     */
    private static Result madeFor(SealStatusSource statuses, String esId, byte[] signer, String status,
                                  List<String> reasons) {
        List<X509Certificate> made;
        try {
            made = statuses.certificates(esId);
        } catch (Exception e) {
            reasons.add("The certificates the seal's issuer made it for cannot be learnt now: " + e.getMessage());
            return new Result(status, Indication.INDETERMINATE, SubIndication.TRY_LATER);
        }
        if (made == null) {
            reasons.add("The seal's issuer was not asked which certificates it made the seal for.");
            return new Result(status, null, null);
        }
        for (X509Certificate certificate : made) {
            try {
                if (Arrays.equals(certificate.getEncoded(), signer)) {
                    reasons.add("The seal's issuer made seal \"" + esId + "\" for the signer's certificate.");
                    return new Result(status, null, null);
                }
            } catch (CertificateEncodingException e) {
                // a certificate that cannot be encoded is not the signer's
            }
        }
        reasons.add("The seal's issuer made seal \"" + esId + "\" for other certificates than the signer's: this "
                + "seal was not made for the signer, whatever name and picture it shows.");
        return new Result(status, Indication.TOTAL_FAILED, SubIndication.NO_SIGNING_CERTIFICATE_FOUND);
    }
}
