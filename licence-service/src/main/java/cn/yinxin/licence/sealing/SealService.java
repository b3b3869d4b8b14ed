package cn.yinxin.licence.sealing;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.CwtClaims;

import java.util.function.Supplier;

/**
 * What the licence service asks of the seal service, which holds every key: what a seal is, a signed QR code, a
 * signed status list, a sealed PDF or OFD. {@link SealServiceClient} asks over HTTP; the fast tests use an in-memory
 * double. Every method answers or throws a {@link RejectedException}: {@link Refused} when the seal service refused
 * the request itself (asking again gives the same answer), {@code seal-service-unavailable} when it could not be
 * asked; the licence change the call belonged to is then not made.
 */
public interface SealService {

    /** What the licence service needs to know of a seal. */
    record SealInfo(String id, String name, String agency, String agencyCode, String status) {
    }

    SealInfo seal(String sealId);

    /**
     * The seal's agency (name and code) for naming a licence's issuer, which a seal keeps for life (its certificate's
     * subject, also across renewals): may be answered from a short-lived copy. Never for its status, which the seal
     * service checks itself on every signature.
     */
    default SealInfo agencyOf(String sealId) {
        return seal(sealId);
    }

    /** Whether the seal has a GB/T 38540 seal (an SM2 seal created or imported with one): it can seal an OFD. */
    boolean hasNationalSeal(String sealId);

    /** The printable text of a QR code carrying {@code claims}, signed with the seal's key. */
    String signCode(String sealId, CwtClaims claims);

    /** A COSE_Sign1 token over {@code claims} (a status list), signed with the seal's key. */
    byte[] signToken(String sealId, CwtClaims claims);

    /** The PDF sealed with the seal, its centre at (x, y) mm from the top-left of the page. */
    byte[] stamp(String sealId, byte[] pdf, int page, double xMm, double yMm, String level, String reason);

    /**
     * The OFD sealed with the seal's GB/T 38540 seal, its centre at (x, y) mm from the top-left of the page; {@code
     * level} B_B (OFD-SES-B) or B_T (OFD-SES-T, with a time-stamp).
     */
    byte[] stampOfd(String sealId, byte[] ofd, int page, double xMm, double yMm, String level, String reason);

    /**
     * Runs {@code work} with its seal-service calls labelled {@code source} (letters, digits and {@code ._:/-}): the
     * seal service writes it into the signing record of each stamp and code (one bulk import row, say).
     */
    static <T> T from(String source, Supplier<T> work) {
        return SigningSource.from(source, work);
    }

    /**
     * The seal service refused the request itself (a 4xx answer): the same request would be refused again, so
     * it is not an outage to wait out. Callers of the licence API see the same problem type as before.
     */
    final class Refused extends RejectedException {
        public Refused(String detail) {
            super(Problem.SEAL_SERVICE_UNAVAILABLE, detail);
        }
    }
}
