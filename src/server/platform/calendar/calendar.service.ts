/**
 * The calendar service: loads the province's CalendarData from the database (cached), and the use cases
 * behind the calendar routes. Deadline arithmetic itself is in the pure modules (calendar.days/hours/clock).
 *
 * Cache: one CalendarData per process, rebuilt after a change made through this service and, for changes
 * made by other processes, at most `cacheSeconds` after them.
 */
import { recordAudit } from '../audit/audit';
import { requireAccess } from '../auth/access';
import type { Actor, RequestContext } from '../auth/actor';
import type { Database } from '../db/database';
import { type FieldError, problems } from '../http/problem';
import {
  type CalendarData,
  type CalendarDecision,
  calendarData,
  type DayInfo,
  dayInfo,
  daysBetween,
  type OfficeWindow,
  specialDaysOf,
  statutoryFixedHolidays,
} from './calendar.days';
import { addWorkingHours, nextWorkingMoment } from './calendar.hours';
import { calendarRepo, type SettingsRow } from './calendar.repo';
import type {
  CalendarDayCreate,
  CalendarDayUpdate,
  CalendarDayView,
  CalendarSettingsUpdate,
  CalendarSettingsView,
  DayInfoView,
  DueDateBody,
  DueDateView,
} from './calendar.schemas';
import type { CalendarDayRow } from './calendar.tables';
import { civilFromDay, dayOfIso, formatClock, formatVn, localDayOf, MAX_YEAR, MIN_YEAR, parseClock, toLocalIso } from './time';

export const MAX_RANGE_DAYS = 366;

export interface CalendarService {
  /** The province calendar in force (cached). Modules compute due dates with it and the pure functions. */
  data(): Promise<CalendarData>;
  /** Drops the cached calendar (the next data() reloads it). */
  invalidate(): void;
  /** Public: the entries of a year's decisions and every special day of that year. */
  listDays(ctx: RequestContext, year?: number): Promise<{ year: number; items: CalendarDayView[]; holidays: DayInfoView[] }>;
  addDay(ctx: RequestContext, input: CalendarDayCreate): Promise<CalendarDayView>;
  /** Replaces the kind, name and legal basis of an entered date (the date is the key). */
  updateDay(ctx: RequestContext, date: string, input: CalendarDayUpdate): Promise<CalendarDayView>;
  deleteDay(ctx: RequestContext, date: string): Promise<void>;
  /** Staff: the office hours and forwarding rule every deadline is computed with. */
  getSettings(ctx: RequestContext): Promise<CalendarSettingsView>;
  /** Replaces the office-hours settings; due dates use them from the next computation on. */
  updateSettings(ctx: RequestContext, input: CalendarSettingsUpdate): Promise<CalendarSettingsView>;
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

    async updateDay(ctx, date, input) {
      requireAccess(ctx.actor, 'calendar.manage');
      const day = checkDate(date, 'params/date');
      const name = input.name.trim();
      const legalBasis = input.legalBasis?.trim() || null;
      if (!(await repo.findDay(date))) throw notEntered(date);
      if (!name) throw problems.validation([{ field: 'body/name', message: 'Trường này là bắt buộc' }]);
      // Judge the new kind against the calendar without this entry (what the day would be if it were deleted).
      const cal = await data();
      ruleErrors(calendarData({ ...cal, decisions: cal.decisions.filter((d) => d.date !== date) }), day, input.kind);

      const saved = await db.orm.transaction(async (tx) => {
        const before = await repo.findDay(date, tx);
        const row = before && (await repo.updateDay(date, { kind: input.kind, name, legalBasis }, tx));
        if (!before || !row) throw notEntered(date);
        await recordAudit(tx, ctx, {
          action: 'calendar.day.update',
          targetType: 'calendar_day',
          targetId: date,
          details: { kind: input.kind, name, legalBasis, before: { kind: before.kind, name: before.name, legalBasis: before.legalBasis } },
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
        if (!gone) throw notEntered(date);
        await recordAudit(tx, ctx, {
          action: 'calendar.day.delete',
          targetType: 'calendar_day',
          targetId: date,
          details: { kind: gone.kind, name: gone.name },
        });
      });
      invalidate();
    },

    async getSettings(ctx) {
      requireStaff(ctx.actor);
      return settingsView(await repo.settings());
    },

    async updateSettings(ctx, input) {
      requireAccess(ctx.actor, 'calendar.manage');
      const errors = settingsErrors(input);
      if (errors.length) {
        throw problems.unprocessable(
          'calendar_settings_invalid',
          'Giờ làm việc không hợp lệ',
          'Giờ làm việc chưa được thay đổi. Hãy sửa các mục được nêu rồi gửi lại.',
          errors,
        );
      }
      const saved = await db.orm.transaction(async (tx) => {
        const before = settingsView(await repo.settings(tx, true));
        await repo.saveSettings({ ...input, updatedBy: ctx.actor.accountId }, tx);
        const after = await repo.settings(tx);
        await recordAudit(tx, ctx, {
          action: 'calendar.settings.update',
          targetType: 'calendar_settings',
          targetId: null,
          details: { before: settingsSummary(before), after: settingsSummary(input) },
        });
        return after;
      });
      // After the commit: the next data() loads the new hours (other processes within cacheSeconds).
      invalidate();
      return settingsView(saved);
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

function notEntered(date: string) {
  return problems.notFound(`Ngày ${date} không có trong quyết định nào.`);
}

/** Office hours are not secret, but they are an internal setting: any signed-in staff member may read them. */
function requireStaff(actor: Actor): void {
  if (actor.kind === 'anonymous') throw problems.unauthorized();
  if (actor.kind === 'system' || (actor.kind === 'staff' && !actor.pending)) return;
  throw problems.forbidden('Chỉ cán bộ đã đăng nhập mới xem được giờ làm việc.');
}

const BAD_CLOCK = 'Giờ không hợp lệ (cần dạng HH:MM, ví dụ 07:30)';

/** "8", "7,5" — hours as written in Vietnamese. */
const hoursText = (h: number) => String(Math.round(h * 100) / 100).replace('.', ',');

const windowsText = (ws: readonly OfficeWindow[]) => ws.map((w) => `${formatClock(w.start)}–${formatClock(w.end)}`).join(', ');

/**
 * The rules of the office-hours settings, with one Vietnamese message per offending field: windows
 * well-formed, in the order of the day and not overlapping; the cut-off inside a window; a working day
 * and the forwarding allowance no longer than the windows (else "1 day" would spill into the next day).
 */
export function settingsErrors(input: CalendarSettingsUpdate): FieldError[] {
  const errors: FieldError[] = [];
  if (input.officeHours.length === 0) errors.push({ field: 'body/officeHours', message: 'Cần ít nhất một khung giờ làm việc' });
  const windows: OfficeWindow[] = [];
  input.officeHours.forEach((w, i) => {
    const start = parseClock(w.start);
    const end = parseClock(w.end);
    if (start === null) errors.push({ field: `body/officeHours/${i}/start`, message: BAD_CLOCK });
    if (end === null) errors.push({ field: `body/officeHours/${i}/end`, message: BAD_CLOCK });
    if (start === null || end === null) return;
    const prev = windows[windows.length - 1];
    if (end <= start) {
      errors.push({ field: `body/officeHours/${i}/end`, message: `Giờ kết thúc phải sau giờ bắt đầu (${w.start})` });
    } else if (prev && start < prev.end) {
      errors.push({
        field: `body/officeHours/${i}/start`,
        message: `Phải từ ${formatClock(prev.end)} trở đi: các khung giờ theo thứ tự trong ngày và không chồng lên nhau`,
      });
    } else {
      windows.push({ start, end });
    }
  });
  checkHours(errors, 'hoursPerDay', input.hoursPerDay);
  checkHours(errors, 'forwardingNextDayHours', input.forwardingNextDayHours);
  const cutoff = parseClock(input.forwardingCutoff);
  if (cutoff === null) errors.push({ field: 'body/forwardingCutoff', message: BAD_CLOCK });
  // The rules below compare with the windows: only meaningful once every window is right.
  if (errors.some((e) => e.field.startsWith('body/officeHours')) || windows.length === 0) return errors;
  const total = windows.reduce((sum, w) => sum + w.end - w.start, 0) / 60;
  if (cutoff !== null && !windows.some((w) => w.start < cutoff && cutoff <= w.end)) {
    errors.push({ field: 'body/forwardingCutoff', message: `Giờ chốt phải nằm trong giờ làm việc (${windowsText(windows)})` });
  }
  for (const key of ['hoursPerDay', 'forwardingNextDayHours'] as const) {
    if (errors.some((e) => e.field === `body/${key}`) || input[key] <= total + 1e-9) continue;
    errors.push({
      field: `body/${key}`,
      message: `Không được lớn hơn tổng thời gian của các khung giờ làm việc (${hoursText(total)} giờ)`,
    });
  }
  return errors;
}

function checkHours(errors: FieldError[], key: 'hoursPerDay' | 'forwardingNextDayHours', value: number): void {
  const field = `body/${key}`;
  if (!(Number.isFinite(value) && value > 0 && value <= 24)) errors.push({ field, message: 'Số giờ phải lớn hơn 0 và không quá 24' });
  else if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) errors.push({ field, message: 'Tối đa 2 chữ số thập phân' });
}

/** The settings as the API shows them (the defaults when the row is missing). */
function settingsView(row: SettingsRow | undefined): CalendarSettingsView {
  const cal = calendarData(settingsOf(row));
  return {
    officeHours: cal.officeHours.map((w) => ({ start: formatClock(w.start), end: formatClock(w.end) })),
    hoursPerDay: cal.hoursPerDay,
    forwardingCutoff: formatClock(cal.forwardingCutoff),
    forwardingNextDayHours: cal.forwardingNextDayHours,
    officeHoursTotal: cal.officeHours.reduce((sum, w) => sum + w.end - w.start, 0) / 60,
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
  };
}

const settingsSummary = (s: CalendarSettingsUpdate) => ({
  officeHours: s.officeHours.map((w) => `${w.start}–${w.end}`),
  hoursPerDay: s.hoursPerDay,
  forwardingCutoff: s.forwardingCutoff,
  forwardingNextDayHours: s.forwardingNextDayHours,
});

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
