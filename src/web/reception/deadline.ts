/**
 * Time left before a due date, and time a dossier has waited at the desk, counted in working time:
 * only the office windows (07:00–11:30, 13:30–17:00, Asia/Ho_Chi_Minh) of working days count, as in
 * the server's calendar (8 working hours = 1 working day). Working days come from the province's
 * calendar when it has been loaded (holidays, make-up Saturdays); otherwise Monday–Friday.
 * The result is a band (colour + words) for work queues; the server's dueAt stays the authority.
 */

const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** Working hours in one working day. */
export const HOURS_PER_DAY = 8;
/** Office windows in minutes after local midnight (the calendar's defaults). */
export const OFFICE_WINDOWS: readonly (readonly [number, number])[] = [
  [7 * 60, 11 * 60 + 30],
  [13 * 60 + 30, 17 * 60],
];
/** Longest span looked at (a dossier overdue by years still gets a band, just capped). */
const MAX_DAYS = 1100;

/** Is this local day (YYYY-MM-DD) a working day? */
export type WorkingDayFn = (isoDay: string) => boolean;

/** Monday to Friday. */
export const weekdayRule: WorkingDayFn = (isoDay) => {
  const wd = new Date(`${isoDay}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
};

/** The calendar's answer for the days it covers (GET /api/v1/calendar/working-days), Monday–Friday elsewhere. */
export function workingDayFn(days: readonly { date: string; working: boolean }[] | undefined): WorkingDayFn {
  if (!days || days.length === 0) return weekdayRule;
  const known = new Map(days.map((d) => [d.date, d.working]));
  return (isoDay) => known.get(isoDay) ?? weekdayRule(isoDay);
}

const localDayOf = (ms: number) => Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
const isoOfLocalDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Local day (YYYY-MM-DD in Việt Nam) of an instant, shifted by `offsetDays`. */
export function vnDay(at: Date, offsetDays = 0): string {
  return isoOfLocalDay(localDayOf(at.getTime()) + offsetDays);
}

/** Working milliseconds in [from, to); 0 when `to` is not after `from`. */
export function workingMsBetween(from: Date, to: Date, isWorking: WorkingDayFn = weekdayRule): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a)) return 0;
  const first = localDayOf(a);
  const last = Math.min(localDayOf(b), first + MAX_DAYS);
  let total = 0;
  for (let day = first; day <= last; day++) {
    if (!isWorking(isoOfLocalDay(day))) continue;
    const midnight = day * DAY_MS - VN_OFFSET_MS;
    for (const [start, end] of OFFICE_WINDOWS) {
      const lo = Math.max(midnight + start * MINUTE_MS, a);
      const hi = Math.min(midnight + end * MINUTE_MS, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

/** A working duration split for display: whole working days (8 h), hours, minutes. */
export interface WorkingSpan {
  days: number;
  hours: number;
  minutes: number;
  /** Total in working hours (fractional). */
  totalHours: number;
}

export function spanOf(ms: number): WorkingSpan {
  const totalMinutes = Math.max(0, Math.floor(ms / MINUTE_MS));
  const perDay = HOURS_PER_DAY * 60;
  return {
    days: Math.floor(totalMinutes / perDay),
    hours: Math.floor((totalMinutes % perDay) / 60),
    minutes: totalMinutes % 60,
    totalHours: ms / HOUR_MS,
  };
}

/** overdue = past the due date; soon = less than one working day left; ok = a working day or more. */
export type DeadlineBand = 'overdue' | 'soon' | 'ok';

export interface DeadlineInfo {
  band: DeadlineBand;
  /** Working time left (band soon/ok) or past the due date (band overdue). */
  span: WorkingSpan;
}

export function deadlineOf(dueAt: string | Date, now: Date, isWorking: WorkingDayFn = weekdayRule): DeadlineInfo | null {
  const due = dueAt instanceof Date ? dueAt : new Date(dueAt);
  if (Number.isNaN(due.getTime())) return null;
  if (now.getTime() >= due.getTime()) return { band: 'overdue', span: spanOf(workingMsBetween(due, now, isWorking)) };
  const left = workingMsBetween(now, due, isWorking);
  return { band: left < HOURS_PER_DAY * HOUR_MS ? 'soon' : 'ok', span: spanOf(left) };
}

/** How long a dossier has waited for the desk: fresh < 4 working hours ≤ waiting < 1 working day ≤ long. */
export type WaitBand = 'fresh' | 'waiting' | 'long';

export interface WaitInfo {
  band: WaitBand;
  span: WorkingSpan;
}

export function waitingOf(since: string | Date, now: Date, isWorking: WorkingDayFn = weekdayRule): WaitInfo | null {
  const start = since instanceof Date ? since : new Date(since);
  if (Number.isNaN(start.getTime())) return null;
  const ms = workingMsBetween(start, now, isWorking);
  const band: WaitBand = ms >= HOURS_PER_DAY * HOUR_MS ? 'long' : ms >= (HOURS_PER_DAY / 2) * HOUR_MS ? 'waiting' : 'fresh';
  return { band, span: spanOf(ms) };
}

/** Tag tone of each band (colour is never the only signal: the tag also says it in words). */
export const bandTone = {
  overdue: 'danger',
  soon: 'warning',
  ok: 'success',
  fresh: 'neutral',
  waiting: 'warning',
  long: 'danger',
} as const satisfies Record<DeadlineBand | WaitBand, 'danger' | 'warning' | 'success' | 'neutral'>;
