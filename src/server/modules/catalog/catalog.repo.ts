/**
 * All SQL of the catalogue. Lists read the current version of each procedure
 * (procedure_versions joined on procedures.current_version); search, browsing and facets read the narrow
 * copy of its searchable columns in procedure_search (kept by triggers, 1110_catalog_search_rows.sql).
 *
 * Search (`list`, one statement per request, prepared): the query is folded in SQL with the same
 * catalog_fold() as the stored columns. A procedure matches when its folded name + field
 *   - contains the query as a phrase (`like`, trigram GIN index) or all its words (`@@`, tsvector GIN), or
 *   - its code starts with the query, or
 *   - (typos) contains, for each query word the catalogue does not know, one of its near words (one
 *     letter missing, extra, changed or swapped: `catalog_words`, 0510_catalog_search.sql) and every
 *     known word (tsvector GIN), and is close to the query by trigram word similarity (`<%`), which is
 *     then computed for those few rows only;
 *   - only when none of that finds anything: close to the query by word similarity, over the whole
 *     catalogue (a typo that makes another real word, or a word two letters off).
 * Word similarity costs tens of µs a row, LIKE and `@@` well under one, hence this order. The matches
 * are computed once; the page, the total and the four facets are read from them. Ranking (of the
 * filtered matches only) adds: whole-phrase bonus, word similarity, similarity of the whole name
 * (shorter, closer names first), an all-words bonus, and a small penalty for follow-up procedures
 * (đăng ký lại, cấp lại, gia hạn …) unless the query asks for one.
 */
import { createHash } from 'node:crypto';
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
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

/** A procedure with its current version, as lists return it (the columns of a summary). */
export type CurrentRow = Pick<ProcedureRow, 'id' | 'code' | 'status' | 'current_version'> &
  Pick<VersionRow, 'version' | 'name' | 'field' | 'level' | 'online_level' | 'processing_hours' | 'fee_total_vnd' | 'agency_ids'> & {
    /** Rank (numeric as text, 4 decimals): with name_fold and code, the position of the cursor. */
    score: string;
    name_fold: string;
  };

export interface FacetValue {
  value: string;
  count: number;
}

/** One answer of the list: a page (up to `limit` rows), the total and the facets, all from one statement. */
export interface ListResult {
  rows: CurrentRow[];
  total: number;
  facets: Record<Facet, FacetValue[]>;
  /** The agencies the page's procedures and the agency facet name (those still in the directory). */
  agencies: AgencyName[];
}

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

/** The search rows `s` the filters admit by status: those in force, or all with `includeRetired`. */
const inForce = (f: SearchFilters): SQL => (f.includeRetired ? sql`true` : sql`s.status = 'active'`);

/**
 * Current versions matching the text query (CTE `matched`, ids), after `qf` (the folded query, folded in
 * SQL like the stored columns, with what ranking needs of it; computed once). No branch computes word
 * similarity over the whole catalogue, except the last, which runs only when the others find nothing (a
 * one-time filter). The predicates read the query from `qf` as scalar subqueries (run-time values the
 * indexes can take, as they could a constant): with a constant the planner estimates `<%` by computing
 * word similarity over the column's statistics sample at every planning (~2 ms each), and as a join
 * column of `qf` it may leave the indexes for a join filter.
 */
function matchingIds(f: SearchFilters): SQL {
  const active = inForce(f);
  const code = f.codePrefix
    ? sql`union select s.procedure_id from procedure_search s where ${active} and s.code like ${`${f.codePrefix}%`}`
    : sql``;
  // For each query word: itself when the catalogue has it, else its near words (a shared deletion form);
  // a word with neither is left out. Only when some word is unknown (a typo) — else the all-words
  // branch already says everything. Short unknown words (< 3 letters) have too many near words to help.
  return sql`qf as materialized (
      select x.fq, plainto_tsquery('simple'::regconfig, x.fq) as words, cardinality(public.show_trgm(x.fq)) as trigrams,
             x.fq ~ ${FOLLOW_UP} as follow_up
        from (select public.catalog_fold(${f.q ?? ''}) as fq) x
    ),
    qw as (select distinct w from qf, regexp_split_to_table(qf.fq, ' ') w where w <> ''),
    near as materialized (
      select to_tsquery('simple'::regconfig, string_agg(x.alt, ' & ')) as tsq
        from (select qw.w, case when bool_or(k.word = qw.w) then qw.w else '(' || string_agg(distinct k.word, ' | ') || ')' end as alt
                from qw join catalog_words k on k.form = any (public.catalog_word_forms(qw.w))
               where length(qw.w) >= 3 or k.word = qw.w
               group by qw.w) x
      having count(*) filter (where x.alt = x.w) < (select count(*) from qw)
    ),
    hit as materialized (
      select s.procedure_id as id from procedure_search s
       where ${active} and (s.search like '%' || (select fq from qf) || '%' or s.search_tsv @@ (select words from qf))
      ${code}
      union
      -- offset 0: the similarity test filters these few rows; it must not become a trigram index scan.
      select c.id from (select s.procedure_id as id, s.search from near, procedure_search s
                         where ${active} and s.search_tsv @@ near.tsq offset 0) c
       where (select fq from qf) <% c.search
    ),
    matched as (
      select id from hit
      union all
      select s.procedure_id from procedure_search s
       where not exists (select 1 from hit) and ${active} and (select fq from qf) <% s.search
    )`;
}

/** Filters on the matches `m`, leaving out one facet's own filter when counting that facet. */
function filtersOn(f: SearchFilters, except?: Facet): SQL {
  const parts: SQL[] = [];
  if (f.field !== undefined && except !== 'field') parts.push(sql`m.field = ${f.field}`);
  if (f.level && except !== 'level') parts.push(sql`m.level = ${f.level}`);
  if (f.onlineLevel && except !== 'onlineLevel') parts.push(sql`m.online_level = ${f.onlineLevel}`);
  if (f.agencyId && except !== 'agency') parts.push(sql`m.in_agency`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/**
 * Rank of a match (columns of `m` and `qf`); 0 when browsing without a query:
 *   phrase bonus (1.0 whole words, 0.6 inside words) + word_similarity(query, name + field)
 *   + similarity(query, name) + all-words bonus 0.3 − follow-up penalty 0.2 (+ code bonus).
 * The trigram functions are the cost of ranking (tens of µs a row); where their value is known they
 * are not called, with the same result to the last bit (same float4 values, same sums):
 *   - the query is a whole-word phrase of name + field → every query trigram lies in one extent:
 *     word similarity 1;
 *   - … of the name → the query's trigrams are a subset of the name's: similarity =
 *     |trigrams(query)| / |trigrams(name)| (pg_trgm's own float4 formula), the latter stored (name_trgm).
 */
function score(f: SearchFilters): SQL {
  if (!f.q) return sql`0::numeric`;
  const code = f.codePrefix
    ? sql`+ (case when m.code = ${f.codePrefix} then 5 when m.code like ${`${f.codePrefix}%`} then 3 else 0 end)`
    : sql``;
  return sql`round((
      (case when m.phrase then 1.0 when m.search like ('%' || qf.fq || '%') then 0.6 else 0 end)
      + (case when m.phrase then 1::real else word_similarity(qf.fq, m.search) end)
      + (case when (' ' || m.name_fold || ' ') like ('% ' || qf.fq || ' %') then qf.trigrams::real / m.name_trgm::real
              else similarity(qf.fq, m.name_fold) end)
      + (case when m.search_tsv @@ qf.words then 0.3 else 0 end)
      - (case when not qf.follow_up and m.name_fold ~ ${FOLLOW_UP} then 0.2 else 0 end)
      ${code}
    )::numeric, 4)`;
}

/** JSON array of {value, count} of one facet from `g` (its grouping set), most first, zero counts left out. */
function facetJson(facet: Exclude<Facet, 'agency'>): SQL {
  const [column, set, count] = {
    field: [sql`g.field`, 3, sql`g.n_field`],
    level: [sql`g.level`, 5, sql`g.n_level`],
    onlineLevel: [sql`g.online_level`, 6, sql`g.n_online_level`],
  }[facet];
  return sql`(select coalesce(json_agg(json_build_object('value', ${column}, 'count', ${count}) order by ${count} desc, ${column}), '[]')
      from g where g.set = ${sql.raw(String(set))} and ${count} > 0)`;
}

/**
 * The whole list answer in one statement: the matches `m`, then the page (ranked, after the cursor;
 * `limit` rows), the total and the four facets, each facet with every filter but its own. The total and
 * three facets are one pass over `m` (grouping sets, a filtered count per facet); the agency facet joins
 * the implementing agencies (agencyFacet). With a query, `m` is the few matching rows, computed once
 * (materialized); browsing, `m` is the whole current catalogue and each of the three passes reads it
 * directly, which is cheaper than writing 2,000 rows aside first.
 */
export function listStatement(f: SearchFilters, limit: number, after: [string, string, string] | null): SQL {
  const active = inForce(f);
  const inAgency = f.agencyId
    ? sql`, s.procedure_id in (select fa.procedure_id from procedure_agencies fa where fa.agency_id = ${f.agencyId}) as in_agency`
    : sql``;
  const columns = sql`s.procedure_id as id, s.code, s.status, s.version, s.field, s.level, s.online_level, s.name_fold ${inAgency}`;
  const m = f.q
    ? sql`with ${matchingIds(f)},
        m as materialized (
          select ${columns}, s.search, s.search_tsv, s.name_trgm, (' ' || s.search || ' ') like ('% ' || qf.fq || ' %') as phrase
            from qf, matched h join procedure_search s on s.procedure_id = h.id)`
    : sql`with m as not materialized (select ${columns} from procedure_search s where ${active})`;
  const cursor = after
    ? sql`where r.score < ${after[0]}::numeric or (r.score = ${after[0]}::numeric and (r.name_fold, r.code) > (${after[1]}, ${after[2]}))`
    : sql``;
  return sql`${m},
    g as materialized (
      select m.field, m.level, m.online_level, grouping(m.field, m.level, m.online_level) as set,
             count(*) filter (where ${filtersOn(f)})::int as n,
             count(*) filter (where ${filtersOn(f, 'field')})::int as n_field,
             count(*) filter (where ${filtersOn(f, 'level')})::int as n_level,
             count(*) filter (where ${filtersOn(f, 'onlineLevel')})::int as n_online_level
        from m group by grouping sets ((m.field), (m.level), (m.online_level), ())
    ),
    page as (
      select r.* from (select m.id, m.code, m.status, m.version, m.name_fold, ${score(f)} as score
                         from ${f.q ? sql`qf, ` : sql``}m where ${filtersOn(f)}) r
       ${cursor}
       order by r.score desc, r.name_fold, r.code
       limit ${limit}
    ),
    af as materialized (${agencyFacet(f)})
    select
      (select coalesce(json_agg(json_build_object(
                'id', r.id, 'code', r.code, 'status', r.status, 'current_version', r.version, 'version', r.version,
                'name', v.name, 'field', v.field, 'level', v.level, 'online_level', v.online_level,
                'processing_hours', v.processing_hours, 'fee_total_vnd', v.fee_total_vnd::float8, 'agency_ids', v.agency_ids,
                'name_fold', r.name_fold, 'score', r.score::text)
              order by r.score desc, r.name_fold, r.code), '[]')
         from page r join procedure_versions v on v.procedure_id = r.id and v.version = r.version) as rows,
      coalesce((select g.n from g where g.set = 7), 0) as total,
      ${facetJson('field')} as field,
      ${facetJson('level')} as level,
      ${facetJson('onlineLevel')} as online_level,
      (select coalesce(json_agg(json_build_object('value', x.value, 'count', x.count) order by x.count desc, x.value), '[]')
         from af x) as agency,
      (select coalesce(json_agg(json_build_object('id', a.id::text, 'code', a.code, 'name', a.name)), '[]')
         from agencies a
        where a.id in (select x.value::uuid from af x
                       union
                       select unnest(v.agency_ids) from page r join procedure_versions v on v.procedure_id = r.id and v.version = r.version)
      ) as agencies`;
}

/**
 * Procedures per implementing agency, for the matches and every filter but the agency's. Browsing with
 * no filter on the versions' columns that is every procedure in force: the counts the triggers keep
 * (catalog_agency_counts, 1111_catalog_agency_counts.sql), or, retired ones included, counted from the pairs.
 */
function agencyFacet(f: SearchFilters): SQL {
  const byVersion = f.q || f.field !== undefined || f.level || f.onlineLevel;
  if (!byVersion && !f.includeRetired) {
    return sql`select c.agency_id::text as value, c.procedures as count from catalog_agency_counts c where c.procedures > 0`;
  }
  if (!byVersion) {
    return sql`select pa.agency_id::text as value, count(*)::int as count
                 from procedure_agencies pa group by pa.agency_id`;
  }
  return sql`select pa.agency_id::text as value, count(*)::int as count
               from m join procedure_agencies pa on pa.procedure_id = m.id
              where ${filtersOn(f, 'agency')} group by pa.agency_id`;
}

/** An implementing agency as lists name it. */
export interface AgencyName {
  id: string;
  code: string;
  name: string;
}

interface ListStatementRow {
  rows: CurrentRow[];
  total: number;
  field: FacetValue[];
  level: FacetValue[];
  online_level: FacetValue[];
  agency: FacetValue[];
  agencies: AgencyName[];
}

function listResult(r: ListStatementRow | undefined): ListResult {
  return {
    rows: r?.rows ?? [],
    total: r?.total ?? 0,
    facets: { field: r?.field ?? [], level: r?.level ?? [], onlineLevel: r?.online_level ?? [], agency: r?.agency ?? [] },
    agencies: r?.agencies ?? [],
  };
}

const dialect = new PgDialect();

export function catalogRepo(db: Database) {
  const q = <T>(query: SQL, tx?: Orm) => db.rows<T>(query, tx);
  const one = async <T>(query: SQL, tx?: Orm) => (await db.rows<T>(query, tx))[0];

  /**
   * The list statement, prepared on PostgreSQL (parsing and planning it is ~4 ms, more than running it
   * for most queries). One name per shape of the statement (which filters are present), so the
   * text under a name never changes; the values are parameters.
   */
  async function list(f: SearchFilters, limit: number, after: [string, string, string] | null): Promise<ListResult> {
    const { sql: text, params } = dialect.sqlToQuery(listStatement(f, limit, after));
    const name = `catalog_list_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    return listResult((await db.prepared<ListStatementRow>(name, text, params))[0]);
  }

  return {
    procedureById(id: string, tx?: Orm): Promise<ProcedureRow | undefined> {
      return one<ProcedureRow>(sql`select id, code, status, current_version from procedures where id = ${id}`, tx);
    },

    /** procedureById as a prepared statement (outside transactions): the submission path reads it every time. */
    async procedureByIdPrepared(id: string): Promise<ProcedureRow | undefined> {
      const [r] = await db.prepared<ProcedureRow>(
        'catalog_procedure_by_id',
        'select id, code, status, current_version from procedures where id = $1',
        [id],
      );
      return r;
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

    /**
     * One page of matches, best first (`after` = [score, name_fold, code] of the previous page's last row),
     * the total and the facets: one statement.
     */
    list,

    // One part of the list answer each, for callers that want only that part; each runs the whole list
    // statement, unprepared (through `db.rows`, which bench/public-services.ts wraps to EXPLAIN it).
    async search(f: SearchFilters, limit: number, after: [string, string, string] | null): Promise<CurrentRow[]> {
      return listResult(await one<ListStatementRow>(listStatement(f, limit, after))).rows;
    },
    async count(f: SearchFilters): Promise<number> {
      return listResult(await one<ListStatementRow>(listStatement(f, 0, null))).total;
    },
    async facet(f: SearchFilters, facet: Facet): Promise<FacetValue[]> {
      return listResult(await one<ListStatementRow>(listStatement(f, 0, null))).facets[facet];
    },

    fields(): Promise<{ value: string; count: number }[]> {
      return q(sql`select field as value, count(*)::int as count from procedure_search
                    where status = 'active' group by field order by field`);
    },
  };
}

export type CatalogRepo = ReturnType<typeof catalogRepo>;
