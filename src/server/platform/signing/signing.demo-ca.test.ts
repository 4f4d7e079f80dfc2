/**
 * The demo CA: `npm run signing:demo-ca` creates a root and one PKCS#12 per demo agency once; a second run
 * changes nothing; the files sign documents that verify (and are trusted through SIGNING_TRUST_DIR).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { agencyCommonName, DEMO_ORGANIZATION, DEMO_ROOT_NAME, ensureDemoCa } from './demo-ca';
import { readPkcs12 } from './pkcs12';
import { createSigning } from './signing.service';
import { hasPdfsig, pdfsig, samplePdf } from './testing';
import { Certificate } from './x509';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-demo-ca-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const repo = path.resolve(import.meta.dirname, '../../../..');

/** Path → SHA-256 and mtime of every file under `dir`. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = `${createHash('sha256').update(fs.readFileSync(file)).digest('hex')} ${fs.statSync(file).mtimeMs}`;
  }
  return out;
}

function cli(dataDir: string, env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts', 'signing:demo-ca'], {
    cwd: repo,
    env: { ...process.env, DATABASE_URL: '', TINHSO_DATA_DIR: dataDir, NODE_ENV: 'development', TINHSO_DEMO: '', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

describe('ensureDemoCa', () => {
  const base = path.join(tmp, 'lib');
  const options = (agencies: { code: string; name: string }[]) => ({
    signingDir: path.join(base, 'signing'),
    p12Dir: path.join(base, 'signing', 'agencies'),
    trustDir: path.join(base, 'signing', 'trusted'),
    password: 'mk-demo',
    agencies,
    provinceName: 'Đắk Lắk',
    rootBits: 2048,
    agencyBits: 2048,
  });
  const stp = { code: 'H66.003', name: 'Sở Tư pháp' };
  const xa = { code: 'H66.204', name: 'Ủy ban nhân dân xã Ea Kar' };

  it('names agencies as their certificates show them', () => {
    expect(agencyCommonName('Sở Tư pháp', 'Đắk Lắk')).toBe('SỞ TƯ PHÁP TỈNH ĐẮK LẮK');
    expect(agencyCommonName('Ủy ban nhân dân tỉnh Đắk Lắk', 'Đắk Lắk')).toBe('ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK');
  });

  it('issues a signing certificate under the demo root, adds new agencies later under the same root, never overwrites', async () => {
    const first = await ensureDemoCa(options([stp]));
    expect(first).toMatchObject({ rootCreated: true, created: ['H66.003'], kept: [] });
    const root = new Certificate(readRoot());
    expect(root.info.subjectCommonName).toBe(DEMO_ROOT_NAME);
    expect(root.isCa).toBe(true);
    expect((fs.statSync(path.join(base, 'signing', 'demo-ca', 'root.key')).mode & 0o777).toString(8)).toBe('600');

    const key = readPkcs12(fs.readFileSync(path.join(base, 'signing', 'agencies', 'H66.003.p12')), 'mk-demo', 'H66.003');
    const leaf = new Certificate(key.chain[0]!);
    expect(leaf.info.subject).toBe(`CN=SỞ TƯ PHÁP TỈNH ĐẮK LẮK, OU=H66.003, O=${DEMO_ORGANIZATION}, L=Đắk Lắk, C=VN`);
    expect(leaf.info.issuerCommonName).toBe(DEMO_ROOT_NAME);
    expect(leaf.keyUsage).toEqual({ digitalSignature: true, nonRepudiation: true, keyCertSign: false });
    expect(leaf.isCa).toBe(false);
    expect(leaf.issuedBy(root)).toBe(true);

    const before = snapshot(base);
    const second = await ensureDemoCa(options([stp, xa]));
    expect(second).toMatchObject({ rootCreated: false, created: ['H66.204'], kept: ['H66.003'] });
    const after = snapshot(base);
    for (const [file, sig] of Object.entries(before)) expect(after[file], file).toBe(sig);
    const added = readPkcs12(fs.readFileSync(path.join(base, 'signing', 'agencies', 'H66.204.p12')), 'mk-demo', 'H66.204');
    expect(new Certificate(added.chain[0]!).issuedBy(root)).toBe(true);

    expect(await ensureDemoCa(options([stp, xa]))).toMatchObject({ created: [], kept: ['H66.003', 'H66.204'] });
    expect(snapshot(base)).toEqual(after);
  });

  it('stops with a clear message when the root key is gone and a certificate must be issued', async () => {
    fs.rmSync(path.join(base, 'signing', 'demo-ca', 'root.key'));
    await expect(ensureDemoCa(options([{ code: 'H66.005', name: 'Sở Công Thương' }]))).rejects.toThrow(/Thiếu khoá của CA demo/);
  });

  function readRoot(): Buffer {
    const pem = fs.readFileSync(path.join(base, 'signing', 'demo-ca', 'root.crt'), 'latin1');
    return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  }
});

describe('npm run signing:demo-ca', () => {
  const dataDir = path.join(tmp, 'cli');

  it('creates the root and one PKCS#12 per demo agency once; a second run changes nothing', async () => {
    const first = cli(dataDir);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain(`Đã tạo CA gốc demo "${DEMO_ROOT_NAME}"`);
    const count = Number(/tạo mới (\d+), giữ nguyên 0/.exec(first.out)?.[1]);
    expect(count).toBeGreaterThanOrEqual(10); // the demo province's agencies
    expect(first.out).toContain('certutil -A -d sql:');
    const files = snapshot(path.join(dataDir, 'signing'));
    const p12s = Object.keys(files).filter((f) => /^agencies\/.+\.p12$/.test(f));
    expect(p12s).toHaveLength(count);
    expect(p12s).toContain('agencies/H66.003.p12');
    expect(
      Object.keys(files)
        .filter((f) => !p12s.includes(f))
        .sort(),
    ).toEqual(['demo-ca/root.crt', 'demo-ca/root.key', 'trusted/tinhso-demo-root.pem']);

    const second = cli(dataDir);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain(`tạo mới 0, giữ nguyên ${count}`);
    expect(snapshot(path.join(dataDir, 'signing'))).toEqual(files);
  }, 300_000);

  it('gives platform.signing a working, trusted signer for a demo agency', async () => {
    const signing = createSigning(loadConfig({ TINHSO_DATA_DIR: dataDir } as NodeJS.ProcessEnv));
    const signer = await signing.signerFor('H66.003');
    expect(signer.describe()).toMatchObject({ subjectCommonName: 'SỞ TƯ PHÁP TỈNH ĐẮK LẮK', issuerCommonName: DEMO_ROOT_NAME });
    const signed = await signer.sign(await samplePdf(), {
      reason: 'Cấp bản sao trích lục hộ tịch',
      location: 'Đắk Lắk',
      appearance: { page: 0, rect: [320, 60, 230, 50] },
    });
    expect((await signing.verify(signed)).signatures[0]).toMatchObject({ valid: true, pades: true, trusted: true });
    if (hasPdfsig) expect(pdfsig(signed).signatures[0]!.validation).toBe('Signature is Valid.');
  });

  it('refuses to make a demo CA in production', () => {
    const res = cli(path.join(tmp, 'prod'), {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      DATA_ENCRYPTION_KEY: 'y'.repeat(40),
    });
    expect(res.code).toBe(1);
    expect(res.out).toContain('Không tạo CA demo khi NODE_ENV=production');
    expect(fs.existsSync(path.join(tmp, 'prod', 'signing'))).toBe(false);
  }, 120_000);
});
