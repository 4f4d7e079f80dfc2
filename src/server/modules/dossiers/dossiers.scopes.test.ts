/**
 * Who may and who may not, for every dossier use case: a citizen sees only their own dossiers; a desk
 * receives only dossiers filed with it; the public sees the status without personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { BMT, EA_KAR, filesFor, KHAI_SINH, khaiSinhForm, submitKhaiSinh, submitThoCung, THO_CUNG, thoCungForm, uploadPdf } from './testing';

let t: TestApp;
let congdan: Session;
let congdan2: Session;
let motcua: Session;
let motcuaBmt: Session;
let chuyenvien: Session;
let anon: Session;
/** Filed with the ward of Buôn Ma Thuột (desk: motcua.bmt). */
let commune: { id: string; code: string; version: number };
/** Province level (desk: the provincial service centre, motcua). */
let province: { id: string; code: string; version: number };
let draftId: string;

beforeAll(async () => {
  t = await createTestApp();
  [congdan, congdan2, motcua, motcuaBmt, chuyenvien, anon] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'congdan2'),
    login(t.app, 'motcua'),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'chuyenvien'),
    anonymousSession(t.app),
  ]);
  commune = (await submitKhaiSinh(congdan)).json();
  province = (await submitThoCung(congdan)).json();
  draftId = (await congdan.request('POST', '/api/v1/dossiers', { procedureId: KHAI_SINH, agencyId: BMT })).json().id;
});
afterAll(async () => {
  await t?.close();
});

describe('reading a dossier', () => {
  it('the owner may', async () => {
    expect((await congdan.request('GET', `/api/v1/dossiers/${commune.id}`)).statusCode).toBe(200);
  });

  it('another citizen may not, and learns nothing (404)', async () => {
    for (const url of [`/api/v1/dossiers/${commune.id}`, `/api/v1/dossiers/${draftId}`]) {
      const res = await congdan2.request('GET', url);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const mine = (await congdan2.request('GET', '/api/v1/dossiers/mine')).json();
    expect(mine.items.map((d: { id: string }) => d.id)).not.toContain(commune.id);
  });

  it('nor the files of it', async () => {
    const d = (await congdan.request('GET', `/api/v1/dossiers/${commune.id}`)).json();
    const fileId = d.files[0].fileId;
    expect((await congdan2.request('GET', `/api/v1/dossiers/${commune.id}/files/${fileId}`)).statusCode).toBe(404);
    expect((await congdan.request('GET', `/api/v1/dossiers/${commune.id}/files/${fileId}`)).statusCode).toBe(200);
    // A file of another dossier cannot be read through this one.
    const other = (await congdan.request('GET', `/api/v1/dossiers/${province.id}`)).json();
    expect((await congdan.request('GET', `/api/v1/dossiers/${commune.id}/files/${other.files[0].fileId}`)).statusCode).toBe(404);
  });

  it('the desk it was filed with may; another desk may not', async () => {
    expect((await motcuaBmt.request('GET', `/api/v1/dossiers/${commune.id}`)).statusCode).toBe(200);
    expect((await motcua.request('GET', `/api/v1/dossiers/${commune.id}`)).statusCode).toBe(404);
    expect((await motcua.request('GET', `/api/v1/dossiers/${province.id}`)).statusCode).toBe(200);
    expect((await motcuaBmt.request('GET', `/api/v1/dossiers/${province.id}`)).statusCode).toBe(404);
  });

  it('nobody but the owner sees a draft, not even the desk', async () => {
    expect((await motcuaBmt.request('GET', `/api/v1/dossiers/${draftId}`)).statusCode).toBe(404);
  });

  it('a specialist of an unrelated agency may not', async () => {
    expect((await chuyenvien.request('GET', `/api/v1/dossiers/${commune.id}`)).statusCode).toBe(404);
  });

  it('anonymous callers must sign in (401)', async () => {
    expect((await anon.request('GET', `/api/v1/dossiers/${commune.id}`)).statusCode).toBe(401);
    expect((await anon.request('GET', '/api/v1/dossiers/mine')).statusCode).toBe(401);
  });
});

describe('drafts and submission', () => {
  it('only the owner edits, submits or supplements', async () => {
    expect((await congdan2.request('PATCH', `/api/v1/dossiers/${draftId}`, { version: 1, form: khaiSinhForm() })).statusCode).toBe(404);
    expect((await congdan2.request('POST', `/api/v1/dossiers/${draftId}/submit`, {})).statusCode).toBe(404);
    expect((await motcuaBmt.request('POST', `/api/v1/dossiers/${draftId}/submit`, {})).statusCode).toBe(404);
    expect((await congdan2.request('POST', `/api/v1/dossiers/${commune.id}/supplement`, { note: 'x' })).statusCode).toBe(404);
  });

  it('anonymous callers cannot create dossiers (401)', async () => {
    expect((await anon.request('POST', '/api/v1/dossiers', { procedureId: KHAI_SINH, agencyId: BMT })).statusCode).toBe(401);
  });
});

describe('the reception desk', () => {
  it('an officer of agency X cannot receive agency Y’s dossier', async () => {
    // motcua (provincial centre) ↛ the ward's dossier; motcua.bmt (ward) ↛ the province's.
    expect((await motcua.request('POST', `/api/v1/dossiers/${commune.id}/receive`, {})).statusCode).toBe(404);
    expect((await motcuaBmt.request('POST', `/api/v1/dossiers/${province.id}/receive`, {})).statusCode).toBe(404);
    for (const action of ['request-supplement', 'refuse']) {
      const body = action === 'refuse' ? { reasons: ['x'] } : { items: [{ text: 'x' }], reason: 'x' };
      expect((await motcua.request('POST', `/api/v1/dossiers/${commune.id}/${action}`, body)).statusCode).toBe(404);
    }
    const still = (await congdan.request('GET', `/api/v1/dossiers/${commune.id}`)).json();
    expect(still.state).toBe('submitted');
  });

  it('the applicant cannot receive their own dossier', async () => {
    expect((await congdan.request('POST', `/api/v1/dossiers/${commune.id}/receive`, {})).statusCode).toBe(404);
  });

  it('a specialist without dossiers.receive cannot receive it', async () => {
    expect((await chuyenvien.request('POST', `/api/v1/dossiers/${province.id}/receive`, {})).statusCode).toBe(404);
  });

  it('each desk’s queue holds only its own dossiers', async () => {
    const bmt = (await motcuaBmt.request('GET', '/api/v1/dossiers?queue=reception')).json();
    const centre = (await motcua.request('GET', '/api/v1/dossiers?queue=reception')).json();
    expect(bmt.items.map((d: { id: string }) => d.id)).toContain(commune.id);
    expect(bmt.items.map((d: { id: string }) => d.id)).not.toContain(province.id);
    expect(centre.items.map((d: { id: string }) => d.id)).toContain(province.id);
    expect(centre.items.map((d: { id: string }) => d.id)).not.toContain(commune.id);
  });

  it('citizens and specialists have no queue (403); anonymous 401', async () => {
    expect((await congdan.request('GET', '/api/v1/dossiers?queue=reception')).statusCode).toBe(403);
    expect((await chuyenvien.request('GET', '/api/v1/dossiers')).statusCode).toBe(403);
    expect((await anon.request('GET', '/api/v1/dossiers')).statusCode).toBe(401);
  });

  it('counter registration: only a desk, only for procedures it receives', async () => {
    const body = (files: unknown) => ({
      procedureId: KHAI_SINH,
      agencyId: EA_KAR,
      channel: 1,
      form: khaiSinhForm(),
      files,
      resultDelivery: 'counter',
    });
    // The ward's officer cannot register a dossier for another commune's desk.
    const bmtFiles = await filesFor(motcuaBmt, ['tp1', 'tp2', 'tp6']);
    expect((await motcuaBmt.request('POST', '/api/v1/dossiers/counter', body(bmtFiles))).statusCode).toBe(404);
    // A citizen cannot use the counter route at all.
    expect((await congdan.request('POST', '/api/v1/dossiers/counter', body([]))).statusCode).toBe(403);
    // The provincial centre registers province-level procedures.
    const files = await filesFor(motcua, ['tp1', 'tp2']);
    const ok = await motcua.request('POST', '/api/v1/dossiers/counter', {
      procedureId: THO_CUNG,
      channel: 1,
      form: thoCungForm(),
      files,
      resultDelivery: 'counter',
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('an officer cannot attach a citizen’s upload to a counter dossier', async () => {
    const citizenFile = await uploadPdf(congdan);
    const res = await motcua.request('POST', '/api/v1/dossiers/counter', {
      procedureId: THO_CUNG,
      channel: 1,
      form: thoCungForm(),
      files: [{ componentKey: 'tp1', fileId: citizenFile }],
      resultDelivery: 'counter',
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('public tracking', () => {
  it('anyone sees the status by code, without personal data', async () => {
    const res = await anon.request('GET', `/api/v1/public/dossiers/${commune.code}`);
    expect(res.statusCode).toBe(200);
    const keys = Object.keys(res.json());
    for (const personal of ['applicant', 'applicantName', 'form', 'files', 'timeline', 'notifyTo']) expect(keys).not.toContain(personal);
  });

  it('wrong answers are limited per dossier code (429 after the limit, even with the right answer)', async () => {
    const limited = await createTestApp({ TRACKING_FAILURES_PER_CODE: '3', TRACKING_LOOKUPS_PER_MINUTE: '100' });
    try {
      const citizen = await login(limited.app, 'congdan');
      const d = (await submitKhaiSinh(citizen)).json();
      const guest = await anonymousSession(limited.app);
      for (let i = 0; i < 3; i++) {
        expect((await guest.request('POST', `/api/v1/public/dossiers/${d.code}/lookup`, { idLast4: `000${i}` })).statusCode).toBe(404);
      }
      const blocked = await guest.request('POST', `/api/v1/public/dossiers/${d.code}/lookup`, { idLast4: '1234' });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['content-type']).toContain('application/problem+json');
    } finally {
      await limited.close();
    }
  });

  it('too many lookups from one client per minute are refused (429)', async () => {
    const limited = await createTestApp({ TRACKING_LOOKUPS_PER_MINUTE: '2' });
    try {
      const guest = await anonymousSession(limited.app);
      const codes = [] as number[];
      for (let i = 0; i < 3; i++) {
        codes.push((await guest.request('POST', '/api/v1/public/dossiers/H66.201-261124-0001/lookup', { idLast4: '1234' })).statusCode);
      }
      expect(codes).toEqual([404, 404, 429]);
    } finally {
      await limited.close();
    }
  });
});
