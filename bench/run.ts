/**
 * Platform benchmark, one run, one machine:
 *   1. cold start to /readyz on a new embedded database, then on the existing one; idle RSS;
 *   2. on PostgreSQL (DATABASE_URL, default the local CI cluster): GET /healthz (baseline) vs the DB-backed
 *      agency list GET /api/v1/agencies, with autocannon; the ratio is what we track.
 * Writes bench/results/latest.json and prints a Markdown table for bench/README.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

function startServer(env: Record<string, string>): { child: ChildProcess; port: number } {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', 'start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SERVE_WEB: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, port };
}

async function waitReady(port: number, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server not ready in time');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function timedStart(env: Record<string, string>) {
  const t0 = performance.now();
  const s = startServer(env);
  await waitReady(s.port);
  return { ...s, seconds: (performance.now() - t0) / 1000 };
}

async function load(url: string) {
  const r = await autocannon({ url, connections, duration, pipelining: 1 });
  return { reqPerSec: Math.round(r.requests.average), p99ms: r.latency.p99, errors: r.errors + r.non2xx };
}

async function main() {
  const out: Record<string, unknown> = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    node: process.version,
    duration,
    connections,
  };

  // 1. Cold start on the embedded database.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-bench-'));
  const fresh = await timedStart({ TINHSO_DATA_DIR: dir, DATABASE_URL: '' });
  await stop(fresh.child);
  const again = await timedStart({ TINHSO_DATA_DIR: dir, DATABASE_URL: '' });
  await new Promise((r) => setTimeout(r, 5000));
  out.embedded = {
    coldStartNewDbSeconds: +fresh.seconds.toFixed(2),
    coldStartExistingDbSeconds: +again.seconds.toFixed(2),
    idleRssMb: rssMb(again.child.pid as number),
  };
  await stop(again.child);
  fs.rmSync(dir, { recursive: true, force: true });

  // 2. Throughput on PostgreSQL.
  const base = process.env.DATABASE_URL || 'postgres://tinhso:tinhso@127.0.0.1:5432/postgres';
  const dbName = `tinhso_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  try {
    const server = await timedStart({ DATABASE_URL: url.toString(), TINHSO_DEMO: 'true', JOBS: 'false' });
    const origin = `http://127.0.0.1:${server.port}`;
    await load(`${origin}/healthz`); // warm-up
    const health = await load(`${origin}/healthz`);
    const list = await load(`${origin}/api/v1/agencies?limit=20`);
    out.postgres = {
      coldStartSeconds: +server.seconds.toFixed(2),
      healthz: health,
      agencies: list,
      ratio: +(list.reqPerSec / health.reqPerSec).toFixed(3),
    };
    await stop(server.child);
  } finally {
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }

  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  // Keep what the other benchmarks (public-services.ts, kill-storm.ts) recorded under their own keys.
  const file = path.join(root, 'bench/results/latest.json');
  const others = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(file, `${JSON.stringify({ ...others, ...out }, null, 2)}\n`);
  const e = out.embedded as Record<string, number>;
  const p = out.postgres as { healthz: Record<string, number>; agencies: Record<string, number>; ratio: number; coldStartSeconds: number };
  console.log(`| measure | value |
|---|---|
| cold start, new embedded DB (migrate + demo seed) | ${e.coldStartNewDbSeconds} s |
| cold start, existing embedded DB | ${e.coldStartExistingDbSeconds} s |
| idle RSS (embedded, after 5 s) | ${e.idleRssMb} MB |
| GET /healthz on PostgreSQL | ${p.healthz.reqPerSec} req/s, p99 ${p.healthz.p99ms} ms |
| GET /api/v1/agencies?limit=20 on PostgreSQL | ${p.agencies.reqPerSec} req/s, p99 ${p.agencies.p99ms} ms |
| ratio list / healthz | ${(p.ratio * 100).toFixed(1)} % |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
