/**
 * The calendar service: loads the province's CalendarData from the database (cached), and the use cases
 * behind the calendar routes. Deadline arithmetic itself is in the pure modules (calendar.days/hours/clock).
 *
 * Cache: one CalendarData per process, rebuilt after a change made through this service and, for changes
 * made by other processes, at most `cacheSeconds` after them.
 */
import { recordAudit } from '../audit/audit';
import { requireAccess } from '../auth/access';
import type { RequestContext } from '../auth/actor';
import type { Database } from '../db/database';
import { type FieldError, problems } from '../http/problem';
import {
  type CalendarData,
  type CalendarDecision,
  calendarData,
  type DayInfo,
  dayInfo,
  daysBetween,
  specialDaysOf,
  statutoryFixedHolidays,
} from './calendar.days';
import { addWorkingHours, nextWorkingMoment } from './calendar.hours';
import { calendarRepo, type SettingsRow } from './calendar.repo';
import type { CalendarDayCreate, CalendarDayView, DayInfoView, DueDateBody, DueDateView } from './calendar.schemas';
import type { CalendarDayRow } from './calendar.tables';
import { civilFromDay, dayOfIso, formatVn, localDayOf, MAX_YEAR, MIN_YEAR, parseClock, toLocalIso } from './time';

export const MAX_RANGE_DAYS = 366;

export interface CalendarService {
  /** The province calendar in force (cached). Modules compute due dates with it and the pure functions. */
  data(): Promise<CalendarData>;
  /** Drops the cached calendar (the next data() reloads it). */
  invalidate(): void;
  /** Public: the entries of a year's decisions and every special day of that year. */
  listDays(ctx: RequestContext, year?: number): Promise<{ year: number; items: CalendarDayView[]; holidays: DayInfoView[] }>;
  addDay(ctx: RequestContext, input: CalendarDayCreate): Promise<CalendarDayView>;
  deleteDay(ctx: RequestContext, date: string): Promise<void>;
  /** Public: every day of a range, with the reason for each non-working day. */
  workingDays(ctx: RequestContext, from: string, to: string): Promise<{ workingDays: number; items: DayInfoView[] }>;
  /** Public: due date of a duration in working hours or days from a start instant. */
  dueDate(ctx: RequestContext, input: DueDateBody, now?: Date): Promise<DueDateView>;
}

export interface CalendarDeps {
  db: Database;
  cacheSeconds: number;
}

export function createCalendarService({ db, cacheSeconds }: CalendarDeps): CalendarService {
  const repo = calendarRepo(db);
  let cached: { data: Promise<CalendarData>; at: number } | null = null;

  async function load(): Promise<CalendarData> {
    const [settings, rows] = await Promise.all([repo.settings(), repo.allDays()]);
    return calendarData({ ...settingsOf(settings), decisions: rows.map(decisionOf) });
  }

  function data(): Promise<CalendarData> {
    if (!cached || Date.now() - cached.at > cacheSeconds * 1000) {
      const entry = { data: load(), at: Date.now() };
      // A failed load is not kept: the next call tries again.
      entry.data.catch(() => {
        if (cached === entry) cached = null;
      });
      cached = entry;
    }
    return cached.data;
  }

  function invalidate(): void {
    cached = null;
  }

  return {
    data,
    invalidate,

    async listDays(_ctx, year) {
      const y = year ?? civilFromDay(localDayOf(new Date())).year;
      const [rows, cal] = await Promise.all([repo.daysOfYear(y), data()]);
      return { year: y, items: rows.map(dayView), holidays: specialDaysOf(cal, y).map(dayInfoView) };
    },

    async addDay(ctx, input) {
      requireAccess(ctx.actor, 'calendar.manage');
      const name = input.name.trim();
      const legalBasis = input.legalBasis?.trim() || null;
      const day = checkDate(input.date, 'body/date');
      if (!name) throw problems.validation([{ field: 'body/name', message: 'Trường này là bắt buộc' }]);
      if (await repo.findDay(input.date)) throw duplicate(input.date);
      ruleErrors(await data(), day, input.kind);

      const saved = await db.orm.transaction(async (tx) => {
        const row = await repo.insertDay({ date: input.date, kind: input.kind, name, legalBasis, createdBy: ctx.actor.accountId }, tx);
        if (!row) throw duplicate(input.date);
        await recordAudit(tx, ctx, {
          action: 'calendar.day.add',
          targetType: 'calendar_day',
          targetId: input.date,
          details: { kind: input.kind, name, legalBasis },
        });
        return row;
      });
      invalidate();
      return dayView(saved);
    },

    async deleteDay(ctx, date) {
      requireAccess(ctx.actor, 'calendar.manage');
      checkDate(date, 'params/date');
      await db.orm.transaction(async (tx) => {
        const gone = await repo.deleteDay(date, tx);
        if (!gone) throw problems.notFound(`Ngày ${date} không có trong quyết định nào.`);
        await recordAudit(tx, ctx, {
          action: 'calendar.day.delete',
          targetType: 'calendar_day',
          targetId: date,
          details: { kind: gone.kind, name: gone.name },
        });
      });
      invalidate();
    },

    async workingDays(_ctx, from, to) {
      const a = checkDate(from, 'query/from');
      const b = checkDate(to, 'query/to');
      if (b < a) throw problems.validation([{ field: 'query/to', message: 'Ngày kết thúc không được trước ngày bắt đầu' }]);
      if (b - a >= MAX_RANGE_DAYS) {
        throw problems.validation([{ field: 'query/to', message: `Mỗi lần tra cứu tối đa ${MAX_RANGE_DAYS} ngày` }]);
      }
      const items = daysBetween(await data(), a, b).map(dayInfoView);
      return { workingDays: items.filter((d) => d.working).length, items };
    },

    async dueDate(_ctx, input, now = new Date()) {
      const errors: FieldError[] = [];
      if ((input.hours === undefined) === (input.days === undefined)) {
        errors.push({ field: 'body/hours', message: 'Cần đúng một trong hai trường: hours (giờ làm việc) hoặc days (ngày làm việc)' });
      }
      const start = input.start === undefined ? now : new Date(input.start);
      if (Number.isNaN(start.getTime())) errors.push({ field: 'body/start', message: 'Thời điểm không hợp lệ' });
      if (errors.length) throw problems.validation(errors);
      const cal = await data();
      const hours = input.hours ?? (input.days ?? 0) * cal.hoursPerDay;
      let due: Date;
      let countFrom: Date;
      try {
        countFrom = nextWorkingMoment(cal, start);
        due = addWorkingHours(cal, start, hours);
      } catch (err) {
        if (err instanceof RangeError) {
          throw problems.validation([{ field: 'body/start', message: `Lịch chỉ hỗ trợ các năm ${MIN_YEAR}–${MAX_YEAR}` }]);
        }
        throw err;
      }
      return { start: toLocalIso(start), countFrom: toLocalIso(countFrom), hours, dueDate: toLocalIso(due), dueDateText: formatVn(due) };
    },
  };
}

function duplicate(date: string) {
  return problems.conflict(
    'calendar_day_exists',
    'Ngày đã có trong lịch',
    `Ngày ${date} đã được nhập. Hãy xóa mục cũ trước khi nhập lại.`,
    [{ field: 'body/date', message: 'Ngày này đã được nhập' }],
  );
}

/** What the law and the weekly rest leave to a decision: make-up days only on days off, extra days off only on weekdays. */
function ruleErrors(cal: CalendarData, day: number, kind: CalendarDayCreate['kind']): void {
  const current = dayInfo(cal, day);
  let error: FieldError | null = null;
  if (kind === 'lam_bu') {
    if (statutoryFixedHolidays(civilFromDay(day).year).has(day)) {
      error = { field: 'body/kind', message: 'Không thể làm bù vào ngày nghỉ lễ theo Bộ luật Lao động' };
    } else if (current.working) {
      error = { field: 'body/date', message: 'Ngày này đã là ngày làm việc; chỉ nhập làm bù cho ngày nghỉ (thường là thứ Bảy)' };
    }
  } else if (current.kind === 'weekend') {
    error = { field: 'body/date', message: 'Thứ Bảy, Chủ nhật đã là ngày nghỉ hằng tuần; hãy nhập ngày làm việc được nghỉ (hoặc nghỉ bù)' };
  }
  if (error) throw problems.validation([error]);
}

/** A date of the supported range, or a 400 naming the field. */
function checkDate(text: string, field: string): number {
  const day = dayOfIso(text);
  if (day === null) throw problems.validation([{ field, message: 'Ngày không tồn tại (cần dạng YYYY-MM-DD)' }]);
  const year = civilFromDay(day).year;
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw problems.validation([{ field, message: `Lịch chỉ hỗ trợ các năm ${MIN_YEAR}–${MAX_YEAR}` }]);
  }
  return day;
}

function settingsOf(row: SettingsRow | undefined): Partial<CalendarData> {
  if (!row) return {};
  const windows = JSON.parse(row.office_hours) as { start: string; end: string }[];
  const officeHours = windows.map((w) => {
    const start = parseClock(w.start);
    const end = parseClock(w.end);
    if (start === null || end === null) throw new Error(`calendar_settings.office_hours không hợp lệ: ${row.office_hours}`);
    return { start, end };
  });
  const cutoff = parseClock(row.forwarding_cutoff);
  if (cutoff === null) throw new Error(`calendar_settings.forwarding_cutoff không hợp lệ: ${row.forwarding_cutoff}`);
  return {
    officeHours,
    hoursPerDay: Number(row.hours_per_day),
    forwardingCutoff: cutoff,
    forwardingNextDayHours: Number(row.forwarding_next_day_hours),
  };
}

function decisionOf(r: CalendarDayRow): CalendarDecision {
  return { date: r.date, kind: r.kind, name: r.name, legalBasis: r.legalBasis };
}

function dayView(r: CalendarDayRow): CalendarDayView {
  return {
    date: r.date,
    kind: r.kind,
    name: r.name,
    legalBasis: r.legalBasis,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

function dayInfoView(d: DayInfo): DayInfoView {
  return { date: d.date, weekday: d.weekday, working: d.working, kind: d.kind, reason: d.name, legalBasis: d.legalBasis };
}
