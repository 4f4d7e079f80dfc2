/**
 * `platform.signing`: finds the signing key of an agency according to config and verifies signed PDFs
 * against the configured trusted roots.
 *
 * pkcs12 provider: the agency's file is `SIGNING_P12_MAP[code]` when the map names it, otherwise
 * `${SIGNING_P12_DIR}/<code>.p12` (or `.pfx`). A loaded key is kept until its file changes, so replacing
 * a renewed certificate needs no restart.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config';
import { createPadesSigner } from './pades';
import { readPkcs12 } from './pkcs12';
import { type Signer, SigningError } from './signer';
import { type PdfVerification, verifyPdf } from './verify';

export interface SigningService {
  /** 'pkcs12' (HSM and remote-signing providers plug in here later; see ./signer). */
  readonly provider: string;
  /** The signer holding the certificate of the agency with this code; throws SigningError when there is none. */
  signerFor(agencyCode: string): Promise<Signer>;
  /** Checks every signature of a PDF; `trusted` says whether each chains to a certificate of SIGNING_TRUST_DIR. */
  verify(pdf: Uint8Array): Promise<PdfVerification>;
}

type MapEntry = { file: string; password?: string };

/** Parses SIGNING_P12_MAP: {"H66.003": "/secrets/stp.p12", "H66.004": {"file": "…", "password": "…"}}. */
export function parseP12Map(json: string | undefined): Map<string, MapEntry> {
  const out = new Map<string, MapEntry>();
  if (!json) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new SigningError('not_configured', 'SIGNING_P12_MAP phải là JSON dạng {"<mã cơ quan>": "<đường dẫn .p12>"}.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SigningError('not_configured', 'SIGNING_P12_MAP phải là một đối tượng JSON.');
  }
  for (const [code, v] of Object.entries(parsed)) {
    if (typeof v === 'string') out.set(code, { file: v });
    else if (v && typeof v === 'object' && typeof (v as MapEntry).file === 'string') {
      const e = v as MapEntry;
      out.set(code, { file: e.file, password: typeof e.password === 'string' ? e.password : undefined });
    } else throw new SigningError('not_configured', `SIGNING_P12_MAP: mục "${code}" phải là đường dẫn hoặc {"file", "password"}.`);
  }
  return out;
}

/** Agency codes are used as file names: letters, digits, dot, dash, underscore; no leading dot. */
const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

async function statOrNull(file: string) {
  try {
    return await fs.stat(file);
  } catch {
    return null;
  }
}

export function createPkcs12Signing(config: Config): SigningService {
  const s = config.signing;
  const map = parseP12Map(s.p12Map);
  const cache = new Map<string, { file: string; mtimeMs: number; signer: Signer }>();

  async function locate(code: string): Promise<{ file: string; password: string; mtimeMs: number }> {
    if (!CODE_RE.test(code)) throw new SigningError('no_certificate', `Mã cơ quan "${code}" không hợp lệ.`);
    const mapped = map.get(code);
    const candidates = mapped ? [path.resolve(mapped.file)] : [`${code}.p12`, `${code}.pfx`].map((f) => path.join(s.p12Dir, f));
    for (const file of candidates) {
      const st = await statOrNull(file);
      if (st?.isFile()) return { file, password: mapped?.password ?? s.p12Password, mtimeMs: st.mtimeMs };
    }
    throw new SigningError('no_certificate', `Chưa có chứng thư số của cơ quan ${code} (không thấy tệp ${candidates[0]}).`);
  }

  return {
    provider: 'pkcs12',
    async signerFor(agencyCode) {
      const found = await locate(agencyCode);
      const hit = cache.get(agencyCode);
      if (hit && hit.file === found.file && hit.mtimeMs === found.mtimeMs) return hit.signer;
      if (!found.password) {
        throw new SigningError(
          'not_configured',
          'Chưa đặt SIGNING_P12_PASSWORD (mật khẩu tệp chứng thư số); bắt buộc khi không chạy demo.',
        );
      }
      const signer = createPadesSigner(readPkcs12(await fs.readFile(found.file), found.password, `của cơ quan ${agencyCode}`));
      cache.set(agencyCode, { file: found.file, mtimeMs: found.mtimeMs, signer });
      return signer;
    },
    async verify(pdf) {
      return verifyPdf(pdf, { trustedRoots: await readTrustDir(s.trustDir) });
    },
  };
}

/** Every certificate file (.pem, .crt, .cer, .der) of the trust folder; none when it does not exist. */
export async function readTrustDir(dir: string): Promise<Uint8Array[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const files = names.filter((n) => /\.(pem|crt|cer|der)$/i.test(n)).sort();
  return Promise.all(files.map((n) => fs.readFile(path.join(dir, n))));
}

export function createSigning(config: Config): SigningService {
  switch (config.signing.provider) {
    case 'pkcs12':
      return createPkcs12Signing(config);
    default:
      throw new SigningError('not_configured', `SIGNING_PROVIDER="${config.signing.provider}" chưa được hỗ trợ (hiện có: pkcs12).`);
  }
}
