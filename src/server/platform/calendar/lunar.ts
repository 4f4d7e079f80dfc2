/**
 * The Vietnamese lunisolar calendar (âm lịch), computed from the astronomy for the meridian of UTC+7.
 *
 * The rules of the calendar (the same as the Chinese one, but kept on Việt Nam's time zone, which is why
 * Tết sometimes falls on a different day than in China — e.g. 1985, 2007):
 * 1. A lunar month begins on the local day (UTC+7) that contains the instant of a new moon.
 * 2. Month 11 is the month that contains the December solstice (apparent solar longitude 270°).
 * 3. When 13 new moons begin between one month 11 and the next, the year has a leap month: the first month
 *    after month 11 during which the sun enters no new 30° sector (no "trung khí", major solar term).
 *    It takes the number of the month before it.
 * 4. Tết Nguyên đán is day 1 of month 1.
 *
 * Astronomy (J. Meeus, Astronomical Algorithms, 2nd ed.): true new moons from ch. 49 with all periodic and
 * planetary terms (error of a few seconds); the sun's apparent longitude from ch. 25, low accuracy (0.01°,
 * about 15 minutes of a solar term); ΔT = TT − UT from the Espenak–Meeus polynomials. Supported range:
 * solar years 1900–2100.
 */
import { MAX_YEAR, MIN_YEAR } from './time';

export interface SolarDate {
  year: number;
  month: number;
  day: number;
}

export interface LunarDate {
  /** The lunar year, named after the solar year in which its Tết falls. */
  year: number;
  month: number;
  day: number;
  /** True for the days of the leap month (tháng nhuận). */
  leap: boolean;
}

export interface LunarMonth {
  month: number;
  leap: boolean;
  /** Solar date of day 1. */
  start: SolarDate;
  /** 29 or 30. */
  days: number;
}

const TZ_HOURS = 7;
const RAD = Math.PI / 180;
const SYNODIC_MONTH = 29.530588861;

// ---------------------------------------------------------------------------------------------------
// Julian day numbers (proleptic Gregorian calendar).

/** Julian Day Number of a Gregorian date (the day that begins at noon UT of that date). */
export function julianDayNumber(year: number, month: number, day: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 32045;
}

export function fromJulianDayNumber(jdn: number): SolarDate {
  const a = jdn + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    day: e - Math.floor((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * Math.floor(m / 10),
    year: 100 * b + d - 4800 + Math.floor(m / 10),
  };
}

// ---------------------------------------------------------------------------------------------------
// Astronomy.

/** ΔT = TT − UT in seconds (Espenak & Meeus polynomial fits; the last one extrapolates). */
export function deltaTSeconds(decimalYear: number): number {
  const y = decimalYear;
  if (y < 1860) {
    const u = (y - 1820) / 100;
    return -20 + 32 * u * u;
  }
  if (y < 1900) {
    const t = y - 1860;
    return 7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233174;
  }
  if (y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y < 2005) {
    const t = y - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5;
  }
  if (y < 2050) {
    const t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (y - 1820) / 100;
  if (y < 2150) return -20 + 32 * u * u - 0.5628 * (2150 - y);
  return -20 + 32 * u * u;
}

const deltaTDays = (jd: number) => deltaTSeconds(2000 + (jd - 2451545) / 365.25) / 86400;

const sin = (deg: number) => Math.sin(deg * RAD);

/**
 * Julian Ephemeris Day (TT) of the true new moon number k, counted from the new moon of 2000-01-06
 * (Meeus ch. 49: mean phase, then the periodic terms of the Moon's and Sun's anomalies and the Moon's
 * argument of latitude, then the planetary arguments A1–A14).
 */
export function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  const jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3; // Sun's mean anomaly
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4; // Moon's
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;

  const periodic =
    -0.4072 * sin(Mp) +
    0.17241 * E * sin(M) +
    0.01608 * sin(2 * Mp) +
    0.01039 * sin(2 * F) +
    0.00739 * E * sin(Mp - M) -
    0.00514 * E * sin(Mp + M) +
    0.00208 * E * E * sin(2 * M) -
    0.00111 * sin(Mp - 2 * F) -
    0.00057 * sin(Mp + 2 * F) +
    0.00056 * E * sin(2 * Mp + M) -
    0.00042 * sin(3 * Mp) +
    0.00042 * E * sin(M + 2 * F) +
    0.00038 * E * sin(M - 2 * F) -
    0.00024 * E * sin(2 * Mp - M) -
    0.00017 * sin(Om) -
    0.00007 * sin(Mp + 2 * M) +
    0.00004 * sin(2 * Mp - 2 * F) +
    0.00004 * sin(3 * M) +
    0.00003 * sin(Mp + M - 2 * F) +
    0.00003 * sin(2 * Mp + 2 * F) -
    0.00003 * sin(Mp + M + 2 * F) +
    0.00003 * sin(Mp - M + 2 * F) -
    0.00002 * sin(Mp - M - 2 * F) -
    0.00002 * sin(3 * Mp + M) +
    0.00002 * sin(4 * Mp);

  const planetary: [number, number, number][] = [
    // [coefficient, argument at k = 0, degrees per lunation]; A1 also has a T² term, added below.
    [0.000325, 299.77, 0.107408],
    [0.000165, 251.88, 0.016321],
    [0.000164, 251.83, 26.651886],
    [0.000126, 349.42, 36.412478],
    [0.00011, 84.66, 18.206239],
    [0.000062, 141.74, 53.303771],
    [0.00006, 207.14, 2.453732],
    [0.000056, 154.84, 7.30686],
    [0.000047, 34.52, 27.261239],
    [0.000042, 207.19, 0.121824],
    [0.00004, 291.34, 1.844379],
    [0.000037, 161.72, 24.198154],
    [0.000035, 239.56, 25.513099],
    [0.000023, 331.55, 3.592518],
  ];
  let additional = 0;
  planetary.forEach(([coef, a0, rate], i) => {
    additional += coef * sin(a0 + rate * k - (i === 0 ? 0.009173 * T2 : 0));
  });
  return jde + periodic + additional;
}

/** Julian Day (UT) of new moon k. */
export function newMoonJd(k: number): number {
  const jde = newMoonJde(k);
  return jde - deltaTDays(jde);
}

/** Apparent geocentric longitude of the Sun in degrees [0, 360) at Julian Ephemeris Day `jde` (Meeus ch. 25). */
export function sunApparentLongitude(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) + (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
  const omega = 125.04 - 1934.136 * T;
  const lambda = L0 + C - 0.00569 - 0.00478 * sin(omega);
  return ((lambda % 360) + 360) % 360;
}

/** Julian Day Number of the local (UTC+7) civil day containing the UT instant `jd`. */
function localJdn(jd: number): number {
  return Math.floor(jd + 0.5 + TZ_HOURS / 24);
}

/** Which 30° sector (0–11) the Sun is in at local midnight that starts day `jdn`. */
function solarSectorAtDayStart(jdn: number): number {
  const jdUt = jdn - 0.5 - TZ_HOURS / 24;
  return Math.floor(sunApparentLongitude(jdUt + deltaTDays(jdUt)) / 30);
}

/** Local day on which lunar month k (new moon k) begins. */
function newMoonDay(k: number): number {
  return localJdn(newMoonJd(k));
}

/** Number of the new moon that begins the lunar month containing local day `jdn`. */
function lunationContaining(jdn: number): number {
  let k = Math.round((jdn - 2451550.1) / SYNODIC_MONTH);
  while (newMoonDay(k) > jdn) k--;
  while (newMoonDay(k + 1) <= jdn) k++;
  return k;
}

/** Lunation number of month 11 of the lunar year that ends in solar year `year` (contains its December solstice). */
function month11Lunation(year: number): number {
  // The solstice day is the first December day at whose end the Sun has reached 270° (sector 9).
  let day = julianDayNumber(year, 12, 18);
  while (solarSectorAtDayStart(day + 1) < 9) day++;
  return lunationContaining(day);
}

// ---------------------------------------------------------------------------------------------------
// Calendar structure.

interface MonthEntry {
  lunarYear: number;
  month: number;
  leap: boolean;
  start: number; // JDN
  days: number;
}

const spanCache = new Map<number, MonthEntry[]>();

/**
 * The lunar months from month 11 that contains the December solstice of `year − 1` up to (not including)
 * the month 11 of `year`: 12 or 13 months, numbered, with the leap month marked.
 */
function monthsBetweenSolstices(year: number): MonthEntry[] {
  const cached = spanCache.get(year);
  if (cached) return cached;
  const k0 = month11Lunation(year - 1);
  const k1 = month11Lunation(year);
  const count = k1 - k0;
  const starts = Array.from({ length: count + 1 }, (_, i) => newMoonDay(k0 + i));
  let leapAt = -1;
  if (count === 13) {
    for (let i = 1; i < count; i++) {
      if (solarSectorAtDayStart(starts[i]!) === solarSectorAtDayStart(starts[i + 1]!)) {
        leapAt = i;
        break;
      }
    }
  }
  const entries: MonthEntry[] = [];
  let month = 10;
  let lunarYear = year - 1;
  for (let i = 0; i < count; i++) {
    const leap = i === leapAt;
    if (!leap) {
      month = (month % 12) + 1;
      if (month === 1) lunarYear = year;
    }
    entries.push({ lunarYear, month, leap, start: starts[i]!, days: starts[i + 1]! - starts[i]! });
  }
  spanCache.set(year, entries);
  return entries;
}

function checkYear(year: number, min: number): void {
  if (!Number.isInteger(year) || year < min || year > MAX_YEAR) {
    throw new RangeError(`Chỉ hỗ trợ các năm ${min}–${MAX_YEAR} (nhận được ${year})`);
  }
}

/** The months of a lunar year in order (the leap month right after the month it repeats). */
export function lunarMonthsOf(lunarYear: number): LunarMonth[] {
  // January 1900 is still in lunar year 1899.
  checkYear(lunarYear, MIN_YEAR - 1);
  return [...monthsBetweenSolstices(lunarYear), ...monthsBetweenSolstices(lunarYear + 1)]
    .filter((m) => m.lunarYear === lunarYear)
    .map((m) => ({ month: m.month, leap: m.leap, start: fromJulianDayNumber(m.start), days: m.days }));
}

/** The leap month of a lunar year, or 0 when it has none. */
export function leapMonthOf(lunarYear: number): number {
  return lunarMonthsOf(lunarYear).find((m) => m.leap)?.month ?? 0;
}

export function solarToLunar(date: SolarDate): LunarDate {
  checkYear(date.year, MIN_YEAR);
  const jdn = julianDayNumber(date.year, date.month, date.day);
  const span = monthsBetweenSolstices(date.year);
  const months = jdn >= span[span.length - 1]!.start + span[span.length - 1]!.days ? monthsBetweenSolstices(date.year + 1) : span;
  let entry = months[0]!;
  for (const m of months) if (m.start <= jdn) entry = m;
  return { year: entry.lunarYear, month: entry.month, day: jdn - entry.start + 1, leap: entry.leap };
}

/** Solar date of a lunar date. Throws RangeError when the lunar date does not exist (e.g. day 30 of a short month). */
export function lunarToSolar(date: LunarDate): SolarDate {
  const month = lunarMonthsOf(date.year).find((m) => m.month === date.month && m.leap === date.leap);
  if (!month) {
    throw new RangeError(`Năm âm lịch ${date.year} không có tháng ${date.month}${date.leap ? ' nhuận' : ''}`);
  }
  if (!Number.isInteger(date.day) || date.day < 1 || date.day > month.days) {
    throw new RangeError(`Tháng ${date.month}${date.leap ? ' nhuận' : ''} năm âm lịch ${date.year} chỉ có ${month.days} ngày`);
  }
  return fromJulianDayNumber(julianDayNumber(month.start.year, month.start.month, month.start.day) + date.day - 1);
}

/** Tết Nguyên đán (day 1 of month 1) of the lunar year that begins in solar year `year`. */
export function tetOf(year: number): SolarDate {
  return lunarToSolar({ year, month: 1, day: 1, leap: false });
}

const CAN = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý'];
const CHI = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi'];

/** Sexagenary name of a lunar year, e.g. 2026 → "Bính Ngọ". */
export function canChiOfYear(lunarYear: number): string {
  return `${CAN[(((lunarYear + 6) % 10) + 10) % 10]} ${CHI[(((lunarYear + 8) % 12) + 12) % 12]}`;
}
