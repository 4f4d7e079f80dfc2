/**
 * Who may rate and who may read ratings: only the applicant, only after the result is returned, only once;
 * the summary needs ratings.read and stays within the caller's agencies; the public ranking carries no
 * personal data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { ensureConfiguredDemoCa } from '../../platform/signing';
import { quarterOf } from './ratings.forms';
import { type Cast, cast, receivedDossier, returnedDossier } from './testing';

let t: TestApp;
let c: Cast;
let anon: Session;
let stranger: Session;
let admin: Session;
let lanhdaoStp: Session;
let chuyenvienSnv: Session;
let returned: { id: string; code: string };
let notYet: { id: string; code: string };
const q = quarterOf(new Date());
const period = `${q.year}-Q${q.quarter}`;
const answers = { i1: 2, i3: 1, i4: 2, i7: 0 };
const COMMENT = 'Phải chờ lâu ở quầy, cán bộ Nguyễn Thị Lan thiếu nhiệt tình.';

beforeAll(async () => {
  t = await createTestApp();
  await ensureConfiguredDemoCa(t.platform.config, [{ code: 'H66.002', name: 'Sở Nội vụ tỉnh Đắk Lắk' }]);
  c = await cast(t.app);
  chuyenvienSnv = c.chuyenvienSnv;
  [anon, stranger, admin, lanhdaoStp] = await Promise.all([
    anonymousSession(t.app),
    login(t.app, 'congdan2'),
    login(t.app, 'admin'),
    login(t.app, 'lanhdao'),
  ]);
  returned = await returnedDossier(c);
  notYet = await receivedDossier(c);
}, 180_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(path.join(os.tmpdir(), `tinhso-test-${process.pid}`), { recursive: true, force: true });
});

describe('who may rate', () => {
  it('a stranger can neither see nor rate someone else’s dossier (404, nothing revealed)', async () => {
    expect((await stranger.request('GET', `/api/v1/ratings/dossiers/${returned.id}`)).statusCode).toBe(404);
    expect((await stranger.request('POST', `/api/v1/ratings/dossiers/${returned.id}`, { answers })).statusCode).toBe(404);
    // Nor can staff rate in the applicant's name, nor an anonymous visitor.
    expect((await c.motcua.request('POST', `/api/v1/ratings/dossiers/${returned.id}`, { answers })).statusCode).toBe(404);
    expect((await anon.request('POST', `/api/v1/ratings/dossiers/${returned.id}`, { answers })).statusCode).toBe(401);
    // A stranger does not get the QR of the link either.
    expect((await stranger.request('GET', `/api/v1/ratings/dossiers/${returned.id}/qr.svg`)).statusCode).toBe(404);
  });

  it('no rating before the result is returned — online, by a link or at the kiosk', async () => {
    const r = await c.congdan.request('POST', `/api/v1/ratings/dossiers/${notYet.id}`, { answers });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('not_returned');
    const kiosk = (await anon.request('POST', '/api/v1/public/ratings/kiosk/lookup', { code: notYet.code, last4: '1234' })).json();
    expect(kiosk.returned).toBe(false);
    const byKiosk = await anon.request('POST', `/api/v1/public/ratings/links/${kiosk.token}`, { answers });
    expect(byKiosk.statusCode).toBe(409);
  });

  it('a made-up or tampered token is refused', async () => {
    expect((await anon.request('GET', `/api/v1/public/ratings/links/l.${returned.id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)).statusCode).toBe(
      404,
    );
    expect((await anon.request('POST', `/api/v1/public/ratings/links/k.${returned.id}.99999999.xx`, { answers })).statusCode).toBe(404);
  });

  it('the owner rates once; a second rating is refused whatever the channel', async () => {
    const r = await c.congdan.request('POST', `/api/v1/ratings/dossiers/${returned.id}`, { answers, comment: COMMENT });
    expect(r.statusCode).toBe(201);
    const again = await c.congdan.request('POST', `/api/v1/ratings/dossiers/${returned.id}`, { answers });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_rated');
    const kiosk = (await anon.request('POST', '/api/v1/public/ratings/kiosk/lookup', { code: returned.code, last4: '1234' })).json();
    expect(kiosk.rated).toBe(true);
    expect((await anon.request('POST', `/api/v1/public/ratings/links/${kiosk.token}`, { answers })).statusCode).toBe(409);
  });
});

describe('who may read ratings', () => {
  it('the summary needs ratings.read: citizens, specialists and anonymous visitors are refused', async () => {
    const url = `/api/v1/ratings/summary?period=${period}&by=agency`;
    expect((await anon.request('GET', url)).statusCode).toBe(401);
    expect((await c.congdan.request('GET', url)).statusCode).toBe(403);
    expect((await chuyenvienSnv.request('GET', url)).statusCode).toBe(403);
    expect((await chuyenvienSnv.request('GET', `/api/v1/ratings?period=${period}`)).statusCode).toBe(403);
  });

  it('the leader of the resolving agency sees it; a leader of another agency sees nothing of it', async () => {
    const own = (await c.lanhdaoSnv.request('GET', `/api/v1/ratings/summary?period=${period}&by=agency`)).json();
    expect(own.items.map((i: { name: string }) => i.name)).toEqual(['Sở Nội vụ']);
    const officers = (await c.lanhdaoSnv.request('GET', `/api/v1/ratings/summary?period=${period}&by=officer`)).json();
    expect(officers.items.map((i: { id: string }) => i.id)).toContain(c.specialistId);
    const other = (await lanhdaoStp.request('GET', `/api/v1/ratings/summary?period=${period}&by=agency`)).json();
    expect(other.items).toEqual([]);
    const otherList = (await lanhdaoStp.request('GET', `/api/v1/ratings?period=${period}`)).json();
    expect(otherList.items).toEqual([]);
    const otherOfficer = (await lanhdaoStp.request('GET', `/api/v1/ratings?period=${period}&officerId=${c.specialistId}`)).json();
    expect(otherOfficer.items).toEqual([]);
  });

  it('the administrator (every permission, whole province) sees every agency', async () => {
    const all = (await admin.request('GET', `/api/v1/ratings/summary?period=${period}&by=agency`)).json();
    expect(all.items).toHaveLength(1);
  });

  it('the public ranking shows agencies only: no officer, no comment, no dossier, no applicant', async () => {
    const r = await anon.request('GET', `/api/v1/public/ratings/ranking?period=${period}`);
    expect(r.statusCode).toBe(200);
    const text = r.body;
    expect(r.json().items).toMatchObject([{ rank: 1, agencyName: 'Sở Nội vụ', ratings: 1 }]);
    for (const secret of [COMMENT, 'Nguyễn Thị Lan', returned.code, returned.id, c.specialistId, 'Nguyễn Văn An', 'comment', 'officer']) {
      expect(text).not.toContain(secret);
    }
  });

  it('the link page tells nothing personal about the dossier', async () => {
    const kiosk = (await anon.request('POST', '/api/v1/public/ratings/kiosk/lookup', { code: returned.code, last4: '5678' })).json();
    const info = await anon.request('GET', `/api/v1/public/ratings/links/${kiosk.token}`);
    expect(info.statusCode).toBe(200);
    for (const secret of ['Nguyễn Văn An', '066090001234', '0912345678', COMMENT]) expect(info.body).not.toContain(secret);
  });
});

describe('who may choose the rating form', () => {
  it('nobody without ratings.manage: anonymous 401, a citizen and a leader with ratings.read 403', async () => {
    expect((await anon.request('PUT', '/api/v1/ratings/settings', { formCode: 'c12' })).statusCode).toBe(401);
    expect((await stranger.request('PUT', '/api/v1/ratings/settings', { formCode: 'c12' })).statusCode).toBe(403);
    expect((await lanhdaoStp.request('PUT', '/api/v1/ratings/settings', { formCode: 'c12' })).statusCode).toBe(403);
  });
});
