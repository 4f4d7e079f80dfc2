-- The audit chain's hash with PostgreSQL's built-in sha256() instead of pgcrypto's digest(): the same
-- SHA-256 of the same UTF-8 bytes (so existing chains verify unchanged), without going through the
-- pgcrypto extension, whose digest() in the embedded engine (PGlite) was seen failing now and then
-- ("audit_append" errors answering 500 to logins and uploads under load).
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
  h := encode(sha256(convert_to(body_before || '"' || prev || '"' || body_after, 'UTF8')), 'hex');
  insert into audit_log (at, actor_id, actor_label, action, target_type, target_id, source_ip, request_id, details, prev_hash, hash)
  values (p_at, p_actor_id, p_actor_label, p_action, p_target_type, p_target_id, p_source_ip, p_request_id, p_details, prev, h);
  return h;
end $$;
