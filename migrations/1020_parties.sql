-- Parties (issue: identity, point 3): businesses with their representatives, authorisations (ủy quyền)
-- between people, and on whose behalf a dossier was filed.

-- A business (doanh nghiệp, hộ kinh doanh, tổ chức) keyed by its tax code (mã số thuế: 10 digits, or 10 + '-' + 3 for
-- a branch / dependent unit, as identity's checkTaxCode normalises it). In the demo a business is declared by the
-- citizen who registers it ('declared'); 'verified' is for a check against the national business register
-- (not wired yet); 'inactive' stops every representative from acting for it.
create table businesses (
  id          uuid primary key,
  tax_code    text not null unique check (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$'),
  name        text not null check (length(name) between 2 and 300),
  address     text,
  status      text not null default 'declared' check (status in ('declared', 'verified', 'inactive')),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

-- Who may act for a business: its legal representative (người đại diện theo pháp luật, exactly one at a
-- time) and other representatives the legal representative adds. Removal keeps the row (removed_at),
-- so who could act when stays known.
create table business_representatives (
  id           uuid primary key,
  business_id  uuid not null references businesses(id),
  account_id   uuid not null references accounts(id),
  role         text not null check (role in ('legal_representative', 'representative')),
  added_by     uuid references accounts(id),
  added_at     timestamptz not null default now(),
  removed_at   timestamptz,
  removed_by   uuid references accounts(id)
);
create unique index business_representatives_active_uq on business_representatives (business_id, account_id)
  where removed_at is null;
create unique index business_representatives_legal_uq on business_representatives (business_id)
  where removed_at is null and role = 'legal_representative';
-- "Which businesses do I represent" (every access check of a business dossier).
create index business_representatives_account_idx on business_representatives (account_id) where removed_at is null;

-- A citizen (grantor) authorises another (grantee) to act for them: for some procedures (by full code;
-- empty = every procedure) from valid_from until valid_until (exclusive; at most 5 years), until revoked
-- by the grantor or renounced by the grantee (revoked_by says which).
create table authorisations (
  id                  uuid primary key,
  grantor_account_id  uuid not null references accounts(id),
  grantee_account_id  uuid not null references accounts(id),
  procedure_codes     text[] not null default '{}',
  valid_from          timestamptz not null default now(),
  valid_until         timestamptz not null,
  note                text check (note is null or length(note) <= 1000),
  created_at          timestamptz not null default now(),
  revoked_at          timestamptz,
  revoked_by          uuid references accounts(id),
  check (grantor_account_id <> grantee_account_id),
  check (valid_until > valid_from),
  check (valid_until <= valid_from + interval '5 years 1 day'),
  check ((revoked_at is null) = (revoked_by is null))
);
-- "Whom may I act for" (access checks, the submission wizard) and the two lists.
create index authorisations_grantee_idx on authorisations (grantee_account_id, valid_until) where revoked_at is null;
create index authorisations_grantor_list_idx on authorisations (grantor_account_id, created_at desc, id desc);
create index authorisations_grantee_list_idx on authorisations (grantee_account_id, created_at desc, id desc);

-- Dossiers: the business a dossier is filed for (owner_account_id is then null: the business's current
-- representatives see it), and the authorisation a proxy used to file it (created_by_account_id = the proxy).
alter table dossiers add column owner_business_id uuid references businesses(id);
alter table dossiers add column acting_authorisation_id uuid references authorisations(id);
create index dossiers_owner_business_idx on dossiers (owner_business_id, updated_at desc) where owner_business_id is not null;
