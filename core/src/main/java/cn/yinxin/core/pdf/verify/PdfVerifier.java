package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.RejectedException;
import cn.yinxin.core.licence.LicenceStatusSource;
import cn.yinxin.core.pdf.verify.cms.CmsSignatureCheck;
import cn.yinxin.core.pdf.verify.longterm.DocumentFacts;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.sign.LongTermValidation;
import cn.yinxin.core.pdf.national.NationalSealCheck;
import cn.yinxin.core.pdf.PdfDocuments;
import cn.yinxin.core.pdf.PdfNames;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.verify.longterm.RevocationFreshness;
import cn.yinxin.core.pdf.verify.report.SignatureReportBuilder;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.longterm.ValidationData;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.visual.VisualComparison;
import cn.yinxin.core.ses.SealStatusSource;

import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import cn.yinxin.core.pdf.verify.RevisionDocuments;
import cn.yinxin.core.pdf.verify.changes.ChangeAnalysis;
import cn.yinxin.core.pdf.verify.changes.FormFields;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.revocation.RevocationSource;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks every signature of a PDF: that its byte ranges are sound, that the signed bytes are intact, that the
 * signature value matches the signer's key, that the signer chains to a trusted root, and what changed in the
 * document after it was signed.
 */
public final class PdfVerifier {

    private final CmsSignatureCheck cms;
    private final NationalSealCheck national;
    private final RevocationSource online;
    private SealStatusSource sealStatuses;
    private LicenceStatusSource licences;
    private VerificationLimits limits = VerificationLimits.DEFAULT;
    /** The real clock the time limit is measured by (the validation time may be another). */
    private Clock clock = Clock.systemUTC();
    private RevocationFreshness freshness = RevocationFreshness.DEFAULT;
    private VisualProof visualProof = new VisualProof(new VisualComparison());

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
    public PdfVerifier withLicenceStatus(LicenceStatusSource source) {
        this.licences = source;
        return this;
    }

    /**
     * From now on, the GB/T 38540 seal of a national-mode signature has its own status asked from {@code source}
     * (its issuer's registry), and it is part of the verdict. Without it the status is reported as not asked.
     */
    public PdfVerifier withSealStatus(SealStatusSource source) {
        this.sealStatuses = source;
        return this;
    }

    /**
     * From now on, each verification works within {@code limits} (decoded bytes, revisions, fields, annotations,
     * DSS entries, time), its time measured by {@code clock}; a document beyond them is answered INDETERMINATE
     * with the limit named.
     */
    public PdfVerifier withLimits(VerificationLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits);
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    public PdfVerifier withLimits(VerificationLimits limits) {
        return withLimits(limits, Clock.systemUTC());
    }

    /**
     * The visual proof (on by default): each signature's pages as signed are drawn and compared with the pages now,
     * with {@code settings}; null switches it off (benchmarks of the rest; never in a service).
     */
    public PdfVerifier withVisualProof(VisualComparison.Settings settings) {
        this.visualProof = settings == null ? null : new VisualProof(
                new VisualComparison(settings, Clock.systemUTC()));
        return this;
    }

    /**
     * From now on, the GB/T 38540 seals of national-mode signatures may also be made by these seal makers, which
     * carry no seal-making key purpose of ours (another product's or province's, named so by the trust list).
     */
    public PdfVerifier withKnownSealMakers(Collection<X509Certificate> makers) {
        national.knownMakers(makers);
        return this;
    }

    /**
     * From now on, revocation data a document carries counts when issued no earlier than this window before the
     * signature's best-signature-time ({@link RevocationFreshness#DEFAULT} unless set).
     */
    public PdfVerifier withRevocationFreshness(RevocationFreshness freshness) {
        this.freshness = Objects.requireNonNull(freshness);
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
        try (DecodeBudget budget = new DecodeBudget(limits, clock)) {
            return verify(pdf, now, budget, false);
        } catch (LimitExceededException e) {
            return new VerificationReport(Verdict.INDETERMINATE, "This document was not verified: " + e.getMessage()
                    + " (limit \"" + e.limit().slug() + "\"). It may have been made to exhaust verifiers; do not "
                    + "accept it as verified.", pdf.length, now, List.of());
        } catch (StackOverflowError e) {
            // PDFBox walks some structures by recursion (a page tree is refused deeper than PageTreeDepth allows,
            // but an earlier revision, or another tree, may still be nested past any thread's stack): an answer
            return new VerificationReport(Verdict.INDETERMINATE, "This document was not verified: its structure is "
                    + "nested too deeply to be read. It may have been made to exhaust verifiers; do not accept it as "
                    + "verified.", pdf.length, now, List.of());
        } finally {
            PdfNames.forget(); // PDFBox's table of names, emptied after each document
        }
    }

    /** What the first pass found: every signature on its own, its reason, and which of them issue a licence. */
    private record FirstPass(List<CheckedSignature> checked, List<Boolean> issuance, List<String> reasons, int signers,
                             boolean issuedAsLicence) {
    }

    /**
     * @param licenceInCopy true while verifying the licence a 加注件 carries: that licence is verified as any
     *                      licence, but a copy inside it is not opened again (one level, whatever the nesting)
     */
    private VerificationReport verify(byte[] pdf, Instant now, DecodeBudget budget, boolean licenceInCopy) {
        List<SignatureReport> reports = new ArrayList<>();
        NamedLicence licence;
        AnnotatedCopyCheck copy;
        FirstPass pass;
        List<String> notes;
        if (pdf != null) {
            PdfDocuments.refuseIfNotWhole(pdf);
        }
        RevisionLayout layout = pdf == null ? null : RevisionLayout.of(pdf);
        // before PDFBox parses anything: it inflates cross-reference and object streams whole while it loads
        MeasuredStreams measured = layout == null ? MeasuredStreams.none() : InputBounds.checkRaw(pdf, layout, budget);
        try (PDDocument document = PdfDocuments.open(pdf)) {
            InputBounds.checkParsed(document, budget, measured);
            notes = ShownOtherwise.notes(document);
            Integer docMdp = docMdp(document);
            DocumentFacts facts = DocumentFacts.of(document);
            RevocationCheck revocation = new RevocationCheck(ValidationData.of(document, budget), online,
                    freshness);
            // an earlier signature's visual proof leaves out the widgets of later ones whose value verified
            var later = new VisualProof.Signatures(document, document.getSignatureFields().stream()
                    .filter(f -> f.getSignature() != null).toList());
            // first every signature on its own, then what the revisions after each changed, judged with what the
            // first pass found (a signature added later counts only when its own value verifies)
            pass = firstPass(pdf, document, now, facts, revocation, layout, budget, later);
            budget.checkTime();
            // each signed revision parsed once, for the change analysis, the visual proof and the identifier
            try (RevisionDocuments revisions = new RevisionDocuments(pdf, document, signedEnds(pass.checked()))) {
                ChangeAnalysis analysis = changeAnalysis(pdf, layout, pass.checked(), budget, revisions);
                for (CheckedSignature one : pass.checked()) {
                    budget.checkTime();
                    reports.add(finishSafely(one, pdf, analysis, layout, docMdp, document, later, revisions));
                }
                licence = NamedLicence.of(pass.checked(), pass.issuance(), reports, revisions);
                copy = licenceInCopy ? null
                        : AnnotatedCopyCheck.of(pass.checked(), pass.reasons(), reports, revisions, budget);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VerificationReport report = licence.join(VerdictSummary.summarise(pdf.length, now, reports, pass.signers()),
                pass.issuedAsLicence(), licences);
        // a 加注件 is no better than the licence it carries (verified here as a document of its own, same budget)
        report = copy == null ? report : copy.join(report, original -> licenceInCopy(original, now, budget), now);
        // what readers show otherwise than the pages verified (a portfolio, layers printed otherwise) is said
        return ShownOtherwise.noted(report, notes);
    }

    /**
     * The licence a 加注件 carries, verified as a document of its own; one that cannot be read as a PDF answers for
     * itself (INDETERMINATE, why), so the copy is answered rather than refused as if it were not a PDF.
     */
    private VerificationReport licenceInCopy(byte[] original, Instant now, DecodeBudget budget) {
        try {
            return verify(original, now, budget, true);
        } catch (RejectedException | UncheckedIOException e) {
            return new VerificationReport(Verdict.INDETERMINATE, e.getMessage(), original.length, now, List.of());
        }
    }

    /** Every signature field's signature checked on its own, in the document's order. */
    private FirstPass firstPass(byte[] pdf, PDDocument document, Instant now, DocumentFacts facts,
                                RevocationCheck revocation, RevisionLayout layout, DecodeBudget budget,
                                VisualProof.Signatures later) throws IOException {
        SignatureCheck signatures = new SignatureCheck(cms, national, sealStatuses);
        List<CheckedSignature> checked = new ArrayList<>();
        List<Boolean> issuance = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        int signers = 0;
        boolean issuedAsLicence = false;
        Map<COSDictionary, String> shownBy = new IdentityHashMap<>();
        for (Map.Entry<String, FormFields.Signed> entry : FormFields.signatures(document).entrySet()) {
            budget.checkTime();
            PDSignature signature = new PDSignature(entry.getValue().signature());
            String name = entry.getKey();
            String first = shownBy.putIfAbsent(signature.getCOSObject(), name);
            CheckedSignature one = first != null ? CheckedSignature.shared(name, first, signature)
                    : signatures.verifySafely(pdf, name, signature, entry.getValue().field(), document, now, facts,
                    revocation, layout, budget);
            checked.add(one);
            if (Boolean.TRUE.equals(one.intact())) {
                later.verifiedCryptographically(signature.getCOSObject());
            }
            boolean timeStamp = LongTermValidation.ETSI_RFC3161.getName().equals(signature.getSubFilter());
            String reason = signature.getReason();
            boolean issues = !timeStamp && reason != null && reason.startsWith(LICENCE_ISSUANCE_REASON);
            issuance.add(issues);
            reasons.add(timeStamp ? null : reason);
            issuedAsLicence |= issues;
            if (!timeStamp) {
                signers++;
            }
        }
        return new FirstPass(checked, issuance, reasons, signers, issuedAsLicence);
    }

    /**
     * The visual proof of a signature that does not cover the whole file and was not concluded already, or null
     * when there is nothing after it or the proof is off.
     */
    private VisualProof.Outcome visually(byte[] pdf, CheckedSignature one, PDDocument document,
                                         VisualProof.Signatures later,
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

    /**
     * As {@link CheckedSignature#finish}, a malformed structure (a certificate's unreadable date) failing that
     * signature.
     */
    private SignatureReport finishSafely(CheckedSignature one, byte[] pdf, ChangeAnalysis analysis,
                                         RevisionLayout layout,
                                         Integer docMdp, PDDocument document, VisualProof.Signatures later,
                                         RevisionDocuments revisions) {
        try {
            return one.finish(pdf, analysis, layout, docMdp, visually(pdf, one, document, later, revisions));
        } catch (LimitExceededException e) {
            throw e;
        } catch (RuntimeException e) {
            String field = one.concluded() != null ? one.concluded().field() : one.builder().field();
            return new SignatureReportBuilder(field, null, null).conclude(Indication.TOTAL_FAILED,
                    SubIndication.FORMAT_FAILURE, SignatureCheck.malformed(e));
        }
    }

    /** What the revisions after the earliest signed one changed, judged once for all signatures. */
    private static ChangeAnalysis changeAnalysis(byte[] pdf, RevisionLayout layout, List<CheckedSignature> checked,
                                                 DecodeBudget budget, RevisionDocuments documents) {
        long from = Long.MAX_VALUE;
        Map<List<Long>, Boolean> intact = new HashMap<>();
        for (CheckedSignature one : checked) {
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

    /** Where each signature's signed revision ends: the revisions several checks read. */
    private static List<Long> signedEnds(List<CheckedSignature> checked) {
        List<Long> ends = new ArrayList<>();
        for (CheckedSignature one : checked) {
            if (one.range() != null) {
                ends.add(one.range()[2] + one.range()[3]);
            }
        }
        return ends;
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
}
