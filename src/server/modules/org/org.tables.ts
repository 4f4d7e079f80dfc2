/**
 * Table definitions of the org module (the SQL source of truth is migrations/0100_org.sql).
 * Generated columns are declared as such so inserts never try to write them.
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, date, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const adminUnits = pgTable('admin_units', {
  code: text('code').primaryKey(),
  level: text('level').notNull(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  provinceCode: text('province_code'),
  districtCode: text('district_code'),
  validFrom: date('valid_from', { mode: 'string' }),
  validTo: date('valid_to', { mode: 'string' }),
  successorCode: text('successor_code'),
  legalBasis: text('legal_basis'),
  note: text('note'),
  search: text('search').generatedAlwaysAs(sql`vn_fold(name) || ' ' || code`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const adminUnitVersions = pgTable('admin_unit_versions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  provinceCode: text('province_code'),
  districtCode: text('district_code'),
  validFrom: date('valid_from', { mode: 'string' }),
  validTo: date('valid_to', { mode: 'string' }).notNull(),
  legalBasis: text('legal_basis'),
  search: text('search').generatedAlwaysAs(sql`vn_fold(name) || ' ' || code`),
});

export const adminUnitLinks = pgTable(
  'admin_unit_links',
  {
    predecessorCode: text('predecessor_code').notNull(),
    successorCode: text('successor_code').notNull(),
    relation: text('relation').notNull(),
    effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
    legalBasis: text('legal_basis'),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.predecessorCode, t.successorCode, t.effectiveDate] })],
);

export const agencies = pgTable('agencies', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  legacyCode: text('legacy_code').unique(),
  name: text('name').notNull(),
  shortName: text('short_name'),
  kind: text('kind').notNull(),
  parentId: uuid('parent_id'),
  adminUnitCode: text('admin_unit_code'),
  path: text('path').notNull().unique(),
  active: boolean('active').notNull().default(true),
  search: text('search').generatedAlwaysAs(sql`vn_fold(name || ' ' || coalesce(short_name, '')) || ' ' || lower(code)`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const departments = pgTable('departments', {
  id: uuid('id').primaryKey(),
  agencyId: uuid('agency_id').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  path: text('path').notNull().unique(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const positions = pgTable('positions', {
  code: text('code').primaryKey(),
  name: text('name').notNull().unique(),
  rank: integer('rank').notNull().default(100),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const staff = pgTable('staff', {
  id: uuid('id').primaryKey(),
  accountId: uuid('account_id').notNull().unique(),
  fullName: text('full_name').notNull(),
  agencyId: uuid('agency_id').notNull(),
  departmentId: uuid('department_id'),
  positionCode: text('position_code').notNull(),
  active: boolean('active').notNull().default(true),
  search: text('search').generatedAlwaysAs(sql`vn_fold(full_name)`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const roles = pgTable('roles', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  permissions: text('permissions').array().notNull().default(sql`'{}'`),
  grantsAll: boolean('grants_all').notNull().default(false),
  builtin: boolean('builtin').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const roleAssignments = pgTable('role_assignments', {
  id: uuid('id').primaryKey().defaultRandom(),
  accountId: uuid('account_id').notNull(),
  roleCode: text('role_code').notNull(),
  scopeAgencyId: uuid('scope_agency_id'),
  scopeDepartmentId: uuid('scope_department_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: uuid('created_by'),
});
