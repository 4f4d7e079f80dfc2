/**
 * What one online submission costs in database round trips: the server runs in this process (as `npm start`
 * builds it, jobs on) on a scratch database, every statement node-pg sends is counted and attributed to the
 * HTTP request that sent it (or to background work: jobs, the national portal push), and a few citizens'
 * submissions (two ~200 KB uploads + POST /api/v1/dossiers {submit: true}) are made one after another.
 *
 *   npx tsx bench/submit-trace.ts            # PostgreSQL (DATABASE_URL or the local cluster)
 *   TRACE_DOSSIERS=10 TRACE_SQL=1 npx tsx bench/submit-trace.ts   # more dossiers; list each statement
 *   TRACE_ALLOC=1 npx tsx bench/submit-trace.ts                    # also: bytes allocated per dossier, by site
 *
 * Prints, per request kind, the statements and transactions per request, with the statements' first words.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/config';
import { seedDemoDossiers } from '../src/server/modules/dossiers';
import { openDatabase } from '../src/server/platform/db/database';
import { migrate } from '../src/server/platform/db/migrate';
import { startJobs } from '../src/server/platform/jobs';
import { seedDemo } from '../src/server/seed';
import { randomPort, scratchDir, scratchPostgres, sleep } from './lib';
import { citizenSessions, submissionPlans, submissionStorm } from './submissions';

interface Tally {
  requests: number;
  statements: number;
  transactions: number;
  texts: Map<string, number>;
}

const als = new AsyncLocalStorage<string>();
const tallies = new Map<string, Tally>();
const tally = (label: string): Tally => {
  const t = tallies.get(label) ?? { requests: 0, statements: 0, transactions: 0, texts: new Map() };
  tallies.set(label, t);
  return t;
};

// Count every statement node-pg sends, on whichever client (pool, pg-boss).
const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const q = args[0] as string | { text?: string; name?: string };
  const text = (typeof q === 'string' ? q : (q?.text ?? '')).replace(/\s+/g, ' ').trim();
  const t = tally(als.getStore() ?? '(background: jobs, pool)');
  t.statements++;
  if (/^commit/i.test(text)) t.transactions++;
  const key = `${typeof q === 'object' && q?.name ? '[prepared] ' : ''}${text.slice(0, 110)}`;
  t.texts.set(key, (t.texts.get(key) ?? 0) + 1);
  return original.apply(this, args);
} as typeof pg.Client.prototype.query;

/**
 * V8's sampling heap profiler, keeping the samples of objects already collected: what is allocated (and so
 * what the garbage collector must sweep or copy), not what stays. Printed per dossier, by allocating function.
 */
async function allocationSampler() {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return {
    async report(dossiers: number) {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
        profile: { head: AllocNode };
      };
      session.disconnect();
      const bySite = new Map<string, number>();
      let total = 0;
      const walk = (node: AllocNode, stack: string[]) => {
        const f = node.callFrame;
        const where = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/')}:${f.lineNumber + 1}`;
        if (node.selfSize) {
          total += node.selfSize;
          // Attributed to the nearest frame of our own code, and to the allocating function itself.
          const own = [where, ...stack].find((s) => / (src|bench)\//.test(s)) ?? '(no own frame)';
          const key = `${where}  <- ${own === where ? '' : own}`;
          bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
        }
        for (const c of node.children) walk(c, [where, ...stack]);
      };
      walk(profile.head, []);
      console.log(`\nallocated: ${(total / dossiers / 1024).toFixed(0)} KB per dossier (sampled every 4 KB), by site:`);
      for (const [k, v] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
        console.log(`  ${(v / dossiers / 1024).toFixed(1).padStart(7)} KB  ${k}`);
      }
    },
  };
}
interface AllocNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocNode[];
}

const n = Number(process.env.TRACE_DOSSIERS ?? 5);
const scratch = await scratchPostgres('tinhso_trace');
const dir = scratchDir('tinhso-trace');
process.env.DATABASE_URL = scratch.url;
process.env.TINHSO_DATA_DIR = dir;
process.env.SERVE_WEB = 'false';
process.env.LOG_LEVEL = 'warn';
process.env.LOGIN_RATE_LIMIT_PER_MINUTE = '100000';
// The national-portal push travels to the app's own local portal at PUBLIC_URL: listen there.
const port = randomPort();
process.env.PORT = String(port);
process.env.PUBLIC_URL = `http://127.0.0.1:${port}`;
const config = loadConfig();
const db = await openDatabase({ databaseUrl: scratch.url, pgliteDir: path.join(dir, 'pglite') });
try {
  await migrate(db);
  await seedDemo(db, config);
  const { app, platform } = await buildApp({ config, db });
  await seedDemoDossiers(platform);
  await startJobs(platform);
  // The app is ready (no more hooks): run Fastify's request handler inside the request's label.
  const handlers = app.server.listeners('request') as ((req: { method?: string; url?: string }, res: unknown) => void)[];
  app.server.removeAllListeners('request');
  app.server.on('request', (req: { method?: string; url?: string }, res: unknown) => {
    const label = `${req.method} ${(req.url ?? '').replace(/\?.*/, '').replace(/[0-9a-f-]{36}/g, ':id')}`;
    tally(label).requests++;
    als.run(label, () => {
      for (const h of handlers) h(req, res);
    });
  });
  await app.listen({ port, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${port}`;
  const plans = await submissionPlans(origin);
  const [session] = await citizenSessions(origin, 1);
  // One dossier to warm up (caches, prepared statements), then count.
  let acked = 0;
  await submissionStorm(
    [session!],
    plans,
    () => acked >= 1,
    () => acked++,
  );
  await sleep(3000);
  tallies.clear();
  acked = 0;
  const alloc = process.env.TRACE_ALLOC ? await allocationSampler() : null;
  await submissionStorm(
    [session!],
    plans,
    () => acked >= n,
    () => acked++,
  );
  await sleep(5000); // let the jobs triggered by these dossiers run
  if (alloc) await alloc.report(acked);
  console.log(`\n${acked} dossiers, one after another (statements per request; background per dossier)\n`);
  for (const [label, t] of [...tallies].sort((a, b) => b[1].statements - a[1].statements)) {
    const per = t.requests || acked;
    console.log(
      `${label}: ${t.requests} requests, ${(t.statements / per).toFixed(1)} statements and ${(t.transactions / per).toFixed(1)} commits per ${t.requests ? 'request' : 'dossier'}`,
    );
    if (process.env.TRACE_SQL) {
      for (const [text, c] of [...t.texts].sort((a, b) => b[1] - a[1])) console.log(`   ${(c / per).toFixed(1).padStart(5)} × ${text}`);
    }
  }
  const total = [...tallies.values()].reduce((a, t) => a + t.statements, 0);
  console.log(`\nall: ${(total / acked).toFixed(1)} statements per dossier`);
  await app.close();
  await platform.jobs.stop?.().catch(() => {});
} finally {
  await db.close();
  await scratch.drop();
}
process.exit(0);
