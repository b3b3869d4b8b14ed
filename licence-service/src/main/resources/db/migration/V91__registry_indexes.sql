-- Look-ups a registry of millions answers on every call must not read the whole licence table:
-- the public status check asks which version replaced a licence (WHERE replaces = ?): without an index a sequential
-- scan of every licence per call (seconds at 10 million, and anyone may call it);
CREATE INDEX licence_by_replaces ON licence (replaces) WHERE replaces IS NOT NULL;
-- the daily expiry asks for valid or suspended licences whose validity ended: only those still running are indexed.
CREATE INDEX licence_ending ON licence (valid_until) WHERE status IN ('VALID', 'SUSPENDED') AND valid_until IS NOT NULL;
