-- Personal e-signatures (issue 8): one person's signing key (in the seal service's key store) with a personal
-- certificate from the ca-service. A person has at most one ACTIVE signature; a cancelled one stays for the record.
CREATE TABLE personal_signature (
    id             uuid PRIMARY KEY,
    resident_id    char(18)    NOT NULL,
    name           text        NOT NULL,
    key_alias      text        NOT NULL,
    ca_issuer      text        NOT NULL,
    ca_serial      text        NOT NULL,
    subject        text        NOT NULL,
    chain_pem      text        NOT NULL,
    valid_from     timestamptz NOT NULL,
    valid_until    timestamptz NOT NULL,
    status         text        NOT NULL CHECK (status IN ('ACTIVE', 'CANCELLED')),
    created_at     timestamptz NOT NULL,
    cancelled_at   timestamptz
);
CREATE UNIQUE INDEX personal_signature_one_active ON personal_signature (resident_id) WHERE status = 'ACTIVE';

-- A signature pad session: bound to one person and one document (its SHA-256 and length); the pad posts the
-- strokes once, the person's signing uses them once. The id is the capability the pad's address carries.
CREATE TABLE signature_capture (
    id              text PRIMARY KEY,
    resident_id     char(18)    NOT NULL,
    document_sha256 char(64)    NOT NULL,
    document_length bigint      NOT NULL,
    document_name   text,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('OPEN', 'CAPTURED', 'USED')),
    capture_json    bytea,
    captured_at     timestamptz
);

-- Every use of a personal signature: what was signed (hashes, no document), with which capture, at which level.
CREATE TABLE personal_signature_use (
    id                      uuid PRIMARY KEY,
    signature_id            uuid        NOT NULL REFERENCES personal_signature (id),
    capture_id              text        NOT NULL REFERENCES signature_capture (id),
    document_sha256_before  char(64)    NOT NULL,
    document_sha256_after   char(64)    NOT NULL,
    signature_level         text        NOT NULL,
    page                    integer     NOT NULL,
    x_mm                    numeric     NOT NULL,
    y_mm                    numeric     NOT NULL,
    signed_at               timestamptz NOT NULL
);
CREATE INDEX personal_signature_use_by_signature ON personal_signature_use (signature_id, signed_at);
