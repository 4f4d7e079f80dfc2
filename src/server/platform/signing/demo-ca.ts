/**
 * The demo certificate authority: a root "TinhSo Demo Root CA — không dùng thật" and one signing
 * certificate + PKCS#12 file per demo agency, so the demo can sign e-results out of the box.
 *
 * Files (never overwritten: a second run only adds what is missing):
 *   ${dataDir}/signing/demo-ca/root.crt, root.key   the root certificate (PEM) and its key (PKCS#8, 0600)
 *   ${SIGNING_P12_DIR}/<agency code>.p12           per agency, password SIGNING_P12_PASSWORD (0600)
 *   ${SIGNING_TRUST_DIR}/tinhso-demo-root.pem      the root, trusted by `platform.signing.verify`
 *
 * These certificates prove nothing about anyone: the root's key sits next to them on disk.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { generateRsaKey, issueCertificate, publicOf } from './issue';
import { writePkcs12 } from './pkcs12';
import { readCertificate, toPem } from './x509';

export const DEMO_ROOT_NAME = 'TinhSo Demo Root CA — không dùng thật';
export const DEMO_ORGANIZATION = 'TinhSo Demo — không dùng thật';

export interface DemoAgency {
  code: string;
  name: string;
}

export interface DemoCaOptions {
  /** `${dataDir}/signing`: the root goes in its `demo-ca` folder. */
  signingDir: string;
  p12Dir: string;
  trustDir: string;
  password: string;
  agencies: DemoAgency[];
  provinceName: string;
  now?: Date;
  /** RSA sizes; tests use smaller keys. */
  rootBits?: number;
  agencyBits?: number;
}

export interface DemoCaResult {
  rootCreated: boolean;
  rootCertificate: string;
  /** Agency codes whose certificate was created by this run / already existed. */
  created: string[];
  kept: string[];
  p12Dir: string;
  trustFile: string;
}

const YEAR_MS = 365.25 * 86_400_000;

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes a file only if it does not exist yet, atomically (a half-written key file is never visible). */
async function writeNew(file: string, data: string | Uint8Array, mode = 0o600): Promise<boolean> {
  if (await exists(file)) return false;
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, data, { mode });
  try {
    await fs.link(tmp, file); // fails when the file exists: never overwrites
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** "Sở Tư pháp" → "SỞ TƯ PHÁP TỈNH ĐẮK LẮK": the agency's name as a certificate shows it. */
export function agencyCommonName(name: string, provinceName: string): string {
  const full = name.toLocaleLowerCase('vi').includes(provinceName.toLocaleLowerCase('vi')) ? name : `${name} tỉnh ${provinceName}`;
  return full.toLocaleUpperCase('vi');
}

interface Root {
  key: KeyObject;
  certificate: Buffer;
}

async function loadOrCreateRoot(dir: string, bits: number, now: Date): Promise<Root & { created: boolean }> {
  const certFile = path.join(dir, 'root.crt');
  const keyFile = path.join(dir, 'root.key');
  if (await exists(certFile)) {
    if (!(await exists(keyFile))) throw new Error(`Thiếu khoá của CA demo (${keyFile}); xoá thư mục ${dir} để tạo lại CA demo.`);
    const certificate = readCertificate(await fs.readFile(certFile, 'latin1')).der;
    return { key: createPrivateKey(await fs.readFile(keyFile)), certificate, created: false };
  }
  const { privateKey } = await generateRsaKey(bits);
  const certificate = issueCertificate({
    subject: { commonName: DEMO_ROOT_NAME, organization: DEMO_ORGANIZATION, country: 'VN' },
    publicKey: publicOf(privateKey),
    selfKey: privateKey,
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 20 * YEAR_MS),
    ca: true,
  });
  await writeNew(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  if (!(await writeNew(certFile, toPem(certificate), 0o644))) {
    // Another process created the root meanwhile: use theirs.
    return { ...(await loadOrCreateRoot(dir, bits, now)), created: false };
  }
  return { key: privateKey, certificate, created: true };
}

/** Creates whatever of the demo CA is missing; idempotent. */
export async function ensureDemoCa(o: DemoCaOptions): Promise<DemoCaResult> {
  if (!o.password) throw new Error('Cần SIGNING_P12_PASSWORD để tạo tệp chứng thư số demo.');
  const now = o.now ?? new Date();
  const caDir = path.join(o.signingDir, 'demo-ca');
  const trustFile = path.join(o.trustDir, 'tinhso-demo-root.pem');
  const result: DemoCaResult = {
    rootCreated: false,
    rootCertificate: path.join(caDir, 'root.crt'),
    created: [],
    kept: [],
    p12Dir: o.p12Dir,
    trustFile,
  };
  const missing: DemoAgency[] = [];
  for (const a of o.agencies) {
    const present = (await exists(path.join(o.p12Dir, `${a.code}.p12`))) || (await exists(path.join(o.p12Dir, `${a.code}.pfx`)));
    if (present) result.kept.push(a.code);
    else missing.push(a);
  }
  const rootFileMissing = !(await exists(result.rootCertificate));
  if (missing.length === 0 && !rootFileMissing) {
    await writeNew(trustFile, await fs.readFile(result.rootCertificate), 0o644);
    return result;
  }
  const root = await loadOrCreateRoot(caDir, o.rootBits ?? 3072, now);
  result.rootCreated = root.created;
  await writeNew(trustFile, toPem(root.certificate), 0o644);

  // Keys are generated on libuv's thread pool, so the agencies' keys are made in parallel.
  const made = await Promise.all(
    missing.map(async (a) => {
      const { privateKey } = await generateRsaKey(o.agencyBits ?? 2048);
      const certificate = issueCertificate({
        subject: {
          commonName: agencyCommonName(a.name, o.provinceName),
          organizationalUnit: a.code,
          organization: DEMO_ORGANIZATION,
          locality: o.provinceName,
          country: 'VN',
        },
        publicKey: publicOf(privateKey),
        issuer: { privateKey: root.key, certificate: root.certificate },
        notBefore: new Date(now.getTime() - 86_400_000),
        notAfter: new Date(now.getTime() + 5 * YEAR_MS),
        ca: false,
      });
      const p12 = writePkcs12({ privateKey, chain: [certificate, root.certificate], password: o.password, friendlyName: a.code });
      return { code: a.code, wrote: await writeNew(path.join(o.p12Dir, `${a.code}.p12`), p12) };
    }),
  );
  for (const m of made) (m.wrote ? result.created : result.kept).push(m.code);
  return result;
}

/** What to print after `signing:demo-ca`: where the files are and how to make pdfsig trust the demo root. */
export function demoCaReport(r: DemoCaResult): string {
  const lines = [
    r.rootCreated ? `Đã tạo CA gốc demo "${DEMO_ROOT_NAME}": ${r.rootCertificate}` : `CA gốc demo: ${r.rootCertificate}`,
    `Chứng thư số cơ quan (${r.p12Dir}): tạo mới ${r.created.length}, giữ nguyên ${r.kept.length}.`,
    '',
    'Đây là chứng thư số DEMO, không có giá trị pháp lý. Để pdfsig (poppler) tin CA gốc demo:',
    '  mkdir -p ~/.tinhso-nssdb && certutil -N -d sql:$HOME/.tinhso-nssdb --empty-password',
    `  certutil -A -d sql:$HOME/.tinhso-nssdb -n "TinhSo Demo Root CA" -t "CT,C,C" -i ${r.rootCertificate}`,
    '  pdfsig -nssdir sql:$HOME/.tinhso-nssdb tai-lieu-da-ky.pdf',
    '(certutil thuộc gói libnss3-tools). Trang kiểm tra chữ ký của TinhSo tin CA này qua tệp',
    `  ${r.trustFile}`,
  ];
  return lines.join('\n');
}
