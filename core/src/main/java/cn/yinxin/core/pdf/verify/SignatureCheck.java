package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.pdf.handwriting.Handwriting;
import cn.yinxin.core.pdf.handwriting.HandwritingCheck;
import cn.yinxin.core.pdf.national.NationalSealCheck;
import cn.yinxin.core.pdf.sign.LongTermValidation;
import cn.yinxin.core.pdf.verify.changes.FieldLock;
import cn.yinxin.core.pdf.verify.changes.FormFields;
import cn.yinxin.core.pdf.verify.cms.CmsSignatureCheck;
import cn.yinxin.core.pdf.verify.cms.TimeStampCheck;
import cn.yinxin.core.pdf.verify.longterm.DocumentFacts;
import cn.yinxin.core.pdf.verify.longterm.RevocationCheck;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.SignatureReportBuilder;
import cn.yinxin.core.pdf.verify.report.SubIndication;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.VerificationReport.Coverage;
import cn.yinxin.core.ses.SealStatusSource;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * One signature on its own, as {@link PdfVerifier}'s first pass checks it: its structure (byte ranges, value),
 * then its CMS ({@link CmsSignatureCheck}) or document time-stamp, the national seal signature it may carry, a
 * signature collision in what it signed, and a handwritten capture bound into it. What later revisions changed is
 * judged afterwards ({@link CheckedSignature#finish}).
 */
final class SignatureCheck {

    private final CmsSignatureCheck cms;
    private final NationalSealCheck national;
    private final SealStatusSource sealStatuses;

    SignatureCheck(CmsSignatureCheck cms, NationalSealCheck national, SealStatusSource sealStatuses) {
        this.cms = cms;
        this.national = national;
        this.sealStatuses = sealStatuses;
    }

    static String malformed(RuntimeException e) {
        return "The signature cannot be read: its structure is malformed (" + e.getClass().getSimpleName() + ").";
    }

    /**
     * One signature, whatever its bytes hold: a structure the CMS or certificate parsers cannot take (they throw
     * unchecked exceptions on some malformed input) fails that signature instead of the whole verification.
     */
    CheckedSignature verifySafely(byte[] pdf, String fieldName, PDSignature signature, COSDictionary field,
                                 PDDocument document, Instant now, DocumentFacts facts, RevocationCheck revocation,
                                 RevisionLayout layout, DecodeBudget budget) {
        try {
            return verifySignature(pdf, fieldName, signature, field, document, now, facts, revocation, layout, budget);
        } catch (LimitExceededException e) {
            throw e;
        } catch (RuntimeException e) {
            var builder = new SignatureReportBuilder(fieldName, null, signature.getSubFilter());
            return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, malformed(e)),
                    byteRange(signature.getCOSObject()), false);
        }
    }

    private CheckedSignature verifySignature(byte[] pdf, String fieldName, PDSignature signature, COSDictionary field,
                                    PDDocument document, Instant now, DocumentFacts facts,
                                    RevocationCheck revocation, RevisionLayout layout, DecodeBudget budget) {
        Instant claimed = signature.getSignDate() == null ? null : signature.getSignDate().toInstant();
        String subFilter = signature.getSubFilter();
        var builder = new SignatureReportBuilder(fieldName, claimed, subFilter);

        long[] range = byteRange(signature.getCOSObject());
        CheckedSignature unsound = structure(pdf, signature, range, builder, layout);
        if (unsound != null) {
            return unsound;
        }
        byte[] valueInGap = ByteRanges.signatureValueInGap(pdf, range);
        long revisionEnd = range[2] + range[3];
        if (LongTermValidation.ETSI_RFC3161.getName().equals(subFilter)) {
            return documentTimeStamp(builder, valueInGap, ByteRanges.signedBytes(pdf, range), range, layout);
        }
        CmsSignatureCheck.Result result = cms.check(valueInGap, ByteRanges.signedBytes(pdf, range), claimed, now,
                revocation, subFilter);
        builder.fromCms(result);
        builder.document(facts.longTermData(), facts.archivedUpTo() >= range[2] + range[3]);
        if (result.indication() == Indication.TOTAL_FAILED) {
            var other = result.subIndication() == SubIndication.FORMAT_FAILURE
                    ? national.sealInContents(valueInGap, ByteRanges.signedBytes(pdf, range)) : null;
            return CheckedSignature.done(other == null ? builder.build() : other.broken() != null
                    ? builder.conclude(Indication.TOTAL_FAILED, other.broken(), other.text())
                    : builder.conclude(Indication.INDETERMINATE, SubIndication.FORMAT_FAILURE, other.text()), range,
                    false);
        }
        CheckedSignature refused = nationalSeal(valueInGap, pdf, range, now, revocation, builder);
        if (refused != null) {
            return refused;
        }
        String collision = collision(layout, range);
        if (collision != null) {
            // the signed revision's own cross-reference names one definition, and conforming readers take it; a
            // reader that rebuilds the file may take the other, so what was signed cannot be told for sure
            return CheckedSignature.done(builder.conclude(Indication.INDETERMINATE, SubIndication.SIG_CONSTRAINTS_FAILURE,
                    collision), range, true);
        }
        if (HandwritingCheck.carriesCapture(document, fieldName)) {
            CheckedSignature unbound = handwriting(pdf, fieldName, revisionEnd, layout, budget, builder, range);
            if (unbound != null) {
                return unbound;
            }
        }
        return new CheckedSignature(builder, null, range, true, FieldLock.of(field, signature.getCOSObject()),
                null);
    }

    /**
     * The signature's structure before any cryptography (ISO 32000-1 12.8.1): a usable /ByteRange, a value in
     * /Contents, ranges that leave out exactly that value, and signed bytes that end a revision; null when sound.
     */
    private static CheckedSignature structure(byte[] pdf, PDSignature signature, long[] range,
                                              SignatureReportBuilder builder, RevisionLayout layout) {
        if (range == null) {
            return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature has no usable /ByteRange, so nothing it covers can be known."), null, false);
        }
        builder.coverage(coverage(pdf, range));
        byte[] valueInDictionary = contents(signature.getCOSObject());
        if (valueInDictionary == null || isBlank(valueInDictionary)) {
            return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signature value (/Contents) is missing or empty: this is not a signature."), range, false);
        }
        String rangeProblem = ByteRanges.problem(pdf, range);
        if (rangeProblem != null) {
            return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    rangeProblem), range, false);
        }
        byte[] valueInGap = ByteRanges.signatureValueInGap(pdf, range);
        if (valueInGap == null || isBlank(valueInGap)) {
            return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The bytes left out by /ByteRange hold no signature value: this is not a signature."), range, false);
        }
        if (!Arrays.equals(valueInGap, valueInDictionary)) {
            return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The bytes left out by /ByteRange are not this signature's /Contents: the ranges were moved "
                            + "(signature wrapping)."), range, false);
        }
        long revisionEnd = range[2] + range[3];
        if (revisionEnd < pdf.length && !layout.endsRevision(revisionEnd)) {
            return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                    "The signed bytes stop at byte " + revisionEnd + ", inside a revision instead of at its end "
                            + "(%%EOF): /ByteRange was cut short, so part of the signed revision is not signed."),
                    range, false);
        }
        return null;
    }

    /** The GB/T 38540 seal signature a national-mode seal carries: a refusal, or null (noted when valid). */
    private CheckedSignature nationalSeal(byte[] valueInGap, byte[] pdf, long[] range, Instant now,
                                          RevocationCheck revocation, SignatureReportBuilder builder) {
        NationalSealCheck.Outcome seal = national.check(valueInGap, ByteRanges.signedBytes(pdf, range), range, now,
                revocation, sealStatuses);
        if (seal != null) {
            builder.nationalSeal(seal.report());
            if (seal.indication() == Indication.TOTAL_FAILED || seal.indication() == Indication.INDETERMINATE
                    && builder.indication() == Indication.TOTAL_PASSED) {
                return CheckedSignature.done(builder.conclude(seal.indication(), seal.subIndication(), "The GB/T 38540 seal "
                        + "signature is " + (seal.indication() == Indication.TOTAL_FAILED ? "not valid" : "not confirmed")
                        + " (" + seal.report().problem() + "): " + seal.report().reasons().getLast()), range, true);
            }
            builder.note("The GB/T 38540 seal signature of seal \"" + seal.report().name() + "\" ("
                    + seal.report().esId() + ") is valid" + (seal.report().sealStatus() == null
                    ? " (the seal's own status was not asked)." : "; the seal is " + seal.report().sealStatus() + "."));
        }
        return null;
    }

    /** A handwritten signature's capture, bound into the signed revision or refused; null when bound or absent. */
    private static CheckedSignature handwriting(byte[] pdf, String fieldName, long revisionEnd, RevisionLayout layout,
                                                DecodeBudget budget, SignatureReportBuilder builder, long[] range) {
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
                return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE,
                        handwriting.explanation()), range, true);
            }
        }
        return null;
    }

    /** A document time-stamp: the TSA's token over every byte before it. */
    private CheckedSignature documentTimeStamp(SignatureReportBuilder builder, byte[] token, byte[] signedBytes,
                                               long[] range,
                                      RevisionLayout layout) {
        TimeStampCheck.Result result = TimeStampCheck.check(token, signedBytes);
        if (result.tsa() != null) {
            builder.documentTimeStamp(result.tsa(), result.time());
        }
        if (!result.imprintMatches()) {
            return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE,
                    "The document time-stamp does not match the document: " + result.problem() + "."), range, false);
        }
        if (!result.valid()) {
            return CheckedSignature.done(builder.conclude(Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE,
                    "The document time-stamp is not valid: " + result.problem() + "."), range, false);
        }
        if (cms.chainToTrustedRoot(result.tsa(), result.embedded(), result.time()) == null) {
            return CheckedSignature.done(builder.conclude(Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
                    "The time-stamping authority does not chain to a trusted root."), range, true);
        }
        String proof = "A time-stamp from \"" + ReadableNames.of(result.tsa().getSubjectX500Principal())
                + "\" proves the document existed as it was up to here on " + result.time() + ".";
        String collision = collision(layout, range);
        if (collision != null) {
            return CheckedSignature.done(builder.conclude(Indication.INDETERMINATE, SubIndication.SIG_CONSTRAINTS_FAILURE,
                    proof + " " + collision), range, true);
        }
        return new CheckedSignature(builder, null, range, true, FieldLock.NONE, proof);
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
