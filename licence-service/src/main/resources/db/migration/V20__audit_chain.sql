-- The audit log becomes a hash chain (service-common AuditChain): each entry's hash covers its content and the
-- previous entry's hash. Entries written before this migration stay outside the chain.
ALTER TABLE audit_event ADD COLUMN prev_hash bytea;
ALTER TABLE audit_event ADD COLUMN hash bytea;
-- append-only for the service itself: no UPDATE or DELETE is ever issued; the chain shows anyone else's
