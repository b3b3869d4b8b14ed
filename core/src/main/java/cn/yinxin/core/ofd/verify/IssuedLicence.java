package cn.yinxin.core.ofd.verify;

import cn.yinxin.core.licence.LicenceIdentifier;
import cn.yinxin.core.ofd.LicenceMetadata;
import cn.yinxin.core.ofd.OfdDocument;
import cn.yinxin.core.pdf.verify.report.Indication;
import cn.yinxin.core.pdf.verify.report.Verdict;
import cn.yinxin.core.pdf.verify.report.VerificationReport;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;

/**
 * Whether the licence an OFD names (GB/T 36903 metadata in OFD.xml's CustomData) is vouched for by its issuer, as
 * core/pdf's PdfVerifier decides it for a licence PDF: only then may a caller join that licence's live status to the
 * verdict. Any trusted seal (another agency's, an OFD sealed outside Yinxin) can seal an OFD whose CustomData names
 * somebody else's licence, with another holder drawn on the page; "VALID, licence valid now" must not be read into
 * such a document. So: some seal of the document passed and belongs to the agency the identifier names as its issuer
 * (the seal's signer certificate's organizationIdentifier is the identifier's issuer code). A document that claims to
 * be a licence and is not vouched for is at best INDETERMINATE, with the reason in its {@code licence} entry.
 * (GB/T 38540 seals carry no reason like the PDF's 颁发电子证照, so any passing seal of the issuing agency vouches.)
 */
final class IssuedLicence {

    private IssuedLicence() {
    }

    /**
     * The report, with a licence problem joined, and the licence metadata a caller may trust (null otherwise).
     *
     * @param document the package the report is about: its licence metadata, and its licenceConflict (null, or why
     *                 its licence data cannot be read one way only)
     */
    static OfdVerifier.Verified judge(VerificationReport report, OfdDocument document) {
        LicenceMetadata licence = document.licence();
        String conflict = document.licenceConflict();
        if (conflict != null && report.verdict() != Verdict.NOT_SIGNED) {
            return notVouched(document, report, licence == null ? null : licence.identifier(), conflict);
        }
        if (licence == null || report.verdict() == Verdict.NOT_SIGNED) {
            // no licence claimed; or nothing sealed, which proves nothing whatever it names
            return new OfdVerifier.Verified(report, report.verdict() == Verdict.NOT_SIGNED ? null : licence, document);
        }
        String identifier = licence.identifier();
        if (identifier == null || identifier.isBlank()) {
            return notVouched(document, report, null, "The document carries licence data (" + licence.name() + ") but names no "
                    + "licence identifier, so the licence's status cannot be checked.");
        }
        String issuerCode;
        try {
            issuerCode = LicenceIdentifier.parse(identifier).issuerCode();
        } catch (RuntimeException e) {
            return notVouched(document, report, identifier, "The document names \"" + identifier + "\", which is not a licence "
                    + "identifier.");
        }
        for (SignatureReport seal : report.signatures()) {
            // every seal that passed covers OFD.xml (Coverage fails a seal that leaves it out), so its CustomData is
            // what that seal signed
            if (seal.indication() == Indication.TOTAL_PASSED && seal.seal() != null
                    && issuerCode.equals(seal.seal().agencyCode())) {
                return new OfdVerifier.Verified(report, licence, document);
            }
        }
        boolean issuersSealUnconfirmed = report.signatures().stream()
                .anyMatch(seal -> seal.seal() != null && issuerCode.equals(seal.seal().agencyCode()));
        // (a seal of the issuer that is there but not confirmed, e.g. revocation unknown, is not called a forgery)
        return notVouched(document, report, identifier, issuersSealUnconfirmed ? "Licence " + identifier + " was issued by "
                + issuerCode + ", whose seal on this document is not confirmed (see its reasons): the licence's status "
                + "was not checked." : "Licence " + identifier + " was issued by " + issuerCode + ", but no intact seal "
                + "of that agency sealed this document: it is not that licence, and the licence's status was not "
                + "checked.");
    }

    private static OfdVerifier.Verified notVouched(OfdDocument document, VerificationReport report, String identifier,
                                                   String problem) {
        var check = new VerificationReport.LicenceCheck(identifier, null, problem);
        boolean valid = report.verdict() == Verdict.VALID;
        return new OfdVerifier.Verified(new VerificationReport(valid ? Verdict.INDETERMINATE : report.verdict(),
                valid ? problem : report.summary(), report.documentBytes(), report.validationTime(),
                report.signatures(), check), null, document);
    }
}
