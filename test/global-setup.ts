/**
 * Builds the template database once per `vitest run`.
 */
import fs from 'node:fs';
import pg from 'pg';
import { loadConfig } from '../src/server/config';
import { ensureKeys } from '../src/server/modules/sso';
import { openDatabase } from '../src/server/platform/db/database';
import { migrate } from '../src/server/platform/db/migrate';
import { seedDemo } from '../src/server/seed';
import { serverUrlFor, templateDbName, templateFile } from './template';

export default async function setup(): Promise<() => Promise<void>> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${templateDbName()}`);
    const db = await openDatabase({ databaseUrl: serverUrlFor(baseUrl, templateDbName()), poolSize: 2 });
    await migrate(db);
    await seedDemo(db, config);
    // SSO signing keys made once here, not by every test app's first boot (RSA key generation is slow).
    await ensureKeys(db, config);
    await db.close();
    return async () => {
      await admin.query(`drop database if exists ${templateDbName()} with (force)`).catch(() => {});
      await admin.end();
    };
  }
  const db = await openDatabase({ pgliteDir: 'memory://' });
  await migrate(db);
  await seedDemo(db, config);
  await ensureKeys(db, config);
  if (db.raw.kind !== 'pglite') throw new Error('unreachable');
  const dump = await db.raw.client.dumpDataDir('gzip');
  fs.writeFileSync(templateFile, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  return async () => {
    fs.rmSync(templateFile, { force: true });
  };
}
