-- National public-service portal sync (Cổng Dịch vụ công quốc gia, DVCQG).
--
-- dvcqg_sync: per dossier, what the province last pushed and how the last attempt went. The worker
-- writes it after each attempt; a push whose action is older than last_seq_sent is skipped, so the
-- portal never receives an older state after a newer one.
create table dvcqg_sync (
  dossier_id        uuid primary key references dossiers(id),
  -- The dossier version (seq of its last action) whose state was last accepted by the portal.
  last_seq_sent     int,
  -- TrangThaiHoSo (spec §1.2, 1–10) of that state.
  last_status_sent  smallint check (last_status_sent between 1 and 10),
  last_attempt_at   timestamptz,
  last_ok_at        timestamptz,
  -- Why the last attempt failed (HTTP status or the portal's error_code and message); null after a success.
  last_error        text,
  -- Attempts that failed since the last success.
  failures          int not null default 0
);

-- The local national portal (used when DVCQG_URL is unset: dev, demo, tests) records every payload it
-- is sent, accepted or refused, so one can see what the province sent.
create table dvcqg_local_received (
  id            uuid primary key default gen_random_uuid(),
  received_at   timestamptz not null default now(),
  -- The envelope's service (DongBoHoSoMC) and, per dossier in it, MaHoSo and TrangThaiHoSo when present.
  service       text,
  ma_ho_so      text,
  trang_thai    smallint,
  -- The answer given: 0 = accepted, otherwise the error code and message.
  error_code    int not null,
  message       text not null,
  payload       jsonb not null
);
create index dvcqg_local_received_code_idx on dvcqg_local_received (ma_ho_so, received_at desc);
create index dvcqg_local_received_at_idx on dvcqg_local_received (received_at desc, id desc);
