/**
 * One factory for both engines: embedded PGlite (default) or a PostgreSQL server (DATABASE_URL).
 * Callers get the same Drizzle API and the same raw-SQL helper whatever the engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';

// biome-ignore lint/suspicious/noExplicitAny: both drivers share this base type
export type Orm = PgDatabase<PgQueryResultHKT, any>;

export type RawClient = { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; pool: pg.Pool };

export interface Database {
  readonly kind: RawClient['kind'];
  readonly raw: RawClient;
  /** Drizzle query builder; `orm.transaction(fn)` gives the same API inside a transaction. */
  readonly orm: Orm;
  /** Run SQL built with drizzle's `sql` template and return its rows. */
  rows<T = Record<string, unknown>>(query: SQL, tx?: Orm): Promise<T[]>;
  /**
   * A hot read by a fixed statement (`$1`… parameters), outside any transaction: on PostgreSQL it is
   * prepared once per connection under `name`, so it is not planned again on every call.
   */
  prepared<T = Record<string, unknown>>(name: string, text: string, values: unknown[]): Promise<T[]>;
  /** Run a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

export const pgliteExtensions = { pg_trgm, unaccent, pgcrypto };

export interface OpenOptions {
  databaseUrl?: string;
  /** Directory for PGlite's files; `memory://` keeps it in memory. */
  pgliteDir?: string;
  /** A PGlite data directory dump to start from (test template). */
  loadDataDir?: Blob;
  /** PGlite's shared_buffers (e.g. '32MB'); a small value keeps the embedded engine's memory low. */
  pgliteSharedBuffers?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  const dir = opts.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  const client = await PGlite.create({
    dataDir: dir,
    extensions: pgliteExtensions,
    postgresqlconf: [`shared_buffers=${opts.pgliteSharedBuffers ?? '32MB'}`],
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const orm = drizzlePglite({ client }) as unknown as Orm;
  return wrap({ kind: 'pglite', client }, orm, {
    exec: async (script) => {
      await client.exec(script);
    },
    close: () => client.close(),
  });
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  const orm = drizzleNodePg({ client: pool }) as unknown as Orm;
  return wrap({ kind: 'postgres', pool }, orm, {
    exec: async (script) => {
      await pool.query(script);
    },
    close: () => pool.end(),
  });
}

function wrap(raw: RawClient, orm: Orm, ops: { exec: (s: string) => Promise<void>; close: () => Promise<void> }): Database {
  return {
    kind: raw.kind,
    raw,
    orm,
    async rows<T>(query: SQL, tx?: Orm): Promise<T[]> {
      const res = (await (tx ?? orm).execute(query)) as unknown as { rows: T[] };
      return res.rows;
    },
    async prepared<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
      if (raw.kind === 'postgres') return (await raw.pool.query({ name, text, values })).rows as T[];
      return (await raw.client.query<T>(text, values)).rows;
    },
    exec: ops.exec,
    close: ops.close,
  };
}

/** True when a database error (possibly wrapped by the ORM) is a unique-constraint violation. */
export function isUniqueViolation(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    if ((cur as { code?: unknown }).code === '23505') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

export { sql };
