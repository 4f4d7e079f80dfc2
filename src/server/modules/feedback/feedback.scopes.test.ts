/**
 * Who may act on a field report: staff of another commune cannot (404, the report is not confirmed); a
 * department-scoped officer only after assignment to his department; a citizen cannot moderate; only the
 * provincial desk reassigns; private reports never appear on the board, in nearby suggestions or in the feed;
 * anonymous reports show no name publicly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { demoAgencyId } from '../org';
import { actOn as act, BMT, submitReport as submit } from './testing';

let t: TestApp;
let citizen: Session;
let citizen2: Session;
let anon: Session;
let deskBmt: Session;
let officerBmt: Session;
let officerEaKar: Session;
let triage: Session;

beforeAll(async () => {
  t = await createTestApp();
  [citizen, citizen2, anon, deskBmt, officerBmt, officerEaKar, triage] = await Promise.all([
    login(t.app, 'congdan'),
    login(t.app, 'congdan2'),
    anonymousSession(t.app),
    login(t.app, 'motcua.bmt'),
    login(t.app, 'chuyenvien.bmt'),
    login(t.app, 'chuyenvien.eakar'),
    login(t.app, 'motcua'),
  ]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('field report scopes', () => {
  let id: string;

  it('staff of another commune can neither read nor act on a Buôn Ma Thuột report', async () => {
    id = (await submit(citizen, { categoryCode: 'moi_truong', description: 'Rác ven suối', location: BMT })).json().id;
    expect((await officerEaKar.request('GET', `/api/v1/field-reports/${id}`)).statusCode).toBe(404);
    expect((await act(officerEaKar, id, 'moderate', { publicDescription: 'x' })).statusCode).toBe(404);
    const queue = await officerEaKar.request('GET', '/api/v1/field-reports');
    expect(queue.json().items.some((r: { id: string }) => r.id === id)).toBe(false);
    const own = await deskBmt.request('GET', '/api/v1/field-reports');
    expect(own.json().items.some((r: { id: string }) => r.id === id)).toBe(true);
  });

  it('a citizen cannot moderate, not even his own report; another citizen does not see an unmoderated one', async () => {
    expect((await act(citizen, id, 'moderate', { publicDescription: 'x' })).statusCode).toBe(403);
    expect((await act(citizen2, id, 'moderate', { publicDescription: 'x' })).statusCode).toBe(404);
    expect((await act(anon, id, 'moderate', { publicDescription: 'x' })).statusCode).toBe(401);
    expect((await citizen2.request('GET', `/api/v1/field-reports/${id}`)).statusCode).toBe(404);
    expect((await citizen.request('GET', `/api/v1/field-reports/${id}`)).statusCode).toBe(200);
  });

  it('a department officer acts only once the report is assigned to his department', async () => {
    await act(deskBmt, id, 'moderate');
    await act(deskBmt, id, 'accept');
    // The report is public once moderated, so refusals are 403 (not 404) from here on.
    expect((await act(officerBmt, id, 'start')).statusCode).toBe(403);
    expect((await act(deskBmt, id, 'assign', { departmentCode: 'VHXH' })).statusCode).toBe(200);
    expect((await act(officerBmt, id, 'start')).statusCode).toBe(200);
    expect((await act(officerEaKar, id, 'resolve', { resultText: 'x' })).statusCode).toBe(403);
  });

  it('only the reporter rates; staff of the unit cannot rate for him', async () => {
    await act(officerBmt, id, 'resolve', { resultText: 'Đã thu gom' });
    expect((await act(deskBmt, id, 'rate', { satisfied: true })).statusCode).toBe(403);
    expect((await act(citizen2, id, 'rate', { satisfied: true })).statusCode).toBe(403);
    expect((await act(citizen, id, 'rate', { satisfied: true })).statusCode).toBe(200);
  });

  it('only the provincial triage desk reassigns; the ward desk cannot', async () => {
    const r = (await submit(citizen, { categoryCode: 'khac', description: 'Khác', location: BMT })).json();
    expect((await act(deskBmt, r.id, 'reassign', { agencyId: demoAgencyId('H66.204') })).statusCode).toBe(403);
    expect((await act(officerEaKar, r.id, 'reassign', { agencyId: demoAgencyId('H66.204') })).statusCode).toBe(404);
    const ok = await act(triage, r.id, 'reassign', { agencyId: demoAgencyId('H66.204') });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('private reports never reach the board, the public detail, nearby suggestions or the feed', async () => {
    const p = (
      await submit(citizen, { categoryCode: 'an_ninh', description: 'Tụ tập gây mất trật tự ban đêm', location: BMT, isPublic: false })
    ).json();
    expect((await act(deskBmt, p.id, 'moderate')).statusCode).toBe(200);
    const board = await anon.request('GET', '/api/v1/public/field-reports?commune=24133');
    expect(board.json().items.some((r: { id: string }) => r.id === p.id)).toBe(false);
    expect((await anon.request('GET', `/api/v1/public/field-reports/${p.id}`)).statusCode).toBe(404);
    const near = await citizen2.request('GET', `/api/v1/field-reports/nearby?lon=${BMT.lon}&lat=${BMT.lat}&category=an_ninh`);
    expect(near.json().items).toEqual([]);
    expect((await anon.request('GET', '/api/v1/public/field-reports/feed/24133.atom')).body).not.toContain(p.id);
    expect((await citizen2.request('POST', `/api/v1/field-reports/${p.id}/follow`)).statusCode).toBe(404);
    // The reporter and the unit still see it.
    expect((await citizen.request('GET', `/api/v1/field-reports/${p.id}`)).statusCode).toBe(200);
  });

  it('anonymous-to-public reports show no name on the board; the unit still sees the reporter', async () => {
    const a = (
      await submit(citizen, { categoryCode: 'y_te', description: 'Phòng khám không phép', location: BMT, anonymous: true })
    ).json();
    await act(deskBmt, a.id, 'moderate');
    const d = await anon.request('GET', `/api/v1/public/field-reports/${a.id}`);
    expect(d.statusCode).toBe(200);
    expect(d.json().reporterName).toBeNull();
    expect(d.body).not.toContain('Nguyễn Thị Hồng');
    const staff = await deskBmt.request('GET', `/api/v1/field-reports/${a.id}`);
    expect(staff.json().reporterName).toBe('Nguyễn Thị Hồng');
  });
});
