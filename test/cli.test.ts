/**
 * The command-line tasks, run as a user would: migrate, admin:create, audit:verify (and its tamper detection).
 * Always on an embedded database in a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/server/platform/db/database';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, DATABASE_URL: '', TINHSO_DATA_DIR: dataDir, TINHSO_DEMO: 'false', ...env },
    encoding: 'utf8',
    input: '',
    timeout: 60_000,
  });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

// Each test starts the CLI two or three times (tsx + the embedded engine: ~5–10 s each, more on a busy machine).
describe('CLI', { timeout: 180_000 }, () => {
  it('migrates a new database, then reports it up to date', () => {
    const first = cli(['migrate']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Đã chạy \d+ migration/);
    const second = cli(['migrate']);
    expect(second.out).toContain('CSDL đã ở phiên bản mới nhất');
  });

  it('admin:create refuses a weak password and creates an administrator with a strong one', () => {
    const weak = cli(['admin:create', '--username', 'quantri', '--name', 'Nguyễn Văn Quản'], { ADMIN_PASSWORD: '123' });
    expect(weak.code).toBe(1);
    expect(weak.out).toContain('Mật khẩu phải có ít nhất 10 ký tự');
    const ok = cli(['admin:create', '--username', 'quantri', '--name', 'Nguyễn Văn Quản'], { ADMIN_PASSWORD: 'BuonMaThuot2026' });
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('Đã tạo quản trị viên "quantri"');
    const again = cli(['admin:create', '--username', 'quantri', '--name', 'X'], { ADMIN_PASSWORD: 'BuonMaThuot2026' });
    expect(again.code).toBe(1);
    expect(again.out).toContain('Tên đăng nhập đã tồn tại');
  });

  it('audit:verify passes on an intact chain and names the first tampered row', async () => {
    const ok = cli(['audit:verify']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/toàn vẹn: đã kiểm tra [1-9]\d* bản ghi/);

    const db = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
    await db.exec(`alter table audit_log disable trigger audit_log_no_update;
      update audit_log set actor_label = 'ke-gian' where seq = (select min(seq) from audit_log);
      alter table audit_log enable trigger audit_log_no_update;`);
    const [first] = await db.rows<{ seq: string }>((await import('drizzle-orm')).sql`select min(seq)::text as seq from audit_log`);
    await db.close();

    const broken = cli(['audit:verify']);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`seq=${first!.seq}`);
  });
});
