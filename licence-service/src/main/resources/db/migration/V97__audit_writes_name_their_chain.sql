-- An instance of a version from before the audit log had several chains, still running beside upgraded ones, would
-- append to chain 0 after another chain's newest entry and sign that hash alone as a checkpoint: the log BROKEN for
-- good. Appends must now name their chain, and checkpoints how many chains' last hashes they sign, so that such an
-- instance's writes fail (its requests fail) and the log stays whole until it is upgraded too.
ALTER TABLE audit_event ALTER COLUMN chain DROP DEFAULT;
ALTER TABLE audit_checkpoint ADD COLUMN chains smallint NOT NULL DEFAULT 1 CHECK (chains BETWEEN 1 AND 64);
ALTER TABLE audit_checkpoint ALTER COLUMN chains DROP DEFAULT;
