/**
 * The calendar block (legal time engine): what the rest of the server may use.
 *
 *   const cal = await platform.calendar.data();
 *   const due = addWorkingDays(cal, receivedAt, procedure.days);          // ngày hẹn trả
 *   const forwardBy = forwardingDeadline(cal, receivedAt);                 // the 15:00 rule
 *   let clock = startClock(procedure.hours, receivedAt);                   // pause / resume / restart
 *   clock = pauseClock(cal, clock, supplementRequestedAt);
 *   const left = remainingWorkingHours(cal, new Date(), due);              // < 0 when late
 */
import type { Config } from '../../config';
import type { Database } from '../db/database';
import { type CalendarService, createCalendarService } from './calendar.service';

export {
  ClockStateError,
  clockDueDate,
  clockRemainingHours,
  clockUsedHours,
  type LegalClock,
  pauseClock,
  restartClock,
  resumeClock,
  startClock,
} from './calendar.clock';
export {
  type CalendarData,
  type CalendarDecision,
  calendarData,
  type DayInfo,
  type DayKind,
  type DecisionKind,
  dayInfo,
  daysBetween,
  defaultCalendar,
  defaultOfficeHours,
  isWorkingDay,
  type OfficeWindow,
  specialDaysOf,
  statutoryFixedHolidays,
} from './calendar.days';
export {
  addWorkingDays,
  addWorkingHours,
  endOfDay,
  forwardingDeadline,
  nextWorkingDay,
  nextWorkingMoment,
  remainingWorkingHours,
  workingHoursBetween,
} from './calendar.hours';
export { registerCalendarRoutes } from './calendar.routes';
export type { CalendarService } from './calendar.service';
export {
  canChiOfYear,
  type LunarDate,
  type LunarMonth,
  leapMonthOf,
  lunarMonthsOf,
  lunarToSolar,
  type SolarDate,
  solarToLunar,
  tetOf,
} from './lunar';
export { formatVn, isoOfDay, localDayOf, localIsoDate, toLocalIso, VN_OFFSET_MS } from './time';

export function createCalendar(config: Config, db: Database): CalendarService {
  return createCalendarService({ db, cacheSeconds: config.calendarCacheSeconds });
}
