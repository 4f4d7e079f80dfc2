-- Field-report photos are stored without their metadata but at the size they were taken (a JPEG is not
-- re-encoded when the report arrives). The board and the office show a copy of at most 1600 px, made the
-- first time a photo is viewed and remembered here; a photo small enough to show as it is points at itself.
create table field_report_photo_displays (
  file_id          uuid primary key references files (id),
  display_file_id  uuid not null references files (id),
  created_at       timestamptz not null default now()
);
