-- Accounts and sessions (identity module).
create table accounts (
  id                 uuid primary key default gen_random_uuid(),
  username           text not null unique check (username = lower(username) and username ~ '^[a-z0-9._-]{3,64}$'),
  display_name       text not null,
  email              text,
  phone              text,
  kind               text not null check (kind in ('staff', 'citizen')),
  password_hash      text not null,
  status             text not null default 'active' check (status in ('active', 'disabled')),
  failed_logins      int not null default 0,
  locked_until       timestamptz,
  totp_secret_enc    text,            -- AES-256-GCM, key from DATA_ENCRYPTION_KEY
  totp_enabled       boolean not null default false,
  totp_last_step     bigint,          -- last accepted TOTP time step: a code is never accepted twice
  password_changed_at timestamptz not null default now(),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);
create index accounts_display_name_idx on accounts using gin (vn_fold(display_name) gin_trgm_ops);

-- A session is a random token held in an HttpOnly cookie; only its SHA-256 is stored.
create table sessions (
  id           uuid primary key default gen_random_uuid(),
  token_hash   text not null unique,
  account_id   uuid not null references accounts(id) on delete cascade,
  -- 'totp': password checked, waiting for the second factor; 'enroll': staff must set up TOTP first; 'full': signed in
  stage        text not null check (stage in ('totp', 'enroll', 'full')),
  ip           text,
  user_agent   text,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null,
  revoked_at   timestamptz
);
create index sessions_account_idx on sessions (account_id) where revoked_at is null;
