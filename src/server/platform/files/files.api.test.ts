/**
 * The files routes over HTTP, on the real app: upload (multipart), metadata, content.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { sql } from '../db/database';
import { eicarBytes, type FakeClamd, sampleDocx, sampleExe, samplePdf, sampleXml, startFakeClamd } from './testing';

const MAX = 8 * 1024;

function multipart(parts: { field: string; filename?: string; type?: string; bytes: Buffer }[]) {
  const boundary = `----tinhso${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const filename = p.filename === undefined ? '' : `; filename="${p.filename}"`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"${filename}\r\n` +
          `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      p.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(s: Session, filename: string, bytes: Buffer, type = 'application/pdf') {
  const m = multipart([{ field: 'file', filename, type, bytes }]);
  return s.request('POST', '/api/v1/files', m.body, m.headers);
}

let t: TestApp;
let clamd: FakeClamd;
let anon: Session;
let congdan: Session;
let congdan2: Session;

beforeAll(async () => {
  clamd = await startFakeClamd();
  t = await createTestApp({ UPLOAD_MAX_BYTES: String(MAX), CLAMD_ADDRESS: clamd.address });
  anon = await anonymousSession(t.app);
  congdan = await login(t.app, 'congdan');
  congdan2 = await login(t.app, 'congdan2');
});
afterAll(async () => {
  await t?.close();
  await clamd?.close();
});

describe('POST /api/v1/files', () => {
  it('refuses anonymous uploads with 401 problem+json', async () => {
    const res = await upload(anon, 'a.pdf', samplePdf());
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 401, code: 'unauthorized', title: 'Chưa đăng nhập' });
  });

  it('stores a citizen’s PDF and answers 201 with its metadata', async () => {
    const res = await upload(congdan, 'Tờ khai đăng ký kết hôn.pdf', samplePdf(), 'text/plain');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      mediaType: 'application/pdf',
      originalName: 'Tờ khai đăng ký kết hôn.pdf',
      size: samplePdf().length,
    });
    expect(res.headers.location).toBe(`/api/v1/files/${body.id}`);
    expect(clamd.streams.some((s) => s.equals(samplePdf()))).toBe(true);
  });

  it('takes the type from the content, not the name or Content-Type', async () => {
    const res = await upload(congdan, 'anh-chup.jpg', sampleDocx(), 'image/jpeg');
    expect(res.statusCode).toBe(201);
    expect(res.json().mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('refuses a disallowed type with 415 listing the allowed ones', async () => {
    const res = await upload(congdan, 'ho-so.pdf', sampleExe(), 'application/pdf');
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ code: 'file_type_not_allowed', title: 'Định dạng tệp không được chấp nhận' });
    expect(body.detail).toContain('PDF');
    expect(body.detail).toContain('Word (DOCX)');
    expect(body.allowedTypes).toContain('application/pdf');
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413', async () => {
    const big = Buffer.concat([samplePdf(), Buffer.alloc(MAX)]);
    const res = await upload(congdan, 'lon.pdf', big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'file_too_large', title: 'Tệp quá lớn' });
    expect(res.json().detail).toContain('8 KB');
  });

  it('refuses an infected file with 422', async () => {
    const res = await upload(congdan, 'don.pdf', Buffer.concat([samplePdf(), eicarBytes()]));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'file_infected', title: 'Tệp chứa mã độc' });
  });

  it('asks for the "file" field when it is missing', async () => {
    const m = multipart([{ field: 'tep', filename: 'a.pdf', bytes: samplePdf() }]);
    const res = await congdan.request('POST', '/api/v1/files', m.body, m.headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'body/file', message: 'Trường này là bắt buộc' }]);
  });

  it('refuses a body that is not multipart with 415', async () => {
    const res = await congdan.request('POST', '/api/v1/files', { file: 'abc' });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('requires the CSRF token of a signed-in session', async () => {
    const m = multipart([{ field: 'file', filename: 'a.pdf', bytes: samplePdf() }]);
    const res = await congdan.request('POST', '/api/v1/files', m.body, { ...m.headers, 'x-csrf-token': 'sai' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_invalid');
  });
});

describe('GET /api/v1/files/:id and /content', () => {
  let pdfId: string;
  let xmlId: string;
  beforeAll(async () => {
    pdfId = (await upload(congdan, 'Đơn đề nghị; bản (1).pdf', samplePdf('nội dung'))).json().id;
    xmlId = (await upload(congdan, 'edxml.xml', sampleXml(), 'text/html')).json().id;
  });

  it('gives the uploader the metadata', async () => {
    const res = await congdan.request('GET', `/api/v1/files/${pdfId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: pdfId, mediaType: 'application/pdf', originalName: 'Đơn đề nghị; bản (1).pdf' });
  });

  it('serves the bytes with the stored type, a safe name and nosniff', async () => {
    const res = await congdan.request('GET', `/api/v1/files/${pdfId}/content`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(samplePdf('nội dung'))).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-store');
    // The quoted fallback is plain ASCII without ';' (some clients split on it); the UTF-8 name is exact.
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="Don de nghi_ ban (1).pdf"; filename*=UTF-8''%C4%90%C6%A1n%20%C4%91%E1%BB%81%20ngh%E1%BB%8B%3B%20b%E1%BA%A3n%20%281%29.pdf`,
    );
  });

  it('offers non-viewable types as a download, in a sandbox', async () => {
    const res = await congdan.request('GET', `/api/v1/files/${xmlId}/content`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="edxml.xml"/);
    expect(res.headers['content-security-policy']).toContain('sandbox');
  });

  it('answers 404 to another citizen and 401 to anonymous', async () => {
    for (const url of [`/api/v1/files/${pdfId}`, `/api/v1/files/${pdfId}/content`]) {
      const other = await congdan2.request('GET', url);
      expect(other.statusCode).toBe(404);
      expect(other.json()).toMatchObject({ code: 'not_found' });
      expect((await anon.request('GET', url)).statusCode).toBe(401);
    }
  });

  it('answers a malformed id with a 400 validation problem', async () => {
    const res = await congdan.request('GET', '/api/v1/files/khong-phai-uuid');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });

  it('records each upload in the audit log', async () => {
    const rows = await t.db.rows<{ action: string }>(sql`select action from audit_log where target_type = 'file' and target_id = ${pdfId}`);
    expect(rows.map((r) => r.action)).toEqual(['files.upload']);
  });
});

describe('OpenAPI', () => {
  it('documents the files routes, with a multipart upload body', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    const post = doc.paths['/api/v1/files'].post;
    expect(post.tags).toEqual(['files']);
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(post.requestBody.content['multipart/form-data'].schema.properties.file.format).toBe('binary');
    expect(doc.paths['/api/v1/files/{id}'].get.summary).toBeTruthy();
    expect(doc.paths['/api/v1/files/{id}/content'].get.responses['200']).toBeTruthy();
  });
});
