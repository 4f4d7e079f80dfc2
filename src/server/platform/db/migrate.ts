/**
 * Applies the SQL files of `migrations/` in file-name order, each in its own transaction,
 * and records them with a checksum so an edited, already-applied migration is refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Database, sql } from './database';

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../migrations');

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/** Returns the names of the migrations applied by this call. */
export async function migrate(db: Database, files = readMigrations()): Promise<string[]> {
  // Serialise concurrent starters on a server; PGlite has a single connection anyway.
  if (db.raw.kind === 'postgres') {
    const client = await db.raw.pool.connect();
    try {
      await client.query('select pg_advisory_lock(727274)');
      return await applyAll(
        (q, p) => client.query(q, p).then((r) => r.rows),
        (s) => client.query(s).then(() => undefined),
        files,
      );
    } finally {
      await client.query('select pg_advisory_unlock(727274)').catch(() => {});
      client.release();
    }
  }
  const pgl = db.raw.client;
  return applyAll(
    (q, p) => pgl.query(q, p).then((r) => r.rows as Record<string, unknown>[]),
    (s) => pgl.exec(s).then(() => undefined),
    files,
  );
}

async function applyAll(
  query: (q: string, p?: unknown[]) => Promise<Record<string, unknown>[]>,
  exec: (script: string) => Promise<void>,
  files: MigrationFile[],
): Promise<string[]> {
  await exec(`create table if not exists schema_migrations (
    name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
  const done = new Map((await query('select name, checksum from schema_migrations')).map((r) => [r.name, r.checksum]));
  const applied: string[] = [];
  for (const f of files) {
    const known = done.get(f.name);
    if (known !== undefined) {
      if (known !== f.checksum) throw new Error(`Migration ${f.name} đã chạy nhưng nội dung đã bị sửa (checksum khác)`);
      continue;
    }
    await exec(`begin;\n${f.sql}\n;insert into schema_migrations(name, checksum) values ('${f.name}', '${f.checksum}');\ncommit;`).catch(
      async (e) => {
        await exec('rollback').catch(() => {});
        throw new Error(`Migration ${f.name} thất bại: ${(e as Error).message}`);
      },
    );
    applied.push(f.name);
  }
  return applied;
}

/** Number of migration files not yet applied (used by /readyz). */
export async function migrationsPending(db: Database, files = readMigrations()): Promise<number> {
  const rows = await db.rows<{ name: string }>(sql`select name from schema_migrations`);
  const names = new Set(rows.map((r) => r.name));
  return files.filter((f) => !names.has(f.name)).length;
}
