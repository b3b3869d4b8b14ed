package cn.yinxin.core.pdf.verify.report;

import java.time.Instant;
import java.util.List;

/** What the verifier found in one PDF. */
public record VerificationReport(Verdict verdict, String summary, long documentBytes, Instant validationTime,
                                 List<SignatureReport> signatures, LicenceCheck licence) {

    public VerificationReport(Verdict verdict, String summary, long documentBytes, Instant validationTime,
                              List<SignatureReport> signatures) {
        this(verdict, summary, documentBytes, validationTime, signatures, null);
    }

    /**
     * The licence a document carries (a licence PDF names its identifier) and its live status: part of the
     * verdict, since a revoked licence is not valid however good its seal.
     */
    public record LicenceCheck(String identifier, String status, String explanation) {
    }

    /** One signature of the document. */
    public record SignatureReport(
            String field,
            Indication indication,
            SubIndication subIndication,
            List<String> reasons,
            String format,
            Signer signer,
            Seal seal,
            Instant claimedSigningTime,
            Instant timeStampedAt,
            Coverage coverage,
            List<Change> changesAfterSigning,
            NationalSeal nationalSeal,
            Person person,
            Handwritten handwritten) {

        /** A signature without a person or a handwritten capture (an agency seal, a time-stamp). */
        public SignatureReport(String field, Indication indication, SubIndication subIndication, List<String> reasons,
                               String format, Signer signer, Seal seal, Instant claimedSigningTime,
                               Instant timeStampedAt, Coverage coverage, List<Change> changesAfterSigning) {
            this(field, indication, subIndication, reasons, format, signer, seal, claimedSigningTime, timeStampedAt,
                    coverage, changesAfterSigning, null, null, null);
        }
    }

    /**
     * The person behind a personal signature (a certificate naming a resident ID number and no organisation): the
     * name and the number masked as it may be shown to anyone (110105********002X).
     */
    public record Person(String name, String maskedResidentId) {
    }

    /**
     * The handwritten signature a personal signature carries: whether it is bound (captured for exactly the bytes
     * this signature was added to, and drawn as captured), and what it holds; {@code svg} pictures the captured
     * strokes (null when the capture cannot be read).
     */
    public record Handwritten(boolean bound, int strokes, int points, Instant capturedAt, String documentSha256,
                              String explanation, String svg) {
    }

    /**
     * The GB/T 38540 seal signature (SES_Signature) a national-mode signature carries (see PdfSesSignature), as
     * checked: valid, or the first problem (a {@code cn.yinxin.core.ses.SesProblem} name, or MAKER_REVOKED,
     * MAKER_REVOCATION_UNKNOWN, SEAL_STATUS, SIGNER_MISMATCH, PROPERTY_INFO). {@code sealStatus} is the seal's own
     * status at its issuer, or null when it was not asked. {@code standard} names the structure read: "GB/T
     * 38540-2020 SES_Signature" (v4), or "GM/T 0031-2014 SES_Signature" (v1, made by another system).
     */
    public record NationalSeal(String standard, boolean valid, String problem, String esId, String name, String vendor,
                               String maker, Instant validStart, Instant validEnd, Instant signedAt,
                               boolean timeStamped, String propertyInfo, String sealStatus, List<String> reasons) {
    }

    /** The signing certificate, as people read it. */
    public record Signer(String name, String subject, String issuer, String serialNumber,
                         Instant notBefore, Instant notAfter) {
    }

    /** The seal behind an agency signature: its name and the agency with its Unified Social Credit Code. */
    public record Seal(String name, String agency, String agencyCode) {
    }

    /**
     * Which bytes the signature covers: the two ranges of /ByteRange, and what the file holds after them
     * (later revisions: further signatures, validation data, or changes).
     */
    public record Coverage(long[] byteRange, long signedBytes, long revisionEnd, boolean coversWholeDocument,
                           long bytesAppendedAfter) {
    }

    /**
     * A difference between the signed revision and the document as it is now; a visible change carries the page as
     * signed and as it is now ({@code pictures}, else null).
     */
    public record Change(String kind, Integer page, boolean allowed, String description, Pictures pictures) {

        public Change(String kind, Integer page, boolean allowed, String description) {
            this(kind, page, allowed, description, null);
        }
    }

    /**
     * A page as it was signed and as it is now, as small PNG pictures with the changed regions outlined in red, so a
     * clerk sees what was sealed; either is null when the page does not exist on that side.
     */
    public record Pictures(byte[] signedPng, byte[] nowPng) {
    }
}
