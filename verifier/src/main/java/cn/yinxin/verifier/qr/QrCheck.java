package cn.yinxin.verifier.qr;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.core.trust.TrustList;
import cn.yinxin.verifier.qr.Finding.Verdict;
import cn.yinxin.verifier.trust.SignerRevocation;
import cn.yinxin.verifier.trust.StatusLists;
import cn.yinxin.verifier.trust.TrustStatus;
import cn.yinxin.verifier.trust.seals.SealDirectory;
import cn.yinxin.verifier.trust.seals.Signer;
import cn.yinxin.verifier.trust.seals.Signers;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The text of a signed QR code (prefix {@code YX1:}) turned into a verdict: decoded and checked by core's
 * {@link QrVerifier} against the seal certificates that chain to the trust anchors ({@link SealDirectory}), then the
 * signer's status (OCSP when online, and the seal service's published status: {@link SignerFindings}), whether the
 * claims fit the seal that signed them, a licence's status list ({@link LicenceListCheck}), and whether the trust
 * data is fresh enough.
 *
 * <p>A verdict about a code is always an answer, never a refusal: a forged code is {@code INVALID} with
 * {@code problem = urn:yinxin:problem:qr-signature-invalid}, and so on. The answer is a {@link QrResult}; the HTTP
 * edge writes it as JSON.
 */
public final class QrCheck {

    /** iat/nbf may lie this far ahead of the verifier's clock (the seal service's clock may run a little fast). */
    public static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);
    /** The zone a licence's calendar dates are days of (the licence service's). */
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final Supplier<List<X509Certificate>> anchors;
    private final SealDirectory seals;
    private final SignerRevocation revocation;
    private final TrustStatus trust;
    private final Supplier<TrustList> trustList;
    private final Clock clock;
    private LicenceListCheck licenceLists;

    public QrCheck(Supplier<List<X509Certificate>> anchors, SealDirectory seals, SignerRevocation revocation,
                   TrustStatus trust, Supplier<TrustList> trustList, Clock clock) {
        this.anchors = anchors;
        this.seals = seals;
        this.revocation = revocation;
        this.trust = trust;
        this.trustList = trustList;
        this.clock = clock;
        this.licenceLists = new LicenceListCheck(null, seals, anchors, clock);
    }

    /** From now on licence codes are checked against their status lists (kept in {@code lists}). */
    public QrCheck withStatusLists(StatusLists lists) {
        this.licenceLists = new LicenceListCheck(lists, seals, anchors, clock);
        return this;
    }

    /** Blocking (may fetch seals, ask OCSP): call on a worker thread. */
    public QrResult check(String text) {
        return check(text, true);
    }

    /**
     * The same check on the calling thread (an event loop) when everything it needs is at hand, or null when it
     * would have to wait for the network or build certificate chains: then call {@link #check} on a worker. Either
     * way every code gets the whole check (signature, claims, revocation status, trust data); only the waiting
     * differs.
     */
    public QrResult checkWithoutWaiting(String text) {
        try {
            return check(text, false);
        } catch (WouldWait e) {
            return null;
        }
    }

    /** Thrown where the check would wait with mayWait false; no stack trace, it is not an error. */
    private static final class WouldWait extends RuntimeException {
        private static final WouldWait INSTANCE = new WouldWait();

        private WouldWait() {
            super(null, null, false, false);
        }
    }

    private QrResult check(String text, boolean mayWait) {
        Instant now = clock.instant();
        Signers signers = mayWait ? seals.signers(anchors.get()) : seals.signersKnown(anchors.get());
        if (signers == null) {
            throw WouldWait.INSTANCE;
        }
        QrVerifier.Verified verified;
        try {
            verified = verify(text, signers);
        } catch (RejectedException refused) {
            if (refused.problem() == Problem.UNKNOWN_QR_SIGNER && !mayWait && seals.configured()) {
                throw WouldWait.INSTANCE; // the worker decides whether to ask the seal service again
            }
            if (refused.problem() != Problem.UNKNOWN_QR_SIGNER || !seals.mayRefetch() || !seals.refresh()) {
                return refused(refused, signers, now);
            }
            // a seal made since the last fetch: ask the seal service once more
            signers = seals.signers(anchors.get());
            try {
                verified = verify(text, signers);
            } catch (RejectedException again) {
                return refused(again, signers, now);
            }
        }
        return verdict(verified, signers, now, mayWait);
    }

    /** A code whose signature verifies: its claims, its signer's state and the trust data's freshness. */
    private QrResult verdict(QrVerifier.Verified verified, Signers signers, Instant now, boolean mayWait) {
        Signer signer = signers.of(verified.signer());
        CwtClaims claims = verified.claims();
        List<Finding> findings = new ArrayList<>();
        findings.add(new Finding(Verdict.VALID, null, "The code's signature verifies with the certificate of \""
                + signer.seal().name() + "\", which chains to a trusted root."));
        findings.add(new Finding(Verdict.VALID, null, "Issued at " + claims.issuedAt()
                + (claims.expiresAt() == null ? "; it does not expire." : "; valid until " + claims.expiresAt() + ".")));
        Claims read = claims(claims, signer, signers, now, mayWait, findings);
        if (signer.replacedAt() != null) {
            findings.add(SignerFindings.replaced(signer.replacedAt(), claims.issuedAt()));
        }
        String agencyCode = signer.seal().agencyCode();
        if (claims.issuer() != null && agencyCode != null && !agencyCode.equals(claims.issuer())) {
            findings.add(new Finding(Verdict.INVALID, "qr-claims-mismatch", "The code names issuer "
                    + claims.issuer() + " but was signed with the seal of " + signer.seal().agency() + " ("
                    + agencyCode + ")."));
        }
        SignerRevocation.Status ocsp = mayWait ? revocation.status(signer.certificate(), signer.issuer())
                : revocation.known(signer.certificate());
        if (ocsp == null) {
            throw WouldWait.INSTANCE; // OCSP (or the CRL) has to be asked
        }
        SignerFindings.status(signer.seal(), ocsp, claims.issuedAt(), seals.fetchedAt(), findings);
        String stale = trust.staleness();
        if (stale != null) {
            findings.add(new Finding(Verdict.INDETERMINATE, "trust-data-too-old", stale));
        }
        return new QrResult(List.copyOf(findings), now, read.document(), read.licence(), read.list(), signer, ocsp,
                trustData(stale));
    }

    /** The claim a code carries, as read (at most one of them), and the licence's status-list entry. */
    private record Claims(DocumentQr document, LicenceQr licence, QrResult.ListEntry list) {
        static final Claims NONE = new Claims(null, null, null);
    }

    private Claims claims(CwtClaims claims, Signer signer, Signers signers, Instant now, boolean mayWait,
                          List<Finding> findings) {
        if (claims.get(DocumentQr.CLAIM) != null) {
            return document(claims, signer, findings);
        }
        if (claims.get(LicenceQr.CLAIM) != null) {
            return licence(claims, signer, signers, now, mayWait, findings);
        }
        findings.add(new Finding(Verdict.INDETERMINATE, "qr-unknown-content",
                "The code is genuinely signed but carries neither a document nor a licence claim: nothing to confirm."));
        return Claims.NONE;
    }

    private static Claims document(CwtClaims claims, Signer signer, List<Finding> findings) {
        try {
            DocumentQr document = DocumentQr.from(claims);
            if (signer.seal().id() != null && !signer.seal().id().equals(document.sealId())) {
                findings.add(new Finding(Verdict.INVALID, "qr-claims-mismatch", "The code names seal \""
                        + document.sealId() + "\" but was signed with the key of seal \"" + signer.seal().id() + "\"."));
            }
            return new Claims(document, null, null);
        } catch (IllegalArgumentException e) {
            findings.add(new Finding(Verdict.INVALID, "qr-invalid", "The document claim is malformed: "
                    + e.getMessage()));
            return Claims.NONE;
        }
    }

    private Claims licence(CwtClaims claims, Signer signer, Signers signers, Instant now, boolean mayWait,
                           List<Finding> findings) {
        try {
            LicenceQr licence = LicenceQr.from(claims);
            // its last day ends at midnight in China (as the licence service expires it), not 8 hours later in UTC
            if (licence.validUntil() != null && licence.validUntil().isBefore(LocalDate.ofInstant(now, CHINA))) {
                findings.add(new Finding(Verdict.INVALID, "qr-expired", "The licence was valid until "
                        + licence.validUntil() + "."));
            }
            // a licence may be issued ahead of its start (validFrom is any date): before it, it is not in force;
            // its dates are Chinese calendar days, so the day is China's, never one that begins earlier
            if (licence.validFrom().isAfter(LocalDate.ofInstant(now, CHINA))) {
                findings.add(new Finding(Verdict.INDETERMINATE, "qr-not-yet-valid", "The licence is valid from "
                        + licence.validFrom() + ", not yet."));
            }
            if (licence.status() == null) {
                return new Claims(null, licence, null);
            }
            if (!mayWait && licenceLists.mayWait()) {
                throw WouldWait.INSTANCE; // the status list may have to be fetched or read from disk
            }
            LicenceListCheck.Checked checked = licenceLists.check(licence, signer.seal().agencyCode(), signers);
            findings.add(checked.finding());
            return new Claims(null, licence, checked.entry());
        } catch (IllegalArgumentException e) {
            findings.add(new Finding(Verdict.INVALID, "qr-invalid", "The licence claim is malformed: "
                    + e.getMessage()));
            return Claims.NONE;
        }
    }

    private QrVerifier.Verified verify(String text, Signers signers) {
        return new QrVerifier(QrSigner.DEFAULT_PREFIX, signers.directory(), clock, ALLOWED_SKEW).verify(text);
    }

    /** A code refused before its claims could be read: forged, malformed, expired, or signed by a key not known. */
    private QrResult refused(RejectedException refused, Signers signers, Instant now) {
        Problem problem = refused.problem();
        Verdict verdict = switch (problem) {
            case UNKNOWN_QR_SIGNER, QR_NOT_YET_VALID -> Verdict.INDETERMINATE;
            default -> Verdict.INVALID;
        };
        List<Finding> findings = new ArrayList<>();
        findings.add(new Finding(verdict, problem.type().substring(Problem.TYPE_PREFIX.length()), refused.getMessage()));
        if (problem == Problem.UNKNOWN_QR_SIGNER) {
            byte[] kid = kidOf(refused.getMessage());
            if (kid != null) {
                for (Signers.Rejected rejected : signers.rejectedWithKid(kid)) {
                    findings.add(new Finding(verdict, null, "The seal service publishes seal \"" + rejected.seal().id()
                            + "\" with this key id, but " + rejected.reason() + "."));
                }
            }
            if (!seals.configured()) {
                findings.add(new Finding(verdict, null, "This verifier knows no seal service (YINXIN_SEALS_URL): it "
                        + "cannot confirm any QR code."));
            }
        }
        return QrResult.refused(findings, now, trustData(trust.staleness()));
    }

    private static byte[] kidOf(String message) {
        var matcher = Pattern.compile("key id ([0-9a-f]{16})").matcher(message == null ? "" : message);
        return matcher.find() ? HexFormat.of().parseHex(matcher.group(1)) : null;
    }

    private QrResult.Trust trustData(String stale) {
        return new QrResult.Trust(trustList.get(), seals.fetchedAt(), stale != null);
    }
}
