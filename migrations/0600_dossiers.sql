-- Dossiers (hồ sơ TTHC): the append-only action log of each dossier and the row derived from it.
--
-- Every change to a dossier is one row of dossier_actions (who, what, when, note, payload, files);
-- the dossiers row is the result of applying those actions in order (dossiers.state.ts) and is
-- written in the same transaction as the action, so the two never disagree and the row can be rebuilt.

-- Per-agency, per-day sequence of dossier codes (TT 01/2018 Art. 19: {agency code}-{YYMMDD}-{NNNN}).
-- Taking a number is one upsert that locks this row until the submitting transaction ends, so two
-- submissions can never read the same number; a rolled-back submission gives its number back.
create table dossier_code_counters (
  agency_id uuid not null references agencies(id),
  day       date not null,
  last      int not null check (last >= 1),
  primary key (agency_id, day)
);

create table dossiers (
  id                    uuid primary key,
  -- Null while a draft; unique once submitted.
  code                  text unique,
  procedure_id          uuid not null references procedures(id),
  procedure_version     int not null,
  -- The agency competent to resolve the dossier (its code starts the dossier code) and the one-stop desk
  -- that receives it (the provincial service centre for province-level procedures, the commune's own
  -- desk for commune-level ones). Scopes are their agency paths, copied so access checks need no join.
  agency_id             uuid not null references agencies(id),
  agency_scope          text not null,
  desk_agency_id        uuid not null references agencies(id),
  desk_scope            text not null,
  -- Internal state (richer than the national list) and the national public status code 1–10 (spec §1.2).
  state                 text not null check (state in ('draft', 'submitted', 'supplement_requested', 'received', 'refused', 'withdrawn')),
  public_status         smallint check (public_status between 1 and 10),
  -- KenhThucHien: 1 = trực tiếp (counter), 2 = trực tuyến (online), 3 = bưu chính công ích (post).
  channel               smallint not null check (channel in (1, 2, 3)),
  -- The account that owns the dossier (sees it in "my dossiers"); null for a walk-in applicant without one.
  owner_account_id      uuid references accounts(id),
  -- Who typed it in (the applicant online, the one-stop officer at the counter).
  created_by_account_id uuid references accounts(id),
  -- Applicant as declared on the form: { kind, name, idNumber, phone, email, address }.
  applicant             jsonb not null default '{}'::jsonb check (jsonb_typeof(applicant) = 'object'),
  applicant_name        text not null default '',
  -- Kept apart for the tracking lookup "code + last 4 digits of the ID number" (the phone is in applicant).
  applicant_id_last4    text,
  form                  jsonb not null default '{}'::jsonb check (jsonb_typeof(form) = 'object'),
  summary               text,
  result_delivery       text not null default 'online' check (result_delivery in ('online', 'counter', 'post')),
  notify_channel        text check (notify_channel in ('email', 'sms', 'zalo')),
  notify_to             text,
  -- Legal time: the clock (platform/calendar LegalClock as JSON) and the due date it gives.
  clock                 jsonb,
  due_at                timestamptz,
  processing_hours      int,
  current_step          text not null default 'Nộp hồ sơ',
  submitted_at          timestamptz,
  received_at           timestamptz,
  refused_at            timestamptz,
  -- The last supplement request still open (items and reason), for the applicant's page.
  open_supplement       jsonb,
  -- The receipt (Mẫu 01 PDF); Mẫu 02 and 03 are in dossier_files like every issued form.
  receipt_file_id       uuid references files(id),
  -- Number of actions applied; the next action takes seq = version + 1 (optimistic concurrency).
  version               int not null default 0,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  check ((state = 'draft') = (code is null)),
  check (code is null or code ~ '^[A-Za-z0-9.]+-[0-9]{6}-[0-9]{4,}$')
);
-- Reception queue: dossiers waiting at a desk, oldest first.
create index dossiers_desk_queue_idx on dossiers (desk_scope text_pattern_ops, state, submitted_at);
create index dossiers_agency_idx on dossiers (agency_scope text_pattern_ops, state);
create index dossiers_owner_idx on dossiers (owner_account_id, updated_at desc) where owner_account_id is not null;
create index dossiers_procedure_idx on dossiers (procedure_id);

create table dossier_actions (
  dossier_id        uuid not null references dossiers(id),
  seq               int not null check (seq >= 1),
  -- create_draft, update_draft, submit, receive, request_supplement, supplement, refuse, withdraw …
  action            text not null,
  at                timestamptz not null default now(),
  actor_account_id  uuid references accounts(id),
  actor_label       text not null,
  note              text,
  -- What the action changed (the reducer's input); no secrets.
  payload           jsonb not null default '{}'::jsonb,
  -- Files the action added (scans, supplements) or issued (Mẫu 01/02/03 PDFs).
  file_ids          uuid[] not null default '{}',
  primary key (dossier_id, seq)
);

create or replace function dossier_actions_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'dossier_actions is append-only';
end $$;
create trigger dossier_actions_no_update before update or delete on dossier_actions
  for each row execute function dossier_actions_append_only();

-- The files of a dossier by component; a file added by one action stays listed (superseded files are
-- marked, not removed, so the timeline keeps what was submitted when).
create table dossier_files (
  dossier_id     uuid not null references dossiers(id),
  file_id        uuid not null references files(id),
  -- A component key of the procedure version, or '_issued' for forms the office issued.
  component_key  text not null,
  added_seq      int not null,
  -- true = taken from the applicant's e-data store (not uploaded again).
  reused         boolean not null default false,
  superseded     boolean not null default false,
  primary key (dossier_id, file_id)
);
create index dossier_files_dossier_idx on dossier_files (dossier_id, component_key);
