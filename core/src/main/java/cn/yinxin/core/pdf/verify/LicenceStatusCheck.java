package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;

import cn.yinxin.core.licence.LicenceStatusSource;

/**
 * A licence's live status joins the verdict of the document that carries it, PDF or OFD (GB/T 36905: a licence file
 * proves the licence only while the issuer holds it valid): a revoked, suspended or ended licence, or one the issuer
 * does not know, makes the document INVALID; a status that cannot be learnt now makes a VALID verdict INDETERMINATE.
 */
public final class LicenceStatusCheck {

    private LicenceStatusCheck() {
    }

    /**
     * @param identifier the licence the seal signed (blank: the report as it is)
     * @param licences   null: the status is not asked, and the report says so
     */
    public static VerificationReport join(VerificationReport report, String identifier, LicenceStatusSource licences) {
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
        if ("NOT_YET_VALID".equals(status)) {
            // issued ahead of its start: genuine, but not in force yet
            var check = new VerificationReport.LicenceCheck(identifier, status, "Licence " + identifier
                    + " is not in force yet: its issuer says its validity begins later.");
            Verdict verdict = report.verdict() == Verdict.VALID ? Verdict.INDETERMINATE : report.verdict();
            return new VerificationReport(verdict, report.verdict() == Verdict.VALID ? check.explanation()
                    : report.summary(), report.documentBytes(), report.validationTime(), report.signatures(), check);
        }
        String explanation = status == null ? "The issuer does not know licence " + identifier + "."
                : "Licence " + identifier + " is " + status + " now: the document no longer proves it.";
        var check = new VerificationReport.LicenceCheck(identifier, status, explanation);
        Verdict verdict = report.verdict() == Verdict.NOT_SIGNED ? Verdict.NOT_SIGNED : Verdict.INVALID;
        return new VerificationReport(verdict, explanation, report.documentBytes(), report.validationTime(),
                report.signatures(), check);
    }
}
