-- Satisfaction ratings of dossiers (đánh giá mức độ hài lòng; NĐ 61/2018 Art. 31–32, TT 01/2018/TT-VPCP
-- Art. 12–15; spec §2.6). One rating per dossier, made by the applicant after the result is returned, online
-- ("my dossiers"), through the signed link of the "result returned" message (or the QR of that link at the
-- counter) or at the kiosk of the desk. The form definitions (criteria, 2/1/0 scales, which TT 01 indicator
-- each criterion feeds) live in code (ratings.forms.ts); the province chooses the active one here.

create table rating_settings (
  -- A single row: the province's settings.
  id          boolean primary key default true check (id),
  -- 'tt01' = the 9 indicators of TT 01/2018 (the applicant answers 1, 3, 4, 7; indicator 2 comes from the
  -- hand-over log); 'c12' = the 12-criteria form of provincial portals (criteria 4–12 map onto indicators 1–9).
  form_code   text not null default 'tt01' check (form_code in ('tt01', 'c12')),
  updated_at  timestamptz not null default now(),
  updated_by  uuid references accounts(id)
);
insert into rating_settings (id) values (true);

create table dossier_ratings (
  id               uuid primary key,
  -- One rating per dossier, final (no update): the unique key refuses a second one, whichever channel.
  dossier_id       uuid not null unique references dossiers(id),
  dossier_code     text not null,
  procedure_code   text not null,
  procedure_name   text not null,
  form_code        text not null check (form_code in ('tt01', 'c12')),
  -- The answers as given: { criterionKey: 0 | 1 | 2 }.
  answers          jsonb not null check (jsonb_typeof(answers) = 'object'),
  -- Score of each TT 01/2018 indicator this rating gives (null = no data from this rating), so that the
  -- quarterly per-indicator average is avg(iN) and indicators without data drop out of the total.
  i1 smallint check (i1 between 0 and 2),
  i2 smallint check (i2 between 0 and 2),
  i3 smallint check (i3 between 0 and 2),
  i4 smallint check (i4 between 0 and 2),
  i5 smallint check (i5 between 0 and 2),
  i6 smallint check (i6 between 0 and 2),
  i7 smallint check (i7 between 0 and 2),
  i8 smallint check (i8 between 0 and 2),
  i9 smallint check (i9 between 0 and 2),
  -- General satisfaction (criteria 1–3 of the 12-criteria form), outside the graded total.
  g1 smallint check (g1 between 0 and 2),
  g2 smallint check (g2 between 0 and 2),
  g3 smallint check (g3 between 0 and 2),
  -- Sum of the indicator scores, the maximum they could reach (2 × indicators with data) and the band of
  -- the total on TT 01's agency scale (≥15 xuất sắc, 12–<15 tốt, 9–<12 khá, 6–<9 trung bình, <6 yếu).
  total            numeric(4, 1) not null,
  max_total        smallint not null,
  grade            text not null check (grade in ('xuat_sac', 'tot', 'kha', 'trung_binh', 'yeu')),
  comment          text check (length(comment) <= 2000),
  channel          text not null check (channel in ('online', 'link', 'kiosk')),
  -- The signed-in applicant (online); null through the link or the kiosk (no login).
  rated_by         uuid references accounts(id),
  -- Copied at rating time so quarterly aggregates need no other module's tables: the resolving agency and
  -- the desk that received and returned the dossier.
  agency_id        uuid not null references agencies(id),
  agency_scope     text not null,
  agency_name      text not null,
  desk_agency_id   uuid not null references agencies(id),
  desk_scope       text not null,
  desk_agency_name text not null,
  returned_at      timestamptz,
  -- The quarter (Vietnam time) the rating was made in: a closed quarter's figures never change afterwards.
  year             smallint not null,
  quarter          smallint not null check (quarter between 1 and 4),
  created_at       timestamptz not null default now(),
  check ((channel = 'online') = (rated_by is not null))
);
create index dossier_ratings_agency_idx on dossier_ratings (year, quarter, agency_id);
create index dossier_ratings_scope_idx on dossier_ratings (year, quarter, agency_scope text_pattern_ops);

-- The officers concerned by a rating (the receiving officer at the desk, the officers who processed it),
-- with the name and agency they had then: per-officer aggregates read this table and dossier_ratings only.
create table dossier_rating_officers (
  rating_id     uuid not null references dossier_ratings(id),
  account_id    uuid not null references accounts(id),
  name          text not null,
  role          text not null check (role in ('receiving', 'processing')),
  agency_id     uuid references agencies(id),
  agency_scope  text not null,
  agency_name   text not null,
  year          smallint not null,
  quarter       smallint not null check (quarter between 1 and 4),
  primary key (rating_id, account_id)
);
create index dossier_rating_officers_quarter_idx on dossier_rating_officers (year, quarter, agency_scope text_pattern_ops, account_id);
create index dossier_rating_officers_account_idx on dossier_rating_officers (account_id, year, quarter);

-- Leaders read the ratings of their agency (admin holds every permission).
update roles set permissions = array_append(permissions, 'ratings.read')
 where code = 'lanhdao' and not ('ratings.read' = any(permissions));

-- The invitation to rate, sent when the result is returned (the signed link works once, without login).
insert into notification_templates (code, channel, description, variables, subject, body) values
('dossier.rating_invite', 'email', 'Mời đánh giá mức độ hài lòng khi trả kết quả', '{fullName,dossierCode,procedureName,ratingUrl}',
 'Mời Ông/Bà đánh giá việc giải quyết hồ sơ {{dossierCode}}',
 E'Kính gửi Ông/Bà {{fullName}},\n\nHồ sơ {{dossierCode}} ({{procedureName}}) đã được trả kết quả.\n\nXin mời Ông/Bà đánh giá mức độ hài lòng về việc tiếp nhận, giải quyết hồ sơ tại đường dẫn sau (không cần đăng nhập, dùng được một lần):\n{{ratingUrl}}\n\nÝ kiến của Ông/Bà giúp cơ quan phục vụ tốt hơn.\n\nTrân trọng,\nBộ phận Tiếp nhận và Trả kết quả'),
('dossier.rating_invite', 'sms', 'Mời đánh giá mức độ hài lòng khi trả kết quả', '{fullName,dossierCode,procedureName,ratingUrl}', null,
 'Hồ sơ {{dossierCode}} đã trả kết quả. Mời Ông/Bà đánh giá mức độ hài lòng tại {{ratingUrl}}'),
('dossier.rating_invite', 'zalo', 'Mời đánh giá mức độ hài lòng khi trả kết quả', '{fullName,dossierCode,procedureName,ratingUrl}', null,
 E'Hồ sơ {{dossierCode}} ({{procedureName}}) của Ông/Bà {{fullName}} đã được trả kết quả.\nXin mời Ông/Bà đánh giá mức độ hài lòng tại {{ratingUrl}}.');
