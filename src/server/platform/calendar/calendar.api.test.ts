/**
 * The calendar routes on the real app: public reading and due-date computing, admin-only changes
 * (scopes), validation, duplicates, audit, and the cache following changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { sql } from '../db/database';
import { addWorkingHours, isWorkingDay } from '.';

let t: TestApp;
let admin: Session;
let motcua: Session;
let anon: Session;

beforeAll(async () => {
  t = await createTestApp();
  [admin, motcua, anon] = await Promise.all([login(t.app, 'admin'), login(t.app, 'motcua'), anonymousSession(t.app)]);
});
afterAll(async () => {
  await t?.close();
});

describe('public reading', () => {
  it('lists the seeded 2026 decision and the special days of the year to anyone', async () => {
    const res = await anon.request('GET', '/api/v1/calendar/days?year=2026');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.year).toBe(2026);
    expect(body.items.map((d: { date: string; kind: string }) => `${d.date}:${d.kind}`)).toEqual([
      '2026-02-16:nghi',
      '2026-02-17:nghi',
      '2026-02-18:nghi',
      '2026-02-19:nghi',
      '2026-02-20:nghi',
      '2026-08-22:lam_bu',
      '2026-08-31:nghi',
      '2026-09-01:nghi',
      '2026-09-02:nghi',
    ]);
    expect(body.items[0].legalBasis).toBe('Thông báo 9441/TB-BNV ngày 16/10/2025');
    const compensatory = body.holidays.find((d: { date: string }) => d.date === '2026-04-27');
    expect(compensatory).toMatchObject({ working: false, kind: 'compensatory', reason: 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)' });
  });

  it('has no seeded 2025 entries (2025 follows the statutory default)', async () => {
    const res = await anon.request('GET', '/api/v1/calendar/days?year=2025');
    expect(res.json().items).toEqual([]);
    expect(res.json().holidays.map((d: { date: string }) => d.date)).toContain('2025-02-03');
  });

  it('answers which days are working days, with reasons', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/calendar/working-days?from=2026-08-21&to=2026-09-03' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const byDate = Object.fromEntries(body.items.map((d: { date: string }) => [d.date, d]));
    expect(byDate['2026-08-22']).toMatchObject({ working: true, kind: 'make_up', weekday: 6 });
    expect(byDate['2026-08-23']).toMatchObject({ working: false, kind: 'weekend', reason: 'Nghỉ hằng tuần (Chủ nhật)' });
    expect(byDate['2026-08-31']).toMatchObject({ working: false, kind: 'day_off' });
    expect(byDate['2026-09-03']).toMatchObject({ working: true, kind: 'working', reason: null });
    // 21, 22 (make-up), 24–28 and 3/9.
    expect(body.workingDays).toBe(8);
  });

  it('computes a due date for anonymous callers (no CSRF token needed)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calendar/due-date',
      payload: { start: '2026-02-13T16:00:00+07:00', hours: 8 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      start: '2026-02-13T16:00:00+07:00',
      countFrom: '2026-02-13T16:00:00+07:00',
      hours: 8,
      dueDate: '2026-02-23T16:00:00+07:00',
      dueDateText: '16 giờ 00 phút, ngày 23/02/2026',
    });
    const lunch = await anon.request('POST', '/api/v1/calendar/due-date', { start: '2026-03-10T05:00:00Z', days: 2 });
    // 12:00 counts from 13:30: Tuesday 3.5 h + Wednesday 8 h + Thursday morning 4.5 h.
    expect(lunch.json()).toMatchObject({ countFrom: '2026-03-10T13:30:00+07:00', hours: 16, dueDate: '2026-03-12T11:30:00+07:00' });
  });

  it('validates due-date input with Vietnamese messages', async () => {
    const both = await anon.request('POST', '/api/v1/calendar/due-date', { start: '2026-03-10T08:00:00+07:00', hours: 8, days: 1 });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0]).toMatchObject({ field: 'body/hours' });
    const neither = await anon.request('POST', '/api/v1/calendar/due-date', { start: '2026-03-10T08:00:00+07:00' });
    expect(neither.statusCode).toBe(400);
    const badStart = await anon.request('POST', '/api/v1/calendar/due-date', { start: 'hôm qua', hours: 8 });
    expect(badStart.statusCode).toBe(400);
    expect(badStart.json().errors[0].field).toBe('body/start');
    const negative = await anon.request('POST', '/api/v1/calendar/due-date', { hours: -1 });
    expect(negative.statusCode).toBe(400);
    const outOfRange = await anon.request('POST', '/api/v1/calendar/due-date', { start: '2150-01-01T08:00:00+07:00', hours: 8 });
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.json().errors[0].message).toContain('1900–2100');
  });

  it('validates working-day ranges', async () => {
    const tooLong = await anon.request('GET', '/api/v1/calendar/working-days?from=2026-01-01&to=2027-01-02');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0]).toMatchObject({ field: 'query/to' });
    const reversed = await anon.request('GET', '/api/v1/calendar/working-days?from=2026-03-10&to=2026-03-01');
    expect(reversed.statusCode).toBe(400);
    const notADate = await anon.request('GET', '/api/v1/calendar/working-days?from=2026-02-30&to=2026-03-01');
    expect(notADate.statusCode).toBe(400);
    expect(notADate.json().errors[0]).toEqual({ field: 'query/from', message: 'Ngày không tồn tại (cần dạng YYYY-MM-DD)' });
    const missing = await anon.request('GET', '/api/v1/calendar/working-days?from=2026-03-01');
    expect(missing.statusCode).toBe(400);
  });
});

describe('entering the yearly decision (scopes)', () => {
  const entry = { date: '2027-03-05', kind: 'nghi', name: 'Nghỉ hoán đổi (thử nghiệm)', legalBasis: 'Thông báo thử nghiệm' };

  it('refuses anonymous callers (401) and staff without calendar.manage (403)', async () => {
    expect((await anon.request('POST', '/api/v1/calendar/days', entry)).statusCode).toBe(401);
    expect((await motcua.request('POST', '/api/v1/calendar/days', entry)).statusCode).toBe(403);
    const quantri = await login(t.app, 'quantri.stp');
    expect((await quantri.request('POST', '/api/v1/calendar/days', entry)).statusCode).toBe(403);
    expect((await anon.request('DELETE', '/api/v1/calendar/days/2026-08-22')).statusCode).toBe(401);
    expect((await motcua.request('DELETE', '/api/v1/calendar/days/2026-08-22')).statusCode).toBe(403);
    const rows = await t.db.rows(sql`select 1 from calendar_days where date = '2027-03-05'`);
    expect(rows).toHaveLength(0);
  });

  it('lets the admin add a day, audits it, and applies it to due dates at once', async () => {
    const before = await anon.request('POST', '/api/v1/calendar/due-date', { start: '2027-03-04T16:00:00+07:00', hours: 2 });
    expect(before.json().dueDate).toBe('2027-03-05T08:00:00+07:00');

    const res = await admin.request('POST', '/api/v1/calendar/days', entry);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ date: '2027-03-05', kind: 'nghi', name: entry.name, legalBasis: entry.legalBasis });

    const audit = await t.db.rows<{ target_id: string; details: { kind: string } }>(
      sql`select target_id, details from audit_log where action = 'calendar.day.add' order by seq desc limit 1`,
    );
    expect(audit[0]).toMatchObject({ target_id: '2027-03-05', details: { kind: 'nghi' } });

    // The cached calendar was dropped: Friday 05/03 is now off.
    const after = await anon.request('POST', '/api/v1/calendar/due-date', { start: '2027-03-04T16:00:00+07:00', hours: 2 });
    expect(after.json().dueDate).toBe('2027-03-08T08:00:00+07:00');
    const cal = await t.platform.calendar.data();
    expect(isWorkingDay(cal, '2027-03-05')).toBe(false);
    expect(addWorkingHours(cal, new Date('2027-03-04T16:00:00+07:00'), 2).toISOString()).toBe('2027-03-08T01:00:00.000Z');
  });

  it('refuses a duplicate date with 409', async () => {
    const res = await admin.request('POST', '/api/v1/calendar/days', { ...entry, name: 'Lần hai' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'calendar_day_exists', title: 'Ngày đã có trong lịch' });
  });

  it('refuses invalid entries with field errors', async () => {
    const notADate = await admin.request('POST', '/api/v1/calendar/days', { ...entry, date: '2027-04-31' });
    expect(notADate.statusCode).toBe(400);
    expect(notADate.json().errors).toEqual([{ field: 'body/date', message: 'Ngày không tồn tại (cần dạng YYYY-MM-DD)' }]);

    const badFormat = await admin.request('POST', '/api/v1/calendar/days', { ...entry, date: '1/4/2027' });
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().errors[0].field).toBe('body/date');

    const badKind = await admin.request('POST', '/api/v1/calendar/days', { ...entry, date: '2027-04-01', kind: 'off' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().errors.some((e: { field: string }) => e.field === 'body/kind')).toBe(true);

    const blank = await admin.request('POST', '/api/v1/calendar/days', { ...entry, date: '2027-04-01', name: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0]).toEqual({ field: 'body/name', message: 'Trường này là bắt buộc' });

    const makeUpOnWeekday = await admin.request('POST', '/api/v1/calendar/days', { ...entry, date: '2027-04-06', kind: 'lam_bu' });
    expect(makeUpOnWeekday.statusCode).toBe(400);
    expect(makeUpOnWeekday.json().errors[0].field).toBe('body/date');

    const makeUpOnHoliday = await admin.request('POST', '/api/v1/calendar/days', { ...entry, date: '2027-05-01', kind: 'lam_bu' });
    expect(makeUpOnHoliday.statusCode).toBe(400);
    expect(makeUpOnHoliday.json().errors[0]).toEqual({
      field: 'body/kind',
      message: 'Không thể làm bù vào ngày nghỉ lễ theo Bộ luật Lao động',
    });

    const dayOffOnSunday = await admin.request('POST', '/api/v1/calendar/days', { ...entry, date: '2027-04-04' });
    expect(dayOffOnSunday.statusCode).toBe(400);

    const rows = await t.db.rows(sql`select date from calendar_days where date >= '2027-04-01'`);
    expect(rows).toHaveLength(0);
  });

  it('accepts a make-up Saturday', async () => {
    const res = await admin.request('POST', '/api/v1/calendar/days', { date: '2027-02-20', kind: 'lam_bu', name: 'Làm bù' });
    expect(res.statusCode).toBe(201);
    expect(res.json().legalBasis).toBeNull();
    const day = await anon.request('GET', '/api/v1/calendar/working-days?from=2027-02-20&to=2027-02-20');
    expect(day.json().items[0]).toMatchObject({ working: true, kind: 'make_up', reason: 'Làm bù' });
  });

  it('lets the admin delete a day (audited), then answers 404', async () => {
    const res = await admin.request('DELETE', '/api/v1/calendar/days/2026-08-22');
    expect(res.statusCode).toBe(204);
    const day = await anon.request('GET', '/api/v1/calendar/working-days?from=2026-08-22&to=2026-08-22');
    expect(day.json().items[0]).toMatchObject({ working: false, kind: 'weekend' });
    const audit = await t.db.rows(sql`select 1 from audit_log where action = 'calendar.day.delete' and target_id = '2026-08-22'`);
    expect(audit).toHaveLength(1);
    expect((await admin.request('DELETE', '/api/v1/calendar/days/2026-08-22')).statusCode).toBe(404);
    expect((await admin.request('DELETE', '/api/v1/calendar/days/2026-13-01')).statusCode).toBe(400);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/calendar/days',
        '/api/v1/calendar/days/{date}',
        '/api/v1/calendar/working-days',
        '/api/v1/calendar/due-date',
      ]),
    );
  });
});
