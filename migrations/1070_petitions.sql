-- Petitions (phản ánh, kiến nghị — PAKN — về quy định hành chính; NĐ 20/2008/NĐ-CP Art. 5, 6, 9, 14; spec §10.1).
-- A citizen, a business or anyone with a name, address and contact petitions an agency about an administrative
-- regulation. The agency logs it in its PAKN register (sổ theo dõi: a sequential number per agency per year),
-- classifies it (rejected | forwarded within 05 working days | in competence), handles it and publishes the answer.
-- The row is derived from the append-only event log (petition_events), like field reports.

-- The province's settings (one row): handle_days = working days to answer a petition in competence (the
-- ministry-level implementing rules use 03/05/07/10; default 10).
create table petition_settings (
  id           boolean primary key default true check (id),
  handle_days  smallint not null default 10 check (handle_days between 1 and 60),
  forward_days smallint not null default 5 check (forward_days between 1 and 30),
  updated_at   timestamptz not null default now(),
  updated_by   uuid references accounts(id)
);
insert into petition_settings (id) values (true);

-- The PAKN register of each agency: the last number given in a year. Taken with an upsert inside the creating
-- transaction, so numbers are sequential and never duplicated, whatever the concurrency.
create table petition_registers (
  agency_id   uuid not null references agencies(id),
  year        smallint not null,
  last_number integer not null check (last_number > 0),
  primary key (agency_id, year)
);

create table petitions (
  id                  uuid primary key,
  agency_id           uuid not null references agencies(id),
  -- Scope path of the receiving agency: requireAccess() checks it.
  agency_scope        text not null,
  register_year       smallint not null,
  register_number     integer not null check (register_number > 0),
  -- Art. 5: (1) obstacles by officials, (2) unsuitable, (3) inconsistent, (4) unlawful, (5) contrary to treaties,
  -- (6) other, (7) proposed solution, (8) initiative for a new regulation.
  category            smallint not null check (category between 1 and 8),
  regulation          text not null check (length(regulation) between 1 and 500),
  content             text not null check (length(content) between 1 and 5000),
  proposal            text check (length(proposal) <= 5000),
  -- Text shown publicly (personal data removed by staff); null = a generated summary of the content.
  public_summary      text check (length(public_summary) <= 2000),
  attachment_ids      uuid[] not null default '{}',
  -- Art. 6: online (the portal), written document, telephone, opinion form (phiếu).
  channel             text not null check (channel in ('online', 'written', 'phone', 'form')),
  petitioner_account_id uuid references accounts(id),
  -- Name, address, phone, e-mail of the petitioner (NĐ 20 requires name, address and a contact): staff only.
  petitioner          jsonb not null,
  state               text not null check (state in
                        ('received', 'rejected', 'forwarded', 'accepted', 'in_progress', 'answered', 'closed')),
  received_at         timestamptz not null,
  received_by         uuid references accounts(id),
  forward_due_at      timestamptz not null,
  classified_at       timestamptz,
  reject_reason       text check (length(reject_reason) <= 2000),
  forwarded_at        timestamptz,
  forwarded_late      boolean,
  forward_agency_id   uuid references agencies(id),
  forward_agency_name text check (length(forward_agency_name) <= 300),
  -- The petition created at the receiving agency when it is on the platform.
  forwarded_to_id     uuid references petitions(id),
  forwarded_from_id   uuid references petitions(id),
  handler_account_id  uuid references accounts(id),
  handle_due_at       timestamptz,
  extended            boolean not null default false,
  answer_text         text check (length(answer_text) <= 8000),
  answer_file_id      uuid,
  answered_at         timestamptz,
  answered_late       boolean,
  closed_at           timestamptz,
  request_key         text,
  request_scope       text,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  unique (agency_id, register_year, register_number)
);
create unique index petitions_request_key_idx on petitions (request_scope, request_key) where request_key is not null;
create index petitions_agency_idx on petitions (agency_scope text_pattern_ops, state, received_at desc);
create index petitions_petitioner_idx on petitions (petitioner_account_id, created_at desc);
-- Public list: published answers, newest first.
create index petitions_public_idx on petitions (answered_at desc, id desc) where answered_at is not null;

create table petition_events (
  id          uuid primary key,
  petition_id uuid not null references petitions(id),
  seq         integer not null,
  action      text not null,
  from_state  text,
  to_state    text not null,
  actor_id    uuid references accounts(id),
  actor_kind  text not null check (actor_kind in ('citizen', 'staff', 'anonymous', 'system')),
  note        text check (length(note) <= 8000),
  -- Shown to the petitioner (internal assessment notes are not).
  visible     boolean not null default true,
  details     jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  unique (petition_id, seq)
);

update roles set permissions = array_append(permissions, 'petitions.handle')
 where code in ('motcua', 'chuyenvien', 'lanhdao') and not ('petitions.handle' = any(permissions));
