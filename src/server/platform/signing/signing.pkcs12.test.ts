/**
 * The pkcs12 provider: reading .p12 files (ours and OpenSSL's, modern and legacy encryption, RSA and EC),
 * clear Vietnamese errors, and `platform.signing` finding an agency's file by config.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createPadesSigner } from './pades';
import { readPkcs12, writePkcs12 } from './pkcs12';
import { createSigning, parseP12Map } from './signing.service';
import { hasPdfsig, makeTestPki, pdfsig, samplePdf, type TestPki } from './testing';
import { verifyPdf } from './verify';
import { toPem } from './x509';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-p12-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const opts = { reason: 'Cấp kết quả', location: 'Đắk Lắk' };

let pki: TestPki;
let p12: Buffer;
let pdf: Uint8Array;

beforeAll(async () => {
  pki = await makeTestPki();
  p12 = writePkcs12({ privateKey: pki.leafKey, chain: [pki.leaf, pki.root], password: 'mật-khẩu-đúng', friendlyName: 'H66.003' });
  pdf = await samplePdf();
}, 60_000);

function configFor(env: Record<string, string>) {
  return loadConfig({ TINHSO_DATA_DIR: tmp, ...env } as NodeJS.ProcessEnv);
}

describe('reading PKCS#12', () => {
  it('reads back what writePkcs12 wrote: the key and the chain, leaf first', async () => {
    const key = readPkcs12(p12, 'mật-khẩu-đúng', 'H66.003');
    expect(key.keyType).toBe('rsa');
    expect(key.maxSignatureBytes).toBe(256);
    expect(key.chain.map((c) => Buffer.from(c).equals(pki.leaf) || Buffer.from(c).equals(pki.root))).toEqual([true, true]);
    expect(Buffer.from(key.chain[0]!).equals(pki.leaf)).toBe(true);
    const signed = await createPadesSigner(key).sign(pdf, opts);
    expect((await verifyPdf(signed)).signatures[0]).toMatchObject({ valid: true, pades: true });
  });

  it('gives a clear Vietnamese error for a wrong password and for a file that is not PKCS#12', () => {
    expect(() => readPkcs12(p12, 'sai', 'của cơ quan H66.003')).toThrow(
      'Mật khẩu của tệp chứng thư số (PKCS#12) của cơ quan H66.003 không đúng.',
    );
    try {
      readPkcs12(p12, 'sai', 'x');
    } catch (err) {
      expect(err).toMatchObject({ reason: 'bad_password', code: 'signing_bad_password', status: 503 });
    }
    expect(() => readPkcs12(Buffer.from('không phải p12'), 'x', 'rac.p12')).toThrow(
      'Tệp chứng thư số rac.p12 không phải tệp PKCS#12 (.p12/.pfx) hợp lệ.',
    );
  });

  it.runIf(hasOpenssl && hasPdfsig)('reads files made by OpenSSL: AES/PBKDF2 (default), legacy 3DES, and an EC key', async () => {
    const run = (args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: tmp, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'rsa.key',
      '-out',
      'rsa.crt',
      '-days',
      '30',
      '-utf8',
      '-subj',
      '/C=VN/CN=Ủy ban nhân dân xã Ea Kar',
    ]);
    run(['pkcs12', '-export', '-inkey', 'rsa.key', '-in', 'rsa.crt', '-out', 'modern.p12', '-passout', 'pass:matkhau']);
    run([
      'pkcs12',
      '-export',
      '-inkey',
      'rsa.key',
      '-in',
      'rsa.crt',
      '-out',
      'legacy.p12',
      '-passout',
      'pass:matkhau',
      '-certpbe',
      'PBE-SHA1-3DES',
      '-keypbe',
      'PBE-SHA1-3DES',
      '-macalg',
      'sha1',
    ]);
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ec.key']);
    run(['req', '-x509', '-key', 'ec.key', '-out', 'ec.crt', '-days', '30', '-subj', '/C=VN/CN=EC']);
    run(['pkcs12', '-export', '-inkey', 'ec.key', '-in', 'ec.crt', '-out', 'ec.p12', '-passout', 'pass:matkhau']);
    for (const [file, type, cn] of [
      ['modern.p12', 'rsa', 'Ủy ban nhân dân xã Ea Kar'],
      ['legacy.p12', 'rsa', 'Ủy ban nhân dân xã Ea Kar'],
      ['ec.p12', 'ec', 'EC'],
    ] as const) {
      const key = readPkcs12(fs.readFileSync(path.join(tmp, file)), 'matkhau', file);
      expect(key.keyType).toBe(type);
      const signed = await createPadesSigner(key).sign(pdf, opts);
      expect(pdfsig(signed).signatures[0]).toMatchObject({ validation: 'Signature is Valid.', commonName: cn });
      expect(() => readPkcs12(fs.readFileSync(path.join(tmp, file)), 'sai', file)).toThrow(/không đúng/);
    }
  });
});

describe('platform.signing (pkcs12 provider)', () => {
  it('finds <code>.p12 in SIGNING_P12_DIR, then .pfx, and says which agency has no certificate', async () => {
    const dir = path.join(tmp, 'agencies');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'H66.003.p12'), p12);
    fs.writeFileSync(path.join(dir, 'H66.004.pfx'), p12);
    const signing = createSigning(configFor({ SIGNING_P12_DIR: dir, SIGNING_P12_PASSWORD: 'mật-khẩu-đúng' }));
    expect(signing.provider).toBe('pkcs12');
    const signer = await signing.signerFor('H66.003');
    expect(signer.describe().subjectCommonName).toBe('SỞ TƯ PHÁP TỈNH ĐẮK LẮK');
    expect(await signing.signerFor('H66.003')).toBe(signer); // kept while the file is unchanged
    expect((await signing.signerFor('H66.004')).describe().serialNumber).toBe(signer.describe().serialNumber);
    await expect(signing.signerFor('H66.099')).rejects.toMatchObject({
      reason: 'no_certificate',
      message: /Chưa có chứng thư số của cơ quan H66\.099/,
    });
    await expect(signing.signerFor('../agencies/H66.003')).rejects.toMatchObject({ reason: 'no_certificate', message: /không hợp lệ/ });
  });

  it('reloads a renewed file without a restart', async () => {
    const dir = path.join(tmp, 'renew');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'H66.003.p12');
    fs.writeFileSync(file, p12);
    const signing = createSigning(configFor({ SIGNING_P12_DIR: dir, SIGNING_P12_PASSWORD: 'mật-khẩu-đúng' }));
    const before = (await signing.signerFor('H66.003')).describe().serialNumber;
    const renewed = await makeTestPki();
    fs.writeFileSync(file, writePkcs12({ privateKey: renewed.leafKey, chain: [renewed.leaf], password: 'mật-khẩu-đúng' }));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const after = (await signing.signerFor('H66.003')).describe().serialNumber;
    expect(after).not.toBe(before);
  });

  it('takes files and passwords from SIGNING_P12_MAP before the folder', async () => {
    const file = path.join(tmp, 'elsewhere.p12');
    fs.writeFileSync(file, p12);
    const map = JSON.stringify({ 'H66.010': file, 'H66.011': { file, password: 'mật-khẩu-đúng' } });
    const signing = createSigning(configFor({ SIGNING_P12_MAP: map, SIGNING_P12_PASSWORD: 'khác' }));
    await expect(signing.signerFor('H66.010')).rejects.toMatchObject({ reason: 'bad_password' });
    expect((await signing.signerFor('H66.011')).describe().subjectCommonName).toBe('SỞ TƯ PHÁP TỈNH ĐẮK LẮK');
    expect(() => parseP12Map('{"H66.010": 5}')).toThrow(/phải là đường dẫn/);
    expect(() => parseP12Map('không phải json')).toThrow(/SIGNING_P12_MAP phải là JSON/);
  });

  it('requires a password outside demo mode and refuses an unknown provider', async () => {
    const dir = path.join(tmp, 'agencies');
    const prod = configFor({ NODE_ENV: 'production', SIGNING_P12_DIR: dir });
    expect(prod.signing.p12Password).toBe('');
    await expect(createSigning(prod).signerFor('H66.003')).rejects.toMatchObject({
      reason: 'not_configured',
      message: /SIGNING_P12_PASSWORD/,
    });
    expect(configFor({}).signing.p12Password).toBe('tinhso-demo'); // demo default
    expect(() => createSigning(configFor({ SIGNING_PROVIDER: 'hsm' }))).toThrow(/SIGNING_PROVIDER="hsm" chưa được hỗ trợ/);
  });

  it('verifies against the certificates of SIGNING_TRUST_DIR', async () => {
    const trustDir = path.join(tmp, 'trusted');
    const signing = createSigning(configFor({ SIGNING_TRUST_DIR: trustDir }));
    const signed = await createPadesSigner(pki.signingKey).sign(pdf, opts);
    expect((await signing.verify(signed)).signatures[0]!.trusted).toBe(false); // folder missing: nothing trusted
    fs.mkdirSync(trustDir, { recursive: true });
    fs.writeFileSync(path.join(trustDir, 'junk.pem'), 'không phải chứng thư');
    fs.writeFileSync(path.join(trustDir, 'root.pem'), toPem(pki.root));
    expect((await signing.verify(signed)).signatures[0]).toMatchObject({ valid: true, trusted: true });
  });
});
