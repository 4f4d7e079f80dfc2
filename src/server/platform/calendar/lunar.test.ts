import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canChiOfYear,
  fromJulianDayNumber,
  julianDayNumber,
  leapMonthOf,
  lunarMonthsOf,
  lunarToSolar,
  newMoonJd,
  newMoonJde,
  type SolarDate,
  solarToLunar,
  sunApparentLongitude,
  tetOf,
} from './lunar';

const iso = (d: SolarDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const solar = (s: string): SolarDate => {
  const [year, month, day] = s.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

describe('astronomy', () => {
  it('finds the true new moon of Meeus example 49.a (1977 Feb 18, 3h37m42s TD)', () => {
    // k = −283 counts back from the new moon of 2000-01-06.
    expect(newMoonJde(-283)).toBeCloseTo(2443192.65118, 4);
  });

  it("computes the Sun's apparent longitude of Meeus example 25.a (1992 Oct 13.0 TD)", () => {
    expect(sunApparentLongitude(2448908.5)).toBeCloseTo(199.90895, 3);
  });

  it('places the new moon of 2024-02-09 at 22:59 UT (NASA: 22:59)', () => {
    const k = Math.round((julianDayNumber(2024, 2, 10) - 2451550.1) / 29.530588861);
    const jd = newMoonJd(k);
    const ms = (jd - 2440587.5) * 86_400_000;
    expect(Math.abs(ms - Date.UTC(2024, 1, 9, 22, 59))).toBeLessThan(2 * 60_000);
  });

  it('converts Julian day numbers both ways', () => {
    expect(julianDayNumber(2000, 1, 1)).toBe(2451545);
    expect(fromJulianDayNumber(2451545)).toEqual({ year: 2000, month: 1, day: 1 });
    fc.assert(
      fc.property(fc.integer({ min: 2415021, max: 2488434 }), (jdn) => {
        const d = fromJulianDayNumber(jdn);
        return julianDayNumber(d.year, d.month, d.day) === jdn;
      }),
    );
  });
});

describe('Tết and lunar dates', () => {
  it('gives the Tết dates of 2024–2028', () => {
    expect(iso(tetOf(2024))).toBe('2024-02-10');
    expect(iso(tetOf(2025))).toBe('2025-01-29');
    expect(iso(tetOf(2026))).toBe('2026-02-17');
    expect(iso(tetOf(2027))).toBe('2027-02-06');
    expect(iso(tetOf(2028))).toBe('2028-01-26');
  });

  it('keeps Việt Nam time (UTC+7): Tết 1985 and 2007 differ from the calendar on UTC+8, Tết Mậu Thân is 29/01/1968', () => {
    expect(iso(tetOf(1985))).toBe('1985-01-21');
    expect(iso(tetOf(2007))).toBe('2007-02-17');
    expect(iso(tetOf(1968))).toBe('1968-01-29');
  });

  it('matches the published Tết dates of 2000–2023', () => {
    const known = [
      '2000-02-05',
      '2001-01-24',
      '2002-02-12',
      '2003-02-01',
      '2004-01-22',
      '2005-02-09',
      '2006-01-29',
      '2007-02-17',
      '2008-02-07',
      '2009-01-26',
      '2010-02-14',
      '2011-02-03',
      '2012-01-23',
      '2013-02-10',
      '2014-01-31',
      '2015-02-19',
      '2016-02-08',
      '2017-01-28',
      '2018-02-16',
      '2019-02-05',
      '2020-01-25',
      '2021-02-12',
      '2022-02-01',
      '2023-01-22',
    ];
    expect(known.map((_, i) => iso(tetOf(2000 + i)))).toEqual(known);
  });

  it('gives Giỗ Tổ Hùng Vương (10/3 lunar): 07/04/2025 and 26/04/2026', () => {
    expect(iso(lunarToSolar({ year: 2025, month: 3, day: 10, leap: false }))).toBe('2025-04-07');
    expect(iso(lunarToSolar({ year: 2026, month: 3, day: 10, leap: false }))).toBe('2026-04-26');
    expect(solarToLunar(solar('2026-04-26'))).toEqual({ year: 2026, month: 3, day: 10, leap: false });
  });

  it('knows the leap months: 2023 month 2, 2025 month 6, 2020 month 4, 2028 month 5; none in 2024, 2026, 2027', () => {
    expect(leapMonthOf(2023)).toBe(2);
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2020)).toBe(4);
    expect(leapMonthOf(2028)).toBe(5);
    expect(leapMonthOf(2024)).toBe(0);
    expect(leapMonthOf(2026)).toBe(0);
    expect(leapMonthOf(2027)).toBe(0);
  });

  it('converts days of a leap month: 25/07/2025 is 1/6 nhuận Ất Tỵ', () => {
    expect(solarToLunar(solar('2025-07-25'))).toEqual({ year: 2025, month: 6, day: 1, leap: true });
    expect(solarToLunar(solar('2025-06-25'))).toEqual({ year: 2025, month: 6, day: 1, leap: false });
    expect(iso(lunarToSolar({ year: 2025, month: 6, day: 1, leap: true }))).toBe('2025-07-25');
  });

  it('puts the days before Tết in the previous lunar year: 16/02/2026 is 29 tháng Chạp Ất Tỵ', () => {
    expect(solarToLunar(solar('2026-02-16'))).toEqual({ year: 2025, month: 12, day: 29, leap: false });
    expect(solarToLunar(solar('1900-01-01')).year).toBe(1899);
  });

  it('refuses lunar dates that do not exist', () => {
    expect(() => lunarToSolar({ year: 2026, month: 6, day: 1, leap: true })).toThrow(RangeError);
    const short = lunarMonthsOf(2025).find((m) => m.days === 29)!;
    expect(() => lunarToSolar({ year: 2025, month: short.month, day: 30, leap: short.leap })).toThrow(RangeError);
    expect(() => solarToLunar(solar('2101-01-01'))).toThrow(RangeError);
  });

  it('names years by can chi', () => {
    expect(canChiOfYear(2025)).toBe('Ất Tỵ');
    expect(canChiOfYear(2026)).toBe('Bính Ngọ');
    expect(canChiOfYear(1984)).toBe('Giáp Tý');
  });
});

describe('properties over 1900–2100', () => {
  const first = julianDayNumber(1900, 1, 1);
  const last = julianDayNumber(2100, 12, 31);

  it('round-trips solar → lunar → solar for every day', () => {
    let failures = 0;
    for (let jdn = first; jdn <= last; jdn++) {
      const d = fromJulianDayNumber(jdn);
      const back = lunarToSolar(solarToLunar(d));
      if (back.year !== d.year || back.month !== d.month || back.day !== d.day) failures++;
    }
    expect(failures).toBe(0);
  });

  it('numbers consecutive days consecutively (day d+1 is the next lunar day or day 1 of the next month)', () => {
    fc.assert(
      fc.property(fc.integer({ min: first, max: last - 1 }), (jdn) => {
        const a = solarToLunar(fromJulianDayNumber(jdn));
        const b = solarToLunar(fromJulianDayNumber(jdn + 1));
        return (b.day === a.day + 1 && b.month === a.month && b.leap === a.leap) || (b.day === 1 && a.day >= 29);
      }),
      { numRuns: 2000 },
    );
  });

  it('has months of 29 or 30 days and years of 12 or 13 months (13 exactly when there is a leap month)', () => {
    for (let year = 1900; year <= 2100; year++) {
      const months = lunarMonthsOf(year);
      expect(months.length === 12 || months.length === 13).toBe(true);
      expect(months.filter((m) => m.leap).length).toBe(months.length - 12);
      for (const m of months) expect(m.days === 29 || m.days === 30).toBe(true);
      const numbers = months.filter((m) => !m.leap).map((m) => m.month);
      expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const t = tetOf(year);
      // Tết always falls between 21 January and 20 February.
      expect(iso(t) >= `${year}-01-21` && iso(t) <= `${year}-02-20`).toBe(true);
    }
  });
});
