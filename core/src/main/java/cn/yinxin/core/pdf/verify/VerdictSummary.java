package cn.yinxin.core.pdf.verify;

import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;

import java.time.Instant;
import java.util.List;

/** The document's verdict from its signatures' indications (ETSI EN 319 102-1), joined into one answer for a clerk. */
final class VerdictSummary {

    private VerdictSummary() {
    }

    /**
     * @param signers how many of the signatures are seals or personal signatures (not document time-stamps): a
     *                time-stamp proves when the document existed, not that anyone sealed or signed it
     */
    static VerificationReport summarise(long size, Instant now, List<SignatureReport> signatures,
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
}
