import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Problem } from '../http/problem';
import { allowedTypes, checkUpload, cleanName, contentDisposition, formatBytes, safeFileName, sniffType } from './file-checks';
import {
  eicarBytes,
  sampleDocx,
  sampleExe,
  sampleJpeg,
  sampleOdt,
  samplePdf,
  samplePng,
  sampleWebp,
  sampleXlsx,
  sampleXml,
  zipOf,
} from './testing';

async function problemOf(p: Promise<unknown>): Promise<Problem> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Problem);
  return err as Problem;
}

describe('content sniffing', () => {
  it.each([
    ['PDF', samplePdf, 'application/pdf'],
    ['PNG', samplePng, 'image/png'],
    ['JPEG', sampleJpeg, 'image/jpeg'],
    ['WebP', sampleWebp, 'image/webp'],
    ['DOCX', sampleDocx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['XLSX', sampleXlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['ODT', sampleOdt, 'application/vnd.oasis.opendocument.text'],
    ['XML', sampleXml, 'application/xml'],
  ])('recognises %s from its bytes', async (_label, make, mediaType) => {
    expect((await sniffType(make()))?.mediaType).toBe(mediaType);
  });

  it('accepts XML after a UTF-8 byte-order mark', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), sampleXml()]);
    expect((await sniffType(bom))?.ext).toBe('xml');
  });

  it.each([
    ['an executable', sampleExe()],
    ['a plain ZIP archive', zipOf({ 'a.txt': 'xin chào' })],
    ['plain text', Buffer.from('Xin chào, đây là văn bản thường.')],
    ['HTML', Buffer.from('<html><script>alert(1)</script></html>')],
    ['XML without its declaration', Buffer.from('<edXML/>')],
    ['the EICAR test file', eicarBytes()],
  ])('does not accept %s', async (_label, bytes) => {
    expect(await sniffType(bytes)).toBeUndefined();
  });
});

describe('checkUpload', () => {
  const max = 1024;

  it('returns the sniffed type', async () => {
    expect((await checkUpload(samplePdf(), max)).ext).toBe('pdf');
  });

  it('refuses a disallowed type with 415 naming the allowed types', async () => {
    const p = await problemOf(checkUpload(sampleExe(), max));
    expect(p.status).toBe(415);
    expect(p.code).toBe('file_type_not_allowed');
    expect(p.title).toBe('Định dạng tệp không được chấp nhận');
    for (const t of allowedTypes) expect(p.detail).toContain(t.label);
    expect(p.toBody().allowedTypes).toEqual(allowedTypes.map((t) => t.mediaType));
  });

  it('refuses a file over the limit with 413 saying the limit', async () => {
    const big = Buffer.concat([samplePdf(), Buffer.alloc(max)]);
    const p = await problemOf(checkUpload(big, max));
    expect(p.status).toBe(413);
    expect(p.code).toBe('file_too_large');
    expect(p.detail).toContain('1 KB');
  });

  it('accepts a file of exactly the limit', async () => {
    const pdf = samplePdf();
    const exact = Buffer.concat([pdf, Buffer.alloc(max - pdf.length, 0x20)]);
    expect((await checkUpload(exact, max)).ext).toBe('pdf');
  });

  it('refuses an empty file', async () => {
    const p = await problemOf(checkUpload(Buffer.alloc(0), max));
    expect(p).toMatchObject({ status: 400, code: 'file_empty' });
  });

  it('refuses XML that declares a DOCTYPE or entities', async () => {
    const xxe = Buffer.from('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
    const p = await problemOf(checkUpload(xxe, max));
    expect(p).toMatchObject({ status: 422, code: 'xml_doctype_not_allowed' });
  });
});

describe('file names', () => {
  it('keeps Vietnamese names, drops folders and reserved characters', () => {
    expect(cleanName('Đơn đề nghị cấp phép.pdf')).toBe('Đơn đề nghị cấp phép.pdf');
    expect(cleanName('C:\\Users\\an\\giay_to.pdf')).toBe('giay_to.pdf');
    expect(cleanName('../../etc/passwd')).toBe('passwd');
    expect(cleanName('a"b<c>d|e?.pdf')).toBe('a_b_c_d_e_.pdf');
    expect(cleanName('...ẩn.pdf')).toBe('ẩn.pdf');
    expect(cleanName('dòng\r\nmới.pdf')).toBe('dòng mới.pdf');
  });

  it('gives the download an extension that matches the real type', () => {
    const pdf = allowedTypes.find((t) => t.ext === 'pdf')!;
    const jpg = allowedTypes.find((t) => t.ext === 'jpg')!;
    expect(safeFileName('ho-so.pdf', pdf)).toBe('ho-so.pdf');
    expect(safeFileName('ho-so.PDF', pdf)).toBe('ho-so.PDF');
    expect(safeFileName('anh.jpg', pdf)).toBe('anh.jpg.pdf');
    expect(safeFileName('anh.jpeg', jpg)).toBe('anh.jpeg');
    expect(safeFileName('', pdf)).toBe('tep.pdf');
    expect(safeFileName('trojan.exe', pdf)).toBe('trojan.exe.pdf');
  });

  it('never lets a path separator, quote or control character through (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const out = cleanName(name);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: checking their absence
        expect(out).not.toMatch(/[/\\"\u0000-\u001f\u007f]/);
        expect([...out].length).toBeLessThanOrEqual(200);
        expect(out.startsWith('.')).toBe(false);
      }),
    );
  });

  it('writes Content-Disposition with an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('attachment', 'Đơn đề nghị (bản 1).pdf')).toBe(
      `attachment; filename="Don de nghi (ban 1).pdf"; filename*=UTF-8''%C4%90%C6%A1n%20%C4%91%E1%BB%81%20ngh%E1%BB%8B%20%28b%E1%BA%A3n%201%29.pdf`,
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (name) => {
        const header = contentDisposition('inline', cleanName(name) || 'tep');
        // One header line, and the quoted fallback cannot be broken out of.
        expect(header).not.toMatch(/[\r\n]/);
        expect(header).toMatch(/^inline; filename="[^"\\]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]*$/);
      }),
    );
  });

  it('formats sizes for messages', () => {
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12)).toBe('12 byte');
  });
});
