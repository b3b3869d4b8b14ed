-- The CAs this service runs (root, seal-ca, personal-ca), registered from the key store.
CREATE TABLE authority (
    name          text PRIMARY KEY,
    certificate   bytea       NOT NULL,
    registered_at timestamptz NOT NULL
);

-- Every certificate the CAs issued. Serial numbers are lowercase hex, unique per issuer.
CREATE TABLE certificate (
    issuer     text        NOT NULL REFERENCES authority (name),
    serial     text        NOT NULL,
    profile    text        NOT NULL,
    subject    text        NOT NULL,
    not_before timestamptz NOT NULL,
    not_after  timestamptz NOT NULL,
    der        bytea       NOT NULL,
    key_alias  text,
    status     text        NOT NULL DEFAULT 'GOOD' CHECK (status IN ('GOOD', 'REVOKED', 'ON_HOLD')),
    revoked_at timestamptz,
    reason     integer,
    issued_at  timestamptz NOT NULL,
    PRIMARY KEY (issuer, serial),
    CHECK ((status = 'GOOD') = (revoked_at IS NULL))
);

-- Every CRL published; the newest per issuer is served.
CREATE TABLE crl (
    issuer      text        NOT NULL REFERENCES authority (name),
    number      bigint      NOT NULL,
    this_update timestamptz NOT NULL,
    next_update timestamptz NOT NULL,
    der         bytea       NOT NULL,
    PRIMARY KEY (issuer, number)
);
CREATE SEQUENCE crl_number;

-- RFC 3161 serial numbers: unique across restarts.
CREATE SEQUENCE tsa_serial;

-- Who did what and when; written in the same transaction as the change.
CREATE TABLE audit_event (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text        NOT NULL,
    action  text        NOT NULL,
    subject text,
    details text
);

-- External CAs recognised by this platform (mutual recognition), and the signed lists published from them.
CREATE TABLE trusted_ca (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    certificate bytea       NOT NULL,
    sha256      text        NOT NULL,
    trusted_for text[]      NOT NULL,
    valid_from  timestamptz NOT NULL,
    valid_until timestamptz NOT NULL,
    added_by    text        NOT NULL,
    added_at    timestamptz NOT NULL,
    removed_by  text,
    removed_at  timestamptz
);
CREATE UNIQUE INDEX trusted_ca_active ON trusted_ca (sha256) WHERE removed_at IS NULL;

CREATE TABLE trust_list (
    sequence    bigint PRIMARY KEY,
    issued_at   timestamptz NOT NULL,
    next_update timestamptz NOT NULL,
    document    text        NOT NULL
);
