/**
 * How pg-boss reaches our database. pg-boss accepts any `{ executeSql(text, values) }`, so it shares the
 * app's connection instead of opening its own:
 *
 * - PGlite (one connection, in process): `query()` runs one statement with parameters, `exec()` runs a
 *   script of several statements without parameters — pg-boss sends both kinds (its schema creation and
 *   maintenance are multi-statement scripts wrapped in BEGIN … COMMIT).
 * - PostgreSQL: the app's pool; `pool.query` handles both kinds itself.
 * - Inside a Drizzle transaction (enqueue atomically with a business write): the SQL is rebuilt as a
 *   Drizzle query so it runs on the transaction's connection.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Orm } from '../db/database';

type Row = Record<string, unknown>;

export interface BossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
}

/** A BossDb that can be drained and closed, so stopping the workers never races a closing database. */
export interface TrackedBossDb extends BossDb {
  /** Resolves once no statement is running and `busy()` is false (or after `timeoutMs`). */
  drain(timeoutMs: number, busy?: () => boolean): Promise<void>;
  /** Refuse every later statement. */
  close(): void;
}

export function bossDbFor(db: Database): TrackedBossDb {
  const run = rawRunner(db);
  let inFlight = 0;
  let closed = false;
  return {
    async executeSql(text, values) {
      if (closed) throw new Error('Tác vụ nền đã dừng: không chạy thêm câu lệnh SQL nào.');
      inFlight++;
      try {
        return await run(text, values);
      } finally {
        inFlight--;
      }
    },
    async drain(timeoutMs, busy = () => false) {
      const until = Date.now() + timeoutMs;
      // Twice idle in a row: pg-boss fires its "complete" statement a few ticks after a handler returns.
      let quiet = 0;
      while (quiet < 2 && Date.now() < until) {
        quiet = inFlight === 0 && !busy() ? quiet + 1 : 0;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close() {
      closed = true;
    },
  };
}

function rawRunner(db: Database): (text: string, values?: unknown[]) => Promise<{ rows: Row[] }> {
  const raw = db.raw;
  if (raw.kind === 'postgres') {
    return async (text, values) => {
      const res = await raw.pool.query(text, values as unknown[] | undefined);
      // A multi-statement script answers with one result per statement.
      return Array.isArray(res) ? lastWithRows(res) : { rows: res.rows };
    };
  }
  const client = raw.client;
  return async (text, values) => {
    if (values && values.length > 0) {
      const res = await client.query(text, values.map(nullIfUndefined));
      return { rows: res.rows as Row[] };
    }
    return lastWithRows(await client.exec(text));
  };
}

/** The rows of the last statement that returns rows (scripts end with COMMIT, which returns none). */
function lastWithRows(results: { rows: unknown[]; fields?: unknown[] }[]): { rows: Row[] } {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i];
    if (r && (r.fields?.length ?? 0) > 0) return { rows: r.rows as Row[] };
  }
  return { rows: (results[results.length - 1]?.rows ?? []) as Row[] };
}

function nullIfUndefined(v: unknown): unknown {
  return v === undefined ? null : v;
}

/** A BossDb running on a Drizzle transaction: the job is committed, or rolled back, with the caller's write. */
export function bossDbInTx(tx: Orm): BossDb {
  return {
    async executeSql(text, values = []) {
      const res = (await tx.execute(fromPositional(text, values))) as unknown as { rows: Row[] };
      return { rows: res.rows };
    },
  };
}

/** Turns `text` with $1…$n placeholders into a Drizzle query with the same parameters. */
export function fromPositional(text: string, values: unknown[]): SQL {
  const query = sql.empty();
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    const n = Number(m[1]);
    if (n < 1 || n > values.length) throw new Error(`Tham số $${n} không có giá trị`);
    query.append(sql.raw(text.slice(last, m.index)));
    // sql.param keeps arrays and objects as one parameter (the sql`` template would spread an array).
    query.append(sql`${sql.param(nullIfUndefined(values[n - 1]))}`);
    last = (m.index ?? 0) + m[0].length;
  }
  query.append(sql.raw(text.slice(last)));
  return query;
}
