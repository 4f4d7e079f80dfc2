-- The OA's access token (about 25 hours) and its one-time refresh token (OAuth v4), sealed under
-- DATA_ENCRYPTION_KEY. Seeded from ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN; `seed` is the SHA-256 of the
-- configured pair, so that putting new ones in the configuration (after the OA is authorised again) replaces
-- what is stored.
create table zalo_oa_tokens (
  app_id             text primary key,
  access_token_enc   text not null,
  refresh_token_enc  text,
  -- null: unknown (a configured token), refreshed at the next chance
  expires_at         timestamptz,
  seed               text not null,
  refreshed_at       timestamptz,
  last_error         text,
  updated_at         timestamptz not null default now()
);
