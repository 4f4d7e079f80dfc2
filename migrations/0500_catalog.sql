-- Procedure catalogue (danh mục thủ tục hành chính): procedures, their immutable published versions,
-- and the agencies that implement each one.
--
-- A procedure keeps its national code for life; its content (name, time, fees, dossier components,
-- application form, legal basis …) lives in numbered versions. Publishing writes version n+1 and moves
-- procedures.current_version; earlier versions are never changed, so a dossier pinned to
-- (procedure_id, version) always reads the rules it was received under.

-- Search folding for the catalogue: vn_fold() (lower case, no tone marks, đ → d), punctuation to single
-- spaces, and a word-final y after a consonant (and the word quy) → i, so the two accepted spellings
-- (ký/kí, lý/lí, mỹ/mĩ, quý/quí) and the common typo between them fold to the same text. Only there:
-- ay/ai and uy/ui are different vowels (thay ≠ thai, thủy ≠ thủi). Used for the stored search columns
-- and for the query.
create or replace function catalog_fold(t text) returns text
  language sql immutable parallel safe
  as $$ select btrim(regexp_replace(regexp_replace(regexp_replace(public.vn_fold(t), '[^a-z0-9]+', ' ', 'g'),
                                                    '([bcdfghjklmnpqrstvwxz])y\M', '\1i', 'g'),
                                     '\mquy\M', 'qui', 'g')) $$;

create table procedures (
  id              uuid primary key,
  -- National code (CSDLQG TTHC): {1|2|3}.{6 digits}.000.00.00.{level-1 agency code}, e.g. 1.001193.000.00.00.H66.
  code            text not null unique check (code ~ '^[123]\.[0-9]{6}\.000\.00\.00\.[A-Y][0-9]{2}$'),
  status          text not null default 'active' check (status in ('active', 'retired')),
  current_version int not null check (current_version >= 1),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  retired_at      timestamptz,
  check ((status = 'retired') = (retired_at is not null))
);
-- Prefix search by code ("1.0011…").
create index procedures_code_pattern_idx on procedures (code text_pattern_ops);
create index procedures_status_idx on procedures (status);

create table procedure_versions (
  procedure_id             uuid not null references procedures(id),
  version                  int not null check (version >= 1),
  name                     text not null check (length(name) between 1 and 500),
  field                    text not null check (length(field) between 1 and 200),
  level                    text not null check (level in ('province', 'commune')),
  online_level             text not null check (online_level in ('toan_trinh', 'mot_phan', 'thong_tin')),
  -- Legal processing time in WORKING hours (1 working day = 8 h); null = not fixed (see processing_note).
  processing_hours         int check (processing_hours > 0),
  processing_note          text,
  -- [{ name, amountVnd (integer VND ≥ 0 or null = amount unknown), note }]
  fees                     jsonb not null default '[]'::jsonb check (jsonb_typeof(fees) = 'array'),
  -- Sum of the fee amounts when every amount is known; null otherwise. Derived at publish time.
  fee_total_vnd            bigint check (fee_total_vnd >= 0),
  exemptions               text,
  -- [{ key, name, original, copies, required, condition, templateFileId, fromEdataStore, documentType }]
  components               jsonb not null default '[]'::jsonb check (jsonb_typeof(components) = 'array'),
  -- { fields: [{ key, label, type, required, options?, min?, max?, minLength?, maxLength?, pattern?, help?, requiredIf? }] }
  form                     jsonb not null check (jsonb_typeof(form) = 'object'),
  legal_basis              text[] not null default '{}',
  result_type              text,
  result_delivery          text[] not null default '{}' check (result_delivery <@ array['online', 'counter', 'post']::text[]),
  implementing_agency_note text,
  -- The implementing agencies as published in this version (procedure_agencies holds the current ones).
  agency_ids               uuid[] not null default '{}',
  published_at             timestamptz not null default now(),
  published_by             text not null,
  published_by_account     uuid references accounts(id),
  -- Search columns: the name without the "Thủ tục" prefix some official names carry (for similarity
  -- ranking), and name + field for matching (trigram and word queries).
  name_fold                text generated always as (regexp_replace(catalog_fold(name), '^thu tuc ', '')) stored,
  search                   text generated always as (catalog_fold(name || ' ' || field)) stored,
  search_tsv               tsvector generated always as (to_tsvector('simple'::regconfig, catalog_fold(name || ' ' || field))) stored,
  primary key (procedure_id, version)
);
create index procedure_versions_search_trgm_idx on procedure_versions using gin (search gin_trgm_ops);
create index procedure_versions_search_tsv_idx on procedure_versions using gin (search_tsv);
create index procedure_versions_field_idx on procedure_versions (field);
create index procedure_versions_level_idx on procedure_versions (level, online_level);

-- The current version always exists (checked at commit, so a procedure and its first version can be
-- written in either order inside one transaction).
alter table procedures add constraint procedures_current_version_fk
  foreign key (id, current_version) references procedure_versions (procedure_id, version) deferrable initially deferred;

-- Published versions are immutable: corrections are published as a new version.
create or replace function procedure_versions_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'procedure_versions is immutable: publish a new version instead';
end $$;
create trigger procedure_versions_no_change before update or delete on procedure_versions
  for each row execute function procedure_versions_immutable();

-- Implementing agencies of the current version (the index behind ?agencyId= and the agency facet).
create table procedure_agencies (
  procedure_id uuid not null references procedures(id),
  agency_id    uuid not null references agencies(id),
  primary key (procedure_id, agency_id)
);
create index procedure_agencies_agency_idx on procedure_agencies (agency_id, procedure_id);

-- The built-in administrator role has grants_all (0100_org.sql), so it holds catalog.manage without a change here.
