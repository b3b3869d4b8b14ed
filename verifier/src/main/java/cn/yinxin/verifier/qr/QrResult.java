package cn.yinxin.verifier.qr;

import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.verifier.qr.Finding.Verdict;
import cn.yinxin.verifier.trust.SignerRevocation;
import cn.yinxin.verifier.trust.StatusLists;
import cn.yinxin.verifier.trust.seals.Signer;

import java.time.Instant;
import java.util.List;

/**
 * A QR code's verdict and what it rests on, as {@link QrCheck} found it; the HTTP edge writes it as JSON
 * (cn.yinxin.verifier.http.QrAnswers). A code that was refused before its claims could be read (forged, unknown
 * signer, malformed) has no signer, claims or revocation status.
 *
 * @param document     the document claim, or null
 * @param licence      the licence claim, or null
 * @param licenceList  the licence's entry as its status list gave it; null when not read
 * @param signer       the seal certificate that signed the code; null when the code was refused
 * @param revocation   the signer certificate's revocation status; null when the code was refused
 * @param trust        how fresh the trust data behind the verdict is
 */
public record QrResult(List<Finding> findings, Instant validationTime, DocumentQr document, LicenceQr licence,
                       ListEntry licenceList, Signer signer, SignerRevocation.Status revocation, Trust trust) {

    /** A licence's status as read from its list, and when it was read (for the list's age). */
    public record ListEntry(StatusLists.Status status, Instant readAt) {
    }

    /** The trust data's freshness: the trust list in use (or null), when the seals were fetched, and whether stale. */
    public record Trust(TrustList list, Instant sealsFetchedAt, boolean stale) {
    }

    static QrResult refused(List<Finding> findings, Instant validationTime, Trust trust) {
        return new QrResult(List.copyOf(findings), validationTime, null, null, null, null, null, trust);
    }

    /** "document", "licence", or null (no claim could be read). */
    public String kind() {
        return document != null ? "document" : licence != null ? "licence" : null;
    }

    /** The worst finding's level. */
    public Verdict verdict() {
        Finding first = first();
        return first == null ? Verdict.VALID : first.verdict();
    }

    /** The problem slug of the first finding of the verdict's level; null for a valid code. */
    public String problemSlug() {
        Finding first = first();
        return first == null ? null : first.slug();
    }

    /**
     * The verdict in a sentence: the first finding of its level, or that the code is genuine. A document's code names
     * a sealed document and nothing of the paper it is printed on: a code copied onto a forged paper is as genuine,
     * and "genuine" alone read as the paper's verdict.
     */
    public String summary() {
        Finding first = first();
        if (first != null) {
            return first.reason();
        }
        return document != null ? "The code is genuine: a trusted seal, which is not revoked, made it for the "
                + "document it names. It vouches for that sealed document, not for the paper it is printed on (a "
                + "copied code is as genuine): check the document itself."
                : "The code is genuine: signed by a trusted seal, which is not revoked.";
    }

    /** The first INVALID finding, else the first INDETERMINATE one, else null. */
    private Finding first() {
        for (Verdict level : new Verdict[] {Verdict.INVALID, Verdict.INDETERMINATE}) {
            for (Finding finding : findings) {
                if (finding.verdict() == level) {
                    return finding;
                }
            }
        }
        return null;
    }
}
