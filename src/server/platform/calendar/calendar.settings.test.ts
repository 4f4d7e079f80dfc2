/**
 * Office-hours settings and editing a decision day through the API: who may read and change them,
 * the validation rules (with nothing written on refusal), the audit entry, and due dates following the
 * new hours at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSession, createTestApp, login, type Session, type TestApp } from '../../../../test/app';
import { sql } from '../db/database';
import { forwardingDeadline, isWorkingDay } from '.';

let t: TestApp;
let admin: Session;
let motcua: Session;
let congdan: Session;
let anon: Session;

const URL = '/api/v1/calendar/settings';
const defaults = {
  officeHours: [
    { start: '07:00', end: '11:30' },
    { start: '13:30', end: '17:00' },
  ],
  hoursPerDay: 8,
  forwardingCutoff: '15:00',
  forwardingNextDayHours: 8,
};
const newHours = {
  officeHours: [
    { start: '07:30', end: '11:30' },
    { start: '13:00', end: '17:00' },
  ],
  hoursPerDay: 8,
  forwardingCutoff: '16:00',
  forwardingNextDayHours: 1,
};

type Row = { office_hours: unknown; hours_per_day: string; forwarding_cutoff: string; forwarding_next_day_hours: string };
const storedRow = async () =>
  (
    await t.db.rows<Row>(
      sql`select office_hours, hours_per_day::text as hours_per_day, forwarding_cutoff,
                 forwarding_next_day_hours::text as forwarding_next_day_hours from calendar_settings`,
    )
  )[0];
const dueDate = async (start: string, hours: number) =>
  (await anon.request('POST', '/api/v1/calendar/due-date', { start, hours })).json().dueDate as string;
const auditCount = async (action: string) =>
  (await t.db.rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = ${action}`))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  [admin, motcua, congdan, anon] = await Promise.all([
    login(t.app, 'admin'),
    login(t.app, 'motcua'),
    login(t.app, 'congdan'),
    anonymousSession(t.app),
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('reading the office hours', () => {
  it('shows the seeded defaults to any signed-in staff member', async () => {
    for (const who of [admin, motcua]) {
      const res = await who.request('GET', URL);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ...defaults, officeHoursTotal: 8 });
      expect(Date.parse(res.json().updatedAt)).not.toBeNaN();
    }
  });

  it('refuses anonymous callers (401) and citizens (403)', async () => {
    expect((await anon.request('GET', URL)).statusCode).toBe(401);
    expect((await congdan.request('GET', URL)).statusCode).toBe(403);
  });
});

describe('changing the office hours (scopes)', () => {
  it('refuses anonymous callers (401), staff without calendar.manage (403) and citizens (403); nothing changes', async () => {
    expect((await anon.request('PUT', URL, newHours)).statusCode).toBe(401);
    const res = await motcua.request('PUT', URL, newHours);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await congdan.request('PUT', URL, newHours)).statusCode).toBe(403);
    const quantri = await login(t.app, 'quantri.stp');
    expect((await quantri.request('PUT', URL, newHours)).statusCode).toBe(403);
    expect(await storedRow()).toMatchObject({ forwarding_cutoff: '15:00', hours_per_day: '8.00' });
    expect(await auditCount('calendar.settings.update')).toBe(0);
  });

  it('refuses rule violations with 422 and a Vietnamese message per field, writing nothing', async () => {
    const before = await storedRow();
    const cases: [unknown, { field: string; message: string }[]][] = [
      [
        { ...defaults, officeHours: [{ start: '11:30', end: '07:00' }] },
        [{ field: 'body/officeHours/0/end', message: 'Giờ kết thúc phải sau giờ bắt đầu (11:30)' }],
      ],
      [
        {
          ...defaults,
          officeHours: [
            { start: '07:00', end: '12:00' },
            { start: '11:00', end: '17:00' },
          ],
        },
        [
          {
            field: 'body/officeHours/1/start',
            message: 'Phải từ 12:00 trở đi: các khung giờ theo thứ tự trong ngày và không chồng lên nhau',
          },
        ],
      ],
      [
        // Afternoon first: out of the order of the day.
        { ...defaults, officeHours: [defaults.officeHours[1], defaults.officeHours[0]] },
        [
          {
            field: 'body/officeHours/1/start',
            message: 'Phải từ 17:00 trở đi: các khung giờ theo thứ tự trong ngày và không chồng lên nhau',
          },
        ],
      ],
      [
        { ...defaults, forwardingCutoff: '12:30' },
        [{ field: 'body/forwardingCutoff', message: 'Giờ chốt phải nằm trong giờ làm việc (07:00–11:30, 13:30–17:00)' }],
      ],
      [{ ...defaults, forwardingCutoff: '07:00' }, [{ field: 'body/forwardingCutoff', message: expect.stringContaining('Giờ chốt') }]],
      [
        { ...defaults, officeHours: [{ start: '07:30', end: '11:30' }, defaults.officeHours[1]], forwardingNextDayHours: 7.5 },
        [{ field: 'body/hoursPerDay', message: 'Không được lớn hơn tổng thời gian của các khung giờ làm việc (7,5 giờ)' }],
      ],
      [{ ...defaults, hoursPerDay: 7.555 }, [{ field: 'body/hoursPerDay', message: 'Tối đa 2 chữ số thập phân' }]],
    ];
    for (const [body, errors] of cases) {
      const res = await admin.request('PUT', URL, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'calendar_settings_invalid', title: 'Giờ làm việc không hợp lệ', errors });
    }
    expect(await storedRow()).toEqual(before);
    expect(await auditCount('calendar.settings.update')).toBe(0);
  });

  it('refuses malformed input with 400 field errors (schema), writing nothing', async () => {
    const before = await storedRow();
    const badTime = await admin.request('PUT', URL, { ...defaults, forwardingCutoff: '25:00' });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().errors).toEqual([{ field: 'body/forwardingCutoff', message: 'Không đúng định dạng' }]);
    const noWindow = await admin.request('PUT', URL, { ...defaults, officeHours: [] });
    expect(noWindow.statusCode).toBe(400);
    expect(noWindow.json().errors[0]).toEqual({ field: 'body/officeHours', message: 'Cần ít nhất 1 phần tử' });
    const missing = await admin.request('PUT', URL, { officeHours: defaults.officeHours });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toContain('body/hoursPerDay');
    const extra = await admin.request('PUT', URL, { ...defaults, lunch: '11:30' });
    expect(extra.statusCode).toBe(400);
    expect(await storedRow()).toEqual(before);
  });

  it('lets the admin change the hours: saved, audited, and used by the next due-date computation', async () => {
    // Before: Tuesday 10/03/2026 07:00 + 1 h = 08:00; 11:00 + 1 h = 14:00 (lunch 11:30–13:30).
    expect(await dueDate('2026-03-10T07:00:00+07:00', 1)).toBe('2026-03-10T08:00:00+07:00');
    expect(await dueDate('2026-03-10T11:00:00+07:00', 1)).toBe('2026-03-10T14:00:00+07:00');

    const res = await admin.request('PUT', URL, newHours);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ...newHours, officeHoursTotal: 8 });
    expect(await storedRow()).toMatchObject({
      office_hours: newHours.officeHours,
      hours_per_day: '8.00',
      forwarding_cutoff: '16:00',
      forwarding_next_day_hours: '1.00',
    });
    expect((await motcua.request('GET', URL)).json()).toMatchObject(newHours);

    const audit = await t.db.rows<{ actor_label: string; details: { before: unknown; after: unknown } }>(
      sql`select actor_label, details from audit_log where action = 'calendar.settings.update' order by seq desc limit 1`,
    );
    expect(audit[0]).toMatchObject({
      actor_label: 'admin',
      details: {
        before: { officeHours: ['07:00–11:30', '13:30–17:00'], forwardingCutoff: '15:00' },
        after: { officeHours: ['07:30–11:30', '13:00–17:00'], forwardingCutoff: '16:00', forwardingNextDayHours: 1 },
      },
    });

    // After, with no wait for the cache: 07:00 counts from 07:30; the lunch break is now 11:30–13:00.
    expect(await dueDate('2026-03-10T07:00:00+07:00', 1)).toBe('2026-03-10T08:30:00+07:00');
    expect(await dueDate('2026-03-10T11:00:00+07:00', 1)).toBe('2026-03-10T13:30:00+07:00');
    const cal = await t.platform.calendar.data();
    // 15:30 is now before the 16:00 cut-off: forwarded the same day; 16:00 → 1 working hour into the next day.
    expect(forwardingDeadline(cal, new Date('2026-03-10T15:30:00+07:00')).toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(forwardingDeadline(cal, new Date('2026-03-10T16:00:00+07:00')).toISOString()).toBe('2026-03-11T01:30:00.000Z');
  });

  it('accepts a single window (no lunch break)', async () => {
    const res = await admin.request('PUT', URL, {
      officeHours: [{ start: '08:00', end: '16:00' }],
      hoursPerDay: 8,
      forwardingCutoff: '15:00',
      forwardingNextDayHours: 8,
    });
    expect(res.statusCode).toBe(200);
    expect(await dueDate('2026-03-10T11:00:00+07:00', 1)).toBe('2026-03-10T12:00:00+07:00');
    await admin.request('PUT', URL, defaults);
    expect(await dueDate('2026-03-10T11:00:00+07:00', 1)).toBe('2026-03-10T14:00:00+07:00');
  });
});

describe('editing an entered decision day', () => {
  it('refuses anonymous callers (401) and staff without calendar.manage (403)', async () => {
    const body = { kind: 'nghi', name: 'Sửa thử' };
    expect((await anon.request('PUT', '/api/v1/calendar/days/2026-08-31', body)).statusCode).toBe(401);
    expect((await motcua.request('PUT', '/api/v1/calendar/days/2026-08-31', body)).statusCode).toBe(403);
    const rows = await t.db.rows<{ name: string }>(sql`select name from calendar_days where date = '2026-08-31'`);
    expect(rows[0]!.name).toBe('Nghỉ Quốc khánh (hoán đổi, làm bù thứ Bảy 22/8/2026)');
  });

  it('lets the admin change the name and legal basis (audited)', async () => {
    const res = await admin.request('PUT', '/api/v1/calendar/days/2026-08-31', {
      kind: 'nghi',
      name: '  Nghỉ hoán đổi Quốc khánh  ',
      legalBasis: null,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ date: '2026-08-31', kind: 'nghi', name: 'Nghỉ hoán đổi Quốc khánh', legalBasis: null });
    const audit = await t.db.rows<{ target_id: string; details: Record<string, unknown> }>(
      sql`select target_id, details from audit_log where action = 'calendar.day.update' order by seq desc limit 1`,
    );
    expect(audit[0]).toMatchObject({
      target_id: '2026-08-31',
      details: { name: 'Nghỉ hoán đổi Quốc khánh', before: { legalBasis: 'Thông báo 9441/TB-BNV ngày 16/10/2025' } },
    });
  });

  it('changes the kind and the calendar follows at once', async () => {
    // 22/8/2026 is the make-up Saturday; turning it into a day off is refused (Saturday is already off).
    const sat = await admin.request('PUT', '/api/v1/calendar/days/2026-08-22', { kind: 'nghi', name: 'Nghỉ' });
    expect(sat.statusCode).toBe(400);
    expect(sat.json().errors[0].field).toBe('body/date');
    // 31/8/2026 (Monday, entered as a day off) made a working day is refused: without the entry it already is one.
    const mon = await admin.request('PUT', '/api/v1/calendar/days/2026-08-31', { kind: 'lam_bu', name: 'Làm' });
    expect(mon.statusCode).toBe(400);
    expect(isWorkingDay(await t.platform.calendar.data(), '2026-08-31')).toBe(false);

    const renamed = await admin.request('PUT', '/api/v1/calendar/days/2026-08-22', { kind: 'lam_bu', name: 'Làm bù (sửa)' });
    expect(renamed.statusCode).toBe(200);
    const day = await anon.request('GET', '/api/v1/calendar/working-days?from=2026-08-22&to=2026-08-22');
    expect(day.json().items[0]).toMatchObject({ working: true, kind: 'make_up', reason: 'Làm bù (sửa)' });
  });

  it('answers 404 for a date not entered and 400 for a blank name', async () => {
    expect((await admin.request('PUT', '/api/v1/calendar/days/2027-03-05', { kind: 'nghi', name: 'X' })).statusCode).toBe(404);
    const blank = await admin.request('PUT', '/api/v1/calendar/days/2026-09-01', { kind: 'nghi', name: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0]).toEqual({ field: 'body/name', message: 'Trường này là bắt buộc' });
  });
});

it('documents the new routes in the OpenAPI document', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  expect(Object.keys(doc.paths['/api/v1/calendar/settings'])).toEqual(expect.arrayContaining(['get', 'put']));
  expect(Object.keys(doc.paths['/api/v1/calendar/days/{date}'])).toEqual(expect.arrayContaining(['put', 'delete']));
});
