-- Idempotency-Keys are scoped by the authenticated caller (client and subject, as the audit log names them:
-- StampService.idempotencyScope), no longer by the network address: a retry from another address gets the first
-- answer, another client with the same key never does. Keys stored before this change carry the address and are
-- simply not found again (a retry comes within minutes; the worst case is one more stamp, as before).
COMMENT ON COLUMN stamp_idempotency.caller IS 'the authenticated client/subject the key belongs to (Caller.auditName), not an address';
