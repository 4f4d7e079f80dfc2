/**
 * Background jobs on the app's own database (pg-boss 10): no broker to run, and a job enqueued in the
 * same transaction as a business write is committed — or rolled back — with it.
 *
 * Two pg-boss instances share the database connection:
 * - the producer (started by init(): installs pg-boss's schema and our queues, runs no timer) sends,
 *   schedules and answers admin queries in every process, also where JOBS=false;
 * - the worker (started by start(), only where workers should run) polls the queues, runs handlers,
 *   fires cron schedules and does pg-boss's maintenance (expiry, archiving).
 *
 * Handlers must be idempotent: a job may run more than once (retry after a failure, a crash between
 * the handler's effect and pg-boss recording completion, a shutdown that interrupts it). Use the job's
 * `id` (or a business key in `data`) to recognise work already done.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { type AuditChainer, startAuditChainer } from '../audit/audit';
import type { Database, Orm } from '../db/database';
import { createLogger } from '../log';
import { type BossDb, bossDbFor, bossDbInTx, type TrackedBossDb } from './jobs.db';

/** Schema holding pg-boss's tables (pgboss.job, pgboss.queue, pgboss.schedule, pgboss.archive). */
export const JOBS_SCHEMA = 'pgboss';
/** Default time zone of cron schedules: the province's offices. */
export const SCHEDULE_TZ = 'Asia/Ho_Chi_Minh';

export interface JobContext<T> {
  /** pg-boss job id; stable across retries of the same job — use it as an idempotency key. */
  id: string;
  name: string;
  data: T;
  /** 0 on the first run, 1 on the first retry, … */
  retryCount: number;
  retryLimit: number;
}

export type JobHandler<T> = (job: JobContext<T>) => Promise<void>;

/**
 * Runs several jobs of a queue at once (see registerBatch). Resolves with the jobs that failed (by id,
 * each with its error; they are retried like a failed single job) — the others are completed. Throwing
 * fails every job of the batch.
 */
export type BatchJobHandler<T> = (jobs: JobContext<T>[]) => Promise<Map<string, Error> | undefined>;

export interface RegisterOptions {
  /** Retries after the first failure (default 3). */
  retryLimit?: number;
  /** Seconds before a retry (default 5); with backoff, the base of an exponential, jittered delay. */
  retryDelay?: number;
  /** Exponential backoff between retries (default true). */
  retryBackoff?: boolean;
  /**
   * Queue that receives the job's data when it has failed after all retries; default `<name>.dead`.
   * `false`: failed jobs are only kept in pg-boss's own tables (not listed as dead letters).
   */
  deadLetter?: string | false;
  /** A run taking longer than this many seconds fails (and is retried); default 15 minutes. */
  expireInSeconds?: number;
  /** Jobs of this queue run in parallel in one process (default 1). */
  concurrency?: number;
}

export interface BatchRegisterOptions extends RegisterOptions {
  /** At most this many jobs are handed to one call of the handler (default 50). */
  batchSize?: number;
}

export interface SendOptions {
  /**
   * Idempotent enqueue: every send with the same key gives the same job id, and only the first creates
   * a job (as long as pg-boss keeps it: 14 days by default, then 7 more in its archive).
   */
  singletonKey?: string;
  /** Run no earlier than this moment (a Date) or this many seconds from now. */
  startAfter?: Date | number;
  /** Higher runs first (default 0). */
  priority?: number;
}

export interface JobsOptions {
  /** Seconds between polls of an idle queue (default config.jobsPollSeconds; pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
  /** Seconds between maintenance runs: expiring stuck jobs, archiving finished ones (default 120). */
  maintenanceIntervalSeconds?: number;
  /** Seconds between checks of the cron schedules (default 30; schedules have minute precision). */
  cronMonitorIntervalSeconds?: number;
  /** Seconds between polls of pg-boss's internal queue that turns a due schedule into a job (default 5). */
  cronWorkerIntervalSeconds?: number;
  /** How long stop() waits for running handlers (default 10 s); unfinished jobs are failed and retried later. */
  stopTimeoutMs?: number;
  log?: Logger;
}

export interface Jobs {
  /**
   * Declares a queue and its handler. Call it before init() (createPlatform does) or await it: after
   * init() it creates the queue, and after start() it also starts the queue's worker.
   */
  register<T extends object>(name: string, handler: JobHandler<T>, opts?: RegisterOptions): Promise<void>;
  /**
   * Like register(), for a handler that takes the queue's waiting jobs in batches (fetched, and
   * completed, in one statement each): for work that is cheaper done for many at once.
   */
  registerBatch<T extends object>(name: string, handler: BatchJobHandler<T>, opts?: BatchRegisterOptions): Promise<void>;
  /** Installs pg-boss's tables and creates the registered queues. Idempotent; starts no worker. */
  init(): Promise<void>;
  /** Enqueues a job; returns its id. Visible to workers at once (no surrounding transaction). */
  send<T extends object>(name: string, data: T, opts?: SendOptions): Promise<string>;
  /**
   * Enqueues a job inside the caller's transaction: it exists only if the transaction commits. Workers
   * on PostgreSQL see it at their next poll; call wake(name) after the commit to start it at once.
   */
  sendInTx<T extends object>(tx: Orm, name: string, data: T, opts?: SendOptions): Promise<string>;
  /** Makes this process's idle workers of a queue poll now. */
  wake(name: string): void;
  /** Creates or replaces the cron schedule of a queue (one per queue). Fires only where workers run. */
  schedule<T extends object>(name: string, cron: string, data?: T, opts?: { tz?: string }): Promise<void>;
  unschedule(name: string): Promise<void>;
  /** Starts the workers of every registered queue, the scheduler and maintenance. */
  start(): Promise<void>;
  /** Stops the workers, waiting for running handlers (see stopTimeoutMs). Safe to call when not started. */
  stop(): Promise<void>;
  readonly running: boolean;
  /** Names of the registered queues and their dead-letter queues. */
  queues(): { name: string; deadLetter: string | null }[];
  /** A job as pg-boss stores it (also from its archive), or null. */
  getJob(name: string, id: string): Promise<PgBoss.JobWithMetadata<object> | null>;
}

interface Definition {
  name: string;
  handler: BatchJobHandler<object>;
  batchSize: number;
  opts: RegisterOptions;
  deadLetter: string | null;
  workerIds: string[];
  /** The queue exists in the database. */
  ready: boolean;
  /** The worker instance this queue's workers run on (guards against starting them twice). */
  workingOn: PgBoss | null;
}

const NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

export function createJobs(db: Database, config: Config, options: JobsOptions = {}): Jobs {
  return new JobsService(db, config, options);
}

/**
 * pg-boss's own insert of one job (`INSERT … SELECT … ON CONFLICT DO NOTHING`, which the job's primary
 * key (name, id) makes a no-op for a keyed job still in pgboss.job), made to also skip a keyed job already
 * moved to the archive: an idempotent enqueue in one statement. null if this pg-boss's insert is not
 * the one this was written against (then the enqueue looks the job up first, in two more statements).
 */
const pgBossPlans = createRequire(import.meta.url)('pg-boss/src/plans.js') as { insertJob(schema: string): string };
const INSERT_JOB = pgBossPlans.insertJob(JOBS_SCHEMA);
const INSERT_JOIN = `JOIN ${JOBS_SCHEMA}.queue q ON j.name = q.name`;
export const INSERT_KEYED_JOB: string | null =
  INSERT_JOB.split(INSERT_JOIN).length === 2 && /ON CONFLICT DO NOTHING\s+RETURNING id\s*$/.test(INSERT_JOB)
    ? INSERT_JOB.replace(
        INSERT_JOIN,
        `${INSERT_JOIN} WHERE NOT EXISTS (SELECT 1 FROM ${JOBS_SCHEMA}.archive a WHERE a.name = j.name AND a.id = j.id)`,
      )
    : null;

/** A BossDb on which pg-boss's insert of one job runs as INSERT_KEYED_JOB (and nothing else runs). */
function keyedInsertOn(on: BossDb, guarded: string): BossDb {
  return {
    executeSql(text, values) {
      if (text !== INSERT_JOB) throw new Error('pg-boss chạy một câu lệnh khác câu lệnh thêm tác vụ đã biết');
      return on.executeSql(guarded, values);
    },
  };
}

/** The job id that `singletonKey` always maps to (name-based, like a UUID v5). */
export function keyedJobId(name: string, key: string): string {
  const h = createHash('sha256').update(`${name}\n${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

class JobsService implements Jobs {
  private readonly defs = new Map<string, Definition>();
  private readonly producerDb: BossDb;
  private readonly producer: PgBoss;
  private readonly log: Logger;
  private initPromise: Promise<void> | null = null;
  private worker: PgBoss | null = null;
  private workerDb: TrackedBossDb | null = null;
  /** Links the audit log's new rows into its chain where workers run (platform/audit). */
  private chainer: AuditChainer | null = null;
  private starting: Promise<void> | null = null;
  /** Handlers running now (stop() waits for them). */
  private active = 0;

  constructor(
    private readonly db: Database,
    config: Config,
    private readonly options: JobsOptions,
  ) {
    this.log = options.log ?? createLogger(config).child({ block: 'jobs' });
    this.options = { pollingIntervalSeconds: config.jobsPollSeconds, ...options };
    this.producerDb = bossDbFor(db);
    // No supervision, no scheduler: this instance only writes and reads, so it runs no timer.
    this.producer = new PgBoss({ db: this.producerDb, schema: JOBS_SCHEMA, supervise: false, schedule: false, migrate: true });
    this.producer.on('error', (err) => this.log.error({ err }, 'Lỗi hàng đợi tác vụ nền'));
  }

  get running(): boolean {
    return this.worker !== null;
  }

  register<T extends object>(name: string, handler: JobHandler<T>, opts: RegisterOptions = {}): Promise<void> {
    const one = handler as unknown as JobHandler<object>;
    return this.define(
      name,
      async ([job]) => {
        if (job) await one(job);
        return undefined;
      },
      1,
      opts,
    );
  }

  async registerBatch<T extends object>(name: string, handler: BatchJobHandler<T>, opts: BatchRegisterOptions = {}): Promise<void> {
    const size = opts.batchSize ?? 50;
    if (!Number.isInteger(size) || size < 1) throw new Error(`batchSize của tác vụ "${name}" phải là số nguyên dương`);
    await this.define(name, handler as unknown as BatchJobHandler<object>, size, opts);
  }

  private async define(name: string, handler: BatchJobHandler<object>, batchSize: number, opts: RegisterOptions): Promise<void> {
    if (!NAME.test(name)) throw new Error(`Tên tác vụ không hợp lệ: "${name}" (chữ thường, số, '.', '-', '_')`);
    if (this.defs.has(name)) throw new Error(`Tác vụ "${name}" đã được đăng ký`);
    const deadLetter = opts.deadLetter === false ? null : (opts.deadLetter ?? `${name}.dead`);
    if (deadLetter !== null && !NAME.test(deadLetter)) throw new Error(`Tên hàng đợi lỗi không hợp lệ: "${deadLetter}"`);
    const def: Definition = {
      name,
      handler,
      batchSize,
      opts,
      deadLetter,
      workerIds: [],
      workingOn: null,
      ready: false,
    };
    this.defs.set(name, def);
    if (this.initPromise) {
      await this.initPromise;
      await this.ensureQueue(def);
    }
    if (this.worker) await this.startWorkers(this.worker, def);
  }

  init(): Promise<void> {
    this.initPromise ??= (async () => {
      await this.producer.start();
      for (const def of this.defs.values()) await this.ensureQueue(def);
    })().catch((err) => {
      this.initPromise = null; // let a later call try again (e.g. the database was not reachable yet)
      throw err;
    });
    return this.initPromise;
  }

  private async ensureQueue(def: Definition): Promise<void> {
    if (def.deadLetter) await this.producer.createQueue(def.deadLetter, { name: def.deadLetter });
    const queue: PgBoss.Queue = {
      name: def.name,
      retryLimit: def.opts.retryLimit ?? 3,
      retryDelay: def.opts.retryDelay ?? 5,
      retryBackoff: def.opts.retryBackoff ?? true,
      ...(def.opts.expireInSeconds ? { expireInSeconds: def.opts.expireInSeconds } : {}),
      ...(def.deadLetter ? { deadLetter: def.deadLetter } : {}),
    };
    await this.producer.createQueue(def.name, queue);
    // An existing queue takes the settings of the code that runs now.
    await this.producer.updateQueue(def.name, queue);
    def.ready = true;
  }

  private requireDef(name: string): Definition {
    const def = this.defs.get(name);
    if (!def) throw new Error(`Tác vụ "${name}" chưa được đăng ký (gọi jobs.register trước)`);
    return def;
  }

  async send<T extends object>(name: string, data: T, opts: SendOptions = {}): Promise<string> {
    const def = this.requireDef(name);
    await this.init();
    if (!def.ready) await this.ensureQueue(def);
    const id = await this.insert(this.producerDb, def, data, opts);
    this.wake(name);
    return id;
  }

  async sendInTx<T extends object>(tx: Orm, name: string, data: T, opts: SendOptions = {}): Promise<string> {
    const def = this.requireDef(name);
    // The queue must exist before the transaction: on PGlite a statement outside the open transaction
    // would wait for it to end, i.e. forever.
    if (!def.ready) {
      throw new Error(`Hàng đợi "${name}" chưa được tạo: gọi jobs.init() (createPlatform làm việc này) hoặc chờ jobs.register xong`);
    }
    const id = await this.insert(bossDbInTx(tx), def, data, opts);
    // On PGlite the woken worker's fetch waits for the transaction to end, then finds the job at once.
    // On PostgreSQL it cannot see the job before the commit: the caller wakes it after committing.
    if (this.db.kind === 'pglite') this.wake(name);
    return id;
  }

  private async insert(on: BossDb, def: Definition, data: object, opts: SendOptions): Promise<string> {
    const sendOptions: PgBoss.SendOptions = {
      db: on,
      ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
      ...(opts.startAfter !== undefined ? { startAfter: opts.startAfter } : {}),
    };
    if (opts.singletonKey !== undefined) {
      const id = keyedJobId(def.name, opts.singletonKey);
      if (INSERT_KEYED_JOB) {
        // Inserted, or already there (queued, done or archived): the same job either way.
        await this.producer.send(def.name, data, {
          ...sendOptions,
          db: keyedInsertOn(on, INSERT_KEYED_JOB),
          id,
          singletonKey: opts.singletonKey,
        });
        return id;
      }
      if (await this.producer.getJobById(def.name, id, { db: on, includeArchive: true })) return id;
      await this.producer.send(def.name, data, { ...sendOptions, id, singletonKey: opts.singletonKey });
      return id; // null from send() means a concurrent send created it first: same job
    }
    const id = await this.producer.send(def.name, data, sendOptions);
    if (!id) throw new Error(`Không tạo được tác vụ "${def.name}"`);
    return id;
  }

  wake(name: string): void {
    const def = this.defs.get(name);
    if (!def || !this.worker) return;
    for (const id of def.workerIds) this.worker.notifyWorker(id);
  }

  async schedule<T extends object>(name: string, cron: string, data?: T, opts: { tz?: string } = {}): Promise<void> {
    const def = this.requireDef(name);
    await this.init();
    if (!def.ready) await this.ensureQueue(def);
    await this.producer.schedule(name, cron, data ?? {}, { tz: opts.tz ?? SCHEDULE_TZ });
  }

  async unschedule(name: string): Promise<void> {
    await this.init();
    await this.producer.unschedule(name);
  }

  start(): Promise<void> {
    if (this.worker) return Promise.resolve();
    this.starting ??= this.doStart().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    await this.init();
    const o = this.options;
    const workerDb = bossDbFor(this.db);
    const worker = new PgBoss({
      db: workerDb,
      schema: JOBS_SCHEMA,
      migrate: false,
      supervise: true,
      schedule: true,
      maintenanceIntervalSeconds: o.maintenanceIntervalSeconds ?? 120,
      cronMonitorIntervalSeconds: o.cronMonitorIntervalSeconds ?? 30,
      cronWorkerIntervalSeconds: o.cronWorkerIntervalSeconds ?? 5,
      // Clock skew matters only for schedules; checking it every 10 minutes is plenty.
      clockMonitorIntervalSeconds: 600,
    });
    worker.on('error', (err) => this.log.error({ err }, 'Lỗi bộ xử lý tác vụ nền'));
    await worker.start();
    this.worker = worker;
    this.workerDb = workerDb;
    this.chainer = startAuditChainer(this.db, this.log);
    for (const def of this.defs.values()) await this.startWorkers(worker, def);
  }

  private async startWorkers(worker: PgBoss, def: Definition): Promise<void> {
    if (def.workingOn === worker) return;
    def.workingOn = worker;
    // pg-boss refuses intervals under 0.5 s.
    const pollingIntervalSeconds = Math.max(0.5, this.options.pollingIntervalSeconds ?? 2);
    const opts = { pollingIntervalSeconds, batchSize: def.batchSize, includeMetadata: true as const };
    for (let i = 0; i < Math.max(1, def.opts.concurrency ?? 1); i++) {
      let workerId = '';
      workerId = await worker.work<object>(def.name, opts, async (batch) => {
        try {
          if (batch.length) await this.run(worker, def, batch);
        } finally {
          // pg-boss sleeps a polling interval after every job; a queue with a backlog is read on at once.
          if (workerId) worker.notifyWorker(workerId);
        }
      });
      def.workerIds.push(workerId);
    }
  }

  /**
   * Runs the handler on a batch. Resolving lets pg-boss complete the batch (its completion only touches
   * jobs still active); the jobs the handler reports failed are failed first, so they are retried.
   */
  private async run(worker: PgBoss, def: Definition, batch: PgBoss.JobWithMetadata<object>[]): Promise<void> {
    this.active++;
    try {
      let failed: Map<string, Error> | undefined;
      try {
        failed = await def.handler(
          batch.map((job) => ({ id: job.id, name: job.name, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit })),
        );
      } catch (err) {
        for (const job of batch) this.warnFailed(def, job, err as Error);
        throw err;
      }
      if (!failed?.size) return;
      const byError = new Map<Error, string[]>();
      for (const job of batch) {
        const err = failed.get(job.id);
        if (!err) continue;
        this.warnFailed(def, job, err);
        byError.set(err, [...(byError.get(err) ?? []), job.id]);
      }
      // pg-boss takes ids with a failure reason; its typings only declare one id with one.
      const fail = worker.fail.bind(worker) as unknown as (name: string, ids: string[], data: object) => Promise<unknown>;
      for (const [err, ids] of byError) await fail(def.name, ids, err);
    } finally {
      this.active--;
    }
  }

  private warnFailed(def: Definition, job: PgBoss.JobWithMetadata<object>, err: Error): void {
    const last = job.retryCount >= job.retryLimit;
    this.log.warn(
      { job: def.name, jobId: job.id, retryCount: job.retryCount, err: err.message },
      last ? `Tác vụ thất bại lần cuối${def.deadLetter ? `, chuyển vào ${def.deadLetter}` : ''}` : 'Tác vụ thất bại, sẽ thử lại',
    );
  }

  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => {});
    const worker = this.worker;
    const workerDb = this.workerDb;
    if (!worker || !workerDb) return;
    this.worker = null;
    this.workerDb = null;
    const chainer = this.chainer;
    this.chainer = null;
    for (const def of this.defs.values()) {
      def.workerIds = [];
      def.workingOn = null;
    }
    const timeout = this.options.stopTimeoutMs ?? 10_000;
    await chainer?.stop();
    await worker.stop({ graceful: true, close: false, wait: true, timeout });
    // pg-boss may resolve stop() while a poll is still running, and that poll may hand a job to a
    // handler: let both finish before the caller closes the database.
    await workerDb.drain(timeout, () => this.active > 0);
    workerDb.close();
  }

  queues(): { name: string; deadLetter: string | null }[] {
    return [...this.defs.values()].map((d) => ({ name: d.name, deadLetter: d.deadLetter }));
  }

  async getJob(name: string, id: string): Promise<PgBoss.JobWithMetadata<object> | null> {
    await this.init();
    return this.producer.getJobById<object>(name, id, { includeArchive: true });
  }
}
