package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.licence.LicenceIdentifier;
import cn.yinxin.core.licence.LicenceStatusSource;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.io.IOException;
import java.util.List;

/** A licence named by a document, and why it is not vouched for (null: its issuer's seal issued it). */
record NamedLicence(String identifier, String problem) {

    /**
     * The licence a document names, and whether its issuer vouches for it. The name is read from the revision the
     * earliest signature signed (never from the document as it is now: a later revision may rewrite /Info, and that
     * is an allowed change). Its live status joins the verdict only when the issuer issued the document: an intact
     * seal signed with the reason 颁发电子证照 whose certificate names the licence's issuing authority (its
     * organizationIdentifier is the identifier's issuer code) and whose signed revision names the same licence.
     * Anyone may sign a PDF whose /Info names somebody's licence (a personal signature, an approval stamp); that
     * document is not the licence, and "licence valid" must not be read into its verdict.
     */
    static NamedLicence of(List<CheckedSignature> checked, List<Boolean> issuance,
                           List<SignatureReport> reports, RevisionDocuments revisions) {
        long signedEnd = Long.MAX_VALUE;
        long issuedEnd = Long.MAX_VALUE;
        SignatureReport issuer = null;
        for (int i = 0; i < checked.size(); i++) {
            CheckedSignature one = checked.get(i);
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
                    + "a licence (" + PdfVerifier.LICENCE_ISSUANCE_REASON + "): it is not that licence, and the licence's status "
                    + "was not checked.");
        }
        String issuerCode;
        try {
            issuerCode = LicenceIdentifier.parse(issued).issuerCode();
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

    private static String identifierIn(PDDocument document) {
        // read the Info dictionary without PDFBox's getDocumentInformation(), which would add an empty one
        COSDictionary info = document.getDocument().getTrailer().getCOSDictionary(COSName.INFO);
        return info == null ? null : info.getString(COSName.getPDFName(PdfVerifier.LICENCE_IDENTIFIER));
    }

    /**
     * The verdict with what the licence check found: a licence not vouched for, or a licence seal that names none,
     * keeps a valid verdict from standing; otherwise the licence's live status joins it ({@link LicenceStatusCheck}).
     */
    VerificationReport join(VerificationReport report, boolean issuedAsLicence, LicenceStatusSource licences) {
        if (problem != null) {
            var check = new VerificationReport.LicenceCheck(identifier, null, problem);
            return new VerificationReport(report.verdict() == Verdict.VALID ? Verdict.INDETERMINATE : report.verdict(),
                    report.verdict() == Verdict.VALID ? check.explanation() : report.summary(), report.documentBytes(),
                    report.validationTime(), report.signatures(), check);
        }
        if (blank(identifier) && issuedAsLicence) {
            // the seal says it issued a licence; which one cannot be read from what it signed
            var check = new VerificationReport.LicenceCheck(null, null, "The document was sealed as a licence ("
                    + PdfVerifier.LICENCE_ISSUANCE_REASON + ") but what the seal signed names no licence identifier, "
                    + "so the licence's status cannot be checked.");
            return new VerificationReport(report.verdict() == Verdict.VALID ? Verdict.INDETERMINATE : report.verdict(),
                    report.verdict() == Verdict.VALID ? check.explanation() : report.summary(), report.documentBytes(),
                    report.validationTime(), report.signatures(), check);
        }
        return LicenceStatusCheck.join(report, identifier, licences);
    }
}
