package cn.yinxin.core;

/**
 * The stable kinds of refusal that cross the HTTP edge as RFC 9457 problem documents. The slug is part of the
 * public API: clients switch on {@code urn:yinxin:problem:<slug>}, so a slug is never renamed.
 */
public enum Problem {
    EMPTY_BODY("empty-body", "The request has no document", 400),
    NOT_A_PDF("not-a-pdf", "The document is not a PDF", 415),
    TRUNCATED_PDF("truncated-pdf", "The PDF is truncated", 422),
    DAMAGED_PDF("damaged-pdf", "The PDF cannot be read", 422),
    DUPLICATE_OBJECTS("duplicate-objects", "The PDF defines an object twice in one revision", 422),
    TOO_MANY_PAGES("too-many-pages", "The PDF has more pages than allowed", 413),
    TOO_MANY_OBJECTS("too-many-objects", "The PDF has more objects than allowed", 413),
    ENCRYPTED_PDF("encrypted-pdf", "The PDF is encrypted", 422),
    /** Not a ZIP package with an OFD.xml entry (GB/T 33190 section 7.2: the entry file's name is fixed). */
    NOT_AN_OFD("not-an-ofd", "The document is not an OFD package", 415),
    /** An OFD whose XML cannot be read, or whose paths lead to entries the package does not hold. */
    DAMAGED_OFD("damaged-ofd", "The OFD cannot be read", 422),
    /** An entry name or a path in the XML that is absolute on disk, climbs out of the package (../) or is malformed. */
    OFD_UNSAFE_PATH("ofd-unsafe-path", "The OFD names a path outside its package", 422),
    /** Two ZIP entries with the same name: readers would disagree on which one counts. */
    OFD_DUPLICATE_ENTRY("ofd-duplicate-entry", "The OFD holds an entry twice", 422),
    /** An XML part with a document type declaration (DTD, external entities): refused before any entity is read. */
    OFD_XML_DOCTYPE("ofd-xml-doctype", "The OFD's XML declares a document type", 422),
    /** More entries, inflated bytes, compression ratio, pages or page size than the OfdLimits allow. */
    OFD_TOO_LARGE("ofd-too-large", "The OFD is larger than allowed", 413),
    /** A seal of the OFD protects Signatures.xml (GB/T 38540 closed signing): a further seal would break it. */
    OFD_SIGNING_CLOSED("ofd-signing-closed", "A seal of the OFD allows no further seal", 422),
    /** A photo or scan in which no QR code could be read, however turned, scaled or thresholded. */
    NO_QR_CODE("no-qr-code", "No QR code was found in the image", 422),
    /** A photo showing more than one different signed code: which one the caller means cannot be told. */
    QR_CODES_AMBIGUOUS("qr-codes-ambiguous", "The image shows more than one signed code", 422),
    /** A picture whose header says it has more pixels than allowed: refused before any pixel is decoded. */
    IMAGE_TOO_LARGE("image-too-large", "The image has more pixels than allowed", 413),
    UNREADABLE_IMAGE("unreadable-image", "The image cannot be decoded", 422),
    NOT_AN_IMAGE("not-an-image", "The upload is not a PNG or JPEG image", 415),
    ALREADY_SIGNED("already-signed", "Only an unsigned document can be certified", 422),
    CERTIFIED_NO_CHANGES("certified-no-changes", "The PDF is certified with no changes allowed", 422),
    PAGE_OUT_OF_RANGE("page-out-of-range", "The page does not exist in the document", 422),
    ANCHOR_NOT_FOUND("anchor-not-found", "The anchor text is not in the document", 422),
    PLACEMENT_OUTSIDE_PAGE("placement-outside-page", "The seal would not lie on the page", 422),
    UNKNOWN_SEAL("unknown-seal", "No such seal", 404),
    SEAL_NOT_USABLE("seal-not-usable", "The seal cannot be used now", 409),
    SEAL_NOT_PERMITTED("seal-not-permitted", "This client may not use the seal this way", 403),
    SEAL_EXISTS("seal-exists", "A seal with this id exists already", 409),
    INVALID_SEAL_IMAGE("invalid-seal-image", "The seal image is not acceptable", 422),
    /** An SVG seal image that takes longer to draw (or more memory) than the seal service allows: stopped, not stored. */
    SEAL_IMAGE_TOO_COMPLEX("seal-image-too-complex", "The seal image takes too long to draw", 422),
    /** As many SVG seal images as the seal service draws at once are being drawn. */
    SEAL_IMAGES_BUSY("seal-images-busy", "Other seal images are being drawn; try again shortly", 503),
    SEAL_STATUS_CONFLICT("seal-status-conflict", "The seal's status does not allow this change", 409),
    CA_UNAVAILABLE("ca-unavailable", "The certificate authority cannot be reached or refused", 502),
    PAYLOAD_TOO_LARGE("payload-too-large", "The document is larger than allowed", 413),
    RATE_LIMITED("rate-limited", "Too many requests from this address; try again later", 429),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "The Idempotency-Key was used for another request", 422),
    IDEMPOTENCY_KEY_IN_USE("idempotency-key-in-use", "A request with this Idempotency-Key is still running", 409),
    LEVEL_UNAVAILABLE("level-unavailable", "The signature level asked for cannot be reached now", 503),
    INVALID_REQUEST("invalid-request", "The request is not valid", 400),
    BAD_CSR("bad-csr", "The certificate signing request is not valid", 400),
    WEAK_KEY("weak-key", "The key is too weak", 400),
    UNSUPPORTED_ALGORITHM("unsupported-algorithm", "The algorithm is not supported", 400),
    INVALID_SUBJECT("invalid-subject", "The subject does not fit the certificate profile", 422),
    VALIDITY_TOO_LONG("validity-too-long", "The validity asked for exceeds what the profile allows", 422),
    UNKNOWN_CA("unknown-ca", "No such certificate authority", 404),
    UNKNOWN_CERTIFICATE("unknown-certificate", "No such certificate", 404),
    ALREADY_REVOKED("already-revoked", "The certificate is already revoked", 409),
    NOT_ON_HOLD("not-on-hold", "The certificate is not suspended", 409),
    SEAL_MAKER_UNAVAILABLE("seal-maker-unavailable", "The seal-making authority has no SM2 key", 503),
    INVALID_SEAL_INFO("invalid-seal-info", "The GB/T 38540 seal information cannot be signed", 422),
    KEY_EXISTS("key-exists", "A key with this name exists already", 409),
    SEAL_SERVICE_UNAVAILABLE("seal-service-unavailable", "The seal service cannot be reached or refused", 502),
    UNKNOWN_LICENCE_TYPE("unknown-licence-type", "No such licence type", 404),
    UNKNOWN_LICENCE("unknown-licence", "No such licence", 404),
    /** The licence exists, but its type did not issue it in the file asked for (a PDF-only type's OFD, say). */
    LICENCE_FILE_NOT_ISSUED("licence-file-not-issued", "The licence was not issued in this format", 404),
    INVALID_LICENCE_FIELDS("invalid-licence-fields", "The licence's fields do not fit its type", 422),
    INVALID_HOLDER("invalid-holder", "The holder's name or number is not valid", 422),
    LICENCE_EXISTS("licence-exists", "A different licence with this physical number exists already", 409),
    LICENCE_STATUS_CONFLICT("licence-status-conflict", "The licence's status does not allow this change", 409),
    LICENCE_TYPE_EXISTS("licence-type-exists", "A licence type with this code exists already", 409),
    INVALID_LICENCE_IDENTIFIER("invalid-licence-identifier", "The licence identifier is not valid", 400),
    NOT_FOUND("not-found", "No such resource", 404),
    QR_INVALID("qr-invalid", "The QR code is not a signed code that can be read", 422),
    QR_SIGNATURE_INVALID("qr-signature-invalid", "The QR code's signature is not valid", 422),
    UNKNOWN_QR_SIGNER("unknown-qr-signer", "The QR code was signed by no known signer", 422),
    QR_EXPIRED("qr-expired", "The QR code has expired", 422),
    QR_NOT_YET_VALID("qr-not-yet-valid", "The QR code is not valid yet", 422),
    NOT_SIGNED_IN("not-signed-in", "Sign in first", 401),
    TOKEN_INVALID("token-invalid", "The access token is not valid", 401),
    ACCESS_DENIED("access-denied", "This caller may not do this", 403),
    /** A licence issuer or seal administrator acting on another office's licence type, licence or seal. */
    OUTSIDE_OFFICE("outside-office", "This belongs to another office than the caller's", 403),
    CONSENT_REFUSED("consent-refused", "No valid consent covers this use", 403),
    /** A use of a holder's personal data without a valid 用证事由 (purpose text and case or approval-item number). */
    PURPOSE_INVALID("purpose-invalid", "The use of personal data needs a purpose (用证事由) and a case number", 400),
    /** An officer has had more holders' personal data disclosed in the last window than allowed. */
    DISCLOSURE_LIMIT("disclosure-limit", "Too many disclosures of personal data by this officer; try again later", 429),
    NO_PERSONAL_SIGNATURE("no-personal-signature", "You have no personal e-signature", 404),
    PERSONAL_SIGNATURE_EXISTS("personal-signature-exists", "You have a personal e-signature already", 409),
    SIGNATURE_CANCELLED("signature-cancelled", "The personal e-signature is cancelled", 409),
    UNKNOWN_CAPTURE("unknown-capture", "No such signature capture", 404),
    CAPTURE_EXPIRED("capture-expired", "The signature capture has expired", 410),
    CAPTURE_NOT_YOURS("capture-not-yours", "The signature capture belongs to someone else", 403),
    CAPTURE_FOR_ANOTHER_DOCUMENT("capture-for-another-document", "The signature was captured for another document", 409),
    CAPTURE_STATE_CONFLICT("capture-state-conflict", "The signature capture cannot be used this way now", 409),
    EMPTY_SIGNATURE("empty-signature", "Nothing was drawn", 422),
    SIGNATURE_FIELD_NOT_FOUND("signature-field-not-found", "The document has no empty signature field of that name", 422),
    SIGNING_NOT_PERMITTED("signing-not-permitted", "This caller may not have this kind of code or token signed", 403),
    ENROLMENT_NOT_PERMITTED("enrolment-not-permitted", "This caller may not have this certificate issued or changed", 403),
    VERIFICATION_TIMEOUT("verification-timeout", "The verification took longer than this verifier allows", 503),
    INTERNAL("internal", "Something went wrong on our side", 500);

    public static final String TYPE_PREFIX = "urn:yinxin:problem:";

    private final String slug;
    private final String title;
    private final int status;

    Problem(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String type() {
        return TYPE_PREFIX + slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }
}
