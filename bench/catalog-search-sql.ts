/**
 * Where a catalogue search spends its database time, measured in the same run as the HTTP numbers:
 * the catalogue's own statements (catalog.repo.ts: a page, the total and four facets — six statements,
 * each evaluating the text match again) against two one-statement shapes of the same answer:
 *   - one: the matching rows computed once (materialized CTE), the page, total and facets read from them;
 *   - oneExact: the same without the fuzzy trigram predicate (`<%`) in the WHERE clause — the phrase
 *     (`like`, trigram GIN index) and all-words (`@@`, tsvector GIN index) matches only, ranking unchanged.
 * These are measurements of candidate query shapes for a plain query (no filters), not the repo's code.
 */
import { type SQL, sql } from 'drizzle-orm';
import { catalogRepo, type SearchFilters } from '../src/server/modules/catalog/catalog.repo';
import type { Database } from '../src/server/platform/db/database';

const FOLLOW_UP = '\\m(lai|gia han|cap doi|thay doi|dieu chinh|dinh chinh|thu hoi|cham dut|tam ngung|sua doi)\\M';

/** The whole list answer (page of 21, total, facets) in one statement. */
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
        from procedures p join procedure_versions v on v.procedure_id = p.id and v.version = p.current_version
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

/** Median ms of each shape for the query `q`, through the same driver the server uses. */
export async function compareSearchShapes(db: Database, q: string, runs = 15) {
  const repo = catalogRepo(db);
  const f: SearchFilters = { q, codePrefix: null };
  const six = () => [
    repo.search(f, 21, null),
    repo.count(f),
    repo.facet(f, 'field'),
    repo.facet(f, 'level'),
    repo.facet(f, 'onlineLevel'),
    repo.facet(f, 'agency'),
  ];
  const total = async (shape: SQL) => Number((await db.rows<{ total: number | string }>(shape))[0]?.total);
  return {
    query: q,
    // Same matches as the repo's count (the shape is equivalent); without the fuzzy WHERE some typo matches drop.
    totals: {
      repo: await repo.count(f),
      oneStatement: await total(oneStatementSearch(q, true)),
      withoutFuzzy: await total(oneStatementSearch(q, false)),
    },
    repoSixSequentialMs: await median(runs, async () => {
      await repo.search(f, 21, null);
      await repo.count(f);
      for (const facet of ['field', 'level', 'onlineLevel', 'agency'] as const) await repo.facet(f, facet);
    }),
    repoSixParallelMs: await median(runs, () => Promise.all(six())),
    oneStatementMs: await median(runs, () => db.rows(oneStatementSearch(q, true))),
    oneStatementWithoutFuzzyWhereMs: await median(runs, () => db.rows(oneStatementSearch(q, false))),
  };
}
