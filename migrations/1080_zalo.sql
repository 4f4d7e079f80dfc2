-- Zalo Official Account channel (issue 6 item 6): citizens send a field report step by step through the
-- province's OA, or a dossier / report code to read its public status. The module keeps its own tables only;
-- reports are created through the feedback module (channel 'zalo').

-- Webhook events already seen, for idempotency: Zalo may deliver an event more than once. The id is the
-- message's msg_id (or "<event>:<user>:<timestamp>" for events without one). No content is kept here.
create table zalo_events (
  event_id      text primary key,
  user_id       text not null,
  event_name    text not null,
  event_at      timestamptz not null,
  received_at   timestamptz not null default now(),
  status        text not null default 'received' check (status in ('received', 'done')),
  processed_at  timestamptz
);
create index zalo_events_received_idx on zalo_events (received_at);

-- One conversation per Zalo user (the OA-scoped user id): where the user is in the report dialogue and the
-- draft so far. The photo is kept here (raw bytes, ≤ UPLOAD_MAX_BYTES) only until the report is sent or
-- cancelled: the feedback module re-encodes it without EXIF and stores the copy.
create table zalo_conversations (
  user_id       text primary key,
  step          text not null default 'idle'
                check (step in ('idle', 'category', 'description', 'photo', 'location', 'confirm')),
  draft         jsonb not null default '{}'::jsonb,
  photo         bytea,
  version       integer not null default 0,
  updated_at    timestamptz not null default now()
);

-- Reports made through Zalo: the user who made them (status questions by report code).
create table zalo_reports (
  report_id     uuid primary key,
  code          text not null unique,
  user_id       text not null,
  created_at    timestamptz not null default now()
);
create index zalo_reports_user_idx on zalo_reports (user_id);

-- Replies to send (customer-service messages through the OA API), written with the conversation's update and
-- sent by the `zalo.send` job after the webhook has answered. A reply is never dropped silently: it stays
-- 'pending' while retried and becomes 'failed' (with the error, never the text in logs) after the last try.
create table zalo_outbox (
  id               uuid primary key,
  user_id          text not null,
  text             text not null,
  status           text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts         integer not null default 0,
  last_error       text,
  zalo_message_id  text,
  created_at       timestamptz not null default now(),
  sent_at          timestamptz
);
create index zalo_outbox_pending_idx on zalo_outbox (created_at) where status = 'pending';
create index zalo_outbox_user_idx on zalo_outbox (user_id, created_at);
