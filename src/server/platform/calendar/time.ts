/**
 * Local time in Việt Nam (Asia/Ho_Chi_Minh = UTC+7 all year, no daylight saving), done by hand.
 *
 * Every instant is a Date; its local civil day and time of day are derived with a fixed +7 h offset so
 * that the results never depend on the machine's TZ setting. A local day is an integer "day number":
 * days since 1970-01-01 in local time.
 */

export const VN_OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** Supported range of the calendar (the lunar tables are computed for it). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** Local day number of an instant. */
export function localDayOf(instant: Date): number {
  return Math.floor((instant.getTime() + VN_OFFSET_MS) / DAY_MS);
}

/** Milliseconds since local midnight of an instant. */
export function localMsOfDay(instant: Date): number {
  const local = instant.getTime() + VN_OFFSET_MS;
  return local - Math.floor(local / DAY_MS) * DAY_MS;
}

/** The instant at `msOfDay` after local midnight of day `day`. */
export function instantAt(day: number, msOfDay = 0): Date {
  return new Date(day * DAY_MS + msOfDay - VN_OFFSET_MS);
}

/** Day of week of a local day: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function dayFromCivil(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function civilFromDay(dayNumber: number): CivilDate {
  const d = new Date(dayNumber * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD' of a local day number. */
export function isoOfDay(dayNumber: number): string {
  const c = civilFromDay(dayNumber);
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;
}

/** Local day number of 'YYYY-MM-DD', or null when the text is not a real calendar date. */
export function dayOfIso(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const n = dayFromCivil(year, month, day);
  const back = civilFromDay(n);
  return back.year === year && back.month === month && back.day === day ? n : null;
}

/** 'YYYY-MM-DD' of the local day of an instant. */
export function localIsoDate(instant: Date): string {
  return isoOfDay(localDayOf(instant));
}

/** ISO 8601 with the +07:00 offset, e.g. 2026-02-23T16:00:00+07:00 (how times are shown to people). */
export function toLocalIso(instant: Date): string {
  const day = localDayOf(instant);
  const ms = localMsOfDay(instant);
  const h = Math.floor(ms / HOUR_MS);
  const min = Math.floor((ms % HOUR_MS) / MINUTE_MS);
  const s = Math.floor((ms % MINUTE_MS) / 1000);
  const frac = ms % 1000;
  return `${isoOfDay(day)}T${pad(h)}:${pad(min)}:${pad(s)}${frac ? `.${pad(frac, 3)}` : ''}+07:00`;
}

/** "16 giờ 00 phút, ngày 23/02/2026" — the wording of receipts (Mẫu 01). */
export function formatVn(instant: Date): string {
  const c = civilFromDay(localDayOf(instant));
  const ms = localMsOfDay(instant);
  return `${pad(Math.floor(ms / HOUR_MS))} giờ ${pad(Math.floor((ms % HOUR_MS) / MINUTE_MS))} phút, ngày ${pad(c.day)}/${pad(c.month)}/${c.year}`;
}

/** Minutes after midnight of 'HH:MM' (00:00–24:00), or null. */
export function parseClock(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

export function formatClock(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export const weekdayNames = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'] as const;
