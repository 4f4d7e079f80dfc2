/**
 * The calendar admin page's pure parts: the API shapes, the year as 12 Monday-first month grids,
 * keyboard movement between days, and the client-side checks of the three forms (a decision day, the
 * office hours, the due-date calculator), worded like the server's messages.
 *
 * Dates are 'YYYY-MM-DD' strings handled with UTC arithmetic, so the browser's time zone never shifts a day.
 */
import type { TFunction } from 'i18next';
import type { Errors } from '../ui';

// ---- API shapes (src/server/platform/calendar/calendar.schemas.ts) --------------------------------

export type DayKind = 'working' | 'make_up' | 'weekend' | 'holiday' | 'compensatory' | 'day_off';
/** Legend order: ordinary days first, then the days a law or a decision makes special. */
export const dayKinds: readonly DayKind[] = ['working', 'weekend', 'holiday', 'compensatory', 'day_off', 'make_up'];

export interface DayInfo {
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  working: boolean;
  kind: DayKind;
  reason: string | null;
  legalBasis: string | null;
}

export type DecisionKind = 'nghi' | 'lam_bu';
export const decisionKinds: readonly DecisionKind[] = ['nghi', 'lam_bu'];

export interface CalendarDay {
  date: string;
  kind: DecisionKind;
  name: string;
  legalBasis: string | null;
  createdAt: string;
}

export interface DaysList {
  year: number;
  items: CalendarDay[];
  holidays: DayInfo[];
}

export interface WorkingDaysList {
  workingDays: number;
  items: DayInfo[];
}

export interface OfficeWindowText {
  start: string;
  end: string;
}

export interface CalendarSettingsInput {
  officeHours: OfficeWindowText[];
  hoursPerDay: number;
  forwardingCutoff: string;
  forwardingNextDayHours: number;
}

export interface CalendarSettings extends CalendarSettingsInput {
  officeHoursTotal: number;
  updatedAt: string | null;
}

export interface DueDateResult {
  start: string;
  countFrom: string;
  hours: number;
  dueDate: string;
  dueDateText: string;
}

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;
export const MAX_WINDOWS = 4;

// ---- Dates ---------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

function toUtc(iso: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? d : null;
}

const isoOf = (d: Date) => `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** True for a real calendar date written YYYY-MM-DD. */
export const isIsoDate = (s: string) => toUtc(s) !== null;

export function addDays(iso: string, n: number): string {
  const d = toUtc(iso);
  if (!d) throw new RangeError(`Ngày không hợp lệ: ${iso}`);
  return isoOf(new Date(d.getTime() + n * DAY_MS));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(iso: string): number {
  const d = toUtc(iso);
  if (!d) throw new RangeError(`Ngày không hợp lệ: ${iso}`);
  return d.getUTCDay();
}

/** Column of a weekday in a Monday-first week: Monday 0 … Sunday 6. */
export const mondayIndex = (weekday: number) => (weekday + 6) % 7;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

// ---- The year as month grids ---------------------------------------------------------------------

export interface GridCell {
  date: string;
  day: number;
  /** What the server says about the day; null when it did not send it. */
  info: DayInfo | null;
}

export interface MonthGrid {
  /** 1–12. */
  month: number;
  /** Weeks from Monday to Sunday; null pads the days of the neighbouring months. */
  weeks: (GridCell | null)[][];
}

/** The 12 months of `year`, each as Monday-first weeks, every day joined to its DayInfo. */
export function yearGrid(year: number, days: readonly DayInfo[]): MonthGrid[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  return Array.from({ length: 12 }, (_, i) => {
    const month = i + 1;
    const first = `${String(year).padStart(4, '0')}-${pad(month)}-01`;
    const cells: (GridCell | null)[] = Array.from({ length: mondayIndex(weekdayOf(first)) }, () => null);
    for (let day = 1; day <= daysInMonth(year, month); day++) {
      const date = `${first.slice(0, 8)}${pad(day)}`;
      cells.push({ date, day, info: byDate.get(date) ?? null });
    }
    while (cells.length % 7 !== 0) cells.push(null);
    const weeks: (GridCell | null)[][] = [];
    for (let w = 0; w < cells.length; w += 7) weeks.push(cells.slice(w, w + 7));
    return { month, weeks };
  });
}

/** How many days of each kind, the working days, and the weekdays (Monday–Friday) that are days off. */
export function countKinds(days: readonly DayInfo[]): Record<DayKind, number> & { workingDays: number; weekdaysOff: number } {
  const counts = { working: 0, make_up: 0, weekend: 0, holiday: 0, compensatory: 0, day_off: 0, workingDays: 0, weekdaysOff: 0 };
  for (const d of days) {
    counts[d.kind]++;
    if (d.working) counts.workingDays++;
    else if (d.weekday >= 1 && d.weekday <= 5) counts.weekdaysOff++;
  }
  return counts;
}

/**
 * Where a key moves the focus in the year grid (arrow keys by day and week, Home/End to the week's
 * Monday/Sunday, PageUp/PageDown by a month, keeping the day when the month has it); null for other
 * keys and for moves that would leave `year`.
 */
export function stepDate(iso: string, key: string, year: number): string | null {
  let next: string;
  const wd = mondayIndex(weekdayOf(iso));
  switch (key) {
    case 'ArrowLeft':
      next = addDays(iso, -1);
      break;
    case 'ArrowRight':
      next = addDays(iso, 1);
      break;
    case 'ArrowUp':
      next = addDays(iso, -7);
      break;
    case 'ArrowDown':
      next = addDays(iso, 7);
      break;
    case 'Home':
      next = addDays(iso, -wd);
      break;
    case 'End':
      next = addDays(iso, 6 - wd);
      break;
    case 'PageUp':
    case 'PageDown': {
      const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
      const target = new Date(Date.UTC(y, m - 1 + (key === 'PageUp' ? -1 : 1), 1));
      const ty = target.getUTCFullYear();
      const tm = target.getUTCMonth() + 1;
      next = `${String(ty).padStart(4, '0')}-${pad(tm)}-${pad(Math.min(d, daysInMonth(ty, tm)))}`;
      break;
    }
    default:
      return null;
  }
  return Number(next.slice(0, 4)) === year ? next : null;
}

// ---- Clock and hour values -----------------------------------------------------------------------

/** Minutes after midnight of 'H:MM' or 'HH:MM' (00:00–23:59), or null. */
export function parseClock(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h > 23 || min > 59 ? null : h * 60 + min;
}

export const formatClock = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** '7:30' → '07:30' (the API wants two-digit hours); text that is not a time is left as it is. */
export function normaliseClock(text: string): string {
  const m = parseClock(text);
  return m === null ? text.trim() : formatClock(m);
}

/** A number written the Vietnamese way ('7,5') or with a dot; null when it is not one. */
export function parseNumber(text: string): number | null {
  const s = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

/** 7.5 → '7,5' in Vietnamese, '7.5' in English. */
export const formatNumber = (n: number, lang: string) => (lang.startsWith('vi') ? String(n).replace('.', ',') : String(n));

// ---- Form: a decision day ------------------------------------------------------------------------

export interface DecisionValues extends Record<string, unknown> {
  date: string;
  kind: DecisionKind;
  name: string;
  legalBasis: string;
}

export function validateDecision(v: DecisionValues, t: TFunction): Errors {
  const e: Errors = {};
  if (!v.date.trim()) e.date = t('validation.required');
  else if (!isIsoDate(v.date.trim())) e.date = t('calendarAdmin.errors.date');
  else if (Number(v.date.slice(0, 4)) < MIN_YEAR || Number(v.date.slice(0, 4)) > MAX_YEAR) {
    e.date = t('calendarAdmin.errors.yearRange', { min: MIN_YEAR, max: MAX_YEAR });
  } else if (v.kind === 'nghi' && [0, 6].includes(weekdayOf(v.date.trim()))) e.date = t('calendarAdmin.errors.dayOffOnWeekend');
  if (!v.name.trim()) e.name = t('validation.required');
  else if (v.name.trim().length > 200) e.name = t('validation.maxLength', { count: 200 });
  if (v.legalBasis.trim().length > 500) e.legalBasis = t('validation.maxLength', { count: 500 });
  return e;
}

export const decisionBody = (v: DecisionValues) => ({
  kind: v.kind,
  name: v.name.trim(),
  ...(v.legalBasis.trim() ? { legalBasis: v.legalBasis.trim() } : {}),
});

// ---- Form: office hours --------------------------------------------------------------------------

export interface SettingsValues extends Record<string, unknown> {
  windows: OfficeWindowText[];
  hoursPerDay: string;
  forwardingCutoff: string;
  forwardingNextDayHours: string;
}

export function settingsValues(s: CalendarSettingsInput, lang: string): SettingsValues {
  return {
    windows: s.officeHours.map((w) => ({ ...w })),
    hoursPerDay: formatNumber(s.hoursPerDay, lang),
    forwardingCutoff: s.forwardingCutoff,
    forwardingNextDayHours: formatNumber(s.forwardingNextDayHours, lang),
  };
}

/** Field name of a window's time, the same as the server's field path "body/officeHours/0/start". */
export const windowField = (i: number, part: 'start' | 'end') => `officeHours.${i}.${part}`;

/** Total length of the windows in hours, or null while one of them is not a valid, ordered window. */
export function windowsTotal(windows: readonly OfficeWindowText[]): number | null {
  let total = 0;
  let prevEnd = -1;
  for (const w of windows) {
    const start = parseClock(w.start);
    const end = parseClock(w.end);
    if (start === null || end === null || end <= start || start < prevEnd) return null;
    total += end - start;
    prevEnd = end;
  }
  return windows.length ? total / 60 : null;
}

/** The server's rules (calendar.service settingsErrors), checked before sending. */
export function validateSettings(v: SettingsValues, t: TFunction, lang: string): Errors {
  const e: Errors = {};
  const windows: { start: number; end: number }[] = [];
  v.windows.forEach((w, i) => {
    const start = parseClock(w.start);
    const end = parseClock(w.end);
    if (start === null) e[windowField(i, 'start')] = w.start.trim() ? t('calendarAdmin.errors.clock') : t('validation.required');
    if (end === null) e[windowField(i, 'end')] = w.end.trim() ? t('calendarAdmin.errors.clock') : t('validation.required');
    if (start === null || end === null) return;
    const prev = windows[windows.length - 1];
    if (end <= start) e[windowField(i, 'end')] = t('calendarAdmin.errors.endBeforeStart', { start: formatClock(start) });
    else if (prev && start < prev.end) e[windowField(i, 'start')] = t('calendarAdmin.errors.windowOrder', { end: formatClock(prev.end) });
    else windows.push({ start, end });
  });
  const hours = {
    hoursPerDay: checkHours(v.hoursPerDay, t, e, 'hoursPerDay'),
    forwardingNextDayHours: checkHours(v.forwardingNextDayHours, t, e, 'forwardingNextDayHours'),
  };
  const cutoff = parseClock(v.forwardingCutoff);
  if (cutoff === null) e.forwardingCutoff = v.forwardingCutoff.trim() ? t('calendarAdmin.errors.clock') : t('validation.required');
  if (Object.keys(e).some((k) => k.startsWith('officeHours.')) || windows.length === 0) return e;
  const total = windows.reduce((sum, w) => sum + w.end - w.start, 0) / 60;
  if (cutoff !== null && !windows.some((w) => w.start < cutoff && cutoff <= w.end)) {
    e.forwardingCutoff = t('calendarAdmin.errors.cutoffOutside', {
      windows: windows.map((w) => `${formatClock(w.start)}–${formatClock(w.end)}`).join(', '),
    });
  }
  for (const key of ['hoursPerDay', 'forwardingNextDayHours'] as const) {
    const h = hours[key];
    if (h !== null && h > total + 1e-9) {
      e[key] = t('calendarAdmin.errors.overTotal', { total: formatNumber(Math.round(total * 100) / 100, lang) });
    }
  }
  return e;
}

function checkHours(text: string, t: TFunction, e: Errors, key: string): number | null {
  if (!text.trim()) {
    e[key] = t('validation.required');
    return null;
  }
  const n = parseNumber(text);
  if (n === null || n <= 0 || n > 24) {
    e[key] = t('calendarAdmin.errors.hoursRange');
    return null;
  }
  if (Math.abs(n * 100 - Math.round(n * 100)) > 1e-6) {
    e[key] = t('calendarAdmin.errors.decimals');
    return null;
  }
  return n;
}

export const settingsBody = (v: SettingsValues): CalendarSettingsInput => ({
  officeHours: v.windows.map((w) => ({ start: normaliseClock(w.start), end: normaliseClock(w.end) })),
  hoursPerDay: parseNumber(v.hoursPerDay) ?? Number.NaN,
  forwardingCutoff: normaliseClock(v.forwardingCutoff),
  forwardingNextDayHours: parseNumber(v.forwardingNextDayHours) ?? Number.NaN,
});

// ---- Form: due-date calculator -------------------------------------------------------------------

export interface DueValues extends Record<string, unknown> {
  date: string;
  time: string;
  amount: string;
  unit: 'days' | 'hours';
}

const MAX_AMOUNT = { days: 2500, hours: 20000 } as const;

export function validateDue(v: DueValues, t: TFunction): Errors {
  const e: Errors = {};
  if (!v.date.trim()) e.date = t('validation.required');
  else if (!isIsoDate(v.date.trim())) e.date = t('calendarAdmin.errors.date');
  if (!v.time.trim()) e.time = t('validation.required');
  else if (parseClock(v.time) === null) e.time = t('calendarAdmin.errors.clock');
  const n = parseNumber(v.amount);
  if (!v.amount.trim()) e.amount = t('validation.required');
  else if (n === null || n <= 0) e.amount = t('calendarAdmin.errors.amount');
  else if (n > MAX_AMOUNT[v.unit]) e.amount = t('calendarAdmin.errors.amountMax', { max: MAX_AMOUNT[v.unit] });
  return e;
}

/** Body of POST /api/v1/calendar/due-date: the local time given with the +07:00 offset. */
export function dueBody(v: DueValues): { start: string; hours?: number; days?: number } {
  const amount = parseNumber(v.amount) ?? Number.NaN;
  return { start: `${v.date.trim()}T${normaliseClock(v.time)}:00+07:00`, [v.unit]: amount };
}
