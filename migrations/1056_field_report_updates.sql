-- The reporter (and, for results, the followers) hear of what happens to a field report, on the channel the report
-- came with: e-mail of the account or the contact, SMS to the contact's phone, or the Zalo user who reported by chat.
insert into notification_templates (code, channel, description, variables, subject, body) values
('field_report.update', 'email', 'Cập nhật phản ánh hiện trường cho người gửi, người theo dõi',
 '{reportCode,categoryName,stateName,message,reportUrl}',
 'Phản ánh {{reportCode}}: {{stateName}}',
 E'Phản ánh {{reportCode}} ({{categoryName}}): {{stateName}}.\n\n{{message}}\n\nXem chi tiết: {{reportUrl}}\n\nHệ thống TinhSo'),
('field_report.update', 'sms', 'Cập nhật phản ánh hiện trường cho người gửi, người theo dõi',
 '{reportCode,categoryName,stateName,message,reportUrl}', null,
 'Phản ánh {{reportCode}}: {{stateName}}. {{message}} {{reportUrl}}'),
('field_report.update', 'zalo', 'Cập nhật phản ánh hiện trường cho người gửi, người theo dõi',
 '{reportCode,categoryName,stateName,message,reportUrl}', null,
 E'Phản ánh {{reportCode}} ({{categoryName}}): {{stateName}}.\n{{message}}\nXem chi tiết: {{reportUrl}}');
