package cn.yinxin.verifier.qr;

import cn.yinxin.verifier.qr.Finding.Verdict;
import cn.yinxin.verifier.trust.SignerRevocation;
import cn.yinxin.verifier.trust.seals.Seal;

import java.time.Instant;
import java.util.List;

/**
 * What the state of the seal behind a QR code means for the code: its certificate's revocation status (OCSP when
 * online), the seal's own status as the seal service publishes it, and a certificate replaced by a renewal.
 */
final class SignerFindings {

    private SignerFindings() {
    }

    /**
     * The signer's revocation status and the seal's published status (as of {@code asOf}, when the seals were
     * fetched) as findings about a code that says it was made at {@code issuedAt}.
     */
    static void status(Seal seal, SignerRevocation.Status ocsp, Instant issuedAt, Instant asOf, List<Finding> findings) {
        boolean confirmed = false;
        switch (ocsp.state()) {
            case GOOD -> {
                confirmed = true;
                findings.add(new Finding(Verdict.VALID, null, "The seal certificate is not revoked ("
                        + ocsp.source() + " of " + ocsp.producedAt() + ")."));
            }
            case REVOKED -> findings.add(revoked(ocsp.revokedAt(), ocsp.reason(), issuedAt, "its CA (" + ocsp.source() + ")"));
            case UNKNOWN -> findings.add(new Finding(Verdict.INDETERMINATE, "revocation-unavailable",
                    "The seal certificate is unknown to its OCSP responder."));
            case UNAVAILABLE, NOT_CHECKABLE -> {
                // fall back on the seal service's published status below, as fresh as the trust data
            }
        }
        String published = seal.status();
        if ("REVOKED".equals(published)) {
            findings.add(revoked(seal.statusChangedAt(), seal.statusReason(), issuedAt, "the seal service"));
        } else if ("SUSPENDED".equals(published)) {
            findings.add(new Finding(Verdict.INDETERMINATE, "qr-signer-suspended", "The seal \"" + seal.name()
                    + "\" is suspended" + (seal.statusChangedAt() == null ? "" : " since " + seal.statusChangedAt())
                    + " (the seal service's list of " + asOf + "): its codes cannot be confirmed while it is."));
        } else if (!confirmed) {
            if (published != null) {
                findings.add(new Finding(Verdict.VALID, null, (ocsp.state() == SignerRevocation.State.UNAVAILABLE
                        ? "The certificate's revocation service could not be asked (" + ocsp.source() + "); "
                        : "") + "the seal service listed the seal as " + published + " at " + asOf + "."));
            } else {
                findings.add(new Finding(Verdict.INDETERMINATE, "revocation-unavailable",
                        "Whether the seal was revoked cannot be told: no revocation service answered ("
                                + ocsp.source() + ") and the seal service published no status for it."));
            }
        }
    }

    /**
     * A code signed with a certificate the seal had before a renewal: genuine if it says it was made before the
     * renewal (the key was destroyed then); a code claiming a later time was not made by the seal service.
     */
    static Finding replaced(Instant replacedAt, Instant issuedAt) {
        if (issuedAt != null && issuedAt.isAfter(replacedAt.plus(QrCheck.ALLOWED_SKEW))) {
            return new Finding(Verdict.INVALID, "qr-signer-replaced", "The code was signed with a certificate "
                    + "the seal replaced at " + replacedAt + " (renewal; its key was destroyed then), but says it was "
                    + "made later, at " + issuedAt + ".");
        }
        return new Finding(Verdict.VALID, null, "Signed with the seal's earlier certificate, which it had until a "
                + "renewal at " + replacedAt + "; the code says it was made before that.");
    }

    private static Finding revoked(Instant at, String reason, Instant issuedAt, String by) {
        String what = "The seal was revoked" + (at == null ? "" : " at " + at) + (reason == null ? "" : " (" + reason + ")")
                + ", says " + by + ".";
        if (at == null || !at.isAfter(issuedAt)) {
            return new Finding(Verdict.INVALID, "qr-signer-revoked", what + " The code was made after that.");
        }
        return new Finding(Verdict.INDETERMINATE, "qr-signer-revoked", what + " The code says it was made before ("
                + issuedAt + "), but nothing proves that time.");
    }
}
