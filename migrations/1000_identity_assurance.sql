-- National identity on accounts (issue: identity).
-- id_number: the citizen's 12-digit CCCD / personal identification number, unique, set when the identity
-- was proven (VNeID) or declared; assurance_level: 1 = local account (self-declared), 2 = proven through
-- VNeID (level 2 e-ID). Sessions record how they were established so SSO tokens carry acr/amr.
alter table accounts add column id_number text unique check (id_number is null or id_number ~ '^[0-9]{12}$');
alter table accounts add column assurance_level smallint not null default 1 check (assurance_level between 1 and 3);
alter table accounts add column birth_date date;

-- 'pwd' password, 'otp' TOTP second factor, 'fed' upstream identity provider (VNeID).
alter table sessions add column auth_methods text[] not null default '{pwd}';
-- Highest assurance of the way this session was established (1 local, 2 VNeID).
alter table sessions add column assurance_level smallint not null default 1;

-- Links an upstream identity (issuer + subject) to one account; the first link is made by ID number.
create table account_federations (
  issuer      text not null,
  subject     text not null,
  account_id  uuid not null references accounts(id) on delete cascade,
  created_at  timestamptz not null default now(),
  last_login_at timestamptz not null default now(),
  primary key (issuer, subject)
);
create index account_federations_account_idx on account_federations (account_id);
