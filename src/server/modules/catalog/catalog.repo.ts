/**
 * All SQL of the catalogue. Lists read the current version of each procedure
 * (procedure_versions joined on procedures.current_version).
 *
 * Search: the query is folded in SQL with the same catalog_fold() as the stored columns, then a
 * procedure matches when its folded name + field contains the query as a phrase, or is close to it
 * by trigram word similarity (`<%`, GIN trigram index), or contains all its words (`@@`, GIN
 * tsvector), or its code starts with the query. Ranking adds: whole-phrase bonus, word similarity,
 * similarity of the whole name (shorter, closer names first), an all-words bonus, and a small
 * penalty for follow-up procedures (đăng ký lại, cấp lại, gia hạn …) unless the query asks for one.
 */
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database, Orm } from '../../platform/db/database';
import type { Component, Fee, FormSchema } from './catalog.schemas';
import { procedureAgencies, procedures } from './catalog.tables';
import type { Delivery, Level, OnlineLevel, ProcedureContent } from './catalog.validate';

export interface ProcedureRow {
  id: string;
  code: string;
  status: 'active' | 'retired';
  current_version: number;
}

export interface VersionRow {
  procedure_id: string;
  version: number;
  name: string;
  field: string;
  level: Level;
  online_level: OnlineLevel;
  processing_hours: number | null;
  processing_note: string | null;
  fees: Fee[];
  fee_total_vnd: number | null;
  exemptions: string | null;
  components: Component[];
  form: FormSchema;
  legal_basis: string[];
  result_type: string | null;
  result_delivery: Delivery[];
  implementing_agency_note: string | null;
  agency_ids: string[];
  published_at: Date | string;
  published_by: string;
}

/** A procedure with its current version, as lists return it. */
export type CurrentRow = ProcedureRow & VersionRow & { score: string; name_fold: string };

export interface NewVersion {
  procedureId: string;
  version: number;
  content: ProcedureContent;
  feeTotalVnd: number | null;
  agencyIds: string[];
  publishedBy: string;
  publishedByAccount: string | null;
}

export interface VersionInfoRow {
  version: number;
  published_at: Date | string;
  published_by: string;
}

export interface SearchFilters {
  /** Raw query text (folded in SQL). */
  q?: string;
  /** The query as a code prefix, when it looks like one. */
  codePrefix?: string | null;
  field?: string;
  agencyId?: string;
  level?: Level;
  onlineLevel?: OnlineLevel;
  includeRetired?: boolean;
}

export type Facet = 'field' | 'level' | 'onlineLevel' | 'agency';

/** Names of follow-up procedures: ranked a little lower unless the query contains the same words. */
const FOLLOW_UP = '\\m(lai|gia han|cap doi|thay doi|dieu chinh|dinh chinh|thu hoi|cham dut|tam ngung|sua doi)\\M';

const versionColumns = sql`v.procedure_id, v.version, v.name, v.field, v.level, v.online_level, v.processing_hours,
  v.processing_note, v.fees, v.fee_total_vnd::float8 as fee_total_vnd, v.exemptions, v.components, v.form, v.legal_basis,
  v.result_type, v.result_delivery, v.implementing_agency_note, v.agency_ids, v.published_at, v.published_by`;

const fromCurrent = sql`procedures p join procedure_versions v on v.procedure_id = p.id and v.version = p.current_version`;

/** JSON text of a string list → text[] (drizzle would spread a JS array into separate parameters). */
const textArray = (values: string[]) => sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))::text[]`;

export function catalogRepo(db: Database) {
  const q = <T>(query: SQL, tx?: Orm) => db.rows<T>(query, tx);
  const one = async <T>(query: SQL, tx?: Orm) => (await db.rows<T>(query, tx))[0];

  /** The WHERE conditions of a search, leaving out one facet's own filter when counting that facet. */
  function conditions(f: SearchFilters, except?: Facet): SQL {
    const parts: SQL[] = [];
    if (!f.includeRetired) parts.push(sql`p.status = 'active'`);
    if (f.q) {
      const fq = sql`public.catalog_fold(${f.q})`;
      const text = sql`(v.search like '%' || ${fq} || '%'
        or ${fq} <% v.search
        or v.search_tsv @@ plainto_tsquery('simple'::regconfig, ${fq})`;
      parts.push(f.codePrefix ? sql`${text} or p.code like ${`${f.codePrefix}%`})` : sql`${text})`);
    }
    if (f.field !== undefined && except !== 'field') parts.push(sql`v.field = ${f.field}`);
    if (f.level && except !== 'level') parts.push(sql`v.level = ${f.level}`);
    if (f.onlineLevel && except !== 'onlineLevel') parts.push(sql`v.online_level = ${f.onlineLevel}`);
    if (f.agencyId && except !== 'agency') {
      parts.push(sql`exists (select 1 from procedure_agencies fa where fa.procedure_id = p.id and fa.agency_id = ${f.agencyId})`);
    }
    return parts.length ? sql.join(parts, sql` and `) : sql`true`;
  }

  function score(f: SearchFilters): SQL {
    if (!f.q) return sql`0::numeric`;
    const fq = sql`public.catalog_fold(${f.q})`;
    const code = f.codePrefix
      ? sql`+ (case when p.code = ${f.codePrefix} then 5 when p.code like ${`${f.codePrefix}%`} then 3 else 0 end)`
      : sql``;
    return sql`round((
        (case when (' ' || v.search || ' ') like ('% ' || ${fq} || ' %') then 1.0
              when v.search like ('%' || ${fq} || '%') then 0.6 else 0 end)
        + word_similarity(${fq}, v.search)
        + similarity(${fq}, v.name_fold)
        + (case when v.search_tsv @@ plainto_tsquery('simple'::regconfig, ${fq}) then 0.3 else 0 end)
        - (case when v.name_fold ~ ${FOLLOW_UP} and ${fq} !~ ${FOLLOW_UP} then 0.2 else 0 end)
        ${code}
      )::numeric, 4)`;
  }

  return {
    procedureById(id: string, tx?: Orm): Promise<ProcedureRow | undefined> {
      return one<ProcedureRow>(sql`select id, code, status, current_version from procedures where id = ${id}`, tx);
    },

    procedureByCode(code: string, tx?: Orm): Promise<ProcedureRow | undefined> {
      return one<ProcedureRow>(sql`select id, code, status, current_version from procedures where code = ${code}`, tx);
    },

    /** Procedures whose code starts with the bare national code (1.001193 → 1.001193.000.00.00.*). */
    proceduresByBareCode(bare: string, tx?: Orm): Promise<ProcedureRow[]> {
      return q<ProcedureRow>(
        sql`select id, code, status, current_version from procedures where code like ${`${bare}.%`} order by code limit 2`,
        tx,
      );
    },

    proceduresByCodes(codes: string[], tx?: Orm): Promise<ProcedureRow[]> {
      if (codes.length === 0) return Promise.resolve([]);
      return q<ProcedureRow>(
        sql`select id, code, status, current_version from procedures
             where code in (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`,
        tx,
      );
    },

    /** Locks the procedure row until the end of the transaction (publishing and retiring serialise on it). */
    lockProcedure(tx: Orm, id: string): Promise<ProcedureRow | undefined> {
      return one<ProcedureRow>(sql`select id, code, status, current_version from procedures where id = ${id} for update`, tx);
    },

    version(id: string, version: number, tx?: Orm): Promise<VersionRow | undefined> {
      return one<VersionRow>(
        sql`select ${versionColumns} from procedure_versions v where v.procedure_id = ${id} and v.version = ${version}`,
        tx,
      );
    },

    versionsOf(id: string, tx?: Orm): Promise<VersionInfoRow[]> {
      return q<VersionInfoRow>(
        sql`select version, published_at, published_by from procedure_versions where procedure_id = ${id} order by version desc`,
        tx,
      );
    },

    /** Current versions of the given procedures (or of every active one), in code order. */
    currentOf(ids: string[] | 'active', tx?: Orm): Promise<(ProcedureRow & VersionRow)[]> {
      const where =
        ids === 'active'
          ? sql`p.status = 'active'`
          : ids.length
            ? sql`p.id in (select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid)`
            : sql`false`;
      return q(
        sql`select p.id, p.code, p.status, p.current_version, ${versionColumns} from ${fromCurrent} where ${where} order by p.code`,
        tx,
      );
    },

    /** New procedures at version 1 (the version itself is written in the same transaction). */
    async insertProcedures(tx: Orm, rows: { id: string; code: string }[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 500) {
        await tx.insert(procedures).values(rows.slice(i, i + 500).map((r) => ({ id: r.id, code: r.code, currentVersion: 1 })));
      }
    },

    /** Writes versions (one statement per 100); a version is never written twice (primary key). */
    async insertVersions(tx: Orm, rows: NewVersion[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 100) {
        const values = rows.slice(i, i + 100).map((v) => {
          const c = v.content;
          return sql`(${v.procedureId}, ${v.version}, ${c.name}, ${c.field}, ${c.level}, ${c.onlineLevel}, ${c.processingHours},
                ${c.processingNote}, ${JSON.stringify(c.fees)}::jsonb, ${v.feeTotalVnd}, ${c.exemptions},
                ${JSON.stringify(c.components)}::jsonb, ${JSON.stringify(c.form)}::jsonb, ${textArray(c.legalBasis)},
                ${c.resultType}, ${textArray(c.resultDelivery)}, ${c.implementingAgencyNote},
                ${textArray(v.agencyIds)}::uuid[], ${v.publishedBy}, ${v.publishedByAccount}::uuid)`;
        });
        await tx.execute(sql`insert into procedure_versions
          (procedure_id, version, name, field, level, online_level, processing_hours, processing_note, fees, fee_total_vnd,
           exemptions, components, form, legal_basis, result_type, result_delivery, implementing_agency_note, agency_ids,
           published_by, published_by_account)
          values ${sql.join(values, sql`, `)}`);
      }
    },

    async setCurrentVersion(tx: Orm, id: string, version: number): Promise<void> {
      await tx.update(procedures).set({ currentVersion: version, updatedAt: sql`now()` }).where(eq(procedures.id, id));
    },

    async retire(tx: Orm, id: string): Promise<void> {
      await tx.update(procedures).set({ status: 'retired', retiredAt: sql`now()`, updatedAt: sql`now()` }).where(eq(procedures.id, id));
    },

    /** The current implementing agencies of each procedure become exactly the given ones. */
    async replaceAgencies(tx: Orm, rows: { procedureId: string; agencyIds: string[] }[]): Promise<void> {
      if (rows.length === 0) return;
      await tx.delete(procedureAgencies).where(
        inArray(
          procedureAgencies.procedureId,
          rows.map((r) => r.procedureId),
        ),
      );
      const pairs = rows.flatMap((r) => r.agencyIds.map((agencyId) => ({ procedureId: r.procedureId, agencyId })));
      for (let i = 0; i < pairs.length; i += 1000) await tx.insert(procedureAgencies).values(pairs.slice(i, i + 1000));
    },

    // ------------------------------------------------------------------------------------------
    // Search
    // ------------------------------------------------------------------------------------------

    /** One page of matches, best first; `after` = [score, name_fold, code] of the previous page's last row. */
    search(f: SearchFilters, limit: number, after: [string, string, string] | null): Promise<CurrentRow[]> {
      const cursor = after
        ? sql`where m.score < ${after[0]}::numeric
              or (m.score = ${after[0]}::numeric and (m.name_fold, m.code) > (${after[1]}, ${after[2]}))`
        : sql``;
      return q<CurrentRow>(sql`select * from (
          select p.id, p.code, p.status, p.current_version, v.name_fold, ${versionColumns}, ${score(f)} as score
            from ${fromCurrent}
           where ${conditions(f)}
        ) m ${cursor}
        order by m.score desc, m.name_fold, m.code
        limit ${limit}`);
    },

    async count(f: SearchFilters): Promise<number> {
      const r = await one<{ n: number }>(sql`select count(*)::int as n from ${fromCurrent} where ${conditions(f)}`);
      return r?.n ?? 0;
    },

    /** Counts per value of one facet, for the query and every other filter. */
    facet(f: SearchFilters, facet: Facet): Promise<{ value: string; count: number }[]> {
      if (facet === 'agency') {
        return q(sql`select pa.agency_id::text as value, count(*)::int as count
                       from ${fromCurrent} join procedure_agencies pa on pa.procedure_id = p.id
                      where ${conditions(f, 'agency')}
                      group by pa.agency_id order by count desc, value`);
      }
      const column = { field: sql`v.field`, level: sql`v.level`, onlineLevel: sql`v.online_level` }[facet];
      return q(sql`select ${column} as value, count(*)::int as count from ${fromCurrent}
                    where ${conditions(f, facet)} group by ${column} order by count desc, value`);
    },

    fields(): Promise<{ value: string; count: number }[]> {
      return q(sql`select v.field as value, count(*)::int as count from ${fromCurrent}
                    where p.status = 'active' group by v.field order by v.field`);
    },
  };
}

export type CatalogRepo = ReturnType<typeof catalogRepo>;
