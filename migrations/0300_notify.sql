-- Notifications (platform block `notify`): message templates and the outbox of every message sent.

-- One template per (code, channel). Bodies are plain text with {{variable}} placeholders; the e-mail
-- channel also gets an HTML version in which every value is escaped.
create table notification_templates (
  code        text not null check (code ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  channel     text not null check (channel in ('email', 'sms', 'zalo')),
  description text not null,                   -- what the message is for, shown to admins
  variables   text[] not null default '{}',    -- placeholders the sending code provides
  subject     text,                            -- e-mail only
  body        text not null check (length(body) between 1 and 10000),
  updated_at  timestamptz not null default now(),
  updated_by  uuid,                            -- account; no foreign key: platform blocks do not depend on modules
  primary key (code, channel),
  check ((channel = 'email') = (subject is not null))
);

-- The outbox: what was (or will be) sent, to whom, and what happened. Holds personal data (recipients,
-- rendered bodies): readable only with `notify.outbox.read`, recipients masked in lists.
create table notifications (
  id            uuid primary key default gen_random_uuid(),
  channel       text not null check (channel in ('email', 'sms', 'zalo')),
  recipient     text not null,                 -- e-mail address, phone number or Zalo user id
  template_code text not null,
  subject       text,
  body          text not null,                 -- rendered plain text
  body_html     text,                          -- rendered, escaped HTML (e-mail only)
  status        text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
  attempts      int not null default 0,
  last_error    text,
  provider_id   text,                          -- the channel's message id (SMTP Message-ID, local id…)
  target_type   text,                          -- what the message is about, e.g. 'dossier'
  target_id     text,
  scope         text not null default '',      -- agency path of the target ('' = province-wide)
  created_by    uuid,
  job_id        uuid,                          -- the notify.deliver job (pg-boss)
  locked_until  timestamptz,                   -- a delivery in progress: nobody else sends before this
  created_at    timestamptz not null default now(),
  sent_at       timestamptz
);
create index notifications_created_idx on notifications (created_at desc, id desc);
create index notifications_channel_status_idx on notifications (channel, status, created_at desc, id desc);
create index notifications_target_idx on notifications (target_type, target_id);

insert into notification_templates (code, channel, description, variables, subject, body) values
-- account.welcome
('account.welcome', 'email', 'Chào mừng khi tài khoản được tạo', '{fullName,username,publicUrl}',
 'Tài khoản của Ông/Bà trên Cổng dịch vụ công đã được tạo',
 E'Kính gửi Ông/Bà {{fullName}},\n\nTài khoản của Ông/Bà trên Cổng dịch vụ công đã được tạo thành công.\nTên đăng nhập: {{username}}\n\nÔng/Bà có thể đăng nhập, nộp hồ sơ trực tuyến và tra cứu kết quả tại: {{publicUrl}}\n\nĐể bảo vệ tài khoản, xin không chia sẻ mật khẩu cho bất kỳ ai. Cán bộ, công chức không bao giờ hỏi mật khẩu của Ông/Bà.\n\nTrân trọng,\nCổng dịch vụ công'),
('account.welcome', 'sms', 'Chào mừng khi tài khoản được tạo', '{fullName,username,publicUrl}', null,
 'Tài khoản {{username}} đã được tạo trên Cổng dịch vụ công. Đăng nhập tại {{publicUrl}}. Không chia sẻ mật khẩu cho bất kỳ ai.'),
('account.welcome', 'zalo', 'Chào mừng khi tài khoản được tạo', '{fullName,username,publicUrl}', null,
 E'Chào Ông/Bà {{fullName}}, tài khoản {{username}} trên Cổng dịch vụ công đã được tạo thành công.\nĐăng nhập để nộp hồ sơ trực tuyến và tra cứu kết quả tại {{publicUrl}}.'),
-- account.password_changed
('account.password_changed', 'email', 'Báo mật khẩu vừa được đổi', '{fullName,changedAt}',
 'Mật khẩu tài khoản của Ông/Bà vừa được thay đổi',
 E'Kính gửi Ông/Bà {{fullName}},\n\nMật khẩu tài khoản của Ông/Bà trên Cổng dịch vụ công đã được thay đổi lúc {{changedAt}}.\n\nNếu chính Ông/Bà đã đổi mật khẩu, không cần làm gì thêm.\nNếu không phải Ông/Bà thực hiện, xin liên hệ ngay Trung tâm Phục vụ hành chính công để được hỗ trợ khóa và khôi phục tài khoản.\n\nTrân trọng,\nCổng dịch vụ công'),
('account.password_changed', 'sms', 'Báo mật khẩu vừa được đổi', '{fullName,changedAt}', null,
 'Mật khẩu tài khoản Cổng dịch vụ công của Ông/Bà đã được đổi lúc {{changedAt}}. Nếu không phải Ông/Bà thực hiện, xin liên hệ ngay Trung tâm Phục vụ hành chính công.'),
('account.password_changed', 'zalo', 'Báo mật khẩu vừa được đổi', '{fullName,changedAt}', null,
 'Mật khẩu tài khoản Cổng dịch vụ công của Ông/Bà {{fullName}} đã được đổi lúc {{changedAt}}. Nếu không phải Ông/Bà thực hiện, xin liên hệ ngay Trung tâm Phục vụ hành chính công.'),
-- account.locked
('account.locked', 'email', 'Báo tài khoản tạm khóa do đăng nhập sai nhiều lần', '{fullName,lockedUntil}',
 'Tài khoản của Ông/Bà đang tạm thời bị khóa',
 E'Kính gửi Ông/Bà {{fullName}},\n\nDo mật khẩu bị nhập sai nhiều lần liên tiếp, tài khoản của Ông/Bà trên Cổng dịch vụ công đã tạm thời bị khóa đến {{lockedUntil}}.\n\nSau thời điểm này Ông/Bà có thể đăng nhập lại bình thường. Nếu không phải Ông/Bà đăng nhập, có thể có người đang cố truy cập tài khoản: xin đổi mật khẩu ngay khi đăng nhập lại và liên hệ Trung tâm Phục vụ hành chính công nếu cần hỗ trợ.\n\nTrân trọng,\nCổng dịch vụ công'),
('account.locked', 'sms', 'Báo tài khoản tạm khóa do đăng nhập sai nhiều lần', '{fullName,lockedUntil}', null,
 'Tài khoản Cổng dịch vụ công của Ông/Bà tạm khóa đến {{lockedUntil}} do nhập sai mật khẩu nhiều lần. Nếu không phải Ông/Bà đăng nhập, xin đổi mật khẩu khi đăng nhập lại.'),
('account.locked', 'zalo', 'Báo tài khoản tạm khóa do đăng nhập sai nhiều lần', '{fullName,lockedUntil}', null,
 'Tài khoản Cổng dịch vụ công của Ông/Bà {{fullName}} tạm thời bị khóa đến {{lockedUntil}} do nhập sai mật khẩu nhiều lần. Nếu không phải Ông/Bà đăng nhập, xin đổi mật khẩu khi đăng nhập lại.'),
-- dossier.received
('dossier.received', 'email', 'Báo đã tiếp nhận hồ sơ', '{fullName,dossierCode,procedureName,receivedAt,dueDate,publicUrl}',
 'Đã tiếp nhận hồ sơ {{dossierCode}}',
 E'Kính gửi Ông/Bà {{fullName}},\n\nHồ sơ của Ông/Bà đã được tiếp nhận:\n- Mã hồ sơ: {{dossierCode}}\n- Thủ tục: {{procedureName}}\n- Thời điểm tiếp nhận: {{receivedAt}}\n- Ngày hẹn trả kết quả: {{dueDate}}\n\nÔng/Bà có thể tra cứu tình trạng giải quyết hồ sơ tại {{publicUrl}} bằng mã hồ sơ trên.\n\nTrân trọng,\nBộ phận Tiếp nhận và Trả kết quả'),
('dossier.received', 'sms', 'Báo đã tiếp nhận hồ sơ', '{fullName,dossierCode,procedureName,receivedAt,dueDate,publicUrl}', null,
 'Hồ sơ {{dossierCode}} đã được tiếp nhận lúc {{receivedAt}}, hẹn trả kết quả {{dueDate}}. Tra cứu tại {{publicUrl}}'),
('dossier.received', 'zalo', 'Báo đã tiếp nhận hồ sơ', '{fullName,dossierCode,procedureName,receivedAt,dueDate,publicUrl}', null,
 E'Hồ sơ {{dossierCode}} ({{procedureName}}) của Ông/Bà {{fullName}} đã được tiếp nhận lúc {{receivedAt}}.\nNgày hẹn trả kết quả: {{dueDate}}.\nTra cứu tình trạng hồ sơ tại {{publicUrl}}.'),
-- dossier.supplement_requested
('dossier.supplement_requested', 'email', 'Yêu cầu bổ sung hồ sơ', '{fullName,dossierCode,procedureName,reason,publicUrl}',
 'Hồ sơ {{dossierCode}} cần bổ sung',
 E'Kính gửi Ông/Bà {{fullName}},\n\nHồ sơ {{dossierCode}} ({{procedureName}}) cần được bổ sung, hoàn thiện với nội dung sau:\n{{reason}}\n\nÔng/Bà vui lòng bổ sung hồ sơ trực tuyến tại {{publicUrl}} hoặc tại Bộ phận Tiếp nhận và Trả kết quả. Thời gian chờ bổ sung không tính vào thời hạn giải quyết.\n\nTrân trọng,\nBộ phận Tiếp nhận và Trả kết quả'),
('dossier.supplement_requested', 'sms', 'Yêu cầu bổ sung hồ sơ', '{fullName,dossierCode,procedureName,reason,publicUrl}', null,
 'Hồ sơ {{dossierCode}} cần bổ sung. Chi tiết và bổ sung trực tuyến tại {{publicUrl}}'),
('dossier.supplement_requested', 'zalo', 'Yêu cầu bổ sung hồ sơ', '{fullName,dossierCode,procedureName,reason,publicUrl}', null,
 E'Hồ sơ {{dossierCode}} ({{procedureName}}) của Ông/Bà {{fullName}} cần bổ sung:\n{{reason}}\nÔng/Bà có thể bổ sung trực tuyến tại {{publicUrl}}.'),
-- dossier.refused
('dossier.refused', 'email', 'Báo từ chối hồ sơ', '{fullName,dossierCode,procedureName,reason}',
 'Hồ sơ {{dossierCode}} không được tiếp nhận giải quyết',
 E'Kính gửi Ông/Bà {{fullName}},\n\nHồ sơ {{dossierCode}} ({{procedureName}}) không được tiếp nhận giải quyết vì lý do sau:\n{{reason}}\n\nMọi thắc mắc xin liên hệ Bộ phận Tiếp nhận và Trả kết quả.\n\nTrân trọng,\nBộ phận Tiếp nhận và Trả kết quả'),
('dossier.refused', 'sms', 'Báo từ chối hồ sơ', '{fullName,dossierCode,procedureName,reason}', null,
 'Hồ sơ {{dossierCode}} không được tiếp nhận giải quyết. Lý do: {{reason}}'),
('dossier.refused', 'zalo', 'Báo từ chối hồ sơ', '{fullName,dossierCode,procedureName,reason}', null,
 E'Hồ sơ {{dossierCode}} ({{procedureName}}) của Ông/Bà {{fullName}} không được tiếp nhận giải quyết.\nLý do: {{reason}}'),
-- dossier.result_ready
('dossier.result_ready', 'email', 'Báo hồ sơ đã có kết quả', '{fullName,dossierCode,procedureName,publicUrl}',
 'Hồ sơ {{dossierCode}} đã có kết quả',
 E'Kính gửi Ông/Bà {{fullName}},\n\nHồ sơ {{dossierCode}} ({{procedureName}}) đã có kết quả giải quyết.\n\nÔng/Bà vui lòng nhận kết quả theo hình thức đã đăng ký khi nộp hồ sơ; kết quả điện tử (nếu có) được lưu trong kho dữ liệu của Ông/Bà tại {{publicUrl}}.\n\nXin mời Ông/Bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ này.\n\nTrân trọng,\nBộ phận Tiếp nhận và Trả kết quả'),
('dossier.result_ready', 'sms', 'Báo hồ sơ đã có kết quả', '{fullName,dossierCode,procedureName,publicUrl}', null,
 'Hồ sơ {{dossierCode}} đã có kết quả. Xin mời Ông/Bà nhận kết quả và đánh giá mức độ hài lòng tại {{publicUrl}}'),
('dossier.result_ready', 'zalo', 'Báo hồ sơ đã có kết quả', '{fullName,dossierCode,procedureName,publicUrl}', null,
 E'Hồ sơ {{dossierCode}} ({{procedureName}}) của Ông/Bà {{fullName}} đã có kết quả giải quyết.\nXin mời Ông/Bà nhận kết quả và đánh giá mức độ hài lòng tại {{publicUrl}}.');
