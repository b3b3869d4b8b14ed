-- Holder pages and sharing (用证). Version 3: version 2 is left to the bulk import work.

-- Presentation tokens (亮证) already checked once: a second scan of the same token id is a replay. Rows are
-- purged once the token has expired (it is refused as expired from then on anyway).
CREATE TABLE presentation_use (
    cti         text        PRIMARY KEY,
    identifier  text        NOT NULL,
    used_at     timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX presentation_use_by_expiry ON presentation_use (expires_at);

-- A holder's consent: this office may obtain these fields of this licence for this purpose until expires_at.
CREATE TABLE consent (
    id           uuid PRIMARY KEY,
    licence_id   uuid        NOT NULL REFERENCES licence (id),
    identifier   text        NOT NULL,
    holder_number text       NOT NULL,
    office_name  text        NOT NULL,
    office_code  char(18)    NOT NULL,
    purpose      text        NOT NULL,
    fields       text        NOT NULL,
    granted_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    status       text        NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    revoked_at   timestamptz
);
CREATE INDEX consent_by_holder ON consent (holder_number);

-- Every use of a licence by another office: who, when, for what, what was given.
CREATE TABLE licence_use (
    id           bigserial PRIMARY KEY,
    consent_id   uuid        NOT NULL REFERENCES consent (id),
    identifier   text        NOT NULL,
    holder_number text       NOT NULL,
    office_name  text        NOT NULL,
    office_code  char(18)    NOT NULL,
    purpose      text        NOT NULL,
    given        text        NOT NULL,
    copy_expires_at timestamptz,
    used_at      timestamptz NOT NULL
);
CREATE INDEX licence_use_by_holder ON licence_use (holder_number, id);
