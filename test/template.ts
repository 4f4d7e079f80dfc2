/**
 * Test databases. A template is built once per run (migrations + demo seed); each test file
 * gets a fresh copy: a PGlite data-dir dump loaded in memory, or `CREATE DATABASE … TEMPLATE`
 * on a PostgreSQL server when DATABASE_URL is set.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../src/server/platform/db/database';

export const templateFile = path.join(os.tmpdir(), `tinhso-test-template-${process.env.TINHSO_TEST_RUN ?? 'local'}.tar.gz`);

export function serverUrlFor(baseUrl: string, dbName: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
}

export const templateDbName = () => `tinhso_tpl_${process.env.TINHSO_TEST_RUN ?? 'local'}`;

/** A fresh database for one test file, with the migrated and seeded template's content. */
export async function freshDatabase(): Promise<Database> {
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const name = `tinhso_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    try {
      await admin.query(`create database ${name} template ${templateDbName()}`);
    } finally {
      await admin.end();
    }
    const db = await openDatabase({ databaseUrl: serverUrlFor(baseUrl, name), poolSize: 5 });
    const close = db.close;
    return Object.assign(db, {
      close: async () => {
        await close();
        const a = new pg.Client({ connectionString: baseUrl });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`).catch(() => {});
        await a.end();
      },
    });
  }
  const dump = fs.readFileSync(templateFile);
  return openDatabase({ pgliteDir: 'memory://', loadDataDir: new Blob([dump]) });
}
