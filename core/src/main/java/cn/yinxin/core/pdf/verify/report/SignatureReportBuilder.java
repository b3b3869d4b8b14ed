package cn.yinxin.core.pdf.verify.report;

import cn.yinxin.core.pki.ReadableNames;
import cn.yinxin.core.licence.ResidentId;
import cn.yinxin.core.pdf.verify.cms.CmsSignatureCheck;

import cn.yinxin.core.pdf.verify.report.VerificationReport.Change;
import cn.yinxin.core.pdf.verify.report.VerificationReport.Coverage;
import cn.yinxin.core.pdf.verify.report.VerificationReport.Seal;
import cn.yinxin.core.pdf.verify.report.VerificationReport.SignatureReport;
import cn.yinxin.core.pdf.verify.report.VerificationReport.Signer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Collects what the checks of one signature found. */
public final class SignatureReportBuilder {

    private final String field;
    private final Instant claimedTime;
    private final String subFilter;
    private Indication indication = Indication.TOTAL_PASSED;
    private boolean formatRead = true;
    private SubIndication subIndication;
    private final List<String> reasons = new ArrayList<>();
    private X509Certificate signer;
    private boolean signingCertificateV2;
    private boolean signingTimeAttribute;
    private Instant timeStampedAt;
    private boolean longTermData;
    private boolean archived;
    private String formatOverride;
    private Coverage coverage;
    private List<Change> changes = List.of();
    private VerificationReport.NationalSeal nationalSeal;
    private VerificationReport.Handwritten handwritten;

    public SignatureReportBuilder(String field, Instant claimedTime, String subFilter) {
        this.field = field;
        this.claimedTime = claimedTime;
        this.subFilter = subFilter;
    }

    public String field() {
        return field;
    }

    public void coverage(Coverage coverage) {
        this.coverage = coverage;
    }

    public void nationalSeal(VerificationReport.NationalSeal nationalSeal) {
        this.nationalSeal = nationalSeal;
    }

    public void note(String reason) {
        reasons.add(reason);
    }

    public Indication indication() {
        return indication;
    }

    public void changes(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    /** Adds to the changes already recorded (the visual proof comes after the change analysis). */
    public void moreChanges(List<Change> more) {
        List<Change> all = new ArrayList<>(changes);
        all.addAll(more);
        this.changes = List.copyOf(all);
    }

    public void fromCms(CmsSignatureCheck.Result result) {
        indication = result.indication();
        subIndication = result.subIndication();
        reasons.addAll(result.reasons());
        signer = result.signer();
        signingCertificateV2 = result.signingCertificateV2();
        signingTimeAttribute = result.signingTimeAttribute();
        // a signature that failed before its signed attributes were read (its bytes changed, say) has no format to
        // tell; "not baseline" would send the reader after the wrong problem
        formatRead = result.indication() != Indication.TOTAL_FAILED || signingCertificateV2 || signingTimeAttribute;
        timeStampedAt = result.timeStampedAt();
    }

    /** What the rest of the document adds: a DSS with revocation data, a later document time-stamp. */
    public void document(boolean longTermData, boolean archived) {
        this.longTermData = longTermData;
        this.archived = archived;
    }

    /** A document time-stamp: what the TSA proves, not a signer's seal. */
    public void documentTimeStamp(X509Certificate tsa, Instant time) {
        this.signer = tsa;
        this.timeStampedAt = time;
        this.formatOverride = "PAdES document time-stamp (ETSI.RFC3161)";
    }

    public void handwritten(VerificationReport.Handwritten handwritten) {
        this.handwritten = handwritten;
    }

    public SignatureReport conclude(Indication indication, SubIndication subIndication, String reason) {
        this.indication = indication;
        this.subIndication = subIndication;
        reasons.add(reason);
        return build();
    }

    public SignatureReport build() {
        return new SignatureReport(field, indication, subIndication, maskedReasons(), format(), signer(),
                formatOverride == null ? seal() : null, claimedTime, timeStampedAt, coverage, changes, nationalSeal,
                formatOverride == null ? person() : null, handwritten);
    }

    private String format() {
        if (formatOverride != null) {
            return formatOverride;
        }
        if ("ETSI.CAdES.detached".equals(subFilter)) {
            if (!formatRead) {
                return "PAdES";
            }
            if (!signingCertificateV2 || signingTimeAttribute) {
                return "PAdES (not baseline)";
            }
            if (timeStampedAt == null) {
                return "PAdES-BASELINE-B";
            }
            return !longTermData ? "PAdES-BASELINE-T" : archived ? "PAdES-BASELINE-LTA" : "PAdES-BASELINE-LT";
        }
        return subFilter == null ? "unknown" : "PKCS#7 (" + subFilter + ")";
    }

    private Signer signer() {
        if (signer == null) {
            return null;
        }
        X500Name subject = X500Name.getInstance(signer.getSubjectX500Principal().getEncoded());
        String number = attribute(subject, BCStyle.SERIALNUMBER);
        String shown = ReadableNames.of(signer.getSubjectX500Principal());
        if (number != null && ResidentId.isValid(number)) {
            // a resident ID number is personal data: the report (shown to anyone who checks) masks it
            shown = shown.replace(number, masked(number));
        }
        return new Signer(attribute(subject, BCStyle.CN), shown,
                ReadableNames.of(signer.getIssuerX500Principal()), signer.getSerialNumber().toString(16),
                signer.getNotBefore().toInstant(), signer.getNotAfter().toInstant());
    }

    /** A personal certificate names a person (CN) and their resident ID number (serialNumber), no organisation. */
    private VerificationReport.Person person() {
        if (signer == null) {
            return null;
        }
        X500Name subject = X500Name.getInstance(signer.getSubjectX500Principal().getEncoded());
        String number = attribute(subject, BCStyle.SERIALNUMBER);
        if (number == null || !ResidentId.isValid(number)
                || attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER) != null) {
            return null;
        }
        return new VerificationReport.Person(attribute(subject, BCStyle.CN), masked(number));
    }

    /** The reasons, with a personal signer's resident ID number masked wherever a check named the certificate. */
    private List<String> maskedReasons() {
        VerificationReport.Person person = person();
        if (person == null && signer == null) {
            return List.copyOf(reasons);
        }
        String number = attribute(X500Name.getInstance(signer.getSubjectX500Principal().getEncoded()), BCStyle.SERIALNUMBER);
        if (number == null || !ResidentId.isValid(number)) {
            return List.copyOf(reasons);
        }
        return reasons.stream().map(r -> r.replace(number, masked(number))).toList();
    }

    static String masked(String residentId) {
        return residentId.substring(0, 6) + "********" + residentId.substring(14);
    }

    /** An agency seal certificate names the agency (O) and its Unified Social Credit Code (organizationIdentifier). */
    private Seal seal() {
        if (signer == null) {
            return null;
        }
        X500Name subject = X500Name.getInstance(signer.getSubjectX500Principal().getEncoded());
        String agencyCode = attribute(subject, BCStyle.ORGANIZATION_IDENTIFIER);
        if (agencyCode == null) {
            return null;
        }
        return new Seal(attribute(subject, BCStyle.CN), attribute(subject, BCStyle.O), agencyCode);
    }

    private static String attribute(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }
}
