package cn.yinxin.verifier.qr;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.verifier.qr.Finding.Verdict;
import cn.yinxin.verifier.trust.StatusLists;
import cn.yinxin.verifier.trust.seals.SealDirectory;
import cn.yinxin.verifier.trust.seals.Signer;
import cn.yinxin.verifier.trust.seals.Signers;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * A licence code's entry in its issuer's status list (IETF Token Status List): online, or the kept list when
 * offline and fresh enough. A list counts only when a seal of the licence's own issuer signed it. A list signed with
 * a key not known yet (its seal was renewed since the seals were fetched) makes the verifier ask the seal service
 * once more, as an unknown code does.
 */
final class LicenceListCheck {

    /** The finding, and the entry as read (null when none could be read). */
    record Checked(Finding finding, QrResult.ListEntry entry) {
    }

    private final StatusLists lists;
    private final SealDirectory seals;
    private final Supplier<List<X509Certificate>> anchors;
    private final Clock clock;

    /** @param lists null: status lists are not checked by this verifier */
    LicenceListCheck(StatusLists lists, SealDirectory seals, Supplier<List<X509Certificate>> anchors, Clock clock) {
        this.lists = lists;
        this.seals = seals;
        this.anchors = anchors;
        this.clock = clock;
    }

    /** Whether the check may have to fetch a list or read one from disk (not for an event loop). */
    boolean mayWait() {
        return lists != null;
    }

    Checked check(LicenceQr licence, String agencyCode, Signers signers) {
        return check(licence, agencyCode, signers, false);
    }

    private Checked check(LicenceQr licence, String agencyCode, Signers signers, boolean retried) {
        if (lists == null) {
            return new Checked(new Finding(Verdict.INDETERMINATE, "licence-status-unchecked",
                    "The licence's status list entry (" + licence.status().uri() + ", index " + licence.status().index()
                            + ") is not checked by this verifier."), null);
        }
        try {
            var status = lists.status(licence.status().uri(), licence.status().index(),
                    new QrVerifier(QrSigner.DEFAULT_PREFIX, signers.directory(), clock, QrCheck.ALLOWED_SKEW),
                    (certificate, listIssuedAt) -> mayIssueStatusList(signers.of(certificate), agencyCode, listIssuedAt),
                    !retried);
            Instant now = clock.instant();
            return new Checked(finding(status, now), new QrResult.ListEntry(status, now));
        } catch (StatusLists.UnknownSigner unknown) {
            // its seal may be renewed since the seals were fetched: ask once more (rate-limited), then a kept list may answer
            Signers fresh = seals.mayRefetch() && seals.refresh() ? seals.signers(anchors.get()) : signers;
            return check(licence, agencyCode, fresh, true);
        } catch (IOException | RejectedException e) {
            return new Checked(new Finding(Verdict.INDETERMINATE, "licence-status-unchecked", "The licence's "
                    + "status cannot be confirmed: " + e.getMessage() + "."), null);
        } catch (RuntimeException e) {
            // a list or code that trips the reading (whatever its cause) confirms nothing, and answers no 500
            return new Checked(new Finding(Verdict.INDETERMINATE, "licence-status-unchecked", "The licence's "
                    + "status cannot be confirmed: its status list cannot be read (" + e.getClass().getSimpleName()
                    + ")."), null);
        }
    }

    /** What the list says of the licence; a kept list says how old it is. */
    private static Finding finding(StatusLists.Status status, Instant now) {
        // an officer offline must see that a revocation since may be missing
        String source = "the status list from " + status.listIssuedAt() + (status.fromCache()
                ? " (kept from before; last confirmed current at " + status.confirmedAt() + ", "
                + age(Duration.between(status.confirmedAt(), now)) + " old)" : "");
        return switch (status.value()) {
            case 0 -> new Finding(Verdict.VALID, null, "The licence is valid according to " + source + ".");
            case 2 -> new Finding(Verdict.INVALID, "licence-suspended", "The licence is suspended (暂扣) according to "
                    + source + ".");
            default -> new Finding(Verdict.INVALID, "licence-withdrawn", "The licence is no longer valid (revoked, "
                    + "cancelled, expired or replaced) according to " + source + ".");
        };
    }

    /** "40 seconds", "7 minutes", "3 hours", "2 days": how old a kept list is, in words. */
    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 120) {
            return seconds + (seconds == 1 ? " second" : " seconds");
        }
        if (seconds < 7200) {
            return seconds / 60 + " minutes";
        }
        return seconds < 172800 ? seconds / 3600 + " hours" : seconds / 86400 + " days";
    }

    /**
     * Whether a status list signed by {@code signer} (null: not a trusted seal) at {@code listIssuedAt} may speak for
     * the licences of {@code agencyCode}: a seal of that agency, neither revoked nor suspended, and for a certificate
     * replaced by a renewal only a list made before the renewal.
     */
    private static boolean mayIssueStatusList(Signer signer, String agencyCode, Instant listIssuedAt) {
        return signer != null && agencyCode != null && agencyCode.equals(signer.seal().agencyCode())
                && !"REVOKED".equals(signer.seal().status()) && !"SUSPENDED".equals(signer.seal().status())
                && (signer.replacedAt() == null || !listIssuedAt.isAfter(signer.replacedAt().plus(QrCheck.ALLOWED_SKEW)));
    }
}
