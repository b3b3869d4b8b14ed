package cn.yinxin.core.pdf;

import cn.yinxin.core.pdf.VerificationReport.Change;
import cn.yinxin.core.pdf.VerificationReport.Coverage;
import cn.yinxin.core.pdf.VerificationReport.SignatureReport;
import cn.yinxin.core.pki.Providers;
import cn.yinxin.core.pki.RevocationSource;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
    private VisualProof visualProof = new VisualProof(new cn.yinxin.core.pdf.verify.visual.VisualComparison());

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
     * The visual proof (on by default): each signature's pages as signed are drawn and compared with the pages now,
     * with {@code settings}; null switches it off (benchmarks of the rest; never in a service).
     */
    public PdfVerifier withVisualProof(cn.yinxin.core.pdf.verify.visual.VisualComparison.Settings settings) {
        this.visualProof = settings == null ? null : new VisualProof(
                new cn.yinxin.core.pdf.verify.visual.VisualComparison(settings, java.time.Clock.systemUTC()));
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
        List<SignatureReport> reports = new ArrayList<>();
        String licence;
        try (PDDocument document = PdfDocuments.open(pdf)) {
            // read the Info dictionary without PDFBox's getDocumentInformation(), which would add an empty one
            // to a document that has none (and the comparison with the signed revision would see a change)
            COSDictionary info = document.getDocument().getTrailer().getCOSDictionary(COSName.INFO);
            licence = info == null ? null : info.getString(COSName.getPDFName(LICENCE_IDENTIFIER));
            DocumentFacts facts = DocumentFacts.of(document);
            RevocationCheck revocation = new RevocationCheck(ValidationData.of(document), online);
            RevisionLayout layout = RevisionLayout.of(pdf);
            // the latest signature first: an earlier one's visual proof leaves out the widgets of later ones that verify
            var signatures = new VisualProof.Signatures(document, document.getSignatureFields().stream()
                    .filter(f -> f.getSignature() != null).toList());
            SignatureReport[] inOrder = new SignatureReport[signatures.size()];
            for (int i : signatures.latestFirst()) {
                PDSignatureField field = signatures.field(i);
                inOrder[i] = verifySignature(pdf, field.getFullyQualifiedName(), field.getSignature(), document, now,
                        facts, revocation, layout, signatures);
            }
            reports.addAll(List.of(inOrder));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return withLicence(summarise(pdf.length, now, reports), licence);
    }

    /** The licence's live status joins the verdict: a revoked, suspended or ended licence is not valid. */
    private VerificationReport withLicence(VerificationReport report, String identifier) {
        if (identifier == null || identifier.isBlank()) {
            return report;
        }
        if (licences == null) {
            return new VerificationReport(report.verdict(), report.summary(), report.documentBytes(),
                    report.validationTime(), report.signatures(), new VerificationReport.LicenceCheck(identifier,
                    null, "The document is licence " + identifier + "; its live status was not asked for."));
        }
        String status;
        try {
            status = licences.status(identifier);
        } catch (Exception e) {
            var check = new VerificationReport.LicenceCheck(identifier, null,
                    "The live status of licence " + identifier + " cannot be learnt now: " + e.getMessage());
            Verdict verdict = report.verdict() == Verdict.VALID ? Verdict.INDETERMINATE : report.verdict();
            return new VerificationReport(verdict, report.verdict() == Verdict.VALID ? check.explanation()
                    : report.summary(), report.documentBytes(), report.validationTime(), report.signatures(), check);
        }
        if ("VALID".equals(status)) {
            return new VerificationReport(report.verdict(), report.summary(), report.documentBytes(),
                    report.validationTime(), report.signatures(), new VerificationReport.LicenceCheck(identifier,
                    status, "Licence " + identifier + " is valid now."));
        }
        String explanation = status == null ? "The issuer does not know licence " + identifier + "."
                : "Licence " + identifier + " is " + status + " now: the document no longer proves it.";
        var check = new VerificationReport.LicenceCheck(identifier, status, explanation);
        Verdict verdict = report.verdict() == Verdict.NOT_SIGNED ? Verdict.NOT_SIGNED : Verdict.INVALID;
        return new VerificationReport(verdict, explanation, report.documentBytes(), report.validationTime(),
                report.signatures(), check);
    }

    private SignatureReport verifySignature(byte[] pdf, String fieldName, PDSignature signature,
                                            PDDocument document, Instant now, DocumentFacts facts,
                                            RevocationCheck revocation, RevisionLayout layout,
                                            VisualProof.Signatures later) {
        Instant claimed = signature.getSignDate() == null ? null : signature.getSignDate().toInstant();
        String subFilter = signature.getSubFilter();
        var builder = new SignatureReportBuilder(fieldName, claimed, subFilter);

        long[] range = byteRange(signature.getCOSObject());
        if (range == null) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature has no usable /ByteRange, so nothing it covers can be known.");
        }
        builder.coverage(coverage(pdf, range));
        byte[] valueInDictionary = contents(signature.getCOSObject());
        if (valueInDictionary == null || isBlank(valueInDictionary)) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature value (/Contents) is missing or empty: this is not a signature.");
        }
        String rangeProblem = ByteRanges.problem(pdf, range);
        if (rangeProblem != null) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, rangeProblem);
        }
        byte[] valueInGap = ByteRanges.signatureValueInGap(pdf, range);
        if (valueInGap == null || isBlank(valueInGap)) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The bytes left out by /ByteRange hold no signature value: this is not a signature.");
        }
        if (valueInDictionary == null || !java.util.Arrays.equals(valueInGap, valueInDictionary)) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The bytes left out by /ByteRange are not this signature's /Contents: the ranges were moved "
                            + "(signature wrapping).");
        }
        long revisionEnd = range[2] + range[3];
        if (revisionEnd < pdf.length && !layout.endsRevision(revisionEnd)) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signed bytes stop at byte " + revisionEnd + ", inside a revision instead of at its end "
                            + "(%%EOF): /ByteRange was cut short, so part of the signed revision is not signed.");
        }

        if (LongTermValidation.ETSI_RFC3161.getName().equals(subFilter)) {
            return documentTimeStamp(builder, valueInGap, ByteRanges.signedBytes(pdf, range), pdf, range, document,
                    layout, later, signature.getCOSObject());
        }
        CmsSignatureCheck.Result result = cms.check(valueInGap, ByteRanges.signedBytes(pdf, range), claimed, now,
                revocation);
        builder.fromCms(result);
        builder.document(facts.longTermData(), facts.archivedUpTo() >= range[2] + range[3]);
        if (result.indication() == Indication.TOTAL_FAILED) {
            return builder.build();
        }
        later.verifiedCryptographically(signature.getCOSObject());
        NationalSealCheck.Outcome seal = national.check(valueInGap, ByteRanges.signedBytes(pdf, range), range, now,
                revocation, sealStatuses);
        if (seal != null) {
            builder.nationalSeal(seal.report());
            if (seal.indication() == Indication.TOTAL_FAILED || seal.indication() == Indication.INDETERMINATE
                    && builder.indication() == Indication.TOTAL_PASSED) {
                return builder.conclude(seal.indication(), seal.subIndication(), "The GB/T 38540 seal signature is "
                        + (seal.indication() == Indication.TOTAL_FAILED ? "not valid" : "not confirmed") + " ("
                        + seal.report().problem() + "): " + seal.report().reasons().getLast());
            }
            builder.note("The GB/T 38540 seal signature of seal \"" + seal.report().name() + "\" ("
                    + seal.report().esId() + ") is valid" + (seal.report().sealStatus() == null
                    ? " (the seal's own status was not asked)." : "; the seal is " + seal.report().sealStatus() + "."));
        }
        String collision = collision(layout, range);
        if (collision != null) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, collision);
        }
        if (HandwritingCheck.carriesCapture(document, fieldName)) {
            HandwritingCheck.Result handwriting = HandwritingCheck.check(pdf, fieldName, revisionEnd, layout);
            if (handwriting != null) {
                Handwriting capture = handwriting.capture();
                builder.handwritten(new VerificationReport.Handwritten(handwriting.bound(),
                        capture == null ? 0 : capture.strokes().size(), capture == null ? 0 : capture.pointCount(),
                        capture == null ? null : capture.capturedAt(), capture == null ? null : capture.documentSha256(),
                        handwriting.explanation(), capture == null ? null : capture.toSvg()));
                if (!handwriting.bound()) {
                    // the visible signature says the person signed this document; its own data says otherwise
                    return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                            handwriting.explanation());
                }
            }
        }
        // even when the signer cannot be confirmed (no chain, no revocation data), a forbidden change is a failure
        List<String> forbidden = changesAfter(builder, pdf, range, document, layout);
        VisualProof.Outcome visual = visually(builder, pdf, range, document, later);
        if (!forbidden.isEmpty()) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The document was changed after this signature in a way a signature cannot allow: "
                            + String.join("; ", forbidden) + ".");
        }
        return concludeVisually(builder, visual, "");
    }

    /** A document time-stamp: the TSA's token over every byte before it. */
    private SignatureReport documentTimeStamp(SignatureReportBuilder builder, byte[] token, byte[] signedBytes,
                                              byte[] pdf, long[] range, PDDocument document,
                                              RevisionLayout layout, VisualProof.Signatures later,
                                              COSDictionary signature) {
        TimeStampCheck.Result result = TimeStampCheck.check(token, signedBytes);
        if (result.tsa() != null) {
            builder.documentTimeStamp(result.tsa(), result.time());
        }
        if (!result.imprintMatches()) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE,
                    "The document time-stamp does not match the document: " + result.problem() + ".");
        }
        if (!result.valid()) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE,
                    "The document time-stamp is not valid: " + result.problem() + ".");
        }
        later.verifiedCryptographically(signature);
        if (cms.chainToTrustedRoot(result.tsa(), result.embedded(), result.time()) == null) {
            return builder.conclude(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
                    "The time-stamping authority does not chain to a trusted root.");
        }
        String proof = "A time-stamp from \"" + result.tsa().getSubjectX500Principal().getName()
                + "\" proves the document existed as it was up to here on " + result.time() + ".";
        String collision = collision(layout, range);
        if (collision != null) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, proof + " " + collision);
        }
        List<String> forbidden = changesAfter(builder, pdf, range, document, layout);
        VisualProof.Outcome visual = visually(builder, pdf, range, document, later);
        if (!forbidden.isEmpty()) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    proof + " But the document was changed after it: " + String.join("; ", forbidden) + ".");
        }
        if (visual != null && (visual.failure() != null || visual.incomplete() != null)) {
            return concludeVisually(builder, visual, proof + " ");
        }
        return builder.conclude(Indication.TOTAL_PASSED, null, proof);
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
     * The visual proof of a signature that does not cover the whole file (its changes join the report), or null
     * when there is nothing after it or the proof is off.
     */
    private VisualProof.Outcome visually(SignatureReportBuilder builder, byte[] pdf, long[] range,
                                         PDDocument document, VisualProof.Signatures later) {
        long revisionEnd = range[2] + range[3];
        if (visualProof == null || revisionEnd >= pdf.length) {
            return null;
        }
        VisualProof.Outcome outcome = visualProof.check(pdf, revisionEnd, document, later.widgetsAfter(revisionEnd));
        builder.moreChanges(outcome.changes());
        return outcome;
    }

    /** A visible change fails the signature; a comparison left unfinished leaves a passed one unconfirmed. */
    private static SignatureReport concludeVisually(SignatureReportBuilder builder, VisualProof.Outcome visual,
                                                    String before) {
        if (visual != null && visual.failure() != null) {
            return builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, before + visual.failure());
        }
        if (visual != null && visual.incomplete() != null && builder.indication() == Indication.TOTAL_PASSED) {
            return builder.conclude(Indication.INDETERMINATE, null, before + visual.incomplete());
        }
        return builder.build();
    }

    /** Records what changed after the signed revision; returns the changes no signature can allow. */
    private static List<String> changesAfter(SignatureReportBuilder builder, byte[] pdf, long[] range,
                                             PDDocument document, RevisionLayout layout) {
        long revisionEnd = range[2] + range[3];
        if (revisionEnd >= pdf.length) {
            return List.of();
        }
        List<Change> changes = new ArrayList<>(RevisionComparison.changes(pdf, revisionEnd, document));
        changes.addAll(layout.problemsAfter(revisionEnd));
        builder.changes(changes);
        return changes.stream().filter(c -> !c.allowed()).map(Change::description).toList();
    }

    private static VerificationReport summarise(long size, Instant now, List<SignatureReport> signatures) {
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
        COSBase value = signature.getDictionaryObject(COSName.BYTERANGE);
        if (!(value instanceof COSArray array) || array.size() != 4) {
            return null;
        }
        long[] range = new long[4];
        for (int i = 0; i < 4; i++) {
            if (!(array.getObject(i) instanceof COSNumber number)) {
                return null;
            }
            range[i] = number.longValue();
        }
        return range;
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
