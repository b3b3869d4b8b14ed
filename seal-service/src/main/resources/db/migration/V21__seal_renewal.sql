-- A seal's earlier certificates, kept when it is renewed with a new key and certificate: QR codes, status lists and
-- documents signed with them stay verifiable (verifiers fetch them with the current one). Their keys are destroyed
-- at renewal; the certificates are not revoked, so stamps made before the renewal keep their meaning.
CREATE TABLE seal_previous_certificate (
    seal_id     text        NOT NULL REFERENCES seal (id),
    ca_issuer   text,
    ca_serial   text        NOT NULL,
    certificate bytea       NOT NULL,
    chain_pem   text        NOT NULL,
    valid_from  timestamptz NOT NULL,
    valid_until timestamptz NOT NULL,
    -- where its key was: an alias in the key store (destroyed at renewal) or an imported PKCS#12 file
    key_alias   text,
    key_file    text,
    seseal      bytea,
    replaced_at timestamptz NOT NULL,
    PRIMARY KEY (seal_id, ca_serial)
);
