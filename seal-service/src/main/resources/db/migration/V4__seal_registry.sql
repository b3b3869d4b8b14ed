-- The seal registry: every seal this service may stamp with, its look, its key and certificate, its lifecycle,
-- and which approval-system clients may use it with which levels and options.
CREATE TABLE seal (
    id                text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name              text        NOT NULL,
    agency            text        NOT NULL,
    agency_code       char(18)    NOT NULL,
    kind              text        NOT NULL,
    image             bytea       NOT NULL,
    image_type        text        NOT NULL CHECK (image_type IN ('image/png', 'image/svg+xml')),
    stamp_png         bytea       NOT NULL,
    width_mm          numeric     NOT NULL CHECK (width_mm > 0),
    height_mm         numeric     NOT NULL CHECK (height_mm > 0),
    -- where the key is: an alias in the service's key store, or (imported sample seals) a PKCS#12 file
    key_alias         text,
    key_file          text,
    certificate       bytea       NOT NULL,
    chain_pem         text        NOT NULL,
    ca_issuer         text,
    ca_serial         text        NOT NULL,
    valid_from        timestamptz NOT NULL,
    valid_until       timestamptz NOT NULL,
    status            text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'REVOKED', 'EXPIRED')),
    status_reason     text,
    status_changed_at timestamptz NOT NULL,
    default_level     text        NOT NULL CHECK (default_level IN ('B_B', 'B_T', 'B_LT', 'B_LTA')),
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL,
    CHECK ((key_alias IS NULL) <> (key_file IS NULL))
);

-- Which clients may stamp with a seal, at which levels, with which options.
CREATE TABLE seal_user (
    seal_id    text    NOT NULL REFERENCES seal (id),
    client_id  text    NOT NULL,
    levels     text[]  NOT NULL,
    may_certify    boolean NOT NULL DEFAULT false,
    may_cross_page boolean NOT NULL DEFAULT false,
    PRIMARY KEY (seal_id, client_id)
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
