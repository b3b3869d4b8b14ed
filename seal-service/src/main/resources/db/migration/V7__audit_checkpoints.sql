-- Checkpoints of the audit hash chain, signed with the service's audit key: rewriting the chain from some entry on
-- (and recomputing every later hash) would need that key.
CREATE TABLE audit_checkpoint (
    id          bigserial PRIMARY KEY,
    up_to       bigint      NOT NULL,
    hash        bytea       NOT NULL,
    at          timestamptz NOT NULL,
    signature   bytea       NOT NULL,
    certificate bytea       NOT NULL
);
