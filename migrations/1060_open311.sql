-- Open311 GeoReport v2 (anchors §4.2): the registered API clients that may POST service requests at /open311/v2.
-- A client's key is random (32 bytes, base64url), shown once at creation and stored only as its SHA-256; the
-- first characters are kept for display. Disabling a client refuses its key at once; the row stays (audit).
-- The requests themselves are ordinary field reports (field_reports.request_scope = 'open311:<client id>').
create table open311_clients (
  id             uuid primary key,
  name           text not null check (length(name) between 1 and 200),
  contact_email  text check (length(contact_email) <= 254),
  key_hash       text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  key_prefix     text not null,
  status         text not null default 'active' check (status in ('active', 'disabled')),
  created_by     uuid references accounts(id),
  created_at     timestamptz not null default now(),
  disabled_at    timestamptz,
  last_used_at   timestamptz
);

-- GET tokens/{token}: the creating key of a report made through Open311.
create index field_reports_request_key_only_idx on field_reports (request_key) where request_key is not null;
-- GET servicerequestupdates: public events by time.
create index field_report_events_created_idx on field_report_events (created_at) where public;
