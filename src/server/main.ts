/**
 * Command-line entry: `start` (default), `migrate`, `seed`, `admin:create`, `audit:verify`, `signing:demo-ca`,
 * `sso:rotate-keys`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createAdmin } from './admin-create';
import { buildApp } from './app';
import { assertProductionReady, type Config, loadConfig } from './config';
import { seedDemoDossiers } from './modules/dossiers';
import { seedDemoEdata } from './modules/edata';
import { demoAgencies } from './modules/org';
import { ensureKeys as ensureSsoKeys, rotateKeys as rotateSsoKeys } from './modules/sso';
import { verifyAuditChain } from './platform/audit/audit';
import { systemContext } from './platform/auth/actor';
import { type Database, openDatabase } from './platform/db/database';
import { migrate } from './platform/db/migrate';
import { webDistDir } from './platform/http/web';
import { demoCaReport, ensureConfiguredDemoCa } from './platform/signing';
import { seedDemo } from './seed';
import { seedDemoOnce } from './seed-once';

export function openConfigured(config: Config): Promise<Database> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
    pgliteSharedBuffers: config.pgliteSharedBuffers,
  });
}

/** The demo CA and a signing certificate per demo agency (only what is missing). */
async function ensureDemoSigning(config: Config) {
  if (config.production) throw new Error('Không tạo CA demo khi NODE_ENV=production: hãy dùng chứng thư số thật (docs/signing.md).');
  const agencies = demoAgencies.map((a) => ({ code: a.code, name: a.name }));
  return ensureConfiguredDemoCa(config, agencies);
}

async function buildWebIfMissing(): Promise<void> {
  if (fs.existsSync(path.join(webDistDir, 'index.html'))) return;
  console.log('Đang build giao diện web (lần đầu)…');
  const { build } = await import('vite');
  await build({ configFile: path.resolve(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn' });
}

async function start(config: Config): Promise<void> {
  const t0 = Date.now();
  if (config.serveWeb) await buildWebIfMissing();
  const db = await openConfigured(config);
  await migrate(db);
  if (config.demo) await seedDemoOnce(db, config);
  const { app, platform } = await buildApp({ config, db });
  // Needs the whole platform (files, PDFs, notifications), so it runs after the app is built.
  if (config.demo) await seedDemoDossiers(platform);
  // congdan's e-data store (uploads go through the file service, so it needs the platform too).
  if (config.demo) await seedDemoEdata(platform);
  const jobs = (platform as { jobs?: { start(): Promise<void>; stop(): Promise<void> } }).jobs;
  if (config.jobs && jobs) await jobs.start();
  await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl;
  console.log(
    `\nTinhSo đang chạy tại ${url}  (sẵn sàng sau ${((Date.now() - t0) / 1000).toFixed(1)} s; CSDL: ${db.kind === 'pglite' ? `PGlite nhúng tại ${config.dataDir}` : 'PostgreSQL'})`,
  );
  console.log(`Tài liệu API: ${url}/api/docs`);
  if (config.demo) {
    console.log('Tài khoản demo (mật khẩu: demo): admin, motcua, chuyenvien, lanhdao, vanthu, congdan\n');
  }
  if (config.demo) {
    // Key generation takes seconds: done after the server is up (nothing signs at start), and the demo
    // runs without signing rather than not at all.
    void ensureDemoSigning(config)
      .then((ca) => {
        if (ca.created.length) console.log(`Đã tạo ${ca.created.length} chứng thư số demo để ký số (${ca.p12Dir}).`);
      })
      .catch((err: unknown) => console.warn(`Không tạo được chứng thư số demo: ${err instanceof Error ? err.message : err}`));
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Nhận ${signal}, đang dừng…`);
    await app.close();
    if (jobs) await jobs.stop().catch(() => {});
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function main(): Promise<void> {
  const [command = 'start', ...args] = process.argv.slice(2);
  const config = loadConfig();
  assertProductionReady(config);
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate': {
      const db = await openConfigured(config);
      const applied = await migrate(db);
      console.log(applied.length ? `Đã chạy ${applied.length} migration: ${applied.join(', ')}` : 'CSDL đã ở phiên bản mới nhất.');
      return db.close();
    }
    case 'seed': {
      const db = await openConfigured(config);
      await migrate(db);
      await seedDemo(db, config);
      console.log('Đã nạp dữ liệu demo.');
      return db.close();
    }
    case 'admin:create': {
      const db = await openConfigured(config);
      await migrate(db);
      try {
        await createAdmin(db, args);
      } finally {
        await db.close();
      }
      return;
    }
    case 'audit:verify': {
      const db = await openConfigured(config);
      const res = await verifyAuditChain(db.orm);
      await db.close();
      if (res.ok) {
        console.log(`Nhật ký hệ thống toàn vẹn: đã kiểm tra ${res.checked} bản ghi.`);
        return;
      }
      console.error(
        `Chuỗi nhật ký bị phá vỡ tại bản ghi seq=${res.brokenAt}: ${res.reason} (đã kiểm tra ${res.checked} bản ghi trước đó).`,
      );
      process.exit(1);
      return;
    }
    case 'signing:demo-ca':
      console.log(demoCaReport(await ensureDemoSigning(config)));
      return;
    case 'sso:rotate-keys': {
      // New token signing keys; the previous ones stay in the JWKS. Running servers switch within 30 s.
      const db = await openConfigured(config);
      try {
        await migrate(db);
        await ensureSsoKeys(db, config);
        const kids = await rotateSsoKeys(db, config, systemContext('cli:sso:rotate-keys'));
        console.log(`Đã tạo khóa ký mới: ${kids.join(', ')}. Khóa cũ vẫn được công bố để kiểm tra token đã cấp.`);
      } finally {
        await db.close();
      }
      return;
    }
    default:
      console.error(
        `Lệnh không hợp lệ: ${command}. Dùng: start | migrate | seed | admin:create | audit:verify | signing:demo-ca | sso:rotate-keys`,
      );
      process.exit(2);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
