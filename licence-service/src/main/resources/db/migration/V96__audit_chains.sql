-- The audit log in several hash chains (service-common AuditLog, core AuditChain): an append takes whichever chain
-- is free, so that writers no longer queue behind each other's commits on one lock. Every entry so far is in chain 0,
-- whose entries hash as before; a checkpoint signs every chain's last hash together.
ALTER TABLE audit_event ADD COLUMN chain smallint NOT NULL DEFAULT 0 CHECK (chain BETWEEN 0 AND 63);
-- each append reads its chain's last hash, and each checkpoint every chain's
CREATE INDEX audit_event_chain_head ON audit_event (chain, id) WHERE hash IS NOT NULL;
