package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.licence.LicenceIdentifier;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.VerificationReport.LicenceCheck;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 加注件 (an annotated copy of a licence, seed 003): the licence's page drawn again with a red box
 * "仅供(purpose)使用，(office)，有效期至(date)", sealed by the issuing agency with the reason "加注件：(that text)", the
 * sealed licence itself attached as {@value #ORIGINAL}. A clerk reads its verdict as "this licence, for this use,
 * until then", so the copy is no better than the licence it carries: the attached licence is verified (its own seal
 * and its live status at the issuer) and joins the copy's verdict. A copy whose licence is missing, is not a licence,
 * was issued by another agency than the one that sealed the copy, or whose period of use has ended is not VALID.
 * Everything is read from the revision the copy's seal signed, never from what a later revision may add. An OFD
 * copy (core/ofd/verify OfdCopies) is judged by the same rule: its GB/T 38540 seal has no reason, so it states its
 * annotation in CustomData and attaches the licence OFD.
 */
public final class AnnotatedCopyCheck {

    /** The reason the licence service seals a copy with, before its text. */
    static final String REASON = "加注件";
    /** The attachment that holds the sealed licence, as the licence service names it. */
    static final String ORIGINAL = "original-licence.pdf";

    /**
     * The end date the licence service writes last ("...，有效期至yyyy-MM-dd"). Only the last one counts: the purpose
     * and the office before it are the holder's words and may themselves say "有效期至2099-12-31".
     */
    private static final Pattern UNTIL = Pattern.compile("有效期至(\\d{4}-\\d{2}-\\d{2})\\s*$");
    /** The date printed on a copy is a date in China: its period of use ends when that day ends there. */
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** The copy's seal (passed), what it signed as its annotation, and the licence it carries under which name. */
    private final SignatureReport seal;
    private final String reason;
    private final byte[] original;
    private final String originalName;
    /** What the copy's seal signed names more than one file {@link #originalName}: which one is the licence? */
    private final boolean namedTwice;

    private AnnotatedCopyCheck(SignatureReport seal, String reason, byte[] original, String originalName,
                               boolean namedTwice) {
        this.seal = seal;
        this.reason = reason;
        this.original = original;
        this.originalName = originalName;
        this.namedTwice = namedTwice;
    }

    /**
     * A copy sealed by {@code seal} (which passed), stating {@code annotation} (its period of use after 有效期至),
     * carrying {@code original} (null: none) under {@code originalName}: for formats other than PDF.
     */
    public static AnnotatedCopyCheck sealedBy(SignatureReport seal, String annotation, byte[] original,
                                              String originalName) {
        return new AnnotatedCopyCheck(seal, annotation == null ? "" : annotation, original, originalName, false);
    }

    /**
     * The copy a document is, or null when no intact seal signed it as a 加注件: the earliest such seal, and the
     * licence attached in the revision it signed (null when none is).
     */
    static AnnotatedCopyCheck of(List<CheckedSignature> checked, List<String> reasons, List<SignatureReport> reports,
                                 RevisionDocuments revisions, DecodeBudget budget) {
        int copySeal = -1;
        long end = Long.MAX_VALUE;
        for (int i = 0; i < checked.size(); i++) {
            CheckedSignature one = checked.get(i);
            String reason = reasons.get(i);
            if (one.range() == null || one.timeStamp() || reason == null || !reason.startsWith(REASON)
                    || reports.get(i).indication() != Indication.TOTAL_PASSED) {
                continue;
            }
            long signedEnd = one.range()[2] + one.range()[3];
            if (signedEnd < end) {
                end = signedEnd;
                copySeal = i;
            }
        }
        if (copySeal < 0) {
            return null;
        }
        Attached found = attached(end, revisions, budget);
        return new AnnotatedCopyCheck(reports.get(copySeal), reasons.get(copySeal), found.licence(), ORIGINAL,
                found.namedTwice());
    }

    /**
     * What the names tree of a signed revision attaches as {@value #ORIGINAL}: its bytes (null when none is), or
     * {@code namedTwice} when it lists that name more than once (then no bytes: PDFBox keeps the last of a name, a
     * reader lists both and may open the first).
     */
    private record Attached(byte[] licence, boolean namedTwice) {
        static final Attached NONE = new Attached(null, false);
    }

    private static Attached attached(long end, RevisionDocuments revisions, DecodeBudget budget) {
        PDDocument signed = null;
        try {
            signed = revisions.open(end);
            PDDocumentNameDictionary names = signed.getDocumentCatalog().getNames();
            PDEmbeddedFilesNameTreeNode files = names == null ? null : names.getEmbeddedFiles();
            if (files != null && namedTwice(files.getCOSObject().getCOSArray(COSName.NAMES))) {
                return new Attached(null, true);
            }
            Map<String, PDComplexFileSpecification> leaves = files == null ? null : files.getNames();
            PDComplexFileSpecification spec = leaves == null ? null : leaves.get(ORIGINAL);
            PDEmbeddedFile file = spec == null ? null : spec.getEmbeddedFile();
            if (file == null) {
                return Attached.NONE;
            }
            COSStream stream = file.getCOSObject();
            return new Attached(budget.decode(stream), false);
        } catch (LimitExceededException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            return Attached.NONE;
        } finally {
            revisions.release(signed);
        }
    }

    private static boolean namedTwice(COSArray names) {
        int named = 0;
        for (int i = 0; names != null && i + 1 < names.size(); i += 2) {
            if (names.getObject(i) instanceof COSString key && ORIGINAL.equals(key.getString())) {
                named++;
            }
        }
        return named > 1;
    }

    /**
     * The copy's verdict joined with the licence it carries ({@code verifyLicence} verifies the attached licence as
     * a document of its own, its live status included), and with the copy's period of use at {@code now}.
     */
    public VerificationReport join(VerificationReport copy, Function<byte[], VerificationReport> verifyLicence, Instant now) {
        if (namedTwice) {
            return weaken(copy, Verdict.INDETERMINATE, null, null, "This document is sealed as a 加注件, but what "
                    + "its seal signed names more than one file " + originalName + ": which licence it copies cannot "
                    + "be told.");
        }
        if (original == null) {
            return weaken(copy, Verdict.INDETERMINATE, null, null, "This document is sealed as a 加注件 (an annotated "
                    + "copy of a licence), but what its seal signed carries no licence (" + originalName + "): which "
                    + "licence it copies, and whether that licence is valid, cannot be told.");
        }
        VerificationReport licence = verifyLicence.apply(original);
        LicenceCheck check = licence.licence();
        if (check == null || check.identifier() == null || check.identifier().isBlank()) {
            return weaken(copy, Verdict.INDETERMINATE, null, null, "This document is sealed as a 加注件, but the "
                    + "document it carries is not a licence issued by its issuer's seal: " + licence.summary());
        }
        String identifier = check.identifier();
        if (licence.verdict() != Verdict.VALID) {
            Verdict verdict = licence.verdict() == Verdict.INVALID ? Verdict.INVALID : Verdict.INDETERMINATE;
            return weaken(copy, verdict, identifier, check.status(), "This document is a 加注件 of licence "
                    + identifier + ", and the licence it carries is not valid: " + licence.summary());
        }
        String issuer = LicenceIdentifier.parse(identifier).issuerCode();
        String agency = seal.seal() == null ? null : seal.seal().agencyCode();
        if (!issuer.equals(agency)) {
            return weaken(copy, Verdict.INDETERMINATE, identifier, check.status(), "This document is a 加注件 of "
                    + "licence " + identifier + " issued by " + issuer + ", but the seal on the copy belongs to "
                    + (agency == null ? "no agency" : agency) + ": only the issuer makes a 加注件 of its licence.");
        }
        LocalDate until = until(reason);
        if (until == null) {
            // every copy the licence service makes ends on a date; one that states none, or no date, is not "for ever"
            return weaken(copy, Verdict.INDETERMINATE, identifier, check.status(), "This 加注件 of licence "
                    + identifier + " states no period of use that can be read (有效期至 and a date at its end): how "
                    + "long it may be used cannot be told.");
        }
        if (!now.isBefore(until.plusDays(1).atStartOfDay(CHINA).toInstant())) {
            return weaken(copy, Verdict.INVALID, identifier, check.status(), "This 加注件 of licence " + identifier
                    + " was for use until " + until + ": its period of use has ended.");
        }
        // the use and the office the copy is limited to are part of the answer: a clerk of another office, or with
        // another case, must not read "VALID" as "valid for me"
        String explanation = "This document is a 加注件 of licence " + identifier + ", for use until " + until
                + " and only as its seal signed: \"" + annotation() + "\"; " + check.explanation();
        return new VerificationReport(copy.verdict(), copy.summary(), copy.documentBytes(), copy.validationTime(),
                copy.signatures(), new LicenceCheck(identifier, check.status(), explanation));
    }

    /** What the copy's seal signed as its annotation, without the 加注件 prefix of a PDF copy's reason. */
    private String annotation() {
        String text = reason.startsWith(REASON) ? reason.substring(REASON.length()) : reason;
        return text.startsWith("：") || text.startsWith(":") ? text.substring(1).strip() : text.strip();
    }

    /** The date after the last 有效期至, which ends the copy seal's reason, or null when it ends with no date. */
    static LocalDate until(String reason) {
        Matcher matcher = UNTIL.matcher(reason);
        try {
            return matcher.find() ? LocalDate.parse(matcher.group(1)) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The copy's report, no better than {@code verdict}, with what the copy check found. */
    private static VerificationReport weaken(VerificationReport copy, Verdict verdict, String identifier, String status,
                                             String explanation) {
        boolean worse = rank(verdict) > rank(copy.verdict());
        return new VerificationReport(worse ? verdict : copy.verdict(), worse ? explanation : copy.summary(),
                copy.documentBytes(), copy.validationTime(), copy.signatures(),
                new LicenceCheck(identifier, status, explanation));
    }

    private static int rank(Verdict verdict) {
        return switch (verdict) {
            case VALID -> 0;
            case INDETERMINATE -> 1;
            case NOT_SIGNED -> 2;
            case INVALID -> 3;
        };
    }
}
