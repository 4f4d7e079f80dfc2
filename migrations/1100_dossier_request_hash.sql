-- The SHA-256 of the request that carried a dossier's Idempotency-Key (request_key): a retry with the same key
-- and the same request gets the dossier; the same key with another request is refused (422). Kept with the
-- dossier so the create route needs no separate idempotency_keys rows (two statements and two commits less).
alter table dossiers add column request_hash text;
