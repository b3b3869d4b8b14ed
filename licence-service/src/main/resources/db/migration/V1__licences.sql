-- Licence types: the code (defining authority's USCC + 3 digits), the fields (a JSON Schema), the layout of the
-- PDF, the seal that signs it, and how long a licence of the type is valid by default.
CREATE TABLE licence_type (
    code           char(21) PRIMARY KEY,
    name           text        NOT NULL,
    fields_schema  text        NOT NULL,
    template       text        NOT NULL,
    seal_id        text        NOT NULL,
    signature_level text       NOT NULL DEFAULT 'B_T',
    validity_years integer     CHECK (validity_years IS NULL OR validity_years BETWEEN 1 AND 100),
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL
);

-- Every licence version. A renewal or an amendment is a new row (version + 1) that replaces the previous one.
CREATE TABLE licence (
    id                uuid PRIMARY KEY,
    identifier        text        NOT NULL UNIQUE,
    type_code         char(21)    NOT NULL REFERENCES licence_type (code),
    issuer_code       char(18)    NOT NULL,
    issuer_name       text        NOT NULL,
    serial            text        NOT NULL,
    version           integer     NOT NULL CHECK (version BETWEEN 1 AND 999),
    holder_kind       text        NOT NULL CHECK (holder_kind IN ('PERSON', 'ORGANISATION')),
    holder_name       text        NOT NULL,
    holder_number     text        NOT NULL,
    fields            text        NOT NULL,
    physical_number   text        NOT NULL,
    approval_item     text,
    valid_from        date        NOT NULL,
    valid_until       date,
    status            text        NOT NULL CHECK (status IN ('VALID', 'SUSPENDED', 'REVOKED', 'CANCELLED', 'EXPIRED',
                                                             'SUPERSEDED')),
    status_reason     text,
    status_changed_at timestamptz NOT NULL,
    status_index      integer     NOT NULL,
    replaces          uuid REFERENCES licence (id),
    qr_text           text        NOT NULL,
    pdf               bytea       NOT NULL,
    issued_by         text        NOT NULL,
    issued_at         timestamptz NOT NULL,
    UNIQUE (type_code, physical_number, version),
    UNIQUE (issuer_code, type_code, status_index),
    UNIQUE (type_code, issuer_code, serial, version)
);
CREATE INDEX licence_by_holder ON licence (holder_number);

-- Counters per issuer and type: the next serial of each year, the next index in the status list.
CREATE TABLE licence_counter (
    issuer_code char(18) NOT NULL,
    type_code   char(21) NOT NULL,
    name        text     NOT NULL,
    next_value  bigint   NOT NULL,
    PRIMARY KEY (issuer_code, type_code, name)
);

-- Who did what and when; written in the same transaction as the change.
CREATE TABLE audit_event (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text        NOT NULL,
    action  text        NOT NULL,
    subject text,
    details text
);
CREATE INDEX audit_event_by_subject ON audit_event (subject, id);
