/**
 * Test helpers: a throw-away PKI in memory, sample PDFs made with pdf-lib, and poppler's pdfsig as the
 * independent judge of a signature.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { generateRsaKey, issueCertificate, publicOf } from './issue';
import { keyFromKeyObject } from './pkcs12';
import type { SigningKey } from './signer';

const DAY = 86_400_000;

export interface TestPki {
  rootKey: KeyObject;
  root: Buffer;
  leafKey: KeyObject;
  leaf: Buffer;
  signingKey: SigningKey;
}

/** A root CA and a signing certificate under it. `validDays` < 0 gives a certificate that has expired. */
export async function makeTestPki(
  opts: { commonName?: string; validFromDays?: number; validDays?: number; bits?: number; keyUsage?: 'sign' | 'ca' } = {},
): Promise<TestPki> {
  const now = Date.now();
  const bits = opts.bits ?? 2048;
  const { privateKey: rootKey } = await generateRsaKey(bits);
  const root = issueCertificate({
    subject: { commonName: 'CA thử nghiệm TinhSo', organization: 'TinhSo Thử nghiệm', country: 'VN' },
    publicKey: publicOf(rootKey),
    selfKey: rootKey,
    notBefore: new Date(now - 10 * DAY),
    notAfter: new Date(now + 3650 * DAY),
    ca: true,
  });
  const { privateKey: leafKey } = await generateRsaKey(bits);
  const from = now + (opts.validFromDays ?? -1) * DAY;
  const leaf = issueCertificate({
    subject: {
      commonName: opts.commonName ?? 'SỞ TƯ PHÁP TỈNH ĐẮK LẮK',
      organizationalUnit: 'H66.003',
      locality: 'Đắk Lắk',
      country: 'VN',
    },
    publicKey: publicOf(leafKey),
    issuer: { privateKey: rootKey, certificate: root },
    notBefore: new Date(from),
    notAfter: new Date(
      opts.validDays !== undefined && opts.validDays < 0 ? now + opts.validDays * DAY : from + (opts.validDays ?? 365) * DAY,
    ),
    ca: opts.keyUsage === 'ca',
  });
  return { rootKey, root, leafKey, leaf, signingKey: keyFromKeyObject(leafKey, [leaf, root]) };
}

/** An A4 document with a Vietnamese-free standard font (pdf-lib's default output: object and xref streams). */
export async function samplePdf(pages = 1, opts: { useObjectStreams?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`QUYET DINH so ${i + 1}/QD-STP`, { x: 72, y: 760, size: 14, font });
    for (let l = 0; l < 30; l++)
      page.drawText(`Dong noi dung thu ${l + 1} cua trang ${i + 1}.`, { x: 72, y: 720 - l * 20, size: 11, font });
  }
  return doc.save({ useObjectStreams: opts.useObjectStreams ?? true });
}

export interface PdfsigSignature {
  index: number;
  commonName: string | null;
  subFilter: string | null;
  validation: string | null;
  certificateValidation: string | null;
  totalDocumentSigned: boolean;
  ranges: string | null;
}

export const hasPdfsig = spawnSync('pdfsig', ['-v']).status === 0;
export const hasCertutil = spawnSync('certutil', ['-H']).error === undefined;

/** Runs pdfsig on the bytes and parses its report (one block per signature). */
export function pdfsig(bytes: Uint8Array, nssDir?: string): { output: string; signatures: PdfsigSignature[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-pdfsig-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, bytes);
    const args = [...(nssDir ? ['-nssdir', nssDir] : []), file];
    const res = spawnSync('pdfsig', args, { encoding: 'utf8' });
    const output = `${res.stdout}${res.stderr}`;
    const blocks = output.split(/^Signature #/m).slice(1);
    const field = (b: string, label: string) => new RegExp(`^\\s*- ${label}: (.*)$`, 'm').exec(b)?.[1]?.trim() ?? null;
    return {
      output,
      signatures: blocks.map((b) => ({
        index: Number.parseInt(b, 10),
        commonName: field(b, 'Signer Certificate Common Name'),
        subFilter: field(b, 'Signature Type'),
        validation: field(b, 'Signature Validation'),
        certificateValidation: field(b, 'Certificate Validation'),
        totalDocumentSigned: /Total document signed/.test(b) && !/Not total document signed/.test(b),
        ranges: field(b, 'Signed Ranges'),
      })),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An NSS database trusting `rootPem` as a CA (needs certutil from libnss3-tools). */
export function nssDbTrusting(rootPem: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-nss-'));
  const rootFile = path.join(dir, 'root.pem');
  fs.writeFileSync(rootFile, rootPem);
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'TinhSo Test Root', '-t', 'CT,C,C', '-i', rootFile]);
  return { dir: `sql:${dir}`, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
