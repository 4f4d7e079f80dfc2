/**
 * PAdES signing judged by independent tools: poppler's pdfsig validates the PDF signatures, OpenSSL reads and
 * verifies the CMS, pdftotext reads the visible box. verifyPdf must agree with pdfsig on every file.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePng } from '../files/testing';
import { parseSignedData } from './cms';
import { contextTag, oid, parseDer, readOid, seq, setOf } from './der';
import { createPadesSigner } from './pades';
import { type Signer, SigningError } from './signer';
import { hasCertutil, hasPdfsig, makeTestPki, nssDbTrusting, pdfsig, samplePdf, type TestPki } from './testing';
import { verifyPdf } from './verify';
import { toPem } from './x509';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-pades-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let pki: TestPki;
let agency: Signer;
let person: Signer;
let base: Uint8Array;
let once: Uint8Array;
let twice: Uint8Array;

// 09:15 in Việt Nam today: inside the test certificates' validity whatever day the suite runs.
const vnDay = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const signingTime = new Date(`${vnDay}T02:15:00Z`);
const [yyyy, mm, dd] = vnDay.split('-');

beforeAll(async () => {
  pki = await makeTestPki();
  const personPki = await makeTestPki({ commonName: 'NGUYỄN VĂN AN' });
  person = createPadesSigner(personPki.signingKey);
  agency = createPadesSigner(pki.signingKey);
  base = await samplePdf(2);
  // The person signs first (visible, last page), then the agency seals (visible, with the default lines).
  once = await person.sign(base, {
    reason: 'Ký duyệt quyết định',
    location: 'Buôn Ma Thuột',
    fieldName: 'ChuKyLanhDao',
    appearance: { page: -1, rect: [320, 120, 230, 56], lines: ['Người ký: {signer}', 'Chức vụ: Phó Giám đốc', 'Thời gian ký: {time}'] },
  });
  twice = await agency.sign(once, { reason: 'Đóng dấu cơ quan', location: 'Đắk Lắk', appearance: { page: -1, rect: [320, 60, 230, 50] } });
}, 120_000);

/** The CMS of the n-th signature field, read through verifyPdf's byte range. */
async function cmsOf(pdf: Uint8Array, n: number): Promise<Buffer> {
  const sig = (await verifyPdf(pdf)).signatures[n]!;
  const [, a, b] = sig.byteRange as [number, number, number, number];
  return Buffer.from(
    Buffer.from(pdf)
      .subarray(a + 1, b - 1)
      .toString('latin1'),
    'hex',
  );
}

/** verifyPdf and pdfsig must tell the same story about every signature. */
async function expectAgreement(pdf: Uint8Array) {
  const ours = (await verifyPdf(pdf)).signatures;
  const theirs = pdfsig(pdf).signatures;
  expect(ours.length).toBe(theirs.length);
  ours.forEach((s, i) => {
    const p = theirs[i]!;
    expect(s.valid, `signature ${i + 1}: pdfsig says "${p.validation}"`).toBe(p.validation === 'Signature is Valid.');
    expect(s.coversWholeFile).toBe(p.totalDocumentSigned);
    expect(s.signerName).toBe(p.commonName);
    expect(s.subFilter).toBe(p.subFilter);
  });
  return { ours, theirs };
}

describe.skipIf(!hasPdfsig)('PAdES signatures checked by pdfsig', () => {
  it('signs a pdf-lib PDF: pdfsig says the signature is valid, ETSI.CAdES.detached, total document signed', async () => {
    const signed = await agency.sign(base, { reason: 'Cấp kết quả giải quyết TTHC', location: 'Đắk Lắk' });
    // An incremental update: the original bytes are untouched at the start of the file.
    expect(Buffer.from(signed).subarray(0, base.length).equals(Buffer.from(base))).toBe(true);
    const { theirs } = await expectAgreement(signed);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({
      validation: 'Signature is Valid.',
      subFilter: 'ETSI.CAdES.detached',
      commonName: 'SỞ TƯ PHÁP TỈNH ĐẮK LẮK',
      totalDocumentSigned: true,
    });
    // Without a trust store the chain is reported as untrusted, not the signature as invalid.
    expect(theirs[0]!.certificateValidation).not.toBe('Certificate is Trusted.');
  });

  it('keeps both signatures valid when a signed PDF is signed again (person, then agency seal)', async () => {
    const { ours, theirs } = await expectAgreement(twice);
    expect(theirs.map((s) => s.validation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(theirs.map((s) => s.totalDocumentSigned)).toEqual([false, true]);
    expect(ours.map((s) => [s.fieldName, s.signerName, s.valid, s.pades])).toEqual([
      ['ChuKyLanhDao', 'NGUYỄN VĂN AN', true, true],
      ['Signature1', 'SỞ TƯ PHÁP TỈNH ĐẮK LẮK', true, true],
    ]);
    expect(ours[0]!.reason).toBe('Ký duyệt quyết định');
    expect(ours[1]!.location).toBe('Đắk Lắk');
  });

  it('reports tampering inside the signed range: pdfsig and verifyPdf both say invalid', async () => {
    // A byte of the first revision (the header's version digit) is covered by both signatures.
    const early = Buffer.from(twice);
    expect(early.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    early[7] = '6'.charCodeAt(0);
    const first = await expectAgreement(early);
    expect(first.theirs.map((s) => s.validation)).toEqual(['Digest Mismatch.', 'Digest Mismatch.']);
    expect(first.ours.every((s) => !s.valid && s.byteRangeValid && !s.digestValid)).toBe(true);
    expect(first.ours[0]!.problem).toContain('đã bị thay đổi sau khi ký');

    // The seal's box position, written after the person signed: only the seal is broken.
    const late = Buffer.from(twice);
    const at = late.lastIndexOf('/Rect [ 320 60 ');
    expect(at).toBeGreaterThan(once.length);
    late[at + 9] = '4'.charCodeAt(0);
    const second = await expectAgreement(late);
    expect(second.theirs.map((s) => s.validation)).toEqual(['Signature is Valid.', 'Digest Mismatch.']);
    expect(second.ours.map((s) => s.valid)).toEqual([true, false]);
  });

  it('notices bytes appended after the last signature (no longer the whole document)', async () => {
    const appended = Buffer.concat([Buffer.from(twice), Buffer.from('\n% thêm sau khi ký\n')]);
    const { ours } = await expectAgreement(appended);
    expect(ours.map((s) => [s.valid, s.coversWholeFile])).toEqual([
      [true, false],
      [true, false],
    ]);
  });

  it('signs files with a classic xref table and an existing form field, three times, visible and invisible', async () => {
    const doc = await PDFDocument.load(await samplePdf(1, { useObjectStreams: false }));
    doc.getForm().createTextField('hoTen').addToPage(doc.getPage(0), { x: 72, y: 100, width: 200, height: 20 });
    let pdf: Uint8Array = await doc.save({ useObjectStreams: false });
    for (let i = 0; i < 3; i++) {
      pdf = await agency.sign(pdf, {
        reason: `Lần ${i + 1}`,
        location: 'Đắk Lắk',
        appearance: i === 1 ? null : { page: 0, rect: [320, 60 + i * 70, 230, 50] },
      });
    }
    const { ours, theirs } = await expectAgreement(pdf);
    expect(theirs.map((s) => s.validation)).toEqual(Array(3).fill('Signature is Valid.'));
    expect(ours.map((s) => s.fieldName)).toEqual(['Signature1', 'Signature2', 'Signature3']);
    // The existing field is still there.
    expect((await PDFDocument.load(pdf)).getForm().getTextField('hoTen')).toBeDefined();
  });

  it.runIf(hasCertutil)('is trusted by pdfsig once the root is in its NSS database', () => {
    const nss = nssDbTrusting(toPem(pki.root));
    try {
      const res = pdfsig(twice, nss.dir).signatures[1]!;
      expect(res.validation).toBe('Signature is Valid.');
      expect(res.certificateValidation).toBe('Certificate is Trusted.');
    } finally {
      nss.cleanup();
    }
  });
});

describe('the CMS inside', () => {
  it('is PAdES baseline: content-type, message-digest, signing-certificate-v2; no signing-time attribute', async () => {
    const cms = await cmsOf(twice, 1);
    const parsed = parseSignedData(cms);
    expect(parsed.hasSigningCertificateV2).toBe(true);
    expect(parsed.signingCertificateMatches).toBe(true);
    expect(parsed.certificates.map((c) => c.info.subjectCommonName)).toEqual(['SỞ TƯ PHÁP TỈNH ĐẮK LẮK', 'CA thử nghiệm TinhSo']);
    const attrs = parseDer(parsed.signedAttributesDer!).children.map((a) => readOid(a.children[0]!));
    expect(attrs.sort()).toEqual(['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4'].sort());
    // The digest covers the whole file except /Contents.
    const sig = (await verifyPdf(twice)).signatures[1]!;
    const [, a, b] = sig.byteRange as number[];
    const digest = createHash('sha256').update(Buffer.from(twice).subarray(0, a)).update(Buffer.from(twice).subarray(b)).digest();
    expect(parsed.messageDigest!.equals(digest)).toBe(true);
  });

  it.runIf(hasOpenssl)('is read and verified by OpenSSL (including the ESS certificate binding)', async () => {
    const cms = await cmsOf(twice, 1);
    const sig = (await verifyPdf(twice)).signatures[1]!;
    const [, a, b] = sig.byteRange as number[];
    const files = { cms: path.join(tmp, 'sig.der'), content: path.join(tmp, 'content.bin'), root: path.join(tmp, 'root.pem') };
    fs.writeFileSync(files.cms, cms);
    fs.writeFileSync(files.content, Buffer.concat([Buffer.from(twice).subarray(0, a), Buffer.from(twice).subarray(b)]));
    fs.writeFileSync(files.root, toPem(pki.root));
    const printed = spawnSync('openssl', ['cms', '-inform', 'DER', '-in', files.cms, '-cmsout', '-print'], { encoding: 'utf8' }).stdout;
    expect(printed).toContain('id-smime-aa-signingCertificateV2');
    expect(printed).not.toMatch(/signingTime/);
    const verified = spawnSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        files.cms,
        '-content',
        files.content,
        '-CAfile',
        files.root,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8' },
    );
    expect(verified.stderr).toContain('Verification successful');
  });

  it('puts the signing time in /M (Vietnam time) and the visible box shows Vietnamese text', async () => {
    const fixed = createPadesSigner(pki.signingKey, { now: () => signingTime });
    const signed = await fixed.sign(base, {
      reason: 'Cấp giấy phép',
      location: 'Đắk Lắk',
      appearance: { page: 0, rect: [320, 60, 230, 50] },
    });
    expect(Buffer.from(signed).includes(`/M (D:${yyyy}${mm}${dd}091500+07'00')`)).toBe(true);
    const check = (await verifyPdf(signed)).signatures[0]!;
    expect(check.signingTime?.toISOString()).toBe(signingTime.toISOString());
    if (hasPdftotext) {
      const file = path.join(tmp, 'visible.pdf');
      fs.writeFileSync(file, signed);
      const text = spawnSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).stdout;
      expect(text).toContain('Ký bởi: SỞ TƯ PHÁP TỈNH ĐẮK LẮK');
      expect(text).toContain(`Thời gian ký: ${dd}/${mm}/${yyyy} 09:15`);
    }
  });
});

describe('images in the box', () => {
  it('draws a PNG (a handwritten signature or a seal) beside the text; refuses what is not a PNG', async () => {
    const signed = await agency.sign(base, {
      reason: 'Đóng dấu',
      location: 'Đắk Lắk',
      appearance: { page: 0, rect: [320, 60, 230, 60], image: samplePng() },
    });
    expect((await verifyPdf(signed)).signatures[0]!.valid).toBe(true);
    const added = Buffer.from(signed).subarray(base.length).toString('latin1');
    expect(added).toMatch(/\/XObject <<\s*\/Im1 \d+ 0 R/);
    expect(added).toMatch(/\/Subtype \/Image/);
    await expect(
      agency.sign(base, { reason: 'x', location: 'y', appearance: { page: 0, rect: [320, 60, 230, 60], image: Buffer.from('GIF89a') } }),
    ).rejects.toMatchObject({ reason: 'bad_appearance', message: 'Ảnh chữ ký/con dấu phải là tệp PNG hợp lệ.' });
  });
});

describe('refusals, in Vietnamese', () => {
  const opts = { reason: 'Thử', location: 'Đắk Lắk' };

  it('refuses an expired certificate and one not valid yet', async () => {
    const expired = createPadesSigner((await makeTestPki({ validFromDays: -400, validDays: -5 })).signingKey);
    const err = await expired.sign(base, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SigningError);
    expect(err).toMatchObject({ reason: 'certificate_expired', status: 503 });
    expect((err as Error).message).toMatch(/^Chứng thư số của "SỞ TƯ PHÁP TỈNH ĐẮK LẮK" đã hết hạn ngày \d{2}\/\d{2}\/\d{4}/);
    const future = createPadesSigner((await makeTestPki({ validFromDays: 3 })).signingKey);
    await expect(future.sign(base, opts)).rejects.toMatchObject({
      reason: 'certificate_not_yet_valid',
      message: /chỉ có hiệu lực từ ngày/,
    });
  });

  it('refuses a certificate not issued for signatures (CA key usage only)', async () => {
    const ca = createPadesSigner((await makeTestPki({ keyUsage: 'ca' })).signingKey);
    await expect(ca.sign(base, opts)).rejects.toMatchObject({
      reason: 'certificate_key_usage',
      message: /không được cấp cho mục đích ký số/,
    });
  });

  it('refuses input that is not a PDF, a field name in use, a page that does not exist, a box too small', async () => {
    await expect(agency.sign(Buffer.from('xin chào'), opts)).rejects.toMatchObject({ reason: 'invalid_pdf', status: 422 });
    await expect(agency.sign(once, { ...opts, fieldName: 'ChuKyLanhDao' })).rejects.toMatchObject({
      reason: 'field_exists',
      message: 'Tài liệu đã có trường "ChuKyLanhDao".',
    });
    await expect(agency.sign(base, { ...opts, appearance: { page: 5, rect: [0, 0, 100, 40] } })).rejects.toMatchObject({
      reason: 'bad_appearance',
      message: /Tài liệu có 2 trang; không có trang số 6/,
    });
    const crowded = { page: 0, rect: [0, 0, 40, 12] as [number, number, number, number], lines: ['Một dòng rất dài '.repeat(20)] };
    await expect(agency.sign(base, { ...opts, appearance: crowded })).rejects.toMatchObject({ reason: 'bad_appearance' });
  });

  it('refuses to add a signature to a document certified with "no changes allowed"', async () => {
    const doc = await PDFDocument.load(base);
    const params = doc.context.obj({ Type: 'TransformParams', P: 1, V: '1.2' });
    const sig = doc.context.obj({ Type: 'Sig', Reference: [{ Type: 'SigRef', TransformMethod: 'DocMDP', TransformParams: params }] });
    doc.catalog.set(PDFName.of('Perms'), doc.context.obj({ DocMDP: doc.context.register(sig) }));
    const locked = await doc.save();
    await expect(agency.sign(locked, opts)).rejects.toMatchObject({ reason: 'document_locked' });
  });
});

describe('verifyPdf on its own', () => {
  it('finds no signature in an unsigned PDF and says when a file is not a PDF', async () => {
    expect(await verifyPdf(base)).toEqual({ readable: true, signatures: [] });
    expect(await verifyPdf(Buffer.from('không phải PDF'))).toEqual({ readable: false, signatures: [] });
  });

  it('says whether the signer chains to a trusted root', async () => {
    const other = await makeTestPki();
    const trusted = (await verifyPdf(twice, { trustedRoots: [Buffer.from(toPem(pki.root))] })).signatures;
    expect(trusted.map((s) => s.trusted)).toEqual([false, true]); // the person's certificate has another root
    const none = (await verifyPdf(twice, { trustedRoots: [other.root] })).signatures;
    expect(none.map((s) => s.trusted)).toEqual([false, false]);
    expect((await verifyPdf(twice)).signatures.map((s) => s.trusted)).toEqual([null, null]);
    expect(trusted[1]!.certificateValidAtSigningTime).toBe(true);
  });
});

describe('DER helpers', () => {
  it('encodes OIDs and sorts SET OF as DER requires', () => {
    for (const o of ['1.2.840.113549.1.9.16.2.47', '2.16.840.1.101.3.4.2.1', '2.999.3']) expect(readOid(parseDer(oid(o)))).toBe(o);
    const set = setOf([seq(oid('2.5.4.3')), seq(oid('1.2.3')), contextTag(0, Buffer.from([0x05, 0x00]))]);
    expect(parseDer(set).children.map((c) => c.tag)).toEqual([0x30, 0x30, 0xa0]);
    expect(readOid(parseDer(set).children[0]!.children[0]!)).toBe('1.2.3');
  });
});
