package cn.yinxin.verifier.qr;

import cn.yinxin.verifier.trust.seals.SealDirectory;
import cn.yinxin.verifier.trust.SignerRevocation;
import cn.yinxin.verifier.trust.StatusLists;
import cn.yinxin.verifier.trust.TrustStatus;

import cn.yinxin.core.Problem;
import cn.yinxin.core.RejectedException;
import cn.yinxin.core.qr.CwtClaims;
import cn.yinxin.core.qr.DocumentQr;
import cn.yinxin.core.qr.LicenceQr;
import cn.yinxin.core.qr.QrSigner;
import cn.yinxin.core.qr.QrVerifier;
import cn.yinxin.core.trust.TrustList;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * The text of a signed QR code (prefix {@code YX1:}) turned into a verdict: decoded and checked by core's
 * {@link QrVerifier} against the seal certificates that chain to the trust anchors ({@link SealDirectory}), then the
 * signer's status (OCSP when online, and the seal service's published status), whether the claims fit the seal
 * that signed them, and whether the trust data is fresh enough.
 *
 * <p>A verdict about a code is always an answer, never a refusal: a forged code is {@code INVALID} with
 * {@code problem = urn:yinxin:problem:qr-signature-invalid}, and so on.
 */
public final class QrCheck {

    enum Verdict { VALID, INVALID, INDETERMINATE }

    /** iat/nbf may lie this far ahead of the verifier's clock (the seal service's clock may run a little fast). */
    public static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);
    static final String PROBLEM = Problem.TYPE_PREFIX;

    private final Supplier<List<X509Certificate>> anchors;
    private final SealDirectory seals;
    private final SignerRevocation revocation;
    private final TrustStatus trust;
    private final Supplier<TrustList> trustList;
    private final Clock clock;
    private StatusLists statusLists;

    /** From now on licence codes are checked against their status lists (kept in {@code lists}). */
    public QrCheck withStatusLists(StatusLists lists) {
        this.statusLists = lists;
        return this;
    }

    public QrCheck(Supplier<List<X509Certificate>> anchors, SealDirectory seals, SignerRevocation revocation,
            TrustStatus trust, Supplier<TrustList> trustList, Clock clock) {
        this.anchors = anchors;
        this.seals = seals;
        this.revocation = revocation;
        this.trust = trust;
        this.trustList = trustList;
        this.clock = clock;
    }

    /** One finding: what it means for the verdict, its problem slug (or null) and the sentence shown. */
    private record Finding(Verdict verdict, String slug, String reason) {
    }

    /** Blocking (may fetch seals, ask OCSP): call on a worker thread. */
    public JsonObject check(String text) {
        return check(text, true);
    }

    /**
     * The same check on the calling thread (an event loop) when everything it needs is at hand, or null when it
     * would have to wait for the network or build certificate chains: then call {@link #check} on a worker. Either
     * way every code gets the whole check (signature, claims, revocation status, trust data); only the waiting
     * differs.
     */
    public JsonObject checkWithoutWaiting(String text) {
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

    private JsonObject check(String text, boolean mayWait) {
        Instant now = clock.instant();
        List<Finding> findings = new ArrayList<>();
        SealDirectory.Signers signers = mayWait ? seals.signers(anchors.get()) : seals.signersKnown(anchors.get());
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
            if (refused.problem() == Problem.UNKNOWN_QR_SIGNER && seals.mayRefetch() && seals.refresh()) {
                // a seal made since the last fetch: ask the seal service once more
                signers = seals.signers(anchors.get());
                try {
                    verified = verify(text, signers);
                } catch (RejectedException again) {
                    return refused(again, text, signers, now);
                }
            } else {
                return refused(refused, text, signers, now);
            }
        }

        SealDirectory.Signer signer = signers.of(verified.signer());
        CwtClaims claims = verified.claims();
        findings.add(new Finding(Verdict.VALID, null, "The code's signature verifies with the certificate of \""
                + signer.seal().name() + "\", which chains to a trusted root."));
        findings.add(new Finding(Verdict.VALID, null, "Issued at " + claims.issuedAt()
                + (claims.expiresAt() == null ? "; it does not expire." : "; valid until " + claims.expiresAt() + ".")));

        String kind = null;
        JsonObject claimsJson = null;
        if (claims.get(DocumentQr.CLAIM) != null) {
            try {
                DocumentQr document = DocumentQr.from(claims);
                kind = "document";
                claimsJson = new JsonObject().put("documentId", document.documentId().toString())
                        .put("verificationUrl", document.verificationUrl()).put("sealId", document.sealId())
                        .put("issuer", document.issuer()).put("issuedAt", document.issuedAt().toString())
                        .put("expiresAt", document.expiresAt() == null ? null : document.expiresAt().toString());
                if (signer.seal().id() != null && !signer.seal().id().equals(document.sealId())) {
                    findings.add(new Finding(Verdict.INVALID, "qr-claims-mismatch", "The code names seal \""
                            + document.sealId() + "\" but was signed with the key of seal \"" + signer.seal().id() + "\"."));
                }
            } catch (IllegalArgumentException e) {
                findings.add(new Finding(Verdict.INVALID, "qr-invalid", "The document claim is malformed: " + e.getMessage()));
            }
        } else if (claims.get(LicenceQr.CLAIM) != null) {
            try {
                LicenceQr licence = LicenceQr.from(claims);
                kind = "licence";
                claimsJson = new JsonObject().put("identifier", licence.identifier()).put("typeCode", licence.typeCode())
                        .put("holderName", licence.holderName()).put("maskedHolderNumber", licence.maskedHolderNumber())
                        .put("validFrom", licence.validFrom().toString())
                        .put("validUntil", licence.validUntil() == null ? null : licence.validUntil().toString())
                        .put("issuer", licence.issuer()).put("issuedAt", licence.issuedAt().toString())
                        .put("expiresAt", licence.expiresAt() == null ? null : licence.expiresAt().toString());
                if (licence.validUntil() != null && licence.validUntil().isBefore(java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC))) {
                    findings.add(new Finding(Verdict.INVALID, "qr-expired", "The licence was valid until " + licence.validUntil() + "."));
                }
                if (licence.status() != null) {
                    if (!mayWait && statusLists != null) {
                        throw WouldWait.INSTANCE; // the status list may have to be fetched or read from disk
                    }
                    JsonObject statusJson = new JsonObject().put("index", licence.status().index())
                            .put("uri", licence.status().uri());
                    claimsJson.put("status", statusJson);
                    findings.add(licenceStatus(licence, signer.seal().agencyCode(), signers, false, statusJson));
                }
            } catch (IllegalArgumentException e) {
                findings.add(new Finding(Verdict.INVALID, "qr-invalid", "The licence claim is malformed: " + e.getMessage()));
            }
        } else {
            findings.add(new Finding(Verdict.INDETERMINATE, "qr-unknown-content",
                    "The code is genuinely signed but carries neither a document nor a licence claim: nothing to confirm."));
        }
        if (signer.replacedAt() != null) {
            findings.add(replaced(signer.replacedAt(), claims.issuedAt()));
        }
        String agencyCode = signer.seal().agencyCode();
        if (claims.issuer() != null && agencyCode != null && !agencyCode.equals(claims.issuer())) {
            findings.add(new Finding(Verdict.INVALID, "qr-claims-mismatch", "The code names issuer " + claims.issuer()
                    + " but was signed with the seal of " + signer.seal().agency() + " (" + agencyCode + ")."));
        }

        SignerRevocation.Status ocsp = mayWait ? revocation.status(signer.certificate(), signer.issuer())
                : revocation.known(signer.certificate());
        if (ocsp == null) {
            throw WouldWait.INSTANCE; // OCSP (or the CRL) has to be asked
        }
        JsonObject revocationJson = status(signer, ocsp, claims.issuedAt(), findings);

        String stale = trust.staleness();
        if (stale != null) {
            findings.add(new Finding(Verdict.INDETERMINATE, "trust-data-too-old", stale));
        }

        JsonObject answer = answer(findings, now);
        answer.put("kind", kind).put("claims", claimsJson)
                .put("signer", signer.certificateJson())
                .put("seal", signer.sealJson())
                .put("revocation", revocationJson)
                .put("trust", trustJson(stale));
        return answer;
    }

    /**
     * The licence's entry in its issuer's status list (online, or the kept list when offline and fresh enough). A list
     * signed with a key not known yet (its seal was renewed since the seals were fetched) makes the verifier ask the
     * seal service once more, as an unknown code does.
     */
    private Finding licenceStatus(LicenceQr licence, String agencyCode, SealDirectory.Signers signers, boolean retried,
                                  JsonObject statusJson) {
        if (statusLists == null) {
            return new Finding(Verdict.INDETERMINATE, "licence-status-unchecked", "The licence's status list entry ("
                    + licence.status().uri() + ", index " + licence.status().index() + ") is not checked by this verifier.");
        }
        try {
            var status = statusLists.status(licence.status().uri(), licence.status().index(),
                    new QrVerifier(QrSigner.DEFAULT_PREFIX, signers.directory(), clock, ALLOWED_SKEW),
                    (certificate, listIssuedAt) -> mayIssueStatusList(signers.of(certificate), agencyCode, listIssuedAt),
                    !retried);
            Instant now = clock.instant();
            statusJson.put("list", new JsonObject().put("issuedAt", status.listIssuedAt().toString())
                    .put("confirmedAt", status.confirmedAt().toString())
                    .put("ageSeconds", Math.max(0, Duration.between(status.confirmedAt(), now).toSeconds()))
                    .put("fromCache", status.fromCache()));
            // a kept list says how old it is: an officer offline must see that a revocation since may be missing
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
        } catch (StatusLists.UnknownSigner unknown) {
            // its seal may be renewed since the seals were fetched: ask once more (rate-limited), then a kept list may answer
            SealDirectory.Signers fresh = seals.mayRefetch() && seals.refresh() ? seals.signers(anchors.get()) : signers;
            return licenceStatus(licence, agencyCode, fresh, true, statusJson);
        } catch (java.io.IOException | RejectedException e) {
            return new Finding(Verdict.INDETERMINATE, "licence-status-unchecked", "The licence's status cannot be "
                    + "confirmed: " + e.getMessage() + ".");
        } catch (RuntimeException e) {
            // a list or code that trips the reading (whatever its cause) confirms nothing, and answers no 500
            return new Finding(Verdict.INDETERMINATE, "licence-status-unchecked", "The licence's status cannot be "
                    + "confirmed: its status list cannot be read (" + e.getClass().getSimpleName() + ").");
        }
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
    private static boolean mayIssueStatusList(SealDirectory.Signer signer, String agencyCode, Instant listIssuedAt) {
        return signer != null && agencyCode != null && agencyCode.equals(signer.seal().agencyCode())
                && !"REVOKED".equals(signer.seal().status()) && !"SUSPENDED".equals(signer.seal().status())
                && (signer.replacedAt() == null || !listIssuedAt.isAfter(signer.replacedAt().plus(ALLOWED_SKEW)));
    }

        private QrVerifier.Verified verify(String text, SealDirectory.Signers signers) {
        return new QrVerifier(QrSigner.DEFAULT_PREFIX, signers.directory(), clock, ALLOWED_SKEW).verify(text);
    }

    /** The signer's revocation status (OCSP when online) and the seal's status as the seal service publishes it. */
    private JsonObject status(SealDirectory.Signer signer, SignerRevocation.Status ocsp, Instant issuedAt,
                              List<Finding> findings) {
        SealDirectory.Seal seal = signer.seal();
        JsonObject json = new JsonObject();
        boolean confirmed = false;
        json.put("state", ocsp.state().name()).put("source", ocsp.source())
                .put("producedAt", ocsp.producedAt() == null ? null : ocsp.producedAt().toString())
                .put("revokedAt", ocsp.revokedAt() == null ? null : ocsp.revokedAt().toString())
                .put("reason", ocsp.reason());
        switch (ocsp.state()) {
            case GOOD -> {
                confirmed = true;
                findings.add(new Finding(Verdict.VALID, null, "The seal certificate is not revoked (" + ocsp.source()
                        + " of " + ocsp.producedAt() + ")."));
            }
            case REVOKED -> findings.add(revoked(ocsp.revokedAt(), ocsp.reason(), issuedAt, "its CA (" + ocsp.source() + ")"));
            case UNKNOWN -> findings.add(new Finding(Verdict.INDETERMINATE, "revocation-unavailable",
                    "The seal certificate is unknown to its OCSP responder."));
            case UNAVAILABLE, NOT_CHECKABLE -> {
                // fall back on the seal service's published status below, as fresh as the trust data
            }
        }
        String published = seal.status();
        json.put("sealStatus", published).put("sealStatusChangedAt",
                seal.statusChangedAt() == null ? null : seal.statusChangedAt().toString());
        Instant asOf = seals.fetchedAt();
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
        return json;
    }

    /**
     * A code signed with a certificate the seal had before a renewal: genuine if it says it was made before the
     * renewal (the key was destroyed then); a code claiming a later time was not made by the seal service.
     */
    private static Finding replaced(Instant replacedAt, Instant issuedAt) {
        if (issuedAt != null && issuedAt.isAfter(replacedAt.plus(ALLOWED_SKEW))) {
            return new Finding(Verdict.INVALID, "qr-signer-replaced", "The code was signed with a certificate the seal "
                    + "replaced at " + replacedAt + " (renewal; its key was destroyed then), but says it was made later, at "
                    + issuedAt + ".");
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

    private JsonObject refused(RejectedException refused, String text, SealDirectory.Signers signers, Instant now) {
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
                for (SealDirectory.Rejected rejected : signers.rejectedWithKid(kid)) {
                    findings.add(new Finding(verdict, null, "The seal service publishes seal \"" + rejected.seal().id()
                            + "\" with this key id, but " + rejected.reason() + "."));
                }
            }
            if (!seals.configured()) {
                findings.add(new Finding(verdict, null, "This verifier knows no seal service (YINXIN_SEALS_URL): it "
                        + "cannot confirm any QR code."));
            }
        }
        JsonObject answer = answer(findings, now);
        answer.put("kind", null).put("claims", null).put("signer", null).put("seal", null).put("revocation", null)
                .put("trust", trustJson(trust.staleness()));
        return answer;
    }

    private static byte[] kidOf(String message) {
        var matcher = java.util.regex.Pattern.compile("key id ([0-9a-f]{16})").matcher(message == null ? "" : message);
        return matcher.find() ? HexFormat.of().parseHex(matcher.group(1)) : null;
    }

    private static JsonObject answer(List<Finding> findings, Instant now) {
        Verdict verdict = Verdict.VALID;
        String slug = null;
        for (Verdict level : new Verdict[] {Verdict.INVALID, Verdict.INDETERMINATE}) {
            Finding first = findings.stream().filter(f -> f.verdict() == level).findFirst().orElse(null);
            if (first != null) {
                verdict = level;
                slug = first.slug();
                break;
            }
        }
        JsonArray reasons = new JsonArray();
        findings.forEach(f -> reasons.add(f.reason()));
        return new JsonObject()
                .put("verdict", verdict.name())
                .put("problem", slug == null ? null : PROBLEM + slug)
                .put("summary", summary(verdict, findings))
                .put("reasons", reasons)
                .put("validationTime", now.toString());
    }

    private static String summary(Verdict verdict, List<Finding> findings) {
        return switch (verdict) {
            case VALID -> "The code is genuine: signed by a trusted seal, which is not revoked.";
            case INVALID -> findings.stream().filter(f -> f.verdict() == Verdict.INVALID).findFirst().orElseThrow().reason();
            case INDETERMINATE -> findings.stream().filter(f -> f.verdict() == Verdict.INDETERMINATE).findFirst().orElseThrow().reason();
        };
    }

    /** The certificate's part of a verdict (made once per seal certificate, see SealDirectory.Signer). */
    public static JsonObject signerJson(X509Certificate certificate, String kid, Instant replacedAt) {
        return new JsonObject()
                .put("subject", readable(certificate.getSubjectX500Principal()))
                .put("issuer", readable(certificate.getIssuerX500Principal()))
                .put("serialNumber", certificate.getSerialNumber().toString(16))
                .put("notBefore", certificate.getNotBefore().toInstant().toString())
                .put("notAfter", certificate.getNotAfter().toInstant().toString())
                .put("kid", kid)
                .put("replacedAt", replacedAt == null ? null : replacedAt.toString());
    }

    /** RFC 4514 with names for the attributes Yinxin uses (organizationIdentifier, not 2.5.4.97=#0c12...). */
    public static String readable(javax.security.auth.x500.X500Principal principal) {
        return org.bouncycastle.asn1.x500.X500Name.getInstance(org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE,
                principal.getEncoded()).toString();
    }

    private JsonObject trustJson(String stale) {
        TrustList list = trustList.get();
        return new JsonObject()
                .put("trustListSequence", list == null ? null : list.sequence())
                .put("trustListIssuedAt", list == null ? null : list.issuedAt().toString())
                .put("sealsFetchedAt", seals.fetchedAt() == null ? null : seals.fetchedAt().toString())
                .put("stale", stale != null);
    }
}
