/**
 * Tables of the calendar block (created by migrations/0400_calendar.sql).
 */
import { boolean, date, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const calendarDays = pgTable('calendar_days', {
  date: date('date', { mode: 'string' }).primaryKey(),
  kind: text('kind').notNull().$type<'nghi' | 'lam_bu'>(),
  name: text('name').notNull(),
  legalBasis: text('legal_basis'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const calendarSettings = pgTable('calendar_settings', {
  id: boolean('id').primaryKey().default(true),
  officeHours: jsonb('office_hours').notNull(),
  hoursPerDay: numeric('hours_per_day').notNull(),
  forwardingCutoff: text('forwarding_cutoff').notNull(),
  forwardingNextDayHours: numeric('forwarding_next_day_hours').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

export type CalendarDayRow = typeof calendarDays.$inferSelect;
export type NewCalendarDayRow = typeof calendarDays.$inferInsert;
