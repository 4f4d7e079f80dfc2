-- The province's working calendar (platform block `calendar`): the days of the yearly decisions on
-- holidays, and the office-hours settings every deadline is computed with.
--
-- Weekends, the statutory holidays of Bộ luật Lao động 2019 Art. 112 (with Tết and Giỗ Tổ from the
-- lunar calendar) and compensatory days (Art. 111(3)) are computed by the code; this table holds only
-- what a yearly decision adds: extra days off ('nghi', including the Tết days the Prime Minister picks)
-- and make-up working days ('lam_bu', usually Saturdays).
create table calendar_days (
  date        date primary key,
  kind        text not null check (kind in ('nghi', 'lam_bu')),
  name        text not null check (length(name) between 1 and 200),
  legal_basis text check (length(legal_basis) <= 500),
  created_by  uuid,                            -- account; no foreign key: platform blocks do not depend on modules
  created_at  timestamptz not null default now()
);

-- One row: office hours ([{"start":"07:00","end":"11:30"}, …], local time), hours of one working day,
-- and the forwarding cut-off of NĐ 61/2018 Art. 18 (paper dossiers received from then on go the next day).
create table calendar_settings (
  id                         boolean primary key default true check (id),
  office_hours               jsonb not null default '[{"start":"07:00","end":"11:30"},{"start":"13:30","end":"17:00"}]',
  hours_per_day              numeric(4, 2) not null default 8 check (hours_per_day > 0 and hours_per_day <= 24),
  forwarding_cutoff          text not null default '15:00' check (forwarding_cutoff ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  -- Working hours of the next working day allowed for forwarding after the cut-off (8 = until its close;
  -- the decree says "đầu giờ ngày làm việc tiếp theo", a province may set e.g. 1).
  forwarding_next_day_hours  numeric(4, 2) not null default 8 check (forwarding_next_day_hours > 0),
  updated_at                 timestamptz not null default now(),
  updated_by                 uuid
);
insert into calendar_settings default values;

-- Seed: the official decisions known to the project (docs/calendar.md explains how to enter new ones).
--
-- 2026 — from Thông báo 9441/TB-BNV of 16/10/2025 (as recorded in the project's spec, §9.1):
--   Tết Bính Ngọ: Monday 16/02 to Friday 20/02/2026 (29 tháng Chạp Ất Tỵ → mùng 4 Bính Ngọ);
--   Quốc khánh: 01–02/9/2026 off, plus Monday 31/8/2026 off, made up by working Saturday 22/8/2026.
--   Not in the notice as recorded, left to the statutory rules in code: 1/1 (Thursday), Giỗ Tổ 26/4
--   (a Sunday, so the compensatory day off is Monday 27/4), 30/4 (Thursday), 1/5 (Friday).
-- 2025 — the spec records no 2025 decision, so nothing is seeded: 2025 follows the statutory default in
--   code (Tết 28/01–01/02/2025 = 29 tháng Chạp Giáp Thìn → mùng 4 Ất Tỵ, with Saturday 01/02 giving a
--   compensatory Monday 03/02; Quốc khánh 02/9 (Tuesday) + 01/9; Giỗ Tổ 07/4). An administrator can
--   enter the real 2025 decision through the API if historical deadlines need it.
insert into calendar_days (date, kind, name, legal_basis) values
  ('2026-02-16', 'nghi', 'Tết Nguyên đán Bính Ngọ (29 tháng Chạp)', 'Thông báo 9441/TB-BNV ngày 16/10/2025'),
  ('2026-02-17', 'nghi', 'Tết Nguyên đán Bính Ngọ (mùng 1 tháng Giêng)', 'Thông báo 9441/TB-BNV ngày 16/10/2025'),
  ('2026-02-18', 'nghi', 'Tết Nguyên đán Bính Ngọ (mùng 2 tháng Giêng)', 'Thông báo 9441/TB-BNV ngày 16/10/2025'),
  ('2026-02-19', 'nghi', 'Tết Nguyên đán Bính Ngọ (mùng 3 tháng Giêng)', 'Thông báo 9441/TB-BNV ngày 16/10/2025'),
  ('2026-02-20', 'nghi', 'Tết Nguyên đán Bính Ngọ (mùng 4 tháng Giêng)', 'Thông báo 9441/TB-BNV ngày 16/10/2025'),
  ('2026-08-22', 'lam_bu', 'Làm bù cho ngày nghỉ thứ Hai 31/8/2026', 'Thông báo 9441/TB-BNV ngày 16/10/2025'),
  ('2026-08-31', 'nghi', 'Nghỉ Quốc khánh (hoán đổi, làm bù thứ Bảy 22/8/2026)', 'Thông báo 9441/TB-BNV ngày 16/10/2025'),
  ('2026-09-01', 'nghi', 'Quốc khánh (ngày liền kề trước 2/9)', 'Thông báo 9441/TB-BNV ngày 16/10/2025'),
  ('2026-09-02', 'nghi', 'Quốc khánh (2/9)', 'Thông báo 9441/TB-BNV ngày 16/10/2025');
