-- Pulling dossiers filed on the national portal (Cổng DVC quốc gia) into reception, and the parts of
-- the local national portal (dev, demo, tests) that serve them.

-- Where the pull stands: one row. `since` is the NgayNopHoSo of the newest record taken so far and
-- `codes_at_since` the MaHoSo of the records taken at exactly that instant; the next pull asks from
-- `since` (inclusive) and skips those codes, so neither a page boundary nor a second-precision tie loses a record.
create table dvcqg_pull_state (
  id             smallint primary key default 1 check (id = 1),
  since          timestamptz,
  codes_at_since text[] not null default '{}',
  last_run_at    timestamptz,
  last_ok_at     timestamptz,
  -- Why the last run stopped early (portal unreachable, refused …); null after a complete run.
  last_error     text,
  -- Counts of the last complete run.
  last_created   int not null default 0,
  last_existing  int not null default 0,
  last_rejected  int not null default 0
);

-- Records that could not become a dossier (unknown procedure or agency, missing component, a code that
-- is not a dossier code …), one row per MaHoSo, with the reason in Vietnamese; shown to admins.
create table dvcqg_pull_rejects (
  id             uuid primary key default gen_random_uuid(),
  ma_ho_so       text not null unique,
  ma_tthc        text,
  reason         text not null,
  record         jsonb not null,
  first_seen_at  timestamptz not null default now(),
  last_seen_at   timestamptz not null default now(),
  seen           int not null default 1
);
create index dvcqg_pull_rejects_seen_idx on dvcqg_pull_rejects (last_seen_at desc, id desc);

-- Local portal: session tokens it issued (LayMaXacThuc), by SHA-256 of the token.
create table dvcqg_local_sessions (
  token_sha256   text primary key,
  issued_at      timestamptz not null default now(),
  expires_at     timestamptz not null
);
create index dvcqg_local_sessions_expiry_idx on dvcqg_local_sessions (expires_at);

-- Local portal: dossiers "filed on the national portal" (the test-filing route), served by its list endpoint.
create table dvcqg_local_filed (
  ma_ho_so       text primary key,
  -- NgayNopHoSo (second precision): the list endpoint's order and filter.
  filed_at       timestamptz not null,
  record         jsonb not null,
  created_by     text not null
);
create index dvcqg_local_filed_at_idx on dvcqg_local_filed (filed_at, ma_ho_so);

-- Local portal: the files of those dossiers, served by its download endpoint.
create table dvcqg_local_files (
  id             uuid primary key default gen_random_uuid(),
  ma_ho_so       text not null references dvcqg_local_filed(ma_ho_so),
  name           text not null,
  media_type     text not null,
  content        bytea not null
);
create index dvcqg_local_files_code_idx on dvcqg_local_files (ma_ho_so);

-- Local portal: what it served (tokens, list pages, files), with the answer given.
create table dvcqg_local_served (
  id             uuid primary key default gen_random_uuid(),
  served_at      timestamptz not null default now(),
  endpoint       text not null check (endpoint in ('token', 'list', 'file')),
  error_code     int not null,
  message        text not null,
  -- What was asked and what went out (page, codes, file id), never the token itself.
  detail         jsonb not null default '{}'
);
create index dvcqg_local_served_at_idx on dvcqg_local_served (served_at desc, id desc);
