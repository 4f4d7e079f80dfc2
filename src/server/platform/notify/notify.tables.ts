/**
 * Tables of the notify block (created by migrations/0300_notify.sql).
 */
import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const notificationTemplates = pgTable(
  'notification_templates',
  {
    code: text('code').notNull(),
    channel: text('channel').notNull(),
    description: text('description').notNull(),
    variables: text('variables').array().notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.code, t.channel] })],
);

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  channel: text('channel').notNull(),
  recipient: text('recipient').notNull(),
  templateCode: text('template_code').notNull(),
  subject: text('subject'),
  body: text('body').notNull(),
  bodyHtml: text('body_html'),
  status: text('status').notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  providerId: text('provider_id'),
  targetType: text('target_type'),
  targetId: text('target_id'),
  scope: text('scope').notNull().default(''),
  createdBy: uuid('created_by'),
  jobId: uuid('job_id'),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
});

export type TemplateRow = typeof notificationTemplates.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotificationRow = typeof notifications.$inferInsert;
