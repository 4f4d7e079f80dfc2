-- Field reports, second part: where a report came from (web app, Open311 partner, Zalo OA), the SLA warnings
-- the reminder job has sent (each once per report, kind and due date), and the notification template it uses.

alter table field_reports add column channel text not null default 'web' check (channel in ('web', 'open311', 'zalo'));

-- One row per warning sent: the job claims the row before sending, so two workers never send it twice and a
-- new due date (an extension, a reopening) warns again.
create table field_report_sla_warnings (
  report_id  uuid not null references field_reports(id),
  kind       text not null check (kind in ('accept_soon', 'accept_overdue', 'resolve_soon', 'resolve_overdue')),
  due_at     timestamptz not null,
  sent_at    timestamptz not null default now(),
  primary key (report_id, kind, due_at)
);

-- Open reports by due date, for the job (accept due while not yet accepted; resolve due while being handled).
create index field_reports_accept_due_idx on field_reports (accept_due_at) where state in ('new', 'moderated', 'triage');
create index field_reports_resolve_due_idx on field_reports (resolve_due_at) where state in ('accepted', 'assigned', 'in_progress');

insert into notification_templates (code, channel, description, variables, subject, body) values
('field_report.sla_warning', 'email', 'Nhắc hạn / báo quá hạn xử lý phản ánh hiện trường',
 '{fullName,reportCode,categoryName,warning,dueDate,officeUrl}',
 '{{warning}}: phản ánh {{reportCode}}',
 E'Kính gửi {{fullName}},\n\n{{warning}}: phản ánh {{reportCode}} ({{categoryName}}), hạn {{dueDate}}.\n\nXem và xử lý tại: {{officeUrl}}\n\nHệ thống TinhSo');

-- The public board: a map view is a bbox. A GiST index on the point answers small views (a city, a district)
-- without scanning, and the newest-first index answers the whole province by reading the latest rows only.
-- (Plain PostgreSQL geometry — point, box, GiST — so PGlite has it too; no PostGIS needed.)
create index field_reports_board_point_idx on field_reports using gist (point(lon, lat))
  where is_public and moderated_at is not null and state <> 'removed';
create index field_reports_board_recent_idx on field_reports (created_at desc, id desc)
  where is_public and moderated_at is not null and state <> 'removed';
drop index field_reports_board_idx;
