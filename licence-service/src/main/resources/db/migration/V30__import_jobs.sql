-- Bulk conversion of existing licences (存量证照电子化): a CSV or JSON Lines file becomes one job of rows. Each row
-- is issued on its own by the workers of any licence-service process, claimed with FOR UPDATE SKIP LOCKED and
-- leased (a row CLAIMED by a worker that stopped is claimed again once claimed_at is older than the lease).
-- A row is marked DONE in the transaction that stores its licence: a crash leaves it CLAIMED, never half done.
CREATE TABLE import_job (
    id          uuid PRIMARY KEY,
    type_code   char(21)    NOT NULL REFERENCES licence_type (code),
    format      text        NOT NULL CHECK (format IN ('CSV', 'JSONL')),
    header      text,
    status      text        NOT NULL CHECK (status IN ('RUNNING', 'FINISHED')),
    total       integer     NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    finished_at timestamptz
);

CREATE TABLE import_row (
    job_id             uuid        NOT NULL REFERENCES import_job (id),
    line_no            integer     NOT NULL,
    raw                text        NOT NULL,
    state              text        NOT NULL CHECK (state IN ('PENDING', 'CLAIMED', 'DONE', 'FAILED')),
    attempts           integer     NOT NULL DEFAULT 0,
    error              text,
    licence_identifier text,
    claimed_by         text,
    claimed_at         timestamptz,
    finished_at        timestamptz,
    PRIMARY KEY (job_id, line_no)
);
CREATE INDEX import_row_open ON import_row (claimed_at) WHERE state IN ('PENDING', 'CLAIMED');
CREATE INDEX import_row_by_licence ON import_row (licence_identifier);
