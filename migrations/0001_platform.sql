-- Platform foundation: extensions, the Vietnamese search helper, the audit log, idempotency records.
create extension if not exists pg_trgm;
create extension if not exists unaccent;
create extension if not exists pgcrypto;

-- unaccent() is STABLE (it depends on a dictionary), so it cannot back an index; this wrapper pins the
-- dictionary and lowers text. 'đ/Đ' has no Unicode decomposition, hence the explicit translate().
create or replace function vn_fold(t text) returns text
  language sql immutable parallel safe
  as $$ select lower(public.unaccent('public.unaccent'::regdictionary, translate(coalesce(t, ''), 'đĐ', 'dD'))) $$;

-- Append-only, hash-chained audit log. Each row's hash covers its content and the previous row's hash.
create table audit_log (
  seq         bigserial primary key,
  at          timestamptz not null default now(),
  actor_id    uuid,
  actor_label text not null,
  action      text not null,
  target_type text not null,
  target_id   text,
  source_ip   text,
  request_id  text,
  details     jsonb not null default '{}'::jsonb,
  prev_hash   text not null,
  hash        text not null unique
);
create index audit_log_target_idx on audit_log (target_type, target_id, seq);
create index audit_log_actor_idx on audit_log (actor_id, seq);

-- Rows may be added, never changed or removed (tampering must go around the database to succeed,
-- and `npm run audit:verify` then finds it).
create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();

-- Idempotency-Key records: a retried write returns the first answer instead of acting twice.
create table idempotency_keys (
  key          text not null,
  scope        text not null,          -- account id or 'anonymous:<ip>' so keys of different callers never clash
  method       text not null,
  path         text not null,
  request_hash text not null,
  status_code  int,
  response     jsonb,
  created_at   timestamptz not null default now(),
  primary key (scope, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
