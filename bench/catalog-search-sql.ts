/**
 * Where a catalogue search spends its database time, measured in the same run as the HTTP numbers, for
 * a plain query (no filters), through the same driver the server uses:
 *   - list: the catalogue's own statement (catalog.repo.ts `list`, what GET /api/v1/procedures runs, a
 *     prepared statement on PostgreSQL): matches once, without computing word similarity for the whole
 *     catalogue (phrase, all words, code; near words for typos), then the page, the total and the four
 *     facets from them; its server-side planning and execution time from EXPLAIN ANALYZE (unprepared);
 *   - before: the six statements the list ran before migration 0510 (a page, the total, four facets, each
 *     evaluating the text match again, the trigram word-similarity test `<%` on every current version),
 *     kept here verbatim as the reference, sequential and in parallel (as the service ran them);
 *   - oneStatementSearch(q, true | false): the two one-statement shapes measured before 0510 (matches
 *     once, with and without the `<%` test in the WHERE clause).
 * Totals show what each shape finds. The old shapes are measurements, not the repo's code.
 */
import { type SQL, sql } from 'drizzle-orm';
import { catalogRepo, listStatement, type SearchFilters } from '../src/server/modules/catalog/catalog.repo';
import type { Database } from '../src/server/platform/db/database';

const FOLLOW_UP = '\\m(lai|gia han|cap doi|thay doi|dieu chinh|dinh chinh|thu hoi|cham dut|tam ngung|sua doi)\\M';
const fromCurrent = sql`procedures p join procedure_versions v on v.procedure_id = p.id and v.version = p.current_version`;

/** The six statements of the list before 0510 (catalog.repo.ts then), for a plain query. */
function beforeStatements(q: string): SQL[] {
  const fq = sql`public.catalog_fold(${q})`;
  const where = sql`p.status = 'active' and (v.search like '%' || ${fq} || '%'
        or ${fq} <% v.search
        or v.search_tsv @@ plainto_tsquery('simple'::regconfig, ${fq}))`;
  const score = sql`round((
        (case when (' ' || v.search || ' ') like ('% ' || ${fq} || ' %') then 1.0
              when v.search like ('%' || ${fq} || '%') then 0.6 else 0 end)
        + word_similarity(${fq}, v.search)
        + similarity(${fq}, v.name_fold)
        + (case when v.search_tsv @@ plainto_tsquery('simple'::regconfig, ${fq}) then 0.3 else 0 end)
        - (case when v.name_fold ~ ${FOLLOW_UP} and ${fq} !~ ${FOLLOW_UP} then 0.2 else 0 end)
      )::numeric, 4)`;
  const columns = sql`v.procedure_id, v.version, v.name, v.field, v.level, v.online_level, v.processing_hours,
  v.processing_note, v.fees, v.fee_total_vnd::float8 as fee_total_vnd, v.exemptions, v.components, v.form, v.legal_basis,
  v.result_type, v.result_delivery, v.implementing_agency_note, v.agency_ids, v.published_at, v.published_by`;
  const facet = (column: SQL) =>
    sql`select ${column} as value, count(*)::int as count from ${fromCurrent} where ${where} group by ${column} order by count desc, value`;
  return [
    sql`select * from (select p.id, p.code, p.status, p.current_version, v.name_fold, ${columns}, ${score} as score
          from ${fromCurrent} where ${where}) m order by m.score desc, m.name_fold, m.code limit 21`,
    sql`select count(*)::int as n from ${fromCurrent} where ${where}`,
    facet(sql`v.field`),
    facet(sql`v.level`),
    facet(sql`v.online_level`),
    sql`select pa.agency_id::text as value, count(*)::int as count
          from ${fromCurrent} join procedure_agencies pa on pa.procedure_id = p.id
         where ${where} group by pa.agency_id order by count desc, value`,
  ];
}

/** The whole list answer (page of 21, total, facets) in one statement, the shapes measured before 0510. */
export function oneStatementSearch(q: string, fuzzy: boolean): SQL {
  const fq = sql`public.catalog_fold(${q})`;
  const match = fuzzy
    ? sql`(v.search like '%' || ${fq} || '%' or ${fq} <% v.search or v.search_tsv @@ plainto_tsquery('simple'::regconfig, ${fq}))`
    : sql`(v.search like '%' || ${fq} || '%' or v.search_tsv @@ plainto_tsquery('simple'::regconfig, ${fq}))`;
  return sql`with m as materialized (
      select p.id, p.code, v.field, v.level, v.online_level, v.name_fold,
        round(((case when (' ' || v.search || ' ') like ('% ' || ${fq} || ' %') then 1.0
                     when v.search like ('%' || ${fq} || '%') then 0.6 else 0 end)
          + word_similarity(${fq}, v.search) + similarity(${fq}, v.name_fold)
          + (case when v.search_tsv @@ plainto_tsquery('simple'::regconfig, ${fq}) then 0.3 else 0 end)
          - (case when v.name_fold ~ ${FOLLOW_UP} and ${fq} !~ ${FOLLOW_UP} then 0.2 else 0 end))::numeric, 4) as score
        from ${fromCurrent}
       where p.status = 'active' and ${match})
    select
      (select json_agg(x) from (select m.id, m.code, m.score from m order by m.score desc, m.name_fold, m.code limit 21) x) as page,
      (select count(*) from m) as total,
      (select json_agg(x) from (select field as value, count(*) from m group by 1 order by 2 desc, 1) x) as field,
      (select json_agg(x) from (select level as value, count(*) from m group by 1 order by 2 desc, 1) x) as level,
      (select json_agg(x) from (select online_level as value, count(*) from m group by 1 order by 2 desc, 1) x) as online_level,
      (select json_agg(x) from (select pa.agency_id as value, count(*) from m join procedure_agencies pa on pa.procedure_id = m.id
                                 group by 1 order by 2 desc, 1) x) as agency`;
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return +(t[Math.floor(t.length / 2)] as number).toFixed(1);
}

const filters = (q: string): SearchFilters => (q ? { q, codePrefix: null } : {});

/** What the list finds for a plain query: total and the first code. */
async function listAnswer(db: Database, q: string) {
  const r = await catalogRepo(db).list(filters(q), 21, null);
  return { total: r.total, first: r.rows[0]?.code ?? null };
}

/** Server-side execution and planning time of the list statement (EXPLAIN ANALYZE, median of `runs`). */
async function listExplainMs(db: Database, q: string, runs: number) {
  const exec: number[] = [];
  const plan: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const r = await db.rows<{ 'QUERY PLAN': string }>(sql`explain (analyze, summary, timing off) ${listStatement(filters(q), 21, null)}`);
    const text = r.map((x) => x['QUERY PLAN']).join('\n');
    if (i === 0) continue; // warm
    exec.push(Number(/Execution Time: ([\d.]+)/.exec(text)?.[1]));
    plan.push(Number(/Planning Time: ([\d.]+)/.exec(text)?.[1]));
  }
  const mid = (xs: number[]) => +(xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number).toFixed(1);
  return { executionMs: mid(exec), planningMs: mid(plan) };
}

/** Queries beside the main one: typos (unknown words), many matches, a typo making no near word, browsing. */
const MORE_QUERIES = ['dang ky khai snh', 'giay phep xay dug', 'cấp lại', 'dang ky khai tinh', ''];

/** Median ms of each shape for the query `q` (and of the list for MORE_QUERIES). */
export async function compareSearchShapes(db: Database, q: string, runs = 15) {
  const repo = catalogRepo(db);
  const six = beforeStatements(q);
  const total = async (shape: SQL) => Number((await db.rows<{ total: number | string }>(shape))[0]?.total);
  const list = await listAnswer(db, q);
  const more = [];
  for (const query of MORE_QUERIES) {
    more.push({
      query: query || '(browse, no query)',
      ...(query ? await listAnswer(db, query) : {}),
      listMs: await median(runs, () => repo.list(filters(query), 21, null)),
      ...(await listExplainMs(db, query, 5)),
    });
  }
  const result = {
    query: q,
    totals: {
      /** what the list finds */
      list: list.total,
      /** what the six statements found (the same as the one-statement shape with `<%`) */
      repo: Number((await db.rows<{ n: number }>(six[1] as SQL))[0]?.n),
      oneStatement: await total(oneStatementSearch(q, true)),
      withoutFuzzy: await total(oneStatementSearch(q, false)),
    },
    listFirst: list.first,
    /** the list, as the server runs it (prepared statement, round trip included) */
    listMs: await median(runs, () => repo.list(filters(q), 21, null)),
    listServer: await listExplainMs(db, q, 5),
    /** before 0510: the six statements, one after another / in parallel (as the service ran them) */
    repoSixSequentialMs: await median(runs, async () => {
      for (const s of six) await db.rows(s);
    }),
    repoSixParallelMs: await median(runs, () => Promise.all(six.map((s) => db.rows(s)))),
    oneStatementMs: await median(runs, () => db.rows(oneStatementSearch(q, true))),
    oneStatementWithoutFuzzyWhereMs: await median(runs, () => db.rows(oneStatementSearch(q, false))),
    more,
  };
  console.error(
    [
      `list \`${q}\`: ${result.listMs} ms (server: plan ${result.listServer.planningMs} + run ${result.listServer.executionMs} ms unprepared), ${list.total} found; before: six statements ${result.repoSixParallelMs} ms in parallel, ${result.totals.repo} found`,
      ...more.map(
        (m) =>
          `list \`${m.query}\`: ${m.listMs} ms (server: plan ${m.planningMs} + run ${m.executionMs} ms)${'total' in m ? `, ${m.total} found` : ''}`,
      ),
    ].join('\n'),
  );
  return result;
}
