/**
 * All SQL of process definitions. Versions keep their definition as jsonb; the list joins each
 * procedure's current version with its workflow (if any) and its open draft (if any).
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Orm } from '../../platform/db/database';
import type { WorkflowDefinition } from './workflows.schemas';

/** One workflow per procedure, with an id derived from the procedure's (the same on every installation). */
export function workflowIdFor(procedureId: string): string {
  const h = createHash('sha1').update(`tinhso:workflow:${procedureId.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

export interface ProcedureInfoRow {
  id: string;
  code: string;
  status: 'active' | 'retired';
  current_version: number;
  name: string;
  field: string;
  processing_hours: number | null;
}

export interface WorkflowRow {
  id: string;
  procedure_id: string;
  current_version: number | null;
}

export interface VersionSummaryRow {
  version: number;
  status: 'draft' | 'published';
  procedure_version: number;
  updated_at: Date | string;
  updated_by: string;
  published_at: Date | string | null;
  published_by: string | null;
}

export interface VersionRow extends VersionSummaryRow {
  workflow_id: string;
  definition: WorkflowDefinition;
}

export interface ListRow {
  id: string;
  code: string;
  name: string;
  field: string;
  processing_hours: number | null;
  current_version: number | null;
  draft_version: number | null;
}

export interface ListFilters {
  q?: string;
  status?: 'missing' | 'published' | 'draft';
}

const summaryCols = sql`version, status, procedure_version, updated_at, updated_by, published_at, published_by`;

export function workflowsRepo(db: Database) {
  const one = async <T>(q: ReturnType<typeof sql>, tx?: Orm): Promise<T | null> => ((await db.rows<T>(q, tx))[0] as T | undefined) ?? null;
  return {
    procedureInfo(id: string, tx?: Orm): Promise<ProcedureInfoRow | null> {
      return one<ProcedureInfoRow>(
        sql`select p.id, p.code, p.status, p.current_version, v.name, v.field, v.processing_hours
            from procedures p join procedure_versions v on v.procedure_id = p.id and v.version = p.current_version
            where p.id = ${id}`,
        tx,
      );
    },

    workflowOf(procedureId: string, tx?: Orm): Promise<WorkflowRow | null> {
      return one<WorkflowRow>(sql`select id, procedure_id, current_version from workflows where procedure_id = ${procedureId}`, tx);
    },

    workflowById(id: string, tx?: Orm): Promise<WorkflowRow | null> {
      return one<WorkflowRow>(sql`select id, procedure_id, current_version from workflows where id = ${id}`, tx);
    },

    /** The procedure's workflow row, created when missing, locked for the transaction. */
    async lockWorkflow(tx: Orm, procedureId: string): Promise<WorkflowRow> {
      await db.rows(
        sql`insert into workflows (id, procedure_id) values (${workflowIdFor(procedureId)}, ${procedureId}) on conflict (procedure_id) do nothing`,
        tx,
      );
      return (await one<WorkflowRow>(
        sql`select id, procedure_id, current_version from workflows where procedure_id = ${procedureId} for update`,
        tx,
      )) as WorkflowRow;
    },

    versionsOf(workflowId: string, tx?: Orm): Promise<VersionSummaryRow[]> {
      return db.rows<VersionSummaryRow>(
        sql`select ${summaryCols} from workflow_versions where workflow_id = ${workflowId} order by version desc`,
        tx,
      );
    },

    version(workflowId: string, version: number, tx?: Orm): Promise<VersionRow | null> {
      return one<VersionRow>(
        sql`select workflow_id, definition, ${summaryCols} from workflow_versions where workflow_id = ${workflowId} and version = ${version}`,
        tx,
      );
    },

    draft(workflowId: string, tx?: Orm): Promise<VersionRow | null> {
      return one<VersionRow>(
        sql`select workflow_id, definition, ${summaryCols} from workflow_versions where workflow_id = ${workflowId} and status = 'draft'`,
        tx,
      );
    },

    async nextVersion(tx: Orm, workflowId: string): Promise<number> {
      const r = await one<{ n: number }>(
        sql`select coalesce(max(version), 0) + 1 as n from workflow_versions where workflow_id = ${workflowId}`,
        tx,
      );
      return Number(r?.n ?? 1);
    },

    async insertDraft(
      tx: Orm,
      v: { workflowId: string; version: number; definition: WorkflowDefinition; procedureVersion: number; by: string },
    ): Promise<void> {
      await db.rows(
        sql`insert into workflow_versions (workflow_id, version, status, definition, procedure_version, updated_by)
            values (${v.workflowId}, ${v.version}, 'draft', ${JSON.stringify(v.definition)}::jsonb, ${v.procedureVersion}, ${v.by})`,
        tx,
      );
    },

    async updateDraft(
      tx: Orm,
      v: { workflowId: string; version: number; definition: WorkflowDefinition; procedureVersion: number; by: string },
    ): Promise<void> {
      await db.rows(
        sql`update workflow_versions set definition = ${JSON.stringify(v.definition)}::jsonb, procedure_version = ${v.procedureVersion},
              updated_by = ${v.by}, updated_at = now()
            where workflow_id = ${v.workflowId} and version = ${v.version} and status = 'draft'`,
        tx,
      );
    },

    async deleteDraft(tx: Orm, workflowId: string, version: number): Promise<void> {
      await db.rows(sql`delete from workflow_versions where workflow_id = ${workflowId} and version = ${version} and status = 'draft'`, tx);
    },

    /** Freezes the draft as published and makes it the current version. */
    async publish(
      tx: Orm,
      v: { workflowId: string; version: number; procedureVersion: number; by: string; account: string | null },
    ): Promise<void> {
      await db.rows(
        sql`update workflow_versions set status = 'published', procedure_version = ${v.procedureVersion},
              published_at = now(), published_by = ${v.by}, published_by_account = ${v.account}
            where workflow_id = ${v.workflowId} and version = ${v.version} and status = 'draft'`,
        tx,
      );
      await db.rows(sql`update workflows set current_version = ${v.version}, updated_at = now() where id = ${v.workflowId}`, tx);
    },

    async roleCodes(): Promise<Set<string>> {
      return new Set((await db.rows<{ code: string }>(sql`select code from roles`)).map((r) => r.code));
    },

    async activeAgencyCodes(): Promise<Set<string>> {
      return new Set((await db.rows<{ code: string }>(sql`select code from agencies where active`)).map((r) => r.code));
    },

    /** Procedures in force with their workflow status, by code; `after` = the last code of the previous page. */
    list(f: ListFilters, limit: number, after: string | null): Promise<ListRow[]> {
      const q = f.q?.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
      return db.rows<ListRow>(sql`
        select p.id, p.code, v.name, v.field, v.processing_hours, w.current_version, d.version as draft_version
        from procedures p
        join procedure_versions v on v.procedure_id = p.id and v.version = p.current_version
        left join workflows w on w.procedure_id = p.id
        left join workflow_versions d on d.workflow_id = w.id and d.status = 'draft'
        where p.status = 'active'
          ${q ? sql`and (vn_fold(v.name) like '%' || vn_fold(${q}) || '%' or p.code like ${`${q.toUpperCase()}%`})` : sql``}
          ${f.status === 'missing' ? sql`and w.current_version is null` : sql``}
          ${f.status === 'published' ? sql`and w.current_version is not null` : sql``}
          ${f.status === 'draft' ? sql`and d.version is not null` : sql``}
          ${after ? sql`and p.code > ${after}` : sql``}
        order by p.code
        limit ${limit}`);
    },
  };
}

export type WorkflowsRepo = ReturnType<typeof workflowsRepo>;
