-- Organisation: administrative units (with their history), agencies, departments, positions, staff,
-- roles and role assignments.

-- ---------------------------------------------------------------------------------------------
-- Administrative units (đơn vị hành chính), QĐ 124/2004 → QĐ 19/2025.
--
-- One row per code, holding the unit's latest state. Codes keep their length per level (province 2 digits,
-- pre-2025 district 3 digits, commune 5 digits), so old districts live in the same table with level
-- 'district' and their own 3-digit code: the lengths make codes unique across levels, nothing needs a
-- prefix, and a legacy record carrying "643" still finds Thành phố Buôn Ma Thuột. Codes are never reused
-- (QĐ 19/2025 Art. 3): a closed unit keeps its row, gets valid_to and a successor.
--
-- When a unit keeps its code but changes name, type or province (the commune hosting a merged commune's
-- HQ keeps its code under a new name; a xã becomes a phường), the earlier state moves to
-- admin_unit_versions, so "which unit was 22015 on 2025-01-01" still has an answer.
-- ---------------------------------------------------------------------------------------------
create table admin_units (
  code           text primary key,
  level          text not null check (level in ('province', 'district', 'commune')),
  name           text not null check (length(name) between 1 and 200),
  type           text not null check (type in ('tinh', 'thanh_pho', 'huyen', 'quan', 'thi_xa', 'xa', 'phuong', 'thi_tran', 'dac_khu')),
  province_code  text references admin_units(code),
  district_code  text references admin_units(code),
  valid_from     date,                           -- start of the current state; null = before our records
  valid_to       date,                           -- null = in force
  successor_code text references admin_units(code),
  legal_basis    text,
  note           text,
  search         text generated always as (vn_fold(name) || ' ' || code) stored,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  check ((level = 'province' and code ~ '^[0-9]{2}$' and province_code is null)
      or (level = 'district' and code ~ '^[0-9]{3}$' and province_code is not null)
      or (level = 'commune' and code ~ '^[0-9]{5}$' and province_code is not null)),
  check (district_code is null or level = 'commune'),
  check (valid_to is null or valid_from is null or valid_to > valid_from),
  check (successor_code is null or (valid_to is not null and successor_code <> code))
);
create index admin_units_province_idx on admin_units (province_code, code);
create index admin_units_successor_idx on admin_units (successor_code);
create index admin_units_search_idx on admin_units using gin (search gin_trgm_ops);

-- Earlier states of a unit that still carries its code. [valid_from, valid_to) never overlaps the
-- current row's state or another version of the same code (the service keeps it so).
create table admin_unit_versions (
  id            bigserial primary key,
  code          text not null references admin_units(code),
  name          text not null,
  type          text not null check (type in ('tinh', 'thanh_pho', 'huyen', 'quan', 'thi_xa', 'xa', 'phuong', 'thi_tran', 'dac_khu')),
  province_code text references admin_units(code),
  district_code text references admin_units(code),
  valid_from    date,
  valid_to      date not null,
  legal_basis   text,
  search        text generated always as (vn_fold(name) || ' ' || code) stored,
  unique (code, valid_to),
  check (valid_from is null or valid_to > valid_from)
);
create index admin_unit_versions_search_idx on admin_unit_versions using gin (search gin_trgm_ops);

-- Lineage: which units' territory went into which (a ward split between three new communes has three
-- rows, 'partial'). admin_units.successor_code is the main successor; this table is the whole story.
create table admin_unit_links (
  predecessor_code text not null references admin_units(code),
  successor_code   text not null references admin_units(code),
  relation         text not null check (relation in ('full', 'partial')),
  effective_date   date not null,
  legal_basis      text,
  note             text,
  primary key (predecessor_code, successor_code, effective_date),
  check (predecessor_code <> successor_code)
);
create index admin_unit_links_successor_idx on admin_unit_links (successor_code);

-- ---------------------------------------------------------------------------------------------
-- Agencies (cơ quan, đơn vị) and their departments (phòng, ban).
--
-- `path` is the materialized path of ids used for access scopes: a root agency is '/<id>', a child
-- '<parent.path>/<id>', a department '<agency.path>/d:<id>'. A grant scoped to an agency's path covers
-- the agency, its departments and everything below (platform/auth/access.ts withinScope()).
-- ---------------------------------------------------------------------------------------------
create table agencies (
  id              uuid primary key,
  -- Electronic identifier per QĐ 20/2020/QĐ-TTg Art. 4: ≤ 35 chars, groups of [0-9A-Z] separated by dots,
  -- the first group MX1X2 (M = A…Y, two digits).
  code            text not null unique check (length(code) <= 35 and code ~ '^[A-Y][0-9]{2}(\.[0-9A-Z]+)*$'),
  -- The same agency's code in the older QCVN 102:2016 form (000.00.12.H56), for messages from older systems.
  legacy_code     text unique check (legacy_code ~ '^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Y][0-9]{2}$'),
  name            text not null check (length(name) between 1 and 300),
  short_name      text,
  kind            text not null check (kind in ('ubnd_tinh', 'van_phong', 'so_nganh', 'trung_tam_pvhcc', 'ubnd_xa', 'don_vi_su_nghiep', 'don_vi_khac')),
  parent_id       uuid references agencies(id),
  admin_unit_code text references admin_units(code),
  path            text not null unique,
  active          boolean not null default true,
  search          text generated always as (vn_fold(name || ' ' || coalesce(short_name, '')) || ' ' || lower(code)) stored,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  check (parent_id is null or parent_id <> id)
);
create index agencies_parent_idx on agencies (parent_id);
create index agencies_path_idx on agencies (path text_pattern_ops);
create index agencies_unit_idx on agencies (admin_unit_code);
create index agencies_search_idx on agencies using gin (search gin_trgm_ops);

create table departments (
  id         uuid primary key,
  agency_id  uuid not null references agencies(id),
  code       text not null check (code ~ '^[A-Za-z0-9._-]{1,30}$'),
  name       text not null check (length(name) between 1 and 300),
  path       text not null unique,
  active     boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (agency_id, code),
  unique (agency_id, id)          -- target of staff's (agency_id, department_id) foreign key
);
create index departments_path_idx on departments (path text_pattern_ops);

-- Positions (chức vụ). `rank` orders lists: leaders first.
create table positions (
  code       text primary key check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name       text not null unique,
  rank       int not null default 100,
  created_at timestamptz not null default now()
);

-- A staff member is an account (identity module) placed in an agency, optionally in one of its
-- departments (the composite key keeps the department inside the agency).
create table staff (
  id            uuid primary key,
  account_id    uuid not null unique references accounts(id),
  full_name     text not null check (length(full_name) between 1 and 200),
  agency_id     uuid not null references agencies(id),
  department_id uuid,
  position_code text not null references positions(code),
  active        boolean not null default true,
  search        text generated always as (vn_fold(full_name)) stored,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  foreign key (agency_id, department_id) references departments(agency_id, id)
);
create index staff_agency_idx on staff (agency_id);
create index staff_search_idx on staff using gin (search gin_trgm_ops);

-- ---------------------------------------------------------------------------------------------
-- Roles bundle permissions (platform/auth/permissions.ts); assignments scope a role to a part of the
-- tree: a department, an agency (and all below), or the whole province (both null).
-- ---------------------------------------------------------------------------------------------
create table roles (
  code        text primary key check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name        text not null,
  description text,
  permissions text[] not null default '{}',
  -- Every permission of the catalogue, including those added later (the system administrator).
  grants_all  boolean not null default false,
  builtin     boolean not null default false,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

create table role_assignments (
  id                  uuid primary key default gen_random_uuid(),
  account_id          uuid not null references accounts(id),
  role_code           text not null references roles(code),
  scope_agency_id     uuid references agencies(id),
  scope_department_id uuid references departments(id),
  created_at          timestamptz not null default now(),
  created_by          uuid references accounts(id),
  check (scope_department_id is null or scope_agency_id is not null)
);
create unique index role_assignments_unique_idx on role_assignments
  (account_id, role_code, coalesce(scope_agency_id::text, ''), coalesce(scope_department_id::text, ''));

insert into roles (code, name, description, permissions, grants_all, builtin) values
  ('admin', 'Quản trị hệ thống', 'Toàn quyền trên hệ thống, kể cả các quyền được bổ sung sau này.', '{}', true, true),
  ('quantri_coquan', 'Quản trị cơ quan',
   'Quản lý cơ quan, phòng ban, cán bộ và phân quyền trong phạm vi cơ quan được giao.',
   '{org.units.read,org.agencies.read,org.agencies.manage,org.staff.read,org.staff.manage,audit.read}', false, true),
  ('motcua', 'Cán bộ một cửa', 'Tiếp nhận, trả kết quả hồ sơ thủ tục hành chính tại bộ phận một cửa.',
   '{dossiers.receive,files.upload,org.units.read,org.agencies.read,org.staff.read}', false, true),
  ('chuyenvien', 'Chuyên viên', 'Thẩm định, xử lý hồ sơ; dự thảo kết quả và văn bản.',
   '{dossiers.process,files.upload,org.units.read,org.agencies.read,org.staff.read}', false, true),
  ('lanhdao', 'Lãnh đạo', 'Lãnh đạo phòng, sở, UBND: phân công, phê duyệt, ký; theo dõi hạn xử lý.',
   '{dossiers.approve,dossiers.process,files.upload,org.units.read,org.agencies.read,org.staff.read}', false, true),
  ('vanthu', 'Văn thư', 'Vào sổ, cấp số văn bản đến/đi; đóng dấu chữ ký số của cơ quan.',
   '{documents.register,files.upload,org.units.read,org.agencies.read,org.staff.read}', false, true);

insert into positions (code, name, rank) values
  ('chu_tich', 'Chủ tịch', 10),
  ('pho_chu_tich', 'Phó Chủ tịch', 20),
  ('giam_doc', 'Giám đốc', 30),
  ('pho_giam_doc', 'Phó Giám đốc', 40),
  ('chanh_van_phong', 'Chánh Văn phòng', 50),
  ('truong_phong', 'Trưởng phòng', 60),
  ('pho_truong_phong', 'Phó Trưởng phòng', 70),
  ('chuyen_vien', 'Chuyên viên', 80),
  ('can_bo_tiep_nhan', 'Cán bộ tiếp nhận và trả kết quả', 85),
  ('van_thu', 'Văn thư', 90),
  ('quan_tri_he_thong', 'Quản trị hệ thống', 95);
