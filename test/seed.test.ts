import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config';
import type { Database } from '../src/server/platform/db/database';
import { seedDemo } from '../src/server/seed';
import { seedDemoOnce } from '../src/server/seed-once';
import { freshDatabase } from './template';

let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.close());

const counts = async () =>
  (
    await db.rows<{ t: string; n: number }>(sql`
    select 'accounts' t, count(*)::int n from accounts union all
    select 'agencies', count(*)::int from agencies union all
    select 'admin_units', count(*)::int from admin_units union all
    select 'role_assignments', count(*)::int from role_assignments union all
    select 'audit_log', count(*)::int from audit_log`)
  ).map((r) => `${r.t}=${r.n}`);

describe('demo seed', () => {
  it('is idempotent: a second run changes nothing', async () => {
    const before = await counts();
    await seedDemo(db, loadConfig({ NODE_ENV: 'test' }));
    expect(await counts()).toEqual(before);
  });

  it('runs at start only when it may change something', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(await seedDemoOnce(db, config)).toBe(true);
    expect(await seedDemoOnce(db, config)).toBe(false);
    // A new migration makes the next start seed again.
    await db.rows(sql`insert into schema_migrations (name, checksum) values ('9999_pretend.sql', 'x')`);
    expect(await seedDemoOnce(db, config)).toBe(true);
  });
});
