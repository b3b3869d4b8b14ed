-- A stamped PDF or OFD kept for an Idempotency-Key is compressed already; PostgreSQL's default storage tried pglz
-- on it for nothing (~1 ms of database CPU per 100 KB document, the table no smaller: licence-service V94).
ALTER TABLE stamp_idempotency ALTER COLUMN result SET STORAGE EXTERNAL;
