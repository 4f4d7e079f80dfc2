-- Field reports (phản ánh hiện trường; spec §10.2, anchors §4 FixMyStreet/Open311). A citizen reports a problem
-- with a location; the commune whose boundary contains the point and the category decide the responsible unit;
-- reports that cannot be routed go to the provincial triage desk. The row is derived from the append-only event
-- log (field_report_events), like dossiers and dossier_actions.

-- Categories, with their SLA in working days (legal time engine) and the kind of unit that handles them
-- (agencies.kind; 'ubnd_xa' = the commune People's Committee). No normative list exists (spec §10.2, gap 9):
-- the seed rows are the usual provincial ones, configurable per province.
create table field_report_categories (
  code               text primary key check (code ~ '^[a-z0-9_]{2,40}$'),
  name               text not null,
  accept_days        smallint not null default 1 check (accept_days between 0 and 30),
  resolve_days       smallint not null default 5 check (resolve_days between 1 and 120),
  unit_kind          text not null default 'ubnd_xa',
  active             boolean not null default true,
  sort_order         smallint not null default 0
);
insert into field_report_categories (code, name, accept_days, resolve_days, sort_order) values
  ('moi_truong',    'Môi trường, vệ sinh',              1, 5,  1),
  ('trat_tu_do_thi','Trật tự đô thị, lấn chiếm',        1, 7,  2),
  ('giao_thong',    'Giao thông, hạ tầng',              1, 7,  3),
  ('chieu_sang',    'Điện chiếu sáng',                  1, 5,  4),
  ('cap_thoat_nuoc','Cấp thoát nước',                   1, 5,  5),
  ('an_ninh',       'An ninh trật tự',                  1, 5,  6),
  ('y_te',          'Y tế',                             1, 5,  7),
  ('giao_duc',      'Giáo dục',                         1, 7,  8),
  ('dich_vu_cong',  'Dịch vụ công, thủ tục hành chính', 1, 5,  9),
  ('khac',          'Khác',                             3, 7, 10);

-- The province's settings (one row). triage_agency_code: the agency that receives reports that cannot be
-- routed; null = the first active public administrative service centre (trung_tam_pvhcc).
create table field_report_settings (
  id                 boolean primary key default true check (id),
  triage_agency_code text
);
insert into field_report_settings (id) values (true);

-- Commune boundaries (post-2025), imported from GeoJSON. PGlite has no PostGIS: the bbox columns prefilter,
-- point-in-polygon runs in code (feedback.geo.ts).
create table admin_boundaries (
  unit_code     text primary key,
  name          text not null,
  province_code text not null,
  geometry      jsonb not null check (geometry->>'type' in ('Polygon', 'MultiPolygon')),
  min_lon       double precision not null,
  min_lat       double precision not null,
  max_lon       double precision not null,
  max_lat       double precision not null,
  imported_at   timestamptz not null default now()
);
create index admin_boundaries_bbox_idx on admin_boundaries (min_lon, max_lon, min_lat, max_lat);

create table field_reports (
  id                 uuid primary key,
  -- Public code shown to the citizen and on the board: PA-YYYYMMDD-XXXXXX.
  code               text not null unique,
  category_code      text not null references field_report_categories(code),
  description        text not null check (length(description) between 1 and 2000),
  -- The text shown publicly after moderation (personal data hidden); null = description as written.
  public_description text check (length(public_description) <= 2000),
  lon                double precision check (lon between -180 and 180),
  lat                double precision check (lat between -90 and 90),
  address            text check (length(address) <= 500),
  commune_code       text,
  agency_id          uuid not null references agencies(id),
  -- Scope path of the responsible agency (as dossiers.agency_scope): requireAccess() checks it.
  agency_scope       text not null,
  -- Narrower scope once assigned to a department (its path); null = the whole agency.
  handler_scope      text,
  handler_account_id uuid references accounts(id),
  state              text not null check (state in
                       ('new', 'moderated', 'accepted', 'assigned', 'in_progress', 'resolved', 'rated', 'closed',
                        'triage', 'removed')),
  is_public          boolean not null default true,
  -- Shown publicly without the reporter's name (the contact is always staff-only).
  anonymous          boolean not null default false,
  reporter_account_id uuid references accounts(id),
  -- Name / phone / email given by the reporter: for staff only, never on the board.
  contact            jsonb,
  photo_ids          uuid[] not null default '{}',
  result_text        text check (length(result_text) <= 4000),
  result_photo_ids   uuid[] not null default '{}',
  satisfied          boolean,
  reopened           boolean not null default false,
  extended           boolean not null default false,
  accept_due_at      timestamptz,
  resolve_due_at     timestamptz,
  moderated_at       timestamptz,
  accepted_at        timestamptz,
  resolved_at        timestamptz,
  closed_at          timestamptz,
  -- The Idempotency-Key of the creating request, per caller: an offline resend finds the first report.
  request_key        text,
  request_scope      text,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check (lon is not null and lat is not null or address is not null),
  check (reporter_account_id is not null or contact is not null)
);
create unique index field_reports_request_key_idx on field_reports (request_scope, request_key) where request_key is not null;
-- Board: public, moderated reports by category/state within a bbox.
create index field_reports_board_idx on field_reports (is_public, category_code, state, lon, lat) where moderated_at is not null;
create index field_reports_lonlat_idx on field_reports (lon, lat);
create index field_reports_commune_idx on field_reports (commune_code, created_at desc);
-- Staff queues per agency (scope prefix) and state; the deadline job.
create index field_reports_agency_idx on field_reports (agency_scope text_pattern_ops, state);
create index field_reports_due_idx on field_reports (state, resolve_due_at);
create index field_reports_reporter_idx on field_reports (reporter_account_id, created_at desc);

-- Append-only action log: every change to a report is an event; the row derives from it.
create table field_report_events (
  id          uuid primary key,
  report_id   uuid not null references field_reports(id),
  seq         integer not null,
  action      text not null,
  from_state  text,
  to_state    text not null,
  actor_id    uuid references accounts(id),
  actor_kind  text not null check (actor_kind in ('citizen', 'staff', 'anonymous', 'system')),
  note        text check (length(note) <= 2000),
  file_ids    uuid[] not null default '{}',
  -- Shown on the public timeline (staff notes such as assignments to an officer are not).
  public      boolean not null default true,
  details     jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  unique (report_id, seq)
);

create table field_report_followers (
  report_id   uuid not null references field_reports(id),
  account_id  uuid not null references accounts(id),
  created_at  timestamptz not null default now(),
  primary key (report_id, account_id)
);

-- Handling in the commune (desk, officers, leaders) and triage at the provincial centre.
update roles set permissions = array_append(permissions, 'feedback.handle')
 where code in ('motcua', 'chuyenvien', 'lanhdao') and not ('feedback.handle' = any(permissions));
update roles set permissions = array_append(permissions, 'feedback.triage')
 where code = 'motcua' and not ('feedback.triage' = any(permissions));
