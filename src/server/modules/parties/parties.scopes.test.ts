/**
 * Who may and who may not act for whom: a proxy acts only within its authorisation (the procedure, before
 * expiry, until revoked); a business's representatives act for it and nobody else does; only the legal
 * representative changes representatives; nobody but the two parties sees or ends an authorisation.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { BMT, filesFor, KHAI_SINH, khaiSinhForm, THO_CUNG, thoCungForm } from '../dossiers/testing';
import { authorise, newCitizen, registerBusiness } from './testing';

let t: TestApp;
/** Grantor A authorises proxy B for KHAI_SINH only; C is a stranger. */
let a: { s: Session; id: string };
let b: { s: Session; id: string };
let c: { s: Session; id: string };
let motcuaBmt: Session;
let congdan: Session;
let anon: Session;

const D = '/api/v1/dossiers';
const Z = '/api/v1/parties/authorisations';

/** A complete khai sinh dossier filed by `s` (for `onBehalfOf` when given), submitted at once unless `draft`. */
async function fileKhaiSinh(s: Session, onBehalfOf?: object, draft = false) {
  return s.request('POST', D, {
    procedureId: KHAI_SINH,
    agencyId: BMT,
    form: khaiSinhForm(),
    files: await filesFor(s, ['tp1', 'tp2', 'tp6']),
    resultDelivery: 'online',
    submit: !draft,
    ...(onBehalfOf ? { onBehalfOf } : {}),
  });
}

const ids = (res: { json(): { items: { id: string }[] } }) => res.json().items.map((i) => i.id);

beforeAll(async () => {
  t = await createTestApp();
  [a, b, c] = [
    await newCitizen(t, 'uq.nguoicho', 'Trần Văn Cho'),
    await newCitizen(t, 'uq.nguoinhan', 'Lê Thị Nhận'),
    await newCitizen(t, 'uq.nguoila', 'Phạm Văn Lạ'),
  ];
  [motcuaBmt, congdan, anon] = await Promise.all([login(t.app, 'motcua.bmt'), login(t.app, 'congdan'), anonymousSession(t.app)]);
  await authorise(a.s, 'uq.nguoinhan', [KHAI_SINH]);
});
afterAll(async () => {
  await t?.close();
});

describe('a proxy within the authorisation', () => {
  let dossier: { id: string; code: string };

  it('submits for the grantor (procedure covered, before expiry); the dossier is the grantor’s', async () => {
    const res = await fileKhaiSinh(b.s, { kind: 'citizen', accountId: a.id });
    expect(res.statusCode, res.body).toBe(201);
    dossier = res.json();
    expect(res.json()).toMatchObject({
      state: 'submitted',
      submittedBy: 'uq.nguoinhan',
      onBehalfOf: { kind: 'citizen', name: 'Trần Văn Cho' },
    });
    const [row] = await t.db.rows<{ owner_account_id: string; created_by_account_id: string; acting_authorisation_id: string | null }>(
      sql`select owner_account_id, created_by_account_id, acting_authorisation_id from dossiers where id = ${dossier.id}`,
    );
    expect(row).toMatchObject({ owner_account_id: a.id, created_by_account_id: b.id });
    expect(row?.acting_authorisation_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the grantor sees it in "my dossiers", with who submitted it', async () => {
    expect(ids(await a.s.request('GET', `${D}/mine`))).toContain(dossier.id);
    const d = (await a.s.request('GET', `${D}/${dossier.id}`)).json();
    expect(d.submittedBy).toBe('uq.nguoinhan');
    expect(d.onBehalfOf).toEqual({ kind: 'citizen', name: 'Trần Văn Cho' });
    // The proxy follows it too, while the authorisation lasts.
    expect(ids(await b.s.request('GET', `${D}/mine`))).toContain(dossier.id);
    expect((await b.s.request('GET', `${D}/${dossier.id}`)).statusCode).toBe(200);
  });

  it('a stranger neither reads it nor finds it in his list', async () => {
    expect((await c.s.request('GET', `${D}/${dossier.id}`)).statusCode).toBe(404);
    expect(ids(await c.s.request('GET', `${D}/mine`))).not.toContain(dossier.id);
  });

  it('cannot submit for another procedure (403 not_authorised_for_principal, in Vietnamese)', async () => {
    const res = await b.s.request('POST', D, {
      procedureId: THO_CUNG,
      form: thoCungForm(),
      files: await filesFor(b.s, ['tp1', 'tp2']),
      resultDelivery: 'counter',
      submit: true,
      onBehalfOf: { kind: 'citizen', accountId: a.id },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'not_authorised_for_principal', title: 'Không được nộp hồ sơ thay' });
    expect(res.json().detail).toMatch(/ủy quyền còn hiệu lực/);
  });

  it('does not see the grantor’s dossiers of procedures outside the authorisation', async () => {
    const own = await a.s.request('POST', D, {
      procedureId: THO_CUNG,
      form: thoCungForm(),
      files: await filesFor(a.s, ['tp1', 'tp2']),
      resultDelivery: 'counter',
      submit: true,
    });
    expect(own.statusCode, own.body).toBe(201);
    expect((await b.s.request('GET', `${D}/${own.json().id}`)).statusCode).toBe(404);
    expect(ids(await b.s.request('GET', `${D}/mine`))).not.toContain(own.json().id);
  });

  it('nobody acts for a citizen who gave no authorisation', async () => {
    const res = await fileKhaiSinh(c.s, { kind: 'citizen', accountId: a.id });
    expect(res.statusCode).toBe(403);
    expect((await fileKhaiSinh(a.s, { kind: 'citizen', accountId: b.id })).statusCode).toBe(403);
  });
});

describe('a revoked proxy', () => {
  it('can no longer create, read, change, submit or withdraw', async () => {
    const grantor = await newCitizen(t, 'uq.thuhoi', 'Đỗ Thu Hồi');
    const z = await authorise(grantor.s, 'uq.nguoinhan', [KHAI_SINH]);
    const on = { kind: 'citizen', accountId: grantor.id };
    const submitted = await fileKhaiSinh(b.s, on);
    const draft = await fileKhaiSinh(b.s, on, true);
    expect([submitted.statusCode, draft.statusCode]).toEqual([201, 201]);

    const revoked = await grantor.s.request('POST', `${Z}/${z.id}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedBy: 'grantor' });

    expect((await fileKhaiSinh(b.s, on)).statusCode).toBe(403);
    for (const id of [submitted.json().id, draft.json().id]) expect((await b.s.request('GET', `${D}/${id}`)).statusCode).toBe(404);
    expect((await b.s.request('PATCH', `${D}/${draft.json().id}`, { version: 1, form: khaiSinhForm() })).statusCode).toBe(404);
    expect((await b.s.request('POST', `${D}/${draft.json().id}/submit`, {})).statusCode).toBe(404);
    expect((await b.s.request('POST', `${D}/${submitted.json().id}/supplement`, { note: 'x' })).statusCode).toBe(404);
    expect([403, 404]).toContain(
      (await b.s.request('POST', `${D}/${submitted.json().id}/withdraw`, { reason: 'Không nộp nữa' })).statusCode,
    );
    const mine = ids(await b.s.request('GET', `${D}/mine`));
    expect(mine).not.toContain(submitted.json().id);
    expect(mine).not.toContain(draft.json().id);
    // The grantor keeps his dossiers, and can submit the draft himself.
    expect((await grantor.s.request('GET', `${D}/${submitted.json().id}`)).statusCode).toBe(200);
    expect((await grantor.s.request('POST', `${D}/${draft.json().id}/submit`, {})).statusCode).toBe(200);
  });
});

describe('an expired proxy', () => {
  it('can no longer create, read or submit', async () => {
    const grantor = await newCitizen(t, 'uq.hethan', 'Vũ Hết Hạn');
    const z = await authorise(grantor.s, 'uq.nguoinhan', []);
    const on = { kind: 'citizen', accountId: grantor.id };
    const draft = await fileKhaiSinh(b.s, on, true);
    expect(draft.statusCode, draft.body).toBe(201);
    expect((await b.s.request('GET', `${D}/${draft.json().id}`)).statusCode).toBe(200);
    // Time passes: the authorisation ended a minute ago.
    await t.db.rows(
      sql`update authorisations set valid_from = now() - interval '40 days', valid_until = now() - interval '1 minute' where id = ${z.id}`,
    );
    expect((await fileKhaiSinh(b.s, on)).statusCode).toBe(403);
    expect((await b.s.request('GET', `${D}/${draft.json().id}`)).statusCode).toBe(404);
    expect((await b.s.request('POST', `${D}/${draft.json().id}/submit`, {})).statusCode).toBe(404);
    const given = (await grantor.s.request('GET', `${Z}/given`)).json();
    expect(given.items[0]).toMatchObject({ id: z.id, status: 'expired' });
  });

  it('nor one whose authorisation has not started yet', async () => {
    const grantor = await newCitizen(t, 'uq.chuabatdau', 'Hồ Chưa Bắt Đầu');
    const z = await authorise(grantor.s, 'uq.nguoinhan', [KHAI_SINH]);
    await t.db.rows(sql`update authorisations set valid_from = now() + interval '2 days' where id = ${z.id}`);
    expect((await fileKhaiSinh(b.s, { kind: 'citizen', accountId: grantor.id })).statusCode).toBe(403);
  });
});

describe('businesses', () => {
  let legal: { s: Session; id: string };
  let rep: { s: Session; id: string };
  let business: { id: string; name: string };
  let dossierId: string;

  beforeAll(async () => {
    legal = await newCitizen(t, 'dn.phapluat', 'Ngô Pháp Luật');
    rep = await newCitizen(t, 'dn.daidien', 'Mai Đại Diện');
    business = await registerBusiness(legal.s, '6007654323', 'Công ty TNHH Kiểm Thử');
    const added = await legal.s.request('POST', `/api/v1/parties/businesses/${business.id}/representatives`, { username: 'dn.daidien' });
    expect(added.statusCode, added.body).toBe(201);
  });

  it('a representative submits for the business; another representative sees it', async () => {
    const res = await fileKhaiSinh(rep.s, { kind: 'business', businessId: business.id });
    expect(res.statusCode, res.body).toBe(201);
    dossierId = res.json().id;
    expect(res.json()).toMatchObject({ submittedBy: 'dn.daidien', onBehalfOf: { kind: 'business', name: 'Công ty TNHH Kiểm Thử' } });
    const [row] = await t.db.rows<{ owner_account_id: string | null; owner_business_id: string }>(
      sql`select owner_account_id, owner_business_id from dossiers where id = ${dossierId}`,
    );
    expect(row).toEqual({ owner_account_id: null, owner_business_id: business.id });
    expect((await legal.s.request('GET', `${D}/${dossierId}`)).statusCode).toBe(200);
    expect(ids(await legal.s.request('GET', `${D}/mine`))).toContain(dossierId);
    expect(ids(await rep.s.request('GET', `${D}/mine`))).toContain(dossierId);
    // The desk it was filed with still receives it.
    expect((await motcuaBmt.request('GET', `${D}/${dossierId}`)).statusCode).toBe(200);
  });

  it('a non-representative can neither submit for it nor read its dossiers', async () => {
    const res = await fileKhaiSinh(c.s, { kind: 'business', businessId: business.id });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('not_authorised_for_principal');
    expect((await c.s.request('GET', `${D}/${dossierId}`)).statusCode).toBe(404);
    expect(ids(await c.s.request('GET', `${D}/mine`))).not.toContain(dossierId);
    expect((await c.s.request('GET', `/api/v1/parties/businesses/${business.id}`)).statusCode).toBe(404);
    // A proxy of the legal representative is no representative of the business.
    await authorise(legal.s, 'uq.nguoila', []);
    expect((await fileKhaiSinh(c.s, { kind: 'business', businessId: business.id })).statusCode).toBe(403);
  });

  it('only the legal representative adds or removes representatives', async () => {
    const add = await rep.s.request('POST', `/api/v1/parties/businesses/${business.id}/representatives`, { username: 'uq.nguoila' });
    expect(add.statusCode).toBe(403);
    expect(add.json().detail).toMatch(/người đại diện theo pháp luật/);
    expect(
      (await c.s.request('POST', `/api/v1/parties/businesses/${business.id}/representatives`, { username: 'uq.nguoila' })).statusCode,
    ).toBe(404);
    expect((await rep.s.request('DELETE', `/api/v1/parties/businesses/${business.id}/representatives/${legal.id}`)).statusCode).toBe(403);
    expect((await c.s.request('DELETE', `/api/v1/parties/businesses/${business.id}/representatives/${rep.id}`)).statusCode).toBe(404);
  });

  it('a removed representative can no longer act for the business', async () => {
    const removed = await legal.s.request('DELETE', `/api/v1/parties/businesses/${business.id}/representatives/${rep.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await rep.s.request('GET', `${D}/${dossierId}`)).statusCode).toBe(404);
    expect((await fileKhaiSinh(rep.s, { kind: 'business', businessId: business.id })).statusCode).toBe(403);
    expect((await rep.s.request('GET', `/api/v1/parties/businesses/${business.id}`)).statusCode).toBe(404);
    expect((await legal.s.request('GET', `${D}/${dossierId}`)).statusCode).toBe(200);
  });
});

describe('authorisations are private to their two parties', () => {
  it('nobody else lists them', async () => {
    const z = await authorise(a.s, 'uq.nguoinhan', [THO_CUNG]);
    expect(ids(await a.s.request('GET', `${Z}/given`))).toContain(z.id);
    expect(ids(await b.s.request('GET', `${Z}/received`))).toContain(z.id);
    for (const s of [c.s, congdan]) {
      expect(ids(await s.request('GET', `${Z}/given`))).not.toContain(z.id);
      expect(ids(await s.request('GET', `${Z}/received`))).not.toContain(z.id);
    }
    // The grantee does not see it among those he gave, nor the grantor among those he received.
    expect(ids(await b.s.request('GET', `${Z}/given`))).not.toContain(z.id);
    expect(ids(await a.s.request('GET', `${Z}/received`))).not.toContain(z.id);
  });

  it('nobody else ends one; the grantee may renounce it', async () => {
    const z = await authorise(a.s, 'uq.nguoinhan', [THO_CUNG]);
    expect((await c.s.request('POST', `${Z}/${z.id}/revoke`)).statusCode).toBe(404);
    const renounced = await b.s.request('POST', `${Z}/${z.id}/revoke`);
    expect(renounced.statusCode).toBe(200);
    expect(renounced.json()).toMatchObject({ status: 'revoked', revokedBy: 'grantee' });
    expect((await a.s.request('POST', `${Z}/${z.id}/revoke`)).statusCode).toBe(409);
  });

  it('anonymous callers must sign in; staff accounts do not give authorisations or register businesses', async () => {
    for (const [m, url] of [
      ['GET', `${Z}/given`],
      ['GET', `${Z}/received`],
      ['GET', '/api/v1/parties/businesses'],
      ['GET', '/api/v1/parties/principals'],
    ] as const) {
      expect((await anon.request(m, url)).statusCode).toBe(401);
    }
    expect(
      (await anon.request('POST', Z, { granteeUsername: 'uq.nguoinhan', procedureCodes: [], validUntil: '2030-01-01' })).statusCode,
    ).toBe(401);
    const staff = motcuaBmt;
    expect(
      (await staff.request('POST', Z, { granteeUsername: 'uq.nguoinhan', procedureCodes: [], validUntil: '2030-01-01' })).statusCode,
    ).toBe(403);
    expect((await staff.request('POST', '/api/v1/parties/businesses', { taxCode: '6001112229', name: 'Công ty Cán Bộ' })).statusCode).toBe(
      403,
    );
  });
});
