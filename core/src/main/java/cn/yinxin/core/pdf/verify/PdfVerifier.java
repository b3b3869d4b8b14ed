package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.verify.cms.CmsSignatureCheck;
import cn.yinxin.core.pdf.verify.longterm.DocumentFacts;
import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.core.pdf.handwriting.HandwritingCheck;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.LongTermValidation;
import cn.yinxin.core.pdf.national.NationalSealCheck;
import cn.yinxin.core.pdf.PdfDocuments;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.verify.longterm.RevocationFreshness;
import cn.yinxin.core.pdf.verify.report.SignatureReportBuilder;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.cms.TimeStampCheck;
import cn.yinxin.core.pdf.verify.longterm.ValidationData;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.pdf.verify.report.VerificationReport.Change;
import cn.yinxin.core.pdf.verify.report.VerificationReport.Coverage;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import cn.yinxin.core.pdf.verify.RevisionDocuments;
import cn.yinxin.core.pdf.verify.changes.ChangeAnalysis;
import cn.yinxin.core.pdf.verify.changes.FieldLock;
import cn.yinxin.core.pdf.verify.changes.FormFields;
import cn.yinxin.core.pdf.verify.changes.Finding;
import cn.yinxin.core.pdf.verify.changes.ModificationLevel;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.RevocationSource;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every signature of a PDF: that its byte ranges are sound, that the signed bytes are intact, that the
 * signature value matches the signer's key, that the signer chains to a trusted root, and what changed in the
 * document after it was signed.
 */
public final class PdfVerifier {

    private final CmsSignatureCheck cms;
    private final NationalSealCheck national;
    private final RevocationSource online;
    private cn.yinxin.core.ses.SealStatusSource sealStatuses;
    private cn.yinxin.core.licence.LicenceStatusSource licences;
    private VerificationLimits limits = VerificationLimits.DEFAULT;
    /** The real clock the time limit is measured by (the validation time may be another). */
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private RevocationFreshness freshness = RevocationFreshness.DEFAULT;
    private VisualProof visualProof = new VisualProof(new cn.yinxin.core.pdf.verify.visual.VisualComparison());

    /**
     * How the licence service's seal states, in the signed signature dictionary (/Reason), that it issues a licence:
     * such a document must name its licence in what the seal signed.
     */
    public static final String LICENCE_ISSUANCE_REASON = "颁发电子证照";

    /** The PDF Info entry in which a licence PDF names its licence identifier. */
    public static final String LICENCE_IDENTIFIER = "LicenceIdentifier";

    /** Offline: revocation only from the validation data the document carries (PAdES-BASELINE-LT and up). */
    public PdfVerifier(Collection<X509Certificate> trustedRoots) {
        this(trustedRoots, null);
    }

    /**
     * @param online where revocation data is fetched when the document carries none for a certificate (OCSP
     *               responders and CRLs named in the certificates); null for offline verification
     */
    public PdfVerifier(Collection<X509Certificate> trustedRoots, RevocationSource online) {
        this.cms = new CmsSignatureCheck(trustedRoots);
        this.national = new NationalSealCheck(trustedRoots, cms);
        this.online = online;
        Providers.bouncyCastle();
    }

    /**
     * From now on, a document that names a licence (PDF Info {@value #LICENCE_IDENTIFIER}) has that licence's live
     * status asked from {@code source}, and it is part of the verdict.
     */
    public PdfVerifier withLicenceStatus(cn.yinxin.core.licence.LicenceStatusSource source) {
        this.licences = source;
        return this;
    }

    /**
     * From now on, the GB/T 38540 seal of a national-mode signature has its own status asked from {@code source}
     * (its issuer's registry), and it is part of the verdict. Without it the status is reported as not asked.
     */
    public PdfVerifier withSealStatus(cn.yinxin.core.ses.SealStatusSource source) {
        this.sealStatuses = source;
        return this;
    }

    /**
     * From now on, each verification works within {@code limits} (decoded bytes, revisions, fields, annotations,
     * DSS entries, time), its time measured by {@code clock}; a document beyond them is answered INDETERMINATE
     * with the limit named.
     */
    public PdfVerifier withLimits(VerificationLimits limits, java.time.Clock clock) {
        this.limits = java.util.Objects.requireNonNull(limits);
        this.clock = java.util.Objects.requireNonNull(clock);
        return this;
    }

    public PdfVerifier withLimits(VerificationLimits limits) {
        return withLimits(limits, java.time.Clock.systemUTC());
    }

    /**
     * The visual proof (on by default): each signature's pages as signed are drawn and compared with the pages now,
     * with {@code settings}; null switches it off (benchmarks of the rest; never in a service).
     */
    public PdfVerifier withVisualProof(cn.yinxin.core.pdf.verify.visual.VisualComparison.Settings settings) {
        this.visualProof = settings == null ? null : new VisualProof(
                new cn.yinxin.core.pdf.verify.visual.VisualComparison(settings, java.time.Clock.systemUTC()));
        return this;
    }

    /**
     * From now on, revocation data a document carries counts when issued no earlier than this window before the
     * signature's best-signature-time ({@link RevocationFreshness#DEFAULT} unless set).
     */
    public PdfVerifier withRevocationFreshness(RevocationFreshness freshness) {
        this.freshness = java.util.Objects.requireNonNull(freshness);
        return this;
    }

    public VerificationReport verify(byte[] pdf) {
        return verify(pdf, Instant.now());
    }

    /**
     * Validates as of {@code now} (ETSI "validation time"): certificates, time-stamps and revocation data are
     * judged at that time. Useful to show that a long-term (LTA) document stays valid after its certificate ends.
     */
    public VerificationReport verify(byte[] pdf, Instant now) {
        DecodeBudget budget = new DecodeBudget(limits, clock);
        try {
            return verify(pdf, now, budget);
        } catch (LimitExceededException e) {
            return new VerificationReport(Verdict.INDETERMINATE, "This document was not verified: " + e.getMessage()
                    + " (limit \"" + e.limit().slug() + "\"). It may have been made to exhaust verifiers; do not "
                    + "accept it as verified.", pdf.length, now, List.of());
        }
    }

    private VerificationReport verify(byte[] pdf, Instant now, DecodeBudget budget) {
        List<SignatureReport> reports = new ArrayList<>();
        NamedLicence licence;
        int signers = 0;
        boolean issuedAsLicence = false;
        RevisionLayout layout = pdf == null ? null : RevisionLayout.of(pdf);
        if (layout != null) {
            // before PDFBox parses anything: it inflates cross-reference and object streams whole while it loads
            InputBounds.checkRaw(pdf, layout, budget);
        }
        try (PDDocument document = PdfDocuments.open(pdf)) {
            InputBounds.checkParsed(document, budget);
            Integer docMdp = docMdp(document);
            DocumentFacts facts = DocumentFacts.of(document);
            RevocationCheck revocation = new RevocationCheck(ValidationData.of(document, budget), online,
                    freshness);
            // an earlier signature's visual proof leaves out the widgets of later ones whose value verified
            var later = new VisualProof.Signatures(document, document.getSignatureFields().stream()
                    .filter(f -> f.getSignature() != null).toList());
            // first every signature on its own, then what the revisions after each changed, judged with what the
            // first pass found (a signature added later counts only when its own value verifies)
            List<Checked> checked = new ArrayList<>();
            List<Boolean> issuance = new ArrayList<>();
            Map<COSDictionary, String> shownBy = new IdentityHashMap<>();
            for (Map.Entry<String, FormFields.Signed> entry : FormFields.signatures(document).entrySet()) {
                budget.checkTime();
                PDSignature signature = new PDSignature(entry.getValue().signature());
                String name = entry.getKey();
                String first = shownBy.putIfAbsent(signature.getCOSObject(), name);
                Checked one = first != null ? Checked.shared(name, first, signature)
                        : verifySafely(pdf, name, signature, entry.getValue().field(), document, now, facts,
                        revocation, layout, budget);
                checked.add(one);
                if (Boolean.TRUE.equals(one.intact())) {
                    later.verifiedCryptographically(signature.getCOSObject());
                }
                boolean timeStamp = LongTermValidation.ETSI_RFC3161.getName().equals(signature.getSubFilter());
                String reason = signature.getReason();
                boolean issues = !timeStamp && reason != null && reason.startsWith(LICENCE_ISSUANCE_REASON);
                issuance.add(issues);
                issuedAsLicence |= issues;
                if (!timeStamp) {
                    signers++;
                }
            }
            budget.checkTime();
            // each signed revision parsed once, for the change analysis, the visual proof and the identifier
            try (RevisionDocuments revisions = new RevisionDocuments(pdf, document, signedEnds(checked))) {
                ChangeAnalysis analysis = changeAnalysis(pdf, layout, checked, budget, revisions);
                for (Checked one : checked) {
                    budget.checkTime();
                    reports.add(finishSafely(one, pdf, analysis, layout, docMdp, document, later, revisions));
                }
                licence = licenceIdentifier(checked, issuance, reports, revisions);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        VerificationReport report = summarise(pdf.length, now, reports, signers);
        if (licence.problem() != null) {
            var check = new VerificationReport.LicenceCheck(licence.identifier(), null, licence.problem());
            return new VerificationReport(report.verdict() == Verdict.VALID ? Verdict.INDETERMINATE : report.verdict(),
                    report.verdict() == Verdict.VALID ? check.explanation() : report.summary(), report.documentBytes(),
                    report.validationTime(), report.signatures(), check);
        }
        if (blank(licence.identifier()) && issuedAsLicence) {
            // the seal says it issued a licence; which one cannot be read from what it signed
            var check = new VerificationReport.LicenceCheck(null, null, "The document was sealed as a licence ("
                    + LICENCE_ISSUANCE_REASON + ") but what the seal signed names no licence identifier, so the "
                    + "licence's status cannot be checked.");
            return new VerificationReport(report.verdict() == Verdict.VALID ? Verdict.INDETERMINATE : report.verdict(),
                    report.verdict() == Verdict.VALID ? check.explanation() : report.summary(), report.documentBytes(),
                    report.validationTime(), report.signatures(), check);
        }
        return LicenceStatusCheck.join(report, licence.identifier(), licences);
    }

    /**
     * One signature as checked on its own: either concluded already (its bytes or value fail, whatever came after),
     * or waiting for the judgement of what the later revisions changed.
     */
    private record Checked(SignatureReportBuilder builder, SignatureReport concluded, long[] range, Boolean intact,
                           FieldLock lock, String proof) {

        static Checked done(SignatureReport report, long[] range, Boolean intact) {
            return new Checked(null, report, range, intact, FieldLock.NONE, null);
        }

        /** A second field showing a signature dictionary another field shows: one signature passed off as two. */
        static Checked shared(String field, String first, PDSignature signature) {
            var builder = new SignatureReportBuilder(field, null, signature.getSubFilter());
            String reason = "The field \"" + field + "\" shows the same signature dictionary as the field \"" + first
                    + "\": one signature is made to look like two.";
            builder.changes(List.of(new Change("SIGNATURE_SHARED", null, false, reason)));
            return done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, reason),
                    byteRange(signature.getCOSObject()), null);
        }

        boolean timeStamp() {
            return proof != null;
        }

        /**
         * @param visual the visual proof of the pages as signed against the pages now, or null when nothing came after
         *               this signature (or the proof is off)
         */
        SignatureReport finish(byte[] pdf, ChangeAnalysis analysis, RevisionLayout layout, Integer docMdp,
                               VisualProof.Outcome visual) {
            if (concluded != null) {
                return concluded;
            }
            long revisionEnd = range[2] + range[3];
            if (revisionEnd < pdf.length) {
                List<Change> changes = changes(analysis, revisionEnd, docMdp);
                changes.addAll(layout.problemsAfter(revisionEnd));
                builder.changes(changes);
                List<Change> all = new ArrayList<>(changes);
                if (visual != null) {
                    builder.moreChanges(visual.changes());
                    all.addAll(visual.changes());
                }
                // the rules and the pictures, each a proof of its own
                List<String> forbidden = all.stream().filter(c -> !c.allowed()).map(Change::description).toList();
                if (!forbidden.isEmpty()) {
                    // even when the signer cannot be confirmed (no chain, no revocation data), a forbidden change fails
                    return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, (proof == null
                            ? "The document was changed after this signature in a way a signature cannot allow: "
                            : proof + " But the document was changed after it: ") + String.join("; ", forbidden) + ".");
                }
            }
            String before = proof == null ? "" : proof + " ";
            if (visual != null && visual.failure() != null) {
                // the rules found nothing, but what the page shows is not what was signed
                return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, before + visual.failure());
            }
            if (visual != null && visual.incomplete() != null && (proof != null
                    || builder.indication() == Indication.TOTAL_PASSED)) {
                return builder.conclude(Indication.INDETERMINATE, null, before + visual.incomplete());
            }
            return proof == null ? builder.build() : builder.conclude(Indication.TOTAL_PASSED, null, proof);
        }

        /** The later revisions' findings, each allowed when this signature's level and locks allow it. */
        private List<Change> changes(ChangeAnalysis analysis, long revisionEnd, Integer docMdp) {
            ModificationLevel allowed = ModificationLevel.allowedBy(docMdp);
            List<Change> changes = new ArrayList<>();
            for (Finding finding : analysis.after(revisionEnd)) {
                boolean locked = finding.field() != null && lock.locks(finding.field());
                boolean ok = finding.level() != ModificationLevel.OTHER && finding.level().compareTo(allowed) <= 0
                        && !locked;
                String why = ok || finding.level() == ModificationLevel.OTHER ? ""
                        : locked ? " (this signature locks the field \"" + finding.field() + "\")"
                        : " (" + forbiddenBy(docMdp) + ")";
                changes.add(new Change(finding.kind(), finding.page(), ok, finding.description() + why));
            }
            return changes;
        }
    }

    /**
     * The visual proof of a signature that does not cover the whole file and was not concluded already, or null
     * when there is nothing after it or the proof is off.
     */
    private VisualProof.Outcome visually(byte[] pdf, Checked one, PDDocument document, VisualProof.Signatures later,
                                         RevisionDocuments revisions) {
        if (visualProof == null || one.concluded() != null || one.range() == null) {
            return null;
        }
        long revisionEnd = one.range()[2] + one.range()[3];
        if (revisionEnd >= pdf.length) {
            return null;
        }
        return visualProof.check(pdf, revisionEnd, document, later.widgetsAfter(revisionEnd), revisions);
    }

    private static String forbiddenBy(Integer docMdp) {
        return docMdp == null ? "a sealed document allows form filling and signing only"
                : "the certification (DocMDP P=" + docMdp + ") allows "
                + (docMdp == 1 ? "no change" : docMdp == 2 ? "form filling and signing only"
                : "form filling, signing and annotations only");
    }

    /** As {@link Checked#finish}, a malformed structure (a certificate's unreadable date) failing that signature. */
    private SignatureReport finishSafely(Checked one, byte[] pdf, ChangeAnalysis analysis, RevisionLayout layout,
                                         Integer docMdp, PDDocument document, VisualProof.Signatures later,
                                         RevisionDocuments revisions) {
        try {
            return one.finish(pdf, analysis, layout, docMdp, visually(pdf, one, document, later, revisions));
        } catch (LimitExceededException e) {
            throw e;
        } catch (RuntimeException e) {
            String field = one.concluded() != null ? one.concluded().field() : one.builder().field();
            return new SignatureReportBuilder(field, null, null).conclude(Indication.TOTAL_FAILED,
                    SubIndication.FORMAT_FAILURE, malformed(e));
        }
    }

    private static String malformed(RuntimeException e) {
        return "The signature cannot be read: its structure is malformed (" + e.getClass().getSimpleName() + ").";
    }

    /**
     * One signature, whatever its bytes hold: a structure the CMS or certificate parsers cannot take (they throw
     * unchecked exceptions on some malformed input) fails that signature instead of the whole verification.
     */
    private Checked verifySafely(byte[] pdf, String fieldName, PDSignature signature, COSDictionary field,
                                 PDDocument document, Instant now, DocumentFacts facts, RevocationCheck revocation,
                                 RevisionLayout layout, DecodeBudget budget) {
        try {
            return verifySignature(pdf, fieldName, signature, field, document, now, facts, revocation, layout, budget);
        } catch (LimitExceededException e) {
            throw e;
        } catch (RuntimeException e) {
            var builder = new SignatureReportBuilder(fieldName, null, signature.getSubFilter());
            return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, malformed(e)),
                    byteRange(signature.getCOSObject()), false);
        }
    }

    private Checked verifySignature(byte[] pdf, String fieldName, PDSignature signature, COSDictionary field,
                                    PDDocument document, Instant now, DocumentFacts facts,
                                    RevocationCheck revocation, RevisionLayout layout, DecodeBudget budget) {
        Instant claimed = signature.getSignDate() == null ? null : signature.getSignDate().toInstant();
        String subFilter = signature.getSubFilter();
        var builder = new SignatureReportBuilder(fieldName, claimed, subFilter);

        long[] range = byteRange(signature.getCOSObject());
        if (range == null) {
            return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature has no usable /ByteRange, so nothing it covers can be known."), null, false);
        }
        builder.coverage(coverage(pdf, range));
        byte[] valueInDictionary = contents(signature.getCOSObject());
        if (valueInDictionary == null || isBlank(valueInDictionary)) {
            return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature value (/Contents) is missing or empty: this is not a signature."), range, false);
        }
        String rangeProblem = ByteRanges.problem(pdf, range);
        if (rangeProblem != null) {
            return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, rangeProblem),
                    range, false);
        }
        byte[] valueInGap = ByteRanges.signatureValueInGap(pdf, range);
        if (valueInGap == null || isBlank(valueInGap)) {
            return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The bytes left out by /ByteRange hold no signature value: this is not a signature."), range, false);
        }
        if (!java.util.Arrays.equals(valueInGap, valueInDictionary)) {
            return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The bytes left out by /ByteRange are not this signature's /Contents: the ranges were moved "
                            + "(signature wrapping)."), range, false);
        }
        long revisionEnd = range[2] + range[3];
        if (revisionEnd < pdf.length && !layout.endsRevision(revisionEnd)) {
            return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signed bytes stop at byte " + revisionEnd + ", inside a revision instead of at its end "
                            + "(%%EOF): /ByteRange was cut short, so part of the signed revision is not signed."),
                    range, false);
        }

        if (LongTermValidation.ETSI_RFC3161.getName().equals(subFilter)) {
            return documentTimeStamp(builder, valueInGap, ByteRanges.signedBytes(pdf, range), range, layout);
        }
        CmsSignatureCheck.Result result = cms.check(valueInGap, ByteRanges.signedBytes(pdf, range), claimed, now,
                revocation, subFilter);
        builder.fromCms(result);
        builder.document(facts.longTermData(), facts.archivedUpTo() >= range[2] + range[3]);
        if (result.indication() == Indication.TOTAL_FAILED) {
            return Checked.done(builder.build(), range, false);
        }
        NationalSealCheck.Outcome seal = national.check(valueInGap, ByteRanges.signedBytes(pdf, range), range, now,
                revocation, sealStatuses);
        if (seal != null) {
            builder.nationalSeal(seal.report());
            if (seal.indication() == Indication.TOTAL_FAILED || seal.indication() == Indication.INDETERMINATE
                    && builder.indication() == Indication.TOTAL_PASSED) {
                return Checked.done(builder.conclude(seal.indication(), seal.subIndication(), "The GB/T 38540 seal "
                        + "signature is " + (seal.indication() == Indication.TOTAL_FAILED ? "not valid" : "not confirmed")
                        + " (" + seal.report().problem() + "): " + seal.report().reasons().getLast()), range, true);
            }
            builder.note("The GB/T 38540 seal signature of seal \"" + seal.report().name() + "\" ("
                    + seal.report().esId() + ") is valid" + (seal.report().sealStatus() == null
                    ? " (the seal's own status was not asked)." : "; the seal is " + seal.report().sealStatus() + "."));
        }
        String collision = collision(layout, range);
        if (collision != null) {
            // the signed revision's own cross-reference names one definition, and conforming readers take it; a
            // reader that rebuilds the file may take the other, so what was signed cannot be told for sure
            return Checked.done(builder.conclude(Indication.INDETERMINATE, SubIndication.SIG_CONSTRAINTS_FAILURE,
                    collision), range, true);
        }
        if (HandwritingCheck.carriesCapture(document, fieldName)) {
            HandwritingCheck.Result handwriting = HandwritingCheck.check(pdf, fieldName, revisionEnd, layout,
                    budget);
            if (handwriting != null) {
                Handwriting capture = handwriting.capture();
                builder.handwritten(new VerificationReport.Handwritten(handwriting.bound(),
                        capture == null ? 0 : capture.strokes().size(), capture == null ? 0 : capture.pointCount(),
                        capture == null ? null : capture.capturedAt(), capture == null ? null : capture.documentSha256(),
                        handwriting.explanation(), capture == null ? null : capture.toSvg()));
                if (!handwriting.bound()) {
                    // the visible signature says the person signed this document; its own data says otherwise
                    return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                            handwriting.explanation()), range, true);
                }
            }
        }
        return new Checked(builder, null, range, true, FieldLock.of(field, signature.getCOSObject()),
                null);
    }

    /** A document time-stamp: the TSA's token over every byte before it. */
    private Checked documentTimeStamp(SignatureReportBuilder builder, byte[] token, byte[] signedBytes, long[] range,
                                      RevisionLayout layout) {
        TimeStampCheck.Result result = TimeStampCheck.check(token, signedBytes);
        if (result.tsa() != null) {
            builder.documentTimeStamp(result.tsa(), result.time());
        }
        if (!result.imprintMatches()) {
            return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE,
                    "The document time-stamp does not match the document: " + result.problem() + "."), range, false);
        }
        if (!result.valid()) {
            return Checked.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE,
                    "The document time-stamp is not valid: " + result.problem() + "."), range, false);
        }
        if (cms.chainToTrustedRoot(result.tsa(), result.embedded(), result.time()) == null) {
            return Checked.done(builder.conclude(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
                    "The time-stamping authority does not chain to a trusted root."), range, true);
        }
        String proof = "A time-stamp from \"" + result.tsa().getSubjectX500Principal().getName()
                + "\" proves the document existed as it was up to here on " + result.time() + ".";
        String collision = collision(layout, range);
        if (collision != null) {
            return Checked.done(builder.conclude(Indication.INDETERMINATE, SubIndication.SIG_CONSTRAINTS_FAILURE,
                    proof + " " + collision), range, true);
        }
        return new Checked(builder, null, range, true, FieldLock.NONE, proof);
    }

    /** What the revisions after the earliest signed one changed, judged once for all signatures. */
    private static ChangeAnalysis changeAnalysis(byte[] pdf, RevisionLayout layout, List<Checked> checked,
                                                 DecodeBudget budget, RevisionDocuments documents) {
        long from = Long.MAX_VALUE;
        Map<List<Long>, Boolean> intact = new java.util.HashMap<>();
        for (Checked one : checked) {
            if (one.range() != null && one.concluded() == null) {
                from = Math.min(from, one.range()[2] + one.range()[3]);
            }
            if (one.range() != null && one.intact() != null) {
                intact.merge(key(one.range()), one.intact(), Boolean::logicalAnd);
            }
        }
        List<long[]> revisions = new ArrayList<>();
        for (RevisionLayout.Revision revision : layout.revisions()) {
            revisions.add(new long[]{revision.start(), revision.end()});
        }
        if (from >= pdf.length) {
            return ChangeAnalysis.of(pdf, List.of(), Long.MAX_VALUE, range -> null);
        }
        return ChangeAnalysis.of(pdf, revisions, from, range -> intact.get(key(range)), budget, documents);
    }

    private static List<Long> key(long[] range) {
        return List.of(range[0], range[1], range[2], range[3]);
    }

    /**
     * The licence a document names, and whether its issuer vouches for it. The name is read from the revision the
     * earliest signature signed (never from the document as it is now: a later revision may rewrite /Info, and that
     * is an allowed change). Its live status joins the verdict only when the issuer issued the document: an intact
     * seal signed with the reason 颁发电子证照 whose certificate names the licence's issuing authority (its
     * organizationIdentifier is the identifier's issuer code) and whose signed revision names the same licence.
     * Anyone may sign a PDF whose /Info names somebody's licence (a personal signature, an approval stamp); that
     * document is not the licence, and "licence valid" must not be read into its verdict.
     */
    private static NamedLicence licenceIdentifier(List<Checked> checked, List<Boolean> issuance,
                                                  List<SignatureReport> reports, RevisionDocuments revisions) {
        long signedEnd = Long.MAX_VALUE;
        long issuedEnd = Long.MAX_VALUE;
        SignatureReport issuer = null;
        for (int i = 0; i < checked.size(); i++) {
            Checked one = checked.get(i);
            if (one.range() == null || one.timeStamp() || one.concluded() != null) {
                continue;
            }
            long end = one.range()[2] + one.range()[3];
            signedEnd = Math.min(signedEnd, end);
            if (issuance.get(i) && reports.get(i).indication() == Indication.TOTAL_PASSED && end < issuedEnd) {
                issuedEnd = end;
                issuer = reports.get(i);
            }
        }
        String named = signedEnd == Long.MAX_VALUE ? null : identifierAt(signedEnd, revisions);
        String issued = issuer == null ? null : identifierAt(issuedEnd, revisions);
        if (blank(named) && blank(issued)) {
            return new NamedLicence(null, null);
        }
        String shown = blank(named) ? issued : named;
        if (issuer == null) {
            return new NamedLicence(shown, "The document names licence " + shown + ", but no intact seal issued it as "
                    + "a licence (" + LICENCE_ISSUANCE_REASON + "): it is not that licence, and the licence's status "
                    + "was not checked.");
        }
        String issuerCode;
        try {
            issuerCode = cn.yinxin.core.licence.LicenceIdentifier.parse(issued).issuerCode();
        } catch (RuntimeException e) {
            return new NamedLicence(shown, "The issuing seal names \"" + issued + "\", which is not a licence "
                    + "identifier.");
        }
        String agency = issuer.seal() == null ? null : issuer.seal().agencyCode();
        if (!issuerCode.equals(agency)) {
            return new NamedLicence(shown, "Licence " + issued + " was issued by " + issuerCode + ", but the seal "
                    + "that issued this document belongs to " + (agency == null ? "no agency" : agency) + ": it is not "
                    + "that licence, and the licence's status was not checked.");
        }
        if (!blank(named) && !named.equals(issued)) {
            return new NamedLicence(shown, "The document names licence " + named + " where its issuing seal signed "
                    + issued + ": which licence it is cannot be told.");
        }
        return new NamedLicence(issued, null);
    }

    /** A licence named by a document, and why it is not vouched for (null: its issuer's seal issued it). */
    private record NamedLicence(String identifier, String problem) {
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String identifierAt(long end, RevisionDocuments revisions) {
        PDDocument signed = null;
        try {
            signed = revisions.open(end);
            return identifierIn(signed);
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            revisions.release(signed);
        }
    }

    /** Where each signature's signed revision ends: the revisions several checks read. */
    private static List<Long> signedEnds(List<Checked> checked) {
        List<Long> ends = new ArrayList<>();
        for (Checked one : checked) {
            if (one.range() != null) {
                ends.add(one.range()[2] + one.range()[3]);
            }
        }
        return ends;
    }

    private static String identifierIn(PDDocument document) {
        // read the Info dictionary without PDFBox's getDocumentInformation(), which would add an empty one
        COSDictionary info = document.getDocument().getTrailer().getCOSDictionary(COSName.INFO);
        return info == null ? null : info.getString(COSName.getPDFName(LICENCE_IDENTIFIER));
    }

    /** The DocMDP permissions of the document's certification signature, or null if it is not certified. */
    static Integer docMdp(PDDocument document) {
        COSDictionary perms = document.getDocumentCatalog().getCOSObject().getCOSDictionary(COSName.PERMS);
        COSDictionary signature = perms == null ? null : perms.getCOSDictionary(COSName.DOCMDP);
        if (signature == null) {
            return null;
        }
        COSArray references = signature.getCOSArray(COSName.getPDFName("Reference"));
        for (int i = 0; references != null && i < references.size(); i++) {
            if (references.getObject(i) instanceof COSDictionary reference
                    && COSName.DOCMDP.equals(reference.getCOSName(COSName.getPDFName("TransformMethod")))) {
                COSDictionary parameters = reference.getCOSDictionary(COSName.getPDFName("TransformParams"));
                int p = parameters == null ? 2 : parameters.getInt(COSName.P, 2);
                // a value outside 1..3 is read as the strictest
                return p >= 1 && p <= 3 ? p : 1;
            }
        }
        return 2;
    }

    /**
     * Why the signed bytes cannot be trusted to mean one document: an object number defined twice in a signed
     * revision (signature collision: the signer's viewer and another reader may each take a different definition).
     */
    private static String collision(RevisionLayout layout, long[] range) {
        List<String> twice = layout.definedTwiceUpTo(range[2] + range[3]);
        if (twice.isEmpty()) {
            return null;
        }
        return "The signed bytes define " + String.join(", ", twice) + " twice: different readers would show "
                + "different documents under one signature (signature collision).";
    }

    /**
     * @param signers how many of the signatures are seals or personal signatures (not document time-stamps): a
     *                time-stamp proves when the document existed, not that anyone sealed or signed it
     */
    private static VerificationReport summarise(long size, Instant now, List<SignatureReport> signatures,
                                                int signers) {
        if (signatures.isEmpty()) {
            return new VerificationReport(Verdict.NOT_SIGNED, "The document carries no signature or seal.",
                    size, now, signatures);
        }
        long failed = signatures.stream().filter(s -> s.indication() == Indication.TOTAL_FAILED).count();
        long unsure = signatures.stream().filter(s -> s.indication() == Indication.INDETERMINATE).count();
        if (failed > 0) {
            return new VerificationReport(Verdict.INVALID,
                    failed + " of " + signatures.size() + " signature(s) failed: do not accept this document.",
                    size, now, signatures);
        }
        if (signers == 0) {
            return new VerificationReport(Verdict.NOT_SIGNED, "The document carries document time-stamps only: they "
                    + "prove when it existed as it is, but no agency sealed it and no person signed it.",
                    size, now, signatures);
        }
        if (unsure > 0) {
            return new VerificationReport(Verdict.INDETERMINATE,
                    unsure + " of " + signatures.size() + " signature(s) could not be confirmed; see the reasons.",
                    size, now, signatures);
        }
        boolean changedSince = signatures.stream().anyMatch(s -> !s.changesAfterSigning().isEmpty());
        return new VerificationReport(Verdict.VALID, "All " + signatures.size() + " signature(s) are valid and the "
                + (changedSince ? "changes made after signing are allowed ones (see each signature)."
                : "document is unchanged since."), size, now, signatures);
    }

    private static Coverage coverage(byte[] pdf, long[] range) {
        long end = range[2] + range[3];
        return new Coverage(range.clone(), range[1] + range[3], end, end == pdf.length, Math.max(0, pdf.length - end));
    }

    private static long[] byteRange(COSDictionary signature) {
        return FormFields.byteRange(signature);
    }

    private static byte[] contents(COSDictionary signature) {
        return signature.getDictionaryObject(COSName.CONTENTS) instanceof COSString s ? s.getBytes() : null;
    }

    private static boolean isBlank(byte[] value) {
        for (byte b : value) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
