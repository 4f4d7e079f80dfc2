import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app';
import { freshDatabase, templateFile } from '../../../../test/template';
import { loadConfig } from '../../config';
import { anonymous, type RequestContext } from '../auth/actor';
import type { Permission } from '../auth/permissions';
import type { Orm } from '../db/database';
import { type Database, openDatabase } from '../db/database';
import { Problem } from '../http/problem';
import { createJobs, INSERT_KEYED_JOB, type JobContext, type Jobs, type JobsOptions, jobsAdmin, keyedJobId, startJobs } from '.';

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JOBS: 'false' });
// Fast polling and cron checks so the suite runs in seconds; maintenance stays at its default (rare).
const fast: JobsOptions = { pollingIntervalSeconds: 0.5, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1, stopTimeoutMs: 2000 };

function ctxWith(...permissions: Permission[]): RequestContext {
  return {
    actor: {
      kind: 'staff',
      accountId: randomUUID(),
      label: 'test',
      grants: [{ role: 'test', permissions: new Set(permissions), scope: '' }],
    },
    ip: '127.0.0.1',
    requestId: 'test',
  };
}
const anonymousCtx: RequestContext = { actor: anonymous, ip: null, requestId: null };

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectProblem(p: Promise<unknown>, status: number): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Problem);
  expect((err as Problem).status).toBe(status);
}

let t: TestApp;
let jobs: Jobs;
const flakyRuns: { at: number; job: JobContext<{ n: number }> }[] = [];
const doomedRuns: string[] = [];
const ticks: JobContext<{ from: string }>[] = [];
const onceRuns: string[] = [];
const txRuns: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  jobs = createJobs(t.db, t.platform.config, fast);
  await jobs.register<{ n: number }>(
    'test.flaky',
    async (job) => {
      flakyRuns.push({ at: Date.now(), job });
      if (flakyRuns.length <= 2) throw new Error(`Lỗi tạm thời lần ${flakyRuns.length}`);
    },
    { retryLimit: 3, retryDelay: 1, retryBackoff: true },
  );
  await jobs.register<{ dossier: string }>(
    'test.doomed',
    async (job) => {
      doomedRuns.push(job.id);
      throw new Error('Không kết nối được hệ thống liên thông');
    },
    { retryLimit: 1, retryDelay: 1, retryBackoff: false },
  );
  await jobs.register<{ from: string }>('test.tick', async (job) => {
    ticks.push(job);
  });
  await jobs.register<{ k: string }>('test.once', async (job) => {
    onceRuns.push(job.id);
  });
  await jobs.register<{ k: string }>('test.tx', async (job) => {
    txRuns.push(job.data.k);
  });
  // The platform's own instance: initialised by createPlatform, its workers not started (JOBS=false).
  expect(t.platform.jobs.running).toBe(false);
  await jobs.start();
});

afterAll(async () => {
  await jobs?.stop();
  await t?.close();
});

describe('jobs', () => {
  it('retries a failing job with exponential backoff until it succeeds', async () => {
    const id = await jobs.send('test.flaky', { n: 7 });
    const done = await waitFor('flaky job completed', async () => {
      const j = await jobs.getJob('test.flaky', id);
      return j?.state === 'completed' ? j : null;
    });
    expect(flakyRuns.map((r) => r.job.retryCount)).toEqual([0, 1, 2]);
    expect(new Set(flakyRuns.map((r) => r.job.id))).toEqual(new Set([id]));
    expect(flakyRuns.every((r) => r.job.data.n === 7)).toBe(true);
    expect(done.retryCount).toBe(2);
    // retryDelay 1 s with backoff: the first retry waits 1–2 s, the second 2–4 s (a plain 1 s delay would not).
    const [a, b, c] = flakyRuns.map((r) => r.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(900);
    expect(c - b).toBeGreaterThanOrEqual(1900);
  });

  it('moves a job that always fails to its dead-letter queue, which an admin can list and requeue', async () => {
    const id = await jobs.send('test.doomed', { dossier: 'H66.01-260101-0001' });
    await waitFor('doomed job failed', async () => (await jobs.getJob('test.doomed', id))?.state === 'failed');
    expect(doomedRuns.filter((r) => r === id)).toHaveLength(2); // first run + 1 retry

    const admin = jobsAdmin(t.db, jobs);
    const adminCtx = ctxWith('jobs.manage');
    const page = await waitFor('dead letter listed', async () => {
      const p = await admin.listDeadLetters(adminCtx, { queue: 'test.doomed' });
      return p.items.length ? p : null;
    });
    expect(page.items).toHaveLength(1);
    const dead = page.items[0];
    expect(dead).toMatchObject({
      queue: 'test.doomed',
      deadLetterQueue: 'test.doomed.dead',
      state: 'created',
      data: { dossier: 'H66.01-260101-0001' },
      error: 'Không kết nối được hệ thống liên thông',
    });

    // Who may: only holders of jobs.manage.
    await expectProblem(admin.listDeadLetters(anonymousCtx, {}), 401);
    await expectProblem(admin.listDeadLetters(ctxWith('notify.outbox.read'), {}), 403);
    await expectProblem(admin.requeueDeadLetter(ctxWith('notify.outbox.read'), dead!.id), 403);

    const before = doomedRuns.length;
    const requeued = await admin.requeueDeadLetter(adminCtx, dead!.id);
    expect(requeued.queue).toBe('test.doomed');
    await waitFor('requeued job ran', async () => doomedRuns.includes(requeued.jobId));
    expect(doomedRuns.length).toBeGreaterThan(before);
    const audit = await t.db.rows<{ action: string; target_id: string }>(
      sql`select action, target_id from audit_log where action = 'jobs.dead_letter.requeue'`,
    );
    expect(audit).toEqual([{ action: 'jobs.dead_letter.requeue', target_id: dead!.id }]);
    // Already requeued: not twice.
    await expectProblem(admin.requeueDeadLetter(adminCtx, dead!.id), 409);
    const done = await admin.listDeadLetters(adminCtx, { queue: 'test.doomed', state: 'completed' });
    expect(done.items.map((i) => i.id)).toContain(dead!.id);
  });

  it('answers the dead-letter route with 401 to anonymous callers', async () => {
    const res = await t.app.inject('/api/v1/jobs/dead-letters');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('pages through dead letters with a cursor', async () => {
    const admin = jobsAdmin(t.db, jobs);
    const ctx = ctxWith('jobs.manage');
    const all = await admin.listDeadLetters(ctx, { limit: 200 });
    const first = await admin.listDeadLetters(ctx, { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.items[0]?.id).toBe(all.items[0]?.id);
    if (all.items.length > 1) {
      expect(first.nextCursor).not.toBeNull();
      const second = await admin.listDeadLetters(ctx, { limit: 1, cursor: first.nextCursor ?? undefined });
      expect(second.items[0]?.id).toBe(all.items[1]?.id);
    }
    await expectProblem(admin.listDeadLetters(ctx, { cursor: Buffer.from('["x","y"]').toString('base64url') }), 400);
  });

  it('fires a cron schedule', async () => {
    await jobs.schedule('test.tick', '* * * * *', { from: 'cron' });
    const tick = await waitFor('scheduled job ran', async () => ticks[0]);
    expect(tick.data).toEqual({ from: 'cron' });
    await jobs.unschedule('test.tick');
  });

  it('enqueues once per singletonKey', async () => {
    const key = `dossier-${randomUUID()}`;
    const a = await jobs.send('test.once', { k: key }, { singletonKey: key });
    const b = await jobs.send('test.once', { k: key }, { singletonKey: key });
    const c = await t.db.orm.transaction((tx) => jobs.sendInTx(tx, 'test.once', { k: key }, { singletonKey: key }));
    expect(a).toBe(keyedJobId('test.once', key));
    expect(b).toBe(a);
    expect(c).toBe(a);
    await waitFor('keyed job completed', async () => (await jobs.getJob('test.once', a))?.state === 'completed');
    // Sent again after it ran: still the same job, not run again.
    expect(await jobs.send('test.once', { k: key }, { singletonKey: key })).toBe(a);
    await new Promise((r) => setTimeout(r, 1200));
    expect(onceRuns.filter((r) => r === a)).toHaveLength(1);
  });

  it('enqueues a keyed job in one statement: a second send, and one after the job was archived, add nothing', async () => {
    expect(INSERT_KEYED_JOB).not.toBeNull();
    const key = `one-statement-${randomUUID()}`;
    const id = keyedJobId('test.once', key);
    let statements = 0;
    const counted = (tx: Orm) =>
      new Proxy(tx, {
        get(target, p, receiver) {
          if (p !== 'execute') return Reflect.get(target, p, receiver);
          return (q: Parameters<Orm['execute']>[0]) => {
            statements++;
            return target.execute(q);
          };
        },
      });
    await t.db.orm.transaction(async (tx) => {
      expect(await jobs.sendInTx(counted(tx), 'test.once', { k: key }, { singletonKey: key })).toBe(id);
      expect(await jobs.sendInTx(counted(tx), 'test.once', { k: key }, { singletonKey: key })).toBe(id);
    });
    expect(statements).toBe(2);
    const rows = () => t.db.rows(sql`select id from pgboss.job where name = 'test.once' and singleton_key = ${key}`);
    expect(await rows()).toHaveLength(1);
    await waitFor('keyed job completed', async () => (await jobs.getJob('test.once', id))?.state === 'completed');
    // Archived as pg-boss's maintenance does it (moved out of pgboss.job): sending again must not revive it.
    const columns = sql.raw(
      'id, name, priority, data, state, retry_limit, retry_count, retry_delay, retry_backoff, start_after, started_on, singleton_key, singleton_on, expire_in, created_on, completed_on, keep_until, dead_letter, policy, output',
    );
    await t.db.rows(sql`insert into pgboss.archive (${columns}) select ${columns} from pgboss.job where name = 'test.once' and id = ${id}`);
    await t.db.rows(sql`delete from pgboss.job where name = 'test.once' and id = ${id}`);
    statements = 0;
    expect(await t.db.orm.transaction((tx) => jobs.sendInTx(counted(tx), 'test.once', { k: key }, { singletonKey: key }))).toBe(id);
    expect(statements).toBe(1);
    expect(await rows()).toHaveLength(0);
    expect((await jobs.getJob('test.once', id))?.state).toBe('completed');
  });

  it('runs a batch handler on several jobs at once; only the jobs it reports failed are retried', async () => {
    const batched = createJobs(t.db, config, fast);
    const batches: number[][] = [];
    await batched.registerBatch<{ i: number }>(
      'test.batch',
      async (run) => {
        batches.push(run.map((j) => j.data.i));
        const bad = run.filter((j) => j.data.i === 2 && j.retryCount === 0);
        return new Map(bad.map((j) => [j.id, new Error('Số 2 lỗi lần đầu')]));
      },
      { batchSize: 10, retryLimit: 2, retryDelay: 1, retryBackoff: false, deadLetter: false },
    );
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await batched.send('test.batch', { i }));
    await batched.start();
    try {
      await waitFor('batch done', async () => {
        const states = await Promise.all(ids.map(async (id) => (await batched.getJob('test.batch', id))?.state));
        return states.every((s) => s === 'completed');
      });
      // The five together, then the one that failed, alone, on its retry.
      expect(batches.map((b) => [...b].sort())).toEqual([[0, 1, 2, 3, 4], [2]]);
      expect((await batched.getJob('test.batch', ids[2] as string))?.retryCount).toBe(1);
      expect((await batched.getJob('test.batch', ids[0] as string))?.retryCount).toBe(0);
    } finally {
      await batched.stop();
    }
  });

  it('enqueues inside a transaction: nothing on rollback, the job on commit', async () => {
    let rolledBackId = '';
    await expect(
      t.db.orm.transaction(async (tx) => {
        rolledBackId = await jobs.sendInTx(tx, 'test.tx', { k: 'rolled-back' });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(rolledBackId).not.toBe('');
    expect(await jobs.getJob('test.tx', rolledBackId)).toBeNull();

    const id = await t.db.orm.transaction((tx) => jobs.sendInTx(tx, 'test.tx', { k: 'committed' }));
    await waitFor('committed job ran', async () => (await jobs.getJob('test.tx', id))?.state === 'completed');
    expect(txRuns).toEqual(['committed']);
  });

  it('refuses unknown job names and duplicate registrations', async () => {
    await expect(jobs.send('test.nobody', {})).rejects.toThrow(/chưa được đăng ký/);
    await expect(jobs.register('test.once', async () => {})).rejects.toThrow(/đã được đăng ký/);
    await expect(jobs.register('Bad Name', async () => {})).rejects.toThrow(/không hợp lệ/);
  });

  it('works through a backlog without waiting a polling interval between jobs', async () => {
    // Polls every 30 s: only reading on right after each job lets the backlog finish within the wait below.
    const slow = createJobs(t.db, config, { ...fast, pollingIntervalSeconds: 30 });
    const done: number[] = [];
    await slow.register<{ i: number }>('test.backlog', async (job) => {
      done.push(job.data.i);
    });
    for (let i = 0; i < 5; i++) await slow.send('test.backlog', { i });
    await slow.start();
    try {
      await waitFor('backlog processed', async () => done.length === 5, 10_000);
      expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await slow.stop();
    }
  });

  it('starts workers only when the configuration asks for them', async () => {
    const off = { config: { jobs: false }, jobs: createJobs(t.db, config, fast) };
    expect(await startJobs(off)).toBe(false);
    expect(off.jobs.running).toBe(false);
    const on = { config: { jobs: true }, jobs: createJobs(t.db, config, fast) };
    expect(await startJobs(on)).toBe(true);
    expect(on.jobs.running).toBe(true);
    await on.jobs.stop();
    expect(on.jobs.running).toBe(false);
  });
});

/**
 * A database that can be closed and opened again: a PGlite directory on disk, or (DATABASE_URL) a
 * PostgreSQL database reached through a new pool each time.
 */
async function reopenableDatabase(): Promise<{ open(): Promise<Database>; cleanup(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const base = await freshDatabase();
    if (base.raw.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const url = (base.raw.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    return { open: () => openDatabase({ databaseUrl: url, poolSize: 3 }), cleanup: () => base.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-jobs-'));
  // Starts from the template's data directory (faster than a fresh initdb), then lives on disk.
  let first = true;
  return {
    open: () => {
      const loadDataDir = first ? new Blob([fs.readFileSync(templateFile)]) : undefined;
      first = false;
      return openDatabase({ pgliteDir: path.join(dir, 'pglite'), ...(loadDataDir ? { loadDataDir } : {}) });
    },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

describe('jobs across a restart', () => {
  it('keeps a queued job when the process stops and runs it after the restart', { timeout: 60_000 }, async () => {
    const store = await reopenableDatabase();
    try {
      const ran: JobContext<{ n: number }>[] = [];
      const handler = async (job: JobContext<{ n: number }>) => {
        ran.push(job);
      };

      // First life: workers running, a job enqueued that is due in 2 s, then the process stops.
      const db1 = await store.open();
      const jobs1 = createJobs(db1, config, fast);
      await jobs1.register('test.durable', handler);
      await jobs1.start();
      const id = await jobs1.send('test.durable', { n: 42 }, { startAfter: 2 });
      await jobs1.stop();
      await db1.close();
      expect(ran).toHaveLength(0);

      // Second life on the same storage.
      const db2 = await store.open();
      const jobs2 = createJobs(db2, config, fast);
      await jobs2.register('test.durable', handler);
      await jobs2.start();
      try {
        await waitFor('job after restart', async () => ran.length > 0);
        expect(ran[0]?.id).toBe(id);
        expect(ran[0]?.data).toEqual({ n: 42 });
      } finally {
        await jobs2.stop();
        await db2.close();
      }
    } finally {
      await store.cleanup();
    }
  });
});
