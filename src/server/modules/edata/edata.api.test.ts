/**
 * The e-data store through the API: add, list (filters, pages), edit, delete, download; "submit once"
 * (a dossier component filled from the store, recorded as reused); the e-result added automatically
 * when the desk returns it; counter scans; share links (open, expired, revoked); the access log.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { ensureConfiguredDemoCa } from '../../platform/signing';
import { BMT, filesFor, KHAI_SINH, khaiSinhForm, uploadPdf } from '../dossiers/testing';
import { addDocument, E, returnedResult, submitKhaiSinhReusing } from './testing';

let t: TestApp;
let congdan: Session;
let congdan2: Session;
let motcua: Session;
let lanhdaoSnv: Session;
let chuyenvienSnv: Session;
let anon: Session;

const list = async (s: Session, query = '') => (await s.request('GET', `${E}/documents${query}`)).json();
const docLog = async (s: Session, id: string) => (await s.request('GET', `${E}/documents/${id}/access-log`)).json().items;

beforeAll(async () => {
  t = await createTestApp();
  await ensureConfiguredDemoCa(t.platform.config, [{ code: 'H66.002', name: 'Sở Nội vụ tỉnh Đắk Lắk' }]);
  [congdan, congdan2, motcua, lanhdaoSnv, chuyenvienSnv, anon] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'congdan2'),
    login(t.app, 'motcua'),
    login(t.app, 'lanhdao.snv'),
    login(t.app, 'chuyenvien.snv'),
    anonymousSession(t.app),
  ]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('adding and listing', () => {
  it('adds an uploaded paper with its type, issuer and dates; the list shows it, valid, with the type name', async () => {
    const doc = await addDocument(congdan, { title: 'Căn cước của tôi', number: '066186000123' });
    expect(doc).toMatchObject({ source: 'upload', valid: true });
    const got = await list(congdan);
    const item = got.items.find((i: { id: string }) => i.id === doc.id);
    expect(item).toMatchObject({
      type: 'cccd',
      typeName: 'Căn cước / Căn cước công dân',
      title: 'Căn cước của tôi',
      issuedOn: '2021-04-15',
      validUntil: '2031-04-15',
      deletable: true,
      editable: true,
      file: { mediaType: 'application/pdf' },
    });
  });

  it('refuses a validity ending before the issue date, a date that does not exist, an unknown type', async () => {
    const fileId = await uploadPdf(congdan);
    const bad = await congdan.request('POST', `${E}/documents`, {
      fileId,
      type: 'giay_khai_sinh',
      title: 'Giấy khai sinh',
      issuedOn: '2020-05-01',
      validUntil: '2020-04-30',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['validUntil']);
    const day = await congdan.request('POST', `${E}/documents`, { fileId, type: 'khac', title: 'x', issuedOn: '2021-02-30' });
    expect(day.statusCode).toBe(400);
    expect((await congdan.request('POST', `${E}/documents`, { fileId, type: 'ho_chieu_gia', title: 'x' })).statusCode).toBe(400);
  });

  it('takes only the actor’s own upload', async () => {
    const theirs = await uploadPdf(congdan2);
    const r = await congdan.request('POST', `${E}/documents`, { fileId: theirs, type: 'khac', title: 'Không phải của tôi' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('fileId');
  });

  it('filters by type, source and validity; pages with a cursor', async () => {
    const expired = await addDocument(congdan, {
      type: 'giay_kham_suc_khoe',
      title: 'Khám sức khỏe 2023',
      issuedOn: '2023-01-02',
      validUntil: '2023-07-02',
    });
    const onlyExpired = await list(congdan, '?validity=expired');
    expect(onlyExpired.items.map((i: { id: string }) => i.id)).toEqual([expired.id]);
    expect(onlyExpired.items[0].valid).toBe(false);
    expect((await list(congdan, '?validity=valid')).items.map((i: { id: string }) => i.id)).not.toContain(expired.id);
    expect((await list(congdan, '?type=giay_kham_suc_khoe')).items.map((i: { id: string }) => i.id)).toEqual([expired.id]);
    expect((await list(congdan, '?source=result')).items).toEqual([]);
    const first = await list(congdan, '?limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBeTruthy();
    const second = await list(congdan, `?limit=1&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);
    expect((await congdan.request('GET', `${E}/documents?cursor=nope`)).statusCode).toBe(400);
  });
});

describe('editing, downloading, deleting', () => {
  it('edits the metadata of an upload, with the same checks', async () => {
    const doc = await addDocument(congdan);
    const r = await congdan.request('PATCH', `${E}/documents/${doc.id}`, { title: 'CCCD (bản mới)', validUntil: null });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ title: 'CCCD (bản mới)', validUntil: null, valid: true });
    expect((await congdan.request('PATCH', `${E}/documents/${doc.id}`, { validUntil: '2000-01-01' })).statusCode).toBe(400);
  });

  it('downloads the file and logs it', async () => {
    const doc = await addDocument(congdan);
    const r = await congdan.request('GET', `${E}/documents/${doc.id}/file?download=true`);
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.headers['content-disposition']).toMatch(/^attachment/);
    expect((await docLog(congdan, doc.id)).map((e: { action: string }) => e.action)).toEqual(['download']);
  });

  it('deletes (softly) what the owner uploaded: gone from the list and the API, logged', async () => {
    const doc = await addDocument(congdan);
    const r = await congdan.request('DELETE', `${E}/documents/${doc.id}`);
    expect(r.statusCode).toBe(204);
    expect((await list(congdan)).items.map((i: { id: string }) => i.id)).not.toContain(doc.id);
    expect((await congdan.request('GET', `${E}/documents/${doc.id}`)).statusCode).toBe(404);
    const store = (await congdan.request('GET', `${E}/access-log`)).json().items;
    expect(store[0]).toMatchObject({ documentId: doc.id, action: 'deleted' });
    const [row] = await t.db.rows<{ deleted: boolean }>(
      sql`select deleted_at is not null as deleted from edata_documents where id = ${doc.id}`,
    );
    expect(row?.deleted).toBe(true);
  });
});

describe('submit once', () => {
  it('a component filled from the store: no re-upload, the dossier marks it reused, the store logs the reuse', async () => {
    const doc = await addDocument(congdan);
    const r = await submitKhaiSinhReusing(congdan, doc);
    expect(r.statusCode, r.body).toBe(201);
    const d = r.json();
    expect(d.files.find((f: { componentKey: string }) => f.componentKey === 'tp6')).toMatchObject({ fileId: doc.file.id, reused: true });
    expect(d.files.filter((f: { reused: boolean }) => f.reused)).toHaveLength(1);
    // As stored (not only as answered).
    const again = (await congdan.request('GET', `/api/v1/dossiers/${d.id}`)).json();
    expect(again.files.find((f: { componentKey: string }) => f.componentKey === 'tp6').reused).toBe(true);
    expect(await docLog(congdan, doc.id)).toMatchObject([{ action: 'reuse', dossierId: d.id, dossierCode: d.code }]);
  });

  it('an expired document is not reused; nor a file that is not the document’s', async () => {
    const expired = await addDocument(congdan, { issuedOn: '2010-01-01', validUntil: '2020-01-01' });
    const r = await submitKhaiSinhReusing(congdan, expired);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ field: 'files/2/edataDocumentId' });
    const doc = await addDocument(congdan);
    const other = await uploadPdf(congdan);
    const mixed = await submitKhaiSinhReusing(congdan, { id: doc.id, file: { id: other } });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().errors[0]).toMatchObject({ field: 'files/2/fileId' });
  });

  it('a draft keeps the reuse when saved again (logged once per dossier)', async () => {
    const doc = await addDocument(congdan);
    const draft = await congdan.request('POST', '/api/v1/dossiers', {
      procedureId: KHAI_SINH,
      agencyId: BMT,
      files: [{ componentKey: 'tp6', fileId: doc.file.id, edataDocumentId: doc.id }],
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const d = draft.json();
    const upd = await congdan.request('PATCH', `/api/v1/dossiers/${d.id}`, {
      version: d.version,
      files: [{ componentKey: 'tp6', fileId: doc.file.id, edataDocumentId: doc.id }],
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().files[0].reused).toBe(true);
    expect((await docLog(congdan, doc.id)).map((e: { action: string }) => e.action)).toEqual(['reuse']);
  });

  it('a reuse logged while the dossier was a draft names the dossier once it is submitted', async () => {
    const doc = await addDocument(congdan);
    const draft = await congdan.request('POST', '/api/v1/dossiers', {
      procedureId: KHAI_SINH,
      agencyId: BMT,
      form: khaiSinhForm(),
      files: [...(await filesFor(congdan, ['tp1', 'tp2'])), { componentKey: 'tp6', fileId: doc.file.id, edataDocumentId: doc.id }],
      resultDelivery: 'online',
    });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(await docLog(congdan, doc.id)).toMatchObject([{ action: 'reuse', dossierId: draft.json().id, dossierCode: null }]);
    const sent = await congdan.request('POST', `/api/v1/dossiers/${draft.json().id}/submit`, { version: draft.json().version });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().code).toMatch(/^H66\.201-/);
    expect(await docLog(congdan, doc.id)).toMatchObject([{ action: 'reuse', dossierCode: sent.json().code }]);
  });
});

describe('e-results and counter scans', () => {
  let result: { id: string; code: string; resultFileId: string };

  beforeAll(async () => {
    result = await returnedResult(congdan, { motcua, lanhdao: lanhdaoSnv, chuyenvien: chuyenvienSnv });
  }, 120_000);

  it('the returned e-result is in the owner’s store, with the dossier code, once', async () => {
    const results = (await list(congdan, '?source=result')).items;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      type: 'ket_qua_tthc',
      source: 'result',
      dossierId: result.id,
      dossierCode: result.code,
      deletable: false,
      editable: false,
      file: { id: result.resultFileId },
    });
    const bytes = await congdan.request('GET', `${E}/documents/${results[0].id}/file`);
    expect(bytes.statusCode).toBe(200);
  });

  it('an e-result can be neither deleted nor edited', async () => {
    const [doc] = (await list(congdan, '?source=result')).items;
    const del = await congdan.request('DELETE', `${E}/documents/${doc.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json()).toMatchObject({ code: 'edata_result_immutable', title: 'Không xoá được kết quả điện tử' });
    expect((await congdan.request('PATCH', `${E}/documents/${doc.id}`, { title: 'Sửa' })).statusCode).toBe(409);
    expect((await list(congdan, '?source=result')).items).toHaveLength(1);
  });

  it('the desk saves a counter scan into the applicant’s store; the owner may delete it', async () => {
    const scan = await uploadPdf(motcua, 'ban-quet.pdf');
    const r = await motcua.request('POST', `/api/v1/dossiers/${result.id}/counter-scans`, {
      fileId: scan,
      type: 'giay_khai_sinh',
      title: 'Giấy khai sinh (bản số hoá tại quầy)',
      issuedOn: '1990-06-01',
    });
    expect(r.statusCode, r.body).toBe(201);
    const [doc] = (await list(congdan, '?source=counter')).items;
    expect(doc).toMatchObject({ id: r.json().documentId, source: 'counter', dossierCode: result.code, deletable: true, editable: false });
    expect((await congdan.request('DELETE', `${E}/documents/${doc.id}`)).statusCode).toBe(204);
  });
});

describe('share links', () => {
  it('a time-limited link opens without login, shows the document and its file; each open is logged', async () => {
    const doc = await addDocument(congdan, { title: 'CCCD chia sẻ' });
    const created = await congdan.request('POST', `${E}/documents/${doc.id}/shares`, { hours: 24 });
    expect(created.statusCode).toBe(201);
    const share = created.json();
    expect(share.url).toMatch(new RegExp(`/chia-se/${share.token}$`));
    const hours = (new Date(share.expiresAt).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    const [stored] = await t.db.rows<{ token_hash: string }>(sql`select token_hash from edata_shares where id = ${share.id}`);
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.token_hash).not.toContain(share.token);

    const open = await anon.request('GET', `/api/v1/public/edata/shares/${share.token}`);
    expect(open.statusCode).toBe(200);
    expect(open.json()).toMatchObject({ title: 'CCCD chia sẻ', typeName: 'Căn cước / Căn cước công dân', valid: true });
    const file = await anon.request('GET', `/api/v1/public/edata/shares/${share.token}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await anon.request('GET', `/api/v1/public/edata/shares/${share.token}`)).statusCode).toBe(200);

    const shares = (await congdan.request('GET', `${E}/documents/${doc.id}/shares`)).json().items;
    expect(shares[0]).toMatchObject({ id: share.id, openedCount: 2, active: true });
    expect((await docLog(congdan, doc.id)).map((e: { action: string }) => e.action)).toEqual([
      'share_opened',
      'download',
      'share_opened',
      'share_created',
    ]);
  });

  it('a revoked link answers 410; so does an expired one; an unknown one 404', async () => {
    const doc = await addDocument(congdan);
    const a = (await congdan.request('POST', `${E}/documents/${doc.id}/shares`, { hours: 1 })).json();
    const revoke = await congdan.request('POST', `${E}/documents/${doc.id}/shares/${a.id}/revoke`);
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().active).toBe(false);
    const gone = await anon.request('GET', `/api/v1/public/edata/shares/${a.token}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ code: 'share_gone', title: 'Liên kết không còn hiệu lực' });
    expect((await anon.request('GET', `/api/v1/public/edata/shares/${a.token}/file`)).statusCode).toBe(410);

    const b = (await congdan.request('POST', `${E}/documents/${doc.id}/shares`, { hours: 1 })).json();
    await t.db.rows(sql`update edata_shares set expires_at = now() - interval '1 minute' where id = ${b.id}`);
    expect((await anon.request('GET', `/api/v1/public/edata/shares/${b.token}`)).statusCode).toBe(410);
    expect((await anon.request('GET', `/api/v1/public/edata/shares/${'x'.repeat(43)}`)).statusCode).toBe(404);
    expect((await docLog(congdan, doc.id)).map((e: { action: string }) => e.action)).toEqual([
      'share_created',
      'share_revoked',
      'share_created',
    ]);
  });

  it('a deleted document’s links stop working', async () => {
    const doc = await addDocument(congdan);
    const s = (await congdan.request('POST', `${E}/documents/${doc.id}/shares`, { hours: 2 })).json();
    await congdan.request('DELETE', `${E}/documents/${doc.id}`);
    expect((await anon.request('GET', `/api/v1/public/edata/shares/${s.token}`)).statusCode).toBe(410);
  });

  it('expiry between one hour and thirty days', async () => {
    const doc = await addDocument(congdan);
    for (const hours of [0, 721])
      expect((await congdan.request('POST', `${E}/documents/${doc.id}/shares`, { hours })).statusCode).toBe(400);
    expect((await congdan.request('POST', `${E}/documents/${doc.id}/shares`, { hours: 720 })).statusCode).toBe(201);
  });
});
