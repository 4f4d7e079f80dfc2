/**
 * The legal-time clock of one dossier (or one step of it): a value object that counts the working time
 * used against a budget, stops while the office waits for the applicant, and can start again from zero.
 *
 * - pause: waiting for the applicant (yêu cầu bổ sung) or another party; working time stops counting.
 * - resume: the wait is over; the remaining time runs on (due date = resume time + remaining hours).
 * - restart: NĐ 61/2018 Art. 19: when a supplement was required during appraisal, the legal time is
 *   counted again from the start once the complete dossier is received ("tính lại từ đầu").
 *
 * It is plain JSON (ISO instants, integer milliseconds), so a dossier can store it as it is.
 */
import type { CalendarData } from './calendar.days';
import { addWorkingHours, workingHoursBetween } from './calendar.hours';
import { HOUR_MS } from './time';

export interface LegalClock {
  /** The legal time, in working milliseconds. */
  readonly budgetMs: number;
  /** Working milliseconds used by the runs that have ended (before the current one). */
  readonly usedMs: number;
  /** Start of the current run (ISO instant); null while paused. */
  readonly runningSince: string | null;
  /** When the clock was paused (ISO instant); null while running. */
  readonly pausedAt: string | null;
  /** How many times the legal time was counted again from zero. */
  readonly restarts: number;
}

export class ClockStateError extends Error {}

const iso = (d: Date) => d.toISOString();

export function startClock(budgetHours: number, at: Date): LegalClock {
  if (!(Number.isFinite(budgetHours) && budgetHours >= 0)) throw new RangeError('Thời hạn giải quyết phải là số giờ không âm');
  return { budgetMs: Math.round(budgetHours * HOUR_MS), usedMs: 0, runningSince: iso(at), pausedAt: null, restarts: 0 };
}

function runMs(cal: CalendarData, clock: LegalClock, until: Date): number {
  if (!clock.runningSince) return 0;
  const since = new Date(clock.runningSince);
  if (until.getTime() < since.getTime()) throw new ClockStateError('Thời điểm đã cho trước lúc đồng hồ bắt đầu chạy');
  return Math.round(workingHoursBetween(cal, since, until) * HOUR_MS);
}

/** Stops the clock at `at` (waiting for the applicant). */
export function pauseClock(cal: CalendarData, clock: LegalClock, at: Date): LegalClock {
  if (!clock.runningSince) throw new ClockStateError('Thời hạn đang tạm dừng');
  return { ...clock, usedMs: clock.usedMs + runMs(cal, clock, at), runningSince: null, pausedAt: iso(at) };
}

/** Runs the clock again from `at` with the time that was left. */
export function resumeClock(clock: LegalClock, at: Date): LegalClock {
  if (clock.runningSince || !clock.pausedAt) throw new ClockStateError('Thời hạn đang chạy, không có gì để tiếp tục');
  if (at.getTime() < new Date(clock.pausedAt).getTime()) throw new ClockStateError('Thời điểm tiếp tục trước lúc tạm dừng');
  return { ...clock, runningSince: iso(at), pausedAt: null };
}

/** Counts the legal time again from zero, running from `at` (from either state). */
export function restartClock(clock: LegalClock, at: Date): LegalClock {
  return { ...clock, usedMs: 0, runningSince: iso(at), pausedAt: null, restarts: clock.restarts + 1 };
}

/** Working hours used so far (at `now`). */
export function clockUsedHours(cal: CalendarData, clock: LegalClock, now: Date): number {
  return (clock.usedMs + runMs(cal, clock, now)) / HOUR_MS;
}

/** Working hours left at `now`; negative when the time is over. */
export function clockRemainingHours(cal: CalendarData, clock: LegalClock, now: Date): number {
  return (clock.budgetMs - clock.usedMs - runMs(cal, clock, now)) / HOUR_MS;
}

/** The due date while running: start of the current run + the hours left then; null while paused. */
export function clockDueDate(cal: CalendarData, clock: LegalClock): Date | null {
  if (!clock.runningSince) return null;
  return addWorkingHours(cal, new Date(clock.runningSince), (clock.budgetMs - clock.usedMs) / HOUR_MS);
}
