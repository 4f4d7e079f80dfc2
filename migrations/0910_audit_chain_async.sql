-- The audit chain is linked after commit instead of inside each writer's transaction (docs/adr/0011).
--
-- Before: audit_append() took one global advisory lock, read the last hash and inserted the chained row;
-- the lock was held until the writer's COMMIT, so every audited write in the system queued behind the
-- previous one's commit (its WAL flush and a turn of the application's event loop).
-- Now: audit_append() inserts the row unchained (prev_hash, hash, chain_pos null), taking no lock; a
-- chainer (chainAuditLog() in the application, under the same lock, one at a time) links the committed
-- rows it finds, oldest seq first, giving each its place in the chain (chain_pos) and its hashes. A row
-- whose writer committed late is linked after the rows chained before it: the chain's order is
-- chain_pos, which only the chainer assigns.

alter table audit_log alter column prev_hash drop not null;
alter table audit_log alter column hash drop not null;
alter table audit_log add column chain_pos bigint unique;

-- The chain so far keeps its order (seq).
alter table audit_log disable trigger audit_log_no_update;
update audit_log set chain_pos = seq;
alter table audit_log enable trigger audit_log_no_update;

create index audit_log_unchained_idx on audit_log (seq) where chain_pos is null;

-- Still append-only: the one change allowed is linking an unchained row (setting chain_pos, prev_hash and
-- hash once), its content untouched. Deleting, or changing a linked row, raises as before.
create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.chain_pos is null and old.hash is null and old.prev_hash is null
     and new.chain_pos is not null and new.hash is not null and new.prev_hash is not null
     and (new.seq, new.at, new.actor_id, new.actor_label, new.action, new.target_type, new.target_id,
          new.source_ip, new.request_id, new.details)
         is not distinct from
         (old.seq, old.at, old.actor_id, old.actor_label, old.action, old.target_type, old.target_id,
          old.source_ip, old.request_id, old.details) then
    return new;
  end if;
  raise exception 'audit_log is append-only';
end $$;

-- Same signature as before (callers unchanged); lock_key, body_before and body_after are no longer used:
-- the chainer computes the hash from the stored row, as verification does.
create or replace function audit_append(
  lock_key bigint, p_at timestamptz, p_actor_id uuid, p_actor_label text, p_action text, p_target_type text,
  p_target_id text, p_source_ip text, p_request_id text, p_details jsonb, body_before text, body_after text
) returns text language sql as $$
  insert into audit_log (at, actor_id, actor_label, action, target_type, target_id, source_ip, request_id, details)
  values (p_at, p_actor_id, p_actor_label, p_action, p_target_type, p_target_id, p_source_ip, p_request_id, p_details)
  returning null::text;
$$;
