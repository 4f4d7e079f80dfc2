/**
 * Runs the demo seed at start only when it may change something: the first time, after a new
 * migration, or when DEMO_SEED_VERSION is raised. The seed itself stays idempotent; this only
 * keeps restarts fast (re-checking the whole demo province takes seconds on the embedded engine).
 */
import { createHash } from 'node:crypto';
import type { Config } from './config';
import { type Database, sql } from './platform/db/database';
import { seedDemo } from './seed';

/** Raise when the demo data changes without a new migration. */
export const DEMO_SEED_VERSION = 1;

export async function seedDemoOnce(db: Database, config: Config): Promise<boolean> {
  const migrations = await db.rows<{ name: string }>(sql`select name from schema_migrations order by name`);
  const fingerprint = createHash('sha256')
    .update(`${DEMO_SEED_VERSION}\n${migrations.map((m) => m.name).join('\n')}`)
    .digest('hex');
  const [last] = await db.rows<{ fingerprint: string }>(sql`select fingerprint from seed_runs where name = 'demo'`);
  if (last?.fingerprint === fingerprint) return false;
  await seedDemo(db, config);
  await db.rows(sql`insert into seed_runs (name, fingerprint) values ('demo', ${fingerprint})
    on conflict (name) do update set fingerprint = excluded.fingerprint, applied_at = now()`);
  return true;
}
