/**
 * Table definitions of the catalogue (the SQL source of truth is migrations/0500_catalog.sql).
 * Generated columns are declared as such so inserts never try to write them. The repository writes
 * versions with SQL (jsonb and arrays cast explicitly); these definitions document the shape and
 * serve simple queries.
 */
import { sql } from 'drizzle-orm';
import { bigint, customType, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const procedures = pgTable('procedures', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  status: text('status').notNull().default('active'),
  currentVersion: integer('current_version').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});

export const procedureVersions = pgTable(
  'procedure_versions',
  {
    procedureId: uuid('procedure_id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    field: text('field').notNull(),
    level: text('level').notNull(),
    onlineLevel: text('online_level').notNull(),
    processingHours: integer('processing_hours'),
    processingNote: text('processing_note'),
    fees: jsonb('fees').notNull(),
    feeTotalVnd: bigint('fee_total_vnd', { mode: 'number' }),
    exemptions: text('exemptions'),
    components: jsonb('components').notNull(),
    form: jsonb('form').notNull(),
    legalBasis: text('legal_basis').array().notNull(),
    resultType: text('result_type'),
    resultDelivery: text('result_delivery').array().notNull(),
    implementingAgencyNote: text('implementing_agency_note'),
    agencyIds: uuid('agency_ids').array().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    publishedBy: text('published_by').notNull(),
    publishedByAccount: uuid('published_by_account'),
    nameFold: text('name_fold').generatedAlwaysAs(sql`regexp_replace(catalog_fold(name), '^thu tuc ', '')`),
    search: text('search').generatedAlwaysAs(sql`catalog_fold(name || ' ' || field)`),
    searchTsv: tsvector('search_tsv').generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, catalog_fold(name || ' ' || field))`),
  },
  (t) => [primaryKey({ columns: [t.procedureId, t.version] })],
);

export const procedureAgencies = pgTable(
  'procedure_agencies',
  {
    procedureId: uuid('procedure_id').notNull(),
    agencyId: uuid('agency_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.procedureId, t.agencyId] })],
);
