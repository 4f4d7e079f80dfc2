import { describe, expect, it } from 'vitest';
import { calendarData, dayInfo, defaultCalendar, isWorkingDay, specialDaysOf } from './calendar.days';
import { decisions2026, TB_9441 } from './testing';

const cal2026 = calendarData({ decisions: decisions2026 });

const offDays = (cal: typeof defaultCalendar, from: string, to: string) => {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    const iso = d.toISOString().slice(0, 10);
    if (!isWorkingDay(cal, iso)) out.push(iso);
  }
  return out;
};

describe('statutory rules without any decision', () => {
  const cal = defaultCalendar;

  it('treats Monday 27/01/2025 as a working day and 28/01–01/02/2025 (29 tháng Chạp → mùng 4) as Tết', () => {
    expect(isWorkingDay(cal, '2025-01-27')).toBe(true);
    expect(offDays(cal, '2025-01-27', '2025-02-04')).toEqual([
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
      '2025-02-03',
    ]);
    expect(dayInfo(cal, '2025-01-28')).toMatchObject({ kind: 'holiday', name: 'Tết Nguyên đán (29 tháng Chạp)' });
    expect(dayInfo(cal, '2025-01-29')).toMatchObject({ kind: 'holiday', name: 'Tết Nguyên đán (mùng 1 tháng Giêng)' });
    // Mùng 4 falls on a Saturday: the next working day is a compensatory day off (BLLĐ Art. 111(3)).
    expect(dayInfo(cal, '2025-02-03')).toMatchObject({ kind: 'compensatory', legalBasis: 'Bộ luật Lao động 2019, Điều 111 khoản 3' });
    expect(isWorkingDay(cal, '2025-02-04')).toBe(true);
  });

  it('makes 1/1, 30/4, 1/5 and Giỗ Tổ days off', () => {
    for (const d of ['2025-01-01', '2025-04-30', '2025-05-01', '2025-04-07', '2026-01-01', '2026-04-30', '2026-05-01']) {
      expect(dayInfo(cal, d)).toMatchObject({ working: false, kind: 'holiday', legalBasis: 'Bộ luật Lao động 2019, Điều 112' });
    }
    expect(dayInfo(cal, '2025-04-07').name).toBe('Giỗ Tổ Hùng Vương (10/3 âm lịch)');
  });

  it('gives Monday 27/04/2026 off for Giỗ Tổ on Sunday 26/04/2026', () => {
    expect(dayInfo(cal, '2026-04-26')).toMatchObject({ kind: 'holiday', weekday: 0 });
    expect(dayInfo(cal, '2026-04-27')).toMatchObject({ kind: 'compensatory', name: 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)' });
    expect(isWorkingDay(cal, '2026-04-28')).toBe(true);
  });

  it('gives two compensatory days when 30/4 and 1/5 fall on a weekend (2022: Monday 2/5 and Tuesday 3/5)', () => {
    expect(offDays(cal, '2022-04-29', '2022-05-04')).toEqual(['2022-04-30', '2022-05-01', '2022-05-02', '2022-05-03']);
    expect(dayInfo(cal, '2022-05-02').name).toBe('Nghỉ bù ngày Chiến thắng (30/4)');
    expect(dayInfo(cal, '2022-05-03').name).toBe('Nghỉ bù ngày Quốc tế Lao động (1/5)');
  });

  it('adds the Quốc khánh day that joins the weekend, as decided in 2021–2026', () => {
    expect(offDays(cal, '2021-09-01', '2021-09-06')).toEqual(['2021-09-02', '2021-09-03', '2021-09-04', '2021-09-05']); // Thu → Fri
    expect(offDays(cal, '2022-08-31', '2022-09-05')).toEqual(['2022-09-01', '2022-09-02', '2022-09-03', '2022-09-04']); // Fri → Thu
    expect(offDays(cal, '2023-08-31', '2023-09-05')).toEqual(['2023-09-01', '2023-09-02', '2023-09-03', '2023-09-04']); // Sat → Fri + Mon
    expect(offDays(cal, '2024-08-30', '2024-09-04')).toEqual(['2024-08-31', '2024-09-01', '2024-09-02', '2024-09-03']); // Mon → Tue
    expect(offDays(cal, '2025-08-29', '2025-09-03')).toEqual(['2025-08-30', '2025-08-31', '2025-09-01', '2025-09-02']); // Tue → Mon
    expect(offDays(cal, '2026-08-28', '2026-09-03')).toEqual(['2026-08-29', '2026-08-30', '2026-09-01', '2026-09-02']); // Wed → Tue
  });

  it('gives the reason of weekends and nothing for ordinary days', () => {
    expect(dayInfo(cal, '2026-03-07')).toMatchObject({ working: false, kind: 'weekend', name: 'Nghỉ hằng tuần (Thứ Bảy)' });
    expect(dayInfo(cal, '2026-03-09')).toEqual({
      date: '2026-03-09',
      weekday: 1,
      working: true,
      kind: 'working',
      name: null,
      legalBasis: null,
    });
  });
});

describe('the 2026 decision (Thông báo 9441/TB-BNV)', () => {
  it('takes the Tết week 16–20/02/2026 off', () => {
    expect(offDays(cal2026, '2026-02-13', '2026-02-23')).toEqual([
      '2026-02-14',
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
    ]);
    expect(dayInfo(cal2026, '2026-02-17')).toMatchObject({ kind: 'day_off', legalBasis: TB_9441 });
  });

  it('swaps Monday 31/08/2026 with Saturday 22/08/2026', () => {
    expect(dayInfo(cal2026, '2026-08-31')).toMatchObject({ working: false, kind: 'day_off' });
    expect(dayInfo(cal2026, '2026-08-22')).toMatchObject({ working: true, kind: 'make_up', weekday: 6 });
    expect(isWorkingDay(cal2026, '2026-09-01')).toBe(false);
    expect(isWorkingDay(cal2026, '2026-09-02')).toBe(false);
    expect(isWorkingDay(cal2026, '2026-09-03')).toBe(true);
  });

  it('keeps the statutory days the notice does not list: 30/4, 1/5 and Giỗ Tổ with its compensatory Monday', () => {
    expect(offDays(cal2026, '2026-04-25', '2026-05-04')).toEqual([
      '2026-04-25',
      '2026-04-26',
      '2026-04-27',
      '2026-04-30',
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
    ]);
  });

  it('lists the special days of the year', () => {
    const special = specialDaysOf(cal2026, 2026).map((d) => `${d.date}:${d.kind}`);
    expect(special).toEqual([
      '2026-01-01:holiday',
      '2026-02-16:day_off',
      '2026-02-17:day_off',
      '2026-02-18:day_off',
      '2026-02-19:day_off',
      '2026-02-20:day_off',
      '2026-04-26:holiday',
      '2026-04-27:compensatory',
      '2026-04-30:holiday',
      '2026-05-01:holiday',
      '2026-08-22:make_up',
      '2026-08-31:day_off',
      '2026-09-01:day_off',
      '2026-09-02:day_off',
    ]);
  });
});

describe('decisions override the default rule', () => {
  it('replaces the default Tết days by the decided ones', () => {
    // A decision that picks Monday 27/01–Friday 31/01/2025 instead of the default 28/01–01/02 (+ Monday 03/02).
    const cal = calendarData({
      decisions: ['27', '28', '29', '30', '31'].map((d) => ({
        date: `2025-01-${d}`,
        kind: 'nghi' as const,
        name: 'Tết Ất Tỵ',
        legalBasis: null,
      })),
    });
    expect(offDays(cal, '2025-01-27', '2025-02-04')).toEqual([
      '2025-01-27',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
    ]);
    expect(dayInfo(cal, '2025-02-01').kind).toBe('weekend');
  });

  it('replaces the default Quốc khánh extra day when the decision lists days off around 2/9', () => {
    const cal = calendarData({ decisions: [{ date: '2026-09-03', kind: 'nghi', name: 'Quốc khánh', legalBasis: null }] });
    expect(isWorkingDay(cal, '2026-09-01')).toBe(true);
    expect(isWorkingDay(cal, '2026-09-02')).toBe(false);
    expect(isWorkingDay(cal, '2026-09-03')).toBe(false);
    // Entering 2/9 alone (already a holiday by law) decides nothing.
    const same = calendarData({ decisions: [{ date: '2026-09-02', kind: 'nghi', name: 'Quốc khánh', legalBasis: null }] });
    expect(isWorkingDay(same, '2026-09-01')).toBe(false);
  });

  it('lets a make-up entry cancel a compensatory day ("unless a decision says otherwise")', () => {
    const cal = calendarData({ decisions: [{ date: '2026-04-27', kind: 'lam_bu', name: 'Làm việc', legalBasis: null }] });
    expect(dayInfo(cal, '2026-04-27')).toMatchObject({ working: true, kind: 'make_up' });
  });

  it('does not change the default data (memoised per value)', () => {
    expect(isWorkingDay(defaultCalendar, '2026-08-31')).toBe(true);
    expect(isWorkingDay(defaultCalendar, '2026-08-22')).toBe(false);
  });

  it('refuses invalid settings', () => {
    expect(() => calendarData({ officeHours: [] })).toThrow();
    expect(() => calendarData({ officeHours: [{ start: 600, end: 500 }] })).toThrow();
    expect(() =>
      calendarData({
        officeHours: [
          { start: 420, end: 700 },
          { start: 690, end: 1000 },
        ],
      }),
    ).toThrow();
    expect(() => calendarData({ decisions: [{ date: '2026-02-30', kind: 'nghi', name: 'x', legalBasis: null }] })).toThrow();
    expect(() => isWorkingDay(defaultCalendar, '2101-01-03')).toThrow(RangeError);
  });
});
