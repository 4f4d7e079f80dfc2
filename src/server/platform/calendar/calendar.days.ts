/**
 * The province's working calendar: which local days are working days, and why a day is not.
 *
 * Order of the rules (later ones win):
 * 1. Saturday and Sunday are weekly days off (QĐ 188/1999/QĐ-TTg, 40-hour week).
 * 2. Statutory holidays (Bộ luật Lao động 2019, Art. 112): 1/1; Tết Nguyên đán (5 days); 30/4; 1/5;
 *    2/9 and one day next to it; Giỗ Tổ Hùng Vương (10/3 lunar).
 *    - Tết: the Prime Minister picks the 5 days each year. Default when the year's decision is not
 *      entered: the last day of lunar month 12 (29 or 30 tháng Chạp) to mùng 4 tháng Giêng.
 *    - Quốc khánh: the extra day is picked each year. Default: the one that joins the holiday to a
 *      weekend — 3/9 when 2/9 is a Monday, Thursday or Sunday, otherwise 1/9 (as decided in 2021–2026).
 *    - Days off of the yearly decision ('nghi' entries) within 15 days of mùng 1 Tết, or between 20/8
 *      and 15/9 (other than 2/9 itself), replace that default.
 * 3. A holiday on a Saturday or Sunday gives a compensatory day off on the next day that is neither a
 *    weekend day nor a holiday (BLLĐ 2019, Art. 111(3)).
 * 4. Entries of the yearly decision, entered by an administrator: 'nghi' = extra day off (swaps, the
 *    decided Tết days), 'lam_bu' = make-up working day (usually a Saturday). A 'lam_bu' cannot fall on
 *    a statutory holiday.
 *
 * All functions are pure over a CalendarData value; the per-year tables are memoised per value.
 */
import { lunarToSolar, solarToLunar, tetOf } from './lunar';
import { civilFromDay, dayFromCivil, dayOfIso, isoOfDay, localDayOf, MAX_YEAR, MIN_YEAR, weekdayNames, weekdayOf } from './time';

export type DecisionKind = 'nghi' | 'lam_bu';

/** One day of a yearly decision (Thông báo of Bộ Nội vụ, quyết định of the province). */
export interface CalendarDecision {
  /** 'YYYY-MM-DD' (local date). */
  date: string;
  kind: DecisionKind;
  name: string;
  legalBasis: string | null;
}

/** A working window of the day, in minutes after local midnight, [start, end). */
export interface OfficeWindow {
  start: number;
  end: number;
}

export interface CalendarData {
  /** Office hours of every working day, sorted, not overlapping. Default 07:00–11:30 and 13:30–17:00. */
  officeHours: readonly OfficeWindow[];
  /** Working hours in one working day (durations given in days are converted with it). Default 8. */
  hoursPerDay: number;
  /** Paper dossiers received from this minute on are forwarded the next working day (NĐ 61 Art. 18). Default 15:00. */
  forwardingCutoff: number;
  /** Working hours of the next working day allowed for forwarding after the cut-off. Default 8 (its end). */
  forwardingNextDayHours: number;
  /** Entries of the yearly decisions. */
  decisions: readonly CalendarDecision[];
}

export const defaultOfficeHours: readonly OfficeWindow[] = [
  { start: 7 * 60, end: 11 * 60 + 30 },
  { start: 13 * 60 + 30, end: 17 * 60 },
];

export const LEGAL_BASIS = {
  holidays: 'Bộ luật Lao động 2019, Điều 112',
  compensatory: 'Bộ luật Lao động 2019, Điều 111 khoản 3',
  weekend: 'Quyết định 188/1999/QĐ-TTg',
} as const;

/** Builds a CalendarData, checking the office hours. Unspecified fields take the defaults. */
export function calendarData(given: Partial<CalendarData> = {}): CalendarData {
  const officeHours = [...(given.officeHours ?? defaultOfficeHours)].sort((a, b) => a.start - b.start);
  if (officeHours.length === 0) throw new Error('Cần ít nhất một khung giờ làm việc');
  officeHours.forEach((w, i) => {
    if (!(Number.isInteger(w.start) && Number.isInteger(w.end) && w.start >= 0 && w.end <= 24 * 60 && w.start < w.end)) {
      throw new Error(`Khung giờ làm việc không hợp lệ: ${w.start}–${w.end}`);
    }
    const prev = officeHours[i - 1];
    if (prev && prev.end > w.start) throw new Error('Các khung giờ làm việc không được chồng lên nhau');
  });
  const hoursPerDay = given.hoursPerDay ?? 8;
  if (!(hoursPerDay > 0 && hoursPerDay <= 24)) throw new Error('Số giờ của một ngày làm việc phải trong khoảng (0, 24]');
  const forwardingCutoff = given.forwardingCutoff ?? 15 * 60;
  if (!(Number.isInteger(forwardingCutoff) && forwardingCutoff >= 0 && forwardingCutoff <= 24 * 60)) {
    throw new Error('Giờ chốt chuyển hồ sơ không hợp lệ');
  }
  const forwardingNextDayHours = given.forwardingNextDayHours ?? hoursPerDay;
  if (!(forwardingNextDayHours > 0)) throw new Error('Thời gian chuyển hồ sơ ngày kế tiếp phải lớn hơn 0');
  for (const d of given.decisions ?? []) {
    if (dayOfIso(d.date) === null) throw new Error(`Ngày không hợp lệ trong quyết định: ${d.date}`);
  }
  return { officeHours, hoursPerDay, forwardingCutoff, forwardingNextDayHours, decisions: [...(given.decisions ?? [])] };
}

export const defaultCalendar: CalendarData = calendarData();

// ---------------------------------------------------------------------------------------------------
// Day classification.

export type DayKind =
  /** An ordinary working day. */
  | 'working'
  /** A weekend day made a working day by a decision ('lam_bu'). */
  | 'make_up'
  | 'weekend'
  /** Statutory holiday (including the default Tết days and Quốc khánh extra day). */
  | 'holiday'
  | 'compensatory'
  /** Day off by a yearly decision ('nghi'). */
  | 'day_off';

export interface DayInfo {
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  working: boolean;
  kind: DayKind;
  /** Why the day is off (or a make-up working day), in Vietnamese; null for ordinary days. */
  name: string | null;
  legalBasis: string | null;
}

type Special = Omit<DayInfo, 'date' | 'weekday'>;

interface Memo {
  decisionsByDay: Map<number, CalendarDecision>;
  years: Map<number, Map<number, Special>>;
}

const memo = new WeakMap<CalendarData, Memo>();

function memoOf(cal: CalendarData): Memo {
  let m = memo.get(cal);
  if (!m) {
    const decisionsByDay = new Map<number, CalendarDecision>();
    for (const d of cal.decisions) {
      const day = dayOfIso(d.date);
      if (day !== null) decisionsByDay.set(day, d);
    }
    m = { decisionsByDay, years: new Map() };
    memo.set(cal, m);
  }
  return m;
}

const isWeekend = (day: number) => {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
};

const civil = (y: number, m: number, d: number) => dayFromCivil(y, m, d);

function checkYear(year: number): void {
  if (year < MIN_YEAR || year > MAX_YEAR) throw new RangeError(`Lịch chỉ hỗ trợ các năm ${MIN_YEAR}–${MAX_YEAR}`);
}

/** The dates fixed by law that no decision can turn into working days. */
export function statutoryFixedHolidays(year: number): Map<number, string> {
  checkYear(year);
  const gioTo = lunarToSolar({ year, month: 3, day: 10, leap: false });
  return new Map([
    [civil(year, 1, 1), 'Tết Dương lịch'],
    [civil(gioTo.year, gioTo.month, gioTo.day), 'Giỗ Tổ Hùng Vương (10/3 âm lịch)'],
    [civil(year, 4, 30), 'Ngày Chiến thắng (30/4)'],
    [civil(year, 5, 1), 'Ngày Quốc tế Lao động (1/5)'],
    [civil(year, 9, 2), 'Quốc khánh (2/9)'],
  ]);
}

const TET_SEASON_DAYS = 15;

/** Holidays of one year by the rules (statutory days, defaults, compensatory days), before decision entries. */
function ruleHolidays(year: number, decisionsByDay: Map<number, CalendarDecision>): Map<number, Special> {
  const holidays = new Map<number, string>(statutoryFixedHolidays(year));
  const hasDayOffIn = (from: number, to: number, except?: number) => {
    for (let d = from; d <= to; d++) if (d !== except && decisionsByDay.get(d)?.kind === 'nghi') return true;
    return false;
  };

  const tetDate = tetOf(year);
  const tet = civil(tetDate.year, tetDate.month, tetDate.day);
  if (!hasDayOffIn(tet - TET_SEASON_DAYS, tet + TET_SEASON_DAYS)) {
    const lastOfYear = solarToLunar(civilFromDay(tet - 1));
    holidays.set(tet - 1, `Tết Nguyên đán (${lastOfYear.day} tháng Chạp)`);
    for (let i = 0; i < 4; i++) holidays.set(tet + i, `Tết Nguyên đán (mùng ${i + 1} tháng Giêng)`);
  }

  const nationalDay = civil(year, 9, 2);
  if (!hasDayOffIn(civil(year, 8, 20), civil(year, 9, 15), nationalDay)) {
    const next = [1, 4, 0].includes(weekdayOf(nationalDay));
    holidays.set(next ? nationalDay + 1 : nationalDay - 1, `Quốc khánh (ngày liền kề ${next ? 'sau' : 'trước'} 2/9)`);
  }

  const out = new Map<number, Special>();
  for (const [day, name] of holidays) out.set(day, { working: false, kind: 'holiday', name, legalBasis: LEGAL_BASIS.holidays });
  const taken = new Set(holidays.keys());
  for (const day of [...holidays.keys()].sort((a, b) => a - b)) {
    if (!isWeekend(day)) continue;
    let comp = day + 1;
    while (isWeekend(comp) || taken.has(comp)) comp++;
    taken.add(comp);
    out.set(comp, {
      working: false,
      kind: 'compensatory',
      name: `Nghỉ bù ${lowerFirst(holidays.get(day)!)}`,
      legalBasis: LEGAL_BASIS.compensatory,
    });
  }
  return out;
}

const lowerFirst = (s: string) =>
  s.startsWith('Tết') || s.startsWith('Quốc') || s.startsWith('Giỗ') ? s : s[0]!.toLowerCase() + s.slice(1);

/** Special days (not ordinary weekdays or weekends) of a year, decisions applied. */
function yearTable(cal: CalendarData, year: number): Map<number, Special> {
  const m = memoOf(cal);
  let table = m.years.get(year);
  if (table) return table;
  table = ruleHolidays(year, m.decisionsByDay);
  for (const [day, d] of m.decisionsByDay) {
    if (civilFromDay(day).year !== year) continue;
    table.set(
      day,
      d.kind === 'nghi'
        ? { working: false, kind: 'day_off', name: d.name, legalBasis: d.legalBasis }
        : { working: true, kind: 'make_up', name: d.name, legalBasis: d.legalBasis },
    );
  }
  m.years.set(year, table);
  return table;
}

/** Everything about one local day (a day number, an ISO date or an instant). */
export function dayInfo(cal: CalendarData, day: number | string | Date): DayInfo {
  const n = toDay(day);
  const year = civilFromDay(n).year;
  checkYear(year);
  const weekday = weekdayOf(n);
  const special = yearTable(cal, year).get(n);
  if (special) return { date: isoOfDay(n), weekday, ...special };
  if (isWeekend(n)) {
    return {
      date: isoOfDay(n),
      weekday,
      working: false,
      kind: 'weekend',
      name: `Nghỉ hằng tuần (${weekdayNames[weekday]})`,
      legalBasis: LEGAL_BASIS.weekend,
    };
  }
  return { date: isoOfDay(n), weekday, working: true, kind: 'working', name: null, legalBasis: null };
}

export function isWorkingDay(cal: CalendarData, day: number | string | Date): boolean {
  const n = toDay(day);
  const year = civilFromDay(n).year;
  checkYear(year);
  const special = yearTable(cal, year).get(n);
  return special ? special.working : !isWeekend(n);
}

/** Every day from `from` to `to` inclusive. */
export function daysBetween(cal: CalendarData, from: number | string, to: number | string): DayInfo[] {
  const a = toDay(from);
  const b = toDay(to);
  const out: DayInfo[] = [];
  for (let d = a; d <= b; d++) out.push(dayInfo(cal, d));
  return out;
}

/** The non-working days of a year that are not plain weekends (holidays, compensatory and decided days), plus make-up days. */
export function specialDaysOf(cal: CalendarData, year: number): DayInfo[] {
  checkYear(year);
  return [...yearTable(cal, year).keys()].sort((a, b) => a - b).map((d) => dayInfo(cal, d));
}

function toDay(day: number | string | Date): number {
  if (typeof day === 'number') return day;
  if (day instanceof Date) return localDayOf(day);
  const n = dayOfIso(day);
  if (n === null) throw new RangeError(`Ngày không hợp lệ: ${day}`);
  return n;
}
