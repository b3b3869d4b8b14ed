-- Idempotency-Key: a retried stamp request returns the first answer and creates no second record.
CREATE TABLE stamp_idempotency (
    caller         text        NOT NULL,
    key            text        NOT NULL,
    request_sha256 char(64)    NOT NULL,
    stamp_id       uuid        NOT NULL REFERENCES stamp_record (id),
    result         bytea       NOT NULL,
    requested_level text       NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (caller, key)
);
