-- One row per seal put on a document. The hashes tie a PDF to its record without keeping the PDF.
CREATE TABLE stamp_record (
    id                    uuid PRIMARY KEY,
    seal_id               text        NOT NULL,
    caller                text        NOT NULL,
    document_sha256_before char(64)   NOT NULL,
    document_sha256_after  char(64)   NOT NULL,
    signature_level       text        NOT NULL,
    page                  integer     NOT NULL CHECK (page >= 1),
    x_mm                  numeric     NOT NULL,
    y_mm                  numeric     NOT NULL,
    stamped_at            timestamptz NOT NULL
);

CREATE INDEX stamp_record_by_seal ON stamp_record (seal_id, stamped_at);
CREATE INDEX stamp_record_by_result ON stamp_record (document_sha256_after);
