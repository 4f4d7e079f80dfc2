/**
 * Who may read a store: its owner (and whoever acts for the owner through parties), nobody else;
 * officers have no store API and see a store document only through a dossier of their desk that uses
 * it — and that read lands in the owner's access log. A dossier cannot reuse someone else's document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { ensureConfiguredDemoCa } from '../../platform/signing';
import { addDocument, E, returnedResult, submitKhaiSinhReusing } from './testing';

let t: TestApp;
let congdan: Session;
let congdan2: Session;
let motcua: Session;
let motcuaBmt: Session;
let lanhdaoSnv: Session;
let chuyenvienSnv: Session;
let anon: Session;
let congdanId: string;
let mine: { id: string; file: { id: string } };
/** A khai sinh dossier of congdan at the ward of Buôn Ma Thuột (desk: motcua.bmt) reusing `mine`. */
let dossier: { id: string; code: string };

const ids = (r: { json(): { items: { id: string }[] } }) => r.json().items.map((i) => i.id);

beforeAll(async () => {
  t = await createTestApp();
  await ensureConfiguredDemoCa(t.platform.config, [{ code: 'H66.002', name: 'Sở Nội vụ tỉnh Đắk Lắk' }]);
  [congdan, congdan2, motcua, motcuaBmt, lanhdaoSnv, chuyenvienSnv, anon] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'congdan2'),
    login(t.app, 'motcua'),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'lanhdao.snv'),
    login(t.app, 'chuyenvien.snv'),
    anonymousSession(t.app),
  ]);
  congdanId = (await congdan.request('GET', '/api/v1/auth/me')).json().id;
  mine = await addDocument(congdan, { title: 'CCCD của congdan' });
  const r = await submitKhaiSinhReusing(congdan, mine);
  expect(r.statusCode, r.body).toBe(201);
  dossier = r.json();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('another citizen', () => {
  it('does not see my documents in their own store, and may not open mine', async () => {
    expect(ids(await congdan2.request('GET', `${E}/documents`))).not.toContain(mine.id);
    expect((await congdan2.request('GET', `${E}/documents?accountId=${congdanId}`)).statusCode).toBe(403);
    expect((await congdan2.request('GET', `${E}/access-log?accountId=${congdanId}`)).statusCode).toBe(403);
  });

  it('cannot read, download, edit, delete, share, or read the log of my document (404)', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', `${E}/documents/${mine.id}`],
      ['GET', `${E}/documents/${mine.id}/file`],
      ['PATCH', `${E}/documents/${mine.id}`, { title: 'Của tôi' }],
      ['DELETE', `${E}/documents/${mine.id}`],
      ['GET', `${E}/documents/${mine.id}/access-log`],
      ['GET', `${E}/documents/${mine.id}/shares`],
      ['POST', `${E}/documents/${mine.id}/shares`, { hours: 1 }],
    ];
    for (const [method, url, body] of calls) expect((await congdan2.request(method, url, body)).statusCode, `${method} ${url}`).toBe(404);
    expect((await congdan.request('GET', `${E}/documents/${mine.id}`)).json().title).toBe('CCCD của congdan');
  });

  it('cannot file a dossier reusing my document', async () => {
    const r = await submitKhaiSinhReusing(congdan2, mine);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ field: 'files/2/edataDocumentId' });
    const log = (await congdan.request('GET', `${E}/documents/${mine.id}/access-log`)).json().items;
    expect(log.filter((e: { action: string }) => e.action === 'reuse')).toHaveLength(1);
  });

  it('anonymous callers get 401', async () => {
    expect((await anon.request('GET', `${E}/documents`)).statusCode).toBe(401);
    expect((await anon.request('GET', `${E}/documents/${mine.id}/file`)).statusCode).toBe(401);
  });
});

describe('officers', () => {
  it('have no store API, not even for a document they can see through a dossier', async () => {
    for (const s of [motcua, motcuaBmt]) {
      expect((await s.request('GET', `${E}/documents`)).statusCode).toBe(403);
      expect((await s.request('GET', `${E}/documents?accountId=${congdanId}`)).statusCode).toBe(403);
      expect((await s.request('GET', `${E}/documents/${mine.id}`)).statusCode).toBe(403);
      expect((await s.request('GET', `${E}/documents/${mine.id}/file`)).statusCode).toBe(403);
      expect((await s.request('GET', `${E}/access-log`)).statusCode).toBe(403);
    }
  });

  it('the desk of the dossier opens the reused file through it; the read is in my log, with the officer and agency', async () => {
    const view = await motcuaBmt.request('GET', `/api/v1/dossiers/${dossier.id}/files/${mine.file.id}`);
    expect(view.statusCode).toBe(200);
    const dl = await motcuaBmt.request('GET', `/api/v1/dossiers/${dossier.id}/files/${mine.file.id}?download=true`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment/);
    const log = (await congdan.request('GET', `${E}/access-log`)).json().items;
    expect(log.slice(0, 2)).toMatchObject([
      { documentId: mine.id, action: 'download', actorLabel: 'motcua.bmt', dossierCode: dossier.code },
      { documentId: mine.id, action: 'view', actorLabel: 'motcua.bmt', dossierCode: dossier.code },
    ]);
    expect(log[0].actorAgency).toBeTruthy();
  });

  it('an officer of another agency cannot, and leaves no entry; the owner reading his own dossier leaves none either', async () => {
    const before = (await congdan.request('GET', `${E}/documents/${mine.id}/access-log`)).json().items.length;
    expect((await motcua.request('GET', `/api/v1/dossiers/${dossier.id}/files/${mine.file.id}`)).statusCode).toBe(404);
    expect((await congdan.request('GET', `/api/v1/dossiers/${dossier.id}/files/${mine.file.id}`)).statusCode).toBe(200);
    expect((await congdan.request('GET', `${E}/documents/${mine.id}/access-log`)).json().items).toHaveLength(before);
  });

  it('a counter scan only by the desk of the dossier', async () => {
    const body = { fileId: mine.file.id, type: 'cccd', title: 'Bản quét' };
    expect((await motcua.request('POST', `/api/v1/dossiers/${dossier.id}/counter-scans`, body)).statusCode).toBe(404);
    expect((await congdan.request('POST', `/api/v1/dossiers/${dossier.id}/counter-scans`, body)).statusCode).toBe(404);
    expect((await congdan2.request('POST', `/api/v1/dossiers/${dossier.id}/counter-scans`, body)).statusCode).toBe(404);
    const ok = await motcuaBmt.request('POST', `/api/v1/dossiers/${dossier.id}/counter-scans`, body);
    expect(ok.statusCode, ok.body).toBe(201);
    const counter = (await congdan.request('GET', `${E}/documents?source=counter`)).json().items;
    expect(counter.map((d: { id: string }) => d.id)).toEqual([ok.json().documentId]);
  });
});

describe('acting for someone else (parties)', () => {
  it('a proxy (congdan holds an authorisation from congdan2) still cannot read congdan2’s store, nor reuse its papers', async () => {
    const theirs = await addDocument(congdan2, { title: 'Giấy tờ của congdan2' });
    const congdan2Id = (await congdan2.request('GET', '/api/v1/auth/me')).json().id;
    const proxies = (await congdan.request('GET', '/api/v1/parties/principals')).json();
    expect(JSON.stringify(proxies)).toContain(congdan2Id); // the authorisation is live: only the store rule refuses
    expect((await congdan.request('GET', `${E}/documents?accountId=${congdan2Id}`)).statusCode).toBe(403);
    expect((await congdan.request('GET', `${E}/documents/${theirs.id}`)).statusCode).toBe(404);
    expect((await congdan2.request('GET', `${E}/documents?accountId=${congdanId}`)).statusCode).toBe(403);
  });
});

describe('e-results', () => {
  it('cannot be deleted, by the owner or anyone else', async () => {
    await returnedResult(congdan, { motcua, lanhdao: lanhdaoSnv, chuyenvien: chuyenvienSnv });
    const [doc] = (await congdan.request('GET', `${E}/documents?source=result`)).json().items;
    expect(doc).toBeTruthy();
    expect((await congdan.request('DELETE', `${E}/documents/${doc.id}`)).statusCode).toBe(409);
    expect((await congdan2.request('DELETE', `${E}/documents/${doc.id}`)).statusCode).toBe(404);
    expect((await motcua.request('DELETE', `${E}/documents/${doc.id}`)).statusCode).toBe(403);
  }, 120_000);
});
