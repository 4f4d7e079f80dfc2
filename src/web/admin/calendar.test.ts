/**
 * The calendar admin page's pure parts: month grids (Monday first, padded, joined to the server's day
 * kinds), keyboard movement, and the form checks that mirror the server's wording.
 */
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import vi from '../i18n/vi.json';
import {
  addDays,
  countKinds,
  type DayInfo,
  decisionBody,
  dueBody,
  normaliseClock,
  parseClock,
  parseNumber,
  type SettingsValues,
  settingsBody,
  settingsValues,
  stepDate,
  validateDecision,
  validateDue,
  validateSettings,
  weekdayOf,
  windowsTotal,
  yearGrid,
} from './calendarModel';

let t: TFunction;
beforeAll(async () => {
  const i = i18next.createInstance();
  await i.init({ lng: 'vi', resources: { vi: { translation: vi } }, interpolation: { escapeValue: false }, showSupportNotice: false });
  t = i.t;
});

const day = (date: string, kind: DayInfo['kind'], reason: string | null = null): DayInfo => ({
  date,
  weekday: weekdayOf(date),
  working: kind === 'working' || kind === 'make_up',
  kind,
  reason,
  legalBasis: null,
});

describe('yearGrid', () => {
  it('lays out 2026 in Monday-first weeks with the right padding', () => {
    const months = yearGrid(2026, []);
    expect(months).toHaveLength(12);
    // 1 January 2026 is a Thursday: three empty cells (Mon, Tue, Wed) before it.
    const jan = months[0]!;
    expect(jan.month).toBe(1);
    expect(jan.weeks[0]!.map((c) => c?.day ?? null)).toEqual([null, null, null, 1, 2, 3, 4]);
    expect(jan.weeks).toHaveLength(5);
    expect(jan.weeks[4]!.map((c) => c?.day ?? null)).toEqual([26, 27, 28, 29, 30, 31, null]);
    // February 2026 starts on a Sunday (six empty cells) and has 28 days.
    const feb = months[1]!;
    expect(feb.weeks[0]!.map((c) => c?.date ?? null)).toEqual([null, null, null, null, null, null, '2026-02-01']);
    expect(feb.weeks.flat().filter(Boolean)).toHaveLength(28);
    // June 2026 starts on a Monday: no padding.
    expect(months[5]!.weeks[0]![0]?.date).toBe('2026-06-01');
    for (const m of months) for (const w of m.weeks) expect(w).toHaveLength(7);
  });

  it('has 29 days in February of a leap year, and every cell in its weekday column', () => {
    const months = yearGrid(2028, []);
    expect(months[1]!.weeks.flat().filter(Boolean)).toHaveLength(29);
    for (const m of months) {
      for (const w of m.weeks) {
        w.forEach((c, col) => {
          if (c) expect((weekdayOf(c.date) + 6) % 7).toBe(col);
        });
      }
    }
    expect(months.flatMap((m) => m.weeks.flat()).filter(Boolean)).toHaveLength(366);
  });

  it('joins each day to what the server says about it', () => {
    const tet = day('2026-02-17', 'day_off', 'Tết Nguyên đán Bính Ngọ (mùng 1 tháng Giêng)');
    const months = yearGrid(2026, [tet, day('2026-04-27', 'compensatory')]);
    const cells = months.flatMap((m) => m.weeks.flat()).filter((c) => c !== null);
    expect(cells.find((c) => c.date === '2026-02-17')?.info).toBe(tet);
    expect(cells.find((c) => c.date === '2026-04-27')?.info?.kind).toBe('compensatory');
    expect(cells.find((c) => c.date === '2026-04-28')?.info).toBeNull();
  });
});

describe('countKinds', () => {
  it('counts kinds and working days (make-up days are working days)', () => {
    const c = countKinds([
      day('2026-08-21', 'working'),
      day('2026-08-22', 'make_up'),
      day('2026-08-23', 'weekend'),
      day('2026-08-31', 'day_off'),
      day('2026-09-02', 'day_off'),
      day('2026-04-26', 'holiday'),
    ]);
    // 26/04/2026 (Giỗ Tổ) is a Sunday: a holiday, but not a weekday lost.
    expect(c).toMatchObject({
      working: 1,
      make_up: 1,
      weekend: 1,
      day_off: 2,
      holiday: 1,
      compensatory: 0,
      workingDays: 2,
      weekdaysOff: 2,
    });
  });
});

describe('stepDate (keyboard movement in the year grid)', () => {
  it('moves by day and week, across months', () => {
    expect(stepDate('2026-01-31', 'ArrowRight', 2026)).toBe('2026-02-01');
    expect(stepDate('2026-03-01', 'ArrowLeft', 2026)).toBe('2026-02-28');
    expect(stepDate('2026-02-25', 'ArrowDown', 2026)).toBe('2026-03-04');
    expect(stepDate('2026-03-04', 'ArrowUp', 2026)).toBe('2026-02-25');
  });

  it('goes to the Monday and Sunday of the week with Home and End', () => {
    // Thursday 16/04/2026.
    expect(stepDate('2026-04-16', 'Home', 2026)).toBe('2026-04-13');
    expect(stepDate('2026-04-16', 'End', 2026)).toBe('2026-04-19');
    expect(stepDate('2026-04-19', 'End', 2026)).toBe('2026-04-19');
  });

  it('moves by a month with PageUp/PageDown, keeping the day when the month has it', () => {
    expect(stepDate('2026-01-31', 'PageDown', 2026)).toBe('2026-02-28');
    expect(stepDate('2026-03-15', 'PageUp', 2026)).toBe('2026-02-15');
  });

  it('does not leave the year, and ignores other keys', () => {
    expect(stepDate('2026-12-31', 'ArrowRight', 2026)).toBeNull();
    expect(stepDate('2026-01-03', 'ArrowUp', 2026)).toBeNull();
    expect(stepDate('2026-12-10', 'PageDown', 2026)).toBeNull();
    expect(stepDate('2026-05-05', 'Enter', 2026)).toBeNull();
    expect(stepDate('2026-05-05', 'a', 2026)).toBeNull();
  });

  it('adds days over leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
  });
});

describe('clock and number input', () => {
  it('reads HH:MM and H:MM, refuses the rest', () => {
    expect(parseClock('07:30')).toBe(450);
    expect(parseClock('7:30')).toBe(450);
    expect(parseClock('23:59')).toBe(1439);
    for (const bad of ['24:00', '12:60', '0730', '7h30', '', '07:3']) expect(parseClock(bad)).toBeNull();
    expect(normaliseClock(' 7:05 ')).toBe('07:05');
    expect(normaliseClock('bảy giờ')).toBe('bảy giờ');
  });

  it('reads numbers with a decimal comma or dot', () => {
    expect(parseNumber('7,5')).toBe(7.5);
    expect(parseNumber('8')).toBe(8);
    expect(parseNumber('0.25')).toBe(0.25);
    for (const bad of ['', '-1', '1e3', '7,5,1', 'tám']) expect(parseNumber(bad)).toBeNull();
  });
});

describe('office-hours form', () => {
  const base = (): SettingsValues =>
    settingsValues(
      {
        officeHours: [
          { start: '07:00', end: '11:30' },
          { start: '13:30', end: '17:00' },
        ],
        hoursPerDay: 8,
        forwardingCutoff: '15:00',
        forwardingNextDayHours: 7.5,
      },
      'vi',
    );

  it('starts from the saved settings, numbers written the Vietnamese way', () => {
    expect(base()).toMatchObject({ hoursPerDay: '8', forwardingNextDayHours: '7,5', forwardingCutoff: '15:00' });
    expect(validateSettings(base(), t, 'vi')).toEqual({});
    expect(windowsTotal(base().windows)).toBe(8);
  });

  it('names the field of each broken rule with the server wording', () => {
    const v = base();
    v.windows = [
      { start: '07:00', end: '12:00' },
      { start: '11:00', end: '17:00' },
    ];
    expect(validateSettings(v, t, 'vi')).toEqual({
      'officeHours.1.start': 'Phải từ 12:00 trở đi: các khung giờ theo thứ tự trong ngày và không chồng lên nhau',
    });
    expect(windowsTotal(v.windows)).toBeNull();

    v.windows = [{ start: '11:30', end: '7:00' }];
    expect(validateSettings(v, t, 'vi')).toEqual({ 'officeHours.0.end': 'Giờ kết thúc phải sau giờ bắt đầu (11:30)' });

    v.windows = [{ start: '', end: '25:00' }];
    expect(validateSettings(v, t, 'vi')).toEqual({
      'officeHours.0.start': 'Trường này là bắt buộc',
      'officeHours.0.end': 'Giờ không hợp lệ (cần dạng HH:MM, ví dụ 07:30)',
    });
  });

  it('checks the cut-off and the hours against the windows', () => {
    const v = { ...base(), forwardingCutoff: '12:30', hoursPerDay: '8,5', forwardingNextDayHours: '0' };
    expect(validateSettings(v, t, 'vi')).toEqual({
      forwardingCutoff: 'Giờ chốt phải nằm trong giờ làm việc (07:00–11:30, 13:30–17:00)',
      hoursPerDay: 'Không được lớn hơn tổng thời gian của các khung giờ làm việc (8 giờ)',
      forwardingNextDayHours: 'Số giờ phải lớn hơn 0 và không quá 24',
    });
    const short = { ...base(), windows: [{ start: '07:30', end: '11:30' }, base().windows[1]!] };
    expect(validateSettings(short, t, 'vi')).toEqual({
      hoursPerDay: 'Không được lớn hơn tổng thời gian của các khung giờ làm việc (7,5 giờ)',
    });
    expect(validateSettings({ ...base(), hoursPerDay: '7,555' }, t, 'vi')).toEqual({ hoursPerDay: 'Tối đa 2 chữ số thập phân' });
    expect(validateSettings({ ...base(), forwardingCutoff: '17:00' }, t, 'vi')).toEqual({});
  });

  it('builds the API body with two-digit times and numbers', () => {
    const v = { ...base(), windows: [{ start: '7:00', end: '11:30' }, base().windows[1]!], forwardingCutoff: '15:00' };
    expect(settingsBody(v)).toEqual({
      officeHours: [
        { start: '07:00', end: '11:30' },
        { start: '13:30', end: '17:00' },
      ],
      hoursPerDay: 8,
      forwardingCutoff: '15:00',
      forwardingNextDayHours: 7.5,
    });
  });
});

describe('decision form', () => {
  const v = { date: '2027-03-05', kind: 'nghi' as const, name: ' Nghỉ hoán đổi ', legalBasis: '' };

  it('accepts a weekday off and trims the body, leaving out an empty legal basis', () => {
    expect(validateDecision(v, t)).toEqual({});
    expect(decisionBody(v)).toEqual({ kind: 'nghi', name: 'Nghỉ hoán đổi' });
    expect(decisionBody({ ...v, legalBasis: ' TB 1 ' })).toEqual({ kind: 'nghi', name: 'Nghỉ hoán đổi', legalBasis: 'TB 1' });
  });

  it('refuses a day off on a weekend, a missing name, an impossible date', () => {
    expect(validateDecision({ ...v, date: '2027-03-06' }, t)).toEqual({
      date: 'Thứ Bảy, Chủ nhật đã là ngày nghỉ hằng tuần; hãy nhập ngày làm việc được nghỉ (hoặc nghỉ bù)',
    });
    expect(validateDecision({ ...v, date: '2027-03-06', kind: 'lam_bu' }, t)).toEqual({});
    expect(validateDecision({ ...v, name: '  ' }, t)).toEqual({ name: 'Trường này là bắt buộc' });
    expect(validateDecision({ ...v, date: '2027-02-30' }, t)).toEqual({ date: 'Ngày không tồn tại' });
    expect(validateDecision({ ...v, date: '2150-01-01' }, t)).toEqual({ date: 'Lịch chỉ hỗ trợ các năm 1900–2100' });
    expect(validateDecision({ ...v, legalBasis: 'x'.repeat(501) }, t).legalBasis).toBe('Không được dài quá 500 ký tự');
  });
});

describe('due-date calculator', () => {
  it('sends the local time with the +07:00 offset and the chosen unit', () => {
    const v = { date: '2026-02-13', time: '16:00', amount: '1', unit: 'days' as const };
    expect(validateDue(v, t)).toEqual({});
    expect(dueBody(v)).toEqual({ start: '2026-02-13T16:00:00+07:00', days: 1 });
    expect(dueBody({ ...v, time: '8:05', amount: '2,5', unit: 'hours' })).toEqual({ start: '2026-02-13T08:05:00+07:00', hours: 2.5 });
  });

  it('refuses missing and out-of-range values', () => {
    expect(validateDue({ date: '', time: '25:00', amount: '0', unit: 'days' }, t)).toEqual({
      date: 'Trường này là bắt buộc',
      time: 'Giờ không hợp lệ (cần dạng HH:MM, ví dụ 07:30)',
      amount: 'Nhập số lớn hơn 0, ví dụ 3 hoặc 0,5',
    });
    expect(validateDue({ date: '2026-02-13', time: '08:00', amount: '3000', unit: 'days' }, t)).toEqual({
      amount: 'Không được lớn hơn 2500',
    });
  });
});
