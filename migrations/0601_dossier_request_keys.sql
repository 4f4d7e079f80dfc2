-- The Idempotency-Key of the request that created or submitted a dossier, so that a retry after the
-- server died mid-request (the answer was never sent, but the dossier may have been committed) finds
-- the dossier instead of filing it twice. Unique per account that made the request.
alter table dossiers add column request_key text;
create unique index dossiers_request_key_idx on dossiers (created_by_account_id, request_key) where request_key is not null;
