/**
 * Who may and who may not, for every catalogue use case.
 *
 * Reads are public. Writes (create, publish, retire, import, export) need catalog.manage over the
 * whole province: anonymous → 401; citizens, one-stop officers and agency administrators → 403;
 * a catalog.manage grant scoped to one agency → 403; the system administrator → allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { demoAgencyId } from '../org';
import { procedureIdFor } from '.';

const BIRTH = procedureIdFor('1.001193.000.00.00.H66');
const DEATH = procedureIdFor('1.000656.000.00.00.H66');
const STP = demoAgencyId('H66.003');
const password = 'Matkhau-2026-an-toan';

let t: TestApp;
let anon: Session;
let admin: Session;
let motcua: Session;
let congdan: Session;
let qtStp: Session;
let scoped: Session;

beforeAll(async () => {
  t = await createTestApp();
  anon = await anonymousSession(t.app);
  admin = await login(t.app, 'admin');
  motcua = await login(t.app, 'motcua');
  congdan = await login(t.app, 'congdan');
  qtStp = await login(t.app, 'quantri.stp');
  // A role with catalog.manage, granted only inside Sở Tư pháp.
  const role = await admin.request('POST', '/api/v1/roles', {
    code: 'qt_tthc_so',
    name: 'Quản trị TTHC của sở',
    permissions: ['catalog.manage'],
  });
  expect(role.statusCode, role.body).toBe(201);
  const staff = await admin.request('POST', '/api/v1/staff', {
    username: 'qt.tthc.stp',
    displayName: 'Quản Trị Thủ Tục',
    agencyId: STP,
    positionCode: 'chuyen_vien',
    password,
  });
  const grant = await admin.request('POST', `/api/v1/staff/${staff.json().id}/assignments`, { roleCode: 'qt_tthc_so', scopeAgencyId: STP });
  expect(grant.statusCode, grant.body).toBe(201);
  scoped = await login(t.app, 'qt.tthc.stp', password);
});
afterAll(async () => t?.close());

const status = async (s: Session, method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
  (await s.request(method, url, body, headers)).statusCode;

let n = 0;
const newProcedure = () => ({
  code: `1.998${String(++n).padStart(3, '0')}.000.00.00.H66`,
  name: `Thủ tục phạm vi ${n}`,
  field: 'Hộ tịch',
  level: 'commune',
  onlineLevel: 'mot_phan',
  agencies: [{ code: 'H66.201' }],
});

describe('reads are public', () => {
  it.each([
    '/api/v1/procedures?q=khai%20sinh',
    '/api/v1/procedure-fields',
    `/api/v1/procedures/${BIRTH}`,
    '/api/v1/procedures/1.001193.000.00.00.H66',
    `/api/v1/procedures/${BIRTH}/versions/1`,
  ])('anyone may GET %s', async (url) => {
    expect(await status(anon, 'GET', url)).toBe(200);
    expect(await status(congdan, 'GET', url)).toBe(200);
  });
});

describe('writes need catalog.manage over the whole province', () => {
  const refused = [
    ['motcua', () => motcua],
    ['congdan', () => congdan],
    ['quantri.stp', () => qtStp],
    ['catalog.manage scoped to Sở Tư pháp', () => scoped],
  ] as const;

  it('create', async () => {
    expect(await status(anon, 'POST', '/api/v1/procedures', newProcedure())).toBe(401);
    for (const [, s] of refused) expect(await status(s(), 'POST', '/api/v1/procedures', newProcedure())).toBe(403);
    expect(await status(admin, 'POST', '/api/v1/procedures', newProcedure())).toBe(201);
    // The scoped manager holds the permission, only not over the whole province.
    expect((await scoped.request('POST', '/api/v1/procedures', newProcedure())).json().detail).toMatch(/phạm vi toàn tỉnh/);
    expect((await motcua.request('POST', '/api/v1/procedures', newProcedure())).json().detail).not.toMatch(/phạm vi toàn tỉnh/);
  });

  it('publish a new version', async () => {
    const current = (await anon.request('GET', `/api/v1/procedures/${BIRTH}`)).json();
    const body = { ...current, processingNote: 'Trả trong ngày' };
    expect(await status(anon, 'PUT', `/api/v1/procedures/${BIRTH}`, body)).toBe(401);
    for (const [, s] of refused) expect(await status(s(), 'PUT', `/api/v1/procedures/${BIRTH}`, body)).toBe(403);
    // What GET returns can be sent back as the next version.
    const res = await admin.request('PUT', `/api/v1/procedures/${BIRTH}`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, processingNote: 'Trả trong ngày' });
  });

  it('retire', async () => {
    expect(await status(anon, 'POST', `/api/v1/procedures/${DEATH}/retire`)).toBe(401);
    for (const [, s] of refused) expect(await status(s(), 'POST', `/api/v1/procedures/${DEATH}/retire`)).toBe(403);
    expect(await status(admin, 'POST', `/api/v1/procedures/${DEATH}/retire`)).toBe(200);
  });

  it('export', async () => {
    for (const format of ['json', 'csv']) {
      const url = `/api/v1/procedures/export?format=${format}`;
      expect(await status(anon, 'GET', url)).toBe(401);
      for (const [, s] of refused) expect(await status(s(), 'GET', url)).toBe(403);
      expect(await status(admin, 'GET', url)).toBe(200);
    }
  });

  it('import', async () => {
    const csv = 'code,name,field,level,online_level,agencies\n1.998900.000.00.00.H66,Thủ tục nhập thử,Hộ tịch,commune,mot_phan,H66.201\n';
    const headers = { 'content-type': 'text/csv' };
    expect(await status(anon, 'POST', '/api/v1/procedures/import', csv, headers)).toBe(401);
    expect(await status(anon, 'POST', '/api/v1/procedures/import', [newProcedure()])).toBe(401);
    for (const [, s] of refused) {
      expect(await status(s(), 'POST', '/api/v1/procedures/import', csv, headers)).toBe(403);
      expect(await status(s(), 'POST', '/api/v1/procedures/import', [newProcedure()])).toBe(403);
    }
    expect(await status(admin, 'POST', '/api/v1/procedures/import?dryRun=true', csv, headers)).toBe(200);
    expect(await status(admin, 'POST', '/api/v1/procedures/import', [newProcedure()])).toBe(200);
  });

  it('unknown procedures are 404 for a manager, still 401 for anonymous', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await status(anon, 'POST', `/api/v1/procedures/${missing}/retire`)).toBe(401);
    expect(await status(admin, 'POST', `/api/v1/procedures/${missing}/retire`)).toBe(404);
    expect(await status(admin, 'PUT', `/api/v1/procedures/${missing}`, newProcedure())).toBe(404);
    expect(await status(anon, 'GET', `/api/v1/procedures/${missing}`)).toBe(404);
  });

  it('the administrator role has the new permission', async () => {
    const roles = (await admin.request('GET', '/api/v1/roles')).json() as { code: string; permissions: string[] }[];
    expect(roles.find((r) => r.code === 'admin')?.permissions).toContain('catalog.manage');
    expect(roles.find((r) => r.code === 'motcua')?.permissions).not.toContain('catalog.manage');
  });
});
