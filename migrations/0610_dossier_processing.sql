-- Processing of received dossiers on their pinned workflow version (quy trình giải quyết): where each
-- dossier stands, who must act next, the consultations, the signed result, and the deadline warnings.
--
-- As before, every change is one dossier_actions row and these columns/tables are derived from the log
-- in the same transaction (dossiers.state.ts folds it; dossier_queue is written from the fold).

alter table dossiers drop constraint dossiers_state_check;
alter table dossiers add constraint dossiers_state_check
  check (state in ('draft', 'submitted', 'supplement_requested', 'received', 'refused', 'withdrawn', 'stopped', 'completed'));

alter table dossiers
  -- The workflow version pinned at reception (a dossier keeps it to the end).
  add column workflow_id       uuid,
  add column workflow_version  int,
  -- The open steps of the main flow and of parallel branches, with their agency, assignee and step due
  -- date (JSON array of OpenStep, see dossiers.state.ts).
  add column steps             jsonb not null default '[]'::jsonb check (jsonb_typeof(steps) = 'array'),
  -- Consultations of other agencies (JSON array: id, agency, question, due date, answer …).
  add column consultations     jsonb not null default '[]'::jsonb check (jsonb_typeof(consultations) = 'array'),
  -- The due date given at reception, kept when the apology letter (Mẫu 04) sets a new one (only once).
  add column original_due_at   timestamptz,
  add column apologized_at     timestamptz,
  -- The draft result the specialist prepared, then the signed e-result and how it was handed over.
  add column result_draft_file_id uuid references files(id),
  add column result_file_id    uuid references files(id),
  add column result_sha256     text,
  add column result_signed_at  timestamptz,
  add column completed_at      timestamptz,
  add column returned_at       timestamptz,
  add column return_method     text check (return_method in ('online', 'counter', 'post')),
  add column stopped_at        timestamptz,
  add column withdrawn_at      timestamptz;

-- Verification of an e-result by the hash of the signed PDF (public verification page).
create unique index dossiers_result_sha_idx on dossiers (result_sha256) where result_sha256 is not null;

-- Work queues: one row per open step and agency whose staff may act on it (main flow and branches),
-- rewritten with every action. "Assigned to me" reads assignee; an agency's queue reads the scope.
create table dossier_queue (
  dossier_id          uuid not null references dossiers(id),
  -- Branch key; '' for the main flow.
  branch              text not null,
  step                text not null,
  step_name           text not null,
  agency_id           uuid not null references agencies(id),
  agency_scope        text not null,
  -- Roles that may act here (from the workflow actions leaving the step).
  roles               text[] not null,
  assignee_account_id uuid references accounts(id),
  entered_at          timestamptz not null,
  -- The step's own due date (its time budget) and the dossier's due date, for colours and warnings.
  step_due_at         timestamptz,
  due_at              timestamptz,
  primary key (dossier_id, branch, agency_id)
);
create index dossier_queue_scope_idx on dossier_queue (agency_scope text_pattern_ops, step_due_at);
create index dossier_queue_assignee_idx on dossier_queue (assignee_account_id, step_due_at) where assignee_account_id is not null;
create index dossier_queue_due_idx on dossier_queue (step_due_at);

-- Deadline warnings already sent (one per dossier, kind and due date), so the periodic job warns once.
create table dossier_deadline_warnings (
  dossier_id  uuid not null references dossiers(id),
  -- step_soon | step_overdue | dossier_soon | dossier_overdue
  kind        text not null,
  due_at      timestamptz not null,
  sent_at     timestamptz not null default now(),
  primary key (dossier_id, kind, due_at)
);

-- Messages of processing: the apology with the new date (Mẫu 04), a stopped dossier, and the deadline
-- warnings to the staff who hold a step.
insert into notification_templates (code, channel, description, variables, subject, body) values
('dossier.apology', 'email', 'Xin lỗi và hẹn lại ngày trả kết quả', '{fullName,dossierCode,procedureName,reason,previousDueDate,newDueDate,publicUrl}',
 'Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{dossierCode}}',
 E'Kính gửi Ông/Bà {{fullName}},\n\nHồ sơ {{dossierCode}} ({{procedureName}}) hẹn trả kết quả {{previousDueDate}} sẽ chậm so với thời hạn vì lý do sau:\n{{reason}}\n\nCơ quan giải quyết thành thật xin lỗi Ông/Bà vì sự chậm trễ này và xin hẹn lại ngày trả kết quả: {{newDueDate}}.\n\nPhiếu xin lỗi và hẹn lại ngày trả kết quả được đính kèm trong hồ sơ tại {{publicUrl}}.\n\nTrân trọng,\nBộ phận Tiếp nhận và Trả kết quả'),
('dossier.apology', 'sms', 'Xin lỗi và hẹn lại ngày trả kết quả', '{fullName,dossierCode,procedureName,reason,previousDueDate,newDueDate,publicUrl}', null,
 'Xin lỗi Ông/Bà: hồ sơ {{dossierCode}} chậm trả kết quả. Hẹn lại: {{newDueDate}}. Chi tiết: {{publicUrl}}'),
('dossier.apology', 'zalo', 'Xin lỗi và hẹn lại ngày trả kết quả', '{fullName,dossierCode,procedureName,reason,previousDueDate,newDueDate,publicUrl}', null,
 E'Hồ sơ {{dossierCode}} ({{procedureName}}) của Ông/Bà {{fullName}} sẽ chậm trả kết quả.\nLý do: {{reason}}\nCơ quan giải quyết xin lỗi Ông/Bà và hẹn lại ngày trả kết quả: {{newDueDate}}.\nChi tiết tại {{publicUrl}}.'),
('dossier.stopped', 'email', 'Thông báo dừng giải quyết hồ sơ', '{fullName,dossierCode,procedureName,reason,publicUrl}',
 'Hồ sơ {{dossierCode}} dừng giải quyết',
 E'Kính gửi Ông/Bà {{fullName}},\n\nHồ sơ {{dossierCode}} ({{procedureName}}) đã dừng giải quyết vì lý do sau:\n{{reason}}\n\nThông báo dừng giải quyết được đính kèm trong hồ sơ tại {{publicUrl}}. Mọi thắc mắc xin liên hệ Bộ phận Tiếp nhận và Trả kết quả.\n\nTrân trọng,\nBộ phận Tiếp nhận và Trả kết quả'),
('dossier.stopped', 'sms', 'Thông báo dừng giải quyết hồ sơ', '{fullName,dossierCode,procedureName,reason,publicUrl}', null,
 'Hồ sơ {{dossierCode}} đã dừng giải quyết. Lý do và thông báo tại {{publicUrl}}'),
('dossier.stopped', 'zalo', 'Thông báo dừng giải quyết hồ sơ', '{fullName,dossierCode,procedureName,reason,publicUrl}', null,
 E'Hồ sơ {{dossierCode}} ({{procedureName}}) của Ông/Bà {{fullName}} đã dừng giải quyết.\nLý do: {{reason}}\nChi tiết tại {{publicUrl}}.'),
('dossier.deadline_warning', 'email', 'Cảnh báo hạn xử lý hồ sơ (gửi cán bộ)', '{fullName,dossierCode,procedureName,stepName,dueDate,warning,officeUrl}',
 '[{{warning}}] Hồ sơ {{dossierCode}} — {{stepName}}',
 E'Kính gửi {{fullName}},\n\nHồ sơ {{dossierCode}} ({{procedureName}}), bước "{{stepName}}": {{warning}} — hạn {{dueDate}}.\n\nMở hồ sơ: {{officeUrl}}\n\nHệ thống một cửa điện tử');
