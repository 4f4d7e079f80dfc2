/**
 * National procedure codes, working-time units and search folding: small pure helpers.
 */

/** Full national code of a procedure (CSDLQG TTHC): {1|2|3}.{6 digits}.000.00.00.{level-1 agency code}. */
export const PROCEDURE_CODE_RE = /^[123]\.[0-9]{6}\.000\.00\.00\.[A-Y][0-9]{2}$/;
/** The bare form published in catalogues and in procedures.json: 1.001193. */
export const BARE_CODE_RE = /^[123]\.[0-9]{6}$/;

/** 1 working day = 8 working hours (office hours 07:00–11:30, 13:30–17:00). */
export const HOURS_PER_DAY = 8;

/** Why a national procedure code is invalid, in Vietnamese; null when it is valid. */
export function procedureCodeError(code: string): string | null {
  if (PROCEDURE_CODE_RE.test(code)) return null;
  if (BARE_CODE_RE.test(code)) return `Thiếu phần mã cơ quan: mã đầy đủ có dạng ${code}.000.00.00.H66`;
  if (!/^[123]\./.test(code)) return 'Mã thủ tục phải bắt đầu bằng 1., 2. hoặc 3. (cấp ban hành: trung ương, địa phương, đặc thù)';
  const [, digits, ...rest] = code.split('.');
  if (!digits || !/^[0-9]{6}$/.test(digits)) return 'Sau nhóm đầu phải là 6 chữ số, ví dụ 1.001193';
  if (rest.slice(0, 3).join('.') !== '000.00.00') return 'Sau 6 chữ số phải là .000.00.00., ví dụ 1.001193.000.00.00.H66';
  return 'Phần cuối phải là mã cơ quan cấp 1 (một chữ cái A–Y và 2 chữ số, ví dụ H66)';
}

/** Full national code from the bare catalogue form and the province's level-1 agency code. */
export function fullProcedureCode(bare: string, level1AgencyCode: string): string {
  return `${bare}.000.00.00.${level1AgencyCode}`;
}

/** Working hours from days (null stays null); undefined when the days do not make whole hours. */
export function hoursFromDays(days: number | null): number | null | undefined {
  if (days === null) return null;
  const hours = days * HOURS_PER_DAY;
  return Number.isInteger(hours) ? hours : undefined;
}

export function daysFromHours(hours: number | null): number | null {
  return hours === null ? null : hours / HOURS_PER_DAY;
}

/**
 * Folds text the way catalog_fold() does in SQL: lower case, no tone marks, đ → d, punctuation to
 * single spaces, word-final y after a consonant (and quy) → i (ký = kí; but thay ≠ thai). The
 * database folds the query itself; this tells the service whether anything searchable is left.
 */
export function catalogFold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/([bcdfghjklmnpqrstvwxz])y\b/g, '$1i')
    .replace(/\bquy\b/g, 'qui')
    .trim();
}

/** A query that looks like (the start of) a national code, upper-cased; null otherwise. */
export function codePrefix(q: string): string | null {
  const c = q.trim().toUpperCase();
  return /^[123]\.[0-9]{1,6}(\.[0-9A-Z.]*)?$/.test(c) ? c : null;
}
