/**
 * Satisfaction ratings end to end: the invitation with the signed link when the result is returned; rating
 * online, by the link (once) and at the kiosk (code + last 4 digits); TT 01/2018 scoring and bands (spec
 * §2.6); quarterly aggregates per agency and per officer; the public ranking.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { ensureConfiguredDemoCa } from '../../platform/signing';
import { agencyGrade, indicator2, quarterOf, round1, staffGrade, totalOf } from './ratings.forms';
import { type Cast, cast, receivedDossier, returnedDossier } from './testing';

let t: TestApp;
let c: Cast;
let anon: Session;
let admin: Session;
let lanhdaoSnv: Session;
const q = quarterOf(new Date());
const period = `${q.year}-Q${q.quarter}`;

beforeAll(async () => {
  t = await createTestApp();
  await ensureConfiguredDemoCa(t.platform.config, [{ code: 'H66.002', name: 'Sở Nội vụ tỉnh Đắk Lắk' }]);
  c = await cast(t.app);
  [anon, admin] = await Promise.all([anonymousSession(t.app), login(t.app, 'admin')]);
  lanhdaoSnv = c.lanhdaoSnv;
}, 120_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(path.join(os.tmpdir(), `tinhso-test-${process.pid}`), { recursive: true, force: true });
});

describe('scoring per TT 01/2018 (spec §2.6)', () => {
  it('agency bands on the 18-point scale: ≥15 xuất sắc, 12–<15 tốt, 9–<12 khá, 6–<9 trung bình, <6 yếu', () => {
    expect([18, 15, 14.9, 12, 11.9, 9, 8.9, 6, 5.9, 0].map(agencyGrade)).toEqual([
      'xuat_sac',
      'xuat_sac',
      'tot',
      'tot',
      'kha',
      'kha',
      'trung_binh',
      'trung_binh',
      'yeu',
      'yeu',
    ]);
  });

  it('staff bands on indicators 1, 2, 3, 4, 7 (max 10): ≥5 → 100%, 3.5–<5 → 70–<100%, <3.5 → <70%', () => {
    expect([10, 5, 4.9, 3.5, 3.4, 0].map(staffGrade)).toEqual(['full', 'full', 'from70', 'from70', 'below70', 'below70']);
  });

  it('per-indicator averages round to 1 decimal; indicators without data are left out of the total', () => {
    expect(round1((2 + 1 + 1) / 3)).toBe(1.3);
    expect(round1((1 + 2 + 2) / 3)).toBe(1.7);
    expect(round1(1.25)).toBe(1.3);
    const t9 = totalOf([5 / 3, null, 2, 1.5, null, null, 4 / 3, null, null]);
    expect(t9).toEqual({ indicators: [1.7, null, 2, 1.5, null, null, 1.3, null, null], total: 6.5, maxTotal: 8 });
    // Staff: only indicators 1, 2, 3, 4 and 7 count.
    expect(totalOf([2, 2, 2, 2, 2, 2, 2, 2, 2], [1, 2, 3, 4, 7])).toMatchObject({ total: 10, maxTotal: 10 });
  });

  it('indicator 2 from the hand-overs: all early 2, any late 0, otherwise 1, none = no data', () => {
    expect(indicator2(['early', 'early'])).toBe(2);
    expect(indicator2(['early', 'on_time'])).toBe(1);
    expect(indicator2(['early', 'late'])).toBe(0);
    expect(indicator2([])).toBeNull();
  });
});

describe('rating returned dossiers', () => {
  let d1: { id: string; code: string };
  let d2: { id: string; code: string };
  let d3: { id: string; code: string };
  let system2: number | null;

  beforeAll(async () => {
    d1 = await returnedDossier(c);
    d2 = await returnedDossier(c);
    d3 = await returnedDossier(c);
  }, 180_000);

  it('the forms: TT 01 by default (4 questions to the applicant), the 12-criteria form available', async () => {
    const r = (await anon.request('GET', '/api/v1/ratings/forms')).json();
    expect(r.active).toBe('tt01');
    const byCode = Object.fromEntries(r.forms.map((f: { code: string; criteria: unknown[] }) => [f.code, f.criteria.length]));
    expect(byCode).toEqual({ tt01: 4, c12: 12 });
  });

  it('returning the result sends the invitation with a signed link', async () => {
    const rows = await t.db.rows<{ body: string }>(
      sql`select body from notifications where target_id = ${d2.id} and template_code = 'dossier.rating_invite'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.body).toMatch(/\/danh-gia\/l\.[0-9a-f-]{36}\.[\w-]+/);
  });

  it('the owner rates online in "my dossiers"; the total and band follow the answers', async () => {
    const before = (await c.congdan.request('GET', `/api/v1/ratings/dossiers/${d1.id}`)).json();
    expect(before).toMatchObject({ dossierCode: d1.code, returned: true, rated: false, rating: null });
    expect(before.ratingUrl).toMatch(/\/danh-gia\/l\./);
    const bad = await c.congdan.request('POST', `/api/v1/ratings/dossiers/${d1.id}`, { answers: { i1: 2, i3: 2 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['answers.i4', 'answers.i7']);
    const r = await c.congdan.request('POST', `/api/v1/ratings/dossiers/${d1.id}`, {
      answers: { i1: 2, i3: 2, i4: 2, i7: 2 },
      comment: 'Cán bộ hướng dẫn tận tình.',
    });
    expect(r.statusCode).toBe(201);
    const got = r.json();
    system2 = got.indicators[1];
    // Indicator 2 comes from the hand-overs, all made at once: early or on time, never late.
    expect([1, 2]).toContain(system2);
    expect(got).toMatchObject({ channel: 'online', formCode: 'tt01', indicators: [2, system2, 2, 2, null, null, 2, null, null] });
    expect(got.total).toBe(8 + (system2 as number));
    expect(got.maxTotal).toBe(10);
    expect(got.grade).toBe(agencyGrade(got.total));
    // The receiving officer at the desk and those who processed it, by their staff names (not usernames).
    const officers = got.officers as { accountId: string; name: string; role: string }[];
    expect(officers.filter((o) => o.role === 'receiving').map((o) => o.name)).toEqual(['Nguyễn Thị Lan']);
    const processing = officers.filter((o) => o.role === 'processing');
    expect(processing).toHaveLength(2);
    expect(processing.map((o) => o.accountId)).toContain(c.specialistId);
    expect(officers.some((o) => /^[a-z.]+$/.test(o.name))).toBe(false);
    const after = (await c.congdan.request('GET', `/api/v1/ratings/dossiers/${d1.id}`)).json();
    expect(after).toMatchObject({ rated: true, rating: { comment: 'Cán bộ hướng dẫn tận tình.' } });
  });

  it('the signed link works without login, once', async () => {
    const [row] = await t.db.rows<{ body: string }>(
      sql`select body from notifications where target_id = ${d2.id} and template_code = 'dossier.rating_invite'`,
    );
    const token = /\/danh-gia\/(\S+?)\.?$/m.exec(row?.body ?? '')?.[1] as string;
    const info = await anon.request('GET', `/api/v1/public/ratings/links/${token}`);
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({ dossierCode: d2.code, returned: true, rated: false, channel: 'link' });
    const r = await anon.request('POST', `/api/v1/public/ratings/links/${token}`, { answers: { i1: 1, i3: 2, i4: 1, i7: 1 } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ channel: 'link', officers: [] });
    const again = await anon.request('POST', `/api/v1/public/ratings/links/${token}`, { answers: { i1: 2, i3: 2, i4: 2, i7: 2 } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_rated');
    // A forged token (another dossier id, same MAC) is not accepted.
    const forged = token.replace(d2.id, d3.id);
    expect((await anon.request('GET', `/api/v1/public/ratings/links/${forged}`)).statusCode).toBe(404);
  });

  it('the administrator switches the province to the 12-criteria form', async () => {
    expect((await lanhdaoSnv.request('PUT', '/api/v1/ratings/settings', { formCode: 'c12' })).statusCode).toBe(403);
    const r = await admin.request('PUT', '/api/v1/ratings/settings', { formCode: 'c12' });
    expect(r.statusCode).toBe(200);
    expect(r.json().active).toBe('c12');
  });

  it('the kiosk needs the code and the right last 4 digits of the ID number or phone', async () => {
    const lookup = (last4: string) => anon.request('POST', '/api/v1/public/ratings/kiosk/lookup', { code: d3.code, last4 });
    expect((await lookup('9999')).statusCode).toBe(404);
    // thoCungForm: ID number 066090001234, phone 0912345678.
    const byPhone = await lookup('5678');
    expect(byPhone.statusCode).toBe(200);
    const found = await lookup('1234');
    expect(found.statusCode).toBe(200);
    const { token, form } = found.json();
    expect(token).toMatch(/^k\./);
    expect(form.code).toBe('c12');
    const answers = { c1: 2, c2: 1, c3: 2, c4: 1, c5: 2, c6: 2, c7: 2, c8: 2, c9: 2, c10: 2, c11: 2, c12: 2 };
    const r = await anon.request('POST', `/api/v1/public/ratings/links/${token}`, { answers });
    expect(r.statusCode).toBe(201);
    // 12-criteria form: criteria 4–12 feed indicators 7, 1, 2, 3, 4, 5, 6, 8, 9.
    expect(r.json()).toMatchObject({
      channel: 'kiosk',
      formCode: 'c12',
      indicators: [2, 2, 2, 2, 2, 2, 1, 2, 2],
      total: 17,
      maxTotal: 18,
      grade: 'xuat_sac',
    });
  });

  it('aggregates per agency for the quarter, with the band (spec rounding)', async () => {
    const r = await lanhdaoSnv.request('GET', `/api/v1/ratings/summary?period=${period}&by=agency`);
    expect(r.statusCode).toBe(200);
    const [snv, ...others] = r.json().items;
    expect(others).toEqual([]);
    const s2 = system2 as number;
    const i2 = round1((s2 + s2 + 2) / 3);
    // i1 (2,1,2) 1.7; i3 (2,2,2) 2; i4 (2,1,2) 1.7; i5 2; i6 2; i7 (2,1,1) 1.3; i8 2; i9 2 — from the three ratings.
    expect(snv).toMatchObject({ name: 'Sở Nội vụ', ratings: 3, indicators: [1.7, i2, 2, 1.7, 2, 2, 1.3, 2, 2], maxTotal: 18 });
    expect(snv.total).toBe(round1(14.7 + i2));
    expect(snv.grade).toBe('xuat_sac');
    // General satisfaction (criteria 1–3 of the 12-criteria form) is reported apart.
    expect(snv.general).toEqual([2, 1, 2]);
  });

  it('aggregates per officer on the staff indicators, with the staff band', async () => {
    const r = (await lanhdaoSnv.request('GET', `/api/v1/ratings/summary?period=${period}&by=officer`)).json();
    const specialist = r.items.find((i: { id: string }) => i.id === c.specialistId);
    const s2 = system2 as number;
    const i2 = round1((s2 + s2 + 2) / 3);
    expect(specialist).toMatchObject({ ratings: 3, indicators: [1.7, i2, 2, 1.7, null, null, 1.3, null, null], maxTotal: 10 });
    expect(specialist.total).toBe(round1(6.7 + i2));
    expect(specialist.grade).toBe('full');
    // The drill-down: the three ratings of that officer, with the comment.
    const list = (await lanhdaoSnv.request('GET', `/api/v1/ratings?period=${period}&officerId=${c.specialistId}`)).json();
    expect(list.items.map((i: { dossierCode: string }) => i.dossierCode).sort()).toEqual([d1.code, d2.code, d3.code].sort());
    expect(list.items.find((i: { dossierCode: string }) => i.dossierCode === d1.code).comment).toBe('Cán bộ hướng dẫn tận tình.');
  });

  it('another quarter has no figures', async () => {
    const r = (await lanhdaoSnv.request('GET', `/api/v1/ratings/summary?period=${q.year - 1}-Q${q.quarter}&by=agency`)).json();
    expect(r.items).toEqual([]);
    expect((await lanhdaoSnv.request('GET', '/api/v1/ratings/summary?period=2026-Q5')).statusCode).toBe(400);
  });

  it('the public ranking lists agencies with their total and band', async () => {
    const r = await anon.request('GET', `/api/v1/public/ratings/ranking?period=${period}`);
    expect(r.statusCode).toBe(200);
    expect(r.json().items).toMatchObject([{ rank: 1, agencyName: 'Sở Nội vụ', ratings: 3, grade: 'xuat_sac', gradeName: 'Xuất sắc' }]);
  });

  it('the desk shows the QR of the link at the counter', async () => {
    const r = await c.motcua.request('GET', `/api/v1/ratings/dossiers/${d3.id}/qr.svg`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('image/svg+xml');
    expect(r.body).toContain('<svg');
  });

  it('every rating is in the audit log', async () => {
    const rows = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'rating.created'`);
    expect(rows[0]?.n).toBe(3);
  });
});

describe('before the result is returned', () => {
  it('no rating, no link in the owner view', async () => {
    const d = await receivedDossier(c);
    const view = (await c.congdan.request('GET', `/api/v1/ratings/dossiers/${d.id}`)).json();
    expect(view).toMatchObject({ returned: false, ratingUrl: null });
  }, 60_000);
});
