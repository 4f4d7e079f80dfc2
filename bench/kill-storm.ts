/**
 * Kill storm: nothing acknowledged is lost when the process dies (DESIGN.md §7).
 *
 * For each engine (embedded PGlite, PostgreSQL): start the real server on its own port and scratch data
 * (directory, database), let many citizens submit dossiers with two ~200 KB PDF scans each, `kill -9` the
 * server in the middle of the storm, restart it, and repeat; then one storm without a kill. Afterwards:
 *   - every dossier answered 2xx is there (owner's GET), submitted, with its code and both attachments,
 *     and each attachment's bytes read back through the API hash to what was uploaded;
 *   - every upload answered 201 is still readable (GET /api/v1/files/:id/content, same SHA-256);
 *   - the public tracking page knows every acknowledged code;
 *   - no dossier code is held twice, and no code counter is behind the codes already given;
 *   - submissions cut off by the kill are retried with their Idempotency-Key (informative: a retry
 *     may replay the answer, run anew, or be refused — it was never acknowledged).
 * Prints a summary; exits 1 on any loss.
 *
 *   npx tsx bench/kill-storm.ts [pglite] [postgres]     (no argument = both)
 *
 * Settings: STORM_CLIENTS (32), STORM_KILLS (3); the kill comes once STORM_MIN_ACKED (20) dossiers of the
 * round were acknowledged, after a further random 0–STORM_EXTRA_MS (2000) ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Database, openDatabase, sql } from '../src/server/platform/db/database';
import {
  Client,
  HttpError,
  machine,
  mergeResults,
  randomPort,
  type Server,
  scratchDir,
  scratchPostgres,
  sha256,
  sleep,
  startServer,
  stopServer,
} from './lib';
import { type Acked, citizenSessions, duplicateCodes, type StormResult, submissionPlans, submissionStorm } from './submissions';

const clients = Number(process.env.STORM_CLIENTS ?? 32);
const kills = Number(process.env.STORM_KILLS ?? 3);
const minAcked = Number(process.env.STORM_MIN_ACKED ?? 20);
const maxExtraMs = Number(process.env.STORM_EXTRA_MS ?? 2000);

interface EngineSetup {
  name: 'pglite' | 'postgres';
  env: Record<string, string>;
  openDb(): Promise<Database>;
  /** Drops the scratch database; removes the data directory unless `keepDir` (its server.log tells what happened). */
  cleanup(keepDir: boolean): Promise<void>;
  dir: string;
}

async function setup(name: EngineSetup['name']): Promise<EngineSetup> {
  const dir = scratchDir(`tinhso-kill-storm-${name}`);
  if (name === 'pglite') {
    return {
      name,
      dir,
      env: { DATABASE_URL: '', TINHSO_DATA_DIR: dir },
      openDb: () => openDatabase({ pgliteDir: path.join(dir, 'pglite') }),
      cleanup: async (keepDir) => {
        if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const db = await scratchPostgres('tinhso_kill_storm');
  return {
    name,
    dir,
    env: { DATABASE_URL: db.url, TINHSO_DATA_DIR: dir },
    openDb: () => openDatabase({ databaseUrl: db.url, poolSize: 2 }),
    cleanup: async (keepDir) => {
      await db.drop();
      if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` over the items with `n` workers. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

interface DossierRead {
  id: string;
  code: string | null;
  state: string;
  files: { fileId: string; componentKey: string }[];
}

/** What is missing or wrong for each acknowledged dossier and upload; empty = nothing lost. */
async function verify(origin: string, sessions: Client[], acked: Acked[], uploads: StormResult['uploads']): Promise<string[]> {
  const problems: string[] = [];
  const anon = new Client(origin);
  await pool(acked, 8, async (a) => {
    const s = sessions[a.owner] as Client;
    try {
      const d = await s.json<DossierRead>('GET', `/api/v1/dossiers/${a.id}`);
      if (d.code !== a.code) problems.push(`dossier ${a.id}: code ${d.code}, acknowledged ${a.code}`);
      if (d.state !== 'submitted') problems.push(`dossier ${a.code}: state ${d.state}`);
      for (const f of a.files) {
        if (!d.files.some((x) => x.fileId === f.fileId)) {
          problems.push(`dossier ${a.code}: attachment ${f.fileId} not listed`);
          continue;
        }
        const res = await s.request('GET', `/api/v1/dossiers/${a.id}/files/${f.fileId}`);
        const bytes = Buffer.from(await res.arrayBuffer());
        if (!res.ok) problems.push(`dossier ${a.code}: attachment ${f.fileId} HTTP ${res.status}`);
        else if (sha256(bytes) !== f.sha256) problems.push(`dossier ${a.code}: attachment ${f.fileId} bytes differ`);
      }
      const pub = await anon.request('GET', `/api/v1/public/dossiers/${a.code}`);
      await pub.arrayBuffer();
      if (pub.status !== 200) problems.push(`tracking ${a.code}: HTTP ${pub.status}`);
    } catch (e) {
      problems.push(`dossier ${a.code} (${a.id}): ${(e as Error).message.slice(0, 200)}`);
    }
  });
  await pool(uploads, 8, async (u) => {
    const res = await (sessions[u.owner] as Client).request('GET', `/api/v1/files/${u.fileId}/content`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) problems.push(`upload ${u.fileId}: HTTP ${res.status}`);
    else if (sha256(bytes) !== u.sha256) problems.push(`upload ${u.fileId}: bytes differ`);
  });
  return problems;
}

/** Retries the submissions the kill cut off, with the same Idempotency-Key and body. */
async function retryUnanswered(sessions: Client[], unanswered: StormResult['unanswered']) {
  const outcome = new Map<string, number>();
  const count = (k: string) => outcome.set(k, (outcome.get(k) ?? 0) + 1);
  const acked: Acked[] = [];
  await pool(unanswered, 8, async (u) => {
    const s = sessions[u.owner] as Client;
    const res = await s.request('POST', '/api/v1/dossiers', u.body, { 'idempotency-key': u.key });
    const text = await res.text();
    if (res.status === 201) {
      count(res.headers.get('idempotent-replayed') ? '201 replayed' : '201 new');
      const d = JSON.parse(text) as { id: string; code: string };
      const files = (u.body as { files: { fileId: string }[] }).files.map((f) => ({ fileId: f.fileId, sha256: '' }));
      acked.push({ id: d.id, code: d.code, owner: u.owner, files });
    } else {
      let code = '';
      try {
        code = (JSON.parse(text) as { code?: string }).code ?? '';
      } catch {}
      count(`${res.status}${code ? ` ${code}` : ''}`);
    }
  });
  return { outcome: Object.fromEntries(outcome), acked };
}

/** Counters that are behind the highest number already given for their agency and day (next submission would collide). */
async function countersBehind(db: Database): Promise<number> {
  const rows = await db.rows<{ n: number }>(sql`
    select count(*)::int as n from (
      select agency_id, to_date(substring(code from '-([0-9]{6})-[0-9]+$'), 'YYMMDD') as day,
             max(substring(code from '-([0-9]+)$')::int) as top
        from dossiers where code is not null group by 1, 2
    ) given left join dossier_code_counters c using (agency_id, day)
    where c.last is null or c.last < given.top`);
  return rows[0]?.n ?? 0;
}

async function runEngine(name: EngineSetup['name']) {
  const e = await setup(name);
  const port = randomPort();
  const logFile = path.join(e.dir, 'server.log');
  const start = () => startServer({ ...e.env, LOGIN_RATE_LIMIT_PER_MINUTE: '100000' }, { port, logFile });
  let server: Server | undefined;
  let keepDir = true;
  const acked: Acked[] = [];
  const uploads: StormResult['uploads'] = [];
  const unanswered: StormResult['unanswered'] = [];
  const failures = new Map<string, number>();
  const restarts: number[] = [];
  const add = (r: StormResult) => {
    acked.push(...r.acked);
    uploads.push(...r.uploads);
    unanswered.push(...r.unanswered);
    for (const [k, v] of r.failures) failures.set(k, (failures.get(k) ?? 0) + v);
  };
  try {
    server = await start();
    console.error(`[${name}] server ready in ${server.readySeconds.toFixed(1)} s on ${server.origin} (log ${logFile})`);
    const plans = await submissionPlans(server.origin);
    const sessions = await citizenSessions(server.origin, clients);
    for (let round = 1; round <= kills; round++) {
      let stop = false;
      let inRound = 0;
      const t0 = performance.now();
      const storm = submissionStorm(
        sessions,
        plans,
        () => stop,
        () => inRound++,
      );
      // In the middle: once the storm is flowing (some dossiers acknowledged), at a random moment.
      const deadline = Date.now() + 120_000;
      while (inRound < minAcked && Date.now() < deadline) await sleep(20);
      await sleep(Math.random() * maxExtraMs);
      const after = performance.now() - t0;
      const before = acked.length;
      server.child.kill('SIGKILL');
      stop = true;
      await new Promise((r) => (server as Server).child.once('exit', r));
      const r = await storm;
      add(r);
      server = await start();
      restarts.push(+server.readySeconds.toFixed(2));
      console.error(
        `[${name}] round ${round}: kill -9 after ${(after / 1000).toFixed(1)} s, ${acked.length - before} dossiers acknowledged, ` +
          `${r.unanswered.length} cut off; back in ${server.readySeconds.toFixed(1)} s`,
      );
    }
    // The service goes on after the last restart (new numbers must not collide with the old ones).
    const end = Date.now() + 3000;
    add(await submissionStorm(sessions, plans, () => Date.now() > end));
    const retried = await retryUnanswered(sessions, unanswered);
    const problems = await verify(server.origin, sessions, acked, uploads);
    const retriedProblems = await verify(
      server.origin,
      sessions,
      retried.acked.map((a) => ({ ...a, files: [] })),
      [],
    );
    const codes = [...acked, ...retried.acked].map((a) => a.code);
    const answeredTwice = codes.length - new Set(codes).size;
    await stopServer(server.child);
    const db = await e.openDb();
    let dups: { code: string; n: number }[];
    let behind: number;
    let stored: number;
    try {
      dups = await duplicateCodes(db);
      behind = await countersBehind(db);
      stored = (await db.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where code is not null`))[0]?.n ?? 0;
    } finally {
      await db.close();
    }
    const summary = {
      clients,
      kills,
      restartSeconds: restarts,
      acknowledgedDossiers: acked.length,
      acknowledgedUploads: uploads.length,
      storedDossiersWithCode: stored,
      cutOffByKill: unanswered.length,
      retryOfCutOff: retried.outcome,
      failuresDuringStorms: Object.fromEntries(failures),
      lost: problems.length + retriedProblems.length,
      duplicateCodes: dups.length,
      sameCodeAnsweredTwice: answeredTwice,
      countersBehind: behind,
    };
    const ok = summary.lost === 0 && dups.length === 0 && answeredTwice === 0 && behind === 0 && acked.length > 0;
    console.log(`\n=== kill storm on ${name}: ${ok ? 'OK — nothing acknowledged was lost' : 'FAILED'} ===`);
    console.log(JSON.stringify(summary, null, 2));
    for (const p of [...problems, ...retriedProblems].slice(0, 30)) console.log(`  ✗ ${p}`);
    if (!ok) console.log(`server log: ${logFile} (kept)`);
    keepDir = !ok;
    return { ok, summary };
  } catch (err) {
    if (err instanceof HttpError) console.error(err.message);
    console.error(`[${name}] server log: ${logFile} (kept)`);
    throw err;
  } finally {
    if (server) await stopServer(server.child);
    await e.cleanup(keepDir);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const engines = (args.length ? args : ['pglite', 'postgres']) as EngineSetup['name'][];
  const results: Record<string, unknown> = { machine: machine() };
  let ok = true;
  for (const name of engines) {
    const r = await runEngine(name);
    results[name] = { ok: r.ok, ...r.summary };
    ok &&= r.ok;
  }
  mergeResults('killStorm', results);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
