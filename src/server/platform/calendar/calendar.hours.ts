/**
 * Durations in working hours on the province's calendar (the "legal time" of procedures).
 *
 * Working time runs only inside the office windows of working days. `addWorkingHours(start, h)` is the
 * earliest instant at which h working hours have passed since `start`, so the normalisation rules of the
 * reference algorithm (§1.6) follow by themselves: a start before 07:00 counts from 07:00, in the lunch
 * break from 13:30, after 17:00 from the next working morning; Friday 16:00 + 8 h = Monday 16:00.
 * A due date that uses up a window exactly is that window's end (e.g. 17:00), not the next morning.
 *
 * Instants are Dates; days and times of day are taken in UTC+7 (see ./time).
 */
import { type CalendarData, isWorkingDay } from './calendar.days';
import { HOUR_MS, instantAt, localDayOf, localMsOfDay, MINUTE_MS } from './time';

/** Absolute [start, end) of each office window of a local day; none when the day is not a working day. */
function windowsOf(cal: CalendarData, day: number): [number, number][] {
  if (!isWorkingDay(cal, day)) return [];
  const base = instantAt(day).getTime();
  return cal.officeHours.map((w) => [base + w.start * MINUTE_MS, base + w.end * MINUTE_MS]);
}

const toMs = (hours: number, what: string) => {
  if (!Number.isFinite(hours)) throw new RangeError(`${what} phải là một số hữu hạn`);
  return Math.round(hours * HOUR_MS);
};

/** The first instant at or after `at` when working time is running (inside an office window of a working day). */
export function nextWorkingMoment(cal: CalendarData, at: Date): Date {
  const t = at.getTime();
  for (let day = localDayOf(at); ; day++) {
    for (const [start, end] of windowsOf(cal, day)) {
      if (t < end) return new Date(Math.max(t, start));
    }
  }
}

/**
 * The earliest instant by which `hours` working hours have passed since `start` (the due date).
 * Zero hours give `start` itself; negative hours count backwards (the latest instant that many working
 * hours before `start`, e.g. "01 working day before the due date").
 */
export function addWorkingHours(cal: CalendarData, start: Date, hours: number): Date {
  let remaining = toMs(hours, 'Số giờ');
  if (remaining === 0) return new Date(start.getTime());
  if (remaining < 0) return subtractWorkingMs(cal, start, -remaining);
  const t = start.getTime();
  for (let day = localDayOf(start); ; day++) {
    for (const [ws, we] of windowsOf(cal, day)) {
      const from = Math.max(ws, t);
      if (from >= we) continue;
      if (we - from >= remaining) return new Date(from + remaining);
      remaining -= we - from;
    }
  }
}

function subtractWorkingMs(cal: CalendarData, start: Date, ms: number): Date {
  let remaining = ms;
  const t = start.getTime();
  for (let day = localDayOf(start); ; day--) {
    for (const [ws, we] of windowsOf(cal, day).reverse()) {
      const to = Math.min(we, t);
      if (to <= ws) continue;
      if (to - ws >= remaining) return new Date(to - remaining);
      remaining -= to - ws;
    }
  }
}

/** Working days of `cal.hoursPerDay` hours each (8 by default): Friday 16:00 + 1 day = Monday 16:00. */
export function addWorkingDays(cal: CalendarData, start: Date, days: number): Date {
  toMs(days, 'Số ngày');
  return addWorkingHours(cal, start, days * cal.hoursPerDay);
}

/** Working hours from `a` to `b`; negative when `b` is before `a`. */
export function workingHoursBetween(cal: CalendarData, a: Date, b: Date): number {
  if (b.getTime() < a.getTime()) return -workingHoursBetween(cal, b, a);
  return workingMsBetween(cal, a.getTime(), b.getTime()) / HOUR_MS;
}

function workingMsBetween(cal: CalendarData, a: number, b: number): number {
  let total = 0;
  const last = localDayOf(new Date(b));
  for (let day = localDayOf(new Date(a)); day <= last; day++) {
    for (const [ws, we] of windowsOf(cal, day)) {
      const from = Math.max(ws, a);
      const to = Math.min(we, b);
      if (to > from) total += to - from;
    }
  }
  return total;
}

/** Working hours left until `due` at `now`: positive while in time, negative when late (for deadline colours). */
export function remainingWorkingHours(cal: CalendarData, now: Date, due: Date): number {
  return workingHoursBetween(cal, now, due);
}

/** Close of the last office window of a local day. */
export function endOfDay(cal: CalendarData, day: number): Date {
  const last = cal.officeHours[cal.officeHours.length - 1]!;
  return instantAt(day, last.end * MINUTE_MS);
}

/** The first working day strictly after local day `day`. */
export function nextWorkingDay(cal: CalendarData, day: number): number {
  let d = day + 1;
  while (!isWorkingDay(cal, d)) d++;
  return d;
}

/**
 * The 15:00 rule (NĐ 61/2018 Art. 18(2)): a paper dossier received on a working day before the cut-off
 * is forwarded the same working day (deadline: its close); one received from the cut-off on, or on a day
 * off, at the start of the next working day — the deadline is `forwardingNextDayHours` working hours into
 * that day (by default the whole day, i.e. its close).
 */
export function forwardingDeadline(cal: CalendarData, receivedAt: Date): Date {
  const day = localDayOf(receivedAt);
  if (isWorkingDay(cal, day) && localMsOfDay(receivedAt) < cal.forwardingCutoff * MINUTE_MS) return endOfDay(cal, day);
  const next = nextWorkingDay(cal, day);
  const opening = instantAt(next, cal.officeHours[0]!.start * MINUTE_MS);
  return addWorkingHours(cal, opening, cal.forwardingNextDayHours);
}
