/**
 * Public-services benchmark, one run, one machine (targets in bench/README.md):
 *   search — catalogue search over 2,000 procedures on PostgreSQL: GET /api/v1/procedures?q=… latency
 *            (p50/p95/p99) next to GET /healthz latency measured in the same loop; EXPLAIN ANALYZE of the
 *            statements the catalogue runs for the slowest query.
 *   submit — citizens submitting dossiers with two ~200 KB PDF scans each, many concurrent clients:
 *            dossiers/s on PostgreSQL and on the embedded database (PGlite); then no duplicate codes.
 *   track  — GET /api/v1/public/dossiers/{code} req/s next to GET /healthz req/s (autocannon), PostgreSQL.
 *
 *   npx tsx bench/public-services.ts [search] [submit] [track] [pglite]   (no argument = all four)
 *
 * `pglite` = the submission storm on the embedded database. Results are merged into
 * bench/results/latest.json under "publicServices"; a Markdown table is printed for bench/README.md.
 * Settings: BENCH_ROUNDS (search loops, 30), BENCH_SECONDS (storm and autocannon, 15 / 10),
 * BENCH_CLIENTS (concurrent submitting citizens, 32), BENCH_CONNECTIONS (autocannon, 20).
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { catalogRepo, type SearchFilters } from '../src/server/modules/catalog/catalog.repo';
import { verifyAuditChain } from '../src/server/platform/audit/audit';
import { type Database, openDatabase, sql } from '../src/server/platform/db/database';
import { compareSearchShapes } from './catalog-search-sql';
import { loadCatalogue } from './catalogue';
import {
  cpuDetail,
  cpuSeconds,
  machine,
  machineJiffies,
  mergeResults,
  type Percentiles,
  pdfScanFactory,
  percentiles,
  root,
  type Server,
  scratchDir,
  scratchPostgres,
  sleep,
  startServer,
  stopServer,
} from './lib';
import { citizenSessions, duplicateCodes, type StormResult, submissionPlans, submissionStorm } from './submissions';

const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const stormSeconds = Number(process.env.BENCH_SECONDS ?? 15);
const cannonSeconds = Number(process.env.BENCH_CANNON_SECONDS ?? 10);
const clients = Number(process.env.BENCH_CLIENTS ?? 32);
// Warm-up at full load, not counted: V8 optimises the request paths' hot functions in the first thousand
// or so dossiers (TurboFan compiling on the helper threads, code still in the interpreter meanwhile).
const warmSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

// Bench servers: many citizens log in from one address.
const serverEnv = { LOGIN_RATE_LIMIT_PER_MINUTE: '100000' };
/** BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (open it in Chrome DevTools). */
const profileArgs = () => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : []);

// -------------------------------------------------------------------------------------------------
// 1. A catalogue of 2,000 procedures
// -------------------------------------------------------------------------------------------------

interface SearchCase {
  label: string;
  query: Record<string, string>;
}

function searchCases(communeAgencyId: string): SearchCase[] {
  const c = (label: string, query: Record<string, string>) => ({ label, query });
  return [
    c('dang ky khai sinh', { q: 'dang ky khai sinh' }),
    c('khai sinh', { q: 'khai sinh' }),
    c('giay phep xay dung', { q: 'giay phep xay dung' }),
    c('đăng ki kết hôn', { q: 'đăng ki kết hôn' }),
    c('Đăng ký kết hôn', { q: 'Đăng ký kết hôn' }),
    c('xac nhan tinh trang hon nhan', { q: 'xac nhan tinh trang hon nhan' }),
    c('chung thuc ban sao (typo: chung thục ban sao)', { q: 'chung thục ban sao' }),
    c('giấy phép lái xe', { q: 'giấy phép lái xe' }),
    c('ho kinh doanh', { q: 'ho kinh doanh' }),
    c('cấp lại', { q: 'cấp lại' }),
    c('code prefix 1.00', { q: '1.00' }),
    c('khai sinh + level=commune', { q: 'khai sinh', level: 'commune' }),
    c('trich luc + field=Hộ tịch', { q: 'trich luc', field: 'Hộ tịch' }),
    c('field=Hộ tịch (browse)', { field: 'Hộ tịch' }),
    c('onlineLevel=toan_trinh (browse)', { onlineLevel: 'toan_trinh' }),
    c('ket hon + agencyId=ward', { q: 'ket hon', agencyId: communeAgencyId }),
    c('no filter (first page)', {}),
  ];
}

const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

async function timed(url: string): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.text();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${body.slice(0, 300)}`);
  return { ms, body };
}

/** Runs the repo's own search statements under EXPLAIN ANALYZE (a Database whose rows() explains). */
async function explainSearch(db: Database, filters: SearchFilters): Promise<{ statement: string; ms: number; plan: string }[]> {
  const plans: { statement: string; ms: number; plan: string }[] = [];
  let label = '';
  const explaining: Database = {
    ...db,
    async rows<T>(query: Parameters<Database['rows']>[0]): Promise<T[]> {
      const r = await db.rows<{ 'QUERY PLAN': string }>(sql`explain (analyze, buffers) ${query}`);
      const plan = r.map((x) => x['QUERY PLAN']).join('\n');
      plans.push({ statement: label, ms: Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? Number.NaN), plan });
      return [];
    },
  };
  const repo = catalogRepo(explaining);
  const steps: [string, () => Promise<unknown>][] = [
    ['search (page of 21)', () => repo.search(filters, 21, null)],
    ['count', () => repo.count(filters)],
    ['facet field', () => repo.facet(filters, 'field')],
    ['facet level', () => repo.facet(filters, 'level')],
    ['facet onlineLevel', () => repo.facet(filters, 'onlineLevel')],
    ['facet agency', () => repo.facet(filters, 'agency')],
  ];
  for (const [name, run] of steps) {
    label = name;
    await run();
  }
  return plans;
}

async function benchSearch(server: Server, dbUrl: string) {
  const db = await openDatabase({ databaseUrl: dbUrl, poolSize: 2 });
  try {
    const loaded = await loadCatalogue(db);
    console.error(`catalogue: ${loaded.before} → ${loaded.after} procedures (import ${loaded.seconds} s)`);
    const ward = (await db.rows<{ id: string }>(sql`select id from agencies where kind = 'ubnd_xa' and active order by code limit 1`))[0]
      ?.id as string;
    const cases = searchCases(ward);
    const per = new Map<string, number[]>(cases.map((c) => [c.label, []]));
    const totals = new Map<string, number>();
    const all: number[] = [];
    const health: number[] = [];
    for (let r = -3; r < rounds; r++) {
      for (const c of cases) {
        const s = await timed(`${server.origin}/api/v1/procedures?${qs(c.query)}`);
        const h = await timed(`${server.origin}/healthz`);
        if (r < 0) {
          totals.set(c.label, (JSON.parse(s.body) as { total: number }).total);
          continue; // warm-up
        }
        per.get(c.label)?.push(s.ms);
        all.push(s.ms);
        health.push(h.ms);
      }
    }
    const overall = percentiles(all);
    const healthz = percentiles(health);
    const byQuery = cases.map((c) => ({
      query: c.label,
      url: `/api/v1/procedures?${qs(c.query)}`,
      total: totals.get(c.label),
      ...percentiles(per.get(c.label) ?? []),
    }));
    const worst = [...byQuery].sort((a, b) => b.p95 - a.p95)[0]!;
    const worstCase = cases.find((c) => c.label === worst.query)!;
    const q = worstCase.query;
    const explain = await explainSearch(db, {
      ...(q.q ? { q: q.q, codePrefix: /^[123]\.[0-9]/.test(q.q) ? q.q : null } : {}),
      field: q.field,
      level: q.level as SearchFilters['level'],
      onlineLevel: q.onlineLevel as SearchFilters['onlineLevel'],
      agencyId: q.agencyId,
    });
    fs.writeFileSync(
      path.join(root, 'bench/results/catalog-search-explain.txt'),
      `EXPLAIN (ANALYZE, BUFFERS) of the statements GET /api/v1/procedures?${qs(q)} runs (${new Date().toISOString()}, ${loaded.after} procedures)\n\n${explain
        .map((e) => `--- ${e.statement}: ${e.ms} ms\n${e.plan}`)
        .join('\n\n')}\n`,
    );
    const shapes = await compareSearchShapes(db, 'dang ky khai sinh');
    return {
      procedures: loaded.after,
      importSeconds: loaded.seconds,
      rounds,
      search: overall,
      healthz,
      ratioP50: +(overall.p50 / healthz.p50).toFixed(1),
      ratioP95: +(overall.p95 / healthz.p95).toFixed(1),
      byQuery,
      slowest: { query: worst.query, statementsMs: Object.fromEntries(explain.map((e) => [e.statement, e.ms])) },
      shapes,
    };
  } finally {
    await db.close();
  }
}

// -------------------------------------------------------------------------------------------------
// 2. Submissions: two ~200 KB scans + POST /api/v1/dossiers {submit: true}
// -------------------------------------------------------------------------------------------------

function stormSummary(r: StormResult) {
  const dossiers = r.acked.length;
  return {
    clients,
    seconds: +r.seconds.toFixed(1),
    dossiers,
    dossiersPerSec: +(dossiers / r.seconds).toFixed(1),
    uploadMBPerSec: +((r.uploads.length * pdfScanFactory().bytes) / 1024 / 1024 / r.seconds).toFixed(1),
    dossierMs: percentiles(r.dossierMs) as Percentiles,
    createMs: percentiles(r.createMs) as Percentiles,
    failures: Object.fromEntries(r.failures),
    uniqueCodesInAnswers: new Set(r.acked.map((a) => a.code)).size === dossiers,
  };
}

/**
 * What PostgreSQL's sessions of one database are doing, sampled every 20 ms: running (CPU), waiting on
 * a lock (advisory = the audit chain, transactionid = a row another transaction holds, e.g. the code
 * counter), on the WAL flush (IO:WALSync), or idle inside a transaction waiting for the Node server's
 * next statement ("idle in transaction"). Also the CPU seconds its backends used meanwhile.
 */
function postgresSampler(url: string) {
  const counts = new Map<string, number>();
  const cpu = new Map<number, { first: number; last: number }>();
  const client = new pg.Client({ connectionString: url });
  let running = true;
  let samples = 0;
  const commits = async () =>
    Number(
      (await client.query<{ n: string }>('select xact_commit as n from pg_stat_database where datname = current_database()')).rows[0]?.n,
    );
  let commits0 = 0;
  const loop = (async () => {
    await client.connect();
    commits0 = await commits();
    while (running) {
      const r = await client.query<{ pid: number; w: string | null }>(
        `select pid, case when state = 'active' then coalesce(wait_event_type || ':' || wait_event, 'CPU') when state like 'idle in%' then 'idle in transaction' end as w
           from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      samples++;
      for (const x of r.rows) {
        if (x.w) counts.set(x.w, (counts.get(x.w) ?? 0) + 1);
        try {
          const now = cpuSeconds(x.pid);
          const seen = cpu.get(x.pid);
          // A backend first seen now started during the storm (or just before): count it from zero.
          cpu.set(x.pid, { first: seen?.first ?? (samples === 1 ? now : 0), last: now });
        } catch {
          // the backend has just exited
        }
      }
      await sleep(20);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      // Backends report their counters within a second of going idle.
      await sleep(1500);
      const transactions = (await commits()) - commits0;
      await client.end();
      return {
        transactions,
        samples,
        // Mean number of sessions in each state (e.g. 3.9 = on average 3.9 sessions waited on the audit lock).
        sessions: Object.fromEntries(
          [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, +(v / Math.max(1, samples)).toFixed(2)] as const),
        ),
        backendCpuSeconds: [...cpu.values()].reduce((a, c) => a + c.last - c.first, 0),
      };
    },
  };
}

async function benchSubmit(
  server: Server,
  openDb: () => Promise<Database>,
  opts: { beforeCheck?: () => Promise<void>; pgUrl?: string } = {},
) {
  // A demo server makes its demo CA's keys and PKCS#12 files after it listens (seconds of CPU on a new data
  // folder): not the submissions' cost. Wait until the server is idle.
  const pid = server.child.pid as number;
  for (let i = 0; i < 120; i++) {
    const c0 = cpuSeconds(pid);
    await sleep(1000);
    if (cpuSeconds(pid) - c0 < 0.15) break;
  }
  const plans = await submissionPlans(server.origin);
  const sessions = await citizenSessions(server.origin, clients);
  // Warm-up (JIT, pools, first blob folders), not counted.
  const warmEnd = Date.now() + warmSeconds * 1000;
  await submissionStorm(sessions, plans, () => Date.now() > warmEnd);
  const sampler = opts.pgUrl ? postgresSampler(opts.pgUrl) : undefined;
  const cpu0 = cpuSeconds(server.child.pid as number);
  const d0 = cpuDetail(server.child.pid as number);
  const self0 = process.cpuUsage();
  const m0 = machineJiffies();
  const end = Date.now() + stormSeconds * 1000;
  const r = await submissionStorm(sessions, plans, () => Date.now() > end);
  const serverCpu = cpuSeconds(server.child.pid as number) - cpu0;
  const d1 = cpuDetail(server.child.pid as number);
  const self = process.cpuUsage(self0);
  const m1 = machineJiffies();
  const pgStats = await sampler?.stop();
  const summary = stormSummary(r);
  await opts.beforeCheck?.();
  const db = await openDb();
  try {
    const dups = await duplicateCodes(db);
    const stored = (
      await db.rows<{ n: number }>(
        sql`select count(*)::int as n from dossiers where code in (select jsonb_array_elements_text(${JSON.stringify(r.acked.map((a) => a.code))}::jsonb))`,
      )
    )[0]?.n;
    // The audit chain as the storm left it (linked after commit by the server's chainer, ADR 0011): it must
    // verify, and on PostgreSQL (server still running) nothing should be left unlinked a moment later.
    const audit = await verifyAuditChain(db.orm, 5000, false);
    return {
      result: {
        ...summary,
        procedures: plans.map((p) => p.label),
        duplicateCodes: dups.length,
        ackedStored: stored,
        auditChain: audit.ok ? { ok: true, linked: audit.checked, unlinked: audit.unchained } : audit,
        // Node server process: CPU seconds per second of storm (1.0 = one core all the time).
        serverCpuCores: +(serverCpu / r.seconds).toFixed(2),
        serverCpuMsPerDossier: +((serverCpu * 1000) / Math.max(1, summary.dossiers)).toFixed(1),
        // The same split: user / system (kernel: sockets, files) and JavaScript's main thread / the other threads.
        serverCpuSplitMsPerDossier: (() => {
          const per = (x: number) => +((x * 1000) / Math.max(1, summary.dossiers)).toFixed(1);
          const main = d1.mainThread - d0.mainThread;
          return {
            user: per(d1.user - d0.user),
            system: per(d1.system - d0.system),
            mainThread: per(main),
            otherThreads: per(d1.user - d0.user + d1.system - d0.system - main),
          };
        })(),
        // This script (the 32 citizens' HTTP clients) on the same machine.
        loadGeneratorCpuMsPerDossier: +((self.user + self.system) / 1000 / Math.max(1, summary.dossiers)).toFixed(1),
        machineBusy: +((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)).toFixed(2),
        ...(pgStats
          ? {
              postgresCpuMsPerDossier: +((pgStats.backendCpuSeconds * 1000) / Math.max(1, summary.dossiers)).toFixed(1),
              // Committed transactions (each statement outside BEGIN … COMMIT is one) per dossier, sampler's own excluded.
              postgresTransactionsPerDossier: +((pgStats.transactions - pgStats.samples) / Math.max(1, summary.dossiers)).toFixed(1),
              postgresSessions: pgStats.sessions,
            }
          : {}),
      },
      codes: r.acked.map((a) => a.code),
    };
  } finally {
    await db.close();
  }
}

// -------------------------------------------------------------------------------------------------
// 3. Tracking lookups vs /healthz (autocannon)
// -------------------------------------------------------------------------------------------------

async function cannon(origin: string, paths: string[]) {
  const r = await autocannon({
    url: origin,
    connections,
    duration: cannonSeconds,
    pipelining: 1,
    requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
  });
  return { reqPerSec: Math.round(r.requests.average), p99ms: r.latency.p99, errors: r.errors + r.non2xx };
}

async function benchTrack(server: Server, codes: string[]) {
  const paths = codes.slice(0, 1000).map((c) => `/api/v1/public/dossiers/${c}`);
  await cannon(server.origin, ['/healthz']); // warm-up
  const healthz = await cannon(server.origin, ['/healthz']);
  await cannon(server.origin, paths.slice(0, 50)); // warm-up
  const tracking = await cannon(server.origin, paths);
  return { codes: paths.length, healthz, tracking, ratio: +(tracking.reqPerSec / healthz.reqPerSec).toFixed(3) };
}

// -------------------------------------------------------------------------------------------------

/** A server as `npm start` runs it on a new scratch PostgreSQL database (demo province), for `run`. */
async function onPostgres(run: (server: Server, url: string) => Promise<void>): Promise<void> {
  const scratch = await scratchPostgres('tinhso_bench_ps');
  const dir = scratchDir('tinhso-bench-ps');
  let server: Server | undefined;
  try {
    server = await startServer(
      { ...serverEnv, DATABASE_URL: scratch.url, TINHSO_DATA_DIR: dir },
      { logFile: path.join(dir, 'server.log'), nodeArgs: profileArgs() },
    );
    console.error(`PostgreSQL server ready in ${server.readySeconds.toFixed(1)} s (${server.origin}, log ${dir}/server.log)`);
    await run(server, scratch.url);
  } finally {
    if (server) await stopServer(server.child);
    await scratch.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const all = args.size === 0;
  const want = (x: string) => all || args.has(x);
  const out: Record<string, unknown> = {};
  const save = () => mergeResults('publicServices', out);
  out.machine = machine();

  // Each part on its own server and scratch database: the search part's 2,000-procedure import leaves work
  // behind (audit rows to chain, autovacuum and statistics of the big tables) that would run into the storm.
  if (want('search')) {
    await onPostgres(async (server, url) => {
      out.search = await benchSearch(server, url);
      save();
      console.error('search done');
    });
  }
  if (want('submit') || want('track')) {
    await onPostgres(async (server, url) => {
      const s = await benchSubmit(server, () => openDatabase({ databaseUrl: url, poolSize: 1 }), { pgUrl: url });
      if (want('submit')) {
        out.submitPostgres = s.result;
        save();
      }
      console.error(`submissions on PostgreSQL: ${s.result.dossiersPerSec} dossiers/s`);
      if (want('track')) {
        await sleep(2000);
        out.tracking = await benchTrack(server, s.codes);
        save();
      }
    });
  }

  if (want('pglite')) {
    const dir = scratchDir('tinhso-bench-pglite');
    let server: Server | undefined;
    try {
      server = await startServer(
        { ...serverEnv, DATABASE_URL: '', TINHSO_DATA_DIR: dir },
        { logFile: path.join(dir, 'server.log'), nodeArgs: profileArgs() },
      );
      const running = server;
      const s = await benchSubmit(
        server,
        // The embedded database has one owner: read it once the server has stopped.
        () => openDatabase({ pgliteDir: path.join(dir, 'pglite') }),
        { beforeCheck: () => stopServer(running.child) },
      );
      out.submitPglite = s.result;
      save();
      console.error(`submissions on PGlite: ${s.result.dossiersPerSec} dossiers/s`);
    } finally {
      if (server) await stopServer(server.child);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  printTable(out);
}

function printTable(out: Record<string, unknown>) {
  const s = out.search as Awaited<ReturnType<typeof benchSearch>> | undefined;
  const sp = out.submitPostgres as ReturnType<typeof stormSummary> | undefined;
  const sl = out.submitPglite as ReturnType<typeof stormSummary> | undefined;
  const t = out.tracking as Awaited<ReturnType<typeof benchTrack>> | undefined;
  const lines = ['| measure | value | target |', '|---|---|---|'];
  if (s) {
    lines.push(
      `| catalogue search, ${s.procedures} procedures, PostgreSQL: p50 / p95 / p99 | ${s.search.p50} / ${s.search.p95} / ${s.search.p99} ms | p95 ≤ 20 ms ${s.search.p95 <= 20 ? '✓' : '✗'} |`,
      `| GET /healthz in the same loop: p50 / p95 / p99 | ${s.healthz.p50} / ${s.healthz.p95} / ${s.healthz.p99} ms | |`,
      `| search / healthz latency (p50, p95) | ×${s.ratioP50}, ×${s.ratioP95} | |`,
    );
    const sh = s.shapes;
    lines.push(
      `| database time for \`${sh.query}\`: the repo's 6 statements (sequential / parallel) | ${sh.repoSixSequentialMs} / ${sh.repoSixParallelMs} ms | |`,
      `| · one statement (matches once, page + total + facets from them) | ${sh.oneStatementMs} ms | |`,
      `| · one statement without the fuzzy \`<%\` in WHERE (${sh.totals.withoutFuzzy} of ${sh.totals.repo} matches) | ${sh.oneStatementWithoutFuzzyWhereMs} ms | |`,
    );
    for (const q of s.byQuery) lines.push(`| · \`${q.query}\` (${q.total} found): p50 / p95 | ${q.p50} / ${q.p95} ms | |`);
  }
  if (t) {
    lines.push(
      `| GET /healthz, PostgreSQL server | ${t.healthz.reqPerSec} req/s, p99 ${t.healthz.p99ms} ms | |`,
      `| GET /api/v1/public/dossiers/{code} (${t.codes} codes) | ${t.tracking.reqPerSec} req/s, p99 ${t.tracking.p99ms} ms, ${t.tracking.errors} errors | |`,
      `| ratio tracking / healthz | ${(t.ratio * 100).toFixed(1)} % | ≥ 40 % ${t.ratio >= 0.4 ? '✓' : '✗'} |`,
    );
  }
  for (const [name, r] of [
    ['PostgreSQL', sp],
    ['PGlite', sl],
  ] as const) {
    if (!r) continue;
    lines.push(
      `| submissions (2 × ${Math.round(pdfScanFactory().bytes / 1024)} KB PDF + submit), ${r.clients} clients, ${name} | ${r.dossiersPerSec} dossiers/s (${r.dossiers} in ${r.seconds} s; p50 ${r.dossierMs.p50} ms, p95 ${r.dossierMs.p95} ms per dossier) | ${name === 'PostgreSQL' ? `≥ 100/s ${r.dossiersPerSec >= 100 ? '✓' : '✗'}` : ''} |`,
    );
  }
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
