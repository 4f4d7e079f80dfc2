/**
 * Dates and times are always shown in Asia/Ho_Chi_Minh, in the Vietnamese order
 * (dd/mm/yyyy HH:mm), whatever the browser's own time zone or language.
 */
const TZ = 'Asia/Ho_Chi_Minh';

const dateTimeFmt = new Intl.DateTimeFormat('vi-VN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const dateFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

function parts(fmt: Intl.DateTimeFormat, d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (!value) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "24/11/2025 14:05" */
export function formatDateTime(value: string | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return '';
  const p = parts(dateTimeFmt, d);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** "24/11/2025" */
export function formatDate(value: string | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return '';
  const p = parts(dateFmt, d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** ISO value for <time dateTime>. */
export function isoOf(value: string | Date | null | undefined): string | undefined {
  return toDate(value)?.toISOString();
}

/** A calendar day written YYYY-MM-DD (no time zone involved) → "01/07/2025". */
export function formatDay(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : formatDate(value);
}

/** Today in Vietnam as YYYY-MM-DD (default for "effective from" fields). */
export function todayVn(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** Money in Vietnamese đồng, grouped with dots: 1234567 → "1.234.567 đ" (no decimals: VND has none). */
export function formatVnd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(amount))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${digits} đ`;
}
