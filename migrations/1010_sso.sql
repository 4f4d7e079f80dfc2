-- Provincial single sign-on (OIDC provider, module sso).

-- Everything oidc-provider persists (sessions, interactions, codes, tokens, grants …), one row per
-- model + id; the payload is oidc-provider's own JSON. Expired rows are ignored and swept.
create table sso_payloads (
  id           text not null,
  model        text not null,
  payload      jsonb not null,
  grant_id     text,
  user_code    text,
  uid          text,
  account_id   text,
  client_id    text,
  expires_at   timestamptz,
  consumed_at  timestamptz,
  created_at   timestamptz not null default now(),
  primary key (model, id)
);
create index sso_payloads_grant_idx on sso_payloads (grant_id) where grant_id is not null;
create index sso_payloads_user_code_idx on sso_payloads (user_code) where user_code is not null;
create index sso_payloads_uid_idx on sso_payloads (uid) where uid is not null;
create index sso_payloads_expires_idx on sso_payloads (expires_at) where expires_at is not null;
-- Connected apps of an account (grants).
create index sso_payloads_account_grant_idx on sso_payloads (account_id) where model = 'Grant';

-- Client applications registered by administrators. The client secret is stored encrypted
-- (AES-256-GCM, key derived from DATA_ENCRYPTION_KEY) because OIDC client authentication
-- (client_secret_basic/post, client_secret_jwt) needs the plain value to compare with or to check an HMAC.
create table sso_clients (
  client_id                 text primary key check (client_id ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  name                      text not null,
  kind                      text not null check (kind in ('confidential', 'public', 'machine')),
  secret_enc                text,
  redirect_uris             text[] not null default '{}',
  post_logout_redirect_uris text[] not null default '{}',
  scopes                    text[] not null default '{}',
  first_party               boolean not null default false,
  status                    text not null default 'active' check (status in ('active', 'disabled')),
  created_at                timestamptz not null default now(),
  updated_at                timestamptz not null default now(),
  check ((kind = 'public') = (secret_enc is null))
);

-- Token signing keys: the private JWK encrypted with DATA_ENCRYPTION_KEY. The newest unretired key signs;
-- the previous ones stay published in the JWKS so that tokens signed before a rotation still verify.
create table sso_keys (
  kid          text primary key,
  alg          text not null,
  private_jwk  text not null,
  created_at   timestamptz not null default now(),
  retired_at   timestamptz
);
