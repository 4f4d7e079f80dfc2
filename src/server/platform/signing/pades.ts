/**
 * A `Signer` over any `SigningKey`: checks the certificate can sign now, appends the signature revision,
 * hashes the byte range and writes the CMS into /Contents.
 */
import { createHash } from 'node:crypto';
import { buildSignedData, cmsSizeFor } from './cms';
import { prepareRevision } from './pdf-revision';
import { type Signer, SigningError, type SigningKey, type SignOptions } from './signer';
import { Certificate } from './x509';

export const PADES_SUBFILTER = 'ETSI.CAdES.detached';

/** dd/mm/yyyy HH:mm in Vietnam time (UTC+7 all year). */
export function vnDateTime(d: Date, seconds = false): string {
  const l = new Date(d.getTime() + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(l.getUTCHours())}:${p(l.getUTCMinutes())}${seconds ? `:${p(l.getUTCSeconds())}` : ''}`;
  return `${p(l.getUTCDate())}/${p(l.getUTCMonth() + 1)}/${l.getUTCFullYear()} ${time}`;
}

const vnDate = (d: Date) => vnDateTime(d).slice(0, 10);

/** Refuses to sign with a certificate that is expired, not yet valid, or not meant for signatures. */
export function assertCanSign(cert: Certificate, now: Date): void {
  const who = cert.info.subjectCommonName ?? cert.info.subject;
  if (now > cert.info.validTo) {
    throw new SigningError(
      'certificate_expired',
      `Chứng thư số của "${who}" đã hết hạn ngày ${vnDate(cert.info.validTo)}; cần gia hạn hoặc cấp chứng thư số mới.`,
    );
  }
  if (now < cert.info.validFrom) {
    throw new SigningError(
      'certificate_not_yet_valid',
      `Chứng thư số của "${who}" chỉ có hiệu lực từ ngày ${vnDate(cert.info.validFrom)}.`,
    );
  }
  const ku = cert.keyUsage;
  if (ku && !ku.digitalSignature && !ku.nonRepudiation) {
    throw new SigningError(
      'certificate_key_usage',
      `Chứng thư số của "${who}" không được cấp cho mục đích ký số (thiếu digitalSignature/nonRepudiation).`,
    );
  }
}

export function createPadesSigner(key: SigningKey, options: { now?: () => Date } = {}): Signer {
  const now = options.now ?? (() => new Date());
  if (key.chain.length === 0) throw new SigningError('bad_keystore', 'Không có chứng thư số ký.');
  const cert = new Certificate(key.chain[0]!);
  const reserve = cmsSizeFor(key);
  return {
    describe: () => cert.info,
    async sign(pdf: Uint8Array, opts: SignOptions): Promise<Uint8Array> {
      const signingTime = now();
      assertCanSign(cert, signingTime);
      const signerName = cert.info.subjectCommonName ?? cert.info.subject;
      const fill = (line: string) => line.replaceAll('{signer}', signerName).replaceAll('{time}', vnDateTime(signingTime));
      const app = opts.appearance;
      const lines = app?.lines?.length ? app.lines : ['Ký bởi: {signer}', 'Thời gian ký: {time}'];
      const prepared = await prepareRevision(pdf, {
        fieldName: opts.fieldName,
        subFilter: PADES_SUBFILTER,
        signingTime,
        name: opts.signerName ?? signerName,
        reason: opts.reason,
        location: opts.location,
        contactInfo: opts.contactInfo,
        contentsBytes: reserve,
        appearance: app ? { page: app.page, rect: app.rect, lines: lines.map(fill), image: app.image } : null,
      });
      const { bytes, gapStart, gapEnd } = prepared;
      const digest = createHash('sha256').update(bytes.subarray(0, gapStart)).update(bytes.subarray(gapEnd)).digest();
      const cms = await buildSignedData(key, digest);
      if (cms.length > reserve) throw new Error(`CMS ${cms.length} B exceeds the ${reserve} B reserved`);
      bytes.write(cms.toString('hex').toUpperCase(), gapStart + 1, 'latin1');
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}
