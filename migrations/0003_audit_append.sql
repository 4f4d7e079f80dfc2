-- One round trip to append to the audit chain. Writers queue on one advisory lock held until their
-- transaction ends; doing the lock, the read of the last hash and the insert in one call keeps that
-- hold short (no network round trips to the application while holding it).
--
-- The caller sends the row's canonical JSON split around the previous hash (`body_before` + "prevHash"
-- value + `body_after`), so the hash computed here is the same SHA-256 that verifyAuditChain() recomputes
-- in the application. Each statement of a plpgsql function takes a fresh snapshot (READ COMMITTED), so
-- the last hash is read after the lock is granted and sees the previous holder's row.
create or replace function audit_append(
  lock_key bigint, p_at timestamptz, p_actor_id uuid, p_actor_label text, p_action text, p_target_type text,
  p_target_id text, p_source_ip text, p_request_id text, p_details jsonb, body_before text, body_after text
) returns text language plpgsql as $$
declare
  prev text;
  h text;
begin
  perform pg_advisory_xact_lock(lock_key);
  select hash into prev from audit_log order by seq desc limit 1;
  prev := coalesce(prev, repeat('0', 64));
  h := encode(digest(body_before || '"' || prev || '"' || body_after, 'sha256'), 'hex');
  insert into audit_log (at, actor_id, actor_label, action, target_type, target_id, source_ip, request_id, details, prev_hash, hash)
  values (p_at, p_actor_id, p_actor_label, p_action, p_target_type, p_target_id, p_source_ip, p_request_id, p_details, prev, h);
  return h;
end $$;
